/*
 * lanes.c - the rows of the process lanes: one per task life in the
 * recorded run, built once from the trace. A process that exited and was
 * reaped keeps its row, so the timeline still shows its history (and the
 * CPU lanes' blocks always have a row to match); a row is shown while the
 * visible span of ticks overlaps its life.
 */
#include <stdlib.h>
#include <string.h>

#include "viz.h"

static int by_tid_from(const void *a, const void *b)
{
    const struct lane *x = a, *y = b;
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* Threads after their process's main thread, then by tid and time. */
static int by_process(const void *a, const void *b)
{
    const struct lane *x = a, *y = b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    if (x->thread != y->thread)
        return x->thread ? 1 : -1;
    return by_tid_from(a, b);
}

/* Process records by (pid, creation): a pid reused after a wrap has one
 * record per life, and each life's row must name its own program. */
struct life_key {
    int pid;
    int64_t created;
    int record;
};

static int by_pid_created(const void *a, const void *b)
{
    const struct life_key *x = a, *y = b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    return x->created < y->created ? -1 : x->created > y->created;
}

/* The record of the life of `pid` that began at or before `tick`. */
static const struct proc_record *record_of_life(const struct trace *tr,
                                                const struct life_key *keys,
                                                int pid, int64_t tick)
{
    int lo = 0, hi = (int)tr->nprocs;
    while (lo < hi) {           /* the first key past (pid, tick) */
        int mid = (lo + hi) / 2;
        if (keys[mid].pid < pid || (keys[mid].pid == pid && keys[mid].created <= tick))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || keys[lo - 1].pid != pid)
        return NULL;
    return &tr->procs[keys[lo - 1].record];
}

bool lanes_build(struct viz *v)
{
    free(v->lanes);
    v->lanes = NULL;
    v->nlanes = 0;
    const struct trace *tr = run_trace(v->run);
    int cap = 16;
    struct lane *l = malloc((size_t)cap * sizeof *l);
    struct life_key *order = malloc((tr->nprocs + 1) * sizeof *order);
    if (!l || !order) {
        free(l);
        free(order);
        return false;
    }
    for (size_t i = 0; i < tr->nprocs; i++)
        order[i] = (struct life_key){ tr->procs[i].pid, tr->procs[i].created, (int)i };
    qsort(order, tr->nprocs, sizeof *order, by_pid_created);
    int n = 0;
    /* Lives: from a task's first state to its 'X' (gone), per tid. A tid
     * reused after a PID wrap gives two lives, two rows. */
    for (int tid = 1; tid < v->state_index_n; tid++) {
        bool open = false;
        for (int k = v->state_index[tid]; k < v->state_index[tid + 1]; k++) {
            const struct state_change *c = &tr->states[v->state_order[k]];
            if (c->state == 'X') {
                if (open)
                    l[n - 1].to = c->tick;
                open = false;
                continue;
            }
            if (open)
                continue;
            if (n == cap) {
                struct lane *g = realloc(l, (size_t)cap * 2 * sizeof *l);
                if (!g) {
                    free(l);
                    free(order);
                    return false;
                }
                l = g;
                cap *= 2;
            }
            const struct proc_record *p = record_of_life(tr, order, tid, c->tick);
            l[n++] = (struct lane){ .tid = tid, .pid = tid, .prog = p ? p->prog : -1,
                                    .thread = false, .from = c->tick, .to = -1 };
            open = true;
        }
    }
    free(order);
    qsort(l, (size_t)n, sizeof *l, by_tid_from);
    /* Threads: their process and program come from their start event; the
     * life is the first one of that tid that begins at or after it. */
    for (size_t i = 0; i < tr->nev; i++) {
        const struct event *e = &tr->ev[i];
        if (e->kind != EV_THREAD_START)
            continue;
        struct lane *best = NULL;
        for (int k = 0; k < n; k++)
            if (l[k].tid == e->a && l[k].from >= e->tick && (!best || l[k].from < best->from))
                best = &l[k];
        if (best) {
            best->pid = e->pid;
            best->prog = (int)e->b;
            best->thread = true;
            snprintf(best->name, sizeof best->name, "%s", trace_text(tr, e));
        }
    }
    qsort(l, (size_t)n, sizeof *l, by_process);
    v->lanes = l;
    v->nlanes = n;
    return true;
}

int lanes_in_view(const struct viz *v, int64_t t0, int64_t t1, int skip, int *out, int max)
{
    int total = 0, kept = 0;
    for (int i = 0; i < v->nlanes; i++) {
        const struct lane *l = &v->lanes[i];
        if (l->from > t1 || (l->to >= 0 && l->to <= t0))
            continue;
        if (total >= skip && kept < max)
            out[kept++] = i;
        total++;
    }
    return total;
}
