/* File descriptor numbers: a new descriptor takes the lowest free number
 * (POSIX). The process starts with 0, 1, 2 only (anything else it may have
 * inherited is closed first), makes the pipe that the scenario declares at
 * top level (3, 4), then pipes of its own; fork copies the table, so the
 * child's next pipe goes above everything the parent had. */
#include "real.h"

static void fresh_table(void)
{
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
}

int main(void)
{
    int top[2], a[2], b[2], c[2], st;
    fresh_table();
    chan(top);
    if (top[0] != 3 || top[1] != 4)
        unexpected("the first pipe is at %d %d", top[0], top[1]);
    chan(a);
    say("pipe -> %d %d", a[0], a[1]);
    close(a[0]);
    chan(b);
    say("closed %d then pipe -> %d %d", a[0], b[0], b[1]);
    pid_t k = xfork();
    if (k == 0) {
        chan(c);
        say("child: pipe -> %d %d", c[0], c[1]);
        _exit(0);
    }
    if (xwaitpid(k, &st, 0) != k)
        die("waitpid");
    close(top[0]);
    close(top[1]);
    chan(c);
    say("after closing the top-level pipe: pipe -> %d %d", c[0], c[1]);
    return 0;
}
