/* fork shares a connection: the FIN goes out only when the last copy is
 * closed. The server forks a handler that sends "bye", closes its copy
 * and exits; the server still holds its own. The client reads "bye" and,
 * told that the handler is gone, finds no EOF yet (a non-blocking recv:
 * EAGAIN); once the server closes its copy too, recv returns 0. */
#include "sock_net.h"

int main(void)
{
    int port, st, got[2], gone[2], asked[2];
    chan(got);
    chan(gone);
    chan(asked);
    int ls = listener(5, &port);
    pid_t client = xfork();
    if (client == 0) {
        char buf[100];
        int s = dial(port);
        if (s < 0)
            die("connect");
        ssize_t n = recv(s, buf, sizeof buf, 0);
        if (n <= 0)
            die("recv");
        say("client: recv gives %.*s", (int)n, buf);
        post(got);
        await(gone);
        set_nonblocking(s, 1);
        n = recv(s, buf, sizeof buf, 0);
        if (n < 0 && errno == EAGAIN)
            say("client: no EOF while the server holds a copy");
        else
            unexpected("recv gave %d", (int)n);
        set_nonblocking(s, 0);
        post(asked);
        n = recv(s, buf, sizeof buf, 0);
        say(n == 0 ? "client: EOF once the last copy is closed" : "UNEXPECTED: no EOF");
        _exit(0);
    }
    int conn = xaccept(ls);
    pid_t handler = xfork();
    if (handler == 0) {
        send_all(conn, "bye", 3);
        close(conn);
        _exit(0);
    }
    await(got);
    if (xwaitpid(handler, &st, 0) != handler)
        die("waitpid");
    report("handler", st);
    post(gone);
    await(asked);
    close(conn);
    if (xwaitpid(client, &st, 0) != client)
        die("waitpid");
    report("client", st);
    close(ls);
    return 0;
}
