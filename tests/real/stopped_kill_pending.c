/* A stopped process does not want ordinary signals (wants_signal in
 * kernel/signal.c): SIGINT and SIGHUP sent to it stay pending and it stays
 * alive. SIGKILL is the one signal a stopped thread wants: it starts the
 * group exit at once, so the child dies of SIGKILL (9), not of the lower
 * numbered SIGHUP or SIGINT still pending. */
#include "real.h"

int main(void)
{
    int st;
    pid_t c = xfork();
    if (c == 0)
        for (;;)
            pause();
    stop_child(c, SIGSTOP);
    kill(c, SIGINT);
    kill(c, SIGHUP);
    /* Give the kernel every chance to act on them (it must not). */
    struct timespec ts = { 0, 200000000 };
    nanosleep(&ts, NULL);
    if (waitpid(c, &st, WNOHANG) == 0)
        say("child alive and stopped with SIGINT and SIGHUP pending");
    else
        report("child", st);
    kill(c, SIGKILL);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
