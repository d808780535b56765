/* trace.c - the recorded history of a run, and the words for its events. */
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

void trace_init(struct trace *t, int ncpus)
{
    memset(t, 0, sizeof *t);
    t->ncpus = ncpus;
}

void trace_free(struct trace *t)
{
    free(t->ev);
    free(t->strings);
    free(t->procs);
    free(t->states);
    free(t->cpu_hist);
    memset(t, 0, sizeof *t);
}

size_t trace_events_at(const struct trace *t, int64_t tick, size_t *first)
{
    size_t lo = 0, hi = t->nev;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->ev[mid].tick < tick)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    size_t n = 0;
    while (lo + n < t->nev && t->ev[lo + n].tick == tick)
        n++;
    return n;
}

int trace_cpu_at(const struct trace *t, int64_t tick, int cpu)
{
    if (tick < 0 || cpu < 0 || cpu >= t->ncpus)
        return 0;
    size_t i = (size_t)tick * (size_t)t->ncpus + (size_t)cpu;
    return i < t->ncpu_hist ? t->cpu_hist[i] : 0;
}

const struct proc_record *trace_find_proc(const struct trace *t, int pid)
{
    for (size_t i = t->nprocs; i-- > 0;)
        if (t->procs[i].pid == pid)
            return &t->procs[i];
    return NULL;
}

const char *trace_text(const struct trace *t, const struct event *e)
{
    if ((e->kind != EV_PRINT && e->kind != EV_ERROR) || e->text >= t->nstr)
        return "";
    return t->strings + e->text;
}

static const char *prog_name(const struct scenario *s, int64_t prog)
{
    if (prog < 0 || prog >= s->nprograms)
        return "init";
    return s->programs[prog].name;
}

/* "exited 3" or "killed by SIGTERM" for an exit status. */
static void status_words(int64_t st, char *buf, size_t n)
{
    if (st >= 0) {
        snprintf(buf, n, "%lld", (long long)st);
        return;
    }
    const char *name = signal_name((int)-st);
    snprintf(buf, n, "-%lld (%s)", (long long)-st, name ? name : "signal");
}

size_t event_format(const struct trace *t, const struct scenario *s,
                    const struct event *e, char *buf, size_t size)
{
    static const char *const block_why[] = { "sleep", "disk I/O", "wait" };
    static const char *const wake_why[] = { "sleep done", "disk I/O done",
                                            "wait", "child exited" };
    char st[48];
    int p = e->pid;

    switch (e->kind) {
    case EV_SPAWN:
        return (size_t)snprintf(buf, size, "pid %d spawned (%s)", p,
                                prog_name(s, e->a));
    case EV_FORK:
        return (size_t)snprintf(buf, size, "pid %d forked %lld", p,
                                (long long)e->a);
    case EV_FORK_FAIL:
        return (size_t)snprintf(buf, size, "fork by %d failed: %s", p,
                                e->reason == FAIL_PROC_LIMIT
                                    ? "process limit" : "no free pid");
    case EV_EXEC:
        return (size_t)snprintf(buf, size, "pid %d exec %s", p,
                                prog_name(s, e->a));
    case EV_EXIT:
        status_words(e->a, st, sizeof st);
        return (size_t)snprintf(buf, size, "pid %d exited %s", p, st);
    case EV_REAP:
        status_words(e->b, st, sizeof st);
        return (size_t)snprintf(buf, size, "pid %d reaped by %lld (status %s)",
                                p, (long long)e->a, st);
    case EV_REPARENT:
        return (size_t)snprintf(buf, size, "pid %d reparented from %lld to %lld",
                                p, (long long)e->a, (long long)e->b);
    case EV_BLOCK:
        if (e->reason == WHY_WAIT)
            return (size_t)snprintf(buf, size, "pid %d waits for a child", p);
        return (size_t)snprintf(buf, size, "pid %d blocks: %s %lld", p,
                                block_why[e->reason % 3], (long long)e->a);
    case EV_WAKE:
        if (e->reason == WHY_CHILD_EXIT)
            return (size_t)snprintf(buf, size, "pid %d woken: child %lld exited",
                                    p, (long long)e->a);
        return (size_t)snprintf(buf, size, "pid %d woken: %s", p,
                                wake_why[e->reason % 4]);
    case EV_PREEMPT:
        if (e->reason == PRE_WAKEUP)
            return (size_t)snprintf(buf, size,
                                    "pid %d preempted on cpu%lld: woken %lld runs first",
                                    p, (long long)e->b, (long long)e->a);
        return (size_t)snprintf(buf, size, "pid %d preempted on cpu%lld: %s", p,
                                (long long)e->b,
                                e->reason == PRE_SLICE ? "slice used up"
                                                       : "others are further behind");
    case EV_YIELD:
        return (size_t)snprintf(buf, size, "pid %d yields", p);
    case EV_NICE:
        return (size_t)snprintf(buf, size, "pid %d nice %lld (weight %lld)", p,
                                (long long)e->a, (long long)e->b);
    case EV_PRINT:
        return (size_t)snprintf(buf, size, "pid %d prints \"%s\"", p,
                                trace_text(t, e));
    case EV_WAIT_NONE:
        return (size_t)snprintf(buf, size, "pid %d wait returns %lld%s", p,
                                (long long)e->a,
                                e->a < 0 ? " (no children)" : " (none exited)");
    case EV_ERROR:
        return (size_t)snprintf(buf, size, "error: %s", trace_text(t, e));
    case EV_END:
        switch (e->reason) {
        case END_EMPTY:
            return (size_t)snprintf(buf, size, "run ends: only init is left");
        case END_TICKS:
            return (size_t)snprintf(buf, size, "run stopped: tick limit reached");
        case END_STUCK:
            return (size_t)snprintf(buf, size,
                                    "run stopped: no process can ever run again");
        default:
            return (size_t)snprintf(buf, size, "run stopped by an error");
        }
    default:
        return (size_t)snprintf(buf, size, "event %d", e->kind);
    }
}
