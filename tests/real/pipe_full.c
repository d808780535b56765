/* A full pipe blocks its writer. First a probe: with O_NONBLOCK, records
 * of 4096 bytes are written until the kernel answers EAGAIN, which gives
 * the capacity (65536 bytes since Linux 2.6.11). Then a child writes 17
 * such records the ordinary way: it fills the pipe with 16 and sleeps (S)
 * in the 17th write until the parent reads a record and makes room. The
 * child counts its finished writes in shared memory, so the parent can
 * tell where it sleeps. */
#include <fcntl.h>
#include <sys/mman.h>
#include "real.h"

#define RECORD 4096
#define RECORDS 17

static int probe_capacity(void)
{
    int p[2];
    static char rec[RECORD];
    chan(p);
    if (fcntl(p[1], F_SETFL, O_NONBLOCK) < 0)
        die("fcntl");
    int bytes = 0;
    for (;;) {
        ssize_t n = write(p[1], rec, sizeof rec);
        if (n < 0 && errno == EAGAIN)
            break;
        if (n != RECORD) {
            unexpected("a non-blocking write of %d bytes wrote %d", RECORD, (int)n);
            break;
        }
        bytes += RECORD;
    }
    close(p[0]);
    close(p[1]);
    return bytes;
}

/* Read exactly one record; 0 at EOF. */
static int read_record(int fd)
{
    static char rec[RECORD];
    size_t got = 0;
    while (got < sizeof rec) {
        ssize_t n = read(fd, rec + got, sizeof rec - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die("read");
        if (n == 0)
            break;
        got += (size_t)n;
    }
    if (got != 0 && got != sizeof rec)
        unexpected("a record of %d bytes", (int)got);
    return got != 0;
}

int main(void)
{
    int capacity = probe_capacity();
    volatile int *sent = mmap(NULL, sizeof *sent, PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sent == MAP_FAILED)
        die("mmap");
    int p[2], st;
    chan(p);
    pid_t c = xfork();
    if (c == 0) {
        static char rec[RECORD];
        close(p[0]);
        for (int i = 0; i < RECORDS; i++) {
            if (write(p[1], rec, sizeof rec) != RECORD)
                die("write");
            __atomic_add_fetch(sent, 1, __ATOMIC_SEQ_CST);
        }
        _exit(0);
    }
    close(p[1]);
    /* Wait until the child sleeps with nothing more written: it is then in
     * the write that does not fit. */
    for (int i = 0; i < 5000; i++) {
        int before = __atomic_load_n(sent, __ATOMIC_SEQ_CST);
        if (proc_state(c) == 'S' && __atomic_load_n(sent, __ATOMIC_SEQ_CST) == before
                && before * RECORD >= capacity)
            break;
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    int full = __atomic_load_n(sent, __ATOMIC_SEQ_CST);
    if (full * RECORD != capacity)
        unexpected("the writer stopped after %d records, the probe said %d bytes",
                   full, capacity);
    say("pipe capacity %d bytes", capacity);
    say("the writer sleeps after %d records", full);
    int n = 0;
    while (read_record(p[0]))
        n++;
    say("read %d records, then EOF", n);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    say("writer exited %d", WEXITSTATUS(st));
    return 0;
}
