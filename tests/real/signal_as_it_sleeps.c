/* A signal sent while its target is on its way to sleep still ends the
 * sleep: the kernel looks for a pending signal before a task sleeps
 * (prepare_to_wait_event, schedule_timeout_interruptible), so no order of
 * kill and sleep leaves the child asleep. The child says it is ready and
 * at once waits, once on a pipe nobody writes and once in a 1000-second
 * sleep; the parent kills it as soon as it hears. */
#include "real.h"

static void one(int n, int kind)
{
    int ready[2], never[2];
    chan(ready);
    chan(never);
    pid_t c = xfork();
    if (c == 0) {
        post(ready);
        if (kind == 0) {
            char b;
            while (read(never[0], &b, 1) != 0)
                ;                  /* nobody writes: waits for ever */
        } else {
            sleep(1000);
        }
        _exit(0);
    }
    await(ready);
    if (kill(c, SIGTERM) < 0)
        die("kill");
    int st;
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    char who[16];
    snprintf(who, sizeof who, "child %d", n);
    report(who, st);
    close(never[0]);
    close(never[1]);
}

int main(void)
{
    one(1, 0);
    one(2, 1);
    return 0;
}
