/* fork: the child inherits the signal mask and the dispositions, but not
 * the pending signals. The parent blocks SIGUSR1, sends it to itself (now
 * pending) and forks. The child unblocks SIGUSR1: nothing is delivered.
 * The parent unblocks it: its handler runs once. */
#include "real.h"

int main(void)
{
    on(SIGUSR1, count_signal);
    set_block(SIG_BLOCK, SIGUSR1);
    kill(getpid(), SIGUSR1);
    pid_t c = xfork();
    if (c == 0) {
        sigset_t m;
        sigprocmask(SIG_SETMASK, NULL, &m);
        say("child inherited the mask: %s", sigismember(&m, SIGUSR1) ? "yes" : "no");
        set_block(SIG_UNBLOCK, SIGUSR1);
        say("child handler ran %d times", (int)runs);
        _exit(0);
    }
    int st;
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    set_block(SIG_UNBLOCK, SIGUSR1);
    say("parent handler ran %d times", (int)runs);
    return 0;
}
