/* epoll, level- vs edge-triggered, on a pipe with two bytes in it (two
 * messages in the scenario), read one at a time:
 *  - level-triggered: epoll_wait reports the fd while anything is left;
 *  - edge-triggered (EPOLLET): reported once (it was ready when added);
 *    after reading one byte, epoll_wait with a timeout returns 0 events
 *    although a byte is still there: epoll(7)'s example of a reader that
 *    reads part of the data and waits again, for ever without a timeout;
 *  - a new write is a new edge: reported again;
 *  - EPOLLONESHOT: reported once, then silent until EPOLL_CTL_MOD. */
#include <sys/epoll.h>

#include "real.h"

static int ready(int ep, int timeout_ms)
{
    struct epoll_event ev[4];
    int n = epoll_wait(ep, ev, 4, timeout_ms);
    if (n < 0)
        die("epoll_wait");
    return n;
}

static int instance(int fd, unsigned events)
{
    int ep = epoll_create1(0);
    struct epoll_event e = { .events = events, .data.fd = fd };
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) < 0)
        die("epoll");
    return ep;
}

int main(void)
{
    int p[2];
    char b;
    if (pipe(p) < 0)
        die("pipe");
    if (write(p[1], "ab", 2) != 2)
        die("write");
    int lt = instance(p[0], EPOLLIN);
    say("level: %d event", ready(lt, 0));
    if (read(p[0], &b, 1) != 1)
        die("read");
    say("level, one byte left: %d event", ready(lt, 0));
    if (read(p[0], &b, 1) != 1)
        die("read");
    say("level, empty: %d events", ready(lt, 0));
    close(lt);

    if (write(p[1], "ab", 2) != 2)
        die("write");
    int et = instance(p[0], EPOLLIN | EPOLLET);
    say("edge: %d event", ready(et, 0));
    if (read(p[0], &b, 1) != 1)
        die("read");
    say("edge, one byte left, waits 50 ms: %d events", ready(et, 50));
    if (write(p[1], "c", 1) != 1)
        die("write");
    say("edge, after a new write: %d event", ready(et, 0));
    say("edge, again: %d events", ready(et, 0));
    close(et);

    int os = instance(p[0], EPOLLIN | EPOLLONESHOT);
    say("oneshot: %d event", ready(os, 0));
    say("oneshot, again: %d events", ready(os, 0));
    struct epoll_event e = { .events = EPOLLIN | EPOLLONESHOT, .data.fd = p[0] };
    if (epoll_ctl(os, EPOLL_CTL_MOD, p[0], &e) < 0)
        die("epoll_ctl");
    say("oneshot, after modify: %d event", ready(os, 0));
    return 0;
}
