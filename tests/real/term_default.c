/* SIGTERM with the default action kills the child: the parent's waitpid
 * sees WIFSIGNALED with WTERMSIG 15 (Process.terminate(), exitcode -15). */
#include "real.h"

int main(void)
{
    int ready[2];
    chan(ready);
    pid_t c = xfork();
    if (c == 0) {
        post(ready);
        for (;;)
            pause();               /* runs until a signal ends it */
    }
    await(ready);
    if (kill(c, SIGTERM) < 0)
        die("kill");
    int st;
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
