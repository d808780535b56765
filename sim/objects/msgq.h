/*
 * msgq.h - FIFOs of messages (values with their size in bytes), the buffer
 * inside every pipe and queue.
 *
 * Every FIFO of a machine takes its nodes from one pool (struct msgpool),
 * a flat array with a free list, so a machine with all its messages is
 * copied with one memcpy (machine_clone), and memory follows what is in
 * flight at the busiest moment, not what has passed through.
 */
#ifndef PROCSIM_MSGQ_H
#define PROCSIM_MSGQ_H

#include <stdbool.h>
#include <stdint.h>

#include "value.h"

struct msgnode {
    struct value v;            /* the message */
    uint32_t size;             /* its size in bytes (v_msg_size) */
    int from;                  /* pid of the process that sent it, 0 none */
    int next;                  /* the next node of its FIFO (or of the free
                                  list), -1 */
};

struct msgpool {
    struct msgnode *node;
    int cap;
    int free;                  /* first free node, -1 */
    int used;                  /* nodes in FIFOs */
};

struct msgq {
    int head, tail;            /* node indices, -1 when empty */
    int count;                 /* messages in it */
    int64_t bytes;             /* their sizes added up */
};

void msgpool_init(struct msgpool *p);
void msgpool_free(struct msgpool *p);
/* dst becomes a copy of src (dst initialised here); false when out of
 * memory (dst is then empty). */
bool msgpool_clone(struct msgpool *dst, const struct msgpool *src);

static inline void msgq_init(struct msgq *q)
{
    q->head = q->tail = -1;
    q->count = 0;
    q->bytes = 0;
}

/* Append a message; false when out of memory. */
bool msgq_push(struct msgpool *p, struct msgq *q, struct value v, uint32_t size,
               int from);
/* Put a message back at the front (a partial read's remainder, a LIFO). */
bool msgq_push_front(struct msgpool *p, struct msgq *q, struct value v,
                     uint32_t size, int from);
/* Insert a message after node `after` of q (-1: at the front), for an
 * ordered FIFO (a PriorityQueue); false when out of memory. */
bool msgq_insert_after(struct msgpool *p, struct msgq *q, int after, struct value v,
                       uint32_t size, int from);
/* Take the first message into *out; false when empty. */
bool msgq_pop(struct msgpool *p, struct msgq *q, struct msgnode *out);
/* The first message, or NULL. */
const struct msgnode *msgq_peek(const struct msgpool *p, const struct msgq *q);
/* The message after `n` in its FIFO, or NULL (for walking one). */
static inline const struct msgnode *msgq_next(const struct msgpool *p,
                                              const struct msgnode *n)
{
    return n->next >= 0 ? &p->node[n->next] : NULL;
}
/* Drop every message. */
void msgq_clear(struct msgpool *p, struct msgq *q);
/* Mark the values of a FIFO as reachable (garbage collection). */
void msgq_mark(const struct msgpool *p, const struct msgq *q, struct vheap *h);

#endif
