/* A caught signal interrupts select, poll and epoll_wait: the handler runs,
 * then the call fails with EINTR (none of them is ever restarted, whatever
 * SA_RESTART says: signal(7)). The pipe is never written, so only the
 * signal can end the wait; alarm(1) sends it. */
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "real.h"

static void handler(int sig)
{
    (void)sig;
    say("handler runs");
}

int main(void)
{
    on(SIGALRM, handler);
    int p[2];
    if (pipe(p) < 0)
        die("pipe");
    alarm(1);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    int n = select(p[0] + 1, &r, NULL, NULL, NULL);
    say("select returns %d %s", n, n < 0 && errno == EINTR ? "EINTR" : "?");
    alarm(1);
    struct pollfd q = { .fd = p[0], .events = POLLIN };
    n = poll(&q, 1, -1);
    say("poll returns %d %s", n, n < 0 && errno == EINTR ? "EINTR" : "?");
    int ep = epoll_create1(0);
    struct epoll_event e = { .events = EPOLLIN, .data.fd = p[0] };
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e) < 0)
        die("epoll");
    alarm(1);
    n = epoll_wait(ep, &e, 1, -1);
    say("epoll_wait returns %d %s", n, n < 0 && errno == EINTR ? "EINTR" : "?");
    return 0;
}
