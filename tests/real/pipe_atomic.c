/* PIPE_BUF atomicity: four writers share one pipe and each writes 50
 * records of PIPE_BUF (4096) bytes, all at once, far more than the pipe
 * holds, so they sleep and wake in turn. POSIX makes each write of at most
 * PIPE_BUF bytes atomic: the reader, taking 4096 bytes at a time, must find
 * every record whole (one writer's bytes only) and each writer's records in
 * the order it wrote them. How the writers' records alternate is up to the
 * scheduler, so only these facts are printed. (Larger writes may be split
 * and interleaved; whether they are in a given run is timing, so that is
 * not checked here.) */
#include <limits.h>
#include "real.h"

#define WRITERS 4
#define RECORDS 50

static void writer(int p[2], int go[2], int k)
{
    static unsigned char rec[PIPE_BUF];
    close(p[0]);
    await(go);
    for (int i = 0; i < RECORDS; i++) {
        memset(rec, k, sizeof rec);
        rec[1] = (unsigned char)i;
        if (write(p[1], rec, sizeof rec) != PIPE_BUF)
            die("write");
    }
    _exit(0);
}

/* Read exactly one record into rec; 0 at EOF. */
static int read_record(int fd, unsigned char *rec)
{
    size_t got = 0;
    while (got < PIPE_BUF) {
        ssize_t n = read(fd, rec + got, PIPE_BUF - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die("read");
        if (n == 0)
            break;
        got += (size_t)n;
    }
    if (got != 0 && got != PIPE_BUF)
        unexpected("a record of %d bytes at EOF", (int)got);
    return got == PIPE_BUF;
}

int main(void)
{
    int p[2], go[2];
    pid_t kids[WRITERS];
    if (PIPE_BUF != 4096)
        unexpected("PIPE_BUF is %d", PIPE_BUF);
    chan(p);
    chan(go);
    for (int k = 1; k <= WRITERS; k++) {
        kids[k - 1] = xfork();
        if (kids[k - 1] == 0)
            writer(p, go, k);
    }
    close(p[1]);
    for (int k = 0; k < WRITERS; k++)
        post(go);

    static unsigned char rec[PIPE_BUF];
    int in_order[WRITERS + 1] = { 0 }, torn = 0, n = 0;
    while (read_record(p[0], rec)) {
        n++;
        int k = rec[0], whole = k >= 1 && k <= WRITERS;
        for (int j = 2; whole && j < PIPE_BUF; j++)
            whole = rec[j] == k;
        if (!whole)
            torn++;
        else if (rec[1] == in_order[k])
            in_order[k]++;
    }
    for (int k = 1; k <= WRITERS; k++)
        say("writer %d: %d whole records in order", k, in_order[k]);
    say("torn records: %d", torn);
    say("%d records, then EOF", n);
    for (int k = 0; k < WRITERS; k++) {
        int st;
        if (xwaitpid(kids[k], &st, 0) != kids[k])
            die("waitpid");
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            unexpected("writer %d ended with status %#x", k + 1, st);
    }
    return 0;
}
