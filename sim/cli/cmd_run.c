/*
 * cmd_run.c - `procsim run`: the schedule as a table, one row per tick.
 *
 *   tick | cpu0 | 1:init 2:main 3:main | events
 *      0 |    2 | S      R*     .      | pid 2 spawned (main)
 *
 * The table is printed while the machine runs, in blocks of at most
 * BLOCK_TICKS ticks: the trace keeps only the block's events and CPU
 * history, then forgets them. Each column is one life of a task (a pid or
 * tid reused after pid_max wraps is a new column, and the old one ends), and
 * a block shows the lives that exist during it; the header is printed again
 * when that set changes. So a row costs what it prints, whatever the length
 * of the run or the number of processes that ever existed.
 *
 * A table that would run away is held back unless --all asks for all of it:
 * more than MAX_COLUMNS tasks in a block are folded into one "+N more"
 * column, more than MAX_ROW_EVENTS events in a tick into "N more events",
 * and the rows stop after TABLE_LIMIT bytes (the run itself goes on to its
 * end and the summary is printed).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "machine.h"

#define BLOCK_TICKS 1000
#define BLOCK_ITEMS 65536          /* events or state changes held at most */
#define MAX_COLUMNS 100
#define MAX_ROW_EVENTS 100
#define TABLE_LIMIT ((size_t)64 << 20)

/* One life of a task: from the tick it appears to the tick it is gone. */
struct life {
    int64_t born, died;        /* died: INT64_MAX while it lives */
    int tid;
    int prog;                  /* program it runs (an exec changes it) */
    int group;                 /* its process's record: columns sort by it */
    int col;                   /* its column in the block printed, -1 */
    char first;                /* its state when it appears */
    char state;                /* as of the last change applied */
    bool thread;               /* not a process's main thread */
    char name[TASK_NAME_LEN];  /* a thread's name ("": its program's) */
};

/* A visible state change of a life (the trace's, with the life resolved);
 * a life's first state is kept in the life, not here. */
struct change {
    int64_t tick;
    int life;
    char state;
};

/* A thread started but not yet seen in a state change. */
struct birth {
    int prog;
    int owner;                 /* its process's pid */
    char name[TASK_NAME_LEN];  /* its name (the start event's text) */
};

/* A row is built in a buffer and written once: with 50 processes and
 * thousands of ticks, printf per cell is most of the command's time. */
struct line {
    char *buf;
    size_t n, cap;
};

struct table {
    const struct scenario *s;
    const struct config *cfg;
    struct trace tr;
    bool changes_only, all;
    bool oom;

    struct life *lives;        size_t nlives, lifecap;
    int32_t *life_of_tid;      /* tid -> its latest life, -1 */
    int32_t *pending;          /* tid -> what its next life is: a process
                                  record (>= 0), a birth (-2 - index), -1 */
    struct birth *births;      size_t nbirths, birthcap;
    size_t rec_seen, ev_seen;  /* trace records and events absorbed */
    struct change *chg;        size_t nchg, chgcap, chg_next;
    size_t birth_next;         /* the first life not yet shown appearing */
    int *active;               size_t nactive, activecap;   /* lives not
                                  known to have ended before the block */

    /* the block being printed */
    int *cols;                 int ncols, hidden;
    int *offset;               /* of each column's cell in `cells` */
    char *cells;               /* the state cells of the current row: a
                                  change rewrites one cell, a row copies
                                  them all */
    size_t row_width;          /* bytes of `cells` */
    uint64_t *tid_cols;        /* (tid << 32 | column), sorted: who is on
                                  a CPU */
    int *shown;                int nshown, shown_hidden, shown_cpu_width;
    bool header_printed;
    int cpu_width;
    int last_cpu[MAX_CPUS];
    struct line line;
    size_t bytes;              /* of rows printed */
    bool stopped;              /* TABLE_LIMIT reached */
};

static const char legend[] =
    "legend: R* running  R runnable (waiting for a CPU)  S sleeping  "
    "D disk I/O (uninterruptible)  T stopped  Z zombie  . not alive  "
    "(tN: a thread)\n";

/* Room for one more element in a growable array; false when out of memory
 * (and t->oom set). */
static bool room(struct table *t, void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 256;
    void *a = realloc(*arr, c * elem);
    if (!a) {
        t->oom = true;
        return false;
    }
    *arr = a;
    *cap = c;
    return true;
}

/* ----------------------------------------------------------- the lives */

/* The life a state change of tid at `tick` belongs to: its current one, or
 * a new one when the tid's last life has ended (or it never had one), with
 * *born set. */
static int life_for(struct table *t, int tid, int64_t tick, bool *born)
{
    int l = t->life_of_tid[tid];
    *born = false;
    if (l >= 0 && t->lives[l].died == INT64_MAX)
        return l;
    *born = true;
    if (!room(t, (void **)&t->lives, &t->lifecap, t->nlives, sizeof *t->lives) ||
        !room(t, (void **)&t->active, &t->activecap, t->nactive, sizeof *t->active))
        return -1;
    struct life *n = &t->lives[t->nlives];
    *n = (struct life){ .tid = tid, .prog = -1, .group = INT32_MAX, .born = tick,
                        .died = INT64_MAX, .col = -1, .state = '.' };
    int p = t->pending[tid];
    if (p >= 0) {
        n->prog = t->tr.procs[p].prog;
        n->group = p;
    } else if (p <= -2) {
        const struct birth *b = &t->births[-2 - p];
        int owner = t->life_of_tid[b->owner];
        n->prog = b->prog;
        n->group = owner >= 0 ? t->lives[owner].group : INT32_MAX;
        n->thread = true;
        memcpy(n->name, b->name, sizeof n->name);
    }
    t->pending[tid] = -1;
    l = (int)t->nlives++;
    t->life_of_tid[tid] = l;
    t->active[t->nactive++] = l;
    return l;
}

/* Take in what the machine recorded since the last call: new processes,
 * thread starts, execs, and the state changes (resolved to lives). */
static void absorb(struct table *t)
{
    struct trace *tr = &t->tr;
    int pid_max = config_pid_max(t->cfg);
    for (; t->rec_seen < tr->nprocs; t->rec_seen++)
        if (tr->procs[t->rec_seen].pid < pid_max)
            t->pending[tr->procs[t->rec_seen].pid] = (int32_t)t->rec_seen;
    for (; t->ev_seen < tr->nev; t->ev_seen++) {
        const struct event *e = &tr->ev[t->ev_seen];
        if (e->kind == EV_THREAD_START && e->a > 0 && e->a < pid_max) {
            if (!room(t, (void **)&t->births, &t->birthcap, t->nbirths, sizeof *t->births))
                return;
            struct birth *b = &t->births[t->nbirths];
            *b = (struct birth){ (int)e->b, e->pid > 0 && e->pid < pid_max ? e->pid : 0, "" };
            snprintf(b->name, sizeof b->name, "%s", trace_text(tr, e));
            t->pending[e->a] = -2 - (int32_t)t->nbirths++;
        } else if (e->kind == EV_EXEC && e->pid > 0 && e->pid < pid_max &&
                   t->life_of_tid[e->pid] >= 0) {
            t->lives[t->life_of_tid[e->pid]].prog = (int)e->a;
        }
    }
    for (size_t i = 0; i < tr->nstates; i++) {
        const struct state_change *c = &tr->states[i];
        if (c->tid <= 0 || c->tid >= pid_max)
            continue;
        bool born;
        int l = life_for(t, c->tid, c->tick, &born);
        if (l < 0)
            return;
        if (born) {
            t->lives[l].first = c->state;
        } else {
            if (!room(t, (void **)&t->chg, &t->chgcap, t->nchg, sizeof *t->chg))
                return;
            t->chg[t->nchg++] = (struct change){ c->tick, l, c->state };
        }
        if (c->state == 'X')
            t->lives[l].died = c->tick;
    }
    tr->nstates = 0;
}

/* Show life l in state st (its cell too, if it has a column); true if
 * that changed it. */
static bool set_state(struct table *t, struct life *l, char st)
{
    if (st == 'X')
        st = '.';
    if (l->state == st)
        return false;
    l->state = st;
    if (l->col >= 0)
        t->cells[t->offset[l->col] + 1] = st;
    return true;
}

/* Apply what became visible by tick T: the lives that appear (lives are
 * made in the order they appear), then the changes; true if a state
 * changed. */
static bool apply_changes(struct table *t, int64_t T)
{
    bool changed = false;
    for (; t->birth_next < t->nlives && t->lives[t->birth_next].born <= T; t->birth_next++)
        changed |= set_state(t, &t->lives[t->birth_next], t->lives[t->birth_next].first);
    for (; t->chg_next < t->nchg && t->chg[t->chg_next].tick <= T; t->chg_next++)
        changed |= set_state(t, &t->lives[t->chg[t->chg_next].life], t->chg[t->chg_next].state);
    return changed;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* "2:main" or "t5:worker": a column's name; returns its length. */
static int life_name(const struct table *t, const struct life *l, char *buf, size_t n)
{
    const char *prog = l->thread && l->name[0] ? l->name
                     : !l->thread ? scenario_comm(t->s, l->prog)
                     : l->prog >= 0 && l->prog < t->s->nprograms ? t->s->programs[l->prog].name
                     : "?";
    int len = snprintf(buf, n, l->thread ? "t%d:%s" : "%d:%s", l->tid, prog);
    return len < (int)n ? len : (int)n - 1;
}

/* The columns of block c0..c1: the lives that exist during it, each
 * process followed by its threads, in creation order (a life's number
 * grows with its creation, and its group is its process's). */
static bool block_columns(struct table *t, int64_t c0, int64_t c1)
{
    for (int i = 0; i < t->ncols; i++)
        t->lives[t->cols[i]].col = -1;
    t->ncols = 0;
    uint64_t *key = malloc((t->nactive + 1) * sizeof *key);
    if (!key) {
        t->oom = true;
        return false;
    }
    int nkeys = 0, maxtid = 1;
    for (size_t i = 0; i < t->nactive; i++) {
        const struct life *l = &t->lives[t->active[i]];
        if (l->born <= c1 && l->died > c0) {
            key[nkeys++] = (uint64_t)(uint32_t)l->group << 32 | (uint32_t)t->active[i];
            if (l->tid > maxtid)
                maxtid = l->tid;
        }
    }
    qsort(key, (size_t)nkeys, sizeof *key, cmp_u64);
    int ncols = nkeys, hidden = 0;
    if (!t->all && ncols > MAX_COLUMNS) {
        hidden = ncols - MAX_COLUMNS;
        ncols = MAX_COLUMNS;
    }
    size_t n = (size_t)ncols + 1;
    int *cols = realloc(t->cols, n * sizeof *cols);
    if (cols)
        t->cols = cols;
    int *offset = cols ? realloc(t->offset, n * sizeof *offset) : NULL;
    if (offset)
        t->offset = offset;
    uint64_t *tid_cols = offset ? realloc(t->tid_cols, n * sizeof *tid_cols) : NULL;
    if (tid_cols)
        t->tid_cols = tid_cols;
    if (!tid_cols) {
        free(key);
        t->oom = true;
        return false;
    }
    t->ncols = ncols;
    t->hidden = hidden;
    char name[48];
    t->row_width = 0;
    for (int i = 0; i < t->ncols; i++) {
        struct life *l = &t->lives[(uint32_t)key[i]];
        t->cols[i] = (int)(uint32_t)key[i];
        t->offset[i] = (int)t->row_width;
        t->row_width += (size_t)life_name(t, l, name, sizeof name) + 1;
        l->col = i;
        t->tid_cols[i] = (uint64_t)(uint32_t)l->tid << 32 | (uint32_t)i;
    }
    free(key);
    qsort(t->tid_cols, (size_t)t->ncols, sizeof *t->tid_cols, cmp_u64);
    size_t folded = 0;
    if (t->hidden)
        folded = (size_t)snprintf(name, sizeof name, "+%d more (--all)", t->hidden) + 1;
    char *cells = realloc(t->cells, t->row_width + folded + 1);
    if (!cells) {
        t->oom = true;
        return false;
    }
    t->cells = cells;
    memset(cells, ' ', t->row_width + folded);
    for (int i = 0; i < t->ncols; i++)
        cells[t->offset[i] + 1] = t->lives[t->cols[i]].state;
    t->row_width += folded;
    t->cpu_width = 4;
    for (; maxtid >= 10000; maxtid /= 10)
        t->cpu_width++;
    return true;
}

/* The column of the life of `tid` that is running during T, or -1. */
static int running_column(const struct table *t, int tid, int64_t T)
{
    uint64_t want = (uint64_t)(uint32_t)tid << 32;
    size_t lo = 0, hi = (size_t)t->ncols;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->tid_cols[mid] < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < (size_t)t->ncols && t->tid_cols[lo] >> 32 == (uint32_t)tid; lo++) {
        int c = (int)(uint32_t)t->tid_cols[lo];
        const struct life *l = &t->lives[t->cols[c]];
        if (l->born <= T && l->died > T && l->state == 'R')
            return c;
    }
    return -1;
}

/* Lives that ended before tick `from` leave the active list. */
static void prune(struct table *t, int64_t from)
{
    size_t k = 0;
    for (size_t i = 0; i < t->nactive; i++)
        if (t->lives[t->active[i]].died > from)
            t->active[k++] = t->active[i];
    t->nactive = k;
}

/* --------------------------------------------------------------- output */

/* Room for n more bytes (and a NUL); false when out of memory. */
static bool reserve(struct line *l, size_t n)
{
    if (l->n + n + 1 <= l->cap)
        return true;
    size_t cap = l->cap ? l->cap * 2 : 256;
    while (cap < l->n + n + 1)
        cap *= 2;
    char *b = realloc(l->buf, cap);
    if (!b)
        return false;
    l->buf = b;
    l->cap = cap;
    return true;
}

static void put(struct line *l, const char *s, size_t n)
{
    if (!reserve(l, n))
        return;
    memcpy(l->buf + l->n, s, n);
    l->n += n;
}

/* s (n bytes) right-aligned (right) or left-aligned in a field of width w. */
static void put_field(struct line *l, const char *s, int n, int w, bool right)
{
    static const char spaces[] = "                                        ";
    int pad = w > n ? w - n : 0;
    if (pad > 40)
        pad = 40;
    if (right)
        put(l, spaces, (size_t)pad);
    put(l, s, (size_t)n);
    if (!right)
        put(l, spaces, (size_t)pad);
}

static bool same_header(const struct table *t)
{
    if (!t->header_printed || t->nshown != t->ncols || t->shown_hidden != t->hidden ||
        t->shown_cpu_width != t->cpu_width)
        return false;
    return memcmp(t->shown, t->cols, (size_t)t->ncols * sizeof *t->cols) == 0;
}

/* The header, when the block's columns differ from the last one printed;
 * a later header is set off by a blank line. */
static void header(struct table *t)
{
    if (same_header(t))
        return;
    int *shown = realloc(t->shown, ((size_t)t->ncols + 1) * sizeof *shown);
    if (!shown) {
        t->oom = true;
        return;
    }
    t->shown = shown;
    memcpy(t->shown, t->cols, (size_t)t->ncols * sizeof *t->cols);
    t->nshown = t->ncols;
    t->shown_hidden = t->hidden;
    t->shown_cpu_width = t->cpu_width;
    struct line *l = &t->line;
    char name[48];
    l->n = 0;
    if (t->header_printed)
        put(l, "\n", 1);
    t->header_printed = true;
    put_field(l, "tick", 4, 6, true);
    put(l, " |", 2);
    for (int c = 0; c < t->cfg->cpus; c++) {
        int n = snprintf(name, sizeof name, "cpu%d", c);
        put(l, " ", 1);
        put_field(l, name, n, t->cpu_width, true);
    }
    put(l, " |", 2);
    for (int i = 0; i < t->ncols; i++) {
        int n = life_name(t, &t->lives[t->cols[i]], name, sizeof name);
        put(l, " ", 1);
        put(l, name, (size_t)n);
    }
    if (t->hidden) {
        int n = snprintf(name, sizeof name, "+%d more (--all)", t->hidden);
        put(l, " ", 1);
        put(l, name, (size_t)n);
    }
    put(l, " | events\n", 10);
    fwrite(l->buf, 1, l->n, stdout);
}

/* A non-negative number in decimal, right-aligned in a field of width w:
 * snprintf for two numbers a row was a third of the table's time. */
static void put_number(struct line *l, int64_t v, int w)
{
    char digits[24];
    int n = 0;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < (int)sizeof digits);
    put_field(l, digits + sizeof digits - n, n, w, true);
}

static void print_row(struct table *t, int64_t T)
{
    const struct trace *tr = &t->tr;
    struct line *l = &t->line;
    l->n = 0;
    put_number(l, T, 6);
    put(l, " |", 2);
    int ncpus = tr->ncpus < MAX_CPUS ? tr->ncpus : MAX_CPUS;
    int on_cpu[MAX_CPUS];
    for (int c = 0; c < ncpus; c++) {
        int tid = on_cpu[c] = trace_cpu_at(tr, T, c);
        put(l, " ", 1);
        if (tid)
            put_number(l, tid, t->cpu_width);
        else
            put_field(l, "-", 1, t->cpu_width, true);
    }
    put(l, " |", 2);
    /* The state cells: the current ones, and a star on each running
     * task's. */
    if (!reserve(l, t->row_width))
        return;
    char *cells = l->buf + l->n;
    memcpy(cells, t->cells, t->row_width);
    for (int c = 0; c < ncpus; c++) {
        int col = on_cpu[c] ? running_column(t, on_cpu[c], T) : -1;
        if (col >= 0)
            cells[t->offset[col] + 2] = '*';
    }
    l->n += t->row_width;
    put(l, " |", 2);
    size_t first, n = trace_events_at(tr, T, &first);
    size_t shown = !t->all && n > MAX_ROW_EVENTS ? MAX_ROW_EVENTS : n;
    size_t more = n - shown + trace_dropped_at(tr, T);
    char buf[512];
    for (size_t k = 0; k < shown; k++) {
        size_t len = event_format(tr, t->s, &tr->ev[first + k], buf, sizeof buf);
        put(l, k ? "; " : " ", k ? 2 : 1);
        put(l, buf, len < sizeof buf ? len : sizeof buf - 1);
    }
    if (more)
        put(l, buf, (size_t)snprintf(buf, sizeof buf, "; ... %zu more events (--all)",
                                     more));
    put(l, "\n", 1);
    fwrite(l->buf, 1, l->n, stdout);
    t->bytes += l->n;
}

/* Print ticks c0..c1 from what was absorbed, then forget them. */
static void print_block(struct table *t, int64_t c0, int64_t c1)
{
    if (!block_columns(t, c0, c1))
        return;
    if (!t->header_printed)
        header(t);
    for (int64_t T = c0; T <= c1 && !t->stopped; T++) {
        bool changed = apply_changes(t, T);
        bool cpus = false;
        for (int c = 0; c < t->cfg->cpus; c++) {
            int tid = trace_cpu_at(&t->tr, T, c);
            cpus |= T == 0 || tid != t->last_cpu[c];
            t->last_cpu[c] = tid;
        }
        size_t first;
        if (t->changes_only && !changed && !cpus &&
            trace_events_at(&t->tr, T, &first) == 0)
            continue;
        header(t);
        print_row(t, T);
        if (!t->all && t->bytes > TABLE_LIMIT) {
            t->stopped = true;
            printf("%6s | the table stops after tick %lld: it is over %zu MiB "
                   "(--all prints all of it, --changes only the ticks that change)\n",
                   "...", (long long)T, TABLE_LIMIT >> 20);
            fprintf(stderr, "procsim: the table was cut after tick %lld "
                    "(over %zu MiB); --all prints all of it\n", (long long)T,
                    TABLE_LIMIT >> 20);
        }
    }
    apply_changes(t, c1);
    if (t->chg_next > 0) {
        memmove(t->chg, t->chg + t->chg_next, (t->nchg - t->chg_next) * sizeof *t->chg);
        t->nchg -= t->chg_next;
        t->chg_next = 0;
    }
    trace_forget_before(&t->tr, c1 + 1);
    t->ev_seen = t->tr.nev;
    prune(t, c1 + 1);
}

/* ------------------------------------------------------------- summary */

/* What a process that had not exited was doing when the run ended:
 * "still running" is only right when the run was cut short. */
static const char *not_ended(const struct scenario *s, const struct snapshot *end, int pid,
                             enum machine_status st)
{
    bool stopped = false, on_lock = false;
    for (int i = 0; i < end->ntasks; i++) {
        const struct snap_task *t = &end->tasks[i];
        if (t->pid != pid)
            continue;
        stopped |= t->state == 'T';
        on_lock |= t->state == 'S' && t->wait_obj >= 0 && t->wait_obj < s->nobjects &&
                   (s->objects[t->wait_obj].kind == OBJ_LOCK ||
                    s->objects[t->wait_obj].kind == OBJ_RLOCK);
    }
    if (stopped)
        return "stopped";
    if (st == MS_DEADLOCK && on_lock)
        return "deadlocked";
    if (st == MS_DEADLOCK || st == MS_STUCK)
        return "waits forever";
    return "still running";
}

/* Which processes (by record) have a stopped task when the run ends, from
 * the table's lives, so that the summary needs no snapshot of every task
 * (with 100,000 processes alive it cost 300 bytes each). NULL when the
 * lives were not followed to the end (the table was cut). */
static bool *stopped_at_end(struct table *t, int64_t end)
{
    if (t->stopped || t->oom || !t->cells)
        return NULL;
    apply_changes(t, end);
    bool *stopped = calloc(t->tr.nprocs + 1, sizeof *stopped);
    for (size_t i = 0; stopped && i < t->nactive; i++) {
        const struct life *l = &t->lives[t->active[i]];
        if (l->state == 'T' && l->group >= 0 && (size_t)l->group < t->tr.nprocs)
            stopped[l->group] = true;
    }
    return stopped;
}

/* "array a = [1, 2, 3]" (the first 20 items, then "...") */
static void print_array(const struct machine *m, const struct scenario *s, int obj)
{
    int n = machine_array_len(m, obj);
    printf("array %s = [", s->objects[obj].name);
    for (int i = 0; i < n && i < 20; i++)
        printf("%s%lld", i ? ", " : "", (long long)machine_array_item(m, obj, i));
    printf("%s]\n", n > 20 ? ", ..." : "");
}

static void print_summary(const struct table *t, const struct machine *m,
                          const bool *stopped)
{
    const struct trace *tr = &t->tr;
    const struct scenario *s = t->s;
    int64_t end = machine_tick(m);
    static const char *const why[] = {
        [MS_RUNNING] = "", [MS_EMPTY] = "only init is left",
        [MS_TICK_LIMIT] = "the tick limit was reached",
        [MS_STUCK] = "no process can ever run again",
        [MS_DEADLOCK] = "a deadlock (see the last event)",
        [MS_ERROR] = "a runtime error",
    };
    printf("\nThe run ended at tick %lld: %s.\n", (long long)end,
           why[machine_status(m)]);
    printf("%6s  %-12s %-14s %6s\n", "PID", "COMMAND", "EXIT", "CPU");
    enum machine_status st = machine_status(m);
    struct snapshot last;
    bool have_last = false;
    snapshot_init(&last);
    for (size_t i = 1; i < tr->nprocs; i++) {
        const struct proc_record *p = &tr->procs[i];
        char exit_s[48];
        if (p->exited < 0 && stopped && st != MS_DEADLOCK) {
            snprintf(exit_s, sizeof exit_s, "%s", stopped[i] ? "stopped"
                     : st == MS_STUCK ? "waits forever" : "still running");
        } else if (p->exited < 0) {
            if (!have_last)
                machine_snapshot(m, &last);    /* who waits for a lock */
            have_last = true;
            snprintf(exit_s, sizeof exit_s, "%s", not_ended(s, &last, p->pid, st));
        } else if (p->exit_status >= 0)
            snprintf(exit_s, sizeof exit_s, "%d", p->exit_status);
        else
            snprintf(exit_s, sizeof exit_s, "%d (%s)", p->exit_status,
                     signal_name(-p->exit_status) ? signal_name(-p->exit_status) : "?");
        printf("%6d  %-12s %-14s %6lld\n", p->pid,
               scenario_comm(s, p->prog), exit_s,
               (long long)p->cpu_ticks);
    }
    snapshot_free(&last);
    for (int i = 0; i < s->nobjects; i++) {
        if (s->objects[i].kind == OBJ_SHARED)
            printf("shared %s = %lld\n", s->objects[i].name,
                   (long long)machine_shared_value(m, i));
        if (s->objects[i].kind == OBJ_ARRAY)
            print_array(m, s, i);
    }
    int64_t busy = 0;
    for (size_t i = 0; i < tr->nprocs; i++)
        busy += tr->procs[i].cpu_ticks;
    int64_t cap = end * t->cfg->cpus;
    printf("CPU utilisation: %.1f%% (%lld of %lld CPU-ticks busy)\n",
           cap ? 100.0 * (double)busy / (double)cap : 0.0, (long long)busy,
           (long long)cap);
}

/* --------------------------------------------------------------- the run */

static void free_table(struct table *t)
{
    trace_free(&t->tr);
    free(t->lives);
    free(t->life_of_tid);
    free(t->pending);
    free(t->births);
    free(t->chg);
    free(t->active);
    free(t->cols);
    free(t->offset);
    free(t->cells);
    free(t->tid_cols);
    free(t->shown);
    free(t->line.buf);
}

/* Run the machine to its end, printing the table as it goes. */
static void run_table(struct table *t, struct machine *m)
{
    int64_t c0 = 0;
    absorb(t);
    while (!t->oom && machine_begin_tick(m)) {
        int64_t T = machine_tick(m);
        machine_end_tick(m);
        if (t->stopped)
            continue;
        absorb(t);
        if (T - c0 + 1 >= BLOCK_TICKS || t->nchg >= BLOCK_ITEMS ||
            t->tr.nev >= BLOCK_ITEMS) {
            print_block(t, c0, T);
            c0 = T + 1;
            if (t->stopped)
                t->tr.keep = 0;     /* only the records from now on */
        }
    }
    if (t->stopped || t->oom)
        return;
    absorb(t);
    int64_t end = machine_tick(m);
    if (end > c0)
        print_block(t, c0, end - 1);
    if (!t->header_printed && block_columns(t, end, end))
        header(t);     /* a run that ended at once */
}

int cmd_run(const struct cli_opts *o)
{
    struct config cfg;
    struct scenario *s = cli_load(o->files[0], o, &cfg);
    if (!s)
        return EXIT_INVALID;
    struct table t = { .s = s, .cfg = &cfg, .changes_only = o->changes, .all = o->all };
    trace_init(&t.tr, cfg.cpus);
    if (!o->all)
        t.tr.max_tick_events = MAX_ROW_EVENTS;   /* a row shows no more */
    int pid_max = config_pid_max(&cfg);       /* first_pid may raise it */
    t.life_of_tid = malloc((size_t)pid_max * sizeof *t.life_of_tid);
    t.pending = malloc((size_t)pid_max * sizeof *t.pending);
    struct machine *m = t.life_of_tid && t.pending ? machine_new(s, &cfg, &t.tr) : NULL;
    if (!m) {
        fprintf(stderr, "%s: error: out of memory\n", o->files[0]);
        free_table(&t);
        scenario_free(s);
        return EXIT_INVALID;
    }
    for (int i = 0; i < pid_max; i++)
        t.life_of_tid[i] = t.pending[i] = -1;

    /* One large buffer: the table is written in big blocks, not lines. */
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    if (s->title)
        printf("%s\n", s->title);
    printf("policy %s, %d CPU%s, 1 tick = %d %s%s",
           cfg.policy == POLICY_CFS ? "cfs" : cfg.policy == POLICY_RR ? "rr" : "fifo",
           cfg.cpus, cfg.cpus == 1 ? "" : "s", cfg.tick_count, cli_tick_unit(&cfg),
           cfg.preempt ? "" : ", preempt=off");
    /* The creation costs, once one is more than the contract's 1 tick. */
    bool costly = false;
    for (int k = 0; k < COST_COUNT; k++)
        costly |= config_cost_ticks(&cfg, k) > 1;
    if (costly)
        printf(", ticks of CPU to fork %lld, exec %lld, start a thread %lld, exit %lld",
               (long long)config_cost_ticks(&cfg, COST_FORK),
               (long long)config_cost_ticks(&cfg, COST_EXEC),
               (long long)config_cost_ticks(&cfg, COST_THREAD),
               (long long)config_cost_ticks(&cfg, COST_EXIT));
    printf("\n");
    printf("%s\n", legend);
    run_table(&t, m);
    machine_sync_records(m);
    int rc = EXIT_OK;
    if (t.oom || t.tr.oom) {
        fprintf(stderr, "%s: error: out of memory\n", o->files[0]);
        rc = EXIT_INVALID;
    } else {
        /* Events of the tick the run ended at (the end itself). */
        int64_t end = machine_tick(m);
        size_t first, n = trace_events_at(&t.tr, end, &first);
        for (size_t k = 0; k < n; k++) {
            char buf[512];
            event_format(&t.tr, s, &t.tr.ev[first + k], buf, sizeof buf);
            printf("%6lld | %s\n", (long long)end, buf);
        }
        bool *stopped = stopped_at_end(&t, machine_tick(m));
        print_summary(&t, m, stopped);
        free(stopped);
        if (machine_status(m) == MS_ERROR) {
            cli_print_diag(machine_error(m));
            rc = EXIT_INVALID;
        }
    }
    machine_free(m);
    free_table(&t);
    scenario_free(s);
    return rc;
}
