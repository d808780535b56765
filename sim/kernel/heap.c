/* heap.c - an indexed binary min-heap (see heap.h). */
#include "heap.h"

#include <stdlib.h>
#include <string.h>

static void place(struct heap *h, int pos, int x, const struct heap_ops *ops,
                  void *ctx)
{
    h->a[pos] = x;
    ops->moved(ctx, x, pos);
}

static void sift_up(struct heap *h, int pos, const struct heap_ops *ops,
                    void *ctx)
{
    int x = h->a[pos];
    while (pos > 0) {
        int parent = (pos - 1) / 2;
        if (!ops->less(ctx, x, h->a[parent]))
            break;
        place(h, pos, h->a[parent], ops, ctx);
        pos = parent;
    }
    place(h, pos, x, ops, ctx);
}

static void sift_down(struct heap *h, int pos, const struct heap_ops *ops,
                      void *ctx)
{
    int x = h->a[pos];
    for (;;) {
        int c = 2 * pos + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && ops->less(ctx, h->a[c + 1], h->a[c]))
            c++;
        if (!ops->less(ctx, h->a[c], x))
            break;
        place(h, pos, h->a[c], ops, ctx);
        pos = c;
    }
    place(h, pos, x, ops, ctx);
}

bool heap_push(struct heap *h, int x, const struct heap_ops *ops, void *ctx)
{
    if (h->n == h->cap) {
        int cap = h->cap ? h->cap * 2 : 64;
        int *a = realloc(h->a, (size_t)cap * sizeof *a);
        if (!a)
            return false;
        h->a = a;
        h->cap = cap;
    }
    h->a[h->n++] = x;
    sift_up(h, h->n - 1, ops, ctx);
    return true;
}

void heap_remove(struct heap *h, int pos, const struct heap_ops *ops, void *ctx)
{
    int gone = h->a[pos];
    int last = h->a[--h->n];
    ops->moved(ctx, gone, -1);
    if (pos == h->n)
        return;
    h->a[pos] = last;
    /* The entry moved into the hole may belong above or below it. */
    if (pos > 0 && ops->less(ctx, last, h->a[(pos - 1) / 2]))
        sift_up(h, pos, ops, ctx);
    else
        sift_down(h, pos, ops, ctx);
}

bool heap_copy(struct heap *dst, const struct heap *src)
{
    dst->n = src->n;
    dst->cap = src->n;
    dst->a = NULL;
    if (src->n == 0)
        return true;
    dst->a = malloc((size_t)src->n * sizeof *dst->a);
    if (!dst->a)
        return false;
    memcpy(dst->a, src->a, (size_t)src->n * sizeof *dst->a);
    return true;
}

void heap_free(struct heap *h)
{
    free(h->a);
    h->a = NULL;
    h->n = h->cap = 0;
}

/* ---- the keyed heap ---------------------------------------------------- */

static bool kless(const struct kentry *a, const struct kentry *b)
{
    return a->key != b->key ? a->key < b->key : a->tie < b->tie;
}

static void kplace(struct kheap *h, int pos, struct kentry e,
                   void (*moved)(void *, int, int), void *ctx)
{
    h->a[pos] = e;
    moved(ctx, e.x, pos);
}

static void ksift_up(struct kheap *h, int pos, void (*moved)(void *, int, int),
                     void *ctx)
{
    struct kentry e = h->a[pos];
    while (pos > 0) {
        int parent = (pos - 1) / 2;
        if (!kless(&e, &h->a[parent]))
            break;
        kplace(h, pos, h->a[parent], moved, ctx);
        pos = parent;
    }
    kplace(h, pos, e, moved, ctx);
}

static void ksift_down(struct kheap *h, int pos, void (*moved)(void *, int, int),
                       void *ctx)
{
    struct kentry e = h->a[pos];
    for (;;) {
        int c = 2 * pos + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && kless(&h->a[c + 1], &h->a[c]))
            c++;
        if (!kless(&h->a[c], &e))
            break;
        kplace(h, pos, h->a[c], moved, ctx);
        pos = c;
    }
    kplace(h, pos, e, moved, ctx);
}

bool kheap_push(struct kheap *h, int x, int64_t key, int32_t tie,
                void (*moved)(void *ctx, int x, int pos), void *ctx)
{
    if (h->n == h->cap) {
        int cap = h->cap ? h->cap * 2 : 64;
        struct kentry *a = realloc(h->a, (size_t)cap * sizeof *a);
        if (!a)
            return false;
        h->a = a;
        h->cap = cap;
    }
    h->a[h->n++] = (struct kentry){ key, tie, x };
    ksift_up(h, h->n - 1, moved, ctx);
    return true;
}

void kheap_remove(struct kheap *h, int pos,
                  void (*moved)(void *ctx, int x, int pos), void *ctx)
{
    int gone = h->a[pos].x;
    struct kentry last = h->a[--h->n];
    moved(ctx, gone, -1);
    if (pos == h->n)
        return;
    h->a[pos] = last;
    /* The entry moved into the hole may belong above or below it. */
    if (pos > 0 && kless(&last, &h->a[(pos - 1) / 2]))
        ksift_up(h, pos, moved, ctx);
    else
        ksift_down(h, pos, moved, ctx);
}

bool kheap_copy(struct kheap *dst, const struct kheap *src)
{
    dst->n = src->n;
    dst->cap = src->n;
    dst->a = NULL;
    if (src->n == 0)
        return true;
    dst->a = malloc((size_t)src->n * sizeof *dst->a);
    if (!dst->a)
        return false;
    memcpy(dst->a, src->a, (size_t)src->n * sizeof *dst->a);
    return true;
}

void kheap_free(struct kheap *h)
{
    free(h->a);
    h->a = NULL;
    h->n = h->cap = 0;
}
