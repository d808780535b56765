/*
 * test_signal.c - signals and job control (signal(7), LINUX-SEMANTICS §4):
 * default actions, handlers, masks, pending without queueing, interrupted
 * sleeps, D not interrupted, stop/continue, SIGCHLD, alarm, pause,
 * subreapers, the terminal, orphaned process groups.
 */
#include "helpers.h"

#include <stdio.h>

static int64_t exit_of(const struct sim *x, int pid)
{
    const struct proc_record *r = trace_find_proc(&x->tr, pid);
    if (!r || r->exited < 0)
        fail_msg("pid %d did not exit", pid);
    return r->exit_status;
}

static const struct event *find_reason(const struct sim *x, int kind, int pid,
                                       int reason)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == kind && x->tr.ev[i].pid == pid &&
            x->tr.ev[i].reason == reason)
            return &x->tr.ev[i];
    return NULL;
}

static void test_sigterm_default_terminates_with_minus_15(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program victim {\n  compute 100\n}\nspawn victim\n"
                  "at 5 kill 2 SIGTERM\n");
    sim_at(&x, 4);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 2), 'Z');
    assert_int_equal(task_of(&x, 2)->cpu_ticks, 5);
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -15);
    assert_non_null(find_reason(&x, EV_SIG_DEFAULT, 2, ACT_TERM));
    sim_free(&x);
}

static void test_ignored_sigterm_changes_nothing(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  signal SIGTERM ignore\n  compute 20\n}\n"
                  "spawn main\nat 5 kill 2 SIGTERM\nat 6 kill 2 TERM\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), 0);
    assert_int_equal(count_events(&x, EV_SIG_IGNORED, 2), 2);
    sim_free(&x);
}

/* The handler runs as the process is about to run; the interrupted
 * compute then goes on where it was. */
static void test_handler_runs_then_program_resumes(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "handler onusr {\n  print \"got\" now()\n}\n"
                  "program main {\n  signal SIGUSR1 onusr\n  compute 10\n"
                  "  print \"done\" now()\n}\nspawn main\nat 5 kill 2 SIGUSR1\n");
    sim_at(&x, 5);
    assert_int_equal(task_of(&x, 2)->handler_sig, SIG_USR1);
    assert_string_equal(task_of(&x, 2)->comm, "main");
    sim_finish(&x);
    /* 0 signal; compute 1-4 (4 ticks), handler prints at 5, compute 6-11,
     * done at 12. */
    assert_string_equal(printed(&x, 2, 0), "got 5");
    assert_string_equal(printed(&x, 2, 1), "done 12");
    assert_int_equal(count_events(&x, EV_SIG_RETURN, 2), 1);
    sim_free(&x);
}

/* sleep(3): a caught signal ends the sleep and reports the ticks left. */
static void test_signal_interrupts_sleep_with_ticks_left(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "handler h {\n  print \"h\"\n}\n"
                  "program main {\n  signal SIGUSR1 h\n  sleep 20 -> left\n"
                  "  print \"left\" left\n}\nspawn main\nat 6 kill 2 SIGUSR1\n");
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 2), 'S');
    sim_at(&x, 6);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_finish(&x);
    /* sleep in tick 1: S during 2..21; 4 ticks slept by 6, 16 left. */
    assert_string_equal(printed(&x, 2, 0), "h");
    assert_string_equal(printed(&x, 2, 1), "left 16");
    sim_free(&x);
}

/* SIGKILL does not wake a task in D: it dies when its I/O completes. */
static void test_sigkill_waits_for_disk_io(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program reader {\n  disk 10\n  compute 5\n}\nspawn reader\n"
                  "at 3 kill 2 SIGKILL\n");
    sim_at(&x, 3);
    assert_int_equal(state_of(&x, 2), 'D');
    assert_int_equal(task_of(&x, 2)->pending, 1u << SIG_KILL);
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 2), 'D');
    sim_at(&x, 11);
    assert_int_equal(state_of(&x, 2), 'Z');
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -9);
    assert_non_null(find_reason(&x, EV_SIG_PENDING, 2, SIGP_IN_D));
    sim_free(&x);
}

/* ... while a task in S dies at once. */
static void test_sigkill_wakes_a_sleeper(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  sleep 10\n  compute 5\n}\nspawn main\n"
                  "at 3 kill 2 SIGKILL\n");
    sim_at(&x, 3);
    assert_int_equal(state_of(&x, 2), 'Z');
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -9);
    sim_free(&x);
}

/* A blocked signal stays pending; sent twice it is handled once. */
static void test_blocked_signal_delivered_once_on_unblock(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "handler h {\n  print \"h\" now()\n}\n"
                  "program main {\n  signal SIGUSR1 h\n  block SIGUSR1\n"
                  "  compute 10\n  unblock SIGUSR1\n  compute 3\n}\nspawn main\n"
                  "at 4 kill 2 SIGUSR1\nat 6 kill 2 SIGUSR1\n");
    sim_at(&x, 7);
    assert_int_equal(task_of(&x, 2)->pending, 1u << SIG_USR1);
    assert_int_equal(task_of(&x, 2)->blocked, 1u << SIG_USR1);
    sim_finish(&x);
    /* 0 signal, 1 block, 2-11 compute, 12 unblock, handler at 13. */
    assert_string_equal(printed(&x, 2, 0), "h 13");
    assert_null(printed(&x, 2, 1));
    assert_non_null(find_reason(&x, EV_SIG_PENDING, 2, SIGP_BLOCKED));
    assert_non_null(find_reason(&x, EV_SIG_PENDING, 2, SIGP_MERGED));
    sim_free(&x);
}

static void test_sigstop_then_sigcont(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program hog {\n  compute 20\n}\nspawn hog\n"
                  "at 5 kill 2 SIGSTOP\nat 10 kill 2 SIGCONT\n");
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 2), 'T');
    sim_at(&x, 9);
    assert_int_equal(state_of(&x, 2), 'T');
    assert_int_equal(task_of(&x, 2)->cpu_ticks, 5);
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 2), 'R');
    assert_int_equal(task_of(&x, 2)->cpu, 0);
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), 0);
    sim_free(&x);
}

/* Generating SIGCONT discards a pending stop signal, mask or not. */
static void test_sigcont_discards_pending_stop(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  block SIGTSTP\n  compute 10\n"
                  "  unblock SIGTSTP\n  compute 5\n}\nspawn main\n"
                  "at 3 kill 2 SIGTSTP\nat 5 kill 2 SIGCONT\n");
    sim_at(&x, 4);
    assert_int_equal(task_of(&x, 2)->pending, 1u << SIG_TSTP);
    sim_at(&x, 5);
    assert_int_equal(task_of(&x, 2)->pending, 0);
    sim_at(&x, 14);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_finish(&x);
    assert_int_equal(count_events(&x, EV_SIG_DEFAULT, 2), 0);
    sim_free(&x);
}

/* A process stopped in a sleep goes back to sleep until the original end;
 * if that passed while it was stopped, it is runnable when continued. */
static void test_stopped_sleeper_keeps_its_deadline(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  sleep 10\n  compute 1\n}\nspawn main\n"
                  "at 3 kill 2 SIGSTOP\nat 5 kill 2 SIGCONT\n");
    sim_at(&x, 3);
    assert_int_equal(state_of(&x, 2), 'T');
    sim_at(&x, 6);
    assert_int_equal(state_of(&x, 2), 'S');
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 2), 'S');
    sim_at(&x, 11);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_free(&x);

    sim_start(&x, "program main {\n  sleep 10\n  compute 1\n}\nspawn main\n"
                  "at 3 kill 2 SIGSTOP\nat 15 kill 2 SIGCONT\n");
    sim_at(&x, 14);
    assert_int_equal(state_of(&x, 2), 'T');
    sim_at(&x, 15);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_free(&x);
}

static void test_sigkill_ends_a_stopped_process(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program hog {\n  compute 50\n}\nspawn hog\n"
                  "at 2 kill 2 SIGSTOP\nat 4 kill 2 SIGTERM\nat 6 kill 2 SIGKILL\n");
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 2), 'T');    /* SIGTERM waits */
    sim_at(&x, 6);
    assert_int_equal(state_of(&x, 2), 'Z');
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -9);
    sim_free(&x);
}

/* A parent that ignores SIGCHLD gets no zombies, and wait returns -1. */
static void test_sigchld_ignored_leaves_no_zombie(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  compute 2\n}\n"
                  "program main {\n  signal SIGCHLD ignore\n  fork kid\n"
                  "  compute 10\n  wait -> r\n  print r\n}\nspawn main\n");
    sim_finish(&x);
    for (size_t i = 0; i < x.tr.nstates; i++)
        if (x.tr.states[i].tid == 3)
            assert_int_not_equal(x.tr.states[i].state, 'Z');
    assert_int_equal(count_events(&x, EV_AUTO_REAP, 3), 1);
    assert_string_equal(printed(&x, 2, 0), "-1");
    sim_free(&x);
}

/* The default SIGCHLD disposition ("ignore" in the table) does not reap. */
static void test_default_sigchld_still_leaves_zombie(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  compute 1\n}\n"
                  "program main {\n  signal SIGCHLD default\n  fork kid\n"
                  "  compute 30\n  wait\n}\nspawn main\n");
    sim_at(&x, 25);
    assert_int_equal(state_of(&x, 3), 'Z');
    sim_free(&x);
}

static void test_sigchld_handler_reaps_with_nohang(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "handler reaper {\n  waitpid -1 nohang -> p, st\n"
                  "  print \"reaped\" p st\n}\n"
                  "program kid {\n  exit 3\n}\n"
                  "program main {\n  signal SIGCHLD reaper\n  fork kid\n"
                  "  compute 20\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "reaped 3 3");
    assert_int_equal(count_events(&x, EV_SIG_HANDLER, 2), 1);
    sim_free(&x);
}

/* signal.alarm + signal.pause: the alarm ends the pause by its handler. */
static void test_alarm_ends_pause_through_handler(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "handler ring {\n  print \"ring\" now()\n}\n"
                  "program main {\n  signal SIGALRM ring\n  alarm 5\n  pause\n"
                  "  print \"after pause\" now()\n}\nspawn main\n");
    sim_at(&x, 4);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "pause");
    assert_int_equal(task_of(&x, 2)->alarm_at, 7);
    sim_finish(&x);
    /* alarm in tick 1 is due at 7; pause from 3. */
    assert_string_equal(printed(&x, 2, 0), "ring 7");
    assert_string_equal(printed(&x, 2, 1), "after pause 8");
    sim_free(&x);
}

static void test_alarm_replaced_cancelled_and_default_kills(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  alarm 3\n  alarm 0\n  compute 10\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), 0);
    sim_free(&x);
    sim_start(&x, "program main {\n  alarm 3\n  alarm 8\n  compute 20\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -14);
    assert_int_equal(trace_find_proc(&x.tr, 2)->exited, 10);   /* due at 1+8+1 */
    assert_int_equal(count_events(&x, EV_ALARM, 2), 1);
    sim_free(&x);
}

/* fork: the child has no pending signals and no alarm, but the parent's
 * dispositions and mask. */
static void test_fork_child_inherits_dispositions_not_alarm(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  signal SIGTERM ignore\n  block SIGUSR1\n"
                  "  alarm 50\n  fork\n  compute 5\n}\nspawn main\n");
    sim_at(&x, 5);
    const struct snap_task *c = task_of(&x, 3);
    assert_int_equal(c->sigact[SIG_TERM], -2);
    assert_int_equal(c->blocked, 1u << SIG_USR1);
    assert_int_equal(c->alarm_at, -1);
    assert_true(task_of(&x, 2)->alarm_at > 0);
    sim_free(&x);
}

static void test_orphan_goes_to_nearest_subreaper(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program gc {\n  compute 20\n}\n"
                  "program child {\n  fork gc\n  compute 1\n}\n"
                  "program top {\n  subreaper\n  fork child\n  compute 60\n"
                  "  wait\n  wait\n}\nspawn top\n");
    sim_at(&x, 30);
    assert_int_equal(task_of(&x, 4)->ppid, 2);
    assert_true(task_of(&x, 2)->subreaper);
    sim_finish(&x);
    const struct event *e = find_event(&x, EV_REPARENT, 4);
    assert_int_equal(e->b, 2);
    assert_int_equal(trace_find_proc(&x.tr, 4)->ppid, 2);
    sim_free(&x);
}

static void test_ctrl_c_signals_only_the_foreground_job(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program job {\n  compute 50\n}\nspawn job\nspawn job\n"
                  "at 5 ctrl-c\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -2);
    assert_int_equal(exit_of(&x, 3), 0);
    sim_free(&x);
}

static void test_ctrl_z_then_fg(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program job {\n  compute 30\n}\nspawn job\n"
                  "at 5 ctrl-z\nat 10 fg\n");
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 2), 'T');
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), 0);
    assert_non_null(find_reason(&x, EV_SIG_DEFAULT, 2, ACT_STOP));
    sim_free(&x);
}

/* The job's leader is gone and its child now belongs to init: the group is
 * orphaned and the terminal's stop signal does nothing to it. */
static void test_orphaned_group_ignores_terminal_stop(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  compute 30\n}\n"
                  "program leader {\n  fork kid\n  compute 1\n}\nspawn leader\n"
                  "at 10 ctrl-z\n");
    sim_at(&x, 11);
    assert_int_equal(task_of(&x, 3)->ppid, 1);
    assert_int_equal(state_of(&x, 3), 'R');
    sim_finish(&x);
    assert_non_null(find_reason(&x, EV_SIG_IGNORED, 3, SIGI_ORPHANED));
    sim_free(&x);
}

static void test_kill_zero_signals_own_group(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  fork -> r\n  compute 3\n  kill 0 SIGTERM\n"
                  "  compute 10\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -15);
    assert_int_equal(exit_of(&x, 3), -15);
    sim_free(&x);
}

static void test_init_ignores_signals_without_handler(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  compute 5\n}\nspawn main\n"
                  "at 1 kill 1 SIGKILL\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    assert_non_null(find_reason(&x, EV_SIG_IGNORED, 1, SIGI_INIT));
    sim_free(&x);
}

/* The window sends signals by recomputing the run with extra events. */
static void test_run_with_added_outside_events(void **state)
{
    (void)state;
    struct scenario *s = load("program job {\n  compute 50\n}\nspawn job\nspawn job\n"
                              "at 30 kill 3 SIGKILL\n");
    struct outside extra = { .kind = OUT_KILL, .at = 5, .pid = 2, .sig = SIG_TERM };
    struct run *r = run_record_with(s, &s->config, &extra, 1);
    const struct proc_record *p2 = trace_find_proc(run_trace(r), 2);
    const struct proc_record *p3 = trace_find_proc(run_trace(r), 3);
    assert_int_equal(p2->exit_status, -15);
    assert_int_equal(p3->exit_status, -9);
    assert_int_equal(s->noutside, 1);          /* the scenario is untouched */
    char line[64];
    outside_format(&extra, line, sizeof line);
    assert_string_equal(line, "at 5 kill 2 SIGTERM");
    struct outside z = { .kind = OUT_CTRL_Z, .at = 7 };
    outside_format(&z, line, sizeof line);
    assert_string_equal(line, "at 7 ctrl-z");
    run_free(r);
    r = run_record(s, &s->config);
    assert_int_equal(trace_find_proc(run_trace(r), 2)->exit_status, 0);
    run_free(r);
    scenario_free(s);
}

/* complete_signal: the first signal that kills, sent to a thread that
 * wants it (a task in D does: it is not stopped), starts the group exit;
 * the ones after it are dropped, although SIGKILL has the lower number. */
static void test_first_fatal_signal_decides_even_in_d(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program reader {\n  disk 20\n}\nspawn reader\nspawn reader\n"
                  "at 3 kill 2 SIGTERM\nat 4 kill 2 SIGKILL\n"
                  "at 3 kill 3 SIGKILL\nat 4 kill 3 SIGINT\n");
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 2), 'D');
    assert_int_equal(state_of(&x, 3), 'D');
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -15);
    assert_int_equal(exit_of(&x, 3), -9);
    const struct event *e = find_reason(&x, EV_SIG_IGNORED, 2, SIGI_DYING);
    assert_non_null(e);
    assert_int_equal(e->a, SIG_KILL);
    assert_int_equal(e->b, SIG_TERM);
    assert_non_null(find_reason(&x, EV_SIG_IGNORED, 3, SIGI_DYING));
    sim_free(&x);
}

/* A stopped thread does not want SIGINT or SIGHUP: they stay pending and
 * it stays stopped. SIGKILL it wants, and it decides (-9, not -1). */
static void test_sigkill_beats_signals_pending_while_stopped(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  pause\n}\nspawn kid\nat 2 kill 2 SIGSTOP\n"
                  "at 4 kill 2 SIGINT\nat 5 kill 2 SIGHUP\nat 8 kill 2 SIGKILL\n");
    sim_at(&x, 7);
    assert_int_equal(state_of(&x, 2), 'T');
    assert_int_equal(task_of(&x, 2)->pending, (1u << SIG_INT) | (1u << SIG_HUP));
    assert_int_equal(count_events(&x, EV_SIG_PENDING, 2), 3);
    assert_non_null(find_reason(&x, EV_SIG_PENDING, 2, SIGP_STOPPED));
    sim_at(&x, 8);
    assert_int_equal(state_of(&x, 2), 'Z');
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -9);
    sim_free(&x);
}

/* What stayed pending while stopped is acted on after SIGCONT, lowest
 * number first, as get_signal dequeues. */
static void test_signal_pending_while_stopped_acts_after_sigcont(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  pause\n}\nspawn kid\nat 2 kill 2 SIGSTOP\n"
                  "at 4 kill 2 SIGTERM\nat 5 kill 2 SIGHUP\nat 8 kill 2 SIGCONT\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -1);
    sim_free(&x);
}

/* A core-dumping signal does not start the group exit (the thread that
 * takes it writes the dump): a SIGKILL after it still does. */
static void test_core_signal_does_not_decide(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program reader {\n  disk 20\n}\nspawn reader\n"
                  "at 3 kill 2 SIGQUIT\nat 4 kill 2 SIGKILL\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -9);
    sim_free(&x);
}

/* eintr=retry (PEP 475): a sleep a handler interrupts goes on to its
 * original end and reports 0 left; a wait is retried and reaps. The default
 * is C's: the sleep ends early with the ticks left, the wait returns -1. */
static void test_eintr_retry_resumes_sleep_and_wait(void **state)
{
    (void)state;
    static const char src[] =
        "config eintr=%s\n"
        "handler onusr {\n  print \"handler\" now()\n}\n"
        "program kid {\n  sleep 30\n  exit 3\n}\n"
        "program main {\n  signal SIGUSR1 onusr\n  sleep 10 -> left\n"
        "  print \"slept\" now() left\n  fork kid\n  wait -> p, st\n"
        "  print \"wait\" p st\n}\n"
        "spawn main\nat 4 kill 2 SIGUSR1\nat 20 kill 2 SIGUSR1\n";
    char buf[600];
    struct sim x;
    snprintf(buf, sizeof buf, src, "retry");
    sim_start(&x, buf);
    sim_finish(&x);
    /* sleep in tick 1: S 2..11, whatever the handler did at 4-5 */
    assert_string_equal(printed(&x, 2, 0), "handler 4");
    assert_string_equal(printed(&x, 2, 1), "slept 12 0");
    assert_string_equal(printed(&x, 2, 2), "handler 20");
    assert_string_equal(printed(&x, 2, 3), "wait 3 3");
    assert_int_equal(count_events(&x, EV_SIG_RESTART, 2), 2);
    assert_int_equal(count_events(&x, EV_SIG_EINTR, 2), 0);
    sim_free(&x);

    snprintf(buf, sizeof buf, src, "return");
    sim_start(&x, buf);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 1), "slept 5 8");
    assert_string_equal(printed(&x, 2, 3), "wait -1 0");
    assert_int_equal(count_events(&x, EV_SIG_EINTR, 2), 2);
    sim_free(&x);
}

/* pause returns after a handler in C and in Python alike. */
static void test_eintr_retry_does_not_restart_pause(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config eintr=retry\nhandler h {\n  print \"h\"\n}\n"
                  "program main {\n  signal SIGUSR1 h\n  pause\n  print \"after\" now()\n}\n"
                  "spawn main\nat 4 kill 2 SIGUSR1\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 1), "after 5");
    assert_int_equal(exit_of(&x, 2), 0);
    sim_free(&x);
}

/* do_group_exit: a process whose group exit a fatal signal has started
 * (from another CPU, earlier in the same tick) exits with that signal even
 * if it calls exit itself. */
static void test_exit_after_fatal_signal_reports_the_signal(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\nprogram victim {\n  compute 2\n  exit 5\n}\n"
                  "program killer {\n  compute 2\n  kill 3 SIGTERM\n}\n"
                  "spawn killer\nspawn victim\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 3), -15);
    sim_free(&x);
}

/* A signal sent in the tick its target, running on another CPU, goes to
 * sleep still ends that sleep: Linux looks for a pending signal before a
 * task sleeps. (It used to wait until the sleep ended: forever for an
 * event nobody sets, 1000 ticks for the sleep.) */
static void test_signal_in_the_tick_its_target_goes_to_sleep_wakes_it(void **state)
{
    (void)state;
    const char *waits[] = { "never.wait", "sleep 1000" };
    for (int i = 0; i < 2; i++) {
        char src[512];
        snprintf(src, sizeof src,
                 "config cpus=2\nsemaphore started 0\nevent never\n"
                 "program child {\n  compute 3\n  started.release\n  %s\n}\n"
                 "program main {\n  fork child -> c\n  started.acquire\n"
                 "  kill c SIGTERM\n  wait -> pid, st\n  print now() st\n}\nspawn main\n",
                 waits[i]);
        struct sim x;
        sim_start(&x, src);
        sim_finish(&x);
        assert_int_equal(machine_status(x.m), MS_EMPTY);
        /* child: 1..3 compute, release in 4; kill and the child's wait in 5 */
        assert_string_equal(printed(&x, 2, 0), "7 -15");
        sim_free(&x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigterm_default_terminates_with_minus_15),
        cmocka_unit_test(test_ignored_sigterm_changes_nothing),
        cmocka_unit_test(test_handler_runs_then_program_resumes),
        cmocka_unit_test(test_signal_interrupts_sleep_with_ticks_left),
        cmocka_unit_test(test_sigkill_waits_for_disk_io),
        cmocka_unit_test(test_sigkill_wakes_a_sleeper),
        cmocka_unit_test(test_blocked_signal_delivered_once_on_unblock),
        cmocka_unit_test(test_sigstop_then_sigcont),
        cmocka_unit_test(test_sigcont_discards_pending_stop),
        cmocka_unit_test(test_stopped_sleeper_keeps_its_deadline),
        cmocka_unit_test(test_sigkill_ends_a_stopped_process),
        cmocka_unit_test(test_sigchld_ignored_leaves_no_zombie),
        cmocka_unit_test(test_default_sigchld_still_leaves_zombie),
        cmocka_unit_test(test_sigchld_handler_reaps_with_nohang),
        cmocka_unit_test(test_alarm_ends_pause_through_handler),
        cmocka_unit_test(test_alarm_replaced_cancelled_and_default_kills),
        cmocka_unit_test(test_fork_child_inherits_dispositions_not_alarm),
        cmocka_unit_test(test_orphan_goes_to_nearest_subreaper),
        cmocka_unit_test(test_ctrl_c_signals_only_the_foreground_job),
        cmocka_unit_test(test_ctrl_z_then_fg),
        cmocka_unit_test(test_orphaned_group_ignores_terminal_stop),
        cmocka_unit_test(test_kill_zero_signals_own_group),
        cmocka_unit_test(test_init_ignores_signals_without_handler),
        cmocka_unit_test(test_run_with_added_outside_events),
        cmocka_unit_test(test_first_fatal_signal_decides_even_in_d),
        cmocka_unit_test(test_sigkill_beats_signals_pending_while_stopped),
        cmocka_unit_test(test_signal_pending_while_stopped_acts_after_sigcont),
        cmocka_unit_test(test_core_signal_does_not_decide),
        cmocka_unit_test(test_eintr_retry_resumes_sleep_and_wait),
        cmocka_unit_test(test_eintr_retry_does_not_restart_pause),
        cmocka_unit_test(test_exit_after_fatal_signal_reports_the_signal),
        cmocka_unit_test(test_signal_in_the_tick_its_target_goes_to_sleep_wakes_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
