/* A caught signal cuts a sleep short: sleep(10) returns the seconds left
 * (more than 0), after the handler ran. */
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
    kill(c, SIGUSR1);
    int st;
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
