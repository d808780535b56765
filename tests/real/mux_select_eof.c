/* select on a pipe's read end: not ready while the writer holds its end and
 * sends nothing (timeout 0 returns 0); readable once a message is in;
 * readable again at EOF after the writer has closed, where read returns 0.
 * The child writes, then exits; the parent waits for it before looking, so
 * the order is fixed. */
#include <sys/select.h>

#include "real.h"

static int readable(int fd, int timeout_zero)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fd, &r);
    struct timeval tv = { 0, 0 };
    int n = select(fd + 1, &r, NULL, NULL, timeout_zero ? &tv : NULL);
    if (n < 0)
        die("select");
    return n == 1 && FD_ISSET(fd, &r);
}

int main(void)
{
    int p[2], go[2];
    if (pipe(p) < 0 || pipe(go) < 0)
        die("pipe");
    say("select before any data: %s", readable(p[0], 1) ? "readable" : "0 ready");
    pid_t c = xfork();
    if (c == 0) {
        close(p[0]);
        char x;
        if (read(go[0], &x, 1) != 1)
            _exit(1);
        if (write(p[1], "hi", 2) != 2)
            _exit(1);
        _exit(0);
    }
    close(p[1]);
    if (write(go[1], "g", 1) != 1)
        die("write");
    say("select blocks until the child writes: %s", readable(p[0], 0) ? "readable" : "no");
    char buf[8];
    ssize_t n = read(p[0], buf, 2);
    say("read: %.*s", (int)(n > 0 ? n : 0), buf);
    int st;
    xwaitpid(c, &st, 0);
    say("select after the writer closed: %s", readable(p[0], 1) ? "readable" : "0 ready");
    n = read(p[0], buf, 2);
    say("read returns %d (EOF)", (int)n);
    return 0;
}
