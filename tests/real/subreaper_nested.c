/* Orphans go to the NEAREST living subreaper ancestor. A (subreaper) forks
 * B (subreaper), B forks C, C forks D. C exits: D goes to B. B exits: D
 * goes to A (B is dead, so the next subreaper up). */
#include "real.h"

static void await_ppid_change(pid_t from)
{
    while (getppid() == from) {
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
}

int main(void)
{
    int told[2], cgo[2], bgo[2];
    chan(told);
    chan(cgo);
    chan(bgo);
    pid_t a = getpid();
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        die("prctl");
    pid_t b = xfork();
    if (b == 0) {
        if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
            die("prctl");
        pid_t bpid = getpid();
        if (xfork() == 0) {               /* C */
            pid_t cpid = getpid();
            if (xfork() == 0) {           /* D */
                post(told);               /* D exists */
                await_ppid_change(cpid);
                say(getppid() == bpid ? "orphan adopted by the nearer subreaper"
                                      : "orphan adopted by someone else");
                post(told);
                await_ppid_change(bpid);
                say(getppid() == a ? "orphan adopted by the outer subreaper"
                                   : "orphan adopted by someone else");
                post(told);
                _exit(4);
            }
            await(cgo);
            _exit(0);
        }
        await(bgo);
        /* B reaps C first, then dies, leaving D to A. */
        int st;
        pid_t r = xwaitpid(-1, &st, 0);
        (void)r;
        _exit(0);
    }
    await(told);                  /* D exists */
    post(cgo);                    /* C exits */
    await(told);                  /* D has seen B */
    post(bgo);                    /* B exits */
    int st, n = 1;
    if (xwaitpid(b, &st, 0) != b)
        die("waitpid B");
    await(told);                  /* D has seen A */
    report("subreaper B", st);
    pid_t r;
    while ((r = xwaitpid(-1, &st, 0)) > 0) {
        report("adopted orphan", st);
        n++;
    }
    say("A reaped %d processes", n);
    return 0;
}
