/*
 * creation-cost.c - what creating a process, a thread and a new program
 * costs on this machine (make bench; docs/scenario-language.md, "What
 * creating a process costs"). The defaults of fork_cost, exec_cost,
 * thread_cost and exit_cost (sim/lang/config.c) come from these figures.
 *
 *   creation-cost [N]     measure, N rounds of each (default 2000), and
 *                         print medians in microseconds
 *
 * For each round it times, with CLOCK_MONOTONIC (wall) and
 * CLOCK_THREAD_CPUTIME_ID (the calling thread's CPU):
 *   - fork + _exit + waitpid: the round trip, and the parent's CPU time in
 *     fork() alone (copying the page tables and the task: what fork_cost
 *     charges the forking task);
 *   - the child's whole CPU time, from wait4's rusage: returning from fork
 *     and exiting (what exit_cost charges);
 *   - pthread_create + pthread_join: the round trip, and the creator's CPU
 *     time in pthread_create() alone (thread_cost);
 *   - fork + execve + waitpid of this same small program, and the time from
 *     the execve call to the new program's main (exec_cost): the child
 *     passes its clocks in argv, the new program writes the difference
 *     down a pipe.
 * Medians, since a shared machine adds the odd slow round.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void *nothing(void *arg)
{
    return arg;
}

/* The program exec'd: argv = self, "--exec-child", wall µs, CPU µs, fd. */
static int exec_child(char **argv)
{
    double wall = now_us(CLOCK_MONOTONIC) - strtod(argv[2], NULL);
    double cpu = now_us(CLOCK_THREAD_CPUTIME_ID) - strtod(argv[3], NULL);
    double out[2] = { wall, cpu };
    int fd = atoi(argv[4]);
    return write(fd, out, sizeof out) == (ssize_t)sizeof out ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "--exec-child"))
        return exec_child(argv);
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    if (n < 1)
        n = 1;
    double *fork_rt = calloc((size_t)n, sizeof(double));
    double *fork_cpu = calloc((size_t)n, sizeof(double));
    double *child_cpu = calloc((size_t)n, sizeof(double));
    double *thr_rt = calloc((size_t)n, sizeof(double));
    double *thr_cpu = calloc((size_t)n, sizeof(double));
    double *exec_rt = calloc((size_t)n, sizeof(double));
    double *exec_wall = calloc((size_t)n, sizeof(double));
    double *exec_cpu = calloc((size_t)n, sizeof(double));
    if (!fork_rt || !fork_cpu || !child_cpu || !thr_rt || !thr_cpu || !exec_rt ||
        !exec_wall || !exec_cpu) {
        perror("calloc");
        return 1;
    }

    for (int i = 0; i < n; i++) {
        double w0 = now_us(CLOCK_MONOTONIC), c0 = now_us(CLOCK_THREAD_CPUTIME_ID);
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        double c1 = now_us(CLOCK_THREAD_CPUTIME_ID);
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        struct rusage ru;
        int st;
        if (wait4(pid, &st, 0, &ru) != pid) {
            perror("wait4");
            return 1;
        }
        fork_rt[i] = now_us(CLOCK_MONOTONIC) - w0;
        fork_cpu[i] = c1 - c0;
        child_cpu[i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
                       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
    }

    for (int i = 0; i < n; i++) {
        pthread_t th;
        double w0 = now_us(CLOCK_MONOTONIC), c0 = now_us(CLOCK_THREAD_CPUTIME_ID);
        int err = pthread_create(&th, NULL, nothing, NULL);
        double c1 = now_us(CLOCK_THREAD_CPUTIME_ID);
        if (err) {
            fprintf(stderr, "pthread_create: %s\n", strerror(err));
            return 1;
        }
        pthread_join(th, NULL);
        thr_rt[i] = now_us(CLOCK_MONOTONIC) - w0;
        thr_cpu[i] = c1 - c0;
    }

    int nexec = n / 4 > 0 ? n / 4 : 1;      /* execs are slower: fewer */
    for (int i = 0; i < nexec; i++) {
        int fds[2];
        if (pipe(fds) < 0) {
            perror("pipe");
            return 1;
        }
        double w0 = now_us(CLOCK_MONOTONIC);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            char wall[64], cpu[64], fd[16];
            snprintf(fd, sizeof fd, "%d", fds[1]);
            char *args[] = { argv[0], "--exec-child", wall, cpu, fd, NULL };
            snprintf(cpu, sizeof cpu, "%.3f", now_us(CLOCK_THREAD_CPUTIME_ID));
            snprintf(wall, sizeof wall, "%.3f", now_us(CLOCK_MONOTONIC));
            execv("/proc/self/exe", args);
            _exit(127);
        }
        close(fds[1]);
        double got[2] = { 0, 0 };
        ssize_t r = read(fds[0], got, sizeof got);
        close(fds[0]);
        int st;
        waitpid(pid, &st, 0);
        if (r != (ssize_t)sizeof got || !WIFEXITED(st) || WEXITSTATUS(st)) {
            fprintf(stderr, "exec round %d failed\n", i);
            return 1;
        }
        exec_rt[i] = now_us(CLOCK_MONOTONIC) - w0;
        exec_wall[i] = got[0];
        exec_cpu[i] = got[1];
    }

    double f_rt = median(fork_rt, n), f_cpu = median(fork_cpu, n);
    double c_cpu = median(child_cpu, n);
    double t_rt = median(thr_rt, n), t_cpu = median(thr_cpu, n);
    double e_rt = median(exec_rt, nexec), e_w = median(exec_wall, nexec);
    double e_cpu = median(exec_cpu, nexec);
    printf("C, medians of %d rounds (execve: %d), microseconds:\n", n, nexec);
    printf("  fork + _exit + waitpid        %8.1f us round trip; parent's CPU in fork() %.1f us\n",
           f_rt, f_cpu);
    printf("  the child's CPU, fork to exit %8.1f us (wait4 rusage)\n", c_cpu);
    printf("  pthread_create + join         %8.1f us round trip; creator's CPU in "
           "pthread_create() %.1f us\n", t_rt, t_cpu);
    printf("  fork + execve + waitpid       %8.1f us round trip; execve to the new "
           "program's main %.1f us (CPU %.1f us)\n", e_rt, e_w, e_cpu);
    printf("  ratios: fork / thread round trip %.1fx; creator's CPU, fork / thread %.1fx\n",
           f_rt / t_rt, f_cpu / t_cpu);
    printf("  as config: fork_cost=%.0fus exec_cost=%.0fus thread_cost=%.0fus "
           "exit_cost=%.0fus\n", f_cpu + 0.5, e_w + 0.5, t_cpu + 0.5, c_cpu + 0.5);
    free(fork_rt); free(fork_cpu); free(child_cpu); free(thr_rt); free(thr_cpu);
    free(exec_rt); free(exec_wall); free(exec_cpu);
    return 0;
}
