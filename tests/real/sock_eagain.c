/* Non-blocking sockets: a call that would block fails at once with EAGAIN
 * (BlockingIOError: [Errno 11] in Python): accept with no connection
 * queued, recv with nothing to read. Once the data has arrived recv takes
 * it, and the next recv fails again. */
#include "sock_net.h"

int main(void)
{
    int port;
    char buf[100];
    int ls = listener(5, &port);
    set_nonblocking(ls, 1);
    if (accept(ls, NULL, NULL) >= 0)
        unexpected("accept found a connection");
    else
        say_errno("accept: ", errno);
    int cl = dial(port);
    if (cl < 0)
        die("connect");
    await_events(ls, POLLIN);
    int conn = accept(ls, NULL, NULL);
    if (conn < 0)
        die("accept");
    say("accept: a connection");
    set_nonblocking(conn, 1);
    ssize_t n = recv(conn, buf, sizeof buf, 0);
    if (n >= 0)
        unexpected("recv got %d bytes", (int)n);
    else
        say_errno("recv: ", errno);
    send_all(cl, "hi", 2);
    await_queued(conn, 2);
    n = recv(conn, buf, sizeof buf, 0);
    if (n < 0)
        die("recv");
    say("recv: %.*s", (int)n, buf);
    n = recv(conn, buf, sizeof buf, 0);
    if (n >= 0)
        unexpected("recv got %d bytes", (int)n);
    else
        say_errno("recv: ", errno);
    close(cl);
    close(conn);
    close(ls);
    return 0;
}
