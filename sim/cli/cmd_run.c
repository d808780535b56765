/*
 * cmd_run.c - `procsim run`: the schedule as a table, one row per tick.
 *
 *   tick | cpu0 | 1:init 2:main 3:main | events
 *      0 |    2 | S      R*     .      | pid 2 spawned (main)
 *
 * The table is built from the recorded trace: a process's column follows
 * its visible state changes, and a CPU's column its task in each tick.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run.h"

struct column {
    int tid;                   /* the task it follows */
    int64_t created;           /* first tick it exists */
    char name[40];             /* "pid:name", or "tTID:name" for a thread */
    int width;
    char state;                /* current state, '.' not alive */
};

struct table {
    const struct scenario *s;
    const struct trace *tr;
    struct column *cols;       /* processes in creation order, each
                                  followed by its threads */
    int ncols;
    int *col_of_tid;           /* tid -> current column, -1 */
    int row_width;             /* bytes of the state cells of a row */
    int pid_max;
    size_t next_state;         /* next trace.states entry to apply */
    int cpu_width;
};

static const char legend[] =
    "legend: R* running  R runnable (waiting for a CPU)  S sleeping  "
    "D disk I/O (uninterruptible)  T stopped  Z zombie  . not alive  "
    "(tN: a thread)\n";

/* Apply everything that became visible at tick T: a column starts
 * following its tid when its task is created (tids are reused only after
 * pid_max wraps, and then by a later column). */
static bool advance(struct table *t, int64_t T)
{
    bool changed = false;
    const struct trace *tr = t->tr;
    for (int i = 0; i < t->ncols; i++)
        if (t->cols[i].created == T && t->cols[i].tid < t->pid_max)
            t->col_of_tid[t->cols[i].tid] = i;
    while (t->next_state < tr->nstates && tr->states[t->next_state].tick <= T) {
        const struct state_change *c = &tr->states[t->next_state++];
        if (c->tid <= 0 || c->tid >= t->pid_max || t->col_of_tid[c->tid] < 0)
            continue;
        struct column *col = &t->cols[t->col_of_tid[c->tid]];
        char st = c->state == 'X' ? '.' : c->state;
        changed |= col->state != st;
        col->state = st;
    }
    return changed;
}

static void add_column(struct table *t, int tid, int64_t created, const char *fmt,
                       int id, const char *name)
{
    struct column *c = &t->cols[t->ncols++];
    c->tid = tid;
    c->created = created;
    c->state = '.';
    snprintf(c->name, sizeof c->name, fmt, id, name);
    c->width = (int)strlen(c->name);
}

/* One column per process (creation order) followed by its threads, which
 * the trace knows from their start events. Returns false when out of
 * memory. */
static bool make_columns(struct table *t)
{
    const struct trace *tr = t->tr;
    size_t nthreads = 0;
    for (size_t i = 0; i < tr->nev; i++)
        nthreads += tr->ev[i].kind == EV_THREAD_START;
    t->cols = calloc(tr->nprocs + nthreads + 1, sizeof *t->cols);
    if (!t->cols)
        return false;
    for (size_t i = 0; i < tr->nprocs; i++) {
        const struct proc_record *p = &tr->procs[i];
        add_column(t, p->pid, p->created, "%d:%s", p->pid,
                   p->prog >= 0 ? t->s->programs[p->prog].name : "init");
        for (size_t e = 0; e < tr->nev; e++) {
            const struct event *ev = &tr->ev[e];
            if (ev->kind != EV_THREAD_START || ev->pid != p->pid ||
                ev->tick < p->created || (p->exited >= 0 && ev->tick >= p->exited))
                continue;
            add_column(t, (int)ev->a, ev->tick + 1, "t%d:%s", (int)ev->a,
                       ev->b >= 0 && ev->b < t->s->nprograms ? t->s->programs[ev->b].name : "?");
        }
    }
    return true;
}

static void print_header(const struct table *t)
{
    printf("%6s |", "tick");
    for (int c = 0; c < t->tr->ncpus; c++)
        printf(" %*s%d", t->cpu_width - 3, "cpu", c);
    printf(" |");
    for (int i = 0; i < t->ncols; i++)
        printf(" %-*s", t->cols[i].width, t->cols[i].name);
    printf(" | events\n");
}

/* A row is built in a buffer and written once: with 50 processes and
 * thousands of ticks, printf per cell is most of the command's time. */
struct line {
    char *buf;
    size_t n, cap;
};

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

static void print_row(const struct table *t, struct line *l, int64_t T)
{
    char num[24];
    l->n = 0;
    snprintf(num, sizeof num, "%6lld |", (long long)T);
    put(l, num, strlen(num));
    for (int c = 0; c < t->tr->ncpus; c++) {
        int tid = trace_cpu_at(t->tr, T, c);
        int n = tid ? snprintf(num, sizeof num, "%d", tid) : 1;
        put(l, " ", 1);
        put_field(l, tid ? num : "-", n, t->cpu_width, true);
    }
    put(l, " |", 2);
    /* The state cells: written straight into the buffer (one pass over
     * the columns is most of the command's work). */
    int ncpus = t->tr->ncpus < MAX_CPUS ? t->tr->ncpus : MAX_CPUS;
    int on_cpu[MAX_CPUS];
    for (int c = 0; c < ncpus; c++)
        on_cpu[c] = trace_cpu_at(t->tr, T, c);
    if (!reserve(l, (size_t)t->row_width))
        return;
    char *p = l->buf + l->n;
    for (int i = 0; i < t->ncols; i++) {
        const struct column *col = &t->cols[i];
        char *cell = p + 1;
        memset(p, ' ', (size_t)col->width + 1);
        *cell = '.';
        if (col->created <= T && col->state != '.') {
            *cell = col->state;
            for (int c = 0; c < ncpus && col->state == 'R'; c++)
                if (on_cpu[c] == col->tid)
                    cell[1] = '*';
        }
        p += col->width + 1;
    }
    l->n = (size_t)(p - l->buf);
    put(l, " |", 2);
    size_t first, n = trace_events_at(t->tr, T, &first);
    for (size_t k = 0; k < n; k++) {
        char buf[512];
        size_t len = event_format(t->tr, t->s, &t->tr->ev[first + k], buf, sizeof buf);
        put(l, k ? "; " : " ", k ? 2 : 1);
        put(l, buf, len < sizeof buf ? len : sizeof buf - 1);
    }
    put(l, "\n", 1);
    fwrite(l->buf, 1, l->n, stdout);
}

static bool cpus_changed(const struct trace *tr, int64_t T)
{
    if (T == 0)
        return true;
    for (int c = 0; c < tr->ncpus; c++)
        if (trace_cpu_at(tr, T, c) != trace_cpu_at(tr, T - 1, c))
            return true;
    return false;
}

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

static void print_summary(struct run *r)
{
    const struct trace *tr = run_trace(r);
    const struct scenario *s = run_scenario(r);
    const struct config *cfg = run_config(r);
    int64_t end = run_end_tick(r);
    static const char *const why[] = {
        [MS_RUNNING] = "", [MS_EMPTY] = "only init is left",
        [MS_TICK_LIMIT] = "the tick limit was reached",
        [MS_STUCK] = "no process can ever run again",
        [MS_DEADLOCK] = "a deadlock (see the last event)",
        [MS_ERROR] = "a runtime error",
    };
    printf("\nThe run ended at tick %lld: %s.\n", (long long)end,
           why[run_status(r)]);
    printf("%6s  %-12s %-14s %6s\n", "PID", "COMMAND", "EXIT", "CPU");
    struct snapshot last;
    snapshot_init(&last);
    run_state_at(r, end, &last);
    for (size_t i = 1; i < tr->nprocs; i++) {
        const struct proc_record *p = &tr->procs[i];
        char exit_s[48];
        if (p->exited < 0)
            snprintf(exit_s, sizeof exit_s, "%s", not_ended(s, &last, p->pid, run_status(r)));
        else if (p->exit_status >= 0)
            snprintf(exit_s, sizeof exit_s, "%d", p->exit_status);
        else
            snprintf(exit_s, sizeof exit_s, "%d (%s)", p->exit_status,
                     signal_name(-p->exit_status) ? signal_name(-p->exit_status) : "?");
        printf("%6d  %-12s %-14s %6lld\n", p->pid,
               p->prog >= 0 ? s->programs[p->prog].name : "init", exit_s,
               (long long)p->cpu_ticks);
    }
    snapshot_free(&last);
    for (int i = 0; i < s->nobjects; i++)
        if (s->objects[i].kind == OBJ_SHARED)
            printf("shared %s = %lld\n", s->objects[i].name,
                   (long long)run_shared_value(r, i));
    int64_t busy = 0;
    for (size_t i = 0; i < tr->nprocs; i++)
        busy += tr->procs[i].cpu_ticks;
    int64_t cap = end * cfg->cpus;
    printf("CPU utilisation: %.1f%% (%lld of %lld CPU-ticks busy)\n",
           cap ? 100.0 * (double)busy / (double)cap : 0.0, (long long)busy,
           (long long)cap);
}

int cmd_run(const struct cli_opts *o)
{
    struct config cfg;
    struct scenario *s = cli_load(o->files[0], o, &cfg);
    if (!s)
        return EXIT_INVALID;
    struct run *r = run_record(s, &cfg);
    if (!r) {
        fprintf(stderr, "procsim: out of memory\n");
        scenario_free(s);
        return EXIT_INVALID;
    }
    const struct trace *tr = run_trace(r);
    struct table t = { .s = s, .tr = tr, .pid_max = cfg.pid_max };
    t.col_of_tid = malloc((size_t)cfg.pid_max * sizeof *t.col_of_tid);
    if (!t.col_of_tid || !make_columns(&t)) {
        free(t.cols);
        free(t.col_of_tid);
        run_free(r);
        scenario_free(s);
        fprintf(stderr, "procsim: out of memory\n");
        return EXIT_INVALID;
    }
    for (int i = 0; i < cfg.pid_max; i++)
        t.col_of_tid[i] = -1;
    for (int i = 0; i < t.ncols; i++)
        t.row_width += t.cols[i].width + 1;
    int maxpid = 1;
    for (int i = 0; i < t.ncols; i++)
        if (t.cols[i].tid > maxpid)
            maxpid = t.cols[i].tid;
    t.cpu_width = 4;
    while (maxpid >= 10000) {
        t.cpu_width++;
        maxpid /= 10;
    }

    if (s->title)
        printf("%s\n", s->title);
    printf("policy %s, %d CPU%s, 1 tick = %d %s%s\n",
           cfg.policy == POLICY_CFS ? "cfs" : cfg.policy == POLICY_RR ? "rr" : "fifo",
           cfg.cpus, cfg.cpus == 1 ? "" : "s", cfg.tick_count, cli_tick_unit(&cfg),
           cfg.preempt ? "" : ", preempt=off");
    printf("%s\n", legend);
    print_header(&t);
    int64_t end = run_end_tick(r);
    struct line line = { 0 };
    for (int64_t T = 0; T < end; T++) {
        bool changed = advance(&t, T);
        size_t first;
        if (o->changes && !changed && !cpus_changed(tr, T) &&
            trace_events_at(tr, T, &first) == 0)
            continue;
        print_row(&t, &line, T);
    }
    free(line.buf);
    /* Events of the tick the run ended at (the end itself). */
    size_t first, n = trace_events_at(tr, end, &first);
    for (size_t k = 0; k < n; k++) {
        char buf[512];
        event_format(tr, s, &tr->ev[first + k], buf, sizeof buf);
        printf("%6lld | %s\n", (long long)end, buf);
    }
    print_summary(r);
    int rc = EXIT_OK;
    if (run_status(r) == MS_ERROR) {
        cli_print_diag(run_error(r));
        rc = EXIT_INVALID;
    }
    free(t.cols);
    free(t.col_of_tid);
    run_free(r);
    scenario_free(s);
    return rc;
}
