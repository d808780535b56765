/* SIGTERM ignored (SIG_IGN): the signal is discarded, the child carries on
 * and exits 0. */
#include "real.h"

int main(void)
{
    int ready[2], sent[2];
    chan(ready);
    chan(sent);
    pid_t c = xfork();
    if (c == 0) {
        signal(SIGTERM, SIG_IGN);
        post(ready);
        await(sent);               /* SIGTERM has been sent by now */
        say("child survived SIGTERM");
        _exit(0);
    }
    await(ready);
    if (kill(c, SIGTERM) < 0)
        die("kill");
    post(sent);
    int st;
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
