/*
 * sched_rr.c - SCHED_RR: SCHED_FIFO plus a quantum of `slice` ticks. When a
 * task's quantum runs out it gets a fresh one and, if anyone is waiting, goes
 * to the tail of the queue. A task that blocks keeps what is left of its
 * quantum for when it wakes, as Linux does.
 */
#include "sched.h"

static void rr_enqueue(struct machine *m, struct task *t, enum enqueue_how how)
{
    if (how == ENQ_PREEMPTED)
        list_push_head(m, t);
    else
        list_push_tail(m, t);
}

static void rr_dequeue(struct machine *m, struct task *t)
{
    list_remove(m, t);
}

static struct task *rr_pick_next(struct machine *m)
{
    return list_pop(m);
}

static void rr_update_curr(struct machine *m, struct task *t)
{
    (void)m;
    t->rr_left--;
}

static int rr_task_tick(struct machine *m, struct task *t)
{
    if (t->rr_left > 0)
        return 0;
    t->rr_left = m->cfg.slice;
    return m->nr_queued > 0 ? PRE_SLICE + 1 : 0;
}

static void rr_task_fork(struct machine *m, struct task *parent,
                         struct task *child)
{
    (void)parent;
    child->rr_left = m->cfg.slice;
}

static bool rr_check_preempt_wakeup(struct machine *m, struct task *curr,
                                    struct task *woken)
{
    (void)m;
    (void)curr;
    (void)woken;
    return false;
}

static int rr_slice_of(const struct machine *m, const struct task *t)
{
    (void)m;
    return t->rr_left;
}

const struct sched_policy sched_rr = {
    .name = "rr",
    .enqueue = rr_enqueue,
    .dequeue = rr_dequeue,
    .pick_next = rr_pick_next,
    .update_curr = rr_update_curr,
    .task_tick = rr_task_tick,
    .task_fork = rr_task_fork,
    .check_preempt_wakeup = rr_check_preempt_wakeup,
    .queue_order = list_order,
    .slice_of = rr_slice_of,
};
