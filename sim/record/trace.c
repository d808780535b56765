/* trace.c - the recorded history of a run, and the words for its events. */
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyevent.h"
#include "scenario.h"

void trace_init(struct trace *t, int ncpus)
{
    trace_init_keeping(t, ncpus, TRACE_ALL);
}

void trace_init_keeping(struct trace *t, int ncpus, unsigned keep)
{
    memset(t, 0, sizeof *t);
    t->ncpus = ncpus;
    t->keep = keep;
}

void trace_free(struct trace *t)
{
    free(t->ev);
    free(t->strings);
    free(t->procs);
    free(t->pools);
    free(t->pworkers);
    free(t->states);
    free(t->cpu_hist);
    free(t->cpu_from);
    free(t->dropped);
    free(t->made_site);
    memset(t, 0, sizeof *t);
}

void trace_object_made(struct trace *t, int obj, int site)
{
    if (obj < 0)
        return;
    if ((size_t)obj >= t->nmade) {
        size_t n = (size_t)obj + 1 > 2 * t->nmade ? (size_t)obj + 1 : 2 * t->nmade;
        int *a = realloc(t->made_site, n * sizeof *a);
        if (!a) {
            t->oom = true;
            return;
        }
        for (size_t i = t->nmade; i < n; i++)
            a[i] = -1;
        t->made_site = a;
        t->nmade = n;
    }
    t->made_site[obj] = site;
}

const struct object *trace_object(const struct trace *t, const struct scenario *s, int obj)
{
    if (obj >= 0 && obj < s->nobjects)
        return &s->objects[obj];
    if (t && obj >= 0 && (size_t)obj < t->nmade && t->made_site[obj] >= 0 &&
        t->made_site[obj] < s->nobjects)
        return &s->objects[t->made_site[obj]];
    return NULL;
}

int trace_add_pool(struct trace *t, const char *name, int owner, int kind)
{
    if (t->npools == t->poolcap) {
        size_t cap = t->poolcap ? t->poolcap * 2 : 4;
        struct pool_record *n = realloc(t->pools, cap * sizeof *n);
        if (!n) {
            t->oom = true;
            return -1;
        }
        t->pools = n;
        t->poolcap = cap;
    }
    t->pools[t->npools] = (struct pool_record){ .name = name, .owner = owner, .kind = kind };
    return (int)t->npools++;
}

int trace_add_pool_worker(struct trace *t, int pool, int pid, int tid)
{
    if (t->npworkers == t->pworkercap) {
        size_t cap = t->pworkercap ? t->pworkercap * 2 : 16;
        struct pool_worker_record *n = realloc(t->pworkers, cap * sizeof *n);
        if (!n) {
            t->oom = true;
            return -1;
        }
        t->pworkers = n;
        t->pworkercap = cap;
    }
    t->pworkers[t->npworkers] = (struct pool_worker_record){ .pool = pool, .pid = pid,
                                                            .tid = tid };
    return (int)t->npworkers++;
}

bool trace_admit_event(struct trace *t, int64_t tick, int kind)
{
    if (!trace_keeps_event(t, kind))
        return false;
    if (!t->max_tick_events || kind == EV_END || kind == EV_ERROR)
        return true;
    if (tick != t->limit_tick) {
        t->limit_tick = tick;
        t->limit_count = 0;
    }
    if (t->limit_count < t->max_tick_events) {
        t->limit_count++;
        return true;
    }
    if (t->ndropped && t->dropped[t->ndropped - 1].tick == tick) {
        t->dropped[t->ndropped - 1].n++;
        return false;
    }
    if (t->ndropped == t->droppedcap) {
        size_t cap = t->droppedcap ? t->droppedcap * 2 : 16;
        struct dropped_events *d = realloc(t->dropped, cap * sizeof *d);
        if (!d) {
            t->oom = true;
            return false;
        }
        t->dropped = d;
        t->droppedcap = cap;
    }
    t->dropped[t->ndropped++] = (struct dropped_events){ tick, 1 };
    return false;
}

size_t trace_dropped_at(const struct trace *t, int64_t tick)
{
    for (size_t i = t->ndropped; i-- > 0;)
        if (t->dropped[i].tick == tick)
            return t->dropped[i].n;
        else if (t->dropped[i].tick < tick)
            break;
    return 0;
}

/* The index of the last CPU entry starting at or before `tick`, or
 * SIZE_MAX when there is none. */
static size_t last_cpu_entry(const struct trace *t, int64_t tick)
{
    size_t lo = 0, hi = t->ncpu_from;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->cpu_from[mid] <= tick)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : SIZE_MAX;
}

void trace_add_cpus(struct trace *t, int64_t tick, const int32_t *tids)
{
    size_t w = (size_t)t->ncpus, n = t->ncpu_from;
    t->cpu_end = tick + 1;
    if (n && memcmp(t->cpu_hist + (n - 1) * w, tids, w * sizeof *tids) == 0)
        return;     /* the same as the tick before: nothing to keep */
    if (n == t->cpu_fromcap) {
        size_t cap = n ? n * 2 : 256;
        int64_t *from = realloc(t->cpu_from, cap * sizeof *from);
        if (from)
            t->cpu_from = from;
        int32_t *hist = from ? realloc(t->cpu_hist, cap * w * sizeof *hist) : NULL;
        if (!hist) {
            t->oom = true;
            return;
        }
        t->cpu_hist = hist;
        t->cpu_fromcap = cap;
    }
    t->cpu_from[n] = tick;
    memcpy(t->cpu_hist + n * w, tids, w * sizeof *tids);
    t->ncpu_from++;
}

void trace_forget_before(struct trace *t, int64_t tick)
{
    size_t first;
    trace_events_at(t, tick, &first);
    if (first > 0) {
        memmove(t->ev, t->ev + first, (t->nev - first) * sizeof *t->ev);
        t->nev -= first;
    }
    if (t->nev == 0)
        t->nstr = 0;
    size_t k = 0;
    for (size_t i = 0; i < t->nstates; i++)
        if (t->states[i].tick >= tick)
            t->states[k++] = t->states[i];
    t->nstates = k;
    k = 0;
    for (size_t i = 0; i < t->ndropped; i++)
        if (t->dropped[i].tick >= tick)
            t->dropped[k++] = t->dropped[i];
    t->ndropped = k;
    /* Keep the CPU entry in force at `tick` and those after it. */
    size_t keep = last_cpu_entry(t, tick);
    if (keep != SIZE_MAX && keep > 0) {
        size_t n = t->ncpu_from - keep, w = (size_t)t->ncpus;
        memmove(t->cpu_from, t->cpu_from + keep, n * sizeof *t->cpu_from);
        memmove(t->cpu_hist, t->cpu_hist + keep * w, n * w * sizeof *t->cpu_hist);
        t->ncpu_from = n;
    }
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
    if (tick < 0 || tick >= t->cpu_end || cpu < 0 || cpu >= t->ncpus)
        return 0;
    size_t i = last_cpu_entry(t, tick);
    return i == SIZE_MAX ? 0 : t->cpu_hist[i * (size_t)t->ncpus + (size_t)cpu];
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
    bool has_text = e->kind == EV_PRINT || e->kind == EV_ERROR || e->kind == EV_QUEUE ||
                    e->kind == EV_LOST_UPDATE || e->kind == EV_DEADLOCK ||
                    e->kind == EV_PIPE || e->kind == EV_POOL || e->kind == EV_TIMER ||
                    e->kind == EV_SOCK ||
                    e->kind == EV_MUX ||
                    e->kind == EV_GREEN || e->kind == EV_THREAD_START ||
                    (e->kind == EV_END && e->reason == END_DEADLOCK);
    if (!has_text || e->text >= t->nstr)
        return "";
    return t->strings + e->text;
}

static const char *prog_name(const struct scenario *s, int64_t prog)
{
    return scenario_comm(s, prog < 0 || prog >= s->nprograms ? -1 : (int)prog);
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

/* "tick" or "ticks", to go after the number n. */
static const char *ticks_word(int64_t n)
{
    return n == 1 ? "tick" : "ticks";
}

/* Who sends a signal from outside the processes (sender pid 0). The
 * scenario's `at` lines of that tick tell: a terminal sends only SIGINT,
 * SIGTSTP and SIGQUIT (ctrl-c, ctrl-z, ctrl-\); the shell's fg and bg send
 * SIGCONT; anything else is someone's kill command. */
static const char *outside_sender(const struct scenario *s, const struct event *e)
{
    int sig = (int)e->a, lo = 0, hi = s ? s->noutside : 0;
    const char *job = NULL, *group_kill = NULL;
    while (lo < hi) {          /* the first `at` line of this tick */
        int mid = lo + (hi - lo) / 2;
        if (s->outside[mid].at < e->tick)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; s && i < s->noutside && s->outside[i].at == e->tick; i++) {
        const struct outside *o = &s->outside[i];
        if (o->kind == OUT_KILL && o->sig == sig && o->pid == e->b)
            return "kill command";
        if (o->kind == OUT_KILL && o->sig == sig && o->pid <= 0)
            group_kill = "kill command";
        else if ((o->kind == OUT_CTRL_C && sig == SIG_INT) ||
                 (o->kind == OUT_CTRL_Z && sig == SIG_TSTP) ||
                 (o->kind == OUT_CTRL_BACKSLASH && sig == SIG_QUIT))
            job = job ? job : "terminal";
        else if (o->kind == OUT_FG && sig == SIG_CONT)
            job = job ? job : "fg command";
        else if (o->kind == OUT_BG && sig == SIG_CONT)
            job = job ? job : "bg command";
    }
    if (job)
        return job;
    if (group_kill)
        return group_kill;
    /* Not from the file (the window's keys): judge by the signal. */
    return sig == SIG_INT || sig == SIG_TSTP || sig == SIG_QUIT ? "terminal" : "kill command";
}

/* "pid 2", or "thread 5 (pid 2)" for a thread that is not the main one. */
static const char *who(const struct event *e, char *buf, size_t n)
{
    if (e->tid && e->tid != e->pid)
        snprintf(buf, n, "thread %d (pid %d)", e->tid, e->pid);
    else
        snprintf(buf, n, "pid %d", e->pid);
    return buf;
}

/* The words for threads, the GIL and shared objects. */
static size_t thread_event(const struct trace *t, const struct scenario *s,
                           const struct event *e, char *buf, size_t size)
{
    char wb[48];
    const char *w = who(e, wb, sizeof wb);
    const struct object *od = trace_object(t, s, (int)e->a);
    const char *obj = od ? od->name : "?";
    switch (e->kind) {
    case EV_THREAD_START:
        return (size_t)snprintf(buf, size, "%s starts %sthread %lld (%s)", w,
                                e->reason ? "daemon " : "", (long long)e->a,
                                *trace_text(t, e) ? trace_text(t, e)
                                : e->b >= 0 && e->b < s->nprograms ? s->programs[e->b].name : "?");
    case EV_THREAD_END:
        return (size_t)snprintf(buf, size, "%s ends", w);
    case EV_GIL_TAKE:
        return (size_t)snprintf(buf, size, "%s takes the GIL (waited %lld %s)", w,
                                (long long)e->a, ticks_word(e->a));
    case EV_GIL_WAIT:
        return (size_t)snprintf(buf, size, "%s waits for the GIL (held by %lld)", w,
                                (long long)e->a);
    case EV_GIL_DROP_REQUEST:
        return (size_t)snprintf(buf, size, "%s has waited an interval: asks %lld to drop the GIL",
                                w, (long long)e->a);
    case EV_GIL_DROP:
        return (size_t)snprintf(buf, size, "%s drops the GIL for %lld", w, (long long)e->a);
    case EV_LOST_UPDATE:
    case EV_DEADLOCK:
        return (size_t)snprintf(buf, size, "%s", trace_text(t, e));
    default:
        break;
    }
    enum object_kind k = od ? od->kind : OBJ_LOCK;
    switch (e->reason) {
    case OBJ_ACQUIRED:
        if (k == OBJ_SEMAPHORE)
            return (size_t)snprintf(buf, size, "%s acquires %s (value now %lld)", w, obj,
                                    (long long)e->b);
        if (k == OBJ_SHARED || k == OBJ_ARRAY)
            return (size_t)snprintf(buf, size, "%s acquires %s's lock%s", w, obj,
                                    e->b > 1 ? " again" : "");
        if (k == OBJ_RLOCK && e->b > 1)
            return (size_t)snprintf(buf, size, "%s acquires %s again (count %lld)", w, obj,
                                    (long long)e->b);
        return (size_t)snprintf(buf, size, "%s acquires %s", w, obj);
    case OBJ_WAITS:
        if (k == OBJ_SHARED || k == OBJ_ARRAY)
            return (size_t)snprintf(buf, size, "%s waits for %s's lock (held by %lld)", w,
                                    obj, (long long)e->b);
        if (k == OBJ_LOCK || k == OBJ_RLOCK)
            return (size_t)snprintf(buf, size, "%s waits for %s (held by %lld)", w, obj,
                                    (long long)e->b);
        return (size_t)snprintf(buf, size, "%s waits on %s", w, obj);
    case OBJ_RELEASED:
        if (k == OBJ_SHARED || k == OBJ_ARRAY)
            return (size_t)snprintf(buf, size, "%s releases %s's lock%s", w, obj,
                                    e->b > 0 ? " once" : "");
        if (k == OBJ_SEMAPHORE)
            return (size_t)snprintf(buf, size, "%s releases %s (value now %lld)", w, obj,
                                    (long long)e->b);
        if (e->b > 0)
            return (size_t)snprintf(buf, size, "%s releases %s once (count %lld)", w, obj,
                                    (long long)e->b);
        return (size_t)snprintf(buf, size, "%s releases %s", w, obj);
    case OBJ_SET:
        return (size_t)snprintf(buf, size, "%s sets %s (%lld waiting)", w, obj,
                                (long long)e->b);
    case OBJ_TIMED_OUT:
        return (size_t)snprintf(buf, size, "%s gives up waiting on %s after %lld %s: "
                                "False", w, obj, (long long)e->b, ticks_word(e->b));
    case OBJ_BUSY:
        return (size_t)snprintf(buf, size, "%s finds %s taken: acquire returns False",
                                w, obj);
    default:
        return (size_t)snprintf(buf, size, "%s clears %s", w, obj);
    }
}

/* The words for the queue events (EV_QUEUE). */
static size_t queue_event(const struct trace *t, const struct scenario *s,
                          const struct event *e, char *buf, size_t size)
{
    char wb[48];
    const char *w = who(e, wb, sizeof wb);
    const struct object *o = trace_object(t, s, (int)e->a);
    const char *q = o ? o->name : "?";
    const char *v = trace_text(t, e);
    long long b = (long long)e->b;
    bool mp = o && o->qkind != QK_THREAD;
    if (e->tid != e->pid && (e->reason == QE_FEED || e->reason == QE_FEED_WAIT ||
                             e->reason == QE_FEEDER_END)) {
        snprintf(wb, sizeof wb, "feeder %d (pid %d)", e->tid, e->pid);
        w = wb;
    }
    switch (e->reason) {
    case QE_PUT:
        if (mp)
            return (size_t)snprintf(buf, size, "%s puts %s on %s: the feeder (tid %lld) will "
                                    "flush it", w, v, q, b);
        return (size_t)snprintf(buf, size, "%s puts %s on %s: %lld %s in it", w, v, q, b,
                                b == 1 ? "item" : "items");
    case QE_FEED:
        return (size_t)snprintf(buf, size, "%s moves %s into %s's pipe: %lld %s in it", w, v,
                                q, b, b == 1 ? "message" : "messages");
    case QE_GET:
        return (size_t)snprintf(buf, size, "%s gets %s from %s (%lld left in %s)", w, v, q, b,
                                mp ? "its pipe" : "it");
    case QE_WAIT_EMPTY:
        return (size_t)snprintf(buf, size, "%s waits on %s: empty", w, q);
    case QE_WAIT_FULL:
        return (size_t)snprintf(buf, size, "%s waits on %s: full (%lld of %lld slots taken)",
                                w, q, b, b);
    case QE_FEED_WAIT:
        return (size_t)snprintf(buf, size, "%s waits on %s: its pipe is full (%lld bytes in it)",
                                w, q, b);
    case QE_GET_TIMEOUT:
    case QE_PUT_TIMEOUT:
        return (size_t)snprintf(buf, size, "%s: %s.%s timed out: %s", w, q,
                                e->reason == QE_GET_TIMEOUT ? "get" : "put",
                                e->reason == QE_GET_TIMEOUT ? "Empty" : "Full");
    case QE_GET_NOWAIT:
    case QE_PUT_NOWAIT:
        return (size_t)snprintf(buf, size, "%s: %s.%s nowait: %s", w, q,
                                e->reason == QE_GET_NOWAIT ? "get" : "put",
                                e->reason == QE_GET_NOWAIT ? "Empty" : "Full");
    case QE_FLUSH_WAIT:
        return (size_t)snprintf(buf, size, "%s cannot exit yet: it waits for its feeder (tid "
                                "%lld) to flush what it put on %s", w, b, q);
    case QE_TASK_DONE:
        return (size_t)snprintf(buf, size, "%s: task_done on %s (%lld unfinished)", w, q, b);
    case QE_JOIN_WAIT:
        return (size_t)snprintf(buf, size, "%s waits on %s.join: %lld unfinished", w, q, b);
    case QE_ALL_DONE:
        return (size_t)snprintf(buf, size, "%s finishes %s's last task: %lld %s wake", w, q, b,
                                b == 1 ? "joiner" : "joiners");
    case QE_CLOSE:
        return (size_t)snprintf(buf, size, "%s closes %s", w, q);
    case QE_STUCK:
        return (size_t)snprintf(buf, size, "%s", v);
    case QE_PUT_ORPHAN:
        return (size_t)snprintf(buf, size, "%s puts %s on %s: its feeder thread (tid %lld) "
                                "stayed in its parent at the fork (a bare os.fork), so it is "
                                "never sent", w, v, q, b);
    case QE_FEEDER_END:
        return (size_t)snprintf(buf, size, "%s ends: %s is closed and its buffer flushed", w, q);
    default:
        return (size_t)snprintf(buf, size, "%s ends with %lld %s never flushed into %s: lost", w,
                                b, b == 1 ? "item" : "items", q);
    }
}

/* The words for the signal events. */
static size_t signal_event(const struct scenario *s, const struct event *e,
                           char *buf, size_t size)
{
    char wb[48];
    const char *w = who(e, wb, sizeof wb);
    static const char *const pending_why[] = {
        "pending", "pending (blocked)", "already pending: merged, not queued",
        "pending until its disk I/O completes",
        "pending: a stopped process takes only SIGKILL and SIGCONT" };
    static const char *const ignored_why[] = {
        "ignored", "ignored (default action)", "ignored (init has no handler)",
        "ignored: its process group is orphaned", "dropped: it is already dying" };
    static const char *const action[] = {
        "terminated", "terminated (core dumped)", "ignored", "stopped",
        "continued" };
    static const char *const eintr[] = {
        [WHY_SLEEP] = "sleep", [WHY_WAIT] = "wait", [WHY_PAUSE] = "pause",
        [WHY_GIL] = "wait for the GIL", [WHY_OBJ] = "wait for a lock or event",
        [WHY_JOIN] = "join" };
    const char *sn = sig_name(e->a);
    int p = e->pid;

    switch (e->kind) {
    case EV_SIG_SEND: {
        char from[24];
        if (p)
            snprintf(from, sizeof from, "pid %d", p);
        else if (e->reason == SEND_KERNEL)
            snprintf(from, sizeof from, "kernel");
        else
            snprintf(from, sizeof from, "%s", outside_sender(s, e));
        if (e->b < 0)
            return (size_t)snprintf(buf, size, "%s sends %s to group %lld", from, sn,
                                    (long long)-e->b);
        return (size_t)snprintf(buf, size, "%s sends %s to %lld", from, sn,
                                (long long)e->b);
    }
    case EV_SIG_PENDING:
        return (size_t)snprintf(buf, size, "%s: %s %s", w, sn,
                                pending_why[e->reason % 5]);
    case EV_SIG_IGNORED:
        if (e->reason == SIGI_DYING)
            return (size_t)snprintf(buf, size, "pid %d: %s dropped: it is already dying of %s",
                                    p, sn, sig_name(e->b));
        return (size_t)snprintf(buf, size, "pid %d: %s %s", p, sn,
                                ignored_why[e->reason % 5]);
    case EV_SIG_HANDLER:
        return (size_t)snprintf(buf, size, "%s runs handler %s for %s", w,
                                e->b >= 0 && e->b < s->nhandlers
                                    ? s->handlers[e->b].name : "?", sn);
    case EV_SIG_RETURN:
        return (size_t)snprintf(buf, size, "%s: handler for %s done", w, sn);
    case EV_SIG_DEFAULT:
        return (size_t)snprintf(buf, size, "pid %d %s by %s", p,
                                action[e->reason % 5], sn);
    case EV_SIG_CONT:
        return (size_t)snprintf(buf, size, "pid %d continued by %s", p, sn);
    case EV_SIG_EINTR:
        if (e->reason == WHY_SLEEP)
            return (size_t)snprintf(buf, size,
                                    "%s: %s interrupts its sleep (%lld %s left)",
                                    w, sn, (long long)e->b, ticks_word(e->b));
        return (size_t)snprintf(buf, size, "%s: %s interrupts its %s", w, sn,
                                e->reason < 9 && eintr[e->reason] ? eintr[e->reason] : "wait");
    case EV_SIG_RESTART:
        if (e->reason == WHY_SLEEP)
            return (size_t)snprintf(buf, size, "%s: %s interrupts its sleep (%lld %s "
                                    "left); it sleeps them after the handler", w, sn,
                                    (long long)e->b, ticks_word(e->b));
        return (size_t)snprintf(buf, size, "%s: %s interrupts its %s; it goes back to it "
                                "after the handler", w, sn,
                                e->reason < 9 && eintr[e->reason] ? eintr[e->reason] : "wait");
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

static const char *errno_name(int err)
{
    switch (err) {
    case ERR_EPERM:  return "EPERM";
    case ERR_ESRCH:  return "ESRCH";
    case ERR_EACCES: return "EACCES";
    case ERR_EINVAL: return "EINVAL";
    default:         return "ENOTTY";
    }
}

/* The words for process groups and the terminal. */
static size_t job_event(const struct event *e, char *buf, size_t size)
{
    char wb[48];
    const char *w = who(e, wb, sizeof wb);
    long long a = (long long)e->a, b = (long long)e->b;
    switch (e->kind) {
    case EV_SETPGID:
        if (e->reason)
            return (size_t)snprintf(buf, size, "%s: setpgid(%lld, %lld) fails: %s", w,
                                    a, b, errno_name(e->reason));
        return (size_t)snprintf(buf, size, "%s puts %lld in process group %lld", w, a, b);
    case EV_TCSETPGRP:
        if (e->reason == JOB_TTOU)
            return (size_t)snprintf(buf, size, "%s calls tcsetpgrp from the background: "
                                    "SIGTTOU to its group", w);
        if (e->reason)
            return (size_t)snprintf(buf, size, "%s: tcsetpgrp(%lld) fails: %s", w, a,
                                    errno_name(e->reason));
        return (size_t)snprintf(buf, size, "%s makes group %lld the foreground job", w, a);
    case EV_SETSID:
        if (e->reason)
            return (size_t)snprintf(buf, size, "%s: setsid fails: %s (it leads a process "
                                    "group)", w, errno_name(e->reason));
        return (size_t)snprintf(buf, size, "%s leads a new session and group %lld, "
                                "without the terminal", w, a);
    case EV_ORPHANED:
        return (size_t)snprintf(buf, size, "group %lld is orphaned with a stopped member: "
                                "SIGHUP, then SIGCONT to each member", a);
    default:
        if (e->reason)
            return (size_t)snprintf(buf, size, "%s: waitpid reports %lld stopped by %s",
                                    w, a, sig_name(e->reason));
        return (size_t)snprintf(buf, size, "%s: waitpid reports %lld continued", w, a);
    }
}

static size_t kernel_words(const struct trace *t, const struct scenario *s,
                           const struct event *e, char *buf, size_t size)
{
    static const char *const block_why[] = { "sleep", "disk I/O", "wait" };
    static const char *const wake_why[] = { "sleep done", "disk I/O done",
                                            "wait", "child exited", "pause",
                                            "signal", "has the GIL", "its turn came",
                                            "thread ended", "child stopped",
                                            "child continued", "timed out" };
    char st[48], wb[48];
    const char *w = who(e, wb, sizeof wb);
    int p = e->pid;

    switch (e->kind) {
    case EV_SPAWN:
        return (size_t)snprintf(buf, size, "%s spawned (%s)", w,
                                prog_name(s, e->a));
    case EV_FORK:
        return (size_t)snprintf(buf, size, "%s forked %lld", w,
                                (long long)e->a);
    case EV_FORK_FAIL:
        return (size_t)snprintf(buf, size, "fork by %d failed: %s", p,
                                e->reason == FAIL_PROC_LIMIT
                                    ? "process limit" : "no free pid");
    case EV_EXEC:
        return (size_t)snprintf(buf, size, "%s exec %s", w,
                                prog_name(s, e->a));
    case EV_EXIT:
        status_words(e->a, st, sizeof st);
        return (size_t)snprintf(buf, size, "%s exited %s", w, st);
    case EV_REAP:
        status_words(e->b, st, sizeof st);
        return (size_t)snprintf(buf, size, "%s reaped by %lld (status %s)",
                                w, (long long)e->a, st);
    case EV_REPARENT:
        return (size_t)snprintf(buf, size, "%s reparented from %lld to %lld",
                                w, (long long)e->a, (long long)e->b);
    case EV_BLOCK:
        if (e->reason == WHY_WAIT)
            return (size_t)snprintf(buf, size, "%s waits for a child", w);
        if (e->reason == WHY_PAUSE)
            return (size_t)snprintf(buf, size, "%s pauses", w);
        return (size_t)snprintf(buf, size, "%s blocks: %s %lld", w,
                                block_why[e->reason % 3], (long long)e->a);
    case EV_WAKE:
        if (e->reason == WHY_CHILD_EXIT && e->a > 0)
            return (size_t)snprintf(buf, size, "%s woken: child %lld exited",
                                    w, (long long)e->a);
        if (e->reason == WHY_CHILD_EXIT)
            return (size_t)snprintf(buf, size, "%s woken: a child exited", w);
        if (e->reason == WHY_SIGNAL)
            return (size_t)snprintf(buf, size, "%s woken by %s", w,
                                    sig_name(e->a));
        if (e->reason == WHY_QUEUE || e->reason == WHY_QTIMEOUT)
            return (size_t)snprintf(buf, size, e->reason == WHY_QUEUE ? "%s woken: its turn on %s came"
                                    : "%s woken: its timeout on %s came", w,
                                    trace_object(t, s, (int)e->a)
                                    ? trace_object(t, s, (int)e->a)->name : "?");
        if (e->reason == WHY_SOCK || e->reason == WHY_STIMEOUT)
            return (size_t)snprintf(buf, size, e->reason == WHY_SOCK
                                    ? "%s woken: socket %lld can go on"
                                    : "%s woken: its timeout on socket %lld came", w,
                                    (long long)e->a);
        if (e->reason == WHY_CHILD_STOP || e->reason == WHY_CHILD_CONT)
            return (size_t)snprintf(buf, size, "%s woken: child %lld %s", w,
                                    (long long)e->a,
                                    e->reason == WHY_CHILD_STOP ? "stopped" : "continued");
        return (size_t)snprintf(buf, size, "%s woken: %s", w,
                                wake_why[e->reason % 12]);
    case EV_PREEMPT:
        if (e->reason == PRE_WAKEUP)
            return (size_t)snprintf(buf, size,
                                    "%s preempted on cpu%lld: woken %lld runs first",
                                    w, (long long)e->b, (long long)e->a);
        return (size_t)snprintf(buf, size, "%s preempted on cpu%lld: %s", w,
                                (long long)e->b,
                                e->reason == PRE_SLICE ? "slice used up"
                                                       : "others are further behind");
    case EV_YIELD:
        return (size_t)snprintf(buf, size, "%s yields", w);
    case EV_NICE:
        return (size_t)snprintf(buf, size, "%s nice %lld (weight %lld)", w,
                                (long long)e->a, (long long)e->b);
    case EV_PRINT:
        return (size_t)snprintf(buf, size, "%s prints \"%s\"", w,
                                trace_text(t, e));
    case EV_WAIT_NONE:
        return (size_t)snprintf(buf, size, "%s wait returns %lld%s", w,
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
        case END_DEADLOCK:
            return (size_t)snprintf(buf, size, "run stopped by a deadlock: %s",
                                    trace_text(t, e));
        default:
            return (size_t)snprintf(buf, size, "run stopped by an error");
        }
    case EV_RAISE:
        return (size_t)snprintf(buf, size, "%s raises %s at line %lld", w,
                                exc_name((int)e->a), (long long)e->b);
    case EV_QUEUE:
        return queue_event(t, s, e, buf, size);
    case EV_PROCOBJ:
        if (e->reason == PO_JOIN_TIMEOUT)
            return (size_t)snprintf(buf, size, "%s: join of %lld times out after %lld %s",
                                    w, (long long)e->a, (long long)e->b, ticks_word(e->b));
        if (e->reason == PO_DAEMON_TERM)
            return (size_t)snprintf(buf, size, "%s ends: its daemon child %lld is "
                                    "terminated (SIGTERM)", w, (long long)e->a);
        if (e->reason == PO_TERMINATE)
            return (size_t)snprintf(buf, size, "%s terminates child %lld "
                                    "(Process.terminate: SIGTERM)", w, (long long)e->a);
        return (size_t)snprintf(buf, size, "%s: terminate %lld does nothing (not a "
                                "child, or reaped already)", w, (long long)e->a);
    case EV_PIPE:
    case EV_SOCK:
    case EV_TIMER:
    case EV_POOL:
    case EV_MUX:
    case EV_GREEN:
        return (size_t)snprintf(buf, size, "%s", trace_text(t, e));
    case EV_COST: {
        static const char *const what[] = { "a statement", "a fork", "an exec",
                                            "a thread's creation", "its exit" };
        static const char *const key[] = { "", " (fork_cost)", " (exec_cost)",
                                           " (thread_cost)", " (exit_cost)" };
        int r = e->reason < 5 ? e->reason : 0;
        return (size_t)snprintf(buf, size, "%s spends %lld ticks of CPU on %s%s", w,
                                (long long)e->a, what[r], key[r]);
    }
    default:
        if (e->kind >= EV_SETPGID)
            return job_event(e, buf, size);
        if (e->kind >= EV_THREAD_START)
            return thread_event(t, s, e, buf, size);
        return signal_event(s, e, buf, size);
    }
}

size_t event_format(const struct trace *t, const struct scenario *s,
                    const struct event *e, char *buf, size_t size)
{
    size_t n = kernel_words(t, s, e, buf, size);
    if (!s || !s->python)
        return n;
    /* A Python run: the statement that did it, in Python's words. */
    char words[512];
    snprintf(words, sizeof words, "%s", buf);
    size_t m = py_event_format(t, s, e, words, buf, size);
    if (!m)
        snprintf(buf, size, "%s", words);
    return m ? m : n;
}
