/* msgq.c - FIFOs of messages in one pool of nodes (see msgq.h). */
#include "msgq.h"

#include <stdlib.h>
#include <string.h>

void msgpool_init(struct msgpool *p)
{
    p->node = NULL;
    p->cap = 0;
    p->free = -1;
    p->used = 0;
}

void msgpool_free(struct msgpool *p)
{
    free(p->node);
    msgpool_init(p);
}

bool msgpool_clone(struct msgpool *dst, const struct msgpool *src)
{
    msgpool_init(dst);
    if (src->cap == 0)
        return true;
    dst->node = malloc((size_t)src->cap * sizeof *dst->node);
    if (!dst->node)
        return false;
    memcpy(dst->node, src->node, (size_t)src->cap * sizeof *dst->node);
    dst->cap = src->cap;
    dst->free = src->free;
    dst->used = src->used;
    return true;
}

/* A free node, the pool grown by half when full; -1 when out of memory. */
static int node_alloc(struct msgpool *p)
{
    if (p->free < 0) {
        int cap = p->cap ? p->cap + p->cap / 2 : 64;
        struct msgnode *n = realloc(p->node, (size_t)cap * sizeof *n);
        if (!n)
            return -1;
        /* Chain the new nodes lowest first, so allocation order (and with
         * it every run) does not depend on the growth history. */
        for (int i = cap - 1; i >= p->cap; i--) {
            n[i].next = p->free;
            p->free = i;
        }
        p->node = n;
        p->cap = cap;
    }
    int i = p->free;
    p->free = p->node[i].next;
    p->used++;
    return i;
}

static void node_release(struct msgpool *p, int i)
{
    p->node[i].v = v_none();
    p->node[i].next = p->free;
    p->free = i;
    p->used--;
}

bool msgq_push(struct msgpool *p, struct msgq *q, struct value v, uint32_t size,
               int from)
{
    int i = node_alloc(p);
    if (i < 0)
        return false;
    p->node[i] = (struct msgnode){ .v = v, .size = size, .from = from, .next = -1 };
    if (q->tail >= 0)
        p->node[q->tail].next = i;
    else
        q->head = i;
    q->tail = i;
    q->count++;
    q->bytes += size;
    return true;
}

bool msgq_push_front(struct msgpool *p, struct msgq *q, struct value v,
                     uint32_t size, int from)
{
    int i = node_alloc(p);
    if (i < 0)
        return false;
    p->node[i] = (struct msgnode){ .v = v, .size = size, .from = from, .next = q->head };
    q->head = i;
    if (q->tail < 0)
        q->tail = i;
    q->count++;
    q->bytes += size;
    return true;
}

bool msgq_insert_after(struct msgpool *p, struct msgq *q, int after, struct value v,
                       uint32_t size, int from)
{
    if (after < 0)
        return msgq_push_front(p, q, v, size, from);
    int i = node_alloc(p);
    if (i < 0)
        return false;
    p->node[i] = (struct msgnode){ .v = v, .size = size, .from = from,
                                   .next = p->node[after].next };
    p->node[after].next = i;
    if (q->tail == after)
        q->tail = i;
    q->count++;
    q->bytes += size;
    return true;
}

bool msgq_pop(struct msgpool *p, struct msgq *q, struct msgnode *out)
{
    int i = q->head;
    if (i < 0)
        return false;
    *out = p->node[i];
    q->head = p->node[i].next;
    if (q->head < 0)
        q->tail = -1;
    q->count--;
    q->bytes -= out->size;
    node_release(p, i);
    return true;
}

const struct msgnode *msgq_peek(const struct msgpool *p, const struct msgq *q)
{
    return q->head >= 0 ? &p->node[q->head] : NULL;
}

void msgq_clear(struct msgpool *p, struct msgq *q)
{
    struct msgnode n;
    while (msgq_pop(p, q, &n))
        ;
}

void msgq_mark(const struct msgpool *p, const struct msgq *q, struct vheap *h)
{
    for (int i = q->head; i >= 0; i = p->node[i].next)
        vheap_mark(h, p->node[i].v);
}
