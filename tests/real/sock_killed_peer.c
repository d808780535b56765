/* A process killed by SIGKILL does not close its sockets; the kernel does,
 * as for any exit, and sends FIN: the peer's recv returns 0 as after an
 * orderly close. The peer's next send goes through and draws RST; the one
 * after fails with EPIPE (SIGPIPE ignored). */
#include "sock_net.h"

int main(void)
{
    int port, st, ready[2];
    char buf[10];
    signal(SIGPIPE, SIG_IGN);
    chan(ready);
    int ls = listener(5, &port);
    pid_t server = xfork();
    if (server == 0) {
        int conn = xaccept(ls);
        (void)conn;
        post(ready);
        for (;;)
            pause();
    }
    close(ls);
    int s = dial(port);
    if (s < 0)
        die("connect");
    await(ready);
    kill(server, SIGKILL);
    if (xwaitpid(server, &st, 0) != server)
        die("waitpid");
    report("server", st);
    ssize_t n = recv(s, buf, sizeof buf, 0);
    say("recv: %d bytes", (int)n);
    n = send(s, "x", 1, 0);
    say("send: %d bytes", (int)n);
    await_events(s, POLLHUP);
    if (send(s, "x", 1, 0) < 0)
        say_errno("send: BrokenPipeError: ", errno);
    else
        unexpected("the second send went through");
    close(s);
    return 0;
}
