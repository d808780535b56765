/*
 * ticks.c - the benchmark driver for `make bench` (see bench/run.sh).
 *
 *   ticks FILE [KEY=VALUE...]
 *                       parse FILE (with these config overrides), run it to
 *                       the end without a trace; print
 *                       "setup_ms loop_ms ticks procs bytes_per_proc maxrss_kb"
 *   state FILE N SEED   record FILE (run_record), then rebuild the state at
 *                       N random ticks; print "record_ms median_ms max_ms ticks checkpoints"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "machine.h"
#include "run.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct scenario *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    struct diag d;
    struct scenario *s = scenario_parse(path, buf, (size_t)n, &d);
    free(buf);
    if (!s)
        fprintf(stderr, "%s:%d:%d: %s\n", path, d.line, d.col, d.msg);
    return s;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int ticks(const char *path, char **sets, int nsets)
{
    double t0 = now_ms();
    struct scenario *s = load(path);
    if (!s)
        return 1;
    struct config cfg = s->config;
    for (int i = 0; i < nsets; i++) {
        char *eq = strchr(sets[i], '=');
        const char *msg = eq ? (*eq = '\0', config_set(&cfg, sets[i], eq + 1)) : "KEY=VALUE";
        if (msg) {
            fprintf(stderr, "%s: %s\n", sets[i], msg);
            return 2;
        }
    }
    struct machine *m = machine_new(s, &cfg, NULL);
    /* Tick 0 starts every spawned process: count it as set-up. */
    machine_begin_tick(m);
    machine_end_tick(m);
    int procs = machine_task_count(m);
    double t1 = now_ms();
    while (machine_begin_tick(m))
        machine_end_tick(m);
    double t2 = now_ms();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%.2f %.2f %lld %d %zu %ld\n", t1 - t0, t2 - t1, (long long)machine_tick(m),
           procs, machine_bytes_per_process(m), ru.ru_maxrss);
    machine_free(m);
    scenario_free(s);
    return 0;
}

static int state(const char *path, int n, unsigned seed)
{
    struct scenario *s = load(path);
    if (!s)
        return 1;
    double t0 = now_ms();
    struct run *r = run_record(s, &s->config);
    double t1 = now_ms();
    int64_t end = run_end_tick(r);
    double *ms = malloc((size_t)n * sizeof *ms);
    struct snapshot snap;
    snapshot_init(&snap);
    srand(seed);
    for (int i = 0; i < n; i++) {
        int64_t t = (int64_t)(((double)rand() / RAND_MAX) * (double)(end - 1));
        double a = now_ms();
        run_state_at(r, t, &snap);
        ms[i] = now_ms() - a;
        if (snap.tick != t) {
            fprintf(stderr, "state at %lld came back as %lld\n", (long long)t,
                    (long long)snap.tick);
            return 1;
        }
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    printf("%.1f %.3f %.3f %lld %zu\n", t1 - t0, ms[n / 2], ms[n - 1], (long long)end,
           run_checkpoint_count(r));
    snapshot_free(&snap);
    free(ms);
    run_free(r);
    scenario_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "ticks"))
        return ticks(argv[2], argv + 3, argc - 3);
    if (argc == 5 && !strcmp(argv[1], "state"))
        return state(argv[2], atoi(argv[3]), (unsigned)atoi(argv[4]));
    fprintf(stderr, "usage: ticks ticks FILE [KEY=VALUE...] | ticks state FILE N SEED\n");
    return 2;
}
