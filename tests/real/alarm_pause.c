/* signal.alarm + signal.pause: a SIGALRM handler, alarm(1), pause(). The
 * handler runs, then pause returns -1 with EINTR. */
#include "real.h"

static void ring(int sig)
{
    (void)sig;
    runs++;
    say("handler ran");
}

int main(void)
{
    on(SIGALRM, ring);
    alarm(1);
    int r = pause();
    if (r != -1 || errno != EINTR)
        unexpected("pause returned %d (%s)", r, strerror(errno));
    say("pause returned");
    say("handler ran %d times", (int)runs);
    return 0;
}
