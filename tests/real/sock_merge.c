/* TCP is a byte stream: two sends that have both arrived before the reader
 * reads come out of one recv ("helloworld"). A recv of 4 takes part of a
 * send and the next recv the rest. The reader knows the bytes have arrived
 * by asking how many are queued (FIONREAD), not by sleeping. */
#include "sock_net.h"

static void show(int c, size_t max)
{
    char buf[100];
    ssize_t n = recv(c, buf, max, 0);
    if (n < 0)
        die("recv");
    say("recv %d: %d bytes %.*s", (int)max, (int)n, (int)n, buf);
}

int main(void)
{
    int port;
    int ls = listener(5, &port);
    int cl = dial(port);
    if (cl < 0)
        die("connect");
    int conn = xaccept(ls);
    send_all(cl, "hello", 5);
    send_all(cl, "world", 5);
    await_queued(conn, 10);
    show(conn, 100);
    send_all(cl, "abcdef", 6);
    await_queued(conn, 6);
    show(conn, 4);
    show(conn, 100);
    close(cl);
    close(conn);
    close(ls);
    return 0;
}
