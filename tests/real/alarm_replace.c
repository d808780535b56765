/* A new alarm replaces the old one: alarm(100) then alarm(1) returns the
 * 100 s left over and the process is woken after 1 s, once. alarm(0)
 * cancels: a later pause would then wait for another signal. */
#include "real.h"

static volatile sig_atomic_t pokes;

static void poke(int sig)
{
    (void)sig;
    pokes++;
}

int main(void)
{
    on(SIGALRM, count_signal);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    alarm(100);
    unsigned left = alarm(1);
    say(left > 90 ? "second alarm replaced the first" : "first alarm was not pending");
    pause();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    say(t1.tv_sec - t0.tv_sec < 10 ? "rang after the second alarm's delay"
                                   : "rang after the first alarm's delay");
    say("alarm handler ran %d times", (int)runs);

    /* alarm 0 cancels: SIGUSR1 from a child is what ends the pause. */
    on(SIGUSR1, poke);
    alarm(1);
    alarm(0);
    pid_t c = xfork();
    if (c == 0) {
        struct timespec ts = { 2, 0 };     /* past the cancelled alarm */
        nanosleep(&ts, NULL);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    pause();
    say("alarm handler ran %d times, SIGUSR1 handler %d times", (int)runs, (int)pokes);
    xwaitpid(c, NULL, 0);
    return 0;
}
