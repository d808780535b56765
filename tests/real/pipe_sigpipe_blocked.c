/* SIGPIPE blocked: the write to a pipe with no reader fails with EPIPE at
 * once (the signal is not delivered, it waits in the pending set), and the
 * process dies of it (status -13) only when it unblocks SIGPIPE. */
#include "real.h"

int main(void)
{
    int p[2], st;
    chan(p);
    close(p[0]);
    pid_t c = xfork();
    if (c == 0) {
        set_block(SIG_BLOCK, SIGPIPE);
        if (write(p[1], "x", 1) >= 0)
            unexpected("the write went through");
        else
            say("BrokenPipeError: [Errno %d] %s", errno, strerror(errno));
        set_block(SIG_UNBLOCK, SIGPIPE);
        say("child survived the unblock");
        _exit(0);
    }
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    say("child status %d", WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st));
    return 0;
}
