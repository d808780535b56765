/* A reader asleep in recv (S) is woken by what its peer does: first by
 * bytes, then, asleep again, by the peer's close, and recv returns 0.
 * The reader tells the parent (through a pipe) each time it has printed;
 * the parent then waits until it sleeps, which it can only do in recv. */
#include "sock_net.h"

int main(void)
{
    int said[2], st, port;
    chan(said);
    int ls = listener(5, &port);
    pid_t c = xfork();
    if (c == 0) {
        char buf[100];
        int s = dial(port);
        if (s < 0)
            die("connect");
        for (;;) {
            ssize_t n = recv(s, buf, sizeof buf, 0);
            if (n < 0)
                die("recv");
            if (n == 0) {
                say("reader: EOF");
                break;
            }
            say("reader: %.*s", (int)n, buf);
            post(said);
        }
        _exit(0);
    }
    int conn = xaccept(ls);
    await_state(c, 'S');
    say("the reader sleeps in recv");
    send_all(conn, "wake up", 7);
    await(said);
    await_state(c, 'S');
    say("the reader sleeps in recv again");
    close(conn);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("reader", st);
    close(ls);
    return 0;
}
