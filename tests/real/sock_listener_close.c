/* Closing a listening socket with a connection still in its accept queue:
 * the client's connect had already succeeded, but the kernel resets the
 * connection, and the client's recv fails with ECONNRESET. */
#include "sock_net.h"

int main(void)
{
    int port;
    char buf[10];
    int ls = listener(5, &port);
    int cl = dial(port);
    if (cl < 0)
        die("connect");
    say("the client is connected, nobody accepted it");
    close(ls);
    say("the listening socket is closed");
    await_events(cl, POLLHUP);
    ssize_t n = recv(cl, buf, sizeof buf, 0);
    if (n < 0)
        say_errno("recv: ConnectionResetError: ", errno);
    else
        say("recv: %d bytes", (int)n);
    close(cl);
    return 0;
}
