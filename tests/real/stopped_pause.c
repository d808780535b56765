/* A process stopped while in pause() and continued with a caught signal
 * pending: the handler runs and pause returns (-1, EINTR). It is restarted
 * only when no handler runs, e.g. after a bare SIGSTOP / SIGCONT, which
 * the first round checks. */
#include "real.h"

int main(void)
{
    int ready[2];
    chan(ready);
    pid_t c = xfork();
    if (c == 0) {
        on(SIGUSR1, count_signal);
        post(ready);
        int r = pause();
        say("pause returned %d %s after %d handler runs", r,
            errno == EINTR ? "EINTR" : strerror(errno), (int)runs);
        _exit(0);
    }
    await(ready);
    await_state(c, 'S');          /* in pause */
    int st;
    /* Round 1: stop and continue, no other signal: pause goes on. */
    stop_child(c, SIGSTOP);
    kill(c, SIGCONT);
    await_state(c, 'S');          /* back in pause */
    if (waitpid(c, &st, WNOHANG) != 0)
        unexpected("pause ended after a bare stop and continue");
    say("after SIGSTOP and SIGCONT the child still pauses");
    /* Round 2: stop, a caught signal, continue. */
    stop_child(c, SIGSTOP);
    kill(c, SIGUSR1);
    kill(c, SIGCONT);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
