/* cmd_ps.c - `procsim ps` and `procsim pstree`: the processes during a tick. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "machine.h"

/* Run the scenario to tick o->at and take its snapshot. *failed is set
 * when a runtime error stopped the run by then (exit status 2, as every
 * other command). */
static struct scenario *state_at(const struct cli_opts *o, struct snapshot *snap,
                                 bool *failed)
{
    *failed = false;
    struct config cfg;
    struct scenario *s = cli_load(o->files[0], o, &cfg);
    if (!s)
        return NULL;
    struct machine *m = machine_new(s, &cfg, NULL);
    if (!m) {
        scenario_free(s);
        fprintf(stderr, "procsim: out of memory\n");
        return NULL;
    }
    snapshot_init(snap);
    bool during = machine_advance_to(m, o->at);
    machine_snapshot(m, snap);
    if (machine_status(m) == MS_ERROR && machine_tick(m) <= o->at) {
        cli_print_diag(machine_error(m));
        *failed = true;
    } else if (!during) {
        /* Past the end nothing runs any more: say so, or init looks busy. */
        fprintf(stderr, "procsim: the run ended at tick %lld (%s); this is its state "
                "at the end\n", (long long)machine_tick(m),
                machine_status(m) == MS_EMPTY ? "only init is left"
                : machine_status(m) == MS_TICK_LIMIT ? "the tick limit was reached"
                : machine_status(m) == MS_DEADLOCK ? "a deadlock"
                : "no process can ever run again");
    }
    machine_free(m);
    return s;
}

/* ps's STAT: the state letter and Linux's modifiers. */
static void stat_of(const struct snapshot *snap, const struct snap_task *t,
                    char *buf)
{
    int n = 0;
    buf[n++] = t->state;
    if (t->nice < 0)
        buf[n++] = '<';
    if (t->nice > 0)
        buf[n++] = 'N';
    if (t->pid == t->sid)
        buf[n++] = 's';      /* a session leader: init, or after setsid (the
                                terminal's leader is not simulated) */
    if (t->nthreads > 1)
        buf[n++] = 'l';
    if (snap->fg_pgid && t->pgid == snap->fg_pgid)
        buf[n++] = '+';
    buf[n] = '\0';
}

void cli_json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* A signal set as a JSON list of names. */
static void json_sigset(uint32_t set)
{
    printf("[");
    bool first = true;
    for (int sig = 1; sig < NSIG_MAX; sig++) {
        if (!(set & (1u << sig)))
            continue;
        const char *n = signal_name(sig);
        if (n)
            printf("%s\"%s\"", first ? "" : ", ", n);
        else
            printf("%s%d", first ? "" : ", ", sig);
        first = false;
    }
    printf("]");
}

/* "fds" (its process's pipe ends, sockets and epoll fds: threads share
 * them), "mux" (its last select, poll or epoll_wait, only when it made one) and
 * "waits_on" (the pipe, queue or other object it sleeps on, or null). */
static void json_fds(const struct snapshot *snap, const struct snap_task *t)
{
    printf(", \"fds\": [");
    bool first = true;
    for (int i = 0; i < snap->nfds; i++) {
        const struct snap_fd *f = &snap->fds[i];
        if (f->pid != t->pid || f->chan < 0 || f->chan >= snap->nchans)
            continue;
        printf("%s{\"fd\": %d, \"object\": ", first ? "" : ", ", f->fd);
        cli_json_string(snap->chans[f->chan].name);
        printf(", \"end\": %d, \"mode\": \"%s\"}", f->end,
               f->mode == 'r' ? "r" : f->mode == 'w' ? "w" : "rw");
        first = false;
    }
    for (int i = 0; i < snap->nfds; i++) {     /* sockets (issue 13) */
        const struct snap_fd *f = &snap->fds[i];
        if (f->pid != t->pid || f->kind != SFD_SOCK)
            continue;
        const struct snap_sock *k = NULL;
        for (int j = 0; j < snap->nsocks; j++)
            if (snap->socks[j].id == f->sock)
                k = &snap->socks[j];
        if (!k)
            continue;
        static const char *const type[] = { "tcp", "udp", "unix", "unixdgram" };
        printf("%s{\"fd\": %d, \"kind\": \"socket\", \"socket\": %d, \"type\": \"%s\", "
               "\"state\": \"%s\", \"local\": ", first ? "" : ", ", f->fd, k->id,
               type[k->type & 3], ss_state_name(k->state));
        cli_json_string(k->local);
        printf(", \"peer\": ");
        cli_json_string(k->peer);
        printf(", \"mode\": \"rw\"}");
        first = false;
    }
    for (int i = 0; i < snap->nfds; i++) {     /* epoll instances (issue 13) */
        const struct snap_fd *f = &snap->fds[i];
        if (f->pid != t->pid || f->kind != SFD_EPOLL)
            continue;
        printf("%s{\"fd\": %d, \"kind\": \"epoll\", \"mode\": \"r\"}", first ? "" : ", ",
               f->fd);
        first = false;
    }
    /* its last select, poll or epoll_wait (issue 13), or null */
    const struct snap_mux *mx = NULL;
    for (int i = 0; i < snap->nmuxes; i++)
        if (snap->muxes[i].tid == t->tid)
            mx = &snap->muxes[i];
    printf("]");
    if (mx) {
        static const char *const call[] = { "select", "poll", "epoll_wait" };
        printf(", \"mux\": {\"call\": \"%s\", \"waiting\": %s, \"tick\": %lld, \"cost\": %lld, "
               "\"watched\": %d, \"ready\": [", call[mx->kind % 3],
               mx->waiting ? "true" : "false", (long long)mx->called, (long long)mx->cost,
               mx->nwatched);
        for (int i = 0; i < mx->nready && i < SNAP_MAX_MUX_FDS; i++)
            printf("%s[%d, %u]", i ? ", " : "", mx->ready[i], mx->ready_events[i]);
        printf("]}");
    }
    printf(", \"waits_on\": ");
    if (t->state == 'S' && t->wait_chan >= 0 && t->wait_chan < snap->nchans)
        cli_json_string(snap->chans[t->wait_chan].name);
    else if (t->state == 'S' && t->wait_obj >= 0)
        cli_json_string(t->wchan);
    else
        printf("null");
}

/* A pool worker's pool and the task it runs (issue 12): , "pool": "p",
 * "pool_task": 4 (null when idle); nothing for other tasks. */
static void json_pool(const struct snapshot *snap, const struct snap_task *t)
{
    for (int i = 0; i < snap->npools; i++)
        for (int k = 0; k < snap->pools[i].nworkers; k++) {
            const struct snap_pool_worker *w = &snap->pools[i].workers[k];
            if (w->tid != t->tid)
                continue;
            printf(", \"pool\": ");
            cli_json_string(snap->pools[i].name);
            if (w->job >= 0)
                printf(", \"pool_task\": %d", w->job);
            else
                printf(", \"pool_task\": null");
            return;
        }
}

static void ps_json(const struct snapshot *snap, bool threads)
{
    printf("[");
    bool first = true;
    for (int i = 0; i < snap->ntasks; i++) {
        const struct snap_task *t = &snap->tasks[i];
        if (!threads && !t->main_thread)
            continue;
        char stat[8];
        stat_of(snap, t, stat);
        printf("%s\n  {\"pid\": %d, \"tid\": %d, \"ppid\": %d, \"pgid\": %d, "
               "\"state\": \"%c\", \"stat\": \"%s\", \"nice\": %d, \"wchan\": ",
               first ? "" : ",", t->pid, t->tid, t->ppid, t->pgid, t->state,
               stat, t->nice);
        cli_json_string(t->wchan);
        printf(", \"cpu_ticks\": %lld, \"cpu\": %d, \"comm\": ",
               (long long)(threads ? t->cpu_ticks : t->proc_cpu_ticks), t->cpu);
        cli_json_string(t->comm);
        printf(", \"vruntime\": %.3f, \"nthreads\": %d, \"pending\": ",
               (double)t->vruntime / VR_UNIT, t->nthreads);
        json_sigset(t->pending);
        printf(", \"blocked\": ");
        json_sigset(t->blocked);
        json_fds(snap, t);
        json_pool(snap, t);
        printf("}");
        first = false;
    }
    printf("%s]\n", first ? "" : "\n");
}

int cmd_ps(const struct cli_opts *o)
{
    struct snapshot snap;
    bool failed;
    struct scenario *s = state_at(o, &snap, &failed);
    if (!s)
        return EXIT_INVALID;
    if (o->json) {
        ps_json(&snap, o->threads);
    } else {
        if (o->threads)
            printf("%5s %5s %5s %-5s %3s %-8s %5s %s\n", "PID", "TID", "PPID",
                   "STAT", "NI", "WCHAN", "TIME", "COMMAND");
        else
            printf("%5s %5s %-5s %3s %-8s %5s %s\n", "PID", "PPID", "STAT",
                   "NI", "WCHAN", "TIME", "COMMAND");
        for (int i = 0; i < snap.ntasks; i++) {
            const struct snap_task *t = &snap.tasks[i];
            char stat[8];
            if (!o->threads && !t->main_thread)
                continue;
            stat_of(&snap, t, stat);
            if (o->threads)
                printf("%5d %5d ", t->pid, t->tid);
            else
                printf("%5d ", t->pid);
            /* with --threads, each thread shows its name (Python's
             * Thread.name), else the program it runs */
            const char *comm = o->threads ? snap_task_name(s, t) : t->comm;
            printf("%5d %-5s %3d %-8s %5lld %s%s\n", t->ppid, stat, t->nice,
                   *t->wchan ? t->wchan : "-",
                   (long long)(o->threads ? t->cpu_ticks : t->proc_cpu_ticks), comm,
                   t->state == 'Z' ? " <defunct>" : "");
        }
    }
    snapshot_free(&snap);
    scenario_free(s);
    return failed ? EXIT_INVALID : EXIT_OK;
}

/* Print the subtree under task index i, children in pid order. */
static void tree(const struct snapshot *snap, int i, char *prefix, size_t plen,
                 bool last, bool root)
{
    const struct snap_task *t = &snap->tasks[i];
    printf("%s%s%s(%d) %c%s\n", prefix,
           root ? "" : last ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 ",
           t->comm, t->pid, t->state, t->state == 'Z' ? " <defunct>" : "");
    size_t add = root ? 0 : strlen(last ? "    " : "\u2502   ");
    if (plen + add + 1 > 1024)
        return;
    if (!root)
        strcpy(prefix + plen, last ? "    " : "\u2502   ");
    int lastchild = -1;
    for (int c = 0; c < snap->ntasks; c++)
        if (snap->tasks[c].main_thread && snap->tasks[c].ppid == t->pid)
            lastchild = c;
    for (int c = 0; c < snap->ntasks; c++)
        if (snap->tasks[c].main_thread && snap->tasks[c].ppid == t->pid)
            tree(snap, c, prefix, plen + add, c == lastchild, false);
    prefix[plen] = '\0';
}

int cmd_pstree(const struct cli_opts *o)
{
    struct snapshot snap;
    bool failed;
    struct scenario *s = state_at(o, &snap, &failed);
    if (!s)
        return EXIT_INVALID;
    char prefix[1100] = "";
    for (int i = 0; i < snap.ntasks; i++)
        if (snap.tasks[i].pid == 1 && snap.tasks[i].main_thread)
            tree(&snap, i, prefix, 0, true, true);
    snapshot_free(&snap);
    scenario_free(s);
    return failed ? EXIT_INVALID : EXIT_OK;
}

/* `procsim fds FILE --at T`: every process's open pipe ends during tick T,
 * like lsof: FD is the number and r, w or u (both ways); TYPE is FIFO for a
 * simplex pipe (os.pipe) and unix for a duplex one (a socketpair, which is
 * what Python's Pipe() makes). */
int cmd_fds(const struct cli_opts *o)
{
    struct snapshot snap;
    bool failed;
    struct scenario *s = state_at(o, &snap, &failed);
    if (!s)
        return EXIT_INVALID;
    printf("%-12s %5s %5s %-5s %s\n", "COMMAND", "PID", "FD", "TYPE", "NAME");
    for (int i = 0; i < snap.nfds; i++) {
        const struct snap_fd *f = &snap.fds[i];
        const struct snap_task *t = snapshot_find(&snap, f->pid);
        if (f->chan < 0 || f->chan >= snap.nchans)
            continue;
        const struct snap_chan *c = &snap.chans[f->chan];
        char fd[16];
        snprintf(fd, sizeof fd, "%d%c", f->fd, f->mode == 'b' ? 'u' : f->mode);
        printf("%-12s %5d %5s %-5s %s, end %d: %d holder%s of it; the pipe has %d message%s, "
               "%lld of %lld bytes%s%s\n", t ? t->comm : "?", f->pid, fd,
               c->duplex ? "unix" : "FIFO", c->name, f->end, c->nholders[f->end],
               c->nholders[f->end] == 1 ? "" : "s", c->nmsgs, c->nmsgs == 1 ? "" : "s",
               (long long)c->bytes, (long long)c->capacity,
               c->nreaders ? "; readers waiting" : "", c->nwriters ? "; writers waiting" : "");
    }
    snapshot_free(&snap);
    scenario_free(s);
    return failed ? EXIT_INVALID : EXIT_OK;
}

struct scenario *cli_state_at(const struct cli_opts *o, struct snapshot *snap, bool *failed)
{
    return state_at(o, snap, failed);
}
