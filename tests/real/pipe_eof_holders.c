/* EOF on a pipe with three holders of its write end: the parent and two
 * children that inherited it by fork. read returns 0 (EOF) only when every
 * copy is closed (pipe(7)); until then a reader with nothing to read would
 * sleep. poll(2) with a zero timeout asks, without sleeping, whether a read
 * would return at once (data or EOF), as Python's Connection.poll() does.
 *
 * The children write and exit one at a time, each when the parent tells
 * it to, so the order of everything is fixed. */
#include <poll.h>
#include "real.h"

static void say_poll(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int n = poll(&p, 1, 0);
    if (n < 0)
        die("poll");
    say("poll %s", n > 0 ? "True" : "False");
}

/* Read one message; the writers' messages are short single writes, so one
 * read gets one of them whole. */
static void get(int fd)
{
    char buf[128];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf - 1)) < 0)
        if (errno != EINTR)
            die("read");
    if (n == 0) {
        say("EOFError: every write end is closed");
        return;
    }
    buf[n] = '\0';
    say("got %s", buf);
}

static pid_t writer(int p[2], int go[2], const char *msg)
{
    pid_t c = xfork();
    if (c == 0) {
        close(p[0]);
        await(go);
        if (write(p[1], msg, strlen(msg)) < 0)
            die("write");
        _exit(0);               /* closes this copy of the write end */
    }
    return c;
}

int main(void)
{
    int p[2], goa[2], gob[2], st;
    chan(p);
    chan(goa);
    chan(gob);
    pid_t a = writer(p, goa, "hello from A");
    pid_t b = writer(p, gob, "hello from B");
    say_poll(p[0]);             /* empty, three writers */
    post(goa);
    get(p[0]);
    if (xwaitpid(a, &st, 0) != a)
        die("waitpid");
    say("writer A exited %d", WEXITSTATUS(st));
    say_poll(p[0]);             /* empty, B and the parent still hold it */
    post(gob);
    get(p[0]);
    if (xwaitpid(b, &st, 0) != b)
        die("waitpid");
    say("writer B exited %d", WEXITSTATUS(st));
    say_poll(p[0]);             /* empty, the parent's own copy is left */
    close(p[1]);
    say_poll(p[0]);             /* EOF: a read returns at once */
    get(p[0]);
    return 0;
}
