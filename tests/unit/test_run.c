/*
 * test_run.c - recorded runs: the state at any tick rebuilt from checkpoints
 * equals the state a straight run shows; copies are independent; the trace
 * timelines agree with the snapshots; check_scenario judges expectations.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_at_any_tick_matches_straight_run),
        cmocka_unit_test(test_trace_timelines_match_snapshots),
        cmocka_unit_test(test_clone_is_independent),
        cmocka_unit_test(test_check_reports_failed_expectations),
        cmocka_unit_test(test_event_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
