/*
 * test_calls.c - `call PROG(args) -> VAR` (issue 12): results, time,
 * exceptions unwinding through calls, calls in threads, handlers and a
 * forked child, and the errors for recursion and depth.
 */
#include "helpers.h"

#include <stdio.h>

#include "kernel.h"

static void run_all(struct sim *x, const char *src)
{
    sim_start(x, src);
    sim_finish(x);
}

static void test_call_returns_a_value_and_takes_only_its_statements_time(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program square(n) {\n  compute 3\n  return n * n\n}\n"
                "program none {\n  compute 1\n}\n"
                "program main {\n  call square(7) -> r\n  print now() r\n"
                "  call none -> z\n  print z\n}\nspawn main\n");
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    /* the call itself is untimed: compute 3 is ticks 0..2, print in 3 */
    assert_string_equal(printed(&x, 2, 0), "3 49");
    assert_string_equal(printed(&x, 2, 1), "None");
    sim_free(&x);
}

static void test_an_exception_unwinds_through_calls_to_the_callers_try(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program inner(n) {\n  if n < 0 {\n    raise ValueError \"neg\"\n  }\n"
                "  return n\n}\n"
                "program outer(n) {\n  call inner(n) -> v\n  print \"not reached\"\n}\n"
                "program main {\n  try {\n    call outer(-1)\n  } except ValueError as e {\n"
                "    print \"caught\" e\n  }\n  call inner(5) -> w\n  print w\n}\nspawn main\n");
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    assert_string_equal(printed(&x, 2, 0), "caught neg");
    assert_string_equal(printed(&x, 2, 1), "5");      /* the stack was unwound */
    assert_null(printed(&x, 2, 2));
    sim_free(&x);
}

static void test_a_return_inside_a_try_leaves_the_try(void **state)
{
    (void)state;
    struct sim x;
    /* If the try of f stayed on the stack, main's raise would jump into f. */
    run_all(&x, "program f {\n  try {\n    return 1\n  } except {\n    print \"f caught\"\n  }\n}\n"
                "program main {\n  call f -> r\n  try {\n    raise ValueError \"x\"\n"
                "  } except ValueError {\n    print \"main caught\" r\n  }\n}\nspawn main\n");
    assert_string_equal(printed(&x, 2, 0), "main caught 1");
    assert_null(printed(&x, 2, 1));
    sim_free(&x);
}

static void test_an_uncaught_exception_in_a_call_ends_the_process_with_1(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program f {\n  raise TypeError \"bad\"\n}\n"
                "program main {\n  call f\n  print \"not reached\"\n}\nspawn main\n");
    assert_non_null(strstr(printed(&x, 2, 0), "line 2, in f: TypeError: bad"));
    assert_null(printed(&x, 2, 1));
    const struct event *e = find_event(&x, EV_EXIT, 2);
    assert_non_null(e);
    assert_int_equal(e->a, 1);
    sim_free(&x);
}

static void test_threads_and_handlers_call_with_their_own_frames(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program twice(n) {\n  compute 2\n  return n * 2\n}\n"
                "handler h {\n  call twice(100) -> hv\n  print \"handler\" hv\n}\n"
                "program t {\n  call twice(5) -> a\n  print \"thread\" a\n}\n"
                "program main {\n  signal SIGUSR1 h\n  thread t -> tid\n"
                "  call twice(1) -> b\n  kill getpid() SIGUSR1\n  print \"main\" b\n  join tid\n}\n"
                "spawn main\n");
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    int found = 0;
    for (int i = 0; i < 4; i++) {
        const char *p = printed(&x, 2, i);
        if (!p)
            continue;
        found += !strcmp(p, "handler 200") + !strcmp(p, "main 2");
    }
    assert_int_equal(found, 2);
    sim_free(&x);
}

static void test_a_plain_fork_in_a_call_returns_in_both(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program f {\n  fork -> pid\n  return pid\n}\n"
                "program main {\n  call f -> r\n  if r == 0 {\n    print \"child\"\n"
                "  } else {\n    wait\n    print \"parent\"\n  }\n}\nspawn main\n");
    assert_string_equal(printed(&x, 3, 0), "child");
    assert_string_equal(printed(&x, 2, 0), "parent");
    sim_free(&x);
}

static void test_recursion_and_depth_stop_the_run_with_an_error(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program f(n) {\n  compute 1\n  call f(n + 1)\n}\n"
                "program main {\n  call f(0)\n}\nspawn main\n");
    assert_int_equal(machine_status(x.m), MS_ERROR);
    assert_non_null(strstr(machine_error(x.m)->msg, "recursion"));
    sim_free(&x);

    char src[2048];
    int n = 0;
    for (int i = 0; i < 10; i++)
        n += snprintf(src + n, sizeof src - (size_t)n,
                      "program p%d {\n  compute 1\n  call p%d\n}\n", i, i + 1);
    snprintf(src + n, sizeof src - (size_t)n,
             "program p10 {\n  compute 1\n}\nprogram main {\n  call p0\n}\nspawn main\n");
    run_all(&x, src);
    assert_int_equal(machine_status(x.m), MS_ERROR);
    assert_non_null(strstr(machine_error(x.m)->msg, "nested more than 8"));
    sim_free(&x);
}

/* issue 14: a def's frames. A recursive def sleeps at the bottom; the
 * snapshot shows the calls under way (each caller and the line of its
 * call), each frame keeps its own n, and the results add up. */
static const char *const sum_src =
    "config python=on\n"
    "def sum_to(n) {\n"
    "  if n == 0 {\n"
    "    sleep 10\n"
    "    return 0\n"
    "  }\n"
    "  call sum_to(n - 1) -> r\n"
    "  return r + n\n"
    "}\n"
    "program __main__ {\n"
    "  call sum_to(20) -> s\n"
    "  print s\n"
    "}\n"
    "spawn __main__\n";

static void test_def_frames_recurse_and_show_in_snapshots(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, sum_src);
    sim_at(&x, 5);                     /* asleep at the bottom */
    const struct snap_task *t = task_of(&x, 2);
    assert_non_null(t);
    assert_int_equal(t->state, 'S');
    assert_int_equal(t->ncalls, 21);   /* __main__ and 20 sum_to callers */
    assert_int_equal(t->line, 4);      /* the sleep */
    assert_string_equal(x.s->programs[t->prog].name, "sum_to");
    for (int i = 0; i < SNAP_CALLS; i++) {
        assert_string_equal(x.s->programs[t->calls[i].prog].name, "sum_to");
        assert_int_equal(t->calls[i].line, 7);
    }
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "210");
    sim_free(&x);
}

/* A checkpoint taken in the middle of the recursion (machine_clone copies
 * the frames) goes on to the same result, and the original is untouched. */
static void test_def_frames_survive_a_clone(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, sum_src);
    sim_at(&x, 5);
    struct machine *c = machine_clone(x.m, NULL);
    assert_non_null(c);
    struct snapshot cs;
    snapshot_init(&cs);
    for (int64_t T = 6; machine_status(x.m) == MS_RUNNING && T < 40; T++) {
        sim_at(&x, T);
        machine_end_tick(c);
        machine_begin_tick(c);
        machine_snapshot(c, &cs);
        assert_int_equal(cs.ntasks, x.snap.ntasks);
        for (int i = 0; i < cs.ntasks; i++) {
            assert_int_equal(cs.tasks[i].state, x.snap.tasks[i].state);
            assert_int_equal(cs.tasks[i].line, x.snap.tasks[i].line);
            assert_int_equal(cs.tasks[i].ncalls, x.snap.tasks[i].ncalls);
        }
    }
    assert_int_equal(machine_status(c), machine_status(x.m));
    snapshot_free(&cs);
    machine_free(c);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "210");
    sim_free(&x);
}

/* Frame locals hold heap values: the collector must keep them while the
 * def allocates garbage (the ASan build collects every tick). */
static void test_def_frame_locals_survive_collection(void **state)
{
    (void)state;
    expect_output("config python=on\n"
                  "def keep(n) {\n"
                  "  s = \"kept \" + str(n)\n"
                  "  t = [s, (n, s)]\n"
                  "  i = 0\n"
                  "  while i < 3000 {\n"
                  "    g = str(i) + \"garbage\"\n"
                  "    i = i + 1\n"
                  "    sleep 0\n"
                  "    if i % 500 == 0 {\n"
                  "      sleep 1\n"
                  "    }\n"
                  "  }\n"
                  "  return t\n"
                  "}\n"
                  "program __main__ {\n"
                  "  call keep(7) -> r\n"
                  "  print r\n"
                  "}\n"
                  "spawn __main__\n",
                  2, (const char *const[]){ "['kept 7', (7, 'kept 7')]", NULL });
}

/* Runaway recursion of a def raises RecursionError, which a try catches. */
static void test_def_recursion_limit_raises(void **state)
{
    (void)state;
    expect_output("def down(n) {\n  call down(n + 1) -> r\n  return r\n}\n"
                  "program main {\n  try {\n    call down(0)\n"
                  "  } except RecursionError as e {\n    print \"caught\" e\n  }\n"
                  "  call down(0)\n}\nspawn main\n",
                  2, (const char *const[]){
                      "caught maximum recursion depth exceeded",
                      "Traceback (most recent call last): line 1, in down: RecursionError: "
                      "maximum recursion depth exceeded", NULL });
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_returns_a_value_and_takes_only_its_statements_time),
        cmocka_unit_test(test_an_exception_unwinds_through_calls_to_the_callers_try),
        cmocka_unit_test(test_a_return_inside_a_try_leaves_the_try),
        cmocka_unit_test(test_an_uncaught_exception_in_a_call_ends_the_process_with_1),
        cmocka_unit_test(test_threads_and_handlers_call_with_their_own_frames),
        cmocka_unit_test(test_a_plain_fork_in_a_call_returns_in_both),
        cmocka_unit_test(test_recursion_and_depth_stop_the_run_with_an_error),
        cmocka_unit_test(test_def_frames_recurse_and_show_in_snapshots),
        cmocka_unit_test(test_def_frames_survive_a_clone),
        cmocka_unit_test(test_def_frame_locals_survive_collection),
        cmocka_unit_test(test_def_recursion_limit_raises),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
