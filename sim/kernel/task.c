/*
 * task.c - the kernel's primitives, below the tick loop: timers, events,
 * task state changes, the run queue's bookkeeping, and proc/task slots.
 *
 * Everything here acts on one task or one slot at a time and never decides
 * what runs next; machine.c (the tick loop) and the files it calls (exec,
 * proc, signal, thread, gil, objects) build on these. Calls flow one way:
 * nothing here calls up into the tick loop.
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

void task_cancel_timer(struct machine *m, struct task *t)
{
    if (t->timer_pos >= 0)
        heap_remove(&m->timers, t->timer_pos, &timer_heap, m);
    t->wake_at = -1;
}


/* ---------------------------------------------------------------- events */

/* Append an event to the trace; NULL without a trace or memory. */
static struct event *push_event(struct machine *m, int kind, int reason,
                                const struct task *t, int64_t a, int64_t b)
{
    struct trace *tr = m->trace;
    if (!tr || !trace_admit_event(tr, m->tick, kind))
        return NULL;
    if (tr->nev == tr->evcap) {
        size_t cap = tr->evcap ? tr->evcap * 2 : 1024;
        struct event *ev = realloc(tr->ev, cap * sizeof *ev);
        if (!ev) {
            tr->oom = true;
            return NULL;
        }
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
    /* Its cause: the statement the task it is about ran last (the one it
     * waits in, when another task's statement completes it: a queue's get
     * handed an item), or, for a zombie (reaped) or no task, the
     * statement running now. */
    const struct task *c = t && t->state != 'Z' ? t
                         : m->exec_slot >= 0 ? &m->tasks[m->exec_slot] : NULL;
    if (c && c->prog != PROG_INIT) {
        e->by = c->tid;
        e->pos = EVENT_POS(c->last_pos.line, c->last_pos.col);
    }
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
void emit_textf(struct machine *m, int kind, int reason, const struct task *t,
                int64_t a, int64_t b, const char *fmt, ...)
{
    struct trace *tr = m->trace;
    if (!tr || !trace_keeps_event(tr, kind))
        return;                /* no formatting for a trace that drops it */
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
    size_t before = tr->nev;
    emit_text(m, kind, t, text, len);
    if (tr->nev == before + 1) {
        struct event *e = &tr->ev[tr->nev - 1];
        e->reason = (uint8_t)reason;
        e->a = a;
        e->b = b;
    }
}

static void emit_text_reason(struct machine *m, int kind, int reason,
                             const struct task *t, const char *text, size_t len);

void emit_text(struct machine *m, int kind, const struct task *t,
               const char *text, size_t len)
{
    emit_text_reason(m, kind, 0, t, text, len);
}

void emit_output(struct machine *m, const struct task *t, const char *text, size_t len,
                 bool err)
{
    emit_text_reason(m, EV_PRINT, err ? PRINT_STDERR : PRINT_STDOUT, t, text, len);
}

static void emit_text_reason(struct machine *m, int kind, int reason,
                             const struct task *t, const char *text, size_t len)
{
    struct trace *tr = m->trace;
    if (!tr || !trace_keeps_event(tr, kind))
        return;
    if (tr->nstr + len + 1 > tr->strcap) {
        size_t cap = tr->strcap ? tr->strcap : 4096;
        while (cap < tr->nstr + len + 1)
            cap *= 2;
        char *s = realloc(tr->strings, cap);
        if (!s) {
            tr->oom = true;
            return;
        }
        tr->strings = s;
        tr->strcap = cap;
    }
    uint32_t off = (uint32_t)tr->nstr;
    memcpy(tr->strings + off, text, len);
    tr->strings[off + len] = '\0';
    tr->nstr += len + 1;
    struct event *e = push_event(m, kind, reason, t, 0, 0);
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
    /* Programs translated from Python have the .py file's positions. */
    const struct scenario *s = m->scn;
    if (s->py_text)
        diag_set(&m->error, s->py_name, s->py_text, s->py_len, pos.line, pos.col,
                 "%s", msg);
    else
        diag_set(&m->error, s->file, s->src, s->srclen, pos.line, pos.col, "%s", msg);
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
    return m->pid_slot[pid] < 0 ? -1 : m->pid_slot[pid];   /* -2: see proc_alloc_pid */
}

/* ------------------------------------------------------ state transitions */

/* Record a visible state change in the trace's timeline. Changes of one
 * task that become visible at the same tick collapse into the last, but
 * never into an 'X': a tid reused in the tick its last owner went away
 * starts a new life, and the old one must still be seen to end. */
void task_set_state(struct machine *m, struct task *t, char state)
{
    t->state = state;
    struct trace *tr = m->trace;
    if (!tr || !(tr->keep & TRACE_STATES))
        return;
    if (tr->nstates && tr->states[tr->nstates - 1].tid == t->tid &&
        tr->states[tr->nstates - 1].tick == visible_tick(m) &&
        tr->states[tr->nstates - 1].state != 'X') {
        tr->states[tr->nstates - 1].state = state;
        return;
    }
    if (tr->nstates == tr->statecap) {
        size_t cap = tr->statecap ? tr->statecap * 2 : 1024;
        struct state_change *s = realloc(tr->states, cap * sizeof *s);
        if (!s) {
            tr->oom = true;
            return;
        }
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
    m->nr_busy--;
    m->curr_gen++;
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
void task_enqueue(struct machine *m, struct task *t, enum enqueue_how how)
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

/* Give CPU c to task t, just picked from the queue by the policy. */
void task_dispatch(struct machine *m, int c, struct task *t)
{
    t->queued = false;
    t->wait_ticks += m->tick - t->queued_since;
    m->nr_queued--;
    m->nr_busy++;
    m->curr_gen++;
    t->cpu = c;
    t->last_cpu = c;
    t->ran = 0;
    m->cpu_curr[c] = (int)(t - m->tasks);
}


/* The running task t leaves its CPU to wait: in S or D, on channel wc, for
 * `ticks` ticks when ticks >= 0 (a timed sleep or disk I/O). */
void task_block(struct machine *m, struct task *t, char state, enum wchan wc,
                int64_t ticks)
{
    task_block_shown(m, t, state, wc, ticks, ticks);
}

void task_block_shown(struct machine *m, struct task *t, char state, enum wchan wc,
                      int64_t ticks, int64_t shown)
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
        t->wake_at = tick_after(m->tick + 1, ticks);
        heap_push(&m->timers, (int)(t - m->tasks), &timer_heap, m);
    }
    int why = wc == WC_DISK ? WHY_DISK : wc == WC_SLEEP ? WHY_SLEEP :
              wc == WC_PAUSE ? WHY_PAUSE : WHY_WAIT;
    if (wc == WC_SLEEP || wc == WC_DISK || wc == WC_PAUSE || wc == WC_WAIT)
        emit(m, EV_BLOCK, why, t, shown, 0);
}

/* A woken task may preempt one that runs: offer it to the CPUs in order and
 * preempt the first whose task the policy says should give way. */
static void check_preempt(struct machine *m, struct task *woken)
{
    if (!m->cfg.preempt)
        return;
    /* Idle CPUs take the queued tasks at the next step 3: if there are
     * enough for all of them, the woken task gets one (Linux:
     * select_idle_sibling finds it a CPU nobody is running or waiting on).
     * Only when it may not does it try to preempt a running task. */
    if (m->cfg.cpus - m->nr_busy >= m->nr_queued)
        return;
    for (int c = 0; c < m->cfg.cpus; c++) {
        if (m->cpu_curr[c] < 0)
            continue;
        struct task *curr = &m->tasks[m->cpu_curr[c]];
        if (!m->cpu_resched[c] && m->pol->check_preempt_wakeup(m, curr, woken)) {
            m->cpu_resched[c] = true;
            m->cpu_why[c] = PRE_WAKEUP;
            m->cpu_by[c] = woken->tid;
            m->cpu_waker[c] = (int)(woken - m->tasks);
            return;
        }
    }
}

void task_make_runnable(struct machine *m, struct task *t)
{
    task_cancel_timer(m, t);
    t->wchan = WC_NONE;
    task_set_state(m, t, 'R');
    runnable_add(m, t);
    task_enqueue(m, t, ENQ_WAKEUP);
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
    task_enqueue(m, t, ENQ_YIELD);
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

bool array_grow(void **p, int *cap, int need, size_t elem)
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

bool var_pool_grow(struct value **pool, int per, int oldcap, int cap)
{
    if (per == 0 || cap <= oldcap)
        return true;
    struct value *v = realloc(*pool, (size_t)cap * (size_t)per * sizeof *v);
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
        if (!array_grow((void **)&m->procs, &m->proc_cap, old + n, sizeof *m->procs) ||
            !var_pool_grow(&m->proc_vars, m->nproc_vars, old, m->proc_cap))
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
        if (!array_grow((void **)&m->tasks, &m->task_cap, old + n, sizeof *m->tasks) ||
            !var_pool_grow(&m->task_vars, m->ntask_vars, old, m->task_cap))
            goto oom;
        int32_t *pos = realloc(m->rq_pos, (size_t)m->task_cap * sizeof *pos);
        if (!pos)
            goto oom;
        m->rq_pos = pos;
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
    p->gil_timer_at = -1;
    p->gil_timer_slot = p->gil_timer_pos = -1;
    p->exitrecs = -1;
    vars_clear(m->proc_vars, m->nproc_vars, s);
    return s;
}

void machine_free_proc(struct machine *m, int s)
{
    gil_timer_cancel(m, &m->procs[s]);
    procobj_forget(m, s);
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
    t->last_cpu = -1;
    t->wake_at = -1;
    t->timer_pos = -1;
    m->rq_pos[s] = -1;
    t->rq_next = t->rq_prev = -1;
    t->wq_next = t->next_thread = t->wobj = -1;
    t->first_run = -1;
    t->frame_top = -1;
    t->x = -1;
    t->weight = sched_weight(m->procs[ps].nice);
    t->rr_left = m->cfg.slice;
    vars_clear(m->task_vars, m->ntask_vars, s);
    return s;
}

void machine_free_task(struct machine *m, struct task *t)
{
    struct proc *p = &m->procs[t->proc];
    if (t->tid != p->pid)
        p->ended_cpu_ticks += t->cpu_ticks;    /* the process keeps its time */
    task_cancel_timer(m, t);
    objects_task_gone(m, (int)(t - m->tasks));
    frames_drop(m, t);
    taskx_drop(m, t);
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
    task_enqueue(m, t, parent ? ENQ_FORK : ENQ_NEW);
}

int64_t proc_cpu_ticks(const struct machine *m, const struct proc *p)
{
    int64_t sum = p->ended_cpu_ticks;
    for (int s = p->main_task; s >= 0; s = m->tasks[s].next_thread)
        sum += m->tasks[s].cpu_ticks;
    return sum;
}

/* CPU c takes the next task from the run queue, if any. */
void machine_pick(struct machine *m, int c)
{
    struct task *next = m->pol->pick_next(m);
    if (next)
        task_dispatch(m, c, next);
}

/* ------------------------------------------------------- signal frames */

struct sigframe *frame_push(struct machine *m, struct task *t)
{
    if (m->frame_free < 0) {
        int old = m->frame_cap, cap = old ? old * 2 : 16;
        struct sigframe *f = realloc(m->frames, (size_t)cap * sizeof *f);
        if (!f) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            return NULL;
        }
        for (int i = cap - 1; i >= old; i--) {
            f[i].next = m->frame_free;
            m->frame_free = i;
        }
        m->frames = f;
        m->frame_cap = cap;
    }
    int i = m->frame_free;
    struct sigframe *f = &m->frames[i];
    m->frame_free = f->next;
    f->next = t->frame_top;
    t->frame_top = i;
    t->nframes++;
    return f;
}

void frame_pop(struct machine *m, struct task *t, struct sigframe *out)
{
    int i = t->frame_top;
    *out = m->frames[i];
    t->frame_top = out->next;
    t->nframes--;
    m->frames[i].next = m->frame_free;
    m->frame_free = i;
}

void frames_drop(struct machine *m, struct task *t)
{
    struct sigframe f;
    while (t->nframes > 0)
        frame_pop(m, t, &f);
}

bool frames_copy(struct machine *m, struct task *to, const struct task *from)
{
    frames_drop(m, to);
    int chain[MAX_SIGFRAMES], n = 0;
    for (int i = from->frame_top; i >= 0 && n < MAX_SIGFRAMES; i = m->frames[i].next)
        chain[n++] = i;
    while (n > 0) {             /* outermost first, so the order is kept */
        int i = chain[--n];
        struct sigframe copy = m->frames[i];   /* a push may move the pool */
        struct sigframe *f = frame_push(m, to);
        if (!f)
            return false;
        int next = f->next;
        *f = copy;
        f->next = next;
    }
    return true;
}

/* ------------------------------------------------------------ wait queues */

void wq_push(struct machine *m, int *head, int *tail, int s)
{
    m->tasks[s].wq_next = -1;
    if (*tail >= 0)
        m->tasks[*tail].wq_next = s;
    else
        *head = s;
    *tail = s;
}

void wq_push_front(struct machine *m, int *head, int *tail, int s)
{
    m->tasks[s].wq_next = *head;
    *head = s;
    if (*tail < 0)
        *tail = s;
}

bool wq_remove(struct machine *m, int *head, int *tail, int s)
{
    int prev = -1;
    for (int q = *head; q >= 0; prev = q, q = m->tasks[q].wq_next) {
        if (q != s)
            continue;
        if (prev >= 0)
            m->tasks[prev].wq_next = m->tasks[q].wq_next;
        else
            *head = m->tasks[q].wq_next;
        if (*tail == s)
            *tail = prev;
        m->tasks[s].wq_next = -1;
        return true;
    }
    return false;
}
