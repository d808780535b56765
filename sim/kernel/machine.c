/*
 * machine.c - the simulated machine: creating and copying it, and the four
 * steps of a tick. This is the top of the kernel: it calls down into exec,
 * proc, signal, thread, gil and objects, which build on the primitives of
 * task.c; snapshots are in snapshot.c.
 *
 * The tick loop, in the contract's words. Tick T runs in this order:
 *   1. outside events due at T (spawns first, then `at` events), file order;
 *   2. timers due at T wake their tasks (sleep, disk), earliest first, then
 *      lower tid first;
 *   3. idle CPUs take tasks from the one shared run queue; then each CPU,
 *      in order, keeps its task or picks another (a slice ran out, a woken
 *      task preempts) - only while a task still waits, so nobody is
 *      preempted while a CPU idles;
 *   4. each CPU's task runs one tick: accounting first, then one statement.
 * Steps 1-3 are machine_begin_tick(), step 4 is machine_end_tick(); between
 * the two the machine shows "the state during tick T".
 */
#include "kernel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"

static int cmp_spawn_tick(const struct scenario *s, int a, int b)
{
    if (s->spawns[a].at != s->spawns[b].at)
        return s->spawns[a].at < s->spawns[b].at ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Make init (pid 1), asleep in its wait loop before tick 0. */
static bool make_init(struct machine *m)
{
    if (!machine_reserve(m, 1))
        return false;
    int ps = machine_alloc_proc(m);
    if (ps < 0)
        return false;
    struct proc *p = &m->procs[ps];
    p->pid = 1;
    p->pgid = 1;
    p->sid = 1;                 /* init leads a session of its own */
    p->first_child = p->last_child = -1;
    p->next_sib = p->prev_sib = -1;
    p->nthreads = 1;
    p->record = -1;
    p->prog = PROG_INIT;
    int ts = machine_alloc_task(m, ps, 1);
    if (ts < 0)
        return false;
    p->main_task = ts;
    struct task *t = &m->tasks[ts];
    t->prog = PROG_INIT;
    t->state = 'S';
    t->wchan = WC_WAIT;
    t->wait_pid = -1;
    t->nvcsw = 0;
    m->pid_slot[1] = ps;
    m->nprocs = 1;
    /* config first_pid: the pids after init's start there */
    m->last_pid = m->cfg.first_pid > 1 && m->cfg.first_pid < m->cfg.pid_max
                ? m->cfg.first_pid - 1 : 1;
    if (m->trace) {
        struct trace *tr = m->trace;
        struct proc_record r = { .pid = 1, .prog = PROG_INIT, .ppid = 0,
                                 .created = 0, .first_run = -1, .exited = -1,
                                 .reaped = -1 };
        if (tr->nprocs == tr->proccap) {
            size_t cap = tr->proccap ? tr->proccap * 2 : 64;
            struct proc_record *pr = realloc(tr->procs, cap * sizeof *pr);
            if (!pr)
                return false;
            tr->procs = pr;
            tr->proccap = cap;
        }
        p->record = (int)tr->nprocs;
        tr->procs[tr->nprocs++] = r;
        task_set_state(m, t, 'S');
    }
    return true;
}

struct machine *machine_new(const struct scenario *s, const struct config *cfg,
                            struct trace *trace)
{
    struct machine *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->scn = s;
    m->cfg = *cfg;
    m->cfg.switch_interval = config_switch_interval(cfg);
    /* first_pid at or past pid_max: pid_max makes room for it */
    m->cfg.pid_max = config_pid_max(cfg);
    m->stmt_ns = cfg->stmt_cost_ns;
    m->shared_ns = cfg->stmt_cost_ns ? cfg->shared_cost_ns : 0;
    m->tick_ns = config_tick_ns(cfg);
    m->pol = sched_policy_for(cfg->policy);
    m->trace = trace;
    m->rng = cfg->seed;
    vheap_init(&m->heap);
    objref_hook(m);
    m->exec_slot = -1;
    msgpool_init(&m->msgs);
    m->proc_free = m->task_free = m->frame_free = m->exitrec_free =
        m->taskx_free = m->pjob_free = m->ptk_free = -1;
    m->rq_head = m->rq_tail = -1;
    m->skip = -1;
    for (int c = 0; c < MAX_CPUS; c++)
        m->cpu_curr[c] = -1;

    /* Number the variables: process variables and thread-local ones live
     * in separate pools. */
    m->var_slot = malloc(((size_t)s->nvars + 1) * sizeof *m->var_slot);
    m->spawn_order = malloc(((size_t)s->nspawns + 1) * sizeof *m->spawn_order);
    m->pid_slot = malloc((size_t)m->cfg.pid_max * sizeof *m->pid_slot);
    if (!m->var_slot || !m->spawn_order || !m->pid_slot)
        goto fail;
    for (int v = 0; v < s->nvars; v++)
        m->var_slot[v] = s->vars[v].frame || s->vars[v].alias ? -1
                       : s->vars[v].local ? m->ntask_vars++ : m->nproc_vars++;
    for (int v = 0; v < s->nvars; v++)       /* a def reading a global */
        if (s->vars[v].alias)
            m->var_slot[v] = m->var_slot[s->vars[v].alias - 1];
    for (int i = 0; i < m->cfg.pid_max; i++)
        m->pid_slot[i] = -1;

    /* Spawns start in tick order, file order within a tick (insertion sort
     * keeps it stable). */
    for (int i = 0; i < s->nspawns; i++)
        if (s->spawns[i].fg)
            m->fg_spawn = i;
    for (int i = 0; i < s->nspawns; i++) {
        int j = i;
        while (j > 0 && cmp_spawn_tick(s, m->spawn_order[j - 1], i) > 0) {
            m->spawn_order[j] = m->spawn_order[j - 1];
            j--;
        }
        m->spawn_order[j] = i;
    }
    files_init(m);
    net_init(m);
    if (!objects_init(m) || !queues_init(m) || !pipes_init(m) || !make_init(m))
        goto fail;
    return m;
fail:
    machine_free(m);
    return NULL;
}

void machine_free(struct machine *m)
{
    if (!m)
        return;
    free(m->var_slot);
    free(m->spawn_order);
    free(m->pid_slot);
    free(m->procs);
    free(m->tasks);
    free(m->rq_pos);
    free(m->proc_vars);
    free(m->task_vars);
    free(m->objs);
    free(m->items);
    free(m->exitrecs);
    free(m->frames);
    free(m->qfeeders);
    free(m->qf_head);
    if (m->taskx)
        taskx_free_bufs(m);
    free(m->taskx);
    pipes_free(m);
    fds_free(m);
    fwatch_free(m);
    net_free(m);
    mux_free(m);
    pools_free(m);
    green_free(m);
    vheap_free(&m->heap);
    msgpool_free(&m->msgs);
    kheap_free(&m->rq_heap);
    heap_free(&m->timers);
    heap_free(&m->alarms);
    heap_free(&m->gil_timers);
    objref_free(m);
    free(m);
}

static void *dup_mem(const void *p, size_t n)
{
    if (!p || n == 0)
        return NULL;
    void *q = malloc(n);
    if (q)
        memcpy(q, p, n);
    return q;
}

/* The highest proc slot in use, -1 when none. */
static int procs_high(const struct machine *m)
{
    int s = m->proc_cap - 1;
    while (s >= 0 && m->procs[s].pid == 0)
        s--;
    return s;
}

/* The highest task slot in use, -1 when none. */
static int tasks_high(const struct machine *m)
{
    int s = m->task_cap - 1;
    while (s >= 0 && m->tasks[s].state == 0)
        s--;
    return s;
}

/* A copy of `n` slots of `size` bytes, of which the first `live` are
 * copied whole; the others are free slots whose content is set when one
 * is handed out, so they get only what marks them free and chains them
 * (the caller's job: see machine_clone). */
static void *dup_slots(const void *p, int n, int live, size_t size)
{
    if (!p || n == 0)
        return NULL;
    void *q = malloc((size_t)n * size);
    if (q && live > 0)
        memcpy(q, p, (size_t)live * size);
    return q;
}

/* A checkpoint copies what is live: slots up to the highest in use (the
 * free ones above it only keep their free-list links, so slots are handed
 * out in the same order as in the original), and the pid table is rebuilt
 * from the live processes and threads instead of copied (every pid not in
 * use is -1; a process's pid and each thread's tid map to its slot). */
struct machine *machine_clone(const struct machine *src, struct trace *trace)
{
    struct machine *m = malloc(sizeof *m);
    if (!m)
        return NULL;
    *m = *src;
    m->trace = trace;
    bool own_ok = objref_clone(m, src);    /* first: machine_free frees it */
    const struct scenario *s = src->scn;
    int nproc = procs_high(src) + 1, ntask = tasks_high(src) + 1;
    m->var_slot = dup_mem(src->var_slot, ((size_t)s->nvars + 1) * sizeof *m->var_slot);
    m->spawn_order = dup_mem(src->spawn_order,
                             ((size_t)s->nspawns + 1) * sizeof *m->spawn_order);
    m->pid_slot = malloc((size_t)src->cfg.pid_max * sizeof *m->pid_slot);
    m->procs = dup_slots(src->procs, src->proc_cap, nproc, sizeof *m->procs);
    m->tasks = dup_slots(src->tasks, src->task_cap, ntask, sizeof *m->tasks);
    m->rq_pos = dup_slots(src->rq_pos, src->task_cap, ntask, sizeof *m->rq_pos);
    m->proc_vars = dup_slots(src->proc_vars, src->proc_cap, nproc,
                             (size_t)src->nproc_vars * sizeof *m->proc_vars);
    m->task_vars = dup_slots(src->task_vars, src->task_cap, ntask,
                             (size_t)src->ntask_vars * sizeof *m->task_vars);
    m->objs = malloc(((size_t)s->nobjects + 1) * sizeof *m->objs);
    if (m->objs)
        memcpy(m->objs, src->objs, (size_t)s->nobjects * sizeof *m->objs);
    m->objs_cap = s->nobjects + 1;
    m->frames = dup_mem(src->frames, (size_t)src->frame_cap * sizeof *m->frames);
    bool queues_ok = queues_clone(m, src);
    m->taskx = dup_mem(src->taskx, (size_t)src->taskx_cap * sizeof *m->taskx);
    bool taskx_ok = !m->taskx || taskx_clone_bufs(m);
    m->items = dup_mem(src->items, (size_t)src->nitems * sizeof *m->items);
    bool exitrecs_ok = procobj_copy(m, src);
    bool pools_ok = pools_clone(m, src);
    /* Every copy is attempted (`&`, not `&&`), so on failure each heap is
     * its own copy or empty, never src's array, and all can be freed. */
    bool ok = kheap_copy(&m->rq_heap, &src->rq_heap) &
              heap_copy(&m->timers, &src->timers) &
              heap_copy(&m->alarms, &src->alarms) &
              heap_copy(&m->gil_timers, &src->gil_timers) &
              vheap_clone(&m->heap, &src->heap) &
              msgpool_clone(&m->msgs, &src->msgs) &
              pipes_clone(m, src) &
              fds_clone(m, src) &
              fwatch_clone(m, src) &
              net_clone(m, src) &
              mux_clone(m, src) &
              green_clone(m, src);
    objref_hook(m);
    if (!ok || !own_ok || !m->var_slot || !m->spawn_order || !m->pid_slot ||
        (src->proc_cap && !m->procs) || (src->task_cap && (!m->tasks || !m->rq_pos)) ||
        !m->objs || (src->frame_cap && !m->frames) || !queues_ok ||
        (src->taskx_cap && !m->taskx) || !taskx_ok ||
        (src->nitems && !m->items) || !exitrecs_ok || !pools_ok ||
        (src->nproc_vars && src->proc_cap && !m->proc_vars) ||
        (src->ntask_vars && src->task_cap && !m->task_vars)) {
        if (!ok) {
            kheap_free(&m->rq_heap);
            heap_free(&m->timers);
            heap_free(&m->alarms);
            heap_free(&m->gil_timers);
        }
        machine_free(m);
        return NULL;
    }
    for (int i = nproc; i < src->proc_cap; i++) {
        m->procs[i].pid = 0;
        m->procs[i].first_child = src->procs[i].first_child;
    }
    for (int i = ntask; i < src->task_cap; i++) {
        m->tasks[i].state = 0;
        m->tasks[i].rq_next = src->tasks[i].rq_next;
    }
    memset(m->pid_slot, 0xff, (size_t)src->cfg.pid_max * sizeof *m->pid_slot);
    for (int i = 0; i < nproc; i++)
        if (m->procs[i].pid > 0 && m->procs[i].pid < src->cfg.pid_max)
            m->pid_slot[m->procs[i].pid] = i;
    for (int i = 0; i < ntask; i++) {
        const struct task *t = &m->tasks[i];
        if (t->state != 0 && t->tid > 0 && t->tid < src->cfg.pid_max &&
            t->tid != m->procs[t->proc].pid)
            m->pid_slot[t->tid] = t->proc;
    }
    /* A pid still naming a group or session, its leader reaped, is kept
     * from reuse (-2, see proc_alloc_pid), in the clone too. */
    for (int i = 0; i < nproc; i++) {
        const struct proc *p = &m->procs[i];
        if (p->pid <= 0)
            continue;
        if (p->pgid > 0 && p->pgid < src->cfg.pid_max && m->pid_slot[p->pgid] == -1)
            m->pid_slot[p->pgid] = -2;
        if (p->sid > 0 && p->sid < src->cfg.pid_max && m->pid_slot[p->sid] == -1)
            m->pid_slot[p->sid] = -2;
    }
    return m;
}

/* ------------------------------------------------------------- the tick */


static bool nothing_to_come(const struct machine *m)
{
    return m->next_spawn >= m->scn->nspawns &&
           m->next_outside >= m->scn->noutside;
}

static void end_run(struct machine *m, enum machine_status st, int why)
{
    m->status = st;
    emit(m, EV_END, why, NULL, m->nprocs, 0);
}

/* The run is stuck with tasks waiting on locks: name them and what holds
 * what, as the last event. */
static void deadlock_summary(struct machine *m)
{
    char text[800];
    size_t n = (size_t)snprintf(text, sizeof text, "deadlocked:");
    for (int i = 0; i < m->scn->nobjects; i++) {
        const struct objstate *o = &m->objs[i];
        enum object_kind k = m->scn->objects[i].kind;
        char why[48];
        if (k == OBJ_EVENT)
            snprintf(why, sizeof why, "it is not set");
        else if (k == OBJ_SEMAPHORE)
            snprintf(why, sizeof why, "its value is 0");
        else if (o->owner >= 0)
            snprintf(why, sizeof why, "held by tid %d", m->tasks[o->owner].tid);
        else
            snprintf(why, sizeof why, "held by a thread that ended");
        for (int s = o->head; s >= 0 && n < sizeof text; s = m->tasks[s].wq_next)
            n += (size_t)snprintf(text + n, sizeof text - n, " tid %d waits for %s (%s);",
                                  m->tasks[s].tid, m->scn->objects[i].name, why);
    }
    m->status = MS_DEADLOCK;
    if (n >= sizeof text)
        n = sizeof text - 1;
    emit_text(m, EV_END, NULL, text, n);
    if (m->trace && m->trace->nev)
        m->trace->ev[m->trace->nev - 1].reason = END_DEADLOCK;
}

/* `spawn PROG(args)`: the new process's main thread gets its arguments
 * (literals: the parser allows nothing else, so they cannot fail but for
 * memory). */
static void spawn_args(struct machine *m, const struct spawn *sp, int pid)
{
    struct task *t = &m->tasks[m->procs[proc_slot(m, pid)].main_task];
    const struct program *pr = &m->scn->programs[sp->prog];
    struct value vals[MAX_PARAMS];
    int n = 0;
    for (; n < sp->argc && n < pr->nparams; n++)
        if (!expr_value(m, t, sp->argv[n], &vals[n]))
            return;
    task_set_args(m, t, sp->prog, vals, n);
}

/* Step 1: spawns due now, then `at` events, each in file order. */
static void step_outside(struct machine *m)
{
    const struct scenario *s = m->scn;
    while (m->next_spawn < s->nspawns &&
           s->spawns[m->spawn_order[m->next_spawn]].at <= m->tick) {
        int i = m->spawn_order[m->next_spawn++];
        int pid = proc_spawn(m, s->spawns[i].prog, s->spawns[i].nice);
        if (i == m->fg_spawn && pid > 0)
            m->fg_pgid = pid;
        if (pid > 0)
            spawn_args(m, &s->spawns[i], pid);
        pipes_spawned(m, pid);
    }
    while (m->next_outside < s->noutside &&
           s->outside[m->next_outside].at <= m->tick)
        signal_outside(m, &s->outside[m->next_outside++]);
}

/* Is process ps's GIL timer due before task slot `slot`'s timer? Both are
 * due now; ties go by tid, as if each waiter had its own timer. */
static bool gil_timer_first(const struct machine *m, int ps, int slot)
{
    if (ps < 0 || m->procs[ps].gil_timer_at > m->tick)
        return false;
    if (slot < 0 || m->tasks[slot].wake_at > m->tick)
        return true;
    const struct proc *p = &m->procs[ps];
    const struct task *t = &m->tasks[slot];
    if (p->gil_timer_at != t->wake_at)
        return p->gil_timer_at < t->wake_at;
    return p->gil_timer_tid < t->tid;
}

/* Step 2: alarms ring, and every task whose timer is due wakes; processes
 * whose GIL waiters have waited an interval ask for the GIL. A task
 * stopped in a sleep whose time runs out stays stopped: it will just not go
 * back to sleep when continued. */
static void step_timers(struct machine *m)
{
    m->timers_fired = false;
    signal_alarms(m);
    for (;;) {
        int slot = heap_top(&m->timers);
        int ps = heap_top(&m->gil_timers);
        if (gil_timer_first(m, ps, slot)) {
            gil_timer_fire(m, &m->procs[ps]);
            continue;
        }
        if (slot < 0 || m->tasks[slot].wake_at > m->tick)
            break;
        struct task *t = &m->tasks[slot];
        if (t->state == 'T') {
            task_cancel_timer(m, t);
            t->resume = 'R';
            continue;
        }
        if (proc_exit_after_io(m, t) || signal_stop_on_wake(m, t) ||
            queue_timed_out(m, t) || procobj_timed_out(m, t) || pool_timed_out(m, t) ||
            sock_timed_out(m, t))
            continue;
        task_wake(m, t, t->wchan == WC_DISK ? WHY_DISK :
                        t->wchan == WC_WAIT ? WHY_CHILD_EXIT : WHY_SLEEP, 0);
    }
    m->timers_fired = true;
}

/* Step 3, first: idle CPUs take the tasks at the head of the run queue, so
 * no task waits while a CPU idles (Linux finds the idle CPU when the task
 * wakes: select_task_rq_fair, select_idle_sibling). A task goes back to the
 * CPU it last ran on when that one idles (select_idle_sibling prefers
 * prev_cpu), the others to the lowest idle CPUs. Returns the CPUs that got
 * a task (bit c = CPU c). */
static uint64_t fill_idle_cpus(struct machine *m)
{
    if (m->nr_busy == m->cfg.cpus)
        return 0;
    int idle[MAX_CPUS], nidle = 0;
    for (int c = 0; c < m->cfg.cpus; c++)
        if (m->cpu_curr[c] < 0)
            idle[nidle++] = c;
    struct task *picked[MAX_CPUS];
    int n = 0;
    while (n < nidle && (picked[n] = m->pol->pick_next(m)))
        n++;
    uint64_t filled = 0;
    for (int i = 0; i < n; i++) {
        int c = picked[i]->last_cpu;
        if (c >= 0 && c < m->cfg.cpus && m->cpu_curr[c] < 0) {
            task_dispatch(m, c, picked[i]);
            filled |= (uint64_t)1 << c;
            picked[i] = NULL;
        }
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!picked[i])
            continue;
        while (m->cpu_curr[idle[k]] >= 0)
            k++;
        task_dispatch(m, idle[k], picked[i]);
        filled |= (uint64_t)1 << idle[k];
    }
    return filled;
}

/* A preemption asked for in step 4 still stands only if someone still
 * waits for a CPU: idle CPUs may have taken them all. One asked for by a
 * woken task stands only while that task still waits; if it does not, the
 * running task's own reason (its slice ran out) may. */
static bool resched_stands(struct machine *m, int c)
{
    if (m->nr_queued == 0)
        return false;
    if (m->cpu_why[c] != PRE_WAKEUP)
        return true;
    const struct task *w = &m->tasks[m->cpu_waker[c]];
    if (w->queued && w->tid == m->cpu_by[c])
        return true;
    if (!m->cpu_tick_why[c])
        return false;
    m->cpu_why[c] = (uint8_t)(m->cpu_tick_why[c] - 1);
    m->cpu_by[c] = 0;
    return true;
}

/* The CPUs in `cpus` (bit c = CPU c): each one's task acts on its pending
 * signals as it is about to run; one that dies or stops leaves the CPU to
 * the next in the queue. */
static void step_signals(struct machine *m, uint64_t cpus)
{
    for (; cpus; cpus &= cpus - 1) {
        int c = cpu_first(cpus);
        while (m->cpu_curr[c] >= 0) {
            struct task *t = &m->tasks[m->cpu_curr[c]];
            if (!t->sigpending || signal_act(m, t))
                break;
            machine_pick(m, c);
        }
    }
}

/* The tasks just given the CPUs in `cpus` act on their signals and take
 * their GIL; one that cannot run leaves its CPU to the next in the queue. */
static void settle(struct machine *m, uint64_t cpus)
{
    step_signals(m, cpus);
    gil_step(m, cpus);
}

/* Idle CPUs take queued tasks until none idles or none waits (settling a
 * task can wake another: a parent by a child a signal killed, a GIL waiter
 * by a drop). Returns the CPUs that got a task. */
static uint64_t fill_and_settle(struct machine *m)
{
    uint64_t all = 0;
    for (uint64_t fresh; m->nr_queued && (fresh = fill_idle_cpus(m));) {
        settle(m, fresh);
        all |= fresh;
    }
    return all;
}

/* Step 3: idle CPUs take tasks; then each CPU asked to reschedule gives its
 * task back to the queue and takes the next one, which must be able to run:
 * one that dies of a pending signal or waits for its GIL at once leaves the
 * CPU to the next in the queue, maybe the task it was to preempt. That task
 * then lost no time, and no preemption is counted. Returns the CPUs whose
 * task has acted on its signals and taken its GIL. */
static uint64_t step_schedule(struct machine *m)
{
    uint64_t settled = fill_and_settle(m);
    for (int c = 0; c < m->cfg.cpus; c++) {
        int cur = m->cpu_curr[c];
        if (cur < 0 || !m->cpu_resched[c] || !resched_stands(m, c))
            continue;
        int why = m->cpu_why[c], by = m->cpu_by[c];
        struct task *t = &m->tasks[cur];
        task_leave_cpu(m, t);
        task_enqueue(m, t, why == PRE_SLICE ? ENQ_SLICE : ENQ_PREEMPTED);
        machine_pick(m, c);
        settle(m, (uint64_t)1 << c);
        if (t->queued) {
            t->nivcsw++;
            emit(m, EV_PREEMPT, why, t, by, c);
        }
        settled |= (uint64_t)1 << c | fill_and_settle(m);
    }
    for (int c = 0; c < m->cfg.cpus; c++) {
        m->cpu_resched[c] = false;
        m->cpu_tick_why[c] = 0;
    }
    return settled;
}

static void record_cpus(struct machine *m)
{
    struct trace *tr = m->trace;
    if (!tr || !(tr->keep & TRACE_CPUS))
        return;
    int32_t tids[MAX_CPUS];
    for (int c = 0; c < tr->ncpus && c < MAX_CPUS; c++) {
        int s = c < m->cfg.cpus ? m->cpu_curr[c] : -1;
        tids[c] = s >= 0 ? m->tasks[s].tid : 0;
    }
    trace_add_cpus(tr, m->tick, tids);
}

bool machine_begin_tick(struct machine *m)
{
    if (m->status != MS_RUNNING)
        return false;
    if (m->tick >= m->cfg.ticks) {
        end_run(m, MS_TICK_LIMIT, END_TICKS);
        return false;
    }
    if (m->nprocs == 1 && nothing_to_come(m)) {
        end_run(m, MS_EMPTY, END_EMPTY);
        return false;
    }
    if (m->nr_running == 0 && m->timers.n == 0 && m->alarms.n == 0 &&
        m->gil_timers.n == 0 && !net_busy(m) && nothing_to_come(m)) {
        if (objects_deadlocked(m)) {
            deadlock_summary(m);
        } else {
            queues_stuck(m);
            pipes_stuck(m);
            sockets_stuck(m);
            mux_stuck(m);
            green_stuck(m);
            end_run(m, MS_STUCK, END_STUCK);
        }
        return false;
    }
    m->phase = 0;
    step_outside(m);
    net_deliver(m);            /* step 2: segments due now arrive, then timers */
    step_timers(m);
    /* CPUs that kept their task: it acts on its signals and keeps or takes
     * its GIL; a task that cannot run leaves its CPU to the next. */
    /* every CPU (a set is 64 bits: MAX_CPUS is 64) */
    uint64_t all = m->cfg.cpus >= 64 ? ~(uint64_t)0
                                      : ((uint64_t)1 << m->cfg.cpus) - 1;
    settle(m, all & ~step_schedule(m));
    fill_and_settle(m);
    record_cpus(m);
    return true;
}

void machine_end_tick(struct machine *m)
{
    m->phase = 1;
    /* Each CPU's task can create at most one process this tick. */
    machine_reserve(m, m->cfg.cpus);
    /* Every task on a CPU during this tick is charged for it, as Linux
     * charges the time a task was on the CPU (update_curr at the dequeue):
     * also one that something on an earlier CPU ends or stops below before
     * its own turn (a sibling's exit or exec, a stop signal, a runtime
     * error), which the table and ps show running in this tick. First
     * run is this tick too. */
    int on_cpu[MAX_CPUS];
    int on_cpu_tid[MAX_CPUS];
    for (int c = 0; c < m->cfg.cpus; c++) {
        int slot = m->cpu_curr[c];
        on_cpu[c] = slot;
        on_cpu_tid[c] = slot >= 0 ? m->tasks[slot].tid : 0;
        if (slot < 0)
            continue;
        struct task *t = &m->tasks[slot];
        if (t->first_run < 0)
            t->first_run = m->tick;
        t->cpu_ticks++;
        m->cpu_busy[c]++;
    }
    for (int c = 0; c < m->cfg.cpus && m->status == MS_RUNNING; c++) {
        int slot = m->cpu_curr[c];
        /* Only the task that was here when the step began runs its
         * instruction (a slot freed and reused meanwhile is another task). */
        if (slot < 0 || slot != on_cpu[c] || m->tasks[slot].tid != on_cpu_tid[c])
            continue;
        struct task *t = &m->tasks[slot];
        t->ran++;
        m->pol->update_curr(m, t);
        m->exec_slot = (int)(t - m->tasks);
        exec_tick(m, t);
        m->exec_slot = -1;
        if (t->state == 'S' && t->sigpending)
            signal_check_sleep(m, t);
        if (t->cpu == c && m->cfg.preempt) {
            /* Asked even when a woken task already wants this CPU: that
             * one may find an idle CPU instead, and then this stands. */
            int pre = m->pol->task_tick(m, t);
            if (pre && !m->cpu_resched[c]) {
                m->cpu_resched[c] = true;
                m->cpu_why[c] = (uint8_t)(pre - 1);
                m->cpu_by[c] = 0;
            } else if (pre) {
                m->cpu_tick_why[c] = (uint8_t)pre;
            }
        }
    }
    m->phase = 0;
    m->tick++;
#ifdef PROCSIM_GC_STRESS
    machine_collect(m);        /* the ASan build: every tick, to catch a
                                  value held where no root marks it */
#else
    if (vheap_gc_due(&m->heap) || pools_gc_due(m))
        machine_collect(m);
#endif
}

/* Between ticks no value is held anywhere but in variables, task results
 * and objects (no expression is half evaluated), so these are the roots. */
void machine_collect(struct machine *m)
{
    struct vheap *h = &m->heap;
    if (h->bytes == 0 && m->npjobs == 0)
        return;                /* nothing to free */
    vheap_gc_begin(h);
    pools_mark(m);             /* first: handles mark their jobs from here on */
    for (int s = 0; s < m->proc_cap; s++) {
        if (!m->procs[s].pid)
            continue;
        const struct value *v = vars_of(m->proc_vars, m->nproc_vars, s);
        for (int i = 0; i < m->nproc_vars; i++)
            vheap_mark(h, v[i]);
    }
    for (int s = 0; s < m->task_cap; s++) {
        if (!m->tasks[s].state)
            continue;
        const struct value *v = vars_of(m->task_vars, m->ntask_vars, s);
        for (int i = 0; i < m->ntask_vars; i++)
            vheap_mark(h, v[i]);
    }
    for (int i = 0; i < m->taskx_cap; i++)     /* free ones hold None */
        vheap_mark(h, m->taskx[i].result);
    taskx_mark(m);
    out_mark(m);
    objects_mark_values(m);
    net_mark(m);
    mux_mark(m);
    green_mark(m);
    vheap_gc_end(h);
    pools_sweep(m);
}

bool machine_advance_to(struct machine *m, int64_t tick)
{
    while (machine_begin_tick(m)) {
        if (m->tick >= tick)
            return true;
        machine_end_tick(m);
    }
    return false;
}

/* ------------------------------------------------------------ observers */

int64_t machine_tick(const struct machine *m) { return m->tick; }
enum machine_status machine_status(const struct machine *m) { return m->status; }
const struct diag *machine_error(const struct machine *m) { return &m->error; }

int64_t machine_shared_value(const struct machine *m, int obj)
{
    return obj >= 0 && obj < m->scn->nobjects ? m->objs[obj].value : 0;
}

int machine_array_len(const struct machine *m, int obj)
{
    return obj >= 0 && obj < m->scn->nobjects && m->scn->objects[obj].kind == OBJ_ARRAY
           ? array_len(m, obj) : 0;
}

int64_t machine_array_item(const struct machine *m, int obj, int i)
{
    return i >= 0 && i < machine_array_len(m, obj) ? array_item(m, obj, i) : 0;
}

int machine_task_count(const struct machine *m)
{
    return m->task_cap - m->nfree_tasks;
}

size_t machine_memory(const struct machine *m)
{
    return sizeof *m +
           (size_t)m->proc_cap * (sizeof(struct proc) +
                                  (size_t)m->nproc_vars * sizeof(struct value)) +
           (size_t)m->task_cap * (sizeof(struct task) + sizeof(int32_t) +
                                  (size_t)m->ntask_vars * sizeof(struct value)) +
           (size_t)m->cfg.pid_max * sizeof(int32_t) +
           (size_t)m->rq_heap.cap * sizeof(struct kentry) +
           (size_t)(m->timers.cap + m->alarms.cap + m->gil_timers.cap) * sizeof(int) +
           (size_t)m->scn->nobjects * sizeof(struct objstate) +
           (size_t)m->nitems * sizeof(struct array_item) +
           (size_t)m->exitrec_cap * sizeof(struct exitrec) +
           (size_t)m->frame_cap * sizeof(struct sigframe) + m->heap.bytes +
           (size_t)m->taskx_cap * sizeof(struct taskx) +
           (size_t)m->msgs.cap * sizeof(struct msgnode) +
           (size_t)m->qfeeder_cap * sizeof(struct qfeeder) +
           (size_t)m->qf_head_cap * sizeof(int) + net_memory(m);
}

size_t machine_bytes_per_process(const struct machine *m)
{
    return sizeof(struct proc) + sizeof(struct task) + sizeof(int32_t) +
           (size_t)(m->nproc_vars + m->ntask_vars) * sizeof(struct value) +
           sizeof(int32_t);    /* its pid_slot entry */
}

/* Copy a live process's accounting into its trace record. */
void machine_sync_record(struct machine *m, const struct proc *p)
{
    if (!m->trace || p->record < 0)
        return;
    struct proc_record *r = &m->trace->procs[p->record];
    const struct task *t = &m->tasks[p->main_task];
    /* The record keeps the parent at exit: a zombie adopted later (by init
     * or a subreaper) keeps the one it had when it exited. */
    if (r->exited < 0)
        r->ppid = p->ppid;
    r->prog = p->prog;
    r->first_run = t->first_run;
    r->cpu_ticks = proc_cpu_ticks(m, p);
    r->wait_ticks = t->wait_ticks +
                    (t->queued ? visible_tick(m) - t->queued_since : 0);
    r->nvcsw = t->nvcsw;
    r->nivcsw = t->nivcsw;
}

void machine_sync_records(struct machine *m)
{
    for (int s = 0; s < m->proc_cap; s++)
        if (m->procs[s].pid)
            machine_sync_record(m, &m->procs[s]);
}
