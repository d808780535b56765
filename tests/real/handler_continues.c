/* A handler runs and the program continues where it was: a signal sent to
 * oneself is delivered before kill() returns, so the handler's line comes
 * first; a second signal runs it again. */
#include "real.h"

static void h(int sig)
{
    (void)sig;
    runs++;
    say("handler ran");
}

int main(void)
{
    on(SIGUSR1, h);
    if (kill(getpid(), SIGUSR1) < 0)
        die("kill");
    say("program continues");
    if (kill(getpid(), SIGUSR1) < 0)
        die("kill");
    say("program continues");
    say("handler ran %d times", (int)runs);
    return 0;
}
