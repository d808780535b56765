/* SIGUSR1 blocked, sent twice, handled once after unblocking: standard
 * signals do not queue (one pending bit each). */
#include "real.h"

int main(void)
{
    on(SIGUSR1, count_signal);
    set_block(SIG_BLOCK, SIGUSR1);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    sigset_t p;
    sigpending(&p);
    say("SIGUSR1 pending while blocked: %s", sigismember(&p, SIGUSR1) ? "yes" : "no");
    say("handler ran %d times before unblock", (int)runs);
    set_block(SIG_UNBLOCK, SIGUSR1);
    say("handler ran %d times after unblock", (int)runs);
    return 0;
}
