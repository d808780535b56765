/* An alarm is not inherited by fork. The parent sets alarm(1) with a
 * handler, then forks; the child restores SIGALRM's default action (which
 * would kill it) and sleeps 2 s: no alarm comes, it exits 0. The parent's
 * alarm rings in its pause. */
#include "real.h"

int main(void)
{
    on(SIGALRM, count_signal);
    alarm(1);
    pid_t c = xfork();
    if (c == 0) {
        signal(SIGALRM, SIG_DFL);
        struct timespec ts = { 2, 0 };
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
        _exit(0);
    }
    pause();
    say("parent handler ran %d times", (int)runs);
    int st;
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
