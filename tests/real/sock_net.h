/*
 * sock_net.h - loopback helpers for the tests/real/sock_* programs.
 *
 * Every socket is on 127.0.0.1 with a port the kernel picks (bind to port
 * 0, then getsockname), or a Unix socket in a fresh temporary directory, so
 * the programs never collide with anything else on the machine. Ports vary
 * from run to run, so no program ever prints one.
 */
#ifndef SOCK_NET_H
#define SOCK_NET_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "real.h"

static inline struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static inline int xsocket(int type)
{
    int s = socket(AF_INET, type, 0);
    if (s < 0)
        die("socket");
    return s;
}

/* Bind s to 127.0.0.1 and an ephemeral port; return the port. */
static inline int bind_any(int s)
{
    struct sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0)
        die("bind");
    if (getsockname(s, (struct sockaddr *)&a, &len) < 0)
        die("getsockname");
    return ntohs(a.sin_port);
}

/* A listening TCP socket on an ephemeral loopback port. */
static inline int listener(int backlog, int *port)
{
    int s = xsocket(SOCK_STREAM);
    *port = bind_any(s);
    if (listen(s, backlog) < 0)
        die("listen");
    return s;
}

/* A blocking connect to 127.0.0.1:port; -1 with errno on failure. */
static inline int dial(int port)
{
    int s = xsocket(SOCK_STREAM);
    struct sockaddr_in a = loopback(port);
    if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
        int e = errno;
        close(s);
        errno = e;
        return -1;
    }
    return s;
}

static inline int xaccept(int ls)
{
    int c;
    while ((c = accept(ls, NULL, NULL)) < 0)
        if (errno != EINTR)
            die("accept");
    return c;
}

static inline void set_nonblocking(int s, int on)
{
    int fl = fcntl(s, F_GETFL);
    if (fl < 0 || fcntl(s, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
        die("fcntl");
}

static inline void send_all(int s, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = send(s, buf, n, 0);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            die("send");
        buf += w;
        n -= (size_t)w;
    }
}

/* Bytes waiting in s's receive queue (SIOCINQ). */
static inline int queued(int s)
{
    int n = 0;
    if (ioctl(s, FIONREAD, &n) < 0)
        die("ioctl FIONREAD");
    return n;
}

/* Wait (at most about 5 s) until at least n bytes are queued on s: the way
 * a reader knows that what was sent has arrived, without a sleep that is
 * merely long enough. */
static inline void await_queued(int s, int n)
{
    for (int i = 0; i < 5000; i++) {
        if (queued(s) >= n)
            return;
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    unexpected("only %d of %d bytes ever arrived", queued(s), n);
}

/* Wait (at most 5 s) until poll reports one of the events on s. */
static inline void await_events(int s, short events)
{
    struct pollfd p = { .fd = s, .events = events };
    int r;
    while ((r = poll(&p, 1, 5000)) < 0 && errno == EINTR)
        ;
    if (r != 1 || !(p.revents & events))
        unexpected("poll never reported %#x (revents %#x)", events, p.revents);
}

/* Python's str() of an OSError: "[Errno N] message". */
static inline void say_errno(const char *prefix, int e)
{
    say("%s[Errno %d] %s", prefix, e, strerror(e));
}

#endif
