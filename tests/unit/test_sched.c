/*
 * test_sched.c - the scheduling policies: cfs weights and placement, rr
 * slices, fifo, cooperative mode, several CPUs, and the accounting that
 * `procsim stats` reports.
 */
#include "helpers.h"

#include "sched.h"

/* Which pid CPU c runs during the snapshot's tick, 0 when idle. */
static int on_cpu(const struct sim *x, int c)
{
    int i = x->snap.cpu_task[c];
    return i >= 0 ? x->snap.tasks[i].pid : 0;
}

static void test_weight_table_is_linux(void **state)
{
    (void)state;
    assert_int_equal(sched_weight(0), 1024);
    assert_int_equal(sched_weight(5), 335);
    assert_int_equal(sched_weight(-20), 88761);
    assert_int_equal(sched_weight(19), 15);
    assert_int_equal(sched_weight(1), 820);
}

/* nice 0 vs nice 5 on one CPU: CPU time in the ratio of the weights
 * (1024 / 335 = 3.06; measured on Linux: 3.05). */
static void test_cfs_shares_cpu_by_nice_weight(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program hog {\n  compute 5000\n}\n"
                  "spawn hog\nspawn hog nice=5\n");
    sim_at(&x, 2000);
    double a = (double)task_of(&x, 2)->cpu_ticks;
    double b = (double)task_of(&x, 3)->cpu_ticks;
    assert_true(a + b == 2000);         /* ticks 0..1999 have run */
    assert_true(a / b > 2.95 && a / b < 3.15);
    assert_int_equal(task_of(&x, 3)->weight, 335);
    sim_free(&x);
}

/* Equal weights share equally, switching at least once per latency. */
static void test_cfs_equal_tasks_alternate_within_latency(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program hog {\n  compute 500\n}\nspawn hog\nspawn hog\n");
    int last = 0, longest = 0, run = 0;
    for (int T = 0; T < 200; T++) {
        sim_at(&x, T);
        int p = on_cpu(&x, 0);
        run = p == last ? run + 1 : 1;
        last = p;
        if (run > longest)
            longest = run;
    }
    assert_true(longest <= 12);
    assert_true(longest >= 2);     /* never below min_granularity */
    long d = (long)task_of(&x, 2)->cpu_ticks - (long)task_of(&x, 3)->cpu_ticks;
    assert_true(d >= -12 && d <= 12);
    sim_free(&x);
}

/* A forked child starts at min_vruntime plus a slice: the parent runs on. */
static void test_cfs_child_placed_after_parent(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  fork -> r\n  compute 10\n}\nspawn main\n");
    sim_at(&x, 1);
    assert_int_equal(on_cpu(&x, 0), 2);
    assert_true(task_of(&x, 3)->vruntime > task_of(&x, 2)->vruntime);
    assert_int_equal(task_of(&x, 3)->rq_pos, 0);
    sim_free(&x);
}

/* A sleeper that wakes far behind the running hog preempts it at once. */
static void test_cfs_wakeup_preempts_hog(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program sleeper {\n  sleep 20\n  compute 1\n}\n"
                  "program hog {\n  compute 100\n}\nspawn sleeper\nspawn hog\n");
    sim_at(&x, 20);
    assert_int_equal(on_cpu(&x, 0), 3);
    sim_at(&x, 21);
    assert_int_equal(on_cpu(&x, 0), 2);
    const struct event *e = find_event(&x, EV_PREEMPT, 3);
    assert_non_null(e);
    assert_int_equal(e->reason, PRE_WAKEUP);
    assert_int_equal(e->a, 2);
    assert_int_equal(e->tick, 21);
    sim_free(&x);
}

/* rr: 4-tick slices in turn; accounting as `stats` reports it. */
static void test_rr_slices_and_accounting(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config policy=rr slice=4\nprogram hog {\n  compute 20\n}\n"
                  "spawn hog\nspawn hog\n");
    int want[] = { 2, 2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2, 3 };
    for (int T = 0; T < 13; T++) {
        sim_at(&x, T);
        assert_int_equal(on_cpu(&x, 0), want[T]);
    }
    sim_finish(&x);
    assert_int_equal(machine_tick(x.m), 44);
    const struct proc_record *a = trace_find_proc(&x.tr, 2);
    const struct proc_record *b = trace_find_proc(&x.tr, 3);
    assert_int_equal(a->cpu_ticks, 21);
    assert_int_equal(a->exited - a->created, 41);
    assert_int_equal(a->wait_ticks, 20);
    assert_int_equal(a->nivcsw, 5);
    assert_int_equal(a->nvcsw, 1);
    assert_int_equal(b->first_run - b->created, 4);
    assert_int_equal(b->exited - b->created, 42);
    assert_int_equal(b->wait_ticks, 21);
    sim_free(&x);
}

/* fifo: the first task runs to its end before the second starts. */
static void test_fifo_runs_to_completion(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config policy=fifo\nprogram hog {\n  compute 20\n}\n"
                  "spawn hog\nspawn hog\n");
    sim_at(&x, 20);
    assert_int_equal(on_cpu(&x, 0), 2);
    sim_at(&x, 21);
    assert_int_equal(on_cpu(&x, 0), 3);
    assert_int_equal(task_of(&x, 3)->first_run, 21);
    sim_free(&x);
}

/* fifo: a task that blocks goes to the tail when it wakes. */
static void test_fifo_woken_task_goes_to_tail(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config policy=fifo\n"
                  "program io {\n  sleep 1\n  compute 1\n}\n"
                  "program hog {\n  compute 10\n}\nspawn io\nspawn hog\n");
    sim_at(&x, 2);      /* io woke at 2 but the hog keeps the CPU */
    assert_int_equal(on_cpu(&x, 0), 3);
    assert_int_equal(state_of(&x, 2), 'R');
    assert_int_equal(task_of(&x, 2)->rq_pos, 0);
    sim_free(&x);
}

/* preempt=off: cfs lets a hog keep the CPU until it exits. */
static void test_cooperative_never_preempts(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config preempt=off\nprogram hog {\n  compute 30\n}\n"
                  "spawn hog\nspawn hog\n");
    for (int T = 0; T <= 30; T += 5) {
        sim_at(&x, T);
        assert_int_equal(on_cpu(&x, 0), 2);
    }
    sim_free(&x);
    sim_start(&x, "config preempt=off policy=rr\nprogram hog {\n  compute 30\n}\n"
                  "spawn hog\nspawn hog\n");
    sim_at(&x, 10);
    assert_int_equal(on_cpu(&x, 0), 2);
    sim_free(&x);
}

/* `yield` hands the CPU to the next task (rr: to the tail). */
static void test_yield_gives_cpu_away(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config policy=rr\nprogram polite {\n  yield\n  compute 5\n}\n"
                  "program hog {\n  compute 5\n}\nspawn polite\nspawn hog\n");
    sim_at(&x, 0);
    assert_int_equal(on_cpu(&x, 0), 2);
    sim_at(&x, 1);
    assert_int_equal(on_cpu(&x, 0), 3);
    assert_int_equal(count_events(&x, EV_YIELD, 2), 1);
    sim_free(&x);
}

/* Two CPUs run two hogs in parallel; one CPU takes twice as long. */
static void test_two_cpus_run_in_parallel(void **state)
{
    (void)state;
    const char *src = "program hog {\n  compute 10\n}\nspawn hog\nspawn hog\n";
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    int64_t one = machine_tick(x.m);
    sim_free(&x);

    x.s = load(src);
    struct config cfg = x.s->config;
    cfg.cpus = 2;
    trace_init(&x.tr, 2);
    x.m = machine_new(x.s, &cfg, &x.tr);
    snapshot_init(&x.snap);
    machine_begin_tick(x.m);
    sim_at(&x, 5);
    assert_int_equal(on_cpu(&x, 0), 2);
    assert_int_equal(on_cpu(&x, 1), 3);
    sim_finish(&x);
    int64_t two = machine_tick(x.m);
    assert_int_equal(two, 13);
    assert_true(one >= 24);
    sim_free(&x);
}

static void test_nice_statement_changes_weight(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  nice 5\n  compute 3\n  nice 100\n"
                  "  compute 1\n}\nspawn main\n");
    sim_at(&x, 1);
    assert_int_equal(task_of(&x, 2)->nice, 5);
    assert_int_equal(task_of(&x, 2)->weight, 335);
    sim_at(&x, 5);
    assert_int_equal(task_of(&x, 2)->nice, 19);
    sim_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weight_table_is_linux),
        cmocka_unit_test(test_cfs_shares_cpu_by_nice_weight),
        cmocka_unit_test(test_cfs_equal_tasks_alternate_within_latency),
        cmocka_unit_test(test_cfs_child_placed_after_parent),
        cmocka_unit_test(test_cfs_wakeup_preempts_hog),
        cmocka_unit_test(test_rr_slices_and_accounting),
        cmocka_unit_test(test_fifo_runs_to_completion),
        cmocka_unit_test(test_fifo_woken_task_goes_to_tail),
        cmocka_unit_test(test_cooperative_never_preempts),
        cmocka_unit_test(test_yield_gives_cpu_away),
        cmocka_unit_test(test_two_cpus_run_in_parallel),
        cmocka_unit_test(test_nice_statement_changes_weight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
