/*
 * mux-cost.c - what select, poll and epoll_wait cost on this machine (make
 * bench; docs/scenario-language.md, "What multiplexing costs"). The
 * defaults of scan_cost and ready_cost (sim/lang/config.c) come from these
 * figures.
 *
 *   mux-cost [ROUNDS]     measure (default 2000 calls per point) and print
 *                         medians in nanoseconds
 *
 * It opens 1000 pipes (the write ends moved above fd 1100, so the read
 * ends fit under FD_SETSIZE) and, for N = 100 and 1000 of them, times with CLOCK_THREAD_CPUTIME_ID (the caller's CPU, what procsim
 * charges the calling task):
 *   - select over the N idle read ends, timeout 0 (nothing ready);
 *   - poll over the same N, timeout 0;
 *   - epoll_wait on an instance with the N registered and 1 ready (one
 *     pipe has a byte in it), which returns that one.
 * scan_cost is the slope of select's and poll's cost per fd between N=100
 * and N=1000 (the part that grows with the fds watched); ready_cost is
 * epoll_wait's whole cost with 1 event (it does not grow with N: the
 * figure for N=100 and N=1000 is printed to show it). Medians of batches
 * of 100 calls, since a shared machine adds the odd slow batch.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define MAXN 1000
#define BATCH 100

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static int rd[MAXN];

/* Median ns per call of select over rd[0..n). */
static double time_select(int n, int rounds)
{
    double *v = malloc(sizeof *v * (size_t)rounds);
    int maxfd = 0;
    for (int i = 0; i < n; i++)
        if (rd[i] > maxfd)
            maxfd = rd[i];
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (int b = 0; b < BATCH; b++) {
            fd_set s;
            FD_ZERO(&s);
            for (int i = 0; i < n; i++)
                FD_SET(rd[i], &s);
            struct timeval tv = { 0, 0 };
            if (select(maxfd + 1, &s, NULL, NULL, &tv) != 0)
                exit(1);
        }
        v[r] = (now_ns() - t0) / BATCH;
    }
    double m = median(v, rounds);
    free(v);
    return m;
}

static double time_poll(int n, int rounds)
{
    double *v = malloc(sizeof *v * (size_t)rounds);
    struct pollfd *p = malloc(sizeof *p * (size_t)n);
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (int b = 0; b < BATCH; b++) {
            for (int i = 0; i < n; i++)
                p[i] = (struct pollfd){ .fd = rd[i], .events = POLLIN };
            if (poll(p, (nfds_t)n, 0) != 0)
                exit(1);
        }
        v[r] = (now_ns() - t0) / BATCH;
    }
    double m = median(v, rounds);
    free(v);
    free(p);
    return m;
}

/* epoll_wait with rd[0..n) registered, one of them ready. */
static double time_epoll(int n, int rounds, int ready_wr)
{
    int ep = epoll_create1(0);
    for (int i = 0; i < n; i++) {
        struct epoll_event e = { .events = EPOLLIN, .data.fd = rd[i] };
        epoll_ctl(ep, EPOLL_CTL_ADD, rd[i], &e);
    }
    if (write(ready_wr, "x", 1) != 1)
        exit(1);
    double *v = malloc(sizeof *v * (size_t)rounds);
    struct epoll_event out[16];
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (int b = 0; b < BATCH; b++)
            if (epoll_wait(ep, out, 16, 0) != 1)
                exit(1);
        v[r] = (now_ns() - t0) / BATCH;
    }
    char c;
    if (read(rd[0], &c, 1) != 1)
        exit(1);
    close(ep);
    double m = median(v, rounds);
    free(v);
    return m;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) / BATCH : 20;
    if (rounds < 5)
        rounds = 5;
    /* Every pipe keeps its writer open (a read end whose writers are gone
     * is readable: EOF), moved above the read ends so that the 1000 read
     * ends stay below FD_SETSIZE. */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
    if (rl.rlim_cur < 2 * MAXN + 1100 || setrlimit(RLIMIT_NOFILE, &rl) != 0) {
        fprintf(stderr, "mux-cost: needs 3100 fds\n");
        return 1;
    }
    int wr[MAXN];
    for (int i = 0; i < MAXN; i++) {
        int p[2];
        if (pipe(p) != 0) {
            perror("pipe");
            return 1;
        }
        rd[i] = p[0];
        wr[i] = fcntl(p[1], F_DUPFD, 1100);
        close(p[1]);
    }
    printf("N  select_ns  poll_ns  epoll_wait_1_ready_ns\n");
    double s[2], q[2], e[2];
    int ns[2] = { 100, MAXN };
    for (int k = 0; k < 2; k++) {
        s[k] = time_select(ns[k], rounds);
        q[k] = time_poll(ns[k], rounds);
        e[k] = time_epoll(ns[k], rounds, wr[0]);
        printf("%d  %.0f  %.0f  %.0f\n", ns[k], s[k], q[k], e[k]);
    }
    double ds = (s[1] - s[0]) / (MAXN - 100), dq = (q[1] - q[0]) / (MAXN - 100);
    printf("select per fd: %.1f ns; poll per fd: %.1f ns\n", ds, dq);
    printf("scan_cost (mean of the two): %.0f ns per fd watched\n", (ds + dq) / 2);
    printf("ready_cost (epoll_wait, 1 event): %.0f ns\n", (e[0] + e[1]) / 2);
    return 0;
}
