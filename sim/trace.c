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

static const char *sig_name(int64_t sig)
{
    const char *n = signal_name((int)sig);
    return n ? n : "signal?";
}

/* The words for the signal events. */
static size_t signal_event(const struct scenario *s, const struct event *e,
                           char *buf, size_t size)
{
    static const char *const pending_why[] = {
        "pending", "pending (blocked)", "already pending: merged, not queued",
        "pending until its disk I/O completes" };
    static const char *const ignored_why[] = {
        "ignored", "ignored (default action)", "ignored (init has no handler)",
        "ignored: its process group is orphaned" };
    static const char *const action[] = {
        "terminated", "terminated (core dumped)", "ignored", "stopped",
        "continued" };
    static const char *const eintr[] = {
        [WHY_SLEEP] = "sleep", [WHY_WAIT] = "wait", [WHY_PAUSE] = "pause" };
    const char *sn = sig_name(e->a);
    int p = e->pid;

    switch (e->kind) {
    case EV_SIG_SEND:
        if (e->b < 0)
            return (size_t)snprintf(buf, size, "%s%d sends %s to group %lld",
                                    p ? "pid " : "terminal", p ? p : 0, sn,
                                    (long long)-e->b);
        if (!p)
            return (size_t)snprintf(buf, size, "terminal sends %s to %lld", sn,
                                    (long long)e->b);
        return (size_t)snprintf(buf, size, "pid %d sends %s to %lld", p, sn,
                                (long long)e->b);
    case EV_SIG_PENDING:
        return (size_t)snprintf(buf, size, "pid %d: %s %s", p, sn,
                                pending_why[e->reason % 4]);
    case EV_SIG_IGNORED:
        return (size_t)snprintf(buf, size, "pid %d: %s %s", p, sn,
                                ignored_why[e->reason % 4]);
    case EV_SIG_HANDLER:
        return (size_t)snprintf(buf, size, "pid %d runs handler %s for %s", p,
                                e->b >= 0 && e->b < s->nhandlers
                                    ? s->handlers[e->b].name : "?", sn);
    case EV_SIG_RETURN:
        return (size_t)snprintf(buf, size, "pid %d: handler for %s done", p, sn);
    case EV_SIG_DEFAULT:
        return (size_t)snprintf(buf, size, "pid %d %s by %s", p,
                                action[e->reason % 5], sn);
    case EV_SIG_CONT:
        return (size_t)snprintf(buf, size, "pid %d continued by %s", p, sn);
    case EV_SIG_EINTR:
        if (e->reason == WHY_SLEEP)
            return (size_t)snprintf(buf, size,
                                    "pid %d: %s interrupts its sleep (%lld ticks left)",
                                    p, sn, (long long)e->b);
        return (size_t)snprintf(buf, size, "pid %d: %s interrupts its %s", p, sn,
                                e->reason < 5 && eintr[e->reason] ? eintr[e->reason] : "wait");
    case EV_AUTO_REAP:
        return (size_t)snprintf(buf, size,
                                "pid %d reaped at once: parent %lld ignores SIGCHLD",
                                p, (long long)e->a);
    case EV_ALARM:
        return (size_t)snprintf(buf, size, "pid %d: alarm rings", p);
    default:
        return (size_t)snprintf(buf, size, "event %d", e->kind);
    }
}

size_t event_format(const struct trace *t, const struct scenario *s,
                    const struct event *e, char *buf, size_t size)
{
    static const char *const block_why[] = { "sleep", "disk I/O", "wait" };
    static const char *const wake_why[] = { "sleep done", "disk I/O done",
                                            "wait", "child exited", "pause",
                                            "signal" };
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
        if (e->reason == WHY_PAUSE)
            return (size_t)snprintf(buf, size, "pid %d pauses", p);
        return (size_t)snprintf(buf, size, "pid %d blocks: %s %lld", p,
                                block_why[e->reason % 3], (long long)e->a);
    case EV_WAKE:
        if (e->reason == WHY_CHILD_EXIT)
            return (size_t)snprintf(buf, size, "pid %d woken: child %lld exited",
                                    p, (long long)e->a);
        if (e->reason == WHY_SIGNAL)
            return (size_t)snprintf(buf, size, "pid %d woken by %s", p,
                                    sig_name(e->a));
        return (size_t)snprintf(buf, size, "pid %d woken: %s", p,
                                wake_why[e->reason % 6]);
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
        return signal_event(s, e, buf, size);
    }
}
