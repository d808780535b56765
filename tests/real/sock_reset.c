/* Closing a TCP socket with unread data in its receive buffer sends RST,
 * not FIN: the peer's next recv fails with ECONNRESET
 * (ConnectionResetError: [Errno 104] Connection reset by peer). The error
 * is reported once: the recv after it returns 0, and a send fails with
 * EPIPE (SIGPIPE ignored). The client waits for the reset with poll
 * (POLLHUP), not with a sleep. */
#include "sock_net.h"

int main(void)
{
    int port;
    char buf[100];
    signal(SIGPIPE, SIG_IGN);
    int ls = listener(5, &port);
    int cl = dial(port);
    if (cl < 0)
        die("connect");
    int conn = xaccept(ls);
    send_all(cl, "unread", 6);
    await_queued(conn, 6);
    close(conn);
    say("the server closes with 6 bytes unread");
    await_events(cl, POLLHUP);
    ssize_t n = recv(cl, buf, sizeof buf, 0);
    if (n < 0)
        say_errno("recv: ConnectionResetError: ", errno);
    else
        unexpected("recv returned %d", (int)n);
    n = recv(cl, buf, sizeof buf, 0);
    if (n < 0)
        say_errno("recv again: ", errno);
    else
        say("recv again: %d bytes", (int)n);
    n = send(cl, "x", 1, 0);
    if (n < 0)
        say_errno("send: ", errno);
    else
        say("send: %d bytes", (int)n);
    close(cl);
    close(ls);
    return 0;
}
