/* A caught signal cuts a sleep short: sleep(10) returns the seconds left
 * (more than 0), after the handler ran. */
#include "real.h"

int main(void)
{
    pid_t c = fork_sleeper();     /* in its sleep(10) */
    kill(c, SIGUSR1);
    int st;
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
