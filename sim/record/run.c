/*
 * run.c - recording a whole run and rebuilding the state at any tick.
 *
 * A checkpoint is a copy of the machine at the start of a tick (of what is
 * live: machine_clone). They
 * are spaced by the cost of replaying, as measured on the build machine
 * (2026-11-30: an idle tick 23 ns, a tick of bench/long-run.scn 42 ns with
 * 0.46 events, of 1,000 hogs 82 ns with 0.5; a copy 420-900 ns a KiB,
 * page faults included): a replayed tick costs about REPLAY_NS_PER_TICK
 * plus REPLAY_NS_PER_EVENT for each event in it (a wake-up, a switch, a
 * fork: the work a tick does beyond running its CPUs), not what the tasks
 * alive cost. One is taken when the replay since the last would cost
 * REPLAY_BUDGET_NS, and never before that replay costs COPY_RATIO times
 * what the last copy cost (COPY_NS_PER_KIB of machine): so going to any
 * tick replays about a millisecond, and copying stays a small part of
 * recording even with 100,000 tasks alive. The estimate is made of counts, not clock readings,
 * so the checkpoints fall at the same ticks every time. If the copies grow
 * past MAX_CHECKPOINT_BYTES, every other one is dropped and the spacing
 * doubles: memory stays bounded and the replay cost at most doubles.
 *
 * run_state_at keeps the last machine it showed (the cursor): a tick at or
 * after it and after the nearest checkpoint is reached by stepping it on,
 * so the window stepping forward pays a tick, not a copy and a replay.
 *
 * The commands record without checkpoints and keep only what they print
 * (run_record_keeping).
 */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_NS_PER_TICK 30
#define REPLAY_NS_PER_EVENT 100
#define COPY_NS_PER_KIB 800
#define REPLAY_BUDGET_NS 1000000   /* 1 ms */
#define COPY_RATIO 8
#define MAX_CHECKPOINT_BYTES ((size_t)256 << 20)

struct checkpoint {
    int64_t tick;              /* the machine is at the start of this tick */
    struct machine *m;
    size_t bytes;
};

struct run {
    const struct scenario *scn;    /* what the machines run: the caller's,
                                      or `own` when events were added */
    struct scenario own;       /* shallow copy with a merged event list */
    struct outside *own_outside;
    struct config cfg;
    struct trace trace;
    struct machine *final;     /* the machine after its last tick */
    struct checkpoint *cps;
    size_t ncps, capcps;
    size_t cp_bytes;           /* memory held by checkpoints */
    int64_t budget;            /* ns of replay between checkpoints */
    int64_t copy_ns;           /* what the last checkpoint costs to copy */
    struct machine *cursor;    /* the machine run_state_at last showed,
                                  within that tick (begun, not ended), so
                                  going forward from it costs only the
                                  ticks between; NULL when none */
    int64_t cursor_tick;       /* the tick it shows */
};

static void thin_out(struct run *r)
{
    size_t k = 0;
    for (size_t i = 0; i < r->ncps; i++) {
        if (i % 2 == 0) {
            r->cps[k++] = r->cps[i];
        } else {
            r->cp_bytes -= r->cps[i].bytes;
            machine_free(r->cps[i].m);
        }
    }
    r->ncps = k;
    r->budget *= 2;
}

static bool add_checkpoint(struct run *r, const struct machine *m)
{
    if (r->ncps == r->capcps) {
        size_t cap = r->capcps ? r->capcps * 2 : 64;
        struct checkpoint *c = realloc(r->cps, cap * sizeof *c);
        if (!c)
            return false;
        r->cps = c;
        r->capcps = cap;
    }
    struct machine *copy = machine_clone(m, NULL);
    if (!copy)
        return false;
    size_t bytes = machine_memory(copy);
    r->cps[r->ncps++] = (struct checkpoint){ machine_tick(m), copy, bytes };
    r->copy_ns = (int64_t)(bytes / 1024) * COPY_NS_PER_KIB;
    r->cp_bytes += bytes;
    if (r->cp_bytes > MAX_CHECKPOINT_BYTES && r->ncps > 2)
        thin_out(r);
    return true;
}

struct run *run_record(const struct scenario *s, const struct config *cfg)
{
    return run_record_with(s, cfg, NULL, 0);
}

/* Merge the scenario's outside events with the extra ones, by tick; the
 * scenario's come first within a tick. */
static bool merge_outside(struct run *r, const struct scenario *s,
                          const struct outside *extra, int nextra)
{
    int n = s->noutside + nextra;
    r->own = *s;
    r->own_outside = malloc(((size_t)n + 1) * sizeof *r->own_outside);
    if (!r->own_outside)
        return false;
    int i = 0, j = 0, k = 0;
    while (i < s->noutside || j < nextra) {
        bool take_own = j >= nextra ||
                        (i < s->noutside && s->outside[i].at <= extra[j].at);
        r->own_outside[k++] = take_own ? s->outside[i++] : extra[j++];
    }
    r->own.outside = r->own_outside;
    r->own.noutside = n;
    r->scn = &r->own;
    return true;
}

/* Run the machine to its end, keeping what r->trace keeps and, when asked,
 * checkpoints. False when out of memory. */
static bool record(struct run *r, bool checkpoints)
{
    struct machine *m = machine_new(r->scn, &r->cfg, &r->trace);
    if (!m || (checkpoints && !add_checkpoint(r, m))) {
        machine_free(m);
        return false;
    }
    int64_t ticks = 0;
    size_t events = r->trace.nev;
    bool ok = true;
    while (machine_begin_tick(m)) {
        machine_end_tick(m);
        if (!checkpoints)
            continue;
        ticks++;
        int64_t replay = ticks * REPLAY_NS_PER_TICK +
                         (int64_t)(r->trace.nev - events) * REPLAY_NS_PER_EVENT;
        if (replay >= r->budget && replay >= COPY_RATIO * r->copy_ns) {
            if (!add_checkpoint(r, m)) {
                ok = false;
                break;
            }
            ticks = 0;
            events = r->trace.nev;
        }
    }
    machine_sync_records(m);
    r->final = m;
    return ok && !r->trace.oom;
}

static struct run *new_run(const struct scenario *s, const struct config *cfg,
                           const struct outside *extra, int nextra, unsigned keep)
{
    struct run *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->scn = s;
    if (nextra > 0 && !merge_outside(r, s, extra, nextra)) {
        free(r);
        return NULL;
    }
    r->cfg = *cfg;
    r->budget = REPLAY_BUDGET_NS;
    trace_init_keeping(&r->trace, cfg->cpus, keep);
    return r;
}

struct run *run_record_with(const struct scenario *s, const struct config *cfg,
                            const struct outside *extra, int nextra)
{
    struct run *r = new_run(s, cfg, extra, nextra, TRACE_ALL);
    if (r && !record(r, true)) {
        run_free(r);
        return NULL;
    }
    return r;
}

struct run *run_record_keeping(const struct scenario *s, const struct config *cfg,
                               unsigned keep)
{
    struct run *r = new_run(s, cfg, NULL, 0, keep);
    if (r && !record(r, false)) {
        run_free(r);
        return NULL;
    }
    return r;
}

void run_free(struct run *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ncps; i++)
        machine_free(r->cps[i].m);
    free(r->cps);
    machine_free(r->cursor);
    machine_free(r->final);
    trace_free(&r->trace);
    free(r->own_outside);
    free(r);
}

void run_state_at(struct run *r, int64_t tick, struct snapshot *out)
{
    int64_t end = machine_tick(r->final);
    if (tick >= end || r->ncps == 0) {
        machine_snapshot(r->final, out);
        return;
    }
    if (tick < 0)
        tick = 0;
    /* The last checkpoint at or before `tick`. */
    size_t lo = 0, hi = r->ncps;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (r->cps[mid].tick <= tick)
            lo = mid;
        else
            hi = mid;
    }
    /* Stepping forward from the last state shown is cheaper than a copy
     * and a replay from the checkpoint, as long as that state is not
     * before the checkpoint (the window steps a tick at a time). */
    struct machine *m = r->cursor;
    if (m && r->cursor_tick == tick) {
        machine_snapshot(m, out);
        return;
    }
    if (m && r->cursor_tick < tick && r->cursor_tick >= r->cps[lo].tick) {
        machine_end_tick(m);
    } else {
        machine_free(r->cursor);
        r->cursor = NULL;
        m = machine_clone(r->cps[lo].m, NULL);
        if (!m) {
            snapshot_free(out);
            return;
        }
    }
    while (machine_tick(m) < tick && machine_begin_tick(m))
        machine_end_tick(m);
    machine_begin_tick(m);
    machine_snapshot(m, out);
    r->cursor = m;
    r->cursor_tick = tick;
}

void run_state_after(struct run *r, int64_t tick, struct snapshot *out)
{
    run_state_at(r, tick, out);
    if (!r->cursor || r->cursor_tick != tick)
        return;                        /* the end: nothing comes after it */
    /* A copy, so that the cursor stays where run_state_at expects it. */
    struct machine *m = machine_clone(r->cursor, NULL);
    if (!m)
        return;
    machine_end_tick(m);
    machine_snapshot(m, out);
    machine_free(m);
}

const struct trace *run_trace(const struct run *r) { return &r->trace; }
int64_t run_end_tick(const struct run *r) { return machine_tick(r->final); }
enum machine_status run_status(const struct run *r) { return machine_status(r->final); }
const struct diag *run_error(const struct run *r) { return machine_error(r->final); }
const struct config *run_config(const struct run *r) { return &r->cfg; }
const struct scenario *run_scenario(const struct run *r) { return r->scn; }
size_t run_checkpoint_count(const struct run *r) { return r->ncps; }

size_t outside_format(const struct outside *o, char *buf, size_t size)
{
    const char *sig = signal_name(o->sig);
    switch (o->kind) {
    case OUT_KILL:
        return (size_t)snprintf(buf, size, "at %lld kill %d %s", (long long)o->at,
                                o->pid, sig ? sig : "SIGTERM");
    case OUT_CTRL_C:
        return (size_t)snprintf(buf, size, "at %lld ctrl-c", (long long)o->at);
    case OUT_CTRL_Z:
        return (size_t)snprintf(buf, size, "at %lld ctrl-z", (long long)o->at);
    case OUT_FG:
        if (o->pid > 0)
            return (size_t)snprintf(buf, size, "at %lld fg %d", (long long)o->at, o->pid);
        return (size_t)snprintf(buf, size, "at %lld fg", (long long)o->at);
    default:
        return (size_t)snprintf(buf, size, "at %lld bg %d", (long long)o->at, o->pid);
    }
}

int64_t run_shared_value(const struct run *r, int obj)
{
    return machine_shared_value(r->final, obj);
}
