/* A stopped process reacts only to SIGKILL and SIGCONT: a SIGTERM sent to
 * it stays pending (it is not dead yet), and kills it once SIGCONT lets it
 * run. A second stopped child dies of SIGKILL at once. */
#include "real.h"

static pid_t stopped_child(void)
{
    pid_t c = xfork();
    if (c == 0)
        for (;;)
            pause();
    stop_child(c, SIGSTOP);
    return c;
}

int main(void)
{
    int st;
    pid_t c = stopped_child();
    kill(c, SIGTERM);
    /* Give the kernel every chance to act on it (it must not). */
    struct timespec ts = { 0, 200000000 };
    nanosleep(&ts, NULL);
    pid_t r = waitpid(c, &st, WNOHANG);
    if (r == 0)
        say("child not dead after SIGTERM while stopped");
    else
        report("child", st);
    kill(c, SIGCONT);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);

    c = stopped_child();
    kill(c, SIGKILL);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("second child", st);
    return 0;
}
