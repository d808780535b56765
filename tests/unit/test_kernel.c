/*
 * test_kernel.c - the process life cycle and the tick rules of the contract:
 * spawn, compute, sleep, disk, fork, exec, exit, wait, zombies, orphans,
 * limits, runtime errors, determinism.
 */
#include "helpers.h"

/* A program `compute 3` spawned at 0 runs ticks 0-2, exits in tick 3, is a
 * zombie during 4 (init reaps it then) and is gone from 5, when the run
 * ends because only init is left. */
static void test_compute_exit_and_reap_timeline(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  compute 3\n}\nspawn main\n");
    sim_at(&x, 0);
    assert_int_equal(state_of(&x, 2), 'R');
    assert_int_equal(task_of(&x, 2)->cpu, 0);
    assert_int_equal(state_of(&x, 1), 'S');
    assert_string_equal(task_of(&x, 1)->wchan, "wait");
    sim_at(&x, 3);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_at(&x, 4);
    assert_int_equal(state_of(&x, 2), 'Z');
    assert_int_equal(state_of(&x, 1), 'R');
    assert_int_equal(task_of(&x, 2)->cpu_ticks, 4);
    sim_finish(&x);
    assert_int_equal(machine_tick(x.m), 5);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    assert_int_equal(state_of(&x, 2), 'X');
    const struct proc_record *r = trace_find_proc(&x.tr, 2);
    assert_int_equal(r->exited, 4);     /* first tick as a zombie */
    assert_int_equal(r->reaped, 5);     /* first tick gone */
    assert_int_equal(r->exit_status, 0);
    sim_free(&x);
}

/* sleep N in tick T: S during T+1..T+N, runnable again at T+N+1. */
static void test_sleep_keeps_task_in_S_for_N_ticks(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  sleep 3\n  compute 1\n}\nspawn main\n");
    sim_at(&x, 0);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_at(&x, 1);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "sleep");
    assert_int_equal(task_of(&x, 2)->cpu, -1);
    sim_at(&x, 3);
    assert_int_equal(state_of(&x, 2), 'S');
    sim_at(&x, 4);
    assert_int_equal(state_of(&x, 2), 'R');
    assert_int_equal(task_of(&x, 2)->cpu, 0);
    sim_at(&x, 6);
    assert_int_equal(state_of(&x, 2), 'Z');
    sim_free(&x);
}

static void test_disk_is_uninterruptible_D(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  disk 2\n}\nspawn main\n");
    sim_at(&x, 1);
    assert_int_equal(state_of(&x, 2), 'D');
    assert_string_equal(task_of(&x, 2)->wchan, "disk");
    sim_at(&x, 2);
    assert_int_equal(state_of(&x, 2), 'D');
    sim_at(&x, 3);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_free(&x);
}

/* fork returns twice: the child's pid in the parent, 0 in the child. */
static void test_fork_returns_twice(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  fork -> r\n  print \"r\" r getpid()\n}\n"
                  "spawn main\n");
    sim_at(&x, 0);
    assert_null(snapshot_find(&x.snap, 3));      /* exists from tick 1 */
    sim_at(&x, 1);
    assert_int_equal(task_of(&x, 3)->ppid, 2);
    assert_int_equal(task_of(&x, 3)->created, 1);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "r 3 2");
    assert_string_equal(printed(&x, 3, 0), "r 0 3");
    sim_free(&x);
}

/* A child that exits stays a zombie until its parent waits for it. */
static void test_zombie_lingers_until_parent_waits(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program child {\n  compute 1\n}\n"
                  "program parent {\n  fork child -> c\n  compute 30\n"
                  "  wait -> p, st\n  print p st\n}\nspawn parent\n");
    sim_at(&x, 20);
    assert_int_equal(state_of(&x, 3), 'Z');
    assert_int_equal(task_of(&x, 3)->ppid, 2);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "3 0");
    const struct proc_record *r = trace_find_proc(&x.tr, 3);
    assert_true(r->reaped > 30);
    sim_free(&x);
}

/* A blocked wait wakes when a child exits; the parent spends its next tick
 * on the CPU reaping, so the zombie is visible for that tick. */
static void test_blocked_wait_reaps_on_next_run(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config policy=fifo\n"
                  "program child {\n  compute 2\n}\n"
                  "program parent {\n  fork child\n  wait -> p\n  print p\n}\n"
                  "spawn parent\n");
    /* 0 fork; 1 wait blocks; child runs 2-3, exits 4; Z during 5 while the
     * parent (woken) reaps; gone from 6. */
    sim_at(&x, 2);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "wait");
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 3), 'Z');
    assert_int_equal(state_of(&x, 2), 'R');
    assert_int_equal(task_of(&x, 2)->cpu, 0);
    sim_at(&x, 6);
    assert_int_equal(state_of(&x, 3), 'X');
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "3");
    sim_free(&x);
}

/* Three generations: when the middle one exits, its child goes to init,
 * not to its grandparent. */
static void test_orphan_adopted_by_init_not_grandparent(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program grandchild {\n  compute 20\n}\n"
                  "program child {\n  fork grandchild\n  compute 1\n}\n"
                  "program top {\n  fork child\n  compute 60\n  wait\n}\n"
                  "spawn top\n");
    /* cfs lets top run its slices before the child (START_DEBIT): the
     * child forks 4 at tick 12 and exits at 14. */
    sim_at(&x, 13);
    assert_int_equal(task_of(&x, 4)->ppid, 3);
    sim_at(&x, 20);
    assert_int_equal(state_of(&x, 3), 'Z');
    assert_int_equal(task_of(&x, 4)->ppid, 1);
    sim_finish(&x);
    const struct event *e = find_event(&x, EV_REPARENT, 4);
    assert_non_null(e);
    assert_int_equal(e->a, 3);
    assert_int_equal(e->b, 1);
    assert_int_equal(trace_find_proc(&x.tr, 4)->ppid, 1);
    assert_int_equal(trace_find_proc(&x.tr, 3)->ppid, 2);
    sim_free(&x);
}

static void test_wait_without_children_returns_minus_one(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  wait -> r\n  print r\n}\nspawn main\n");
    sim_at(&x, 1);
    assert_int_equal(state_of(&x, 2), 'R');      /* did not sleep */
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "-1");
    sim_free(&x);
}

static void test_waitpid_nohang_returns_zero_while_child_runs(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  compute 5\n}\n"
                  "program main {\n  fork kid -> c\n  waitpid c nohang -> r\n"
                  "  print r\n  waitpid c -> r, st\n  print r st\n"
                  "  waitpid 99 -> r\n  print r\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "0");
    assert_string_equal(printed(&x, 2, 1), "3 0");
    assert_string_equal(printed(&x, 2, 2), "-1");
    sim_free(&x);
}

static void test_exit_code_reaches_parent(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  exit 7\n}\n"
                  "program main {\n  fork kid\n  wait -> p, st\n  print st\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "7");
    assert_int_equal(trace_find_proc(&x.tr, 3)->exit_status, 7);
    sim_free(&x);
}

/* max_procs counts init and zombies: with 4, init + main + 2 children fill
 * it and further forks return -1. */
static void test_fork_fails_at_max_procs(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config max_procs=4\n"
                  "program sleeper {\n  sleep 50\n}\n"
                  "program main {\n  repeat 4 {\n    fork sleeper -> r\n"
                  "    print r\n  }\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "3");
    assert_string_equal(printed(&x, 2, 1), "4");
    assert_string_equal(printed(&x, 2, 2), "-1");
    assert_string_equal(printed(&x, 2, 3), "-1");
    assert_int_equal(count_events(&x, EV_FORK_FAIL, 2), 2);
    assert_int_equal(find_event(&x, EV_FORK_FAIL, 2)->reason, FAIL_PROC_LIMIT);
    sim_free(&x);
}

/* PIDs go up to pid_max - 1, then wrap to 2, skipping pids in use. */
static void test_pids_wrap_at_pid_max(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config pid_max=6\n"
                  "program kid {\n  compute 1\n}\n"
                  "program main {\n  repeat 6 {\n    fork kid -> r\n"
                  "    wait\n    print r\n  }\n}\nspawn main\n");
    sim_finish(&x);
    const char *want[] = { "3", "4", "5", "3", "4", "5" };
    for (int i = 0; i < 6; i++)
        assert_string_equal(printed(&x, 2, i), want[i]);
    sim_free(&x);
}

static void test_exec_keeps_pid_and_changes_program(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program other {\n  compute 5\n}\n"
                  "program main {\n  exec other\n}\nspawn main\n");
    sim_at(&x, 0);
    assert_string_equal(task_of(&x, 2)->comm, "main");
    sim_at(&x, 2);
    assert_string_equal(task_of(&x, 2)->comm, "other");
    assert_int_equal(task_of(&x, 2)->ppid, 1);
    sim_free(&x);
}

/* fork copies variables: the child's changes do not reach the parent. */
static void test_fork_copies_variables(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  let n = 10\n  fork -> r\n"
                  "  if r == 0 {\n    n = n + 5\n    print \"child\" n\n"
                  "    exit 0\n  }\n  wait\n  print \"parent\" n\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 3, 0), "child 15");
    assert_string_equal(printed(&x, 2, 0), "parent 10");
    sim_free(&x);
}

static void test_runaway_loop_is_stopped_with_its_line(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  let x = 0\n  while 1 {\n    x = x + 1\n"
                  "  }\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_ERROR);
    const struct diag *d = machine_error(x.m);
    assert_true(d->line == 3 || d->line == 4);
    assert_non_null(strstr(d->msg, "without taking a tick"));
    sim_free(&x);
}

static void test_division_by_zero_is_a_runtime_error(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  let z = 0\n  print 10 / z\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_ERROR);
    assert_int_equal(machine_error(x.m)->line, 3);
    assert_non_null(strstr(machine_error(x.m)->msg, "division by zero"));
    sim_free(&x);
}

static void test_tick_limit_stops_the_run(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config ticks=50\nprogram main {\n  compute 1000\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_TICK_LIMIT);
    assert_int_equal(machine_tick(x.m), 50);
    assert_int_equal(state_of(&x, 2), 'R');
    sim_free(&x);
}

/* A later spawn keeps the run alive until it comes; spawns run at once. */
static void test_spawn_at_later_tick(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program main {\n  compute 2\n}\nspawn main at=10\n");
    sim_at(&x, 9);
    assert_null(snapshot_find(&x.snap, 2));
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 2), 'R');
    assert_int_equal(task_of(&x, 2)->cpu, 0);
    assert_int_equal(task_of(&x, 2)->created, 10);
    sim_free(&x);
}

/* Same seed, same numbers; another seed, other numbers. */
static void test_rand_is_deterministic_per_seed(void **state)
{
    (void)state;
    const char *src = "program main {\n  repeat 5 {\n    print rand(1, 1000000)\n"
                      "  }\n}\nspawn main\n";
    struct sim a, b, c;
    sim_start(&a, src);
    sim_start(&b, src);
    sim_finish(&a);
    sim_finish(&b);
    for (int i = 0; i < 5; i++)
        assert_string_equal(printed(&a, 2, i), printed(&b, 2, i));
    c.s = load(src);
    struct config cfg = c.s->config;
    cfg.seed = 2;
    trace_init(&c.tr, 1);
    c.m = machine_new(c.s, &cfg, &c.tr);
    snapshot_init(&c.snap);
    machine_begin_tick(c.m);
    sim_finish(&c);
    bool differ = false;
    for (int i = 0; i < 5; i++)
        differ |= strcmp(printed(&a, 2, i), printed(&c, 2, i)) != 0;
    assert_true(differ);
    sim_free(&a);
    sim_free(&b);
    sim_free(&c);
}

/* Once the last child is reaped, wait returns -1 at once (ECHILD). */
static void test_wait_after_last_child_returns_minus_one(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program kid {\n  compute 1\n}\n"
                  "program main {\n  fork kid\n  wait -> a\n  wait -> b\n"
                  "  print a b\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "3 -1");
    assert_int_equal(count_events(&x, EV_WAIT_NONE, 2), 1);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* On two CPUs a child that exits on cpu0 while its parent runs wait on
 * cpu1 in the same tick is still a zombie for the next tick: an exit in
 * tick T is visible from T+1, whatever the CPU numbering. */
static void test_same_tick_exit_is_a_zombie_first(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\nprogram kid {\n  compute 3\n}\n"
                  "program filler {\n  compute 1\n}\n"
                  "program main {\n  fork kid\n  compute 6\n  wait -> p\n  print p now()\n}\n"
                  "spawn filler\nspawn main\n");
    bool seen_zombie = false;
    for (int T = 0; T < 20 && machine_status(x.m) == MS_RUNNING; T++) {
        sim_at(&x, T);
        seen_zombie |= state_of(&x, 4) == 'Z';
    }
    assert_true(seen_zombie);
    sim_finish(&x);
    assert_non_null(printed(&x, 3, 0));
    sim_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compute_exit_and_reap_timeline),
        cmocka_unit_test(test_sleep_keeps_task_in_S_for_N_ticks),
        cmocka_unit_test(test_disk_is_uninterruptible_D),
        cmocka_unit_test(test_fork_returns_twice),
        cmocka_unit_test(test_zombie_lingers_until_parent_waits),
        cmocka_unit_test(test_blocked_wait_reaps_on_next_run),
        cmocka_unit_test(test_orphan_adopted_by_init_not_grandparent),
        cmocka_unit_test(test_wait_without_children_returns_minus_one),
        cmocka_unit_test(test_waitpid_nohang_returns_zero_while_child_runs),
        cmocka_unit_test(test_exit_code_reaches_parent),
        cmocka_unit_test(test_fork_fails_at_max_procs),
        cmocka_unit_test(test_pids_wrap_at_pid_max),
        cmocka_unit_test(test_exec_keeps_pid_and_changes_program),
        cmocka_unit_test(test_fork_copies_variables),
        cmocka_unit_test(test_runaway_loop_is_stopped_with_its_line),
        cmocka_unit_test(test_division_by_zero_is_a_runtime_error),
        cmocka_unit_test(test_tick_limit_stops_the_run),
        cmocka_unit_test(test_spawn_at_later_tick),
        cmocka_unit_test(test_rand_is_deterministic_per_seed),
        cmocka_unit_test(test_wait_after_last_child_returns_minus_one),
        cmocka_unit_test(test_same_tick_exit_is_a_zombie_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
