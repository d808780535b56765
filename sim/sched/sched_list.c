/*
 * sched_list.c - the run queue as a plain list, for the rr and fifo
 * policies: O(1) at both ends, picks from the head.
 */
#include "sched.h"

void list_push_tail(struct machine *m, struct task *t)
{
    int slot = (int)(t - m->tasks);
    t->rq_next = -1;
    t->rq_prev = m->rq_tail;
    if (m->rq_tail >= 0)
        m->tasks[m->rq_tail].rq_next = slot;
    else
        m->rq_head = slot;
    m->rq_tail = slot;
}

void list_push_head(struct machine *m, struct task *t)
{
    int slot = (int)(t - m->tasks);
    t->rq_prev = -1;
    t->rq_next = m->rq_head;
    if (m->rq_head >= 0)
        m->tasks[m->rq_head].rq_prev = slot;
    else
        m->rq_tail = slot;
    m->rq_head = slot;
}

void list_remove(struct machine *m, struct task *t)
{
    if (t->rq_prev >= 0)
        m->tasks[t->rq_prev].rq_next = t->rq_next;
    else
        m->rq_head = t->rq_next;
    if (t->rq_next >= 0)
        m->tasks[t->rq_next].rq_prev = t->rq_prev;
    else
        m->rq_tail = t->rq_prev;
    t->rq_next = t->rq_prev = -1;
}

struct task *list_pop(struct machine *m)
{
    if (m->rq_head < 0)
        return NULL;
    struct task *t = &m->tasks[m->rq_head];
    list_remove(m, t);
    return t;
}

int list_order(const struct machine *m, int *out)
{
    int n = 0;
    for (int s = m->rq_head; s >= 0; s = m->tasks[s].rq_next)
        out[n++] = s;
    return n;
}
