/* kill(0, sig) signals the caller's whole process group. The parent
 * (leader of its own group, ignoring SIGTERM) forks two children, which
 * inherit the group, then sends SIGTERM to the group: both children die
 * of it, the parent goes on. */
#include "real.h"

int main(void)
{
    own_group();
    signal(SIGTERM, SIG_IGN);
    int ready[2];
    chan(ready);
    pid_t kids[2];
    for (int i = 0; i < 2; i++) {
        kids[i] = xfork();
        if (kids[i] == 0) {
            signal(SIGTERM, SIG_DFL);
            post(ready);
            for (;;)
                pause();
        }
    }
    await(ready);
    await(ready);
    if (kill(0, SIGTERM) < 0)
        die("kill");
    for (int i = 0; i < 2; i++) {
        int st;
        if (xwaitpid(kids[i], &st, 0) != kids[i])
            die("waitpid");
        report("child", st);
    }
    say("parent survived its own SIGTERM");
    return 0;
}
