/* A write to a pipe with no reader left, with SIGPIPE ignored (as CPython
 * starts) and then caught: the write fails with EPIPE, the process goes
 * on. Caught, the handler runs before the write returns its error.
 *
 * The reader end is held by the parent and by a child; the parent closes
 * its copy and the child exits, so no process holds it any more. */
#include "real.h"

static void try_write(int fd)
{
    if (write(fd, "x", 1) >= 0)
        unexpected("the write went through");
    else
        say("BrokenPipeError: [Errno %d] %s", errno, strerror(errno));
}

int main(void)
{
    int p[2], st;
    signal(SIGPIPE, SIG_IGN);
    chan(p);
    pid_t c = xfork();
    if (c == 0)
        _exit(0);               /* takes its copy of the read end with it */
    close(p[0]);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    say("reader exited %d", WEXITSTATUS(st));
    try_write(p[1]);
    say("still running with SIGPIPE ignored");
    on(SIGPIPE, count_signal);
    try_write(p[1]);
    say("handler ran %d times", (int)runs);
    return 0;
}
