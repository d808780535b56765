/* shutdown(SHUT_WR) closes one direction: the peer's recv returns 0 (EOF),
 * yet the peer can still send, and the one that shut down can still
 * receive. A send after its own SHUT_WR fails with EPIPE (SIGPIPE
 * ignored). When the peer closes too, recv returns 0. */
#include "sock_net.h"

static void show(const char *who, int s)
{
    char buf[100];
    ssize_t n = recv(s, buf, sizeof buf, 0);
    if (n < 0)
        die("recv");
    if (n == 0)
        say("%s: recv gives EOF", who);
    else
        say("%s: recv gives %.*s", who, (int)n, buf);
}

int main(void)
{
    int port;
    signal(SIGPIPE, SIG_IGN);
    int ls = listener(5, &port);
    int cl = dial(port);
    if (cl < 0)
        die("connect");
    int conn = xaccept(ls);
    send_all(cl, "request", 7);
    if (shutdown(cl, SHUT_WR) < 0)
        die("shutdown");
    say("client: shutdown SHUT_WR");
    show("server", conn);
    show("server", conn);
    send_all(conn, "reply", 5);
    show("client", cl);
    if (send(cl, "x", 1, 0) < 0)
        say_errno("client: send after SHUT_WR: ", errno);
    else
        unexpected("a send after SHUT_WR went through");
    close(conn);
    show("client", cl);
    close(cl);
    close(ls);
    return 0;
}
