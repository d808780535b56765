/* UDP keeps datagram boundaries: two datagrams sent before the reader
 * reads come out of two recvfrom calls, each whole. A recvfrom smaller
 * than the datagram takes its start and the rest is lost; the next
 * recvfrom gets the next datagram. The sender's address is 127.0.0.1. */
#include "sock_net.h"

static void show(int r, size_t max)
{
    char buf[100];
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    ssize_t n = recvfrom(r, buf, max, 0, (struct sockaddr *)&from, &len);
    if (n < 0)
        die("recvfrom");
    say("recvfrom %d: %d bytes %.*s from %s", (int)max, (int)n, (int)n, buf,
        inet_ntoa(from.sin_addr));
}

static void to(int s, int port, const char *msg)
{
    struct sockaddr_in a = loopback(port);
    if (sendto(s, msg, strlen(msg), 0, (struct sockaddr *)&a, sizeof a) != (ssize_t)strlen(msg))
        die("sendto");
}

int main(void)
{
    int r = xsocket(SOCK_DGRAM);
    int port = bind_any(r);
    int s = xsocket(SOCK_DGRAM);
    to(s, port, "hello");
    to(s, port, "world");
    to(s, port, "abcdefgh");
    to(s, port, "next");
    await_queued(r, 1);
    show(r, 100);
    show(r, 100);
    show(r, 3);
    show(r, 100);
    close(s);
    close(r);
    return 0;
}
