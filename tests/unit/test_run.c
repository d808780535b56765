/*
 * test_run.c - recorded runs: the state at any tick rebuilt from checkpoints
 * equals the state a straight run shows; copies are independent; the trace
 * timelines agree with the snapshots; check_scenario judges expectations;
 * a command's run keeps only what it asked for, and an idle stretch costs
 * the trace nothing.
 */
#include "helpers.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_at_any_tick_matches_straight_run),
        cmocka_unit_test(test_trace_timelines_match_snapshots),
        cmocka_unit_test(test_clone_is_independent),
        cmocka_unit_test(test_check_reports_failed_expectations),
        cmocka_unit_test(test_event_words),
        cmocka_unit_test(test_keeping_only_what_is_asked),
        cmocka_unit_test(test_idle_ticks_cost_nothing),
        cmocka_unit_test(test_forget_before_keeps_what_is_in_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
