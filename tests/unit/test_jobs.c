/*
 * test_jobs.c - job control a shell can use (LINUX-SEMANTICS §3-§4):
 * setpgid and its failures, the terminal's foreground group (tcsetpgrp,
 * tcgetpgrp, SIGTTOU from the background), terminal keys reaching the
 * foreground group only, waitpid untraced / continued and the wait-status
 * built-ins, and SIGHUP + SIGCONT to an orphaned group with a stopped
 * member (kernel/exit.c kill_orphaned_pgrp).
 */
#include <stdio.h>

#include "helpers.h"

static int64_t exit_of(const struct sim *x, int pid)
{
    const struct proc_record *r = trace_find_proc(&x->tr, pid);
    if (!r || r->exited < 0)
        fail_msg("pid %d did not exit", pid);
    return r->exit_status;
}

/* The first signal sent from outside the processes (sender pid 0). */
static const struct event *outside_send(const struct sim *x)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_SIG_SEND && x->tr.ev[i].pid == 0)
            return &x->tr.ev[i];
    fail_msg("no signal sent from outside");
    return NULL;
}

/* The shell every test starts from: forks JOB into a group of its own and
 * gives it the terminal; pid 2 is the shell, pid 3 the job. */
#define SHELL_START \
    "program shell {\n  fork job -> j\n  setpgid j j\n  tcsetpgrp j\n"

/* ------------------------------------------------------------- parsing */

static void test_job_control_statements_compile(void **state)
{
    (void)state;
    struct scenario *s = load(
        "program main {\n  setpgid 0 (-1) -> r\n  tcsetpgrp getpgrp() -> r\n"
        "  waitpid -1 continued untraced nohang -> p, st\n  waitpid -1\n  setsid -> s\n}\n"
        "spawn main\nat 1 ctrl-\\\nat 2 ctrl-backslash\nat 3 ctrl-c\n");
    const struct insn *code = s->programs[0].code;
    assert_int_equal(code[0].op, OP_SETPGID);
    assert_int_equal(code[0].e1->kind, EX_NUM);
    assert_int_equal(code[0].e2->num, -1);
    assert_true(code[0].var >= 0);
    assert_int_equal(code[1].op, OP_TCSETPGRP);
    assert_int_equal(code[1].e1->kind, EX_GETPGRP);
    assert_int_equal(code[2].op, OP_WAITPID);
    assert_int_equal(code[2].flags, INSN_NOHANG | INSN_UNTRACED | INSN_CONTINUED);
    assert_int_equal(code[3].flags, 0);
    assert_int_equal(code[4].op, OP_SETSID);
    assert_true(code[4].var >= 0);
    assert_int_equal(s->noutside, 3);
    assert_int_equal(s->outside[0].kind, OUT_CTRL_BACKSLASH);
    assert_int_equal(s->outside[1].kind, OUT_CTRL_BACKSLASH);
    assert_int_equal(s->outside[2].kind, OUT_CTRL_C);
    scenario_free(s);
}

/* ------------------------------------------------------ terminal keys */

/* Ctrl-Z reaches the job the shell made the foreground, not the shell:
 * the shell's waitpid untraced returns with the stop. */
static void test_ctrl_z_stops_the_foreground_job_not_the_shell(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program job {\n  compute 50\n}\n" SHELL_START
                  "  waitpid j untraced -> p, st\n  print p st\n  compute 20\n}\n"
                  "spawn shell\nat 10 ctrl-z\n");
    sim_at(&x, 9);
    assert_int_equal(x.snap.fg_pgid, 3);
    assert_int_equal(task_of(&x, 3)->pgid, 3);
    assert_int_equal(task_of(&x, 2)->pgid, 2);
    assert_int_equal(state_of(&x, 2), 'S');
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 3), 'T');
    assert_int_equal(state_of(&x, 2), 'R');
    sim_finish(&x);
    /* Linux's raw stop status: (SIGTSTP << 8) | 0x7f. */
    assert_string_equal(printed(&x, 2, 0), "3 5247");
    for (size_t i = 0; i < x.tr.nev; i++)
        if (x.tr.ev[i].kind == EV_SIG_SEND && x.tr.ev[i].a == SIG_TSTP)
            assert_int_equal(x.tr.ev[i].b, 3);       /* never to the shell */
    sim_free(&x);
}

/* Without setpgid the child is in the shell's group, and Ctrl-Z stops
 * both: the problem a shell's setpgid solves. */
static void test_without_setpgid_ctrl_z_stops_the_shell_too(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program job {\n  compute 50\n}\n"
                  "program shell {\n  fork job -> j\n  waitpid j untraced\n}\n"
                  "spawn shell\nat 10 ctrl-z\n");
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 3), 'T');
    assert_int_equal(state_of(&x, 2), 'T');
    sim_free(&x);
}

/* Ctrl-\ sends SIGQUIT (default: terminate with a core dump) to the
 * foreground group. */
static void test_ctrl_backslash_quits_the_foreground_group(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program job {\n  compute 50\n}\n" SHELL_START
                  "  waitpid j -> p, st\n  print wifsignaled(st) wtermsig(st)\n}\n"
                  "spawn shell\nat 10 ctrl-\\\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 3), -3);
    assert_int_equal(exit_of(&x, 2), 0);
    assert_string_equal(printed(&x, 2, 0), "1 3");
    char line[160];
    event_format(&x.tr, x.s, outside_send(&x), line, sizeof line);
    assert_string_equal(line, "terminal sends SIGQUIT to 3");
    sim_free(&x);
}

/* --------------------------------------------------------- wait status */

/* The built-ins are glibc's macros over the status: an exit code, -SIG,
 * or Linux's raw stop / continue values. An exit code of 127 is no stop. */
static void test_wait_status_builtins(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n"
                  "  print wifexited(3) wexitstatus(3) wifsignaled(3) wifstopped(3)\n"
                  "  print wifexited(-9) wifsignaled(-9) wtermsig(-9) wifcontinued(-9)\n"
                  "  print wifstopped(127) wifexited(127) wexitstatus(127)\n"
                  "  print wifstopped(5247) wstopsig(5247) wifexited(5247) wifsignaled(5247)\n"
                  "  print wifcontinued(65535) wifstopped(65535) wifsignaled(65535) wifexited(65535)\n"
                  "}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "1 3 0 0");
    assert_string_equal(printed(&x, 2, 1), "0 1 9 0");
    assert_string_equal(printed(&x, 2, 2), "0 1 127");
    assert_string_equal(printed(&x, 2, 3), "1 20 0 0");
    assert_string_equal(printed(&x, 2, 4), "1 0 0 0");
    sim_free(&x);
}

/* A stop is reported once, and only to a waitpid that asked (untraced);
 * a continue once, only with continued. */
static void test_waitpid_reports_stop_and_continue_once(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  compute 30\n  exit 4\n}\n"
                  "program main {\n  fork kid -> c\n  kill c SIGSTOP\n"
                  "  waitpid c nohang -> p, st\n  print p\n"
                  "  waitpid c untraced -> p, st\n  print p wstopsig(st)\n"
                  "  waitpid c untraced nohang -> p, st\n  print p\n"
                  "  kill c SIGCONT\n"
                  "  waitpid c untraced nohang -> p, st\n  print p\n"
                  "  waitpid c continued -> p, st\n  print p wifcontinued(st)\n"
                  "  waitpid c continued untraced -> p, st\n  print wifexited(st) wexitstatus(st)\n"
                  "}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "0");
    assert_string_equal(printed(&x, 2, 1), "3 19");
    assert_string_equal(printed(&x, 2, 2), "0");
    assert_string_equal(printed(&x, 2, 3), "0");       /* continued, not asked */
    assert_string_equal(printed(&x, 2, 4), "3 1");
    assert_string_equal(printed(&x, 2, 5), "1 4");
    assert_int_equal(count_events(&x, EV_WAIT_JOB, 2), 2);
    sim_free(&x);
}

/* A waitpid untraced already asleep is woken by the stop (not only by an
 * exit); a plain one sleeps on. */
static void test_sleeping_waitpid_untraced_wakes_on_stop(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\nprogram kid {\n  compute 30\n}\n"
                  "program main {\n  fork kid -> c\n  fork kid -> d\n"
                  "  thread plain\n  waitpid c untraced -> p, st\n  print \"stop\" now()\n}\n"
                  "program plain {\n  waitpid d\n}\n"
                  "spawn main\nat 10 kill 3 SIGSTOP\nat 11 kill 4 SIGSTOP\n");
    sim_at(&x, 11);
    const struct event *e = find_event(&x, EV_WAKE, 2);
    assert_non_null(e);
    assert_int_equal(e->reason, WHY_CHILD_STOP);
    assert_int_equal(e->tick, 10);
    sim_at(&x, 12);
    assert_int_equal(state_of(&x, 4), 'T');
    assert_int_equal(count_events(&x, EV_WAKE, 2), 1);   /* not the plain waiter */
    sim_free(&x);
}

/* -------------------------------------------------------------- setpgid */

static void test_setpgid_rules(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program other {\n  exec idle\n}\nprogram idle {\n  sleep 50\n}\n"
                  "program main {\n  fork idle -> a\n  fork other -> b\n  sleep 3\n"
                  "  setpgid a 0 -> r\n  print r getpgid(a)\n"
                  "  setpgid a getpgrp() -> r\n  print r getpgid(a)\n"
                  "  setpgid b b -> r\n  print r\n"
                  "  setpgid a 999 -> r\n  print r\n"
                  "  setpgid a 1 -> r\n  print r\n"
                  "  setpgid 0 (-5) -> r\n  print r\n"
                  "  setpgid 1 0 -> r\n  print r\n"
                  "  setpgid a 0\n  setpgid 0 a -> r\n  print r getpgrp() getpgid(0)\n"
                  "  print getpgid(999) tcgetpgrp()\n"
                  "  kill a SIGKILL\n  kill b SIGKILL\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "0 3");      /* 0: the pid itself */
    assert_string_equal(printed(&x, 2, 1), "0 2");
    assert_string_equal(printed(&x, 2, 2), "-13");      /* EACCES after exec */
    assert_string_equal(printed(&x, 2, 3), "-1");       /* EPERM: no group 999 */
    assert_string_equal(printed(&x, 2, 4), "-1");       /* EPERM: init's group */
    assert_string_equal(printed(&x, 2, 5), "-22");      /* EINVAL */
    assert_string_equal(printed(&x, 2, 6), "-3");       /* ESRCH: not a child */
    assert_string_equal(printed(&x, 2, 7), "0 3 3");    /* into the group 3 leads */
    assert_string_equal(printed(&x, 2, 8), "-3 2");     /* the terminal stays with 2 */
    assert_int_equal(count_events(&x, EV_SETPGID, 2), 9);
    sim_free(&x);

    /* A thread is not a process: EINVAL for its tid; getpgid reads its
     * process's group. */
    sim_start(&x, "program worker {\n  sleep 5\n}\n"
                  "program main {\n  thread worker -> t\n  setpgid t t -> r\n"
                  "  print r getpgid(t)\n  join t\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "-22 2");
    sim_free(&x);
}

/* ------------------------------------------------------------ tcsetpgrp */

/* A background process that changes the foreground gets SIGTTOU for its
 * group and stops; once continued in the foreground its call goes through.
 * Ignoring or blocking SIGTTOU lets the call go through at once. */
static void test_tcsetpgrp_from_background_gets_sigttou(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program bg {\n  setpgid 0 0\n  tcsetpgrp getpgrp() -> r\n"
                  "  print \"got it\" r tcgetpgrp()\n}\n"
                  "program main {\n  fork bg -> b\n  waitpid b untraced -> p, st\n"
                  "  print wstopsig(st) tcgetpgrp()\n  tcsetpgrp b\n  kill -b SIGCONT\n"
                  "  wait\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "22 2");
    assert_string_equal(printed(&x, 3, 0), "got it 0 3");
    assert_int_equal(exit_of(&x, 3), 0);
    sim_free(&x);

    static const char *const shield[] = { "signal SIGTTOU ignore", "block SIGTTOU" };
    for (int i = 0; i < 2; i++) {
        char src[512];
        snprintf(src, sizeof src,
                 "program bg {\n  %s\n  setpgid 0 0\n  tcsetpgrp getpgrp() -> r\n"
                 "  print r tcgetpgrp() == getpgrp()\n}\n"
                 "program main {\n  fork bg\n  wait\n}\nspawn main\n", shield[i]);
        sim_start(&x, src);
        sim_finish(&x);
        assert_string_equal(printed(&x, 3, 0), "0 True");
        assert_null(find_event(&x, EV_SIG_SEND, 0));
        sim_free(&x);
    }
}

/* tcsetpgrp's failures: no such group (ESRCH), init's group (EPERM), a
 * negative group (EINVAL); from an orphaned background group, ENOTTY. */
static void test_tcsetpgrp_failures(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  tcsetpgrp 999 -> a\n  tcsetpgrp 1 -> b\n"
                  "  tcsetpgrp -4 -> c\n  print a b c tcgetpgrp()\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "-3 -1 -22 2");
    sim_free(&x);

    /* The child's group (its own) is orphaned once main has gone. */
    sim_start(&x, "program orphan {\n  setpgid 0 0\n  sleep 5\n  tcsetpgrp getpgrp() -> r\n"
                  "  print r\n}\nprogram main {\n  fork orphan\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 3, 0), "-25");
    sim_free(&x);
}

/* ------------------------------------------------------ orphaned groups */

/* middle leads a group with a stopped member; when middle exits, nothing
 * ties the group to the session any more: SIGHUP (default: terminate),
 * then SIGCONT. */
static void test_orphaned_group_with_stopped_member_gets_hup_and_cont(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program gc {\n  kill getpid() SIGSTOP\n  compute 5\n}\n"
                  "program middle {\n  setpgid 0 0\n  fork gc -> g\n"
                  "  waitpid g untraced\n}\n"
                  "program main {\n  fork middle\n  wait\n  sleep 10\n}\nspawn main\n");
    sim_finish(&x);
    const struct event *o = find_event(&x, EV_ORPHANED, 0);
    assert_non_null(o);
    assert_int_equal(o->a, 3);
    assert_int_equal(exit_of(&x, 4), -1);
    int kernel_sends = 0;                   /* SIGHUP and SIGCONT, by the kernel */
    for (size_t i = 0; i < x.tr.nev; i++)
        if (x.tr.ev[i].kind == EV_SIG_SEND && x.tr.ev[i].pid == 0) {
            assert_int_equal(x.tr.ev[i].reason, SEND_KERNEL);
            kernel_sends++;
        }
    assert_int_equal(kernel_sends, 2);
    char line[160];
    event_format(&x.tr, x.s, outside_send(&x), line, sizeof line);
    assert_string_equal(line, "kernel sends SIGHUP to 4");
    sim_free(&x);
}

/* No stopped member, or a member still tied to the session: no SIGHUP. */
static void test_no_hup_without_stopped_member_or_while_tied(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program gc {\n  compute 10\n}\n"
                  "program middle {\n  setpgid 0 0\n  fork gc\n  compute 2\n}\n"
                  "program main {\n  fork middle\n  wait\n  sleep 20\n}\nspawn main\n");
    sim_finish(&x);
    assert_null(find_event(&x, EV_ORPHANED, 0));
    assert_int_equal(exit_of(&x, 4), 0);
    sim_free(&x);

    /* keeper joins middle's group; its parent (main) is in another group,
     * so when middle exits the group stays tied to the session. */
    sim_start(&x, "program gc {\n  kill getpid() SIGSTOP\n  compute 5\n}\n"
                  "program keeper {\n  setpgid 0 3\n  sleep 50\n}\n"
                  "program middle {\n  setpgid 0 0\n  fork gc -> g\n  waitpid g untraced\n"
                  "  sleep 5\n}\n"
                  "program main {\n  fork middle\n  sleep 2\n  fork keeper\n  sleep 30\n"
                  "  kill -3 SIGKILL\n}\nspawn main\n");
    sim_finish(&x);
    assert_null(find_event(&x, EV_ORPHANED, 0));
    assert_int_equal(exit_of(&x, 4), -9);
    sim_free(&x);
}

/* --------------------------------------------------------------- setsid */

/* A group leader cannot start a session; a child can, and leaves the
 * terminal behind: Ctrl-C, which kills the rest of its old group, does not
 * reach it; tcgetpgrp fails; ps marks it a session leader. */
static void test_setsid_leaves_the_terminal(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program daemon {\n  setsid -> s\n  print s getsid(0) getpgrp() tcgetpgrp()\n"
                  "  tcsetpgrp 2 -> r\n  print r\n  sleep 20\n}\n"
                  "program shell {\n  setsid -> r\n  print r getsid(0)\n  fork daemon -> d\n"
                  "  sleep 5\n  setpgid d 0 -> r\n  print r getsid(d)\n  compute 50\n}\n"
                  "spawn shell\nat 15 ctrl-c\n");
    sim_at(&x, 8);
    assert_int_equal(task_of(&x, 3)->sid, 3);
    assert_int_equal(task_of(&x, 3)->pgid, 3);
    assert_int_equal(task_of(&x, 2)->sid, 0);
    assert_int_equal(task_of(&x, 1)->sid, 1);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "-1 0");
    assert_string_equal(printed(&x, 3, 0), "3 3 3 -25");
    assert_string_equal(printed(&x, 3, 1), "-25");
    assert_string_equal(printed(&x, 2, 1), "-1 3");    /* EPERM: another session */
    assert_int_equal(exit_of(&x, 2), -2);
    assert_int_equal(exit_of(&x, 3), 0);
    sim_free(&x);
}

/* A session leader's group is orphaned from the start (its parent is in
 * another session): terminal stop signals do nothing there. */
static void test_session_leaders_group_is_orphaned(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program daemon {\n  setsid\n  kill 0 SIGTSTP\n  print \"still here\"\n}\n"
                  "program shell {\n  fork daemon\n  wait\n}\nspawn shell\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 3, 0), "still here");
    sim_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_control_statements_compile),
        cmocka_unit_test(test_ctrl_z_stops_the_foreground_job_not_the_shell),
        cmocka_unit_test(test_without_setpgid_ctrl_z_stops_the_shell_too),
        cmocka_unit_test(test_ctrl_backslash_quits_the_foreground_group),
        cmocka_unit_test(test_wait_status_builtins),
        cmocka_unit_test(test_waitpid_reports_stop_and_continue_once),
        cmocka_unit_test(test_sleeping_waitpid_untraced_wakes_on_stop),
        cmocka_unit_test(test_setpgid_rules),
        cmocka_unit_test(test_tcsetpgrp_from_background_gets_sigttou),
        cmocka_unit_test(test_tcsetpgrp_failures),
        cmocka_unit_test(test_orphaned_group_with_stopped_member_gets_hup_and_cont),
        cmocka_unit_test(test_no_hup_without_stopped_member_or_while_tied),
        cmocka_unit_test(test_setsid_leaves_the_terminal),
        cmocka_unit_test(test_session_leaders_group_is_orphaned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
