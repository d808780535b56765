/* A process stopped in the middle of a sleep and continued with a caught
 * signal pending: the handler runs at once and the sleep ends early
 * (sleep returns the time left). After a bare SIGSTOP / SIGCONT the sleep
 * goes on to its original end. */
#include "real.h"

int main(void)
{
    pid_t c = fork_sleeper();     /* in its sleep(10) */
    int st;
    stop_child(c, SIGSTOP);
    kill(c, SIGCONT);
    await_state(c, 'S');
    stop_child(c, SIGSTOP);
    kill(c, SIGUSR1);
    kill(c, SIGCONT);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
