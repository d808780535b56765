/*
 * helpers.h - small helpers for the core's unit tests: load a scenario from
 * a string, run it to a tick, look at a process.
 */
#ifndef PROCSIM_TEST_HELPERS_H
#define PROCSIM_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "check.h"
#include "machine.h"
#include "run.h"

/* Parse src or fail the test with the parser's message. */
static inline struct scenario *load(const char *src)
{
    struct diag d;
    struct scenario *s = scenario_parse("test.scn", src, strlen(src), &d);
    if (!s)
        fail_msg("parse error %d:%d: %s", d.line, d.col, d.msg);
    return s;
}

/* A machine (with a trace) run until tick T has begun. */
struct sim {
    struct scenario *s;
    struct trace tr;
    struct machine *m;
    struct snapshot snap;
};

/* Starts the machine and begins tick 0. */
static inline void sim_start(struct sim *x, const char *src)
{
    x->s = load(src);
    trace_init(&x->tr, x->s->config.cpus);
    x->m = machine_new(x->s, &x->s->config, &x->tr);
    assert_non_null(x->m);
    snapshot_init(&x->snap);
    machine_begin_tick(x->m);
}

/* Advance to the state during tick T (T must not be before the current
 * tick) and take its snapshot; past the end, the final state. */
static inline void sim_at(struct sim *x, int64_t T)
{
    while (machine_tick(x->m) < T && machine_status(x->m) == MS_RUNNING) {
        machine_end_tick(x->m);
        if (!machine_begin_tick(x->m))
            break;
    }
    machine_snapshot(x->m, &x->snap);
}

/* Run to the end. */
static inline void sim_finish(struct sim *x)
{
    while (machine_status(x->m) == MS_RUNNING) {
        machine_end_tick(x->m);
        if (!machine_begin_tick(x->m))
            break;
    }
    machine_sync_records(x->m);
    machine_snapshot(x->m, &x->snap);
}

static inline void sim_free(struct sim *x)
{
    snapshot_free(&x->snap);
    machine_free(x->m);
    trace_free(&x->tr);
    scenario_free(x->s);
}

/* State letter of pid during the snapshot's tick; 'X' when gone. */
static inline char state_of(const struct sim *x, int pid)
{
    const struct snap_task *t = snapshot_find(&x->snap, pid);
    return t ? t->state : 'X';
}

static inline const struct snap_task *task_of(const struct sim *x, int pid)
{
    const struct snap_task *t = snapshot_find(&x->snap, pid);
    if (!t)
        fail_msg("pid %d does not exist at tick %lld", pid, (long long)x->snap.tick);
    return t;
}

/* Number of events of this kind (and pid, unless pid is 0). */
static inline int count_events(const struct sim *x, int kind, int pid)
{
    int n = 0;
    for (size_t i = 0; i < x->tr.nev; i++)
        n += x->tr.ev[i].kind == kind && (!pid || x->tr.ev[i].pid == pid);
    return n;
}

static inline const struct event *find_event(const struct sim *x, int kind, int pid)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == kind && (!pid || x->tr.ev[i].pid == pid))
            return &x->tr.ev[i];
    return NULL;
}

/* The text printed by pid, in order: the n-th (0-based) line or NULL. */
static inline const char *printed(const struct sim *x, int pid, int n)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_PRINT && x->tr.ev[i].pid == pid && n-- == 0)
            return trace_text(&x->tr, &x->tr.ev[i]);
    return NULL;
}

/* Run src to its end and check that pid printed exactly `lines` (NULL-
 * terminated), in order. */
static inline void expect_output(const char *src, int pid, const char *const *lines)
{
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    int n = 0;
    for (; lines[n]; n++) {
        const char *got = printed(&x, pid, n);
        if (!got || strcmp(got, lines[n]))
            fail_msg("line %d of pid %d: expected \"%s\", got \"%s\"", n, pid, lines[n],
                     got ? got : "(nothing)");
    }
    if (printed(&x, pid, n))
        fail_msg("pid %d printed more: \"%s\"", pid, printed(&x, pid, n));
    sim_free(&x);
}

#endif
