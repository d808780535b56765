/*
 * test_cpus.c - several CPUs share the work: a runnable task never waits,
 * and no task is preempted, while a CPU idles (Linux's select_idle_sibling
 * finds the idle CPU at wake-up). Checked at every tick of every scenario
 * in scenarios/ and of generated multi-CPU stress scenarios.
 */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

/* Which pid CPU c runs during the snapshot's tick, 0 when idle. */
static int on_cpu(const struct sim *x, int c)
{
    int i = x->snap.cpu_task[c];
    return i >= 0 ? x->snap.tasks[i].pid : 0;
}

/* The first idle CPU during the snapshot's tick, or -1. */
static int idle_cpu(const struct snapshot *s)
{
    for (int c = 0; c < s->ncpus; c++)
        if (s->cpu_task[c] < 0)
            return c;
    return -1;
}

/* Did a task leave a CPU after event i, in the same step 3 (it died, ended,
 * stopped or waits for its GIL)? Only that can idle a CPU after a task
 * was preempted in step 3. */
static bool left_a_cpu_after(const struct trace *tr, size_t i)
{
    for (size_t j = i + 1; j < tr->nev; j++)
        if (tr->ev[j].kind == EV_EXIT || tr->ev[j].kind == EV_THREAD_END ||
            tr->ev[j].kind == EV_GIL_WAIT ||
            (tr->ev[j].kind == EV_SIG_DEFAULT && tr->ev[j].reason == ACT_STOP))
            return true;
    return false;
}

/* Run `src` to its end and check, after step 3 of every tick, that a CPU
 * idles only when nothing waits in the run queue, and that nobody was
 * preempted in that tick while a CPU idles (unless a task left a CPU after
 * the preemption, in step 3 itself). Returns the ticks run. */
static int64_t check_work_conserving(const char *name, const char *src,
                                     size_t len)
{
    struct diag d;
    struct scenario *s = scenario_parse(name, src, len, &d);
    if (!s)
        fail_msg("%s:%d:%d: %s", name, d.line, d.col, d.msg);
    struct trace tr;
    trace_init(&tr, s->config.cpus);
    struct machine *m = machine_new(s, &s->config, &tr);
    assert_non_null(m);
    struct snapshot snap;
    snapshot_init(&snap);
    for (;;) {
        size_t first = tr.nev;
        if (!machine_begin_tick(m))
            break;
        machine_snapshot(m, &snap);
        int idle = idle_cpu(&snap);
        if (idle >= 0 && snap.nrunqueue > 0) {
            print_message("%.*s", (int)len, src);
            fail_msg("%s: tick %lld: cpu%d idles while pid %d waits in the run queue",
                     name, (long long)snap.tick, idle,
                     snap.tasks[snap.runqueue[0]].pid);
        }
        for (size_t i = first; idle >= 0 && i < tr.nev; i++)
            if (tr.ev[i].kind == EV_PREEMPT && !left_a_cpu_after(&tr, i)) {
                print_message("%.*s", (int)len, src);
                fail_msg("%s: tick %lld: pid %d preempted on cpu%lld while cpu%d idles",
                         name, (long long)snap.tick, tr.ev[i].pid,
                         (long long)tr.ev[i].b, idle);
            }
        machine_end_tick(m);
    }
    int64_t ticks = machine_tick(m);
    snapshot_free(&snap);
    machine_free(m);
    trace_free(&tr);
    scenario_free(s);
    return ticks;
}

static char *read_file(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Every lesson, on its own CPU count and on 1 to 4 more. */
static void test_scenarios_never_idle_a_cpu_with_work_queued(void **state)
{
    (void)state;
    DIR *dir = opendir("scenarios");
    assert_non_null(dir);
    int files = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".scn"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "scenarios/%s", e->d_name);
        size_t len;
        char *src = read_file(path, &len);
        assert_non_null(src);
        check_work_conserving(path, src, len);
        /* The same file with more CPUs: a later `config` line wins. */
        for (int cpus = 2; cpus <= 5; cpus++) {
            char *more = malloc(len + 64);
            assert_non_null(more);
            memcpy(more, src, len);
            int k = snprintf(more + len, 64, "\nconfig cpus=%d\n", cpus);
            check_work_conserving(path, more, len + (size_t)k);
            free(more);
        }
        free(src);
        files++;
    }
    closedir(dir);
    assert_true(files >= 30);
}

/* ---- generated stress scenarios --------------------------------------- */

struct gen {
    char buf[8192];
    size_t n;
    uint64_t rng;
};

static int gen_rand(struct gen *g, int lo, int hi)
{
    g->rng = g->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (int)((g->rng >> 33) % (uint64_t)(hi - lo + 1));
}

static void put(struct gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void put(struct gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(g->buf + g->n, sizeof g->buf - g->n, fmt, ap);
    va_end(ap);
    assert_true(k >= 0 && (size_t)k < sizeof g->buf - g->n);
    g->n += (size_t)k;
}

/* One statement that computes, blocks, wakes someone or makes a task. */
static void gen_statement(struct gen *g, int prog, int depth)
{
    switch (gen_rand(g, 0, depth ? 8 : 12)) {
    case 0: case 1: put(g, "  compute %d\n", gen_rand(g, 1, 20)); break;
    case 2: put(g, "  sleep %d\n", gen_rand(g, 1, 8)); break;
    case 3: put(g, "  disk %d\n", gen_rand(g, 1, 5)); break;
    case 4: put(g, "  yield\n"); break;
    case 5: put(g, "  sem.acquire\n  compute %d\n  sem.release\n", gen_rand(g, 1, 15)); break;
    case 6: put(g, "  lk.acquire\n  compute %d\n  lk.release\n", gen_rand(g, 1, 6)); break;
    case 7: put(g, "  ev.set\n"); break;
    case 8: put(g, "  nice %d\n", gen_rand(g, -5, 5)); break;
    case 9: put(g, "  fork p%d -> c\n  wait\n", prog + 1); break;
    case 10: put(g, "  thread p%d -> t\n  join t\n", prog + 1); break;
    case 11: put(g, "  signal SIGUSR1 h\n"); break;
    case 12: put(g, "  kill 0 SIGUSR1\n"); break;
    }
}

/* A scenario of 3 programs; p0 and p1 may start the next one (the last
 * one only computes and sleeps), so there is no unbounded recursion. */
static const char *gen_scenario(struct gen *g, int seed)
{
    static const char *policy[] = { "cfs", "rr", "fifo" };
    g->n = 0;
    g->rng = (uint64_t)seed * 2654435761u + 1;
    /* One call per statement: the order of a call's arguments is not
     * defined, and every compiler must build the same scenarios. */
    int cpus = gen_rand(g, 2, 6);
    int pol = gen_rand(g, 0, 2);
    bool preempt = gen_rand(g, 0, 3) != 0;
    bool gil = gen_rand(g, 0, 3) == 0;
    put(g, "config cpus=%d policy=%s preempt=%s gil=%s ticks=3000\n",
        cpus, policy[pol], preempt ? "on" : "off", gil ? "on" : "off");
    put(g, "semaphore sem %d\nlock lk\nevent ev\n", gen_rand(g, 1, 3));
    put(g, "handler h {\n  compute %d\n}\n", gen_rand(g, 1, 3));
    for (int p = 0; p < 3; p++) {
        put(g, "program p%d {\n", p);
        int n = gen_rand(g, 2, 6);
        for (int i = 0; i < n; i++)
            gen_statement(g, p, p == 2);
        put(g, "}\n");
    }
    int spawns = gen_rand(g, 2, 9);
    for (int i = 0; i < spawns; i++) {
        int prog = gen_rand(g, 0, 1);
        put(g, "spawn p%d at=%d\n", prog, gen_rand(g, 0, 10));
    }
    /* Signals from outside: they kill, stop and continue tasks during
     * step 3, which frees CPUs and wakes parents. */
    static const char *sig[] = { "SIGUSR1", "SIGTERM", "SIGSTOP", "SIGCONT",
                                 "SIGKILL", "SIGINT" };
    int kills = gen_rand(g, 0, 6);
    for (int i = 0; i < kills; i++) {
        int at = gen_rand(g, 1, 60);
        int pid = gen_rand(g, 2, 12);
        put(g, "at %d kill %d %s\n", at, pid, sig[gen_rand(g, 0, 5)]);
    }
    return g->buf;
}

static void test_stress_never_idles_a_cpu_with_work_queued(void **state)
{
    (void)state;
    static struct gen g;
    int64_t total = 0;
    for (int seed = 1; seed <= 1000; seed++) {
        const char *src = gen_scenario(&g, seed);
        char name[32];
        snprintf(name, sizeof name, "stress-%d.scn", seed);
        total += check_work_conserving(name, src, g.n);
    }
    assert_true(total > 1000 * 10);   /* the scenarios did run */
}

/* The case the issue names: on 2 CPUs, a task that releases a semaphore
 * after computing 15 ticks wakes the waiter; cpu1 idles, so the waiter
 * goes there and the releaser keeps cpu0, with no preemption and no swap. */
static void test_released_waiter_takes_the_idle_cpu(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\nsemaphore s 1\n"
                  "program a {\n  s.acquire\n  compute 15\n  s.release\n  compute 20\n}\n"
                  "program b {\n  s.acquire\n  compute 5\n}\n"
                  "spawn a\nspawn b\n");
    sim_at(&x, 1);
    assert_int_equal(on_cpu(&x, 0), 2);
    assert_int_equal(on_cpu(&x, 1), 0);      /* b waits on the semaphore */
    sim_at(&x, 17);                          /* a released it in tick 16 */
    assert_int_equal(on_cpu(&x, 0), 2);
    assert_int_equal(on_cpu(&x, 1), 3);
    assert_int_equal(count_events(&x, EV_PREEMPT, 0), 0);
    sim_finish(&x);
    assert_int_equal(count_events(&x, EV_PREEMPT, 0), 0);
    sim_free(&x);
}

/* A task that wakes goes back to the CPU it last ran on when that CPU
 * idles, as select_idle_sibling prefers prev_cpu: the napper started on
 * cpu2 and stays there although cpu0 idles too once `quick` has ended. */
static void test_woken_task_returns_to_its_idle_cpu(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=3\n"
                  "program quick {\n  compute 1\n}\n"
                  "program hog {\n  compute 40\n}\n"
                  "program napper {\n  repeat 5 {\n    compute 2\n    sleep 3\n  }\n}\n"
                  "spawn quick\nspawn hog\nspawn napper\n");
    sim_at(&x, 0);
    assert_int_equal(on_cpu(&x, 2), 4);
    int ran = 0;
    for (int T = 1; T < 25; T++) {
        sim_at(&x, T);
        assert_int_equal(on_cpu(&x, 1), 3);
        assert_true(on_cpu(&x, 0) != 4);
        ran += on_cpu(&x, 2) == 4;
    }
    assert_true(ran >= 8);
    sim_free(&x);
}

/* Two sleepers wake in the same tick while one CPU idles: the first gets
 * the idle CPU, the second finds none free and preempts the hog that has
 * run far ahead of it (check_preempt_wakeup), in that same tick - it does
 * not wait for the hog's slice to end. */
static void test_second_wakee_preempts_when_the_idle_cpu_is_taken(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\n"
                  "program hog {\n  compute 100\n}\n"
                  "program sleeper {\n  sleep 30 - now()\n  compute 5\n}\n"
                  "spawn hog\nspawn sleeper\nspawn sleeper\n");
    sim_at(&x, 31);
    assert_true(on_cpu(&x, 0) == 3 || on_cpu(&x, 0) == 4);
    assert_true(on_cpu(&x, 1) == 3 || on_cpu(&x, 1) == 4);
    const struct event *e = find_event(&x, EV_PREEMPT, 2);
    assert_non_null(e);
    assert_int_equal(e->tick, 31);
    assert_int_equal(e->reason, PRE_WAKEUP);
    sim_free(&x);
}

/* Ticks in which some task of pid is shown on a CPU (R* in the table, a
 * CPU in ps), over the whole run, and the CPU time the run's record gives
 * the process in the end (stats, the summary). */
static void shown_and_charged(const char *src, int pid, int64_t *shown,
                              int64_t *charged)
{
    struct sim x;
    sim_start(&x, src);
    *shown = 0;
    for (int64_t T = 0; machine_status(x.m) == MS_RUNNING; T++) {
        sim_at(&x, T);
        if (x.snap.done || x.snap.tick != T)
            break;
        for (int c = 0; c < x.snap.ncpus; c++)
            if (x.snap.cpu_task[c] >= 0 && x.snap.tasks[x.snap.cpu_task[c]].pid == pid)
                ++*shown;
    }
    sim_finish(&x);
    *charged = -1;
    for (size_t i = 0; i < x.tr.nprocs; i++)
        if (x.tr.procs[i].pid == pid)
            *charged = x.tr.procs[i].cpu_ticks;
    sim_free(&x);
}

/* Linux charges a task the time it was on the CPU (update_curr, called
 * when it is dequeued), even if a sibling on another CPU ends it (do_exit
 * -> zap_other_threads) or a stop signal stops it in that tick. procsim
 * runs the CPUs of one tick in order: a thread on cpu1 ended by its main
 * thread's exit on cpu0 is shown R* in that tick and must be charged. */
static void test_task_ended_mid_tick_is_charged(void **state)
{
    (void)state;
    int64_t shown, charged;
    shown_and_charged("config cpus=2\n"
        "program worker {\n  compute 10\n}\n"
        "program main {\n  thread worker -> t\n  compute 2\n  exit 0\n}\n"
        "spawn main\n", 2, &shown, &charged);
    assert_int_equal(shown, 7);     /* main 0-3, the worker 1-3 */
    assert_int_equal(charged, shown);
    /* Stopped in the same tick by another process on an earlier CPU: the
     * target's main thread sleeps, so SIGSTOP stops the process at once
     * (do_signal_stop for a sleeper), its running thread included. */
    shown_and_charged("config cpus=2\n"
        "program spin {\n  compute 10\n}\n"
        "program target {\n  thread spin -> t\n  sleep 20\n}\n"
        "program stopper {\n  compute 4\n  kill 3 SIGSTOP\n}\n"
        "spawn stopper\nspawn target\n", 3, &shown, &charged);
    assert_int_equal(shown, 5);     /* main 0-1, spin 2-4 on cpu1 */
    assert_int_equal(charged, shown);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_released_waiter_takes_the_idle_cpu),
        cmocka_unit_test(test_woken_task_returns_to_its_idle_cpu),
        cmocka_unit_test(test_second_wakee_preempts_when_the_idle_cpu_is_taken),
        cmocka_unit_test(test_scenarios_never_idle_a_cpu_with_work_queued),
        cmocka_unit_test(test_stress_never_idles_a_cpu_with_work_queued),
        cmocka_unit_test(test_task_ended_mid_tick_is_charged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
