/*
 * test_ticks.c - the tick loop's shortcuts give the same runs as the plain
 * rules they replace: one GIL timer per process instead of one per waiting
 * thread, and cfs bookkeeping done once instead of every tick.
 */
#include "helpers.h"

/* The n-th (0-based) drop request: its tick, who asks and whom. */
static void drop_request(const struct sim *x, int n, int64_t *tick, int *by,
                         int *holder)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_GIL_DROP_REQUEST && n-- == 0) {
            *tick = x->tr.ev[i].tick;
            *by = x->tr.ev[i].tid;
            *holder = (int)x->tr.ev[i].a;
            return;
        }
    fail_msg("fewer drop requests than expected");
}

/* Each waiter times out every switch_interval ticks from when it began to
 * wait, and asks at the first time-out that follows one with no hand-over
 * in between. Here threads 3, 4 and 5 all begin waiting in tick 9; main
 * sleeps in tick 10 and hands the GIL to 4 (the first in line), which no
 * one asks for. 5 and 3 time out at 14 (a hand-over since: they wait on)
 * and at 19: both ask then, and the lower tid is first - 3, although 5 is
 * ahead of it in line. From then on the thread that dropped the GIL waits
 * again and is the first to ask, one interval later. The single timer per
 * process must reach the same answers (they are the old per-waiter
 * timers' answers). */
static void test_gil_request_follows_each_waiters_own_interval(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config gil=on switch_interval=5\n"
                  "program a {\n  compute 40\n}\n"
                  "program main {\n  thread a\n  thread a\n  thread a\n"
                  "  compute 7\n  sleep 3\n  compute 30\n}\nspawn main\n");
    sim_at(&x, 80);
    const struct { int64_t tick; int by, holder; } want[] = {
        { 19, 3, 4 }, { 24, 4, 5 }, { 29, 5, 3 }, { 34, 3, 2 }, { 39, 2, 4 },
    };
    for (int i = 0; i < 5; i++) {
        int64_t tick;
        int by, holder;
        drop_request(&x, i, &tick, &by, &holder);
        assert_int_equal(tick, want[i].tick);
        assert_int_equal(by, want[i].by);
        assert_int_equal(holder, want[i].holder);
    }
    sim_free(&x);
}

/* No GIL waiter carries a timer of its own any more. */
static void test_gil_waiters_share_one_timer(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config gil=on\nprogram a {\n  compute 100\n}\n"
                  "program main {\n  repeat 50 {\n    thread a\n  }\n  compute 300\n}\n"
                  "spawn main\n");
    sim_at(&x, 200);
    int waiting = 0;
    for (int i = 0; i < x.snap.ntasks; i++)
        if (x.snap.tasks[i].gil_since >= 0) {
            waiting++;
            assert_int_equal(x.snap.tasks[i].wake_at, -1);
        }
    assert_true(waiting >= 10);
    assert_true(count_events(&x, EV_GIL_DROP_REQUEST, 0) >= 10);
    sim_free(&x);
}

/* min_vruntime is the least vruntime among the running and queued tasks
 * as each CPU's task finishes its tick (and never goes back). A process
 * spawned from outside starts at min_vruntime, so its vruntime shows the
 * value: with 4 CPUs and 7 hogs of different weights it must equal the
 * least of (each running task's vruntime plus its tick) and the queued
 * ones', worked out here from the tick before. */
static void test_min_vruntime_over_cpus_and_queue(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\nprogram hog {\n  compute 1000\n}\n"
                  "spawn hog\nspawn hog nice=3\nspawn hog nice=-2\nspawn hog nice=5\n"
                  "spawn hog nice=1\nspawn hog\nspawn hog nice=-4\n"
                  "spawn hog at=80\n");
    sim_at(&x, 79);
    int64_t want = INT64_MAX;
    for (int i = 0; i < x.snap.ntasks; i++) {
        const struct snap_task *t = &x.snap.tasks[i];
        if (t->pid < 2 || t->state != 'R')
            continue;
        int64_t v = t->vruntime;
        if (t->cpu >= 0)
            v += (int64_t)VR_UNIT * 1024 / t->weight;
        if (v < want)
            want = v;
    }
    if (want < x.snap.min_vruntime)
        want = x.snap.min_vruntime;
    sim_at(&x, 80);
    assert_true(want > x.snap.min_vruntime / 2);
    assert_int_equal(task_of(&x, 9)->vruntime, want);
    assert_int_equal(x.snap.min_vruntime, want);
    sim_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gil_request_follows_each_waiters_own_interval),
        cmocka_unit_test(test_gil_waiters_share_one_timer),
        cmocka_unit_test(test_min_vruntime_over_cpus_and_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
