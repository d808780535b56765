/*
 * sched_fifo.c - SCHED_FIFO: a task runs until it blocks, yields or exits.
 * New and woken tasks go to the tail; a task taken off its CPU before it
 * chose to (not possible here without priorities, but kept for the rule)
 * stays at the head; `yield` moves it to the tail (sched(7)).
 */
#include "sched.h"

static void fifo_enqueue(struct machine *m, struct task *t,
                         enum enqueue_how how)
{
    if (how == ENQ_PREEMPTED)
        list_push_head(m, t);
    else
        list_push_tail(m, t);
}

static void fifo_dequeue(struct machine *m, struct task *t)
{
    list_remove(m, t);
}

static struct task *fifo_pick_next(struct machine *m)
{
    return list_pop(m);
}

static void fifo_update_curr(struct machine *m, struct task *t)
{
    (void)m;
    (void)t;
}

static int fifo_task_tick(struct machine *m, struct task *t)
{
    (void)m;
    (void)t;
    return 0;
}

static void fifo_task_fork(struct machine *m, struct task *parent,
                           struct task *child)
{
    (void)m;
    (void)parent;
    (void)child;
}

static bool fifo_check_preempt_wakeup(struct machine *m, struct task *curr,
                                      struct task *woken)
{
    (void)m;
    (void)curr;
    (void)woken;
    return false;
}

static int fifo_slice_of(const struct machine *m, const struct task *t)
{
    (void)m;
    (void)t;
    return 0;
}

const struct sched_policy sched_fifo = {
    .name = "fifo",
    .enqueue = fifo_enqueue,
    .dequeue = fifo_dequeue,
    .pick_next = fifo_pick_next,
    .update_curr = fifo_update_curr,
    .task_tick = fifo_task_tick,
    .task_fork = fifo_task_fork,
    .check_preempt_wakeup = fifo_check_preempt_wakeup,
    .queue_order = list_order,
    .slice_of = fifo_slice_of,
};
