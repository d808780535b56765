/* Orphans: without a subreaper, an orphaned grandchild is adopted by init
 * (or, in a container, by whatever reaper the real machine has: the
 * program only checks it is not the dead parent). After
 * prctl(PR_SET_CHILD_SUBREAPER), the orphan goes to the subreaper, which
 * can then wait for it. */
#include "real.h"

/* Fork a middle process that forks a grandchild and exits; the grandchild
 * waits until it has been re-parented, reports, then exits 3. */
static pid_t family(pid_t me, int told[2])
{
    pid_t mid = xfork();
    if (mid == 0) {
        pid_t self = getpid();
        if (xfork() == 0) {
            while (getppid() == self) {
                struct timespec ts = { 0, 1000000 };
                nanosleep(&ts, NULL);
            }
            if (getppid() == me)
                say("orphan adopted by subreaper");
            else
                say("orphan adopted by someone else (not the dead parent)");
            post(told);
            _exit(3);
        }
        _exit(0);
    }
    return mid;
}

int main(void)
{
    int told[2];
    chan(told);
    pid_t me = getpid(), r;
    int st;

    /* 1. No subreaper here. */
    pid_t mid = family(me, told);
    if (xwaitpid(mid, &st, 0) != mid)
        die("waitpid");
    await(told);                  /* the orphan has spoken */
    report("middle", st);

    /* 2. This process is a subreaper: the next orphan comes back to it. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        die("prctl");
    mid = family(me, told);
    if (xwaitpid(mid, &st, 0) != mid)
        die("waitpid");
    await(told);                  /* the orphan has spoken */
    report("middle", st);
    r = xwaitpid(-1, &st, 0);
    if (r <= 0)
        die("wait for the orphan");
    report("subreaper reaped orphan", st);
    errno = 0;
    r = wait(NULL);
    say("wait returned %d %s", (int)r, errno == ECHILD ? "ECHILD" : strerror(errno));
    return 0;
}
