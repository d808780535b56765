/*
 * campaign.h - the runtime campaign: random valid scenarios (gen.c) run
 * through the library and the `procsim` command, with invariants checked.
 *
 * One scenario is checked in three passes:
 *   history.c     runs it tick by tick through the library, keeping each
 *                 tick's state (the "history"), and checks the invariants
 *                 that hold in every tick and across ticks;
 *   history.c     also compares the recorded run (checkpoints + replay, what
 *                 the window shows) with that history;
 *   cli_check.c   runs `procsim run`, `ps`, `stats` and `check` on the file
 *                 and compares their output with the history and with each
 *                 other.
 * Every failure is one line in a report; the campaign prints the report
 * and the scenario, so the scenario can be kept as a regression file.
 */
#ifndef PROCSIM_FUZZ_CAMPAIGN_H
#define PROCSIM_FUZZ_CAMPAIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "known_bugs.h"
#include "machine.h"

/* ------------------------------------------------------------ reports */

#define REPORT_MAX_LINES 12

struct report {
    int nfail;                 /* failures found */
    char lines[REPORT_MAX_LINES][240];   /* the first of them */
};

/* Add a failure: "INVARIANT: details". */
void report_fail(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------ history */

/* One task during one tick: what `ps`, the run table and the invariants
 * look at. */
struct cell {
    int tid, pid, ppid;
    int pgid, sid;             /* process group and session (0: the terminal's) */
    char state;                /* 'R','S','D','T','Z' */
    int cpu;                   /* -1 when not running */
    bool main_thread, subreaper;
    int nthreads;
    const char *wchan;         /* points into the scenario or static text */
    uint32_t blocked;          /* this thread's signal mask */
    uint32_t pending;          /* signals pending (its process's) */
    int64_t cpu_ticks, created;
    int exit_status;           /* for Z */
    bool waits_any;            /* asleep in a `wait` (for any child) */
};

struct row {
    int64_t tick;
    struct cell *cells;        /* by pid then tid, as in a snapshot */
    int ncells;
    int cpu_tid[MAX_CPUS];     /* tid on each CPU, 0 idle */
    int fg_pgid;               /* the terminal's foreground group, 0 none yet */
};

struct history {
    const struct scenario *s;
    struct config cfg;
    struct trace tr;           /* the events of the stepped run */
    struct row *rows;          /* rows[T] for T = 0 .. end - 1 */
    int64_t end;               /* the tick the run ended at */
    struct row final;          /* the state at the end */
    enum machine_status status;
    int64_t error_tick;        /* when status is MS_ERROR, else -1 */
};

/* Run s to its end, keeping every tick, and check the invariants of each
 * tick and between ticks. False when out of memory. */
bool history_run(struct history *h, const struct scenario *s,
                 const struct config *cfg, unsigned checks, struct report *r);
void history_free(struct history *h);

/* The cell of task `tid` in a row, or NULL. */
const struct cell *row_find(const struct row *row, int tid);

/* The recorded run (run_record, run_state_at) must show the history. */
void history_check_recorded(const struct history *h, uint64_t seed, struct report *r);

/* ------------------------------------------------------------ the CLI */

struct cli_check {
    const char *procsim;       /* path of the command */
    const char *file;          /* the scenario, written to disk */
    unsigned checks;           /* known-bug checks switched on (1 << KB_*) */
    uint64_t seed;             /* for the ticks it samples */
    bool run_all;              /* `procsim run` takes --all (print the whole
                                  table, however large) */
    const char *text;          /* the scenario's text */
    size_t len;
};

/* Run the command on the file and compare with the history. */
void cli_check(const struct cli_check *c, const struct history *h, struct report *r);

#endif
