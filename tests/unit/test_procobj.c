/*
 * test_procobj.c - the Process object (join with a timeout, is_alive,
 * exitcode, terminate, daemon children), timeouts of acquire and event
 * wait, and shared arrays.
 */
#include "helpers.h"

#include <stdio.h>

#include "kernel.h"

/* The tick at which pid printed its n-th line, or -1. */
static int64_t printed_at(const struct sim *x, int pid, int n)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_PRINT && x->tr.ev[i].pid == pid && n-- == 0)
            return x->tr.ev[i].tick;
    return -1;
}

static void run_all(struct sim *x, const char *src)
{
    sim_start(x, src);
    sim_finish(x);
    assert_int_equal(machine_status(x->m), MS_EMPTY);
}

/* ---------------------------------------------------------------- join */

static void test_join_timeout_gives_up_at_its_deadline_and_the_child_lives(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program kid {\n  compute 50\n  exit 4\n}\n"
                "program main {\n  fork kid -> p\n  join p timeout=10 -> r\n"
                "  print now() is_alive(p) exitcode(p) r\n  join p -> r\n"
                "  print is_alive(p) exitcode(p) r\n}\nspawn main\n");
    /* join runs in tick 1, sleeps 2..11, gives up in 12 (as sleep 10). */
    assert_string_equal(printed(&x, 2, 0), "12 True None None");
    assert_string_equal(printed(&x, 2, 1), "False 4 4");
    assert_int_equal(count_events(&x, EV_PROCOBJ, 2), 1);
    sim_free(&x);
}

static void test_join_of_a_child_sleeps_in_wait_and_reaps_it(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  compute 20\n}\n"
                  "program main {\n  fork kid -> p\n  join p\n  compute 5\n}\nspawn main\n");
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "wait");
    sim_finish(&x);
    const struct event *e = find_event(&x, EV_REAP, 3);
    assert_non_null(e);
    assert_int_equal(e->a, 2);                 /* reaped by its parent, not init */
    sim_free(&x);
}

static void test_join_of_a_thread_gets_its_return_value(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program square(n) {\n  compute 3\n  return n * n\n}\n"
                "program main {\n  thread square(7) -> t\n  join t -> r\n  print r\n"
                "  thread square(2) -> u\n  join u timeout=1 -> r\n  print r\n  join u\n}\n"
                "spawn main\n");
    assert_string_equal(printed(&x, 2, 0), "49");
    assert_string_equal(printed(&x, 2, 1), "None");
    sim_free(&x);
}

/* A thread that ended before its join keeps its result for it, once; a
 * new thread with the same tid drops it. */
static void test_join_of_an_ended_thread_gets_its_kept_result_once(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program w(n) {\n  compute n\n  return n * 10\n}\n"
                "program quiet {\n  compute 1\n}\n"
                "program main {\n  thread w(2) -> a\n  thread quiet -> c\n  sleep 10\n"
                "  join a -> ra\n  join c -> rc\n  join a -> again\n  print ra rc again\n}\n"
                "spawn main\n");
    assert_string_equal(printed(&x, 2, 0), "20 None None");
    sim_free(&x);
    /* without any `join -> R`, nothing is kept */
    run_all(&x, "program w {\n  return 5\n}\n"
                "program main {\n  repeat 100 {\n    thread w -> t\n    sleep 2\n    join t\n  }\n}\n"
                "spawn main\n");
    assert_int_equal(x.m->exitrec_cap, 0);
    sim_free(&x);
}

/* A handler interrupts a timed join: it goes back to it with the same
 * deadline, as Popen.wait and PEP 475 retry with the time left. */
static void test_a_timed_join_keeps_its_deadline_across_a_handler(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "handler h {\n  print \"handler\"\n}\n"
                "program kid {\n  compute 100\n}\n"
                "program main {\n  signal SIGUSR1 h\n  fork kid -> p\n  join p timeout=20\n"
                "  print now()\n  kill p SIGKILL\n}\nspawn main\nat 8 kill 2 SIGUSR1\n");
    assert_string_equal(printed(&x, 2, 0), "handler");
    /* join in tick 2: deadline 23, handler or not. */
    assert_int_equal(printed_at(&x, 2, 1), 23);
    sim_free(&x);
}

/* ---------------------------------------------------- is_alive, exitcode */

static void test_is_alive_of_a_zombie_child_reaps_it(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  exit 9\n}\n"
                  "program main {\n  fork kid -> p\n  sleep 10\n  print is_alive(p)\n"
                  "  compute 10\n}\nspawn main\n");
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 3), 'Z');
    sim_at(&x, 13);
    assert_string_equal(printed(&x, 2, 0), "False");
    assert_int_equal(state_of(&x, 3), 'X');       /* asking reaped it */
    assert_int_equal(find_event(&x, EV_REAP, 3)->a, 2);
    sim_free(&x);
}

static void test_exitcode_is_kept_after_reaping_and_a_reused_pid_drops_it(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "config pid_max=5\n"
                "program kid {\n  exit 9\n}\nprogram other {\n  exit 2\n}\n"
                "program main {\n  fork kid -> p\n  join p\n  print exitcode(p)\n"
                "  fork other -> q\n  join q\n  fork other -> q\n  print q exitcode(q)\n"
                "  join q\n  print exitcode(q)\n}\nspawn main\n");
    assert_string_equal(printed(&x, 2, 0), "9");
    /* pids 3, 4, then 3 again: the new child 3 is running, not "9". */
    assert_string_equal(printed(&x, 2, 1), "3 None");
    assert_string_equal(printed(&x, 2, 2), "2");
    sim_free(&x);
}

/* Statuses are kept only when a program asks exitcode(): a parent that
 * joins a thousand children without asking keeps no records. */
static void test_no_records_when_no_program_asks_exitcode(void **state)
{
    (void)state;
    static const char body[] =
        "program kid {\n  compute 1\n}\n"
        "program main {\n  repeat 1000 {\n    fork kid -> p\n    join p\n  }\n  %s\n}\n"
        "spawn main\n";
    char src[512];
    struct sim x;
    snprintf(src, sizeof src, body, "compute 1");
    run_all(&x, src);
    assert_int_equal(x.m->exitrec_cap, 0);
    sim_free(&x);
    snprintf(src, sizeof src, body, "print exitcode(p)");
    run_all(&x, src);
    assert_string_equal(printed(&x, 2, 0), "0");
    assert_true(x.m->exitrec_cap >= 1000);
    sim_free(&x);
}

/* A copy of the machine (a checkpoint) keeps the records and the arrays:
 * after the copy both go on to the same end. */
static void test_a_clone_keeps_records_and_array_items(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "array a [1, 2]\nprogram kid {\n  a[1] += 5\n  exit 6\n}\n"
                  "program w {\n  return 8\n}\n"
                  "program main {\n  fork kid -> p\n  thread w -> t\n  join p\n  sleep 5\n"
                  "  join t -> r\n  a[0] = exitcode(p) * 100 + r\n}\nspawn main\n");
    sim_at(&x, 8);                  /* kid reaped, its status kept; t ended */
    assert_int_equal(state_of(&x, 3), 'X');
    struct machine *c = machine_clone(x.m, NULL);
    assert_non_null(c);
    sim_finish(&x);
    while (machine_status(c) == MS_RUNNING) {
        machine_end_tick(c);
        if (!machine_begin_tick(c))
            break;
    }
    assert_int_equal(machine_array_item(x.m, 0, 0), 608);
    assert_int_equal(machine_array_item(c, 0, 0), 608);
    assert_int_equal(machine_array_item(c, 0, 1), 7);
    machine_free(c);
    sim_free(&x);
}

/* ------------------------------------------------- terminate, daemons */

static void test_terminate_sends_sigterm_to_a_child_only(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program kid {\n  sleep 100\n}\n"
                "program main {\n  fork kid -> p\n  terminate p\n  join p\n  print exitcode(p)\n"
                "  terminate 1\n  terminate p\n}\nspawn main\n");
    assert_string_equal(printed(&x, 2, 0), "-15");
    /* one terminate sends; init is no child and p is reaped already: the
     * other two do nothing */
    assert_int_equal(count_events(&x, EV_PROCOBJ, 2), 3);
    assert_int_equal(count_events(&x, EV_SIG_SEND, 2), 1);
    sim_free(&x);
}

static void test_daemon_child_is_terminated_when_its_parent_ends_normally(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program d {\n  sleep 1000\n}\nprogram plain {\n  sleep 30\n}\n"
                "program main {\n  fork d daemon\n  fork plain\n  sleep 5\n  exit 3\n}\n"
                "spawn main\n");
    const struct proc_record *d = trace_find_proc(&x.tr, 3);
    const struct proc_record *plain = trace_find_proc(&x.tr, 4);
    assert_int_equal(d->exit_status, -SIG_TERM);
    assert_true(d->exited < 15);
    assert_int_equal(plain->exit_status, 0);       /* not a daemon: lives on */
    sim_free(&x);
}

static void test_daemon_child_lives_on_when_its_parent_is_killed(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program d {\n  sleep 40\n}\n"
                "program main {\n  fork d daemon\n  sleep 100\n}\nspawn main\n"
                "at 10 kill 2 SIGKILL\n");
    assert_int_equal(trace_find_proc(&x.tr, 3)->exit_status, 0);
    assert_int_equal(count_events(&x, EV_PROCOBJ, 0), 0);
    sim_free(&x);
}

static void test_a_daemonic_process_may_not_start_children(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "program kid {\n  compute 1\n}\n"
                "program d {\n  fork -> c\n  if c == 0 {\n    exit 5\n  }\n  fork kid\n"
                "  print \"never\"\n}\n"
                "program main {\n  fork d daemon\n  sleep 20\n}\nspawn main\n");
    /* os.fork is allowed; Process.start is not, in the daemon and in its
     * plain-forked copy alike */
    assert_int_equal(trace_find_proc(&x.tr, 4)->exit_status, 5);
    assert_string_equal(printed(&x, 3, 0), "Traceback (most recent call last): line 9, in "
                        "d: AssertionError: daemonic processes are not allowed to have children");
    assert_int_equal(trace_find_proc(&x.tr, 3)->exit_status, 1);
    sim_free(&x);
}

/* --------------------------------------------------- acquire and wait */

static void test_acquire_timeout_and_nowait_return_false_then_true(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "lock l\nsemaphore s 0\n"
                "program holder {\n  l.acquire\n  sleep 20\n  l.release\n  s.release\n}\n"
                "program main {\n  thread holder\n  yield\n  l.acquire nowait -> a\n"
                "  l.acquire timeout=5 -> b\n  print now() a b\n  l.acquire timeout=50 -> c\n"
                "  print now() c\n  s.acquire timeout=0 -> d\n  s.acquire -> e\n  print d e\n}\n"
                "spawn main\n");
    /* acquire timeout=5 in tick 5: waits in 6..10, gives up in 11 and
     * goes on in the same tick, as a sleep does */
    assert_string_equal(printed(&x, 2, 0), "11 False False");
    /* the holder releases in tick 24 and hands the lock over at once */
    assert_string_equal(printed(&x, 2, 1), "25 True");
    /* s is released only after l: timeout=0 finds it at 0, a blocking
     * acquire then waits for the release */
    assert_string_equal(printed(&x, 2, 2), "False True");
    sim_free(&x);
}

static void test_event_wait_timeout_says_whether_it_was_set(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "event e\nprogram setter {\n  sleep 30\n  e.set\n}\n"
                "program main {\n  thread setter\n  e.wait timeout=10 -> a\n"
                "  e.wait timeout=100 -> b\n  print a b now()\n  e.wait timeout=0 -> c\n"
                "  print c\n}\nspawn main\n");
    /* the setter sets in tick 33 (sleep 30 from tick 2) */
    assert_string_equal(printed(&x, 2, 0), "False True 34");
    assert_string_equal(printed(&x, 2, 1), "True");
    sim_free(&x);
}

/* A lock that may time out is no deadlock: no deadlock event. */
static void test_a_timed_self_acquire_is_not_a_deadlock(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "lock l\nprogram main {\n  l.acquire\n  l.acquire timeout=3 -> ok\n"
                "  print ok\n}\nspawn main\n");
    assert_string_equal(printed(&x, 2, 0), "False");
    assert_int_equal(count_events(&x, EV_DEADLOCK, 0), 0);
    sim_free(&x);
}

/* --------------------------------------------------------------- arrays */

static void test_array_items_index_and_len(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "array a [3, -4, 5]\narray z 2\nprogram main {\n  a[1] += 10\n"
                "  a[-1] = a[0] * 2\n  print a[0] a[1] a[2] len(a) len(z) z[1]\n}\nspawn main\n");
    assert_string_equal(printed(&x, 2, 0), "3 6 6 3 2 0");
    assert_int_equal(machine_array_item(x.m, 0, 2), 6);
    assert_int_equal(machine_array_len(x.m, 1), 2);
    sim_free(&x);
}

static void test_array_bad_index_raises_index_error(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "array a 2\nprogram main {\n  try {\n    a[2] = 1\n  } except IndexError as e {\n"
                "    print \"caught\" e\n  }\n  print a[-3]\n}\nspawn main\n");
    assert_string_equal(printed(&x, 2, 0), "caught invalid index");
    assert_string_equal(printed(&x, 2, 1), "Traceback (most recent call last): line 8, in "
                        "main: IndexError: invalid index");
    assert_int_equal(trace_find_proc(&x.tr, 2)->exit_status, 1);
    sim_free(&x);
}

static void test_array_lost_update_is_named_per_item(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "config cpus=2\narray a 3\nprogram w {\n  a[1] += 1\n}\n"
                "program other {\n  a[2] += 1\n}\n"
                "spawn w\nspawn w\nspawn other\n");
    assert_int_equal(machine_array_item(x.m, 0, 1), 1);   /* two += 1, one lost */
    assert_int_equal(machine_array_item(x.m, 0, 2), 1);
    assert_int_equal(count_events(&x, EV_LOST_UPDATE, 0), 1);
    assert_non_null(strstr(trace_text(&x.tr, find_event(&x, EV_LOST_UPDATE, 0)), " a[1] "));
    sim_free(&x);
}

static void test_array_lock_is_reentrant_and_serialises_updates(void **state)
{
    (void)state;
    struct sim x;
    run_all(&x, "config cpus=2\narray a 1\nprogram w {\n  repeat 10 {\n    a.acquire\n"
                "    a.acquire\n    a[0] += 1\n    a.release\n    a.release\n  }\n}\n"
                "spawn w\nspawn w\n");
    assert_int_equal(machine_array_item(x.m, 0, 0), 20);
    assert_int_equal(count_events(&x, EV_LOST_UPDATE, 0), 0);
    sim_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join_timeout_gives_up_at_its_deadline_and_the_child_lives),
        cmocka_unit_test(test_join_of_a_child_sleeps_in_wait_and_reaps_it),
        cmocka_unit_test(test_join_of_a_thread_gets_its_return_value),
        cmocka_unit_test(test_join_of_an_ended_thread_gets_its_kept_result_once),
        cmocka_unit_test(test_a_timed_join_keeps_its_deadline_across_a_handler),
        cmocka_unit_test(test_is_alive_of_a_zombie_child_reaps_it),
        cmocka_unit_test(test_exitcode_is_kept_after_reaping_and_a_reused_pid_drops_it),
        cmocka_unit_test(test_no_records_when_no_program_asks_exitcode),
        cmocka_unit_test(test_a_clone_keeps_records_and_array_items),
        cmocka_unit_test(test_terminate_sends_sigterm_to_a_child_only),
        cmocka_unit_test(test_daemon_child_is_terminated_when_its_parent_ends_normally),
        cmocka_unit_test(test_daemon_child_lives_on_when_its_parent_is_killed),
        cmocka_unit_test(test_a_daemonic_process_may_not_start_children),
        cmocka_unit_test(test_acquire_timeout_and_nowait_return_false_then_true),
        cmocka_unit_test(test_event_wait_timeout_says_whether_it_was_set),
        cmocka_unit_test(test_a_timed_self_acquire_is_not_a_deadlock),
        cmocka_unit_test(test_array_items_index_and_len),
        cmocka_unit_test(test_array_bad_index_raises_index_error),
        cmocka_unit_test(test_array_lost_update_is_named_per_item),
        cmocka_unit_test(test_array_lock_is_reentrant_and_serialises_updates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
