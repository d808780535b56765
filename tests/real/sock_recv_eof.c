/* recv returns 0 (b'' in Python) once the peer has closed and everything
 * it sent has been read. The client connects, sends "hello", closes and
 * exits; the server, after waiting for it, reads the 5 bytes and then 0
 * twice: EOF stays EOF. */
#include "sock_net.h"

static void show_recv(int c)
{
    char buf[100];
    ssize_t n = recv(c, buf, sizeof buf, 0);
    if (n < 0)
        die("recv");
    if (n == 0)
        say("recv: 0 bytes, EOF");
    else
        say("recv: %d bytes %.*s", (int)n, (int)n, buf);
}

int main(void)
{
    int port, st;
    int ls = listener(5, &port);
    pid_t c = xfork();
    if (c == 0) {
        int s = dial(port);
        if (s < 0)
            die("connect");
        send_all(s, "hello", 5);
        close(s);
        _exit(0);
    }
    int conn = xaccept(ls);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("client", st);
    show_recv(conn);
    show_recv(conn);
    show_recv(conn);
    close(conn);
    close(ls);
    return 0;
}
