/*
 * cli_check.c - the `procsim` command on a scenario, compared with the
 * history of the same run (history.c) and with itself:
 *   - no command crashes, hangs or prints a sanitizer report;
 *   - `procsim run` twice gives the same bytes;
 *   - every row T of the run table shows exactly the tasks alive during T,
 *     each in its state, `R*` on the CPU it runs on (KB_TABLE_PID_REUSE:
 *     also for pids and tids used twice);
 *   - `procsim ps --at T --json` shows the processes of tick T, the same as
 *     row T of the table, also past the end of the run;
 *   - `procsim stats --json`: the run's length, each process's CPU time
 *     (KB_THREAD_CPU_TIME: with its threads'), the CPU utilisation, exit
 *     statuses, and CPU time <= ticks x CPUs;
 *   - `procsim check` holds the scenario to expect lines written from what
 *     the run did (states, parents, exit statuses, output, the end);
 *   - exit statuses agree: 2 for a run stopped by a runtime error, from
 *     every command (KB_ERROR_EXIT_STATUS: ps and pstree too), else 0.
 */
#include "campaign.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------ commands */

struct output {
    char *out, *err;           /* NUL-terminated */
    size_t outlen;
    int status;                /* exit status, or 128 + signal */
};

static char *slurp(FILE *f, size_t *len)
{
    fflush(f);
    long n = ftell(f);
    if (n < 0)
        n = 0;
    char *b = malloc((size_t)n + 1);
    if (!b)
        return NULL;
    rewind(f);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = '\0';
    if (len)
        *len = got;
    return b;
}

/* Run procsim with args; false when it could not be started. A command
 * that runs for more than 60 s is killed: "no input hangs". */
static bool run_cmd(const struct cli_check *c, const char *const args[], struct output *o)
{
    const char *argv[16];
    int n = 0;
    argv[n++] = c->procsim;
    for (int i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    FILE *out = tmpfile(), *err = tmpfile();
    if (!out || !err) {
        if (out)
            fclose(out);
        if (err)
            fclose(err);
        return false;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fileno(out), 1);
        dup2(fileno(err), 2);
        alarm(60);
        execv(c->procsim, (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) {
        fclose(out);
        fclose(err);
        return false;
    }
    o->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    o->out = slurp(out, &o->outlen);
    o->err = slurp(err, NULL);
    fclose(out);
    fclose(err);
    return o->out && o->err;
}

static void output_free(struct output *o)
{
    free(o->out);
    free(o->err);
}

/* The command's own sanity: it ended by itself, with no sanitizer report,
 * and with the exit status the run's outcome calls for. */
static void check_exit(const struct output *o, const char *what, int want,
                       struct report *r)
{
    if (o->status >= 128)
        report_fail(r, "no crash: `procsim %s` died of signal %d%s", what, o->status - 128,
                    o->status - 128 == SIGALRM ? " (it hung for 60 s)" : "");
    if (strstr(o->err, "Sanitizer") || strstr(o->err, "runtime error:"))
        report_fail(r, "no sanitizer report: `procsim %s`: %.150s", what,
                    strstr(o->err, "Sanitizer") ? strstr(o->err, "Sanitizer")
                                                : strstr(o->err, "runtime error:"));
    if (want >= 0 && o->status < 128 && o->status != want)
        report_fail(r, "exit status: `procsim %s` exits %d, wanted %d", what, o->status, want);
}

/* ------------------------------------------------------------ the table */

/* The columns of one header: a table may print a new header whenever the
 * set of tasks it shows changes. */
struct columns {
    int ncols;
    int *tid;                  /* the tid each column follows */
    int *uses;                 /* how many of these columns follow that tid */
};

struct table {
    struct columns *sets;      /* every header seen, in order */
    int nsets;
    char **rows;               /* rows[T]: a cell per column: 'R', 'r' (R*),
                                  'S', ..., '.'; NULL for a row not printed */
    int *row_set;              /* rows[T]'s header, in sets */
    int64_t nrows;
};

static void table_free(struct table *t)
{
    for (int64_t T = 0; T < t->nrows; T++)
        free(t->rows[T]);
    for (int i = 0; i < t->nsets; i++) {
        free(t->sets[i].tid);
        free(t->sets[i].uses);
    }
    free(t->sets);
    free(t->rows);
    free(t->row_set);
}

/* The next whitespace-separated word of [*p, end): its length, *p moved. */
static size_t word(const char **p, const char *end, const char **w)
{
    while (*p < end && **p == ' ')
        (*p)++;
    *w = *p;
    while (*p < end && **p != ' ')
        (*p)++;
    return (size_t)(*p - *w);
}

/* The three '|' of a table line, or false. */
static bool bars(const char *line, const char *eol, const char *bar[3])
{
    const char *p = line;
    for (int i = 0; i < 3; i++) {
        bar[i] = memchr(p, '|', (size_t)(eol - p));
        if (!bar[i])
            return false;
        p = bar[i] + 1;
    }
    return true;
}

/* Parse a header "  tick | cpu0 | 1:init 2:main t4:worker | events". */
static bool parse_header(struct table *t, const char *line, const char *eol)
{
    const char *bar[3];
    if (!bars(line, eol, bar))
        return false;
    struct columns *sets = realloc(t->sets, (size_t)(t->nsets + 1) * sizeof *sets);
    if (!sets)
        return false;
    t->sets = sets;
    struct columns *c = &t->sets[t->nsets++];
    size_t most = (size_t)(bar[2] - bar[1]) / 2 + 1;
    c->ncols = 0;
    c->tid = malloc(most * sizeof *c->tid);
    c->uses = calloc(most, sizeof *c->uses);
    if (!c->tid || !c->uses)
        return false;
    const char *p = bar[1] + 1, *w;
    while (word(&p, bar[2], &w) > 0)
        c->tid[c->ncols++] = atoi(w[0] == 't' ? w + 1 : w);
    for (int i = 0; i < c->ncols; i++)
        for (int j = 0; j < c->ncols; j++)
            c->uses[i] += c->tid[i] == c->tid[j];
    return true;
}

/* One row "  12 |    3 | S  R*  . | events" under the last header; false
 * if it is not one. Its CPU columns are compared with the history here. */
static bool parse_row(struct table *t, int64_t T, const char *line, const char *eol,
                      const struct row *hist, int ncpus, struct report *r)
{
    const char *bar[3];
    if (!bars(line, eol, bar) || t->nsets == 0)
        return false;
    const struct columns *c = &t->sets[t->nsets - 1];
    char *cells = malloc((size_t)c->ncols + 1);
    if (!cells)
        return false;
    const char *p = bar[1] + 1, *w;
    size_t n;
    int i = 0;
    while ((n = word(&p, bar[2], &w)) > 0 && i < c->ncols)
        cells[i++] = n == 2 && w[0] == 'R' && w[1] == '*' ? 'r' : w[0];
    if (i != c->ncols || word(&p, bar[2], &w) > 0) {
        free(cells);
        return false;
    }
    free(t->rows[T]);
    t->rows[T] = cells;
    t->row_set[T] = t->nsets - 1;
    p = bar[0] + 1;
    for (int cpu = 0; cpu < ncpus; cpu++) {
        n = word(&p, bar[1], &w);
        int tid = n == 1 && w[0] == '-' ? 0 : atoi(w);
        if (n > 0 && tid != hist->cpu_tid[cpu])
            report_fail(r, "run table: tick %lld cpu%d shows %.*s, the run had tid %d",
                        (long long)T, cpu, (int)n, w, hist->cpu_tid[cpu]);
    }
    return true;
}

/* Row T of the table against the history's tick T: every task alive in
 * exactly one column, in its state. */
static void compare_row(const struct table *t, int64_t T, const struct row *hist,
                        unsigned checks, struct report *r)
{
    const char *cells = t->rows[T];
    const struct columns *c = &t->sets[t->row_set[T]];
    bool reuse = checks & (1u << KB_TABLE_PID_REUSE);
    for (int i = 0; i < c->ncols; i++) {
        if (cells[i] == '.' || (!reuse && c->uses[i] > 1))
            continue;
        const struct cell *cl = row_find(hist, c->tid[i]);
        bool on_cpu = false;   /* what the CPUs run, not what a task says */
        for (int cpu = 0; cpu < MAX_CPUS; cpu++)
            on_cpu |= cl && hist->cpu_tid[cpu] == cl->tid;
        char want = cl ? (cl->state == 'R' && on_cpu ? 'r' : cl->state) : '.';
        if (cells[i] != want) {
            report_fail(r, "run table: tick %lld column %d (tid %d) shows %c%s, the run had %c%s",
                        (long long)T, i, c->tid[i], cells[i] == 'r' ? 'R' : cells[i],
                        cells[i] == 'r' ? "*" : "", want == 'r' ? 'R' : want,
                        want == 'r' ? "*" : "");
            return;
        }
    }
    for (int k = 0; k < hist->ncells; k++) {
        int tid = hist->cells[k].tid, shown = 0;
        bool reused = false;
        for (int i = 0; i < c->ncols; i++)
            if (c->tid[i] == tid) {
                shown += cells[i] != '.';
                reused |= c->uses[i] > 1;
            }
        if (shown != 1 && (reuse || !reused)) {
            report_fail(r, "run table: tick %lld tid %d, alive, is shown in %d columns",
                        (long long)T, tid, shown);
            return;
        }
    }
}

/* Parse `procsim run`'s table and compare each row with the history. */
static bool check_table(const struct output *o, const struct history *h, unsigned checks,
                        struct table *t, struct report *r)
{
    t->nrows = h->end;
    t->rows = calloc((size_t)h->end + 1, sizeof *t->rows);
    t->row_set = calloc((size_t)h->end + 1, sizeof *t->row_set);
    if (!t->rows || !t->row_set)
        return false;
    const char *line = o->out, *end = o->out + o->outlen;
    while (line < end) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            eol = end;
        char *p;
        long long T = strtoll(line, &p, 10);
        if (!strncmp(line, "  tick |", 8)) {
            if (!parse_header(t, line, eol))
                return false;
        } else if (p != line && T >= 0 && T < h->end) {
            parse_row(t, T, line, eol, &h->rows[T], h->cfg.cpus, r);
        }
        line = eol + 1;
    }
    if (t->nsets == 0) {
        report_fail(r, "run table: no header line");
        return true;
    }
    for (int64_t T = 0; T < h->end; T++) {
        if (!t->rows[T]) {
            report_fail(r, "run table: no row for tick %lld of %lld", (long long)T,
                        (long long)h->end);
            return true;
        }
        compare_row(t, T, &h->rows[T], checks, r);
    }
    return true;
}

/* ------------------------------------------------------------ JSON */

/* The integer after "key": in [p, end), or `none` when absent or null. */
static long long json_int(const char *p, const char *end, const char *key, long long none)
{
    char k[40];
    snprintf(k, sizeof k, "\"%s\": ", key);
    size_t kl = strlen(k);
    for (; p + kl <= end; p++)
        if (!memcmp(p, k, kl)) {
            p += kl;
            if (*p == '"')
                p++;
            char *e;
            long long v = strtoll(p, &e, 10);
            return e == p ? (*p == 'R' || *p == 'S' || *p == 'D' || *p == 'T' || *p == 'Z'
                                 ? *p : none)
                          : v;
        }
    return none;
}

/* Whether task c, on a CPU during tick T, may not have run in T: a task
 * ended or stopped in step 4 before its CPU's turn (by a sibling's exit or
 * exec, or a stop signal, on a CPU before it) or after a runtime error
 * stopped the tick is shown on its CPU but not charged (KB_KILLED_MID_TICK
 * checks that it is). */
static bool cut_short(const struct history *h, int64_t T, const struct cell *c, unsigned checks)
{
    if (c->cpu < 0 || (checks & (1u << KB_KILLED_MID_TICK)))
        return false;
    if (T == h->end - 1 && h->status == MS_ERROR)
        return true;
    const struct cell *next = row_find(T + 1 < h->end ? &h->rows[T + 1] : &h->final, c->tid);
    return !next || next->created != c->created || next->state == 'T';
}

/* The CPU time of the process whose main thread is `main` before tick T:
 * the ticks in which any of its threads ran (Linux's process CPU time).
 * *lost gets how many of them may have been cut short. */
static int64_t process_time(const struct history *h, const struct cell *main, int64_t T,
                            unsigned checks, int64_t *lost)
{
    int64_t ran = 0;
    *lost = 0;
    for (int64_t t = 0; t < T && t < h->end; t++)
        for (int i = 0; i < h->rows[t].ncells; i++) {
            const struct cell *c = &h->rows[t].cells[i];
            if (c->pid == main->pid && c->created >= main->created && c->cpu >= 0) {
                ran++;
                *lost += cut_short(h, t, c, checks);
            }
        }
    return ran;
}

/* `procsim ps FILE --at T --json`: the history's tick T (or its end), and
 * row T of the table. */
static void check_ps(const struct cli_check *c, const struct history *h, const struct table *t,
                     int64_t T, struct report *r)
{
    char at[24], what[48];
    snprintf(at, sizeof at, "%lld", (long long)T);
    snprintf(what, sizeof what, "ps --at %lld", (long long)T);
    const char *args[] = { "ps", c->file, "--at", at, "--json", NULL };
    struct output o = { 0 };
    if (!run_cmd(c, args, &o)) {
        report_fail(r, "could not run `procsim %s`", what);
        output_free(&o);
        return;
    }
    bool err_shown = h->status == MS_ERROR && h->error_tick <= T;
    check_exit(&o, what, (c->checks & (1u << KB_ERROR_EXIT_STATUS)) ? (err_shown ? 2 : 0) : -1,
               r);
    const struct row *row = T < h->end ? &h->rows[T] : &h->final;
    const char *cells = T < h->end && t->rows ? t->rows[T] : NULL;
    const struct columns *cols = cells ? &t->sets[t->row_set[T]] : NULL;
    int k = 0;
    const char *line = o.out, *end = o.out + o.outlen;
    while (line < end) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            eol = end;
        long long pid = json_int(line, eol, "pid", -1);
        if (pid >= 0) {
            while (k < row->ncells && !row->cells[k].main_thread)
                k++;
            const struct cell *want = k < row->ncells ? &row->cells[k++] : NULL;
            long long ppid = json_int(line, eol, "ppid", -1);
            long long st = json_int(line, eol, "state", -1);
            long long time = json_int(line, eol, "cpu_ticks", -1);
            int64_t lost = 0, ran = want ? process_time(h, want, T, c->checks, &lost) : 0;
            bool time_ok = want && ((time <= ran && time >= ran - lost) ||
                                    (!(c->checks & (1u << KB_THREAD_CPU_TIME)) &&
                                     time == want->cpu_ticks));
            if (!want || want->pid != pid || want->ppid != ppid || want->state != st ||
                !time_ok) {
                report_fail(r, "ps: `procsim %s` shows pid %lld ppid %lld state %c time %lld; "
                            "the run had pid %d ppid %d state %c time %lld", what, pid, ppid,
                            (char)st, time, want ? want->pid : 0, want ? want->ppid : 0,
                            want ? want->state : '-', (long long)ran);
                k = row->ncells;       /* the rest would only repeat it */
                break;
            }
            /* ps at T equals row T of the table. */
            for (int i = 0; cells && i < cols->ncols; i++)
                if (cols->tid[i] == pid && cells[i] != '.' &&
                    (cols->uses[i] == 1 || (c->checks & (1u << KB_TABLE_PID_REUSE))) &&
                    (cells[i] == 'r' ? 'R' : cells[i]) != st) {
                    report_fail(r, "ps = run table: tick %lld pid %lld is %c in ps, %c in the "
                                "table", (long long)T, pid, (char)st, cells[i]);
                    break;
                }
        }
        line = eol + 1;
    }
    while (k < row->ncells && !row->cells[k].main_thread)
        k++;
    if (k < row->ncells && o.status == 0)
        report_fail(r, "ps: `procsim %s` leaves out pid %d", what, row->cells[k].pid);
    output_free(&o);
}

/* Which processes (by pid) ever had more than one thread. */
static bool had_threads(const struct history *h, int pid)
{
    for (int64_t T = 0; T < h->end; T++)
        for (int i = 0; i < h->rows[T].ncells; i++)
            if (h->rows[T].cells[i].pid == pid && !h->rows[T].cells[i].main_thread)
                return true;
    return false;
}

/* `procsim stats FILE --json` against the CPU time the history saw. */
static void check_stats(const struct cli_check *c, const struct history *h, int want_rc,
                        struct report *r)
{
    const char *args[] = { "stats", c->file, "--json", NULL };
    struct output o = { 0 };
    if (!run_cmd(c, args, &o)) {
        report_fail(r, "could not run `procsim stats`");
        output_free(&o);
        return;
    }
    check_exit(&o, "stats --json", want_rc, r);
    const char *end = o.out + o.outlen;
    long long ticks = json_int(o.out, end, "ticks", -1);
    if (ticks != h->end)
        report_fail(r, "stats: %lld ticks, the run had %lld", ticks, (long long)h->end);
    /* CPU ticks seen on the CPUs, by pid and in all. */
    int pid_max = h->cfg.pid_max;
    /* `last` counts the CPU-ticks that may go uncharged (see cut_short). */
    int64_t *seen = calloc((size_t)pid_max + 1, sizeof *seen), busy = 0, last_busy = 0;
    int64_t *last = calloc((size_t)pid_max + 1, sizeof *last);
    if (!seen || !last) {
        free(seen);
        free(last);
        output_free(&o);
        return;
    }
    bool any_threads = false;
    for (int64_t T = 0; T < h->end; T++)
        for (int i = 0; i < h->rows[T].ncells; i++) {
            const struct cell *cl = &h->rows[T].cells[i];
            bool stopped = cut_short(h, T, cl, c->checks);
            any_threads |= !cl->main_thread;
            if (cl->cpu >= 0) {
                busy++;
                last_busy += stopped;
                if (cl->pid > 0 && cl->pid <= pid_max) {
                    seen[cl->pid]++;
                    last[cl->pid] += stopped;
                }
            }
        }
    bool threads_checked = c->checks & (1u << KB_THREAD_CPU_TIME);
    int64_t *stated = calloc((size_t)pid_max + 1, sizeof *stated), sum = 0;
    const char *p = o.out;
    while (stated && (p = strstr(p, "{\"pid\": ")) != NULL) {
        const char *eol = strchr(p, '}');
        if (!eol)
            break;
        long long pid = json_int(p, eol, "pid", -1);
        long long cpu = json_int(p, eol, "cpu_ticks", -1);
        if (pid > 0 && pid <= pid_max && cpu >= 0) {
            stated[pid] += cpu;
            sum += cpu;
        }
        p = eol;
    }
    for (int pid = 2; stated && pid <= pid_max; pid++)
        if ((stated[pid] > seen[pid] || stated[pid] < seen[pid] - last[pid]) &&
            (threads_checked || !had_threads(h, pid)))
            report_fail(r, "CPU time: stats gives pid %d %lld CPU ticks; it ran %lld", pid,
                        (long long)stated[pid], (long long)seen[pid]);
    int64_t cap = h->end * h->cfg.cpus;
    if (sum > cap)
        report_fail(r, "CPU time: stats gives %lld CPU ticks in %lld ticks x %d CPUs",
                    (long long)sum, (long long)h->end, h->cfg.cpus);
    const char *u = strstr(o.out, "\"cpu_utilization\": ");
    if (u && cap && (threads_checked || !any_threads)) {
        double util = strtod(u + 19, NULL), want = (double)busy / (double)cap;
        double least = (double)(busy - last_busy) / (double)cap;
        if (util < least - 0.0001 || util > want + 0.0001)
            report_fail(r, "CPU utilisation: stats says %.4f, the CPUs were busy %lld of %lld",
                        util, (long long)busy, (long long)cap);
    }
    free(seen);
    free(last);
    free(stated);
    output_free(&o);
}

/* ------------------------------------------------------------ check */

/* The main thread of process pid in a row, or NULL. */
static const struct cell *row_proc(const struct row *row, int pid)
{
    for (int i = 0; i < row->ncells; i++)
        if (row->cells[i].pid == pid && row->cells[i].main_thread)
            return &row->cells[i];
    return NULL;
}

/* s as the inside of a scenario string literal. */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

/* `procsim check` on the scenario with expect lines that say what the
 * history saw: states and parents at random ticks, pids not alive, exit
 * statuses, printed lines, the length of the run. Every one must hold. */
static void check_expectations(const struct cli_check *c, const struct history *h,
                               struct report *r)
{
    if (h->status == MS_ERROR || h->end == 0)
        return;
    char file[300];
    snprintf(file, sizeof file, "%s.expect.scn", c->file);
    FILE *f = fopen(file, "w");
    if (!f) {
        report_fail(r, "cannot write %s", file);
        return;
    }
    fwrite(c->text, 1, c->len, f);
    fprintf(f, "\n");
    const struct trace *tr = &h->tr;
    int maxpid = 2, n = 0;
    for (size_t i = 0; i < tr->nprocs; i++)
        maxpid = tr->procs[i].pid > maxpid ? tr->procs[i].pid : maxpid;
    uint64_t x = c->seed * 0x2545f4914f6cdd1dULL + 11;
    for (int i = 0; i < 8; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t T = (int64_t)(x % (uint64_t)h->end);
        const struct row *row = &h->rows[T];
        const struct cell *cl = &row->cells[(x >> 20) % (uint64_t)row->ncells];
        int other = (int)((x >> 40) % (uint64_t)(maxpid + 1)) + 1;
        if (cl->main_thread) {
            fprintf(f, "expect %lld pid %d state %c\n", (long long)T, cl->pid, cl->state);
            fprintf(f, "expect %lld pid %d ppid %d\n", (long long)T, cl->pid, cl->ppid);
            n += 2;
        }
        if (!row_proc(row, other)) {
            fprintf(f, "expect %lld pid %d state gone\n", (long long)T, other);
            n++;
        }
    }
    for (size_t i = 1; i < tr->nprocs && i < 8; i++) {
        const struct proc_record *p = trace_find_proc(tr, tr->procs[i].pid);
        if (p != &tr->procs[i] || p->exited < 0)
            continue;          /* an earlier life of a reused pid, or alive */
        fprintf(f, "expect end pid %d exit %d\n", p->pid, p->exit_status);
        const struct cell *z = row_proc(&h->final, p->pid);
        if (!z || (c->checks & (1u << KB_ZOMBIE_EXIT_PPID))) {
            fprintf(f, "expect end pid %d ppid %d\n", p->pid, p->ppid);
            n++;
        }
        n++;
    }
    int prints = 0;
    /* A traceback's `File "NAME", line N` names the file, which the
     * history read under another name than this one: not compared. */
    for (size_t i = 0; i < tr->nev && prints < 3; i++)
        if (tr->ev[i].kind == EV_PRINT &&
            !strstr(trace_text(tr, &tr->ev[i]), h->s->file)) {
            fprintf(f, "expect end output pid %d \"", tr->ev[i].pid);
            put_escaped(f, trace_text(tr, &tr->ev[i]));
            fprintf(f, "\"\n");
            prints++;
        }
    fprintf(f, "expect end ticks <= %lld\n", (long long)h->end);
    n += prints + 1;
    if (fclose(f) != 0) {
        report_fail(r, "cannot write %s", file);
        return;
    }
    const char *args[] = { "check", file, NULL };
    struct output o = { 0 };
    if (!run_cmd(c, args, &o)) {
        report_fail(r, "could not run `procsim check`");
    } else {
        check_exit(&o, "check", 0, r);
        if (o.status == 1)
            report_fail(r, "check: an expectation of what the run did failed: %.160s", o.out);
        else if (!strstr(o.out, "held"))
            report_fail(r, "check: %d expectations, but it says: %.100s", n, o.out);
    }
    output_free(&o);
    remove(file);
}

/* ------------------------------------------------------------ all */

void cli_check(const struct cli_check *c, const struct history *h, struct report *r)
{
    int want_rc = h->status == MS_ERROR ? 2 : 0;
    const char *run_args[] = { "run", c->file, c->run_all ? "--all" : NULL, NULL };
    struct output a = { 0 }, b = { 0 };
    if (!run_cmd(c, run_args, &a) || !run_cmd(c, run_args, &b)) {
        report_fail(r, "could not run `procsim run`");
        output_free(&a);
        output_free(&b);
        return;
    }
    check_exit(&a, "run", want_rc, r);
    if (a.outlen != b.outlen || memcmp(a.out, b.out, a.outlen) || strcmp(a.err, b.err))
        report_fail(r, "byte-identical reruns: two `procsim run` differ");
    struct table t = { 0 };
    if (!check_table(&a, h, c->checks, &t, r))
        report_fail(r, "run table: out of memory or no table");
    uint64_t x = c->seed * 0xd6e8feb86659fd93ULL + 7;
    x ^= x >> 32;
    int64_t T = h->end > 0 ? (int64_t)(x % (uint64_t)h->end) : 0;
    check_ps(c, h, &t, T, r);
    check_ps(c, h, &t, h->end + 3, r);
    check_stats(c, h, want_rc, r);
    check_expectations(c, h, r);
    table_free(&t);
    output_free(&a);
    output_free(&b);
}
