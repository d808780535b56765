/*
 * gil.c - CPython's global interpreter lock ("new GIL", Python/ceval_gil.c),
 * one per process, with config gil=on.
 *
 * A thread must hold its process's GIL to run. One that wants it while
 * another holds it waits (S, channel "gil") for switch_interval ticks; if
 * no hand-over happened meanwhile it sets the drop request, and the holder
 * gives the GIL up at its next tick boundary. The GIL goes straight to the
 * first waiter, so the thread that dropped it cannot take it back first
 * (FORCE_SWITCHING). Blocking (sleep, disk, wait, join, a lock...) releases
 * the GIL; the thread must win it back after waking. A thread preempted by
 * the OS scheduler keeps the GIL: the others still cannot run.
 *
 * Each waiter times out every switch_interval ticks from when it began
 * waiting (COND_TIMED_WAIT in take_gil), and asks for the drop at the first
 * time-out with no hand-over since its previous one. Rather than a timer per
 * waiter (1,000 threads: 200 time-outs a tick, nearly all doing nothing),
 * each process has one timer, set for the first tick a waiter will ask
 * (request_at); it is worked out again only when the GIL changes hands.
 */
#include "kernel.h"

#include "sched.h"

/* ---- the process's GIL timer, in the machine's gil_timers heap ---------- */

static bool gil_timer_less(const void *ctx, int x, int y)
{
    const struct machine *m = ctx;
    const struct proc *a = &m->procs[x], *b = &m->procs[y];
    if (a->gil_timer_at != b->gil_timer_at)
        return a->gil_timer_at < b->gil_timer_at;
    return a->gil_timer_tid < b->gil_timer_tid;
}

static void gil_timer_moved(void *ctx, int x, int pos)
{
    struct machine *m = ctx;
    m->procs[x].gil_timer_pos = pos;
}

static const struct heap_ops gil_timer_heap = { gil_timer_less, gil_timer_moved };

void gil_timer_cancel(struct machine *m, struct proc *p)
{
    if (p->gil_timer_pos >= 0)
        heap_remove(&m->gil_timers, p->gil_timer_pos, &gil_timer_heap, m);
    p->gil_timer_at = -1;
}

/* Set p's timer for tick `at`, when waiter `w` will ask (NULL: someone
 * may ask then, look when it fires). */
static void gil_timer_set(struct machine *m, struct proc *p, int64_t at,
                          const struct task *w)
{
    gil_timer_cancel(m, p);
    p->gil_timer_at = at;
    p->gil_timer_tid = w ? w->tid : 0;
    p->gil_timer_slot = w ? (int)(w - m->tasks) : -1;
    heap_push(&m->gil_timers, (int)(p - m->procs), &gil_timer_heap, m);
}

/* The first tick whose time-outs see p's last hand-over: its own tick if
 * it came before that tick's timers fired (step 1), else the next. */
static int64_t switch_seen(const struct proc *p)
{
    return p->gil_switch_tick + (p->gil_switch_early ? 0 : 1);
}

/* When waiter w asks for the drop if nothing changes: w times out at
 * gil_since + k * interval; it asks at its first time-out that follows one
 * (or its arrival) after the last hand-over. */
static int64_t request_at(const struct machine *m, const struct proc *p,
                          const struct task *w)
{
    int64_t iv = m->cfg.switch_interval;
    int64_t first = w->gil_since + iv;
    if (w->gil_switches == p->gil_switches)
        return first;                 /* it arrived after the hand-over */
    int64_t seen = switch_seen(p);
    int64_t k = seen <= first ? 0 : (seen - first + iv - 1) / iv;
    return first + (k + 1) * iv;
}

/* ---- the GIL ------------------------------------------------------------ */

static bool wants_gil(const struct machine *m, const struct task *t)
{
    return m->cfg.gil && t->prog != PROG_INIT;
}

/* Give the GIL to the first waiter, or leave it free. */
void gil_release(struct machine *m, struct proc *p)
{
    p->gil_holder = -1;
    p->gil_drop_request = false;
    int s = p->gil_head;
    if (s < 0) {
        gil_timer_cancel(m, p);
        return;
    }
    struct task *w = &m->tasks[s];
    task_unwait(m, w);
    p->gil_holder = s;
    p->gil_switches++;
    p->gil_switch_tick = m->tick;
    p->gil_switch_early = !m->timers_fired;
    /* Every waiter's next request moves; none comes before this. */
    if (p->gil_head >= 0)
        gil_timer_set(m, p, switch_seen(p) + m->cfg.switch_interval, NULL);
    else
        gil_timer_cancel(m, p);
    emit(m, EV_GIL_TAKE, 0, w, visible_tick(m) - w->gil_since, 0);
    task_make_runnable(m, w);
}

bool gil_try_take(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    int s = (int)(t - m->tasks);
    if (!wants_gil(m, t) || p->gil_holder == s)
        return true;
    if (p->gil_holder >= 0)
        return false;
    p->gil_holder = s;
    return true;
}

/* t (just given a CPU) cannot have the GIL: it waits for it. */
static void gil_wait(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    wq_push(m, &p->gil_head, &p->gil_tail, (int)(t - m->tasks));
    t->gil_since = m->tick;
    t->gil_switches = p->gil_switches;
    emit(m, EV_GIL_WAIT, 0, t, m->tasks[p->gil_holder].tid, 0);
    task_block(m, t, 'S', WC_GIL, -1);
    /* A newcomer asks one interval from now, maybe before anyone else. */
    int64_t at = m->tick + m->cfg.switch_interval;
    if (!p->gil_drop_request &&
        (p->gil_timer_at < 0 || at < p->gil_timer_at ||
         (at == p->gil_timer_at && t->tid < p->gil_timer_tid)))
        gil_timer_set(m, p, at, t);
}

/* The waiter of p that asks first, and when (lowest tid on a tie). */
static struct task *first_to_ask(struct machine *m, struct proc *p,
                                 int64_t *at)
{
    struct task *best = NULL;
    for (int s = p->gil_head; s >= 0; s = m->tasks[s].wq_next) {
        struct task *w = &m->tasks[s];
        int64_t r = request_at(m, p, w);
        if (!best || r < *at || (r == *at && w->tid < best->tid)) {
            best = w;
            *at = r;
        }
    }
    return best;
}

/* Step 2: p's timer is due. The waiter it was set for asks the holder to
 * drop the GIL, if it still waits and no hand-over came since; otherwise
 * look at every waiter and set the timer for the first to ask. */
void gil_timer_fire(struct machine *m, struct proc *p)
{
    int64_t at = p->gil_timer_at;
    int slot = p->gil_timer_slot;
    gil_timer_cancel(m, p);
    if (p->gil_head < 0 || p->gil_drop_request || p->gil_holder < 0)
        return;
    struct task *w = slot >= 0 ? &m->tasks[slot] : NULL;
    bool still = w && w->state == 'S' && w->wchan == WC_GIL &&
                 w->tid == p->gil_timer_tid && &m->procs[w->proc] == p &&
                 request_at(m, p, w) <= at;
    if (!still) {
        w = first_to_ask(m, p, &at);
        if (at < m->tick)
            at = m->tick;
        gil_timer_set(m, p, at, w);    /* at its place among this tick's */
        return;
    }
    p->gil_drop_request = true;
    emit(m, EV_GIL_DROP_REQUEST, 0, w, m->tasks[p->gil_holder].tid, 0);
}

/* Step 3, after the CPUs in `cpus` picked: a holder asked to drop the GIL
 * drops it; a task that does not hold it takes it if it is free, or waits,
 * and its CPU picks again. The task picked then acts on its signals first,
 * as every task does when it is about to run. */
void gil_step(struct machine *m, uint64_t cpus)
{
    if (!m->cfg.gil)
        return;
    for (; cpus; cpus &= cpus - 1) {
        int c = cpu_first(cpus);
        while (m->cpu_curr[c] >= 0) {
            struct task *t = &m->tasks[m->cpu_curr[c]];
            struct proc *p = proc_of(m, t);
            if (t->sigpending && !signal_act(m, t)) {
                machine_pick(m, c);
                continue;
            }
            if (p->gil_holder == m->cpu_curr[c] && p->gil_drop_request &&
                p->gil_head >= 0) {
                emit(m, EV_GIL_DROP, 0, t, m->tasks[p->gil_head].tid, 0);
                gil_release(m, p);
            }
            if (gil_try_take(m, t))
                break;
            gil_wait(m, t);
            machine_pick(m, c);
        }
    }
}
