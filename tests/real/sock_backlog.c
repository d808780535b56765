/* listen(1): connections complete before anyone accepts them and wait in
 * the accept queue. Linux lets backlog + 1 in (the queue is full only when
 * it holds more than the backlog); the SYN of the next is dropped and its
 * connect sleeps until a retransmitted SYN (after 1 s) finds room, which
 * one accept makes.
 *
 * Three clients in turn; each says when its connect returned. The server
 * waits for the first two, then for the third to be asleep with nothing
 * said. */
#include "sock_net.h"

static int said[2];

static pid_t client(int port, int k)
{
    pid_t c = xfork();
    if (c == 0) {
        int s = dial(port);
        if (s < 0)
            die("connect");
        say("client %d connected", k);
        post(said);
        char b;
        recv(s, &b, 1, 0);      /* until the server closes */
        _exit(0);
    }
    return c;
}

int main(void)
{
    int port, st;
    chan(said);
    int ls = listener(1, &port);
    pid_t c1 = client(port, 1);
    await(said);
    pid_t c2 = client(port, 2);
    await(said);
    pid_t c3 = client(port, 3);
    await_state(c3, 'S');
    struct timespec ts = { 0, 200000000 };
    nanosleep(&ts, NULL);
    struct pollfd p = { .fd = said[0], .events = POLLIN };
    if (poll(&p, 1, 0) != 0 || proc_state(c3) != 'S')
        unexpected("client 3 connected with the queue full");
    say("client 3 waits in connect");
    int a1 = xaccept(ls);
    say("the server accepts one");
    await(said);
    int a2 = xaccept(ls);
    int a3 = xaccept(ls);
    say("the server accepts two more");
    close(a1);
    close(a2);
    close(a3);
    pid_t cs[3] = { c1, c2, c3 };
    for (int i = 0; i < 3; i++) {
        if (xwaitpid(cs[i], &st, 0) != cs[i])
            die("waitpid");
        report("client", st);
    }
    close(ls);
    return 0;
}
