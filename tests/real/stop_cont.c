/* SIGSTOP then SIGCONT: the child stops (waitpid WUNTRACED sees
 * WIFSTOPPED), continues (WCONTINUED sees WIFCONTINUED) and later exits 0.
 * The parent gets SIGCHLD at each of the three changes. Only the SIGCHLDs
 * and the final exit are printed (wait_untraced compares what waitpid
 * reports); the waitpid observations are checked here and print an
 * UNEXPECTED line only if the kernel disagrees. */
#include "real.h"

static volatile sig_atomic_t chld;

static void h(int sig)
{
    (void)sig;
    chld++;
}

int main(void)
{
    int go[2];
    chan(go);
    sigset_t old;
    on(SIGCHLD, h);
    set_block(SIG_BLOCK, SIGCHLD);
    sigprocmask(SIG_SETMASK, NULL, &old);
    sigdelset(&old, SIGCHLD);

    pid_t c = xfork();
    if (c == 0) {
        await(go);                /* blocked in read while stopped */
        _exit(0);
    }
    int st;
    stop_child(c, SIGSTOP);
    while (chld < 1)
        sigsuspend(&old);
    say("parent got SIGCHLD when the child stopped");

    kill(c, SIGCONT);
    if (xwaitpid(c, &st, WCONTINUED) != c || !WIFCONTINUED(st))
        unexpected("waitpid(WCONTINUED) did not report the continue");
    while (chld < 2)
        sigsuspend(&old);
    say("parent got SIGCHLD when the child continued");

    post(go);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    while (chld < 3)
        sigsuspend(&old);
    say("parent got SIGCHLD when the child exited");
    report("child", st);
    return 0;
}
