/* A SIGCHLD handler reaps with waitpid(-1, WNOHANG) in a loop; the main
 * program never waits. Two children exit with 1 and 2. Their SIGCHLDs may
 * merge, which is why the handler loops. */
#include "real.h"

static volatile sig_atomic_t reaped;
static volatile sig_atomic_t codes[8];

static void reaper(int sig)
{
    (void)sig;
    int saved = errno, st;
    pid_t p;
    while ((p = waitpid(-1, &st, WNOHANG)) > 0)
        if (reaped < 8)
            codes[reaped++] = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
    errno = saved;
}

int main(void)
{
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    on(SIGCHLD, reaper);
    sigprocmask(SIG_BLOCK, &chld, &old);
    if (xfork() == 0)
        _exit(1);
    if (xfork() == 0)
        _exit(2);
    while (reaped < 2)
        sigsuspend(&old);         /* the handler runs in here */
    sigprocmask(SIG_SETMASK, &old, NULL);
    for (int i = 0; i < reaped; i++)
        say("reaped a child with status %d", (int)codes[i]);
    say("handler reaped %d children", (int)reaped);
    errno = 0;
    pid_t r = waitpid(-1, NULL, WNOHANG);
    say("waitpid nohang afterwards returned %d %s", (int)r,
        errno == ECHILD ? "ECHILD" : strerror(errno));
    return 0;
}
