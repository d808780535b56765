/*
 * test_cost.c - what creating and ending tasks costs (fork_cost, exec_cost,
 * thread_cost, exit_cost) and threading.Timer (issue 12).
 */
#include "helpers.h"

#include <stdio.h>

/* The tick of the first event of this kind by pid (0: any), -1 none. */
static int64_t tick_of(const struct sim *x, int kind, int pid)
{
    const struct event *e = find_event(x, kind, pid);
    return e ? e->tick : -1;
}

/* Ticks in [from, to] in which cpu0 ran tid. */
static int ran_between(const struct sim *x, int tid, int64_t from, int64_t to)
{
    int n = 0;
    for (int64_t T = from; T <= to; T++)
        n += trace_cpu_at(&x->tr, T, 0) == tid;
    return n;
}

/* The task with this tid in the snapshot, NULL when none. */
static const struct snap_task *thread_of(const struct sim *x, int tid)
{
    for (int i = 0; i < x->snap.ntasks; i++)
        if (x->snap.tasks[i].tid == tid)
            return &x->snap.tasks[i];
    return NULL;
}

static int64_t cpu_of(const struct sim *x, int pid)
{
    const struct proc_record *r = trace_find_proc(&x->tr, pid);
    if (!r)
        fail_msg("no record of pid %d", pid);
    return r->cpu_ticks;
}

/* A fork with fork_cost=5 keeps the parent on the CPU (R) for 5 ticks;
 * the child exists from the tick after the 5th; the 5 ticks are the
 * parent's CPU time. */
static void test_fork_cost_takes_ticks_and_child_appears_after(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config fork_cost=5\nprogram child {\n  compute 1\n}\n"
                  "program main {\n  fork child -> c\n  wait\n}\nspawn main\n");
    for (int64_t T = 0; T < 5; T++) {
        sim_at(&x, T);
        assert_int_equal(state_of(&x, 2), 'R');
        assert_int_equal(task_of(&x, 2)->cpu, 0);
        assert_int_equal(state_of(&x, 3), 'X');
    }
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 3), 'R');
    sim_finish(&x);
    assert_int_equal(tick_of(&x, EV_COST, 2), 0);
    const struct event *e = find_event(&x, EV_COST, 2);
    assert_int_equal(e->a, 5);
    assert_int_equal(e->reason, COST_FORK + 1);
    assert_int_equal(tick_of(&x, EV_FORK, 2), 4);
    /* 5 for the fork, 1 to block in wait, 1 to reap, 1 to exit */
    assert_int_equal(cpu_of(&x, 2), 8);
    /* what `stats` sums: 5 ticks for one fork; 1 each for the two exits */
    assert_int_equal(x.tr.cost_ticks[COST_FORK], 5);
    assert_int_equal(x.tr.cost_count[COST_FORK], 1);
    assert_int_equal(x.tr.cost_ticks[COST_EXIT], 2);
    assert_int_equal(x.tr.cost_count[COST_EXIT], 2);
    assert_int_equal(x.tr.cost_count[COST_THREAD], 0);
    sim_free(&x);
}

/* The plain fork (os.fork) pays too; the child goes on after the fork
 * and does not pay again. */
static void test_plain_fork_pays_once(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config fork_cost=3\nprogram main {\n  fork -> c\n"
                  "  if c == 0 {\n    print \"child\"\n    exit 0\n  }\n  wait\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_int_equal(tick_of(&x, EV_FORK, 2), 2);
    assert_int_equal(count_events(&x, EV_COST, 0), 1);
    assert_int_equal(count_events(&x, EV_FORK, 0), 1);
    assert_string_equal(printed(&x, 3, 0), "child");
    assert_int_equal(cpu_of(&x, 3), 2);        /* print, exit */
    sim_free(&x);
}

/* Preempted while paying: the fork completes once the parent has had
 * fork_cost ticks of CPU, however they were spread. */
static void test_fork_cost_is_preemptible(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config policy=rr slice=2 fork_cost=7\nprogram hog {\n  compute 30\n}\n"
                  "program child {\n  compute 1\n}\n"
                  "program main {\n  fork child\n  wait\n}\nspawn main\nspawn hog\n");
    sim_finish(&x);
    int64_t start = tick_of(&x, EV_COST, 2), forked = tick_of(&x, EV_FORK, 2);
    assert_int_equal(start, 0);
    assert_true(forked > 7);                   /* the hog ran in between */
    assert_int_equal(ran_between(&x, 2, start, forked), 7);
    assert_int_equal(x.tr.cost_ticks[COST_FORK], 7);
    assert_int_equal(x.tr.cost_count[COST_FORK], 1);
    assert_int_equal(ran_between(&x, 3, start, forked), forked + 1 - 7);   /* the hog */
    bool preempted = false;
    for (size_t i = 0; i < x.tr.nev; i++)
        preempted |= x.tr.ev[i].kind == EV_PREEMPT && x.tr.ev[i].pid == 2 &&
                     x.tr.ev[i].tick < forked;
    assert_true(preempted);
    /* the child exists from the tick after the last paid one */
    const struct proc_record *c = trace_find_proc(&x.tr, 4);
    assert_non_null(c);
    assert_int_equal(c->created, forked + 1);
    sim_free(&x);
}

/* A signal handler that interrupts the paying runs, then the fork goes on
 * paying what was left (the signal frame keeps it). */
static void test_handler_during_fork_cost_resumes_it(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config fork_cost=6\nhandler h {\n  print \"handler\"\n}\n"
                  "program child {\n  compute 1\n}\n"
                  "program main {\n  signal SIGUSR1 h\n  fork child\n  wait\n}\n"
                  "spawn main\nat 3 kill 2 SIGUSR1\n");
    sim_finish(&x);
    /* signal in tick 0; paying in 1, 2, then the handler's print in 3 and
     * its return (untimed) leads into the rest: 4, 5, 6, 7 */
    assert_int_equal(tick_of(&x, EV_COST, 2), 1);
    assert_int_equal(tick_of(&x, EV_PRINT, 2), 3);
    assert_int_equal(tick_of(&x, EV_FORK, 2), 7);
    assert_int_equal(count_events(&x, EV_COST, 2), 1);   /* not started again */
    assert_int_equal(x.tr.cost_ticks[COST_FORK], 6);
    assert_int_equal(x.tr.cost_count[COST_FORK], 1);
    assert_string_equal(printed(&x, 2, 0), "handler");
    assert_int_equal(trace_find_proc(&x.tr, 3)->created, 8);
    sim_free(&x);
}

/* thread_cost: the thread exists from the tick after the last paid one;
 * the end of a thread costs its one tick only. */
static void test_thread_cost(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config thread_cost=4 exit_cost=9\nprogram w {\n  compute 2\n}\n"
                  "program main {\n  thread w -> t\n  join t\n  exit 0\n}\nspawn main\n");
    sim_at(&x, 3);
    assert_null(thread_of(&x, 3));
    sim_at(&x, 4);
    assert_non_null(thread_of(&x, 3));
    sim_finish(&x);
    assert_int_equal(tick_of(&x, EV_THREAD_START, 2), 3);
    assert_int_equal(find_event(&x, EV_COST, 2)->reason, COST_THREAD + 1);
    /* the thread: 2 ticks computing + 1 ending (exit_cost is not paid by
     * a thread's end), in ticks 5..7 after main blocked in join (4) */
    int64_t ended = tick_of(&x, EV_THREAD_END, 0);
    assert_int_equal(ended, 7);
    assert_int_equal(ran_between(&x, 3, 4, ended), 3);
    /* the process: main's 4 (thread) + 1 (join) + 9 (exit), the thread's 3 */
    assert_int_equal(cpu_of(&x, 2), 17);
    sim_free(&x);
}

/* exec_cost: the new program starts after the last paid tick. */
static void test_exec_cost(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config exec_cost=3\nprogram other {\n  print \"new\"\n}\n"
                  "program main {\n  exec other\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(tick_of(&x, EV_EXEC, 2), 2);
    assert_int_equal(tick_of(&x, EV_PRINT, 2), 3);
    assert_int_equal(find_event(&x, EV_COST, 2)->reason, COST_EXEC + 1);
    sim_free(&x);
}

/* exit_cost: explicit `exit` and the end of a program both pay it; the
 * process is a zombie from the tick after the last paid one. */
static void test_exit_cost_explicit_and_implicit(void **state)
{
    (void)state;
    static const char *const src[] = {
        "config exit_cost=4\nprogram child {\n  exit 3\n}\n"
        "program main {\n  fork child\n  wait\n}\nspawn main\n",
        "config exit_cost=4\nprogram child {\n  compute 0\n}\n"
        "program main {\n  fork child\n  wait\n}\nspawn main\n",
    };
    for (int k = 0; k < 2; k++) {
        struct sim x;
        sim_start(&x, src[k]);
        sim_finish(&x);
        const struct event *e = find_event(&x, EV_EXIT, 3);
        assert_non_null(e);
        const struct event *c = find_event(&x, EV_COST, 3);
        assert_non_null(c);
        assert_int_equal(c->reason, COST_EXIT + 1);
        assert_int_equal(e->tick - c->tick, 3);
        assert_int_equal(cpu_of(&x, 3), 4);
        assert_int_equal(trace_find_proc(&x.tr, 3)->exited, e->tick + 1);
        assert_int_equal(trace_find_proc(&x.tr, 3)->exit_status, k == 0 ? 3 : 0);
        sim_free(&x);
    }
}

/* A duration is rounded up with `tick`: at the default 1ms every default
 * cost is 1 tick; at tick=1us the measured fork costs many times a
 * thread's creation. */
static void test_default_costs_follow_tick(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program w {\n  compute 1\n}\nprogram main {\n  fork w\n  thread w\n"
                  "  wait\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(count_events(&x, EV_COST, 0), 0);
    assert_int_equal(tick_of(&x, EV_FORK, 2), 0);
    sim_free(&x);

    sim_start(&x, "config tick=1us\nprogram w {\n  compute 1\n}\n"
                  "program main {\n  fork w\n  thread w\n  wait\n}\nspawn main\n");
    sim_finish(&x);
    int64_t fork = config_cost_ticks(&x.s->config, COST_FORK);
    int64_t thread = config_cost_ticks(&x.s->config, COST_THREAD);
    assert_true(fork > 2 * thread);
    assert_int_equal(tick_of(&x, EV_FORK, 2), fork - 1);
    const struct event *e = NULL;
    for (size_t i = 0; i < x.tr.nev; i++)
        if (x.tr.ev[i].kind == EV_COST && x.tr.ev[i].reason == COST_THREAD + 1)
            e = &x.tr.ev[i];
    assert_non_null(e);
    assert_int_equal(e->a, thread);
    sim_free(&x);
}

/* ----------------------------------------------------------------- Timer */

static const char timer_src[] =
    "program hello(who) {\n  print \"hello\" who\n}\n"
    "program main {\n  timer 5 hello(\"a\") -> t\n  timer 50 hello(\"b\") -> u\n"
    "  sleep 2\n  cancel u\n  join t\n  join u\n  cancel t\n  print \"done\" is_alive(t)\n}\n"
    "spawn main\n";

/* A timer waits its interval (S, channel timer) from its first tick, then
 * runs its program in its own thread; a cancelled one ends without it. */
static void test_timer_fires_and_cancel_skips(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, timer_src);
    sim_finish(&x);
    int64_t start = -1, fire = -1, cancel = -1, late = -1;
    for (size_t i = 0; i < x.tr.nev; i++) {
        const struct event *e = &x.tr.ev[i];
        if (e->kind != EV_TIMER)
            continue;
        if (e->reason == TM_START && e->a == 3)
            start = e->tick;
        if (e->reason == TM_FIRE) {
            assert_int_equal(e->a, 3);
            fire = e->tick;
        }
        if (e->reason == TM_CANCEL) {
            assert_int_equal(e->a, 4);
            cancel = e->tick;
        }
        if (e->reason == TM_CANCEL_LATE) {
            assert_int_equal(e->a, 3);
            late = e->tick;
        }
    }
    assert_int_equal(start, 0);
    assert_true(cancel > 0 && late > fire && fire > 0);
    /* the timer thread's first tick is its wait; it fires 5 ticks later */
    int64_t first = -1;
    for (int64_t T = 1; T < fire && first < 0; T++)
        if (trace_cpu_at(&x.tr, T, 0) == 3)
            first = T;
    assert_true(first > 0);
    assert_int_equal(fire, first + 5 + 1);
    assert_string_equal(printed(&x, 2, 0), "hello a");
    assert_string_equal(printed(&x, 2, 1), "done False");
    assert_null(printed(&x, 2, 2));            /* "hello b" never */
    const struct event *txt = NULL;
    for (size_t i = 0; i < x.tr.nev; i++)
        if (x.tr.ev[i].kind == EV_TIMER && x.tr.ev[i].reason == TM_CANCEL)
            txt = &x.tr.ev[i];
    assert_string_equal(trace_text(&x.tr, txt), "pid 2 cancels timer 4: hello never runs");
    sim_free(&x);
}

/* While it waits the timer thread is S on channel `timer`; a handler that
 * interrupts it does not shorten the interval. */
static void test_timer_waits_in_s_and_survives_a_stop(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\nprogram f {\n  print \"fired\" now()\n}\n"
                  "program main {\n  timer 10 f -> t\n  join t\n}\nspawn main\n"
                  "at 4 kill 2 SIGSTOP\nat 6 kill 2 SIGCONT\n");
    sim_at(&x, 3);
    const struct snap_task *t = thread_of(&x, 3);
    assert_non_null(t);
    assert_int_equal(t->state, 'S');
    assert_string_equal(t->wchan, "timer");
    sim_at(&x, 5);
    assert_int_equal(thread_of(&x, 3)->state, 'T');
    sim_finish(&x);
    /* wait in 1, S 2..11, fires in 12 whatever the stop in between */
    assert_int_equal(tick_of(&x, EV_TIMER, 0), 0);
    const struct event *e = NULL;
    for (size_t i = 0; i < x.tr.nev; i++)
        if (x.tr.ev[i].kind == EV_TIMER && x.tr.ev[i].reason == TM_FIRE)
            e = &x.tr.ev[i];
    assert_non_null(e);
    assert_int_equal(e->tick, 12);
    assert_string_equal(printed(&x, 2, 0), "fired 12");
    sim_free(&x);
}

/* A handler that runs in the timer thread in the middle of its wait (the
 * main thread blocks the signal) does not shorten the interval: the wait
 * goes on to its deadline, even with eintr=return (CPython's Event.wait
 * waits again for the time left). */
static void test_timer_wait_resumes_after_a_handler(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\nhandler h {\n  print \"handler\" gettid()\n}\n"
                  "program f {\n  print \"fired\" now()\n}\n"
                  "program main {\n  signal SIGUSR1 h\n  timer 10 f -> t\n  block SIGUSR1\n"
                  "  join t\n}\nspawn main\nat 5 kill 2 SIGUSR1\n");
    sim_finish(&x);
    /* signal (0), timer (1); the thread waits in 2, S 3..12, fires in 13 */
    assert_string_equal(printed(&x, 2, 0), "handler 3");
    assert_int_equal(tick_of(&x, EV_PRINT, 2), 5);
    assert_string_equal(printed(&x, 2, 1), "fired 13");
    assert_int_equal(count_events(&x, EV_SIG_RESTART, 2), 1);
    sim_free(&x);
}

/* timer 0 runs the function at the thread's second tick; a cancel before
 * the thread ever ran still stops it (finished is set before the wait). */
static void test_timer_zero_and_cancel_before_start(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\nprogram f {\n  print \"f\"\n}\n"
                  "program main {\n  timer 0 f -> a\n  timer 0 f -> b\n  cancel b\n"
                  "  join a\n  join b\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "f");
    assert_null(printed(&x, 2, 1));
    assert_int_equal(count_events(&x, EV_THREAD_END, 0), 2);
    assert_int_equal(trace_find_proc(&x.tr, 2)->exit_status, 0);
    sim_free(&x);
}

/* A timer is a thread: it pays thread_cost, and the main thread waits for
 * it at the end (a Timer is not a daemon). */
static void test_timer_pays_thread_cost_and_is_waited_for(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config thread_cost=3\nprogram f {\n  print \"late\"\n}\n"
                  "program main {\n  timer 20 f\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(find_event(&x, EV_COST, 2)->reason, COST_THREAD + 1);
    assert_int_equal(tick_of(&x, EV_THREAD_START, 2), 2);
    assert_string_equal(printed(&x, 2, 0), "late");
    assert_true(find_event(&x, EV_EXIT, 2)->tick > tick_of(&x, EV_PRINT, 2));
    sim_free(&x);
}

/* A daemon timer (t.daemon = True) does not keep its process alive: it
 * ends with it, its program never run. */
static void test_daemon_timer_ends_with_its_process(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program f {\n  print \"late\"\n}\n"
                  "program main {\n  timer 20 f daemon -> t\n  print \"alive\" is_alive(t)\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "alive True");
    assert_null(printed(&x, 2, 1));
    assert_true(find_event(&x, EV_EXIT, 2)->tick < 10);
    assert_int_equal(count_events(&x, EV_TIMER, 0), 1);     /* started, never fired */
    sim_free(&x);
}

/* Bad timer and cancel statements are load errors with clear messages. */
static void test_timer_parse_errors(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        { "program f {\n  compute 1\n}\nprogram main {\n  timer f\n}\nspawn main\n",
          "expected a program name after 'timer N' (the function the timer runs)" },
        { "program main {\n  timer 5\n}\nspawn main\n",
          "expected a program name after 'timer N' (the function the timer runs)" },
        { "program main {\n  timer 5 nosuch\n}\nspawn main\n",
          "unknown program 'nosuch'; programs are: main" },
        { "program f(a) {\n  print a\n}\nprogram main {\n  timer 5 f -> t\n}\nspawn main\n",
          "program f takes 1 argument: write f(...)" },
        { "program f {\n  compute 1\n}\nprogram main {\n  timer -1 f\n}\nspawn main\n",
          "expected a number of ticks (0 or more) after 'timer'" },
        { "program main {\n  cancel\n}\nspawn main\n",
          "expected a timer (the thread id 'timer ... -> T' gave) after 'cancel'" },
        { "timer 5 main\nprogram main {\n  compute 1\n}\nspawn main\n",
          "'timer' must be inside a program or handler" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct diag d;
        struct scenario *s = scenario_parse("t.scn", bad[i][0], strlen(bad[i][0]), &d);
        if (s)
            fail_msg("case %zu accepted", i);
        if (!strstr(d.msg, bad[i][1]))
            fail_msg("case %zu: got \"%s\"", i, d.msg);
    }
}

/* cancel of something that is not a number raises TypeError. */
static void test_cancel_needs_an_int(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  try {\n    cancel \"x\"\n  } except TypeError {\n"
                  "    print \"TypeError\"\n  }\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "TypeError");
    sim_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fork_cost_takes_ticks_and_child_appears_after),
        cmocka_unit_test(test_plain_fork_pays_once),
        cmocka_unit_test(test_fork_cost_is_preemptible),
        cmocka_unit_test(test_handler_during_fork_cost_resumes_it),
        cmocka_unit_test(test_thread_cost),
        cmocka_unit_test(test_exec_cost),
        cmocka_unit_test(test_exit_cost_explicit_and_implicit),
        cmocka_unit_test(test_default_costs_follow_tick),
        cmocka_unit_test(test_timer_fires_and_cancel_skips),
        cmocka_unit_test(test_timer_waits_in_s_and_survives_a_stop),
        cmocka_unit_test(test_timer_wait_resumes_after_a_handler),
        cmocka_unit_test(test_timer_zero_and_cancel_before_start),
        cmocka_unit_test(test_timer_pays_thread_cost_and_is_waited_for),
        cmocka_unit_test(test_daemon_timer_ends_with_its_process),
        cmocka_unit_test(test_timer_parse_errors),
        cmocka_unit_test(test_cancel_needs_an_int),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
