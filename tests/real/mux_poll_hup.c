/* poll on a pipe's read end after the writer has written and closed:
 * POLLIN | POLLHUP (17) while data is left, POLLHUP alone (16) once it
 * is read; POLLHUP comes back though only POLLIN was asked for. The write
 * end, while the reader is open, is POLLOUT (4); once the reader closed,
 * POLLOUT | POLLERR (12). */
#include <poll.h>

#include "real.h"

static int revents(int fd, short events)
{
    struct pollfd p = { .fd = fd, .events = events };
    if (poll(&p, 1, 0) < 0)
        die("poll");
    return p.revents;
}

int main(void)
{
    int p[2];
    if (pipe(p) < 0)
        die("pipe");
    say("write end, reader open: %d", revents(p[1], POLLOUT));
    pid_t c = xfork();
    if (c == 0) {
        close(p[0]);
        if (write(p[1], "x", 1) != 1)
            _exit(1);
        _exit(0);
    }
    close(p[1]);
    int st;
    xwaitpid(c, &st, 0);
    say("after the writer closed, data left: %d", revents(p[0], POLLIN));
    char b;
    if (read(p[0], &b, 1) != 1)
        die("read");
    say("after reading it: %d", revents(p[0], POLLIN));
    int q[2];
    if (pipe(q) < 0)
        die("pipe");
    close(q[0]);
    say("write end, reader closed: %d", revents(q[1], POLLOUT));
    return 0;
}
