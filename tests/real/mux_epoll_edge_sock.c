/* The edge-triggered trap on a socket (epoll(7)): a Unix stream socketpair
 * with two bytes waiting, read one at a time.
 *  - level-triggered: epoll_wait reports the socket while anything is left;
 *  - edge-triggered: reported once; after a recv of one byte, epoll_wait
 *    with a timeout returns 0 events although a byte is still there (recv
 *    does not notify: nothing new arrived);
 *  - new bytes from the peer are a new edge. */
#include <sys/epoll.h>
#include <sys/socket.h>

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
    int sv[2];
    char b;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        die("socketpair");
    if (send(sv[1], "ab", 2, 0) != 2)
        die("send");
    int lt = instance(sv[0], EPOLLIN);
    say("level: %d event", ready(lt, 0));
    if (recv(sv[0], &b, 1, 0) != 1)
        die("recv");
    say("level, one byte left: %d event", ready(lt, 0));
    if (recv(sv[0], &b, 1, 0) != 1)
        die("recv");
    say("level, empty: %d events", ready(lt, 0));
    close(lt);

    if (send(sv[1], "ab", 2, 0) != 2)
        die("send");
    int et = instance(sv[0], EPOLLIN | EPOLLET);
    say("edge: %d event", ready(et, 0));
    if (recv(sv[0], &b, 1, 0) != 1)
        die("recv");
    say("edge, one byte left, waits 50 ms: %d events", ready(et, 50));
    if (send(sv[1], "c", 1, 0) != 1)
        die("send");
    say("edge, after a new send: %d event", ready(et, 0));
    say("edge, again: %d events", ready(et, 0));
    return 0;
}
