/*
 * queue.c - queues (issue 11): multiprocessing.Queue with its feeder
 * threads, JoinableQueue, and the thread queues of Python's queue module.
 */
#include "kernel.h"
#include "snapshot.h"

/* Values held by queues (garbage collection roots). */
void queues_mark(struct machine *m)
{
    (void)m;
}

/* The queues, for front ends (appended to out->chans after the pipes). */
void queues_snapshot(const struct machine *m, struct snapshot *out)
{
    (void)m;
    (void)out;
}
