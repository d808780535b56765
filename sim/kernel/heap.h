/*
 * heap.h - a binary min-heap of slot numbers that knows where each slot is,
 * so any entry can be removed in O(log n). The run queue (cfs) and the
 * timer list use it.
 *
 * The heap stores ints; the caller says how to order two of them (`less`)
 * and is told where each one moves (`moved`, -1 when it leaves), so it can
 * keep the position in its own struct.
 */
#ifndef PROCSIM_HEAP_H
#define PROCSIM_HEAP_H

#include <stdbool.h>
#include <stdint.h>

struct heap {
    int *a;                    /* slots, a[0] is the least */
    int n, cap;
};

struct heap_ops {
    bool (*less)(const void *ctx, int x, int y);
    void (*moved)(void *ctx, int x, int pos);
};

/* Returns false when out of memory (the heap is unchanged). */
bool heap_push(struct heap *h, int x, const struct heap_ops *ops, void *ctx);
/* Remove the entry at position pos. */
void heap_remove(struct heap *h, int pos, const struct heap_ops *ops, void *ctx);
static inline int heap_top(const struct heap *h) { return h->n ? h->a[0] : -1; }
/* A copy with its own array; false when out of memory. */
bool heap_copy(struct heap *dst, const struct heap *src);
void heap_free(struct heap *h);

/* A heap whose entries carry their own sort key (key, then tie), copied in
 * when pushed: ordering reads only the heap's own array, never the objects
 * (a task is 400 bytes; its key 16). For objects whose key does not change
 * while they are in the heap, like a queued task's vruntime. */
struct kentry {
    int64_t key;
    int32_t tie;
    int32_t x;                 /* the slot */
};

struct kheap {
    struct kentry *a;          /* a[0] is the least */
    int n, cap;
};

/* `moved` is told where x now is (-1 when it leaves), as for struct heap. */
bool kheap_push(struct kheap *h, int x, int64_t key, int32_t tie,
                void (*moved)(void *ctx, int x, int pos), void *ctx);
void kheap_remove(struct kheap *h, int pos,
                  void (*moved)(void *ctx, int x, int pos), void *ctx);
static inline int kheap_top(const struct kheap *h) { return h->n ? h->a[0].x : -1; }
bool kheap_copy(struct kheap *dst, const struct kheap *src);
void kheap_free(struct kheap *h);

#endif
