/*
 * test_run.c - recorded runs: the state at any tick rebuilt from checkpoints
 * equals the state a straight run shows; copies are independent; the trace
 * timelines agree with the snapshots; check_scenario judges expectations;
 * a command's run keeps only what it asked for, and an idle stretch costs
 * the trace nothing.
 */
#include "helpers.h"
#include "kernel.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

/* A long run with forks, sleeps, disk I/O and nice: enough work to take
 * several checkpoints. */
static const char busy_src[] =
    "program worker {\n"
    "  repeat 700 {\n"
    "    compute rand(1, 10)\n"
    "    if rand(0, 1) == 0 {\n      sleep rand(1, 5)\n    } else {\n"
    "      disk rand(1, 3)\n    }\n  }\n}\n"
    "program boss {\n"
    "  repeat 30 {\n    fork worker\n    compute 50\n    wait\n  }\n}\n"
    "spawn worker\nspawn worker nice=3\nspawn boss\nspawn worker at=500\n";

static void assert_same_snapshot(const struct snapshot *a, const struct snapshot *b)
{
    assert_int_equal(a->tick, b->tick);
    assert_int_equal(a->ntasks, b->ntasks);
    assert_int_equal(a->nrunqueue, b->nrunqueue);
    for (int i = 0; i < a->ntasks; i++) {
        const struct snap_task *x = &a->tasks[i], *y = &b->tasks[i];
        assert_int_equal(x->pid, y->pid);
        assert_int_equal(x->ppid, y->ppid);
        assert_int_equal(x->state, y->state);
        assert_int_equal(x->cpu, y->cpu);
        assert_int_equal(x->vruntime, y->vruntime);
        assert_int_equal(x->cpu_ticks, y->cpu_ticks);
        assert_int_equal(x->wait_ticks, y->wait_ticks);
        assert_int_equal(x->pc, y->pc);
        assert_int_equal(x->rq_pos, y->rq_pos);
    }
    for (int i = 0; i < a->nrunqueue; i++)
        assert_int_equal(a->runqueue[i], b->runqueue[i]);
}

static void test_state_at_any_tick_matches_straight_run(void **state)
{
    (void)state;
    struct scenario *s = load(busy_src);
    struct run *r = run_record(s, &s->config);
    assert_non_null(r);
    int64_t end = run_end_tick(r);
    assert_true(end > 20000);
    assert_true(run_checkpoint_count(r) >= 3);

    int64_t ticks[] = { 0, 1, 777, end / 3, end / 2 + 11, end - 2, end - 1 };
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++) {
        struct machine *m = machine_new(s, &s->config, NULL);
        assert_true(machine_advance_to(m, ticks[i]));
        machine_snapshot(m, &a);
        run_state_at(r, ticks[i], &b);
        assert_same_snapshot(&a, &b);
        machine_free(m);
    }
    /* Going backwards gives the same answers. */
    run_state_at(r, end / 2 + 11, &a);
    run_state_at(r, 3, &b);
    run_state_at(r, end / 2 + 11, &b);
    assert_same_snapshot(&a, &b);
    snapshot_free(&a);
    snapshot_free(&b);
    run_free(r);
    scenario_free(s);
}

/* The trace's timelines agree with snapshots: the CPU history and the
 * visible state changes. */
static void test_trace_timelines_match_snapshots(void **state)
{
    (void)state;
    struct scenario *s = load(busy_src);
    struct config cfg = s->config;
    cfg.ticks = 3000;
    cfg.cpus = 2;
    struct run *r = run_record(s, &cfg);
    const struct trace *tr = run_trace(r);
    struct snapshot snap;
    snapshot_init(&snap);
    char seen[64];
    memset(seen, 'X', sizeof seen);
    size_t next = 0;
    for (int64_t T = 0; T < 3000; T += 1) {
        while (next < tr->nstates && tr->states[next].tick <= T) {
            if (tr->states[next].tid < 64)
                seen[tr->states[next].tid] = tr->states[next].state;
            next++;
        }
        if (T % 97)
            continue;
        run_state_at(r, T, &snap);
        for (int c = 0; c < 2; c++) {
            int i = snap.cpu_task[c];
            assert_int_equal(trace_cpu_at(tr, T, c), i >= 0 ? snap.tasks[i].tid : 0);
        }
        for (int i = 0; i < snap.ntasks; i++)
            if (snap.tasks[i].tid < 64)
                assert_int_equal(seen[snap.tasks[i].tid], snap.tasks[i].state);
    }
    snapshot_free(&snap);
    run_free(r);
    scenario_free(s);
}

static void test_clone_is_independent(void **state)
{
    (void)state;
    struct scenario *s = load(busy_src);
    struct machine *m = machine_new(s, &s->config, NULL);
    machine_advance_to(m, 300);
    struct machine *c = machine_clone(m, NULL);
    assert_non_null(c);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    machine_snapshot(m, &a);
    machine_end_tick(c);
    machine_advance_to(c, 900);
    machine_snapshot(m, &b);      /* the original has not moved */
    assert_same_snapshot(&a, &b);
    machine_snapshot(c, &b);
    assert_int_equal(b.tick, 900);
    snapshot_free(&a);
    snapshot_free(&b);
    machine_free(m);
    machine_free(c);
    scenario_free(s);
}

static void test_check_reports_failed_expectations(void **state)
{
    (void)state;
    struct scenario *s = load(
        "program main {\n  compute 3\n  print \"hi\"\n  exit 4\n}\nspawn main\n"
        "expect 1 pid 2 state R\n"
        "expect 1 pid 2 state S\n"
        "expect end pid 2 exit 4\n"
        "expect end pid 2 exit 5\n"
        "expect end output pid 2 \"hi\"\n"
        "expect end output pid 2 \"bye\"\n"
        "expect end ticks <= 100\n"
        "expect end ticks <= 3\n"
        "expect 2 pid 2 ppid 1\n"
        "expect 99 pid 2 state gone\n");
    struct check_result r;
    assert_true(check_scenario(s, &s->config, &r));
    assert_int_equal(r.total, 10);
    assert_int_equal(r.failed, 4);
    assert_int_equal(r.fails[0].exp->pos.line, 8);
    assert_non_null(strstr(r.fails[0].what, "got R"));
    assert_int_equal(r.fails[1].exp->pos.line, 10);
    assert_int_equal(r.fails[2].exp->pos.line, 12);
    assert_int_equal(r.fails[3].exp->pos.line, 14);
    check_result_free(&r);
    scenario_free(s);
}

static void test_event_words(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config policy=rr slice=2\nprogram hog {\n  compute 3\n}\n"
                  "spawn hog\nspawn hog\n");
    sim_finish(&x);
    const struct event *e = find_event(&x, EV_PREEMPT, 2);
    assert_non_null(e);
    char buf[128];
    event_format(&x.tr, x.s, e, buf, sizeof buf);
    assert_string_equal(buf, "pid 2 preempted on cpu0: slice used up");
    e = find_event(&x, EV_REAP, 2);
    event_format(&x.tr, x.s, e, buf, sizeof buf);
    assert_string_equal(buf, "pid 2 reaped by 1 (status 0)");
    e = find_event(&x, EV_SPAWN, 3);
    event_format(&x.tr, x.s, e, buf, sizeof buf);
    assert_string_equal(buf, "pid 3 spawned (hog)");
    sim_free(&x);
}

/* stats keeps the process records only, output the printed lines: every
 * other event, state change and CPU entry is left out, and no checkpoint
 * is taken. */
static void test_keeping_only_what_is_asked(void **state)
{
    (void)state;
    struct scenario *s = load(
        "program kid {\n  compute 3\n  print \"kid\" getpid()\n}\n"
        "program main {\n  fork kid\n  sleep 5\n  print \"main\"\n  wait\n}\n"
        "spawn main\n");
    struct run *all = run_record(s, &s->config);
    struct run *rec = run_record_keeping(s, &s->config, 0);
    struct run *out = run_record_keeping(s, &s->config, TRACE_PRINTS);
    assert_non_null(all);
    assert_non_null(rec);
    assert_non_null(out);
    const struct trace *a = run_trace(all), *r = run_trace(rec), *o = run_trace(out);
    assert_true(a->nev > 10 && a->nstates > 5 && a->ncpu_from > 2);
    assert_int_equal(run_checkpoint_count(rec), 0);
    assert_int_equal(r->nev, 1);                 /* the end of the run */
    assert_int_equal(r->ev[0].kind, EV_END);
    assert_int_equal(r->nstates, 0);
    assert_int_equal(r->ncpu_from, 0);
    assert_int_equal(o->nev, 3);                 /* two prints and the end */
    assert_int_equal(o->ev[0].kind, EV_PRINT);
    assert_string_equal(trace_text(o, &o->ev[0]), "kid 3");
    assert_string_equal(trace_text(o, &o->ev[1]), "main");
    /* The records are the same whatever is kept. */
    assert_int_equal(r->nprocs, a->nprocs);
    for (size_t i = 0; i < a->nprocs; i++) {
        assert_int_equal(r->procs[i].cpu_ticks, a->procs[i].cpu_ticks);
        assert_int_equal(r->procs[i].exited, a->procs[i].exited);
        assert_int_equal(r->procs[i].wait_ticks, a->procs[i].wait_ticks);
    }
    assert_int_equal(run_end_tick(rec), run_end_tick(all));
    run_free(all);
    run_free(rec);
    run_free(out);
    scenario_free(s);
}

/* A million idle ticks cost the trace two CPU entries (it cost 4 bytes a
 * tick per CPU: 3.8 GB for 10^9 ticks), and the CPU history still answers
 * for every tick. */
static void test_idle_ticks_cost_nothing(void **state)
{
    (void)state;
    struct scenario *s = load("config ticks=1000000 cpus=2\n"
                              "program nap {\n  compute 2\n  sleep 2000000\n}\n"
                              "spawn nap\n");
    struct run *r = run_record_keeping(s, &s->config, TRACE_ALL);
    assert_non_null(r);
    const struct trace *tr = run_trace(r);
    assert_int_equal(run_end_tick(r), 1000000);
    assert_true(tr->ncpu_from <= 3);
    assert_int_equal(trace_cpu_at(tr, 0, 0), 2);
    assert_int_equal(trace_cpu_at(tr, 1, 0), 2);
    assert_int_equal(trace_cpu_at(tr, 2, 0), 2);    /* sleep takes its tick */
    assert_int_equal(trace_cpu_at(tr, 3, 0), 0);
    assert_int_equal(trace_cpu_at(tr, 1, 1), 0);
    assert_int_equal(trace_cpu_at(tr, 777777, 0), 0);
    assert_int_equal(trace_cpu_at(tr, 1000000, 0), 0);   /* past the end */
    run_free(r);
    scenario_free(s);
}

/* procsim run forgets what it printed: what is left still answers for the
 * ticks after, including the CPU entry in force. */
static void test_forget_before_keeps_what_is_in_force(void **state)
{
    (void)state;
    struct scenario *s = load("config policy=rr slice=3\n"
                              "program hog {\n  compute 20\n}\nspawn hog\nspawn hog\n");
    struct run *r = run_record_keeping(s, &s->config, TRACE_ALL);
    struct trace *tr = (struct trace *)run_trace(r);
    int want[45];
    for (int T = 0; T < 45; T++)
        want[T] = trace_cpu_at(tr, T, 0);
    size_t first, nev = tr->nev;
    size_t later = nev - (trace_events_at(tr, 10, &first), first);
    trace_forget_before(tr, 10);
    assert_int_equal(tr->nev, later);
    assert_true(tr->nev > 0 && tr->ev[0].tick >= 10);
    for (size_t i = 0; i < tr->nstates; i++)
        assert_true(tr->states[i].tick >= 10);
    for (int T = 10; T < 45; T++)
        assert_int_equal(trace_cpu_at(tr, T, 0), want[T]);
    run_free(r);
    scenario_free(s);
}

/* ---- every tick of every lesson, asked for in random order ------------- */

/* A digest of everything a snapshot shows (pointers only by what they
 * name), so a straight run's every tick can be kept and compared. */
static uint64_t mix(uint64_t h, int64_t v)
{
    return (h ^ (uint64_t)v) * 0x100000001b3ULL;
}

static uint64_t snapshot_digest(const struct snapshot *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = mix(h, s->tick);
    h = mix(h, s->done);
    h = mix(h, s->ntasks);
    h = mix(h, s->nrunqueue);
    for (int c = 0; c < s->ncpus; c++)
        h = mix(h, s->cpu_task[c]);
    for (int i = 0; i < s->nrunqueue; i++)
        h = mix(h, s->runqueue[i]);
    for (int i = 0; i < s->ntasks; i++) {
        const struct snap_task *t = &s->tasks[i];
        int64_t f[] = { t->tid, t->pid, t->ppid, t->pgid, t->sid, t->nthreads,
                        t->state, t->cpu, t->wake_at, t->rq_pos, t->nice,
                        t->weight, t->vruntime, t->slice, t->ran, t->prog,
                        t->pc, t->line, t->left, t->cpu_ticks,
                        t->proc_cpu_ticks, t->wait_ticks, t->created,
                        t->first_run, t->nvcsw, t->nivcsw, t->nchildren,
                        t->exit_status, t->pending, t->blocked,
                        t->handler_sig, t->alarm_at, t->subreaper,
                        t->wait_obj, t->join_tid, t->daemon, t->holds_gil,
                        t->gil_holder, t->gil_drop_request, t->gil_since,
                        t->storing };
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            h = mix(h, f[k]);
        for (int k = 0; k < NSIG_MAX; k++)
            h = mix(h, t->sigact[k]);
        for (const char *c = t->wchan; c && *c; c++)
            h = mix(h, *c);
    }
    for (int i = 0; i < s->nobjects; i++) {
        const struct snap_object *o = &s->objects[i];
        int64_t f[] = { o->value, o->owner_tid, o->count, o->nwaiting, o->last_writer,
                        o->last_write, o->lost_at, o->first_item, o->nitems };
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            h = mix(h, f[k]);
    }
    for (int i = 0; i < s->nitems; i++)
        h = mix(h, s->items[i]);
    return h;
}

static char *slurp(const char *path, size_t *len)
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

static uint64_t lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x >> 33;
}

#define MAX_TICKS_CHECKED 4000

/* The digest of every tick of a straight run (the state during it, as
 * machine_begin_tick leaves it), up to the run's end; returns the count. */
static int64_t straight_digests(const struct scenario *s, uint64_t *out, int64_t max)
{
    struct machine *m = machine_new(s, &s->config, NULL);
    assert_non_null(m);
    struct snapshot snap;
    snapshot_init(&snap);
    int64_t n = 0;
    while (n < max && machine_begin_tick(m)) {
        machine_snapshot(m, &snap);
        assert_int_equal(snap.tick, n);
        out[n++] = snapshot_digest(&snap);
        machine_end_tick(m);
    }
    snapshot_free(&snap);
    machine_free(m);
    return n;
}

/* Clones, and clones of clones, go on exactly as the original does. */
static void check_clones_of_clones(const char *path, const struct scenario *s, int64_t at)
{
    struct machine *m = machine_new(s, &s->config, NULL);
    assert_non_null(m);
    machine_advance_to(m, at);
    struct machine *c1 = machine_clone(m, NULL);
    assert_non_null(c1);
    struct machine *c2 = machine_clone(c1, NULL);
    assert_non_null(c2);
    struct machine *ms[] = { m, c1, c2 };
    struct snapshot snap;
    snapshot_init(&snap);
    for (int k = 0; k < 200; k++) {
        uint64_t d[3];
        for (int i = 0; i < 3; i++) {
            machine_snapshot(ms[i], &snap);
            d[i] = snapshot_digest(&snap);
        }
        for (int pid = 0; pid < s->config.pid_max; pid++)
            if (proc_slot(c2, pid) != proc_slot(m, pid) || proc_slot(c1, pid) != proc_slot(m, pid))
                fail_msg("%s: tick %lld: pid %d maps to a different slot in a clone",
                         path, (long long)machine_tick(m), pid);
        if (d[1] != d[0] || d[2] != d[0])
            fail_msg("%s: a clone made at tick %lld differs at tick %lld", path,
                     (long long)at, (long long)machine_tick(m));
        if (machine_status(m) != MS_RUNNING)
            break;
        bool more[3];
        for (int i = 0; i < 3; i++) {
            machine_end_tick(ms[i]);
            more[i] = machine_begin_tick(ms[i]);
        }
        assert_true(more[1] == more[0] && more[2] == more[0]);
        if (!more[0])
            break;
    }
    snapshot_free(&snap);
    machine_free(c2);
    machine_free(c1);
    machine_free(m);
}

/* run_state_at at every tick, in random order with runs of steps forward
 * (the window's stepping), equals a straight run at that tick. */
static void check_file_every_tick(const char *path)
{
    size_t len;
    char *src = slurp(path, &len);
    assert_non_null(src);
    struct diag d;
    struct scenario *s = scenario_parse(path, src, len, &d);
    if (!s)
        fail_msg("%s:%d:%d: %s", path, d.line, d.col, d.msg);
    uint64_t *want = malloc(MAX_TICKS_CHECKED * sizeof *want);
    int64_t *order = malloc(MAX_TICKS_CHECKED * sizeof *order);
    assert_non_null(want);
    assert_non_null(order);
    int64_t n = straight_digests(s, want, MAX_TICKS_CHECKED);
    struct run *r = run_record(s, &s->config);
    assert_non_null(r);
    struct snapshot snap;
    snapshot_init(&snap);
    uint64_t x = 12345;
    for (int64_t i = 0; i < n; i++)
        order[i] = i;
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)(lcg(&x) % (uint64_t)(i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int64_t i = 0; i < n; i++) {
        /* Now and then, step forward a few ticks from there, or ask again. */
        int64_t steps = lcg(&x) % 4 == 0 ? (int64_t)(lcg(&x) % 6) : 0;
        for (int64_t t = order[i]; t <= order[i] + steps && t < n; t++) {
            if (t == order[i] && lcg(&x) % 8 == 0)
                run_state_at(r, t, &snap);
            run_state_at(r, t, &snap);
            if (snapshot_digest(&snap) != want[t])
                fail_msg("%s: the state at tick %lld differs from a straight run",
                         path, (long long)t);
        }
    }
    if (n > 0) {
        check_clones_of_clones(path, s, 0);
        check_clones_of_clones(path, s, n / 2);
        check_clones_of_clones(path, s, n - 1);
    }
    snapshot_free(&snap);
    run_free(r);
    free(order);
    free(want);
    scenario_free(s);
    free(src);
}

static int check_dir_every_tick(const char *dirname)
{
    DIR *dir = opendir(dirname);
    assert_non_null(dir);
    int files = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".scn"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dirname, e->d_name);
        check_file_every_tick(path);
        files++;
    }
    closedir(dir);
    return files;
}

static void test_state_at_every_tick_of_every_lesson(void **state)
{
    (void)state;
    assert_true(check_dir_every_tick("scenarios") >= 30);
    assert_true(check_dir_every_tick("fuzz/runtime-regressions") >= 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_at_any_tick_matches_straight_run),
        cmocka_unit_test(test_trace_timelines_match_snapshots),
        cmocka_unit_test(test_clone_is_independent),
        cmocka_unit_test(test_state_at_every_tick_of_every_lesson),
        cmocka_unit_test(test_check_reports_failed_expectations),
        cmocka_unit_test(test_event_words),
        cmocka_unit_test(test_keeping_only_what_is_asked),
        cmocka_unit_test(test_idle_ticks_cost_nothing),
        cmocka_unit_test(test_forget_before_keeps_what_is_in_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
