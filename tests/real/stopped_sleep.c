/* A process stopped in the middle of a sleep and continued with a caught
 * signal pending: the handler runs at once and the sleep ends early
 * (sleep returns the time left). After a bare SIGSTOP / SIGCONT the sleep
 * goes on to its original end. */
#include "real.h"

int main(void)
{
    int ready[2];
    chan(ready);
    pid_t c = xfork();
    if (c == 0) {
        on(SIGUSR1, count_signal);
        post(ready);
        unsigned left = sleep(10);
        say(left > 0 ? "sleep interrupted" : "sleep ran to the end");
        say("handler ran %d times", (int)runs);
        _exit(0);
    }
    await(ready);
    await_state(c, 'S');          /* in the sleep */
    int st;
    kill(c, SIGSTOP);
    if (xwaitpid(c, &st, WUNTRACED) != c || !WIFSTOPPED(st))
        unexpected("the child did not stop");
    kill(c, SIGCONT);
    await_state(c, 'S');
    kill(c, SIGSTOP);
    if (xwaitpid(c, &st, WUNTRACED) != c || !WIFSTOPPED(st))
        unexpected("the child did not stop");
    kill(c, SIGUSR1);
    kill(c, SIGCONT);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
