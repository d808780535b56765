/* check.c - judging `expect` lines against one run of the scenario. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *state_word(char st)
{
    switch (st) {
    case 'R': return "R";
    case 'S': return "S";
    case 'D': return "D";
    case 'T': return "T";
    case 'Z': return "Z";
    default:  return "gone";
    }
}

static void fail(struct check_result *r, const struct expect *e,
                 const char *fmt, ...)
{
    struct check_failure *f = &r->fails[r->failed++];
    va_list ap;
    f->exp = e;
    va_start(ap, fmt);
    vsnprintf(f->what, sizeof f->what, fmt, ap);
    va_end(ap);
}

/* An expectation about the state during a tick, judged on a snapshot. */
static void judge_at(struct check_result *r, const struct expect *e,
                     const struct snapshot *snap)
{
    const struct snap_task *t = snapshot_find(snap, e->pid);
    long long T = (long long)e->tick;
    if (e->kind == EXP_STATE) {
        char got = t ? t->state : 'X';
        if (got != e->state)
            fail(r, e, "expected pid %d state %s at tick %lld, got %s", e->pid,
                 state_word(e->state), T, state_word(got));
    } else if (!t) {
        fail(r, e, "expected pid %d ppid %d at tick %lld, but pid %d does "
             "not exist then", e->pid, e->ppid, T, e->pid);
    } else if (t->ppid != e->ppid) {
        fail(r, e, "expected pid %d ppid %d at tick %lld, got %d", e->pid,
             e->ppid, T, t->ppid);
    }
}

static bool printed(const struct trace *tr, int pid, const char *text)
{
    for (size_t i = 0; i < tr->nev; i++)
        if (tr->ev[i].kind == EV_PRINT && tr->ev[i].pid == pid &&
            strcmp(trace_text(tr, &tr->ev[i]), text) == 0)
            return true;
    return false;
}

static void status_text(int st, char *buf, size_t n)
{
    if (st >= 0)
        snprintf(buf, n, "%d", st);
    else
        snprintf(buf, n, "%d (%s)", st, signal_name(-st) ? signal_name(-st) : "?");
}

/* An expectation about the end of the run. */
static void judge_end(struct check_result *r, const struct scenario *s,
                      const struct expect *e, const struct machine *m,
                      const struct trace *tr)
{
    const struct proc_record *p = trace_find_proc(tr, e->pid);
    char want[48], got[48];
    switch (e->kind) {
    case EXP_EXIT:
        status_text((int)e->value, want, sizeof want);
        if (!p)
            fail(r, e, "expected pid %d to exit %s, but there was never a pid %d",
                 e->pid, want, e->pid);
        else if (p->exited < 0)
            fail(r, e, "expected pid %d to exit %s, but it had not exited when "
                 "the run ended", e->pid, want);
        else if (p->exit_status != e->value) {
            status_text(p->exit_status, got, sizeof got);
            fail(r, e, "expected pid %d to exit %s, got %s", e->pid, want, got);
        }
        break;
    case EXP_PPID:
        if (!p)
            fail(r, e, "expected pid %d ppid %d at its exit, but there was never "
                 "a pid %d", e->pid, e->ppid, e->pid);
        else if (p->ppid != e->ppid)
            fail(r, e, "expected pid %d ppid %d at its exit, got %d", e->pid,
                 e->ppid, p->ppid);
        break;
    case EXP_OUTPUT:
        if (!printed(tr, e->pid, e->text))
            fail(r, e, "expected pid %d to print \"%s\", but it never did",
                 e->pid, e->text);
        break;
    case EXP_TICKS:
        if (machine_tick(m) > e->value)
            fail(r, e, "expected the run to end by tick %lld, it ended at %lld",
                 (long long)e->value, (long long)machine_tick(m));
        break;
    case EXP_SHARED: {
        int64_t v = machine_shared_value(m, e->obj);
        if (v != e->value)
            fail(r, e, "expected shared value = %lld at the end, got %lld",
                 (long long)e->value, (long long)v);
        break;
    }
    case EXP_ARRAY: {
        const char *name = s->objects[e->obj].name;
        if (e->index >= machine_array_len(m, e->obj)) {
            fail(r, e, "array %s has %d items: there is no %s[%d]", name,
                 machine_array_len(m, e->obj), name, e->index);
            break;
        }
        int64_t v = machine_array_item(m, e->obj, e->index);
        if (v != e->value)
            fail(r, e, "expected %s[%d] = %lld at the end, got %lld", name, e->index,
                 (long long)e->value, (long long)v);
        break;
    }
    default:
        break;
    }
}

/* Expectations with a tick, in tick order (file order within a tick). */
static int *by_tick(const struct scenario *s, int *n)
{
    int *idx = malloc(((size_t)s->nexpects + 1) * sizeof *idx);
    *n = 0;
    if (!idx)
        return NULL;
    for (int i = 0; i < s->nexpects; i++) {
        if (s->expects[i].tick == EXPECT_END)
            continue;
        int j = (*n)++;
        while (j > 0 && s->expects[idx[j - 1]].tick > s->expects[i].tick) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    return idx;
}

bool check_scenario(const struct scenario *s, const struct config *cfg,
                    struct check_result *out)
{
    memset(out, 0, sizeof *out);
    /* The trace keeps what the expectations read: the process records,
     * and the printed lines only when an `output` expectation asks. */
    unsigned keep = 0;
    for (int i = 0; i < s->nexpects; i++)
        if (s->expects[i].kind == EXP_OUTPUT)
            keep = TRACE_PRINTS;
    struct trace tr;
    trace_init_keeping(&tr, cfg->cpus, keep);
    struct machine *m = machine_new(s, cfg, &tr);
    int nat = 0;
    int *at = by_tick(s, &nat);
    out->fails = calloc((size_t)s->nexpects + 1, sizeof *out->fails);
    if (!m || !at || !out->fails) {
        machine_free(m);
        free(at);
        trace_free(&tr);
        return false;
    }
    struct snapshot snap;
    snapshot_init(&snap);
    int next = 0;
    while (machine_begin_tick(m)) {
        int64_t T = machine_tick(m);
        if (next < nat && s->expects[at[next]].tick == T) {
            machine_snapshot(m, &snap);
            for (; next < nat && s->expects[at[next]].tick == T; next++)
                judge_at(out, &s->expects[at[next]], &snap);
        }
        machine_end_tick(m);
    }
    machine_sync_records(m);
    if (tr.oom) {
        snapshot_free(&snap);
        free(at);
        free(out->fails);
        out->fails = NULL;
        machine_free(m);
        trace_free(&tr);
        return false;
    }
    out->status = machine_status(m);
    out->end_tick = machine_tick(m);
    if (out->status == MS_ERROR)
        out->error = *machine_error(m);
    /* Ticks at or after the end see the final state. */
    if (next < nat)
        machine_snapshot(m, &snap);
    for (; next < nat; next++)
        judge_at(out, &s->expects[at[next]], &snap);
    for (int i = 0; i < s->nexpects; i++)
        if (s->expects[i].tick == EXPECT_END)
            judge_end(out, s, &s->expects[i], m, &tr);
    out->total = s->nexpects;

    /* Report failures in file order. */
    for (int i = 1; i < out->failed; i++)
        for (int j = i; j > 0 && out->fails[j].exp < out->fails[j - 1].exp; j--) {
            struct check_failure f = out->fails[j];
            out->fails[j] = out->fails[j - 1];
            out->fails[j - 1] = f;
        }
    snapshot_free(&snap);
    free(at);
    machine_free(m);
    trace_free(&tr);
    return true;
}

void check_result_free(struct check_result *r)
{
    free(r->fails);
    memset(r, 0, sizeof *r);
}
