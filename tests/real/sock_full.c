/* A full send buffer blocks the sender. The server accepts and never
 * reads. The client, non-blocking, sends records of 1000 bytes until the
 * kernel answers EAGAIN: the peer's receive buffer and its own send buffer
 * are full. Back in blocking mode its next send sleeps (S) until the server
 * reads. How many bytes fit depends on the kernel's buffer sizes, so only
 * the outcome is printed. The client counts its steps in shared memory so
 * the server can tell where it sleeps. */
#include <sys/mman.h>
#include "sock_net.h"

#define RECORD 1000

int main(void)
{
    int port, st;
    static char rec[RECORD];
    volatile int *step = mmap(NULL, sizeof *step, PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (step == MAP_FAILED)
        die("mmap");
    int ls = listener(5, &port);
    pid_t c = xfork();
    if (c == 0) {
        int s = dial(port);
        if (s < 0)
            die("connect");
        set_nonblocking(s, 1);
        for (;;) {
            ssize_t n = send(s, rec, sizeof rec, 0);
            if (n < 0 && errno == EAGAIN)
                break;
            if (n < 0)
                die("send");
        }
        say_errno("non-blocking send: BlockingIOError: ", EAGAIN);
        set_nonblocking(s, 0);
        __atomic_store_n(step, 1, __ATOMIC_SEQ_CST);
        send_all(s, rec, sizeof rec);
        __atomic_store_n(step, 2, __ATOMIC_SEQ_CST);
        say("the blocking send went through");
        close(s);
        _exit(0);
    }
    int conn = xaccept(ls);
    /* The client is in its blocking send once it has said step 1 and
     * sleeps; it stays there while nobody reads. */
    int asleep = 0;
    for (int i = 0; i < 5000 && !asleep; i++) {
        asleep = __atomic_load_n(step, __ATOMIC_SEQ_CST) == 1 && proc_state(c) == 'S';
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    if (!asleep)
        unexpected("the client never slept in its blocking send");
    struct timespec ts = { 0, 50000000 };
    nanosleep(&ts, NULL);
    if (__atomic_load_n(step, __ATOMIC_SEQ_CST) != 1 || proc_state(c) != 'S')
        unexpected("the blocking send finished with nobody reading");
    say("the client sleeps in send");
    char buf[4096];
    ssize_t n;
    long total = 0;
    while ((n = recv(conn, buf, sizeof buf, 0)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die("recv");
        total += n;
    }
    say("the server read everything, then EOF");
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("client", st);
    close(conn);
    close(ls);
    return total > 0 ? 0 : 1;
}
