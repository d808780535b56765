/*
 * known_bugs.h - bugs the runtime campaign finds that are being fixed on
 * other branches (issue 9), and the switch that keeps each out of
 * `make test` until its fix lands.
 *
 * Each entry names a generator case (scenarios that provoke the bug) or a
 * check (the invariant the bug breaks). While `excluded` is true the
 * campaign neither generates the case nor runs the check, so `make test`
 * stays green; `fuzz-runtime --with-known-bugs` turns every one on (that is
 * how to see whether a fix works). Once the fix is merged, set `excluded`
 * to false; when every entry is false this file can go. fuzz/known-bugs/
 * holds a small reproducer of each bug the campaign found that issue 9 did
 * not list while it is open; once fixed, the reproducer moves to
 * fuzz/runtime-regressions/ (with `expect` lines that unit test
 * test_fuzz_replay judges).
 */
#ifndef PROCSIM_FUZZ_KNOWN_BUGS_H
#define PROCSIM_FUZZ_KNOWN_BUGS_H

#include <stdbool.h>

enum known_bug {
    KB_LONG_CHAINS,        /* generator: `let x = 1 + 1 + ...`, 50,000 terms */
    KB_HUGE_TICKS,         /* generator: sleep/disk/alarm 9223372036854775807 */
    KB_THREAD_CPU_TIME,    /* check: a process's CPU time counts its threads */
    KB_TABLE_PID_REUSE,    /* check: the run table on a reused pid or tid */
    KB_ERROR_EXIT_STATUS,  /* check: ps/pstree exit 2 on a runtime error */
    KB_STOPPED_SIGKILL,    /* check: a stopped process dies only of SIGKILL */
    KB_HANDLER_ON_MAIN,    /* check: a process's handler runs on its main thread */
    KB_ZOMBIE_EXIT_PPID,   /* check: `expect end pid P ppid Q` of an unreaped zombie */
    KB_KILLED_MID_TICK,    /* check: a task shown on a CPU is charged for the tick */
    KB_STOPPED_THREAD_RUNS, /* check: no thread of a stopped process is runnable */
    KB_COUNT
};

struct known_bug_info {
    const char *name;      /* for --with-known-bug NAME */
    const char *owner;     /* the helper branch fixing it */
    bool excluded;         /* true until the fix is merged */
    const char *what;      /* the bug, as issue 9 reports it */
};

static const struct known_bug_info known_bugs[KB_COUNT] = {
    [KB_LONG_CHAINS] = { "long-chains", "cpu", false,
        "expr_eval recurses once per operator: a 50,000-term chain overflows the stack" },
    [KB_HUGE_TICKS] = { "huge-ticks", "cpu", false,
        "sleep, disk and alarm of 9223372036854775807 overflow (machine.c, signal.c)" },
    [KB_THREAD_CPU_TIME] = { "thread-cpu-time", "cpu", false,
        "threads other than the main one are charged no CPU time in stats" },
    [KB_TABLE_PID_REUSE] = { "table-pid-reuse", "perf", false,
        "the run table keeps a dead column when a pid or tid is reused" },
    [KB_ERROR_EXIT_STATUS] = { "error-exit-status", "perf", false,
        "ps and pstree exit 0 on a runtime error while the other commands exit 2" },
    [KB_STOPPED_SIGKILL] = { "stopped-sigkill", "sig", false,
        "a stopped process with SIGINT/SIGHUP pending dies of those, not of SIGKILL" },
    /* Fixed by h/sig for the cases of issue 9. The case the campaign still
     * found (seed 744: SIGCHLD wakes the main thread from its join, a worker
     * runs the handler two ticks later) is Linux's behaviour: the worker's
     * sigprocmask ran recalc_sigpending(), which marks it for the shared
     * pending signals too, and it dequeued SIGCHLD first
     * (fuzz/runtime-regressions/handler-on-worker-after-unblock.scn). The
     * check now allows a handler on a thread that may have recalculated. */
    [KB_HANDLER_ON_MAIN] = { "handler-on-main", "fix", false,
        "a process-directed signal runs its handler on a worker thread, not main" },
    /* Found by this campaign (seed 3414; fuzz/runtime-regressions/zombie-ppid-at-exit.scn):
     * machine_sync_records() at the end of a run re-copies the ppid of every
     * process, zombies included, so a zombie adopted by init after its exit
     * reports init as its "parent at its exit". Not in issue 9's list.
     * Fixed: the record keeps the ppid it had at exit. */
    [KB_ZOMBIE_EXIT_PPID] = { "zombie-exit-ppid", "fix", false,
        "a zombie still unreaped at the end reports its adopter as its parent at exit" },
    /* Found by this campaign (seed 200 with --with-known-bugs on h/cpu):
     * machine_end_tick() charges each CPU's task as it reaches that CPU, so
     * a thread ended by a sibling's exit or exec, or stopped by a signal,
     * on an earlier CPU in the same tick (or any task after a runtime
     * error) is shown R* in that tick (run table, ps) but charged nothing
     * for it (seed 500950 of an earlier generator: fuzz/runtime-regressions/
     * stopped-mid-tick.scn). Fixed: every task on a CPU when step 4 begins
     * is charged for the tick. */
    [KB_KILLED_MID_TICK] = { "killed-mid-tick", "fix", false,
        "a task ended in step 4 before its CPU's turn is shown R* but not charged" },
    /* Found by this campaign (seed 301334; fuzz/runtime-regressions/
     * stopped-thread-runs.scn): a thread in D when its process is stopped
     * wakes from the disk I/O as R and runs on, while Linux stops it before
     * it returns to user mode (do_signal_stop; signal(7): a stop signal
     * stops every thread). Later the run shows it R on no CPU while a CPU
     * idles. Fixed: it stops when its I/O completes. */
    [KB_STOPPED_THREAD_RUNS] = { "stopped-thread-runs", "fix", false,
        "a thread asleep (D, S) when its process stops runs on once it wakes" },
};

#endif
