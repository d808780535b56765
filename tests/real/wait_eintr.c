/* A blocking wait is interrupted by a caught signal: with a handler
 * installed without SA_RESTART, wait() returns -1 with EINTR; after a
 * SIGCHLD from an exiting child, by contrast, wait() returns that child. */
#include "real.h"

int main(void)
{
    int go[2];
    chan(go);
    on(SIGUSR1, count_signal);
    on(SIGCHLD, count_signal);
    pid_t c = xfork();
    if (c == 0) {
        await_state(getppid(), 'S');    /* the parent is in wait() */
        kill(getppid(), SIGUSR1);
        await(go);
        _exit(5);
    }
    int st;
    errno = 0;
    pid_t r = wait(&st);
    if (r == -1 && errno == EINTR)
        say("wait returned -1 EINTR");
    else
        say("wait returned %d %s", (int)r, strerror(errno));
    say("handler ran %d times", (int)runs);
    post(go);
    r = wait(&st);                       /* woken by the exit: no EINTR */
    if (r == c)
        report("wait returned the child, which", st);
    else
        say("wait returned %d %s", (int)r, strerror(errno));
    say("handler ran %d times", (int)runs);
    return 0;
}
