/*
 * test_limits.c - what random valid scenarios found at the edges: very
 * long operator chains, times of INT64_MAX ticks, the CPU time of threads,
 * and the response time of a process stopped before it ran.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

/* "program p {\n  print 1 OP 1 OP ... 1\n}\nspawn p\n" with `terms` 1s. */
static char *chain(const char *op, int terms)
{
    size_t cap = (size_t)terms * (strlen(op) + 3) + 64;
    char *src = malloc(cap);
    assert_non_null(src);
    size_t n = (size_t)snprintf(src, cap, "program p {\n  print 1");
    for (int i = 1; i < terms; i++)
        n += (size_t)snprintf(src + n, cap - n, " %s 1", op);
    snprintf(src + n, cap - n, "\n}\nspawn p\n");
    return src;
}

static const char *const chain_ops[] = { "+", "-", "*", "and", "or", "/" };

/* 50,000 terms overflowed the evaluator's stack; now the file is refused
 * at load time, at the first operator past the limit. */
static void test_operator_chain_past_the_limit_is_a_load_error(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof chain_ops / sizeof *chain_ops; i++) {
        char *src = chain(chain_ops[i], 50000);
        struct diag d;
        struct scenario *s = scenario_parse("t.scn", src, strlen(src), &d);
        assert_null(s);
        assert_int_equal(d.line, 2);
        /* "  print 1" then " OP 1" per operator: the 1001st operator */
        assert_int_equal(d.col, 10 + 1000 * ((int)strlen(chain_ops[i]) + 3) + 1);
        assert_string_equal(d.msg, "expression too long (at most 1000 operators)");
        free(src);
    }
}

/* At the limit, every chain loads and evaluates (under ASan too). */
static void test_operator_chain_at_the_limit_runs(void **state)
{
    (void)state;
    const char *want[] = { "1001", "-999", "1", "1", "1", "1" };
    for (size_t i = 0; i < sizeof chain_ops / sizeof *chain_ops; i++) {
        char *src = chain(chain_ops[i], 1001);
        struct sim x;
        sim_start(&x, src);
        sim_finish(&x);
        assert_string_equal(printed(&x, 2, 0), want[i]);
        sim_free(&x);
        free(src);
    }
    /* Operators inside parentheses count too: 1,001 in two groups. */
    char src[8192];
    size_t n = (size_t)snprintf(src, sizeof src, "program p {\n  let x = (1");
    for (int i = 0; i < 1001; i++)
        n += (size_t)snprintf(src + n, sizeof src - n, i == 500 ? ") + (1" : " + 1");
    snprintf(src + n, sizeof src - n, ")\n}\nspawn p\n");
    struct diag d;
    assert_null(scenario_parse("t.scn", src, strlen(src), &d));
    assert_string_equal(d.msg, "expression too long (at most 1000 operators)");
}

/* sleep, disk and alarm of INT64_MAX ticks last "forever": the `ticks`
 * limit ends the run first (they overflowed: the sleep ended after one
 * tick and the alarm rang at once). */
static void test_int64_max_sleep_disk_and_alarm_last_forever(void **state)
{
    (void)state;
    const char *src =
        "config ticks=60\n"
        "program sleeper {\n  sleep 9223372036854775807\n  print \"woke\"\n}\n"
        "program reader {\n  disk 9223372036854775807\n  print \"read\"\n}\n"
        "program alarmed {\n  alarm 9223372036854775807\n  pause\n  print \"rang\"\n}\n"
        "program edge {\n  compute 3\n  sleep 9223372036854775806\n  print \"woke\"\n}\n"
        "spawn sleeper\nspawn reader\nspawn alarmed\nspawn edge\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 50);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_int_equal(state_of(&x, 3), 'D');
    assert_int_equal(state_of(&x, 4), 'S');
    assert_int_equal(state_of(&x, 5), 'S');
    assert_int_equal(task_of(&x, 2)->wake_at, INT64_MAX);
    assert_int_equal(task_of(&x, 4)->alarm_at, INT64_MAX);
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_TICK_LIMIT);
    assert_int_equal(machine_tick(x.m), 60);
    assert_int_equal(count_events(&x, EV_PRINT, 0), 0);
    assert_int_equal(count_events(&x, EV_ALARM, 0), 0);
    sim_free(&x);
}

/* A process's CPU time is the sum of its threads', ended ones included
 * (gil-threads.scn reported 1.4% utilisation for two CPU-bound threads). */
static void test_process_cpu_time_sums_its_threads(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=3\n"
                  "program work {\n  compute 30\n}\n"
                  "program main {\n  thread work -> a\n  thread work -> b\n"
                  "  join a\n  join b\n  compute 5\n}\nspawn main\n");
    sim_at(&x, 20);
    const struct snap_task *t = task_of(&x, 2);
    int64_t sum = 0;
    for (int i = 0; i < x.snap.ntasks; i++)
        if (x.snap.tasks[i].pid == 2)
            sum += x.snap.tasks[i].cpu_ticks;
    assert_true(sum > 30);
    assert_int_equal(t->proc_cpu_ticks, sum);
    sim_finish(&x);
    const struct proc_record *r = trace_find_proc(&x.tr, 2);
    /* main: 2 starts, 2 joins, 5 computes, its exit; each thread 30 + its end */
    assert_true(r->cpu_ticks >= 2 * 30 + 5);
    int64_t main_alone = 0;
    for (int T = 0; T < machine_tick(x.m); T++)
        for (int c = 0; c < 3; c++)
            main_alone += trace_cpu_at(&x.tr, T, c) == 2;
    int64_t all = 0;
    for (int T = 0; T < machine_tick(x.m); T++)
        for (int c = 0; c < 3; c++) {
            int tid = trace_cpu_at(&x.tr, T, c);
            all += tid != 0 && tid != 1;
        }
    assert_true(r->cpu_ticks > main_alone);
    assert_int_equal(r->cpu_ticks, all);
    sim_free(&x);
}

/* Response = first tick it ran - creation: a process stopped by Ctrl-Z
 * before it ran first runs when `fg` continues it (it was 0). */
static void test_response_of_a_process_stopped_before_it_ran(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program p {\n  compute 3\n}\nspawn p\nat 0 ctrl-z\nat 5 fg\n");
    sim_at(&x, 2);
    assert_int_equal(state_of(&x, 2), 'T');
    assert_int_equal(task_of(&x, 2)->first_run, -1);
    sim_at(&x, 5);
    assert_int_equal(task_of(&x, 2)->first_run, 5);
    sim_finish(&x);
    const struct proc_record *r = trace_find_proc(&x.tr, 2);
    assert_int_equal(r->first_run - r->created, 5);
    sim_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operator_chain_past_the_limit_is_a_load_error),
        cmocka_unit_test(test_operator_chain_at_the_limit_runs),
        cmocka_unit_test(test_int64_max_sleep_disk_and_alarm_last_forever),
        cmocka_unit_test(test_process_cpu_time_sums_its_threads),
        cmocka_unit_test(test_response_of_a_process_stopped_before_it_ran),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
