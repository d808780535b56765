/*
 * muxstate.c - the state of select, poll and epoll (mux.h): instances,
 * entries and per-task records in growable arrays with free lists, made on
 * first use, copied with the machine (checkpoints) and freed with it.
 */
#include "mux.h"

#include <stdlib.h>

struct muxstate *mux_state(struct machine *m)
{
    if (!m->muxst) {
        m->muxst = calloc(1, sizeof *m->muxst);
        if (!m->muxst) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            return NULL;
        }
        m->muxst->mux_free = m->muxst->ent_free = -1;
    }
    return m->muxst;
}

/* Double an array of slots, chaining the new ones on a free list through
 * the int at offset `link` of each; false out of memory. */
static bool grow_slots(void **arr, int *cap, int *free_head, size_t size, size_t link)
{
    int n = *cap ? *cap * 2 : 16;
    char *a = realloc(*arr, (size_t)n * size);
    if (!a)
        return false;
    memset(a + (size_t)*cap * size, 0, (size_t)(n - *cap) * size);
    for (int i = n - 1; i >= *cap; i--) {
        memcpy(a + (size_t)i * size + link, free_head, sizeof *free_head);
        *free_head = i;
    }
    *arr = a;
    *cap = n;
    return true;
}

int mux_new(struct machine *m, enum mux_kind kind)
{
    struct muxstate *ms = mux_state(m);
    if (!ms)
        return -1;
    if (ms->mux_free < 0 && !grow_slots((void **)&ms->mux, &ms->mux_cap, &ms->mux_free,
                                        sizeof *ms->mux,
                                        offsetof(struct kmux, next_free))) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return -1;
    }
    int i = ms->mux_free;
    struct kmux *x = &ms->mux[i];
    ms->mux_free = x->next_free;
    *x = (struct kmux){ .used = true, .kind = (uint8_t)kind, .id = ++ms->mux_serial,
                        .watch = -1, .head = -1, .tail = -1, .rdhead = -1, .rdtail = -1,
                        .next_free = -1 };
    return i;
}

int muxent_new(struct machine *m, int mx)
{
    struct muxstate *ms = m->muxst;
    if (ms->ent_free < 0 && !grow_slots((void **)&ms->ent, &ms->ent_cap, &ms->ent_free,
                                        sizeof *ms->ent, offsetof(struct muxent, next))) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return -1;
    }
    int e = ms->ent_free;
    struct muxent *x = &ms->ent[e];
    ms->ent_free = x->next;
    struct kmux *k = &ms->mux[mx];
    *x = (struct muxent){ .used = true, .mux = mx, .w = -1, .rdnext = -1, .next = -1,
                          .prev = k->tail, .data = v_none() };
    if (k->tail >= 0)
        ms->ent[k->tail].next = e;
    else
        k->head = e;
    k->tail = e;
    k->n++;
    return e;
}

void muxent_free(struct machine *m, int e)
{
    struct muxstate *ms = m->muxst;
    struct muxent *x = &ms->ent[e];
    struct kmux *k = &ms->mux[x->mux];
    if (x->prev >= 0)
        ms->ent[x->prev].next = x->next;
    else
        k->head = x->next;
    if (x->next >= 0)
        ms->ent[x->next].prev = x->prev;
    else
        k->tail = x->prev;
    k->n--;
    x->used = false;
    x->next = ms->ent_free;
    ms->ent_free = e;
}

int mux_find(struct machine *m, int mx, int fd, int32_t key)
{
    const struct muxstate *ms = m->muxst;
    if (ms->mux[mx].kind == MK_EPOLL && key) {
        /* epoll: its entries watch their files; a file has few watches, so
         * looking there costs the same with 10,000 entries as with 3 (poll
         * objects and selectors keep an index by fd, as CPython's dicts) */
        const struct file_ops *ops = file_ops_of(key);
        for (int w = ops && ops->watch_head ? *ops->watch_head(m, FILE_INDEX(key)) : -1;
             w >= 0; w = m->fw[w].next)
            if (m->fw[w].kind == FW_EPOLL && m->fw[w].owner == mx && m->fw[w].fd == fd)
                return (int)m->fw[w].data;
        return -1;
    }
    const struct kmux *k = &ms->mux[mx];
    return fd >= 0 && fd < k->byfd_cap ? k->byfd[fd] - 1 : -1;
}

bool mux_index(struct machine *m, int mx, int fd, int e)
{
    struct kmux *k = &m->muxst->mux[mx];
    if (fd >= k->byfd_cap) {
        int n = k->byfd_cap ? k->byfd_cap : 64;
        while (n <= fd)
            n *= 2;
        int *b = realloc(k->byfd, (size_t)n * sizeof *b);
        if (!b) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            return false;
        }
        memset(b + k->byfd_cap, 0, (size_t)(n - k->byfd_cap) * sizeof *b);
        k->byfd = b;
        k->byfd_cap = n;
    }
    k->byfd[fd] = e + 1;
    return true;
}

struct muxrec *mux_rec(struct machine *m, const struct task *t)
{
    struct muxstate *ms = mux_state(m);
    if (!ms)
        return NULL;
    int s = (int)(t - m->tasks);
    if (s >= ms->rec_cap) {
        int n = ms->rec_cap ? ms->rec_cap : 16;
        while (n <= s)
            n *= 2;
        struct muxrec *r = realloc(ms->rec, (size_t)n * sizeof *r);
        if (!r) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            return NULL;
        }
        memset(r + ms->rec_cap, 0, (size_t)(n - ms->rec_cap) * sizeof *r);
        ms->rec = r;
        ms->rec_cap = n;
    }
    struct muxrec *r = &ms->rec[s];
    if (!r->used || r->tid != t->tid)
        *r = (struct muxrec){ .used = true, .tid = t->tid, .epfd = -1, .mux = -1,
                              .nready = -1 };
    return r;
}

bool mux_clone(struct machine *dst, const struct machine *src)
{
    dst->muxst = NULL;
    const struct muxstate *s = src->muxst;
    if (!s)
        return true;
    struct muxstate *d = malloc(sizeof *d);
    if (!d)
        return false;
    *d = *s;
    d->mux = s->mux_cap ? malloc((size_t)s->mux_cap * sizeof *d->mux) : NULL;
    d->ent = s->ent_cap ? malloc((size_t)s->ent_cap * sizeof *d->ent) : NULL;
    d->rec = s->rec_cap ? malloc((size_t)s->rec_cap * sizeof *d->rec) : NULL;
    dst->muxst = d;
    if ((s->mux_cap && !d->mux) || (s->ent_cap && !d->ent) || (s->rec_cap && !d->rec)) {
        free(d->mux);
        d->mux = NULL;
        mux_free(dst);
        return false;
    }
    if (s->mux_cap)
        memcpy(d->mux, s->mux, (size_t)s->mux_cap * sizeof *d->mux);
    if (s->ent_cap)
        memcpy(d->ent, s->ent, (size_t)s->ent_cap * sizeof *d->ent);
    if (s->rec_cap)
        memcpy(d->rec, s->rec, (size_t)s->rec_cap * sizeof *d->rec);
    for (int i = 0; i < s->mux_cap; i++)
        d->mux[i].byfd = NULL;
    for (int i = 0; i < s->mux_cap; i++) {
        const struct kmux *k = &s->mux[i];
        if (!k->used || !k->byfd)
            continue;
        d->mux[i].byfd = malloc((size_t)k->byfd_cap * sizeof *k->byfd);
        if (!d->mux[i].byfd) {
            mux_free(dst);
            return false;
        }
        memcpy(d->mux[i].byfd, k->byfd, (size_t)k->byfd_cap * sizeof *k->byfd);
    }
    return true;
}

void mux_free(struct machine *m)
{
    if (!m->muxst)
        return;
    for (int i = 0; m->muxst->mux && i < m->muxst->mux_cap; i++)
        if (m->muxst->mux[i].used)
            free(m->muxst->mux[i].byfd);
    free(m->muxst->mux);
    free(m->muxst->ent);
    free(m->muxst->rec);
    free(m->muxst);
    m->muxst = NULL;
}

void mux_mark(struct machine *m)
{
    const struct muxstate *ms = m->muxst;
    for (int e = 0; ms && e < ms->ent_cap; e++)
        if (ms->ent[e].used)
            vheap_mark(&m->heap, ms->ent[e].data);
}
