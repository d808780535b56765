/*
 * machine.c - the simulated machine: creating and copying it, the four
 * steps of a tick, task state changes, and snapshots.
 *
 * The tick loop, in the contract's words. Tick T runs in this order:
 *   1. outside events due at T (spawns first, then `at` events), file order;
 *   2. timers due at T wake their tasks (sleep, disk), earliest first, then
 *      lower tid first;
 *   3. each CPU, in order, keeps its task or picks another from the one
 *      shared run queue (a slice ran out, a woken task preempts, the task
 *      left the CPU);
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

/* ---------------------------------------------------------------- timers */

static bool timer_less(const void *ctx, int x, int y)
{
    const struct machine *m = ctx;
    const struct task *a = &m->tasks[x], *b = &m->tasks[y];
    if (a->wake_at != b->wake_at)
        return a->wake_at < b->wake_at;
    return a->tid < b->tid;
}

static void timer_moved(void *ctx, int x, int pos)
{
    struct machine *m = ctx;
    m->tasks[x].timer_pos = pos;
}

static const struct heap_ops timer_heap = { timer_less, timer_moved };

static void timer_cancel(struct machine *m, struct task *t)
{
    if (t->timer_pos >= 0)
        heap_remove(&m->timers, t->timer_pos, &timer_heap, m);
    t->wake_at = -1;
}

void task_cancel_timer(struct machine *m, struct task *t)
{
    timer_cancel(m, t);
}

void task_rearm(struct machine *m, struct task *t, int64_t ticks)
{
    timer_cancel(m, t);
    t->wake_at = m->tick + ticks;
    heap_push(&m->timers, (int)(t - m->tasks), &timer_heap, m);
}

/* ---------------------------------------------------------------- events */

/* Append an event to the trace; NULL without a trace or memory. */
static struct event *push_event(struct machine *m, int kind, int reason,
                                const struct task *t, int64_t a, int64_t b)
{
    struct trace *tr = m->trace;
    if (!tr)
        return NULL;
    if (tr->nev == tr->evcap) {
        size_t cap = tr->evcap ? tr->evcap * 2 : 1024;
        struct event *ev = realloc(tr->ev, cap * sizeof *ev);
        if (!ev)
            return NULL;
        tr->ev = ev;
        tr->evcap = cap;
    }
    struct event *e = &tr->ev[tr->nev++];
    memset(e, 0, sizeof *e);
    e->tick = m->tick;
    e->kind = (uint8_t)kind;
    e->reason = (uint8_t)reason;
    e->pid = t ? m->procs[t->proc].pid : 0;
    e->tid = t ? t->tid : 0;
    e->a = a;
    e->b = b;
    return e;
}

void emit(struct machine *m, int kind, int reason, const struct task *t,
          int64_t a, int64_t b)
{
    push_event(m, kind, reason, t, a, b);
}

void emit_pid(struct machine *m, int kind, int reason, int pid, int64_t a,
              int64_t b)
{
    struct event *e = push_event(m, kind, reason, NULL, a, b);
    if (e)
        e->pid = e->tid = pid;
}

/* An event that carries text (print, error): the text goes to the trace's
 * string arena and the event keeps its offset. */
void emit_text(struct machine *m, int kind, const struct task *t,
               const char *text, size_t len)
{
    struct trace *tr = m->trace;
    if (!tr)
        return;
    if (tr->nstr + len + 1 > tr->strcap) {
        size_t cap = tr->strcap ? tr->strcap : 4096;
        while (cap < tr->nstr + len + 1)
            cap *= 2;
        char *s = realloc(tr->strings, cap);
        if (!s)
            return;
        tr->strings = s;
        tr->strcap = cap;
    }
    uint32_t off = (uint32_t)tr->nstr;
    memcpy(tr->strings + off, text, len);
    tr->strings[off + len] = '\0';
    tr->nstr += len + 1;
    struct event *e = push_event(m, kind, 0, t, 0, 0);
    if (e)
        e->text = off;
}

void machine_fail(struct machine *m, struct srcpos pos, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (m->status == MS_ERROR)
        return;
    m->status = MS_ERROR;
    diag_set(&m->error, m->scn->file, m->scn->src, m->scn->srclen,
             pos.line, pos.col, "%s", msg);
    emit_text(m, EV_ERROR, NULL, msg, strlen(msg));
}

/* ---------------------------------------------------------------- lookup */

const struct program *program_code(const struct machine *m, int prog)
{
    const struct scenario *s = m->scn;
    return prog < s->nprograms ? &s->programs[prog]
                               : &s->handlers[prog - s->nprograms];
}

int proc_slot(const struct machine *m, int pid)
{
    if (pid <= 0 || pid >= m->cfg.pid_max)
        return -1;
    return m->pid_slot[pid];
}

/* ------------------------------------------------------ state transitions */

/* Record a visible state change in the trace's timeline. Changes of one
 * task that become visible at the same tick collapse into the last. */
void task_set_state(struct machine *m, struct task *t, char state)
{
    t->state = state;
    struct trace *tr = m->trace;
    if (!tr)
        return;
    if (tr->nstates && tr->states[tr->nstates - 1].tid == t->tid &&
        tr->states[tr->nstates - 1].tick == visible_tick(m)) {
        tr->states[tr->nstates - 1].state = state;
        return;
    }
    if (tr->nstates == tr->statecap) {
        size_t cap = tr->statecap ? tr->statecap * 2 : 1024;
        struct state_change *s = realloc(tr->states, cap * sizeof *s);
        if (!s)
            return;
        tr->states = s;
        tr->statecap = cap;
    }
    tr->states[tr->nstates++] =
        (struct state_change){ visible_tick(m), t->tid, state };
}

/* Take t off its CPU (it blocked, yielded, exited or was preempted). */
void task_leave_cpu(struct machine *m, struct task *t)
{
    if (t->cpu < 0)
        return;
    m->cpu_curr[t->cpu] = -1;
    m->cpu_resched[t->cpu] = false;
    t->cpu = -1;
}

static void runnable_add(struct machine *m, struct task *t)
{
    m->nr_running++;
    m->load += t->weight;
}

static void runnable_remove(struct machine *m, struct task *t)
{
    m->nr_running--;
    m->load -= t->weight;
}

/* Put a runnable task that is not on a CPU into the run queue. */
static void enqueue(struct machine *m, struct task *t, enum enqueue_how how)
{
    m->pol->enqueue(m, t, how);
    t->queued = true;
    t->queued_since = visible_tick(m);
    m->nr_queued++;
}

void task_dequeue(struct machine *m, struct task *t)
{
    m->pol->dequeue(m, t);
    t->queued = false;
    t->wait_ticks += visible_tick(m) - t->queued_since;
    m->nr_queued--;
}

static void dequeue_picked(struct machine *m, struct task *t)
{
    t->queued = false;
    t->wait_ticks += m->tick - t->queued_since;
    m->nr_queued--;
}

/* The running task t leaves its CPU to wait: in S or D, on channel wc, for
 * `ticks` ticks when ticks >= 0 (a timed sleep or disk I/O). */
void task_block(struct machine *m, struct task *t, char state, enum wchan wc,
                int64_t ticks)
{
    struct proc *p = proc_of(m, t);
    if (p->gil_holder == (int)(t - m->tasks))
        gil_release(m, p);            /* blocking releases the GIL */
    task_leave_cpu(m, t);
    runnable_remove(m, t);
    task_set_state(m, t, state);
    t->wchan = (uint8_t)wc;
    t->nvcsw++;
    if (ticks >= 0) {
        /* Executed in tick T, asleep during T+1 .. T+ticks. */
        t->wake_at = m->tick + ticks + 1;
        heap_push(&m->timers, (int)(t - m->tasks), &timer_heap, m);
    }
    int why = wc == WC_DISK ? WHY_DISK : wc == WC_SLEEP ? WHY_SLEEP :
              wc == WC_PAUSE ? WHY_PAUSE : WHY_WAIT;
    if (wc == WC_SLEEP || wc == WC_DISK || wc == WC_PAUSE || wc == WC_WAIT)
        emit(m, EV_BLOCK, why, t, ticks, 0);
}

/* A woken task may preempt one that runs: offer it to the CPUs in order and
 * preempt the first whose task the policy says should give way. */
static void check_preempt(struct machine *m, struct task *woken)
{
    if (!m->cfg.preempt)
        return;
    for (int c = 0; c < m->cfg.cpus; c++)
        if (m->cpu_curr[c] < 0)
            return;    /* an idle CPU will take it at the next step 3 */
    for (int c = 0; c < m->cfg.cpus; c++) {
        struct task *curr = &m->tasks[m->cpu_curr[c]];
        if (!m->cpu_resched[c] && m->pol->check_preempt_wakeup(m, curr, woken)) {
            m->cpu_resched[c] = true;
            m->cpu_why[c] = PRE_WAKEUP;
            m->cpu_by[c] = woken->tid;
            return;
        }
    }
}

void task_make_runnable(struct machine *m, struct task *t)
{
    timer_cancel(m, t);
    t->wchan = WC_NONE;
    task_set_state(m, t, 'R');
    runnable_add(m, t);
    enqueue(m, t, ENQ_WAKEUP);
    check_preempt(m, t);
}

/* Wake a task in S or D: it becomes runnable and joins the run queue. */
void task_wake(struct machine *m, struct task *t, int why, int64_t arg)
{
    emit(m, EV_WAKE, why, t, arg, 0);
    task_make_runnable(m, t);
}

void task_yield(struct machine *m, struct task *t)
{
    task_leave_cpu(m, t);
    enqueue(m, t, ENQ_YIELD);
    t->nivcsw++;
    emit(m, EV_YIELD, 0, t, 0, 0);
}

void task_set_nice(struct machine *m, struct task *t, int nice)
{
    int w = sched_weight(nice);
    if (t->state == 'R')
        m->load += w - t->weight;
    t->weight = w;
}

/* ------------------------------------------------------------- creation */

static bool grow(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return true;
    int n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, (size_t)n * elem);
    if (!q)
        return false;
    memset((char *)q + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
    *p = q;
    *cap = n;
    return true;
}

/* Size a variable pool for `cap` slots; false when out of memory. */
static bool grow_vars(int64_t **pool, int per, int oldcap, int cap)
{
    if (per == 0)
        return true;
    int64_t *v = realloc(*pool, (size_t)cap * (size_t)per * sizeof *v);
    if (!v)
        return false;
    memset(v + (size_t)oldcap * per, 0,
           (size_t)(cap - oldcap) * (size_t)per * sizeof *v);
    *pool = v;
    return true;
}

/* A free proc slot (grown as needed), or -1 when out of memory. Free slots
 * are chained through first_child. */
/* Grow the proc and task arrays so that at least n of each are free. */
bool machine_reserve(struct machine *m, int n)
{
    if (m->nfree_procs < n) {
        int old = m->proc_cap;
        if (!grow((void **)&m->procs, &m->proc_cap, old + n, sizeof *m->procs) ||
            !grow_vars(&m->proc_vars, m->nproc_vars, old, m->proc_cap))
            goto oom;
        for (int i = m->proc_cap - 1; i >= old; i--) {
            m->procs[i].pid = 0;
            m->procs[i].first_child = m->proc_free;
            m->proc_free = i;
        }
        m->nfree_procs += m->proc_cap - old;
    }
    if (m->nfree_tasks < n) {
        int old = m->task_cap;
        if (!grow((void **)&m->tasks, &m->task_cap, old + n, sizeof *m->tasks) ||
            !grow_vars(&m->task_vars, m->ntask_vars, old, m->task_cap))
            goto oom;
        for (int i = m->task_cap - 1; i >= old; i--) {
            m->tasks[i].state = 0;
            m->tasks[i].rq_next = m->task_free;
            m->task_free = i;
        }
        m->nfree_tasks += m->task_cap - old;
    }
    return true;
oom:
    machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
    return false;
}

/* A free proc slot, or -1 when none is reserved. Free slots are chained
 * through first_child. */
int machine_alloc_proc(struct machine *m)
{
    if (m->proc_free < 0)
        return -1;
    int s = m->proc_free;
    m->proc_free = m->procs[s].first_child;
    m->nfree_procs--;
    struct proc *p = &m->procs[s];
    memset(p, 0, sizeof *p);
    p->gil_holder = p->gil_head = p->gil_tail = -1;
    for (int i = 0; i < NSIG_MAX; i++)
        p->sigact[i] = SIGACT_DEFAULT;
    p->alarm_at = -1;
    p->alarm_pos = -1;
    vars_clear(m->proc_vars, m->nproc_vars, s);
    return s;
}

void machine_free_proc(struct machine *m, int s)
{
    m->nfree_procs++;
    m->procs[s].pid = 0;
    m->procs[s].first_child = m->proc_free;
    m->proc_free = s;
}

/* A free task slot, initialised as a fresh task of process slot `ps` with
 * thread id `tid`; -1 when none is reserved. Free slots are chained through
 * rq_next. */
int machine_alloc_task(struct machine *m, int ps, int tid)
{
    if (m->task_free < 0)
        return -1;
    int s = m->task_free;
    struct task *t = &m->tasks[s];
    m->task_free = t->rq_next;
    m->nfree_tasks--;
    memset(t, 0, sizeof *t);
    t->tid = tid;
    t->proc = ps;
    t->cpu = -1;
    t->wake_at = -1;
    t->timer_pos = -1;
    t->rq_pos = -1;
    t->rq_next = t->rq_prev = -1;
    t->wq_next = t->next_thread = t->wobj = -1;
    t->first_run = -1;
    t->weight = sched_weight(m->procs[ps].nice);
    t->rr_left = m->cfg.slice;
    vars_clear(m->task_vars, m->ntask_vars, s);
    return s;
}

void machine_free_task(struct machine *m, struct task *t)
{
    timer_cancel(m, t);
    objects_task_gone(m, (int)(t - m->tasks));
    t->state = 0;
    m->nfree_tasks++;
    t->rq_next = m->task_free;
    m->task_free = (int)(t - m->tasks);
}

/* A new task becomes runnable: placed by the policy, then queued. */
void machine_start_task(struct machine *m, struct task *t, struct task *parent)
{
    if (parent)
        m->pol->task_fork(m, parent, t);
    task_set_state(m, t, 'R');
    runnable_add(m, t);
    enqueue(m, t, parent ? ENQ_FORK : ENQ_NEW);
}

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
    m->last_pid = 1;
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
    m->pol = sched_policy_for(cfg->policy);
    m->trace = trace;
    m->rng = cfg->seed;
    m->proc_free = m->task_free = -1;
    m->rq_head = m->rq_tail = -1;
    m->skip = -1;
    for (int c = 0; c < MAX_CPUS; c++)
        m->cpu_curr[c] = -1;

    /* Number the variables: process variables and thread-local ones live
     * in separate pools. */
    m->var_slot = malloc(((size_t)s->nvars + 1) * sizeof *m->var_slot);
    m->spawn_order = malloc(((size_t)s->nspawns + 1) * sizeof *m->spawn_order);
    m->pid_slot = malloc((size_t)cfg->pid_max * sizeof *m->pid_slot);
    if (!m->var_slot || !m->spawn_order || !m->pid_slot)
        goto fail;
    for (int v = 0; v < s->nvars; v++)
        m->var_slot[v] = s->vars[v].local ? m->ntask_vars++ : m->nproc_vars++;
    for (int i = 0; i < cfg->pid_max; i++)
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
    if (!objects_init(m) || !make_init(m))
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
    free(m->proc_vars);
    free(m->task_vars);
    free(m->objs);
    heap_free(&m->rq_heap);
    heap_free(&m->timers);
    heap_free(&m->alarms);
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

struct machine *machine_clone(const struct machine *src, struct trace *trace)
{
    struct machine *m = malloc(sizeof *m);
    if (!m)
        return NULL;
    *m = *src;
    m->trace = trace;
    const struct scenario *s = src->scn;
    m->var_slot = dup_mem(src->var_slot, ((size_t)s->nvars + 1) * sizeof *m->var_slot);
    m->spawn_order = dup_mem(src->spawn_order,
                             ((size_t)s->nspawns + 1) * sizeof *m->spawn_order);
    m->pid_slot = dup_mem(src->pid_slot, (size_t)src->cfg.pid_max * sizeof *m->pid_slot);
    m->procs = dup_mem(src->procs, (size_t)src->proc_cap * sizeof *m->procs);
    m->tasks = dup_mem(src->tasks, (size_t)src->task_cap * sizeof *m->tasks);
    m->proc_vars = dup_mem(src->proc_vars, (size_t)src->proc_cap *
                           (size_t)src->nproc_vars * sizeof *m->proc_vars);
    m->task_vars = dup_mem(src->task_vars, (size_t)src->task_cap *
                           (size_t)src->ntask_vars * sizeof *m->task_vars);
    m->objs = malloc(((size_t)s->nobjects + 1) * sizeof *m->objs);
    if (m->objs)
        memcpy(m->objs, src->objs, (size_t)s->nobjects * sizeof *m->objs);
    bool ok = heap_copy(&m->rq_heap, &src->rq_heap) &&
              heap_copy(&m->timers, &src->timers) &&
              heap_copy(&m->alarms, &src->alarms);
    if (!ok || !m->var_slot || !m->spawn_order || !m->pid_slot ||
        !m->procs || !m->tasks || !m->objs ||
        (src->nproc_vars && !m->proc_vars) || (src->ntask_vars && !m->task_vars)) {
        if (!ok) {
            heap_free(&m->rq_heap);
            heap_free(&m->timers);
            heap_free(&m->alarms);
        }
        machine_free(m);
        return NULL;
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
        for (int s = o->head; s >= 0 && n < sizeof text; s = m->tasks[s].wq_next)
            n += (size_t)snprintf(text + n, sizeof text - n, " tid %d waits for %s (held by %s%d);",
                                  m->tasks[s].tid, m->scn->objects[i].name,
                                  o->owner >= 0 ? "tid " : "a thread that ended",
                                  o->owner >= 0 ? m->tasks[o->owner].tid : 0);
    }
    m->status = MS_DEADLOCK;
    if (n >= sizeof text)
        n = sizeof text - 1;
    emit_text(m, EV_END, NULL, text, n);
    if (m->trace && m->trace->nev)
        m->trace->ev[m->trace->nev - 1].reason = END_DEADLOCK;
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
    }
    while (m->next_outside < s->noutside &&
           s->outside[m->next_outside].at <= m->tick)
        signal_outside(m, &s->outside[m->next_outside++]);
}

/* Step 2: alarms ring, and every task whose timer is due wakes. A task
 * stopped in a sleep whose time runs out stays stopped: it will just not go
 * back to sleep when continued. */
static void step_timers(struct machine *m)
{
    signal_alarms(m);
    for (;;) {
        int slot = heap_top(&m->timers);
        if (slot < 0 || m->tasks[slot].wake_at > m->tick)
            break;
        struct task *t = &m->tasks[slot];
        if (t->state == 'S' && t->wchan == WC_GIL) {
            gil_timeout(m, t);
            continue;
        }
        if (t->state == 'T') {
            timer_cancel(m, t);
            t->resume = 'R';
            continue;
        }
        task_wake(m, t, t->wchan == WC_DISK ? WHY_DISK :
                        t->wchan == WC_WAIT ? WHY_CHILD_EXIT : WHY_SLEEP, 0);
    }
}

/* Give CPU c to task t (just picked from the queue). */
static void dispatch(struct machine *m, int c, struct task *t)
{
    dequeue_picked(m, t);
    t->cpu = c;
    t->ran = 0;
    if (t->first_run < 0)
        t->first_run = m->tick;
    m->cpu_curr[c] = (int)(t - m->tasks);
}

/* Step 3: each CPU keeps its task or picks the next one. */
static void step_schedule(struct machine *m)
{
    for (int c = 0; c < m->cfg.cpus; c++) {
        int cur = m->cpu_curr[c];
        if (cur >= 0 && !m->cpu_resched[c])
            continue;
        int why = m->cpu_why[c], by = m->cpu_by[c];
        if (cur >= 0) {
            struct task *t = &m->tasks[cur];
            task_leave_cpu(m, t);
            enqueue(m, t, why == PRE_SLICE ? ENQ_SLICE : ENQ_PREEMPTED);
        }
        struct task *next = m->pol->pick_next(m);
        if (!next)
            continue;
        dispatch(m, c, next);
        if (cur >= 0 && &m->tasks[cur] != next) {
            m->tasks[cur].nivcsw++;
            emit(m, EV_PREEMPT, why, &m->tasks[cur], by, c);
        }
    }
    for (int c = 0; c < m->cfg.cpus; c++)
        m->cpu_resched[c] = false;
}

void machine_pick(struct machine *m, int c)
{
    struct task *next = m->pol->pick_next(m);
    if (next)
        dispatch(m, c, next);
}

/* Each CPU's task acts on its pending signals as it is about to run; one
 * that dies or stops leaves the CPU to the next in the queue. */
static void step_signals(struct machine *m)
{
    for (int c = 0; c < m->cfg.cpus; c++) {
        while (m->cpu_curr[c] >= 0) {
            struct task *t = &m->tasks[m->cpu_curr[c]];
            if (!proc_of(m, t)->pending || signal_act(m, t))
                break;
            machine_pick(m, c);
        }
    }
}

static void record_cpus(struct machine *m)
{
    struct trace *tr = m->trace;
    if (!tr)
        return;
    size_t need = tr->ncpu_hist + (size_t)tr->ncpus;
    if (need > tr->cpu_histcap) {
        size_t cap = tr->cpu_histcap ? tr->cpu_histcap * 2 : 4096;
        while (cap < need)
            cap *= 2;
        int32_t *h = realloc(tr->cpu_hist, cap * sizeof *h);
        if (!h)
            return;
        tr->cpu_hist = h;
        tr->cpu_histcap = cap;
    }
    for (int c = 0; c < tr->ncpus; c++) {
        int s = c < m->cfg.cpus ? m->cpu_curr[c] : -1;
        tr->cpu_hist[tr->ncpu_hist++] = s >= 0 ? m->tasks[s].tid : 0;
    }
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
        nothing_to_come(m)) {
        if (objects_deadlocked(m))
            deadlock_summary(m);
        else
            end_run(m, MS_STUCK, END_STUCK);
        return false;
    }
    m->phase = 0;
    step_outside(m);
    step_timers(m);
    step_schedule(m);
    step_signals(m);
    gil_step(m);
    record_cpus(m);
    return true;
}

void machine_end_tick(struct machine *m)
{
    m->phase = 1;
    /* Each CPU's task can create at most one process this tick. */
    machine_reserve(m, m->cfg.cpus);
    for (int c = 0; c < m->cfg.cpus && m->status == MS_RUNNING; c++) {
        int slot = m->cpu_curr[c];
        if (slot < 0)
            continue;
        struct task *t = &m->tasks[slot];
        t->cpu_ticks++;
        t->ran++;
        m->cpu_busy[c]++;
        m->pol->update_curr(m, t);
        exec_tick(m, t);
        if (t->cpu == c && m->cfg.preempt && !m->cpu_resched[c]) {
            int pre = m->pol->task_tick(m, t);
            if (pre) {
                m->cpu_resched[c] = true;
                m->cpu_why[c] = (uint8_t)(pre - 1);
                m->cpu_by[c] = 0;
            }
        }
    }
    m->phase = 0;
    m->tick++;
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

int machine_task_count(const struct machine *m)
{
    return m->task_cap - m->nfree_tasks;
}

size_t machine_memory(const struct machine *m)
{
    return sizeof *m +
           (size_t)m->proc_cap * (sizeof(struct proc) +
                                  (size_t)m->nproc_vars * sizeof(int64_t)) +
           (size_t)m->task_cap * (sizeof(struct task) +
                                  (size_t)m->ntask_vars * sizeof(int64_t)) +
           (size_t)m->cfg.pid_max * sizeof(int32_t) +
           (size_t)(m->rq_heap.cap + m->timers.cap + m->alarms.cap) * sizeof(int) +
           (size_t)m->scn->nobjects * sizeof(struct objstate);
}

size_t machine_bytes_per_process(const struct machine *m)
{
    return sizeof(struct proc) + sizeof(struct task) +
           (size_t)(m->nproc_vars + m->ntask_vars) * sizeof(int64_t) +
           sizeof(int32_t);    /* its pid_slot entry */
}

/* Copy a live process's accounting into its trace record. */
void machine_sync_record(struct machine *m, const struct proc *p)
{
    if (!m->trace || p->record < 0)
        return;
    struct proc_record *r = &m->trace->procs[p->record];
    const struct task *t = &m->tasks[p->main_task];
    r->ppid = p->ppid;
    r->prog = p->prog;
    r->first_run = t->first_run;
    r->cpu_ticks = t->cpu_ticks;
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

static const char *wchan_name(const struct machine *m, const struct task *t)
{
    if (t->wchan == WC_OBJ)
        return m->scn->objects[t->wobj].name;
    switch (t->wchan) {
    case WC_SLEEP: return "sleep";
    case WC_DISK:  return "disk";
    case WC_WAIT:  return "wait";
    case WC_PAUSE: return "pause";
    case WC_GIL:   return "gil";
    case WC_JOIN:  return "join";
    case WC_THREADS: return "threads";
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
    return prog == PROG_INIT ? "init" : m->scn->programs[prog].name;
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
                 t->wchan == WC_JOIN);
    if (past && pc > 0)
        pc--;
    return pc < p->ncode ? p->code[pc].pos.line : 0;
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
    o->comm = comm_of(m, p->prog);
    o->main_thread = t->tid == p->pid;
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
    o->left = t->left;
    o->cpu_ticks = t->cpu_ticks;
    o->wait_ticks = t->wait_ticks +
                    (t->queued ? m->tick + 1 - t->queued_since : 0);
    o->created = p->created;
    o->first_run = t->first_run;
    o->nvcsw = t->nvcsw;
    o->nivcsw = t->nivcsw;
    o->nchildren = p->nchildren;
    o->exit_status = p->exit_status;
    o->pending = p->pending;
    o->blocked = t->blocked;
    memcpy(o->sigact, p->sigact, sizeof o->sigact);
    o->handler_sig = t->nframes ? t->frames[t->nframes - 1].sig : 0;
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
    }
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
    snapshot_objects(m, out);
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
    memset(s, 0, sizeof *s);
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
