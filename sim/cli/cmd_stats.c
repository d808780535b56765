/* cmd_stats.c - `procsim stats` and `procsim output`: figures and printed
 * lines from a whole run, recorded without checkpoints and keeping only
 * what they print (the process records; the print events). */
#include "cli.h"
#include "run.h"

static struct run *record(const struct cli_opts *o, struct scenario **s,
                          unsigned keep)
{
    struct config cfg;
    *s = cli_load(o->files[0], o, &cfg);
    if (!*s)
        return NULL;
    struct run *r = run_record_keeping(*s, &cfg, keep);
    if (!r) {
        fprintf(stderr, "%s: error: out of memory\n", o->files[0]);
        scenario_free(*s);
        return NULL;
    }
    if (run_status(r) == MS_ERROR)
        cli_print_diag(run_error(r));
    return r;
}

static int finish(struct run *r, struct scenario *s)
{
    int rc = run_status(r) == MS_ERROR ? EXIT_INVALID : EXIT_OK;
    run_free(r);
    scenario_free(s);
    return rc;
}

int cmd_output(const struct cli_opts *o)
{
    struct scenario *s;
    struct run *r = record(o, &s, TRACE_PRINTS);
    if (!r)
        return EXIT_INVALID;
    const struct trace *tr = run_trace(r);
    for (size_t i = 0; i < tr->nev; i++)
        if (tr->ev[i].kind == EV_PRINT &&
            (tr->ev[i].reason != PRINT_STDERR || o->stderr_too))
            printf("%lld %d %s\n", (long long)tr->ev[i].tick, tr->ev[i].pid,
                   trace_text(tr, &tr->ev[i]));
    return finish(r, s);
}

static double utilisation(const struct run *r)
{
    const struct trace *tr = run_trace(r);
    int64_t busy = 0, cap = run_end_tick(r) * run_config(r)->cpus;
    for (size_t i = 0; i < tr->nprocs; i++)
        busy += tr->procs[i].cpu_ticks;
    return cap ? (double)busy / (double)cap : 0.0;
}

static const char *comm(const struct scenario *s, const struct proc_record *p)
{
    return scenario_comm(s, p->prog);
}

static const char *const pool_kinds[] = { "Pool", "ThreadPoolExecutor",
                                          "ProcessPoolExecutor" };

/* "pools": per pool, each worker's task count (issue 12). */
static void pools_json(const struct trace *tr)
{
    printf(", \"pools\": [");
    for (size_t i = 0; i < tr->npools; i++) {
        const struct pool_record *p = &tr->pools[i];
        printf("%s\n  {\"name\": \"%s\", \"kind\": \"%s\", \"owner\": %d, "
               "\"submitted\": %lld, \"completed\": %lld, \"workers\": [",
               i ? "," : "", p->name, pool_kinds[p->kind], p->owner,
               (long long)p->submitted, (long long)p->completed);
        int n = 0;
        for (size_t k = 0; k < tr->npworkers; k++) {
            const struct pool_worker_record *w = &tr->pworkers[k];
            if (w->pool != (int)i)
                continue;
            printf("%s{\"pid\": %d, \"tid\": %d, \"tasks\": %lld}", n++ ? ", " : "",
                   w->pid, w->tid, (long long)w->tasks);
        }
        printf("]}");
    }
    printf("%s]", tr->npools ? "\n" : "");
}

static void pools_text(const struct trace *tr)
{
    for (size_t i = 0; i < tr->npools; i++) {
        const struct pool_record *p = &tr->pools[i];
        printf("%s %s of pid %d: %lld tasks submitted, %lld completed; tasks each worker "
               "did:",
               pool_kinds[p->kind], p->name, p->owner, (long long)p->submitted,
               (long long)p->completed);
        int n = 0;
        for (size_t k = 0; k < tr->npworkers; k++) {
            const struct pool_worker_record *w = &tr->pworkers[k];
            if (w->pool != (int)i)
                continue;
            printf("%s %s %d: %lld", n++ ? "," : "", w->tid != w->pid ? "thread" : "pid",
                   w->tid, (long long)w->tasks);
        }
        printf("\n");
    }
}

static void stats_json(const struct run *r, const struct scenario *s)
{
    const struct trace *tr = run_trace(r);
    printf("{\"ticks\": %lld, \"cpu_utilization\": %.4f, \"processes\": [",
           (long long)run_end_tick(r), utilisation(r));
    for (size_t i = 1; i < tr->nprocs; i++) {
        const struct proc_record *p = &tr->procs[i];
        printf("%s\n  {\"pid\": %d, \"comm\": \"%s\", \"cpu_ticks\": %lld, ",
               i > 1 ? "," : "", p->pid, comm(s, p), (long long)p->cpu_ticks);
        if (p->exited >= 0)
            printf("\"turnaround\": %lld, ", (long long)(p->exited - p->created));
        else
            printf("\"turnaround\": null, ");
        printf("\"waiting\": %lld, ", (long long)p->wait_ticks);
        if (p->first_run >= 0)
            printf("\"response\": %lld, ", (long long)(p->first_run - p->created));
        else
            printf("\"response\": null, ");
        printf("\"voluntary_switches\": %d, \"involuntary_switches\": %d, ",
               p->nvcsw, p->nivcsw);
        if (p->exited >= 0)
            printf("\"exit\": %d}", p->exit_status);
        else
            printf("\"exit\": null}");
    }
    printf("%s]", tr->nprocs > 1 ? "\n" : "");
    if (tr->npools)
        pools_json(tr);
    printf("}\n");
}

static void stats_text(const struct run *r, const struct scenario *s)
{
    const struct trace *tr = run_trace(r);
    printf("%5s %-12s %5s %10s %7s %8s %5s %5s %s\n", "PID", "COMMAND", "CPU",
           "TURNAROUND", "WAITING", "RESPONSE", "VOL", "INVOL", "EXIT");
    int64_t tsum = 0, wsum = 0, rsum = 0;
    int tn = 0, rn = 0, n = 0;
    for (size_t i = 1; i < tr->nprocs; i++) {
        const struct proc_record *p = &tr->procs[i];
        char turn[24] = "-", resp[24] = "-", ex[24] = "-";
        if (p->exited >= 0) {
            snprintf(turn, sizeof turn, "%lld", (long long)(p->exited - p->created));
            snprintf(ex, sizeof ex, "%d", p->exit_status);
            tsum += p->exited - p->created;
            tn++;
        }
        if (p->first_run >= 0) {
            snprintf(resp, sizeof resp, "%lld", (long long)(p->first_run - p->created));
            rsum += p->first_run - p->created;
            rn++;
        }
        wsum += p->wait_ticks;
        n++;
        printf("%5d %-12s %5lld %10s %7lld %8s %5d %5d %s\n", p->pid, comm(s, p),
               (long long)p->cpu_ticks, turn, (long long)p->wait_ticks, resp,
               p->nvcsw, p->nivcsw, ex);
    }
    if (n)
        printf("%5s %-12s %5s %10.1f %7.1f %8.1f\n", "", "average", "",
               tn ? (double)tsum / tn : 0.0, (double)wsum / n,
               rn ? (double)rsum / rn : 0.0);
    printf("ticks: %lld, CPU utilisation: %.1f%%\n", (long long)run_end_tick(r),
           100.0 * utilisation(r));
    /* What creating and ending tasks cost, once a cost is more than the
     * contract's 1 tick (config fork_cost ...). */
    const struct config *cfg = run_config(r);
    bool costly = false;
    for (int k = 0; k < COST_COUNT; k++)
        costly |= config_cost_ticks(cfg, k) > 1;
    if (costly) {
        static const char *const what[] = { "fork", "exec", "thread start", "exit" };
        static const char *const many[] = { "forks", "execs", "thread starts", "exits" };
        printf("CPU spent on creation costs:");
        for (int k = 0; k < COST_COUNT; k++)
            printf("%s %lld tick%s for %lld %s", k ? "," : "",
                   (long long)tr->cost_ticks[k], tr->cost_ticks[k] == 1 ? "" : "s",
                   (long long)tr->cost_count[k], tr->cost_count[k] == 1 ? what[k] : many[k]);
        printf("\n");
    }
    pools_text(tr);
}

int cmd_stats(const struct cli_opts *o)
{
    struct scenario *s;
    struct run *r = record(o, &s, 0);
    if (!r)
        return EXIT_INVALID;
    if (o->json)
        stats_json(r, s);
    else
        stats_text(r, s);
    return finish(r, s);
}
