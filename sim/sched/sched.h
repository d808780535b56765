/*
 * sched.h - a scheduling policy, in the shape of Linux's struct sched_class.
 *
 * The machine owns one run queue shared by all CPUs (kernel.h); a policy
 * decides the order of that queue, where new and woken tasks go, and when a
 * running task must give way. Each policy lives in its own file and exports
 * one const struct; adding a policy is one new file plus a line in
 * sched_policy_for().
 *
 * Who calls what (all from machine.c):
 *   enqueue       a task becomes runnable and is not on a CPU: spawned,
 *                 forked, woken, preempted or yielding (`how`)
 *   dequeue       a queued task leaves the queue without being picked
 *   pick_next     step 3, for a CPU that needs a task; removes it
 *   update_curr   step 4, a task ran one tick (before its statement runs)
 *   task_tick     step 4, after the tick, if the task is still on its CPU:
 *                 return a PRE_* reason + 1 to preempt it, 0 to keep it
 *   task_fork     a child is about to be enqueued for the first time
 *   check_preempt_wakeup
 *                 a task woke while `curr` runs: should it preempt curr?
 *   queue_order   the queue in pick order, for snapshots; returns the count
 *   slice_of      what a snapshot shows as the task's slice, in ticks
 * preempt=off is handled by the machine: task_tick and check_preempt_wakeup
 * are then not called.
 */
#ifndef PROCSIM_SCHED_H
#define PROCSIM_SCHED_H

#include "kernel.h"

enum enqueue_how {
    ENQ_NEW,                   /* spawned by init from outside */
    ENQ_FORK,                  /* a new child (after task_fork) */
    ENQ_WAKEUP,                /* woken from S or D */
    ENQ_PREEMPTED,             /* taken off its CPU before its slice ended */
    ENQ_SLICE,                 /* taken off its CPU because its slice ended */
    ENQ_YIELD,                 /* gave up its CPU with `yield` */
};

/* task.c: put a runnable task that is not on a CPU into the run queue. */
void task_enqueue(struct machine *m, struct task *t, enum enqueue_how how);

struct sched_policy {
    const char *name;
    void (*enqueue)(struct machine *m, struct task *t, enum enqueue_how how);
    void (*dequeue)(struct machine *m, struct task *t);
    struct task *(*pick_next)(struct machine *m);
    void (*update_curr)(struct machine *m, struct task *t);
    int (*task_tick)(struct machine *m, struct task *t);
    void (*task_fork)(struct machine *m, struct task *parent,
                      struct task *child);
    bool (*check_preempt_wakeup)(struct machine *m, struct task *curr,
                                 struct task *woken);
    int (*queue_order)(const struct machine *m, int *out);
    int (*slice_of)(const struct machine *m, const struct task *t);
};

extern const struct sched_policy sched_cfs;
extern const struct sched_policy sched_rr;
extern const struct sched_policy sched_fifo;

const struct sched_policy *sched_policy_for(enum policy p);

/* Linux's sched_prio_to_weight: nice -20..19 -> load weight. */
int sched_weight(int nice);

/* The FIFO list shared by rr and fifo (sched_list.c). */
void list_push_tail(struct machine *m, struct task *t);
void list_push_head(struct machine *m, struct task *t);
void list_remove(struct machine *m, struct task *t);
struct task *list_pop(struct machine *m);
int list_order(const struct machine *m, int *out);

#endif
