/* select, poll and epoll on TCP sockets over loopback: a listening socket is
 * readable once a connection is queued; a connected socket is readable with
 * data, not after it was read (poll with timeout 0: no event) and writable
 * while its send buffer has room; after the peer's close, epoll (level-
 * triggered, EPOLLIN | EPOLLRDHUP asked) reports EPOLLIN | EPOLLRDHUP (8193)
 * and recv returns 0; poll asked for POLLIN alone gets POLLIN (1), no
 * POLLHUP (this side has not shut down). The child waits on a pipe before it
 * closes, so the order is fixed. */
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>

#include "real.h"

static int sel(int fd, int wr)
{
    fd_set s;
    FD_ZERO(&s);
    FD_SET(fd, &s);
    int n = select(fd + 1, wr ? NULL : &s, wr ? &s : NULL, NULL, NULL);
    if (n < 0)
        die("select");
    return n;
}

static int revents(int fd, short ev)
{
    struct pollfd p = { .fd = fd, .events = ev };
    if (poll(&p, 1, 0) < 0)
        die("poll");
    return p.revents;
}

int main(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 5) < 0 ||
        getsockname(l, (struct sockaddr *)&a, &al) < 0)
        die("listen");
    int go[2];
    if (pipe(go) < 0)
        die("pipe");
    pid_t c = xfork();
    if (c == 0) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(s, (struct sockaddr *)&a, sizeof a) < 0 || send(s, "abcd", 4, 0) != 4)
            _exit(1);
        char x;
        if (read(go[0], &x, 1) != 1)
            _exit(1);
        close(s);
        _exit(0);
    }
    say("select on the listening socket: %d ready", sel(l, 0));
    int s = accept(l, NULL, NULL);
    if (s < 0)
        die("accept");
    say("select on the connection: %d ready", sel(s, 0));
    char buf[16];
    ssize_t n = recv(s, buf, sizeof buf, 0);
    say("recv: %.*s", (int)(n > 0 ? n : 0), buf);
    say("poll after reading it all: %d", revents(s, POLLIN));
    say("select for writing: %d ready", sel(s, 1));
    int ep = epoll_create1(0);
    struct epoll_event e = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = s };
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, s, &e) < 0)
        die("epoll");
    if (write(go[1], "g", 1) != 1)
        die("write");
    struct epoll_event out[2];
    int k = epoll_wait(ep, out, 2, -1);
    say("epoll after the peer closed: %d event, mask %u", k, k == 1 ? out[0].events : 0);
    say("poll asking for POLLIN: %d", revents(s, POLLIN));
    n = recv(s, buf, sizeof buf, 0);
    say("recv returns %d", (int)n);
    int st;
    xwaitpid(c, &st, 0);
    return 0;
}
