/* Writing to a TCP connection whose peer has closed: the first send
 * succeeds (the bytes go out, and the peer's kernel answers with a reset);
 * the next fails with EPIPE. With SIGPIPE ignored (what CPython does) the
 * send returns the error, BrokenPipeError in Python; at its default action
 * SIGPIPE kills the sender (status -13).
 *
 * Each round: the server accepts and closes at once; the client waits for
 * the EOF (recv returns 0), sends one byte, waits until poll reports the
 * reset (POLLHUP), then sends again. */
#include "sock_net.h"

static void round_trip(int ls, int port, int ignore)
{
    pid_t c = xfork();
    if (c == 0) {
        char b;
        signal(SIGPIPE, ignore ? SIG_IGN : SIG_DFL);
        int s = dial(port);
        if (s < 0)
            die("connect");
        if (recv(s, &b, 1, 0) != 0)
            unexpected("no EOF from the closed peer");
        say("the client sees EOF");
        ssize_t n = send(s, "x", 1, 0);
        if (n < 0)
            say_errno("first send: ", errno);
        else
            say("first send: %d bytes", (int)n);
        await_events(s, POLLHUP);
        n = send(s, "x", 1, 0);
        if (n < 0)
            say_errno("second send: BrokenPipeError: ", errno);
        else
            unexpected("the second send went through (%d bytes)", (int)n);
        _exit(0);
    }
    int conn = xaccept(ls);
    close(conn);
    int st;
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("client", st);
}

int main(void)
{
    int port;
    int ls = listener(5, &port);
    say("with SIGPIPE ignored");
    round_trip(ls, port, 1);
    say("with SIGPIPE at its default action");
    round_trip(ls, port, 0);
    close(ls);
    return 0;
}
