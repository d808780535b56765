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
 */
#include "kernel.h"

#include "sched.h"

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
    if (s < 0)
        return;
    struct task *w = &m->tasks[s];
    task_unwait(m, w);
    p->gil_holder = s;
    p->gil_switches++;
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
    int s = (int)(t - m->tasks);
    t->wq_next = -1;
    if (p->gil_tail >= 0)
        m->tasks[p->gil_tail].wq_next = s;
    else
        p->gil_head = s;
    p->gil_tail = s;
    t->gil_since = m->tick;
    t->gil_switches = p->gil_switches;
    emit(m, EV_GIL_WAIT, 0, t, m->tasks[p->gil_holder].tid, 0);
    task_block(m, t, 'S', WC_GIL, m->cfg.switch_interval - 1);
}

/* A waiter's interval ran out (its timer fired): if the GIL has not changed
 * hands since it began waiting, ask the holder to drop it. Either way it
 * waits on, for another interval. */
void gil_timeout(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    if (p->gil_switches == t->gil_switches && !p->gil_drop_request &&
        p->gil_holder >= 0) {
        p->gil_drop_request = true;
        emit(m, EV_GIL_DROP_REQUEST, 0, t, m->tasks[p->gil_holder].tid, 0);
    }
    t->gil_switches = p->gil_switches;
    task_rearm(m, t, m->cfg.switch_interval);
}

/* Step 3, after the CPUs in `cpus` picked: a holder asked to drop the GIL
 * drops it; a task that does not hold it takes it if it is free, or waits,
 * and its CPU picks again. */
void gil_step(struct machine *m, uint64_t cpus)
{
    if (!m->cfg.gil)
        return;
    for (int c = 0; c < m->cfg.cpus; c++) {
        while ((cpus >> c & 1) && m->cpu_curr[c] >= 0) {
            struct task *t = &m->tasks[m->cpu_curr[c]];
            struct proc *p = proc_of(m, t);
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
