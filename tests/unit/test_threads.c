/*
 * test_threads.c - threads, the GIL (CPython's new GIL), shared values,
 * locks, rlocks, semaphores, events and deadlock detection.
 */
#include "helpers.h"

#include <stdio.h>

static int64_t end_tick(const char *src)
{
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    int64_t t = machine_tick(x.m);
    sim_free(&x);
    return t;
}

static const char one_thread[] =
    "config cpus=2 gil=on\nprogram work {\n  compute 100\n}\n"
    "program main {\n  thread work -> a\n  join a\n}\nspawn main\n";
static const char two_threads[] =
    "config cpus=2 gil=GIL\nprogram work {\n  compute 100\n}\n"
    "program main {\n  thread work -> a\n  thread work -> b\n  join a\n  join b\n}\n"
    "spawn main\n";
static const char two_procs[] =
    "config cpus=2 gil=on\nprogram work {\n  compute 100\n}\n"
    "program main {\n  fork work\n  fork work\n  wait\n  wait\n}\nspawn main\n";

static char *with_gil(const char *src, const char *value)
{
    static char buf[512];
    const char *at = strstr(src, "GIL");
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - src), src, value, at + 3);
    return buf;
}

/* "Threads don't speed up CPU work in Python, processes do." */
static void test_gil_threads_take_twice_processes_do_not(void **state)
{
    (void)state;
    double one = (double)end_tick(one_thread);
    double threads = (double)end_tick(with_gil(two_threads, "on"));
    double procs = (double)end_tick(two_procs);
    double nogil = (double)end_tick(with_gil(two_threads, "off"));
    assert_true(threads / one >= 1.9);
    assert_true(procs / one <= 1.15);
    assert_true(nogil / one <= 1.15);
}

/* Convoy effect: an I/O thread beside a CPU-bound one waits about one
 * switch interval (5) for the GIL after every I/O. */
static void test_convoy_extra_wait_per_io(void **state)
{
    (void)state;
    const char *io = "config cpus=2 gil=on\nprogram io {\n  repeat 20 {\n    disk 1\n  }\n}\n"
                     "program cpu {\n  compute 1000\n}\n"
                     "program main {\n  thread io -> a\n  %s\n  join a\n}\nspawn main\n";
    char alone[512], beside[512];
    snprintf(alone, sizeof alone, io, "");
    snprintf(beside, sizeof beside, io, "thread cpu daemon");
    double extra = (double)(end_tick(beside) - end_tick(alone)) / 20.0;
    assert_true(extra >= 4.0 && extra <= 6.0);
}

/* The waiter waits exactly one interval, asks for the drop, and gets the
 * GIL at the holder's next tick boundary; the dropper cannot take it back. */
static void test_gil_handover_after_one_interval(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2 gil=on switch_interval=5\n"
                  "program cpu {\n  compute 100\n}\n"
                  "program main {\n  thread cpu -> a\n  thread cpu -> b\n  join a\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    int requests = 0, drops = 0;
    for (size_t i = 0; i < x.tr.nev; i++) {
        const struct event *e = &x.tr.ev[i];
        if (e->kind == EV_GIL_DROP_REQUEST)
            requests++;
        if (e->kind == EV_GIL_DROP) {
            drops++;
            /* the request came in this tick; the waiter that gets the GIL
             * has waited whole intervals (one, unless it saw a switch) */
            assert_int_equal(x.tr.ev[i - 1].kind, EV_GIL_DROP_REQUEST);
            assert_int_equal(x.tr.ev[i - 1].tick, e->tick);
            assert_int_equal(x.tr.ev[i + 1].kind, EV_GIL_TAKE);
            assert_true(x.tr.ev[i + 1].a >= 5 && x.tr.ev[i + 1].a % 5 == 0);
            if (e->tick > 20)
                assert_int_equal(x.tr.ev[i + 1].a, 5);
            /* the dropper (e->tid) waits for the holder it handed it to */
            bool waits = false;
            for (size_t j = i + 1; j < x.tr.nev && x.tr.ev[j].tick == e->tick; j++)
                waits |= x.tr.ev[j].kind == EV_GIL_WAIT && x.tr.ev[j].tid == e->tid;
            assert_true(waits);
        }
    }
    assert_true(requests >= 15);
    assert_int_equal(drops, requests);
    sim_free(&x);
}

/* Blocking releases the GIL: a sleeping thread does not hold it. */
static void test_gil_released_when_blocking(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config gil=on\nprogram napper {\n  sleep 10\n}\n"
                  "program cpu {\n  compute 30\n}\n"
                  "program main {\n  thread napper -> a\n  thread cpu -> b\n  join a\n  join b\n}\n"
                  "spawn main\n");
    for (int T = 5; T < 12; T++) {
        sim_at(&x, T);
        for (int i = 0; i < x.snap.ntasks; i++)
            if (x.snap.tasks[i].state == 'S' && !strcmp(x.snap.tasks[i].wchan, "sleep"))
                assert_false(x.snap.tasks[i].holds_gil);
    }
    sim_free(&x);
}

static const char money[] =
    "shared money = 1000\n%s"
    "program boy {\n  repeat 50 {\n    %s\n    money += 10\n    %s\n  }\n}\n"
    "program girl {\n  repeat 50 {\n    %s\n    money -= 10\n    %s\n  }\n}\n"
    "spawn boy\nspawn girl\n";

static void run_money(struct sim *x, bool locked)
{
    char src[1024];
    snprintf(src, sizeof src, money, locked ? "lock l\n" : "",
             locked ? "l.acquire" : "compute 1", locked ? "l.release" : "compute 1",
             locked ? "l.acquire" : "compute 1", locked ? "l.release" : "compute 1");
    sim_start(x, src);
    sim_finish(x);
}

/* money += x from two processes loses updates; with a lock it does not. */
static void test_lost_updates_without_lock_none_with(void **state)
{
    (void)state;
    struct sim x;
    run_money(&x, false);
    assert_true(count_events(&x, EV_LOST_UPDATE, 0) > 0);
    assert_int_not_equal(machine_shared_value(x.m, 0), 1000);
    const struct event *e = find_event(&x, EV_LOST_UPDATE, 0);
    assert_non_null(strstr(trace_text(&x.tr, e), "since its load at tick"));
    sim_free(&x);
    run_money(&x, true);
    assert_int_equal(count_events(&x, EV_LOST_UPDATE, 0), 0);
    assert_int_equal(machine_shared_value(x.m, 0), 1000);
    sim_free(&x);
}

/* An update that reads shared memory takes two ticks; a plain store one. */
static void test_shared_update_takes_two_ticks(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "shared v = 5\nprogram main {\n  v += 1\n  v = 7\n  print v now()\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "7 3");
    sim_free(&x);
}

static void test_rlock_reentry_and_plain_lock_self_deadlock(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "rlock r\nprogram main {\n  r.acquire\n  r.acquire\n  r.release\n"
                  "  r.release\n  print \"ok\"\n}\nspawn main\n");
    sim_at(&x, 2);
    assert_int_equal(x.snap.objects[0].count, 2);
    assert_int_equal(x.snap.objects[0].owner_tid, 2);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "ok");
    sim_free(&x);

    sim_start(&x, "lock l\nprogram main {\n  l.acquire\n  l.acquire\n  print \"never\"\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_null(printed(&x, 2, 0));
    const struct event *e = find_event(&x, EV_DEADLOCK, 2);
    assert_non_null(e);
    assert_non_null(strstr(trace_text(&x.tr, e), "which it holds itself"));
    assert_int_equal(machine_status(x.m), MS_DEADLOCK);
    assert_int_equal(x.tr.ev[x.tr.nev - 1].reason, END_DEADLOCK);
    sim_free(&x);
}

static void test_releasing_unheld_lock_is_runtime_error(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "lock l\nprogram main {\n  compute 1\n  l.release\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_ERROR);
    assert_int_equal(machine_error(x.m)->line, 4);
    assert_non_null(strstr(machine_error(x.m)->msg, "does not hold it"));
    sim_free(&x);
}

/* Waiters get a released lock in the order they came (FIFO). */
static void test_lock_wait_queue_is_fifo(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config policy=rr\nlock l\n"
                  "program holder {\n  l.acquire\n  compute 10\n  l.release\n}\n"
                  "program w {\n  l.acquire\n  print \"got it\" now()\n  l.release\n}\n"
                  "spawn holder\nspawn w at=1\nspawn w at=2\nspawn w at=3\n");
    sim_at(&x, 8);
    assert_int_equal(x.snap.objects[0].nwaiting, 3);
    assert_int_equal(x.snap.objects[0].waiting[0], 3);
    assert_int_equal(x.snap.objects[0].waiting[1], 4);
    assert_int_equal(x.snap.objects[0].waiting[2], 5);
    assert_string_equal(task_of(&x, 3)->wchan, "l");
    sim_finish(&x);
    int64_t t3 = find_event(&x, EV_PRINT, 3)->tick, t4 = find_event(&x, EV_PRINT, 4)->tick,
            t5 = find_event(&x, EV_PRINT, 5)->tick;
    assert_true(t3 < t4 && t4 < t5);
    sim_free(&x);
}

/* semaphore 2: never more than two inside. */
static void test_semaphore_limits_how_many_are_inside(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\nsemaphore s 2\n"
                  "program worker {\n  s.acquire\n  compute 5\n  s.release\n}\n"
                  "spawn worker\nspawn worker\nspawn worker\nspawn worker\nspawn worker\n");
    int most = 0;
    for (int T = 0; T < 40; T++) {
        sim_at(&x, T);
        int in = 0;     /* past the acquire (lines 5-6) and not waiting on s */
        for (int i = 0; i < x.snap.ntasks; i++) {
            const struct snap_task *t = &x.snap.tasks[i];
            in += t->pid > 1 && (t->line == 5 || t->line == 6) && t->wait_obj != 0;
        }
        if (in > most)
            most = in;
        assert_true(x.snap.objects[0].value >= 0);
    }
    assert_int_equal(most, 2);
    sim_free(&x);
}

static void test_event_set_releases_every_waiter(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "event go\nprogram w {\n  go.wait\n  print \"go\" now()\n}\n"
                  "program starter {\n  compute 10\n  go.set\n}\n"
                  "spawn w\nspawn w\nspawn w\nspawn starter\n");
    sim_at(&x, 8);
    assert_int_equal(x.snap.objects[0].nwaiting, 3);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "go");
    sim_finish(&x);
    for (int pid = 2; pid <= 4; pid++)
        assert_non_null(printed(&x, pid, 0));
    sim_free(&x);
}

/* Two and three tasks taking locks in a circle: the cycle is reported. */
static void test_deadlock_cycles_of_two_and_three(void **state)
{
    (void)state;
    const char *two = "config policy=rr slice=1\nlock a\nlock b\n"
                      "program p {\n  a.acquire\n  compute 3\n  b.acquire\n}\n"
                      "program q {\n  b.acquire\n  compute 3\n  a.acquire\n}\n"
                      "spawn p\nspawn q\n";
    struct sim x;
    sim_start(&x, two);
    sim_finish(&x);
    const struct event *e = find_event(&x, EV_DEADLOCK, 0);
    assert_non_null(e);
    const char *txt = trace_text(&x.tr, e);
    assert_non_null(strstr(txt, "waits for a held by tid 2"));
    assert_non_null(strstr(txt, "waits for b held by tid 3"));
    assert_int_equal(x.tr.ev[x.tr.nev - 1].reason, END_DEADLOCK);
    sim_free(&x);

    sim_start(&x, "config policy=rr slice=1\nlock f0\nlock f1\nlock f2\n"
                  "program p0 {\n  f0.acquire\n  compute 3\n  f1.acquire\n}\n"
                  "program p1 {\n  f1.acquire\n  compute 3\n  f2.acquire\n}\n"
                  "program p2 {\n  f2.acquire\n  compute 3\n  f0.acquire\n}\n"
                  "spawn p0\nspawn p1\nspawn p2\n");
    sim_finish(&x);
    e = find_event(&x, EV_DEADLOCK, 0);
    assert_non_null(e);
    txt = trace_text(&x.tr, e);
    assert_non_null(strstr(txt, "f0"));
    assert_non_null(strstr(txt, "f1"));
    assert_non_null(strstr(txt, "f2"));
    sim_free(&x);
}

/* Threads share their process's variables; a forked child has a copy. */
static void test_threads_share_variables_children_copy_them(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program bump {\n  n = n + 1\n  local mine = 5\n}\n"
                  "program main {\n  let n = 10\n  thread bump -> t\n  join t\n"
                  "  print \"after thread\" n\n  fork -> c\n  if c == 0 {\n"
                  "    n = n + 100\n    exit 0\n  }\n  wait\n  print \"after child\" n\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "after thread 11");
    assert_string_equal(printed(&x, 2, 1), "after child 11");
    sim_free(&x);
}

/* The main thread's end waits for non-daemon threads; daemons die with it. */
static void test_main_waits_for_workers_not_daemons(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program worker {\n  compute 20\n  print \"worker done\"\n}\n"
                  "program forever {\n  while 1 {\n    compute 5\n  }\n}\n"
                  "program main {\n  thread worker\n  thread forever daemon\n}\n"
                  "spawn main\n");
    sim_at(&x, 6);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "threads");
    assert_int_equal(task_of(&x, 2)->nthreads, 3);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "worker done");
    assert_int_equal(trace_find_proc(&x.tr, 2)->exit_status, 0);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

static void test_exit_in_a_thread_ends_the_process(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program quitter {\n  compute 3\n  exit 4\n}\n"
                  "program main {\n  thread quitter\n  compute 100\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(trace_find_proc(&x.tr, 2)->exit_status, 4);
    assert_true(trace_find_proc(&x.tr, 2)->exited < 20);
    sim_free(&x);
}

/* The tid of the task that ran the n-th handler of the run, 0 if none. */
static int handler_tid(const struct sim *x, int n)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_SIG_HANDLER && n-- == 0)
            return x->tr.ev[i].tid;
    return 0;
}

/* complete_signal: a signal to the process goes to the main thread when it
 * wants it, even asleep in a join: it is woken, runs the handler, and joins
 * again. The worker computing meanwhile never runs it. */
static void test_process_signal_goes_to_main_thread_in_join(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "handler h {\n  print \"handler\" gettid()\n}\n"
                  "program work {\n  compute 20\n}\n"
                  "program main {\n  signal SIGUSR1 h\n  thread work -> t\n  join t\n"
                  "  print \"joined\" now()\n}\nspawn main\nat 6 kill 2 SIGUSR1\n");
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 2), 'S');
    sim_at(&x, 6);
    assert_int_equal(task_of(&x, 2)->handler_sig, SIG_USR1);
    sim_at(&x, 8);
    assert_int_equal(state_of(&x, 2), 'S');      /* back in its join */
    sim_finish(&x);
    assert_int_equal(handler_tid(&x, 0), 2);
    assert_string_equal(printed(&x, 2, 0), "handler 2");
    assert_non_null(strstr(printed(&x, 2, 1), "joined"));
    const struct event *e = find_event(&x, EV_SIG_RESTART, 2);
    assert_non_null(e);
    assert_int_equal(e->reason, WHY_JOIN);
    sim_free(&x);
}

/* A main thread that blocks the signal does not want it: a worker that
 * does not takes it (a thread is created with its creator's mask, so main
 * blocks it only after starting the worker). */
static void test_signal_goes_to_a_worker_when_main_blocks_it(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "handler h {\n  print \"handler\" gettid()\n}\n"
                  "program work {\n  compute 20\n}\n"
                  "program main {\n  signal SIGUSR1 h\n  thread work -> t\n  block SIGUSR1\n"
                  "  join t\n}\nspawn main\nat 6 kill 2 SIGUSR1\n");
    sim_finish(&x);
    assert_int_equal(handler_tid(&x, 0), 3);
    sim_free(&x);
}

/* A handler interrupts a lock wait; the acquire is retried after it, as
 * CPython retries an interrupted lock acquire, and succeeds when the worker
 * releases the lock. */
static void test_lock_wait_retried_after_handler(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "lock l\nhandler h {\n  print \"handler\" now()\n}\n"
                  "program work {\n  l.acquire\n  compute 10\n  l.release\n}\n"
                  "program main {\n  signal SIGUSR1 h\n  thread work -> t\n  yield\n"
                  "  l.acquire\n  print \"acquired\" now()\n  l.release\n  join t\n}\n"
                  "spawn main\nat 6 kill 2 SIGUSR1\n");
    sim_finish(&x);
    assert_int_equal(handler_tid(&x, 0), 2);
    assert_string_equal(printed(&x, 2, 0), "handler 6");
    assert_non_null(strstr(printed(&x, 2, 1), "acquired"));
    const struct event *e = find_event(&x, EV_SIG_RESTART, 2);
    assert_non_null(e);
    assert_int_equal(e->reason, WHY_OBJ);
    assert_int_equal(count_events(&x, EV_SIG_HANDLER, 0), 1);
    sim_free(&x);
}

/* With the GIL, a main thread woken in its join must win the GIL before it
 * can run the handler (Python code); the worker holding it never runs it. */
static void test_gil_main_thread_runs_handler_once_it_has_the_gil(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config gil=on\nhandler h {\n  print \"handler\" gettid()\n}\n"
                  "program work {\n  compute 30\n}\n"
                  "program main {\n  signal SIGUSR1 h\n  thread work -> t\n  join t\n}\n"
                  "spawn main\nat 6 kill 2 SIGUSR1\n");
    sim_finish(&x);
    assert_int_equal(handler_tid(&x, 0), 2);
    assert_string_equal(printed(&x, 2, 0), "handler 2");
    sim_free(&x);
}

/* The kernel may give a signal to a worker (here main does not want
 * SIGUSR1: it waits for the GIL with SIGUSR2 already pending), but CPython
 * runs Python handlers in the main thread only: with gil=on the worker
 * leaves it for main, which runs both handlers once it has the GIL. */
static void test_gil_handlers_run_only_in_the_main_thread(void **state)
{
    (void)state;
    static const char src[] =
        "config gil=on\nhandler h {\n  print \"handler\" gettid()\n}\n"
        "program work {\n  compute 40\n}\n"
        "program main {\n  signal SIGUSR1 h\n  signal SIGUSR2 h\n  thread work -> t\n"
        "  compute 40\n  join t\n}\nspawn main\n"
        "at 19 kill 2 SIGUSR2\nat 19 kill 2 SIGUSR1\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 18);          /* the worker runs; main waits for the GIL */
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "gil");
    sim_finish(&x);
    assert_int_equal(count_events(&x, EV_SIG_HANDLER, 0), 2);
    assert_int_equal(handler_tid(&x, 0), 2);
    assert_int_equal(handler_tid(&x, 1), 2);
    sim_free(&x);
}

/* gil=on: even when the main thread blocks the signal and the kernel gives
 * it to a worker, the Python handler runs in the main thread (CPython's
 * tripped flags ignore the main thread's mask). gil=off: the worker runs it,
 * as a C program's would. */
static void test_gil_main_thread_runs_handler_a_worker_took(void **state)
{
    (void)state;
    static const char src[] =
        "config gil=%s\nshared done = 0\nevent go\nhandler h {\n  done = 1\n}\n"
        "program work {\n  go.wait\n}\n"
        "program main {\n  signal SIGUSR1 h\n  thread work -> t\n  block SIGUSR1\n"
        "  kill getpid() SIGUSR1\n  while done == 0 {\n    sleep 1\n  }\n  go.set\n  join t\n}\n"
        "spawn main\n";
    char buf[512];
    struct sim x;
    snprintf(buf, sizeof buf, src, "on");
    sim_start(&x, buf);
    sim_finish(&x);
    assert_int_equal(handler_tid(&x, 0), 2);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);

    snprintf(buf, sizeof buf, src, "off");
    sim_start(&x, buf);
    sim_finish(&x);
    assert_int_equal(handler_tid(&x, 0), 3);
    sim_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gil_threads_take_twice_processes_do_not),
        cmocka_unit_test(test_convoy_extra_wait_per_io),
        cmocka_unit_test(test_gil_handover_after_one_interval),
        cmocka_unit_test(test_gil_released_when_blocking),
        cmocka_unit_test(test_lost_updates_without_lock_none_with),
        cmocka_unit_test(test_shared_update_takes_two_ticks),
        cmocka_unit_test(test_rlock_reentry_and_plain_lock_self_deadlock),
        cmocka_unit_test(test_releasing_unheld_lock_is_runtime_error),
        cmocka_unit_test(test_lock_wait_queue_is_fifo),
        cmocka_unit_test(test_semaphore_limits_how_many_are_inside),
        cmocka_unit_test(test_event_set_releases_every_waiter),
        cmocka_unit_test(test_deadlock_cycles_of_two_and_three),
        cmocka_unit_test(test_threads_share_variables_children_copy_them),
        cmocka_unit_test(test_main_waits_for_workers_not_daemons),
        cmocka_unit_test(test_exit_in_a_thread_ends_the_process),
        cmocka_unit_test(test_process_signal_goes_to_main_thread_in_join),
        cmocka_unit_test(test_signal_goes_to_a_worker_when_main_blocks_it),
        cmocka_unit_test(test_lock_wait_retried_after_handler),
        cmocka_unit_test(test_gil_main_thread_runs_handler_once_it_has_the_gil),
        cmocka_unit_test(test_gil_handlers_run_only_in_the_main_thread),
        cmocka_unit_test(test_gil_main_thread_runs_handler_a_worker_took),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
