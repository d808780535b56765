/* A signal that arrives while its own handler runs is blocked, so it stays
 * pending; the handler's return (sigreturn, a system call) restores the
 * mask, and the pending signal is delivered at once, before the
 * interrupted program runs another instruction. A different signal sent
 * inside the handler is not blocked: its handler nests. */
#include "real.h"

static volatile sig_atomic_t n;

static void h2(int sig)
{
    (void)sig;
    say("USR2 handler ran");
}

static void h(int sig)
{
    (void)sig;
    int me = ++n;
    say("USR1 handler %d starts", me);
    if (me == 1) {
        kill(getpid(), SIGUSR1);
        say("USR1 sent again inside its handler: pending");
        kill(getpid(), SIGUSR2);
    }
    say("USR1 handler %d ends", me);
}

int main(void)
{
    on(SIGUSR1, h);
    on(SIGUSR2, h2);
    kill(getpid(), SIGUSR1);
    say("main continues");
    say("USR1 handler ran %d times", (int)n);
    return 0;
}
