/* Generating SIGCONT discards a pending stop signal. The child blocks
 * SIGTSTP; the parent sends SIGTSTP (it stays pending) and then SIGCONT;
 * when the child unblocks SIGTSTP there is nothing left to stop it, and it
 * exits 0. (A control child without the block is stopped by SIGTSTP, so
 * the signal is not being dropped for some other reason, such as an
 * orphaned process group.) */
#include "real.h"

int main(void)
{
    own_group();                  /* a group with a parent outside it */
    int ready[2], go[2], st;

    /* Control: SIGTSTP does stop a child here. */
    pid_t c = xfork();
    if (c == 0)
        for (;;)
            pause();
    stop_child(c, SIGTSTP);
    kill(c, SIGKILL);
    xwaitpid(c, &st, 0);

    chan(ready);
    chan(go);
    c = xfork();
    if (c == 0) {
        set_block(SIG_BLOCK, SIGTSTP);
        post(ready);
        await(go);
        set_block(SIG_UNBLOCK, SIGTSTP);
        say("child unblocked SIGTSTP and goes on");
        _exit(0);
    }
    await(ready);
    kill(c, SIGTSTP);
    kill(c, SIGCONT);
    post(go);
    pid_t r = xwaitpid(c, &st, WUNTRACED);
    if (r == c && WIFSTOPPED(st)) {
        say("child stopped");
        kill(c, SIGKILL);
        xwaitpid(c, &st, 0);
    }
    report("child", st);
    return 0;
}
