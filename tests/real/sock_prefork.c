/* A pre-forked server: two children wait in accept on the same listening
 * socket (inherited through fork). Each connection wakes one of them, not
 * both: the accept waiters are woken one at a time (an exclusive wait),
 * and the other goes on sleeping until the next connection. */
#include "sock_net.h"

static int took[2];

/* The pid of the acceptor that says it took a connection. */
static pid_t taker(void)
{
    pid_t who;
    if (read(took[0], &who, sizeof who) != sizeof who)
        die("read");
    return who;
}

static pid_t acceptor(int ls)
{
    pid_t c = xfork();
    if (c == 0) {
        int conn = xaccept(ls);
        pid_t me = getpid();
        if (write(took[1], &me, sizeof me) != sizeof me)
            die("write");
        char b;
        recv(conn, &b, 1, 0);   /* until the client closes */
        _exit(0);
    }
    return c;
}

int main(void)
{
    int port, st;
    chan(took);
    int ls = listener(5, &port);
    pid_t a = acceptor(ls), b = acceptor(ls);
    await_state(a, 'S');
    await_state(b, 'S');
    say("two acceptors wait in accept");
    int c1 = dial(port);
    if (c1 < 0)
        die("connect");
    pid_t first = taker();
    pid_t other = first == a ? b : a;
    struct timespec ts = { 0, 100000000 };
    nanosleep(&ts, NULL);
    struct pollfd p = { .fd = took[0], .events = POLLIN };
    if (poll(&p, 1, 0) != 0 || proc_state(other) != 'S')
        unexpected("the other acceptor did not go on waiting");
    say("one connection: one acceptor takes it, the other still waits");
    int c2 = dial(port);
    if (c2 < 0)
        die("connect");
    if (taker() != other)
        unexpected("the same acceptor took both");
    say("a second connection: the other acceptor takes it");
    close(c1);
    close(c2);
    if (xwaitpid(a, &st, 0) != a || xwaitpid(b, &st, 0) != b)
        die("waitpid");
    say("both acceptors exited");
    close(ls);
    return 0;
}
