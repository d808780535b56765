/*
 * snapshot.c - the machine at one tick as plain data (snapshot.h), for the
 * front ends: every task with its PCB fields, the run queue in pick order,
 * and the shared objects.
 */
#include "kernel.h"

#include <stdlib.h>
#include <string.h>

#include "sched.h"

static const char *wchan_name(const struct machine *m, const struct task *t)
{
    if (t->wchan == WC_OBJ || t->wchan == WC_QUEUE || t->wchan == WC_FLUSH)
        return m->scn->objects[t->wobj].name;
    if (t->wchan == WC_PIPE)
        return pipe_wchan(m, t);
    if (t->wchan == WC_POOL)
        return pool_wchan(m, t);
    if (t->wchan == WC_SOCK)
        return sock_wchan(m, t);
    if (t->wchan == WC_POLL)
        return mux_wchan(m, t);
    if (t->wchan == WC_HUB)
        return green_wchan(m, t);
    switch (t->wchan) {
    case WC_SLEEP: return "sleep";
    case WC_DISK:  return "disk";
    case WC_WAIT:  return "wait";
    case WC_PAUSE: return "pause";
    case WC_GIL:   return "gil";
    case WC_JOIN:  return "join";
    case WC_THREADS: return "threads";
    case WC_TIMER: return "timer";
    default:       return "";
    }
}

/* Task slots in snapshot order: by pid, then tid (a stable merge sort). */
static bool slot_before(const struct machine *m, int a, int b)
{
    const struct task *x = &m->tasks[a], *y = &m->tasks[b];
    int px = m->procs[x->proc].pid, py = m->procs[y->proc].pid;
    if (px != py)
        return px < py;
    return x->tid < y->tid;
}

static void merge_sort(const struct machine *m, int *a, int *tmp, int n)
{
    if (n < 2)
        return;
    int h = n / 2;
    merge_sort(m, a, tmp, h);
    merge_sort(m, a + h, tmp, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = slot_before(m, a[j], a[i]) ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, (size_t)n * sizeof *a);
}

static void sort_slots(const struct machine *m, int *a, int n)
{
    int *tmp = malloc(((size_t)n + 1) * sizeof *tmp);
    if (!tmp)
        return;
    merge_sort(m, a, tmp, n);
    free(tmp);
}

static const char *comm_of(const struct machine *m, int prog)
{
    return scenario_comm(m->scn, prog);
}

static int line_of(const struct machine *m, const struct task *t)
{
    if (t->prog == PROG_INIT)
        return 0;
    const struct program *p = program_code(m, t->prog);
    int pc = t->pc;
    /* sleep, disk, acquire and join step past their statement when they
     * block; show the statement the task is blocked in. */
    bool past = (t->state == 'S' || t->state == 'D') &&
                (t->wchan == WC_SLEEP || t->wchan == WC_DISK || t->wchan == WC_OBJ ||
                 t->wchan == WC_JOIN || t->wchan == WC_QUEUE);
    if (past && pc > 0)
        pc--;
    int line = pc < p->ncode ? p->code[pc].pos.line : 0;
    /* Code with no position of its own (a library's, translated with the
     * program): the statement that called it. */
    return line ? line : t->last_pos.line;
}

static void fill_snap_task(const struct machine *m, const struct task *t,
                           struct snap_task *o)
{
    const struct proc *p = &m->procs[t->proc];
    memset(o, 0, sizeof *o);
    o->tid = t->tid;
    o->pid = p->pid;
    o->ppid = p->ppid;
    o->pgid = p->pgid;
    o->sid = p->sid;
    o->comm = comm_of(m, p->prog);
    o->main_thread = t->tid == p->pid;
    memcpy(o->name, t->name, sizeof o->name);
    o->nthreads = p->nthreads;
    o->state = t->state;
    o->cpu = t->cpu;
    o->wchan = wchan_name(m, t);
    o->wake_at = t->wake_at;
    o->rq_pos = -1;
    o->nice = p->nice;
    o->weight = t->weight;
    o->vruntime = t->vruntime;
    o->slice = t->state == 'Z' ? 0 : m->pol->slice_of(m, t);
    o->ran = t->ran;
    o->prog = t->prog;
    o->pc = t->pc;
    o->line = line_of(m, t);
    o->ncalls = 0;
    if (t->x >= 0) {
        const struct taskx *x = &m->taskx[t->x];
        o->ncalls = x->ncall;
        int first = x->ncall > SNAP_CALLS ? x->ncall - SNAP_CALLS : 0;
        for (int i = first; i < x->ncall; i++) {
            const struct callframe *f = &x->call[i];
            const struct program *pr = f->prog == PROG_INIT ? NULL : program_code(m, f->prog);
            o->calls[i - first] = (struct snap_call){
                f->prog, pr && f->pc > 0 && f->pc <= pr->ncode ? pr->code[f->pc - 1].pos.line : 0,
            };
        }
    }
    o->left = t->left;
    o->cpu_ticks = t->cpu_ticks;
    o->wait_ticks = t->wait_ticks +
                    (t->queued ? m->tick + 1 - t->queued_since : 0);
    o->created = p->created;
    /* a task on a CPU during this tick runs in it */
    o->first_run = t->first_run < 0 && t->cpu >= 0 ? m->tick : t->first_run;
    o->nvcsw = t->nvcsw;
    o->nivcsw = t->nivcsw;
    o->nchildren = p->nchildren;
    o->exit_status = p->exit_status;
    o->pending = p->pending;
    o->blocked = t->blocked;
    memcpy(o->sigact, p->sigact, sizeof o->sigact);
    for (int i = 0; i < NSIG_MAX; i++)     /* Python's SIGINT handler: its
                                              default, as far as others see */
        if (o->sigact[i] == SIGACT_KBINT)
            o->sigact[i] = SIGACT_DEFAULT;
    o->handler_sig = t->nframes ? frame_top(m, t)->sig : 0;
    o->alarm_at = p->alarm_at;
    o->subreaper = p->subreaper;
    o->wait_obj = t->state == 'S' && t->wchan == WC_OBJ ? t->wobj : -1;
    o->join_tid = t->state == 'S' && t->wchan == WC_JOIN ? t->join_tid : 0;
    o->daemon = t->daemon;
    o->holds_gil = p->gil_holder == (int)(t - m->tasks);
    o->gil_holder = p->gil_holder >= 0 ? m->tasks[p->gil_holder].tid : 0;
    o->gil_drop_request = p->gil_drop_request;
    o->gil_since = t->state == 'S' && t->wchan == WC_GIL ? t->gil_since : -1;
    o->storing = t->storing;
    o->wait_chan = -1;
}

static void snapshot_objects(const struct machine *m, struct snapshot *out)
{
    int n = m->scn->nobjects;
    if (n > out->objcap) {
        free(out->objects);
        out->objects = malloc((size_t)n * sizeof *out->objects);
        out->objcap = out->objects ? n : 0;
    }
    out->nobjects = out->objcap >= n ? n : 0;
    for (int i = 0; i < out->nobjects; i++) {
        const struct objstate *o = &m->objs[i];
        struct snap_object *so = &out->objects[i];
        memset(so, 0, sizeof *so);
        so->value = o->value;
        so->owner_tid = o->owner >= 0 ? m->tasks[o->owner].tid
                      : o->owner == OWNER_GONE ? -1 : 0;
        so->count = o->count;
        so->nwaiting = o->nwaiting;
        int k = 0;
        for (int s = o->head; s >= 0 && k < SNAP_MAX_WAITERS; s = m->tasks[s].wq_next)
            so->waiting[k++] = m->tasks[s].tid;
        so->last_writer = o->last_writer;
        so->last_write = o->last_write;
        so->lost_at = o->lost_at;
        if (m->scn->objects[i].kind == OBJ_ARRAY) {
            so->value = 0;
            so->first_item = (int)o->value;
            so->nitems = array_len(m, i);
        }
    }
    if (m->nitems > out->itemcap) {
        free(out->items);
        out->items = malloc((size_t)m->nitems * sizeof *out->items);
        out->itemcap = out->items ? m->nitems : 0;
    }
    out->nitems = out->itemcap >= m->nitems ? m->nitems : 0;
    for (int i = 0; i < out->nitems; i++)
        out->items[i] = m->items[i].value;
    if (out->nitems < m->nitems)         /* out of memory: no items shown */
        for (int i = 0; i < out->nobjects; i++)
            out->objects[i].nitems = 0;
}

void machine_snapshot(const struct machine *m, struct snapshot *out)
{
    int n = 0;
    for (int s = 0; s < m->task_cap; s++)
        n += m->tasks[s].state != 0;
    if (n > out->cap) {
        free(out->tasks);
        free(out->runqueue);
        out->tasks = malloc((size_t)n * sizeof *out->tasks);
        out->runqueue = malloc((size_t)n * sizeof *out->runqueue);
        out->cap = out->tasks && out->runqueue ? n : 0;
    }
    out->tick = m->tick;
    out->done = m->status != MS_RUNNING;
    out->ncpus = m->cfg.cpus;
    out->min_vruntime = m->min_vruntime;
    out->nr_running = m->nr_running;
    out->fg_pgid = m->fg_pgid;
    out->ntasks = out->nrunqueue = 0;
    for (int c = 0; c < MAX_CPUS; c++)
        out->cpu_task[c] = -1;

    /* index[slot] = the task's place in the snapshot; order = slots in the
     * snapshot's order (pid, then tid). */
    int *index = malloc(((size_t)m->task_cap + 1) * sizeof *index);
    int *order = malloc(((size_t)n + 1) * sizeof *order);
    if (n > out->cap || !index || !order) {
        free(index);
        free(order);
        return;
    }
    int k = 0;
    for (int s = 0; s < m->task_cap; s++)
        if (m->tasks[s].state)
            order[k++] = s;
    sort_slots(m, order, k);
    for (int i = 0; i < k; i++) {
        index[order[i]] = i;
        fill_snap_task(m, &m->tasks[order[i]], &out->tasks[i]);
        if (out->tasks[i].cpu >= 0)
            out->cpu_task[out->tasks[i].cpu] = i;
    }
    out->ntasks = k;
    /* A process's tasks are next to each other (sorted by pid): add up
     * their time in one pass. */
    for (int i = 0, j; i < k; i = j) {
        int64_t sum = m->procs[m->tasks[order[i]].proc].ended_cpu_ticks;
        for (j = i; j < k && out->tasks[j].pid == out->tasks[i].pid; j++)
            sum += out->tasks[j].cpu_ticks;
        for (int x = i; x < j; x++)
            out->tasks[x].proc_cpu_ticks = sum;
    }
    snapshot_objects(m, out);
    out->nchans = 0;
    pipes_snapshot(m, out);
    queues_snapshot(m, out);
    pools_snapshot(m, out);
    out->nsocks = out->npackets = out->nmuxes = out->ngreens = 0;
    sockets_snapshot(m, out);
    mux_snapshot(m, out);
    green_snapshot(m, out);
    int nq = m->pol->queue_order(m, order);
    for (int q = 0; q < nq; q++) {
        int i = index[order[q]];
        out->tasks[i].rq_pos = q;
        out->runqueue[out->nrunqueue++] = i;
    }
    free(index);
    free(order);
}

void snapshot_init(struct snapshot *s)
{
    memset(s, 0, sizeof *s);
}

void snapshot_free(struct snapshot *s)
{
    free(s->tasks);
    free(s->runqueue);
    free(s->objects);
    free(s->chans);
    free(s->fds);
    free(s->items);
    free(s->pools);
    free(s->socks);
    free(s->packets);
    free(s->muxes);
    free(s->greens);
    memset(s, 0, sizeof *s);
}

bool snapshot_grow(void **arr, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return true;
    int n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    void *p = realloc(*arr, (size_t)n * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = n;
    return true;
}

const struct snap_task *snapshot_find(const struct snapshot *s, int pid)
{
    /* tasks[] is sorted by pid: find the first with this pid, then its
     * main thread among that process's tasks. */
    int lo = 0, hi = s->ntasks;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (s->tasks[mid].pid < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; i < s->ntasks && s->tasks[i].pid == pid; i++)
        if (s->tasks[i].main_thread)
            return &s->tasks[i];
    return NULL;
}
