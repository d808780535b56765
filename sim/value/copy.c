/*
 * copy.c - deep copies of values holding mutable objects, for what Python
 * copies: a forked child's memory and a pickled message. Lists, dicts and
 * instances are copied (an object reached twice is copied once, so
 * sharing inside the copied values is kept, as pickle and fork keep it);
 * tuples are copied only when they hold something mutable; strings, bytes
 * and numbers are shared (they never change).
 */
#include "vpriv.h"

#include <stdlib.h>
#include <string.h>

/* Deeper than this, a copy fails (CPython's pickle raises RecursionError
 * far earlier); it keeps the C stack safe. */
#define MAX_COPY_DEPTH 5000

bool v_is_mutable(const struct vheap *h, struct value v)
{
    const struct vobj *o = obj_of(h, v);
    return o && (vp_is_mutable_type(o->type) || o->dyn);
}

void v_copy_memo_free(struct vcopy_memo *m)
{
    free(m->from);
    free(m->to);
    memset(m, 0, sizeof *m);
}

/* from -> to, an open-addressing table (from 0: empty) */
static uint32_t *memo_slot(struct vcopy_memo *m, uint32_t from)
{
    uint32_t mask = m->cap - 1;
    for (uint32_t s = (from * 2654435761u) & mask;; s = (s + 1) & mask)
        if (m->from[s] == from || m->from[s] == 0)
            return &m->from[s];
}

static bool memo_put(struct vcopy_memo *m, uint32_t from, uint32_t to)
{
    if ((m->n + 1) * 2 > m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 64;
        uint32_t *f = calloc(cap, sizeof *f), *t = calloc(cap, sizeof *t);
        if (!f || !t) {
            free(f);
            free(t);
            return false;
        }
        struct vcopy_memo n = { f, t, 0, cap };
        for (uint32_t k = 0; k < m->cap; k++)
            if (m->from[k]) {
                uint32_t *s = memo_slot(&n, m->from[k]);
                *s = m->from[k];
                n.to[s - n.from] = m->to[k];
                n.n++;
            }
        free(m->from);
        free(m->to);
        *m = n;
    }
    uint32_t *s = memo_slot(m, from);
    *s = from;
    m->to[s - m->from] = to;
    m->n++;
    return true;
}

static bool memo_get(struct vcopy_memo *m, uint32_t from, uint32_t *to)
{
    if (!m->cap)
        return false;
    uint32_t *s = memo_slot(m, from);
    if (*s != from)
        return false;
    *to = m->to[s - m->from];
    return true;
}

static bool copy(struct vheap *h, struct value v, struct value *out, struct vcopy_memo *m,
                 int depth)
{
    *out = v;
    struct vobj *o = obj_of(h, v);
    if (!o || !(vp_is_mutable_type(o->type) || o->dyn))
        return true;
    uint32_t done;
    if (memo_get(m, v.ref, &done)) {
        out->ref = done;
        return true;
    }
    if (depth > MAX_COPY_DEPTH)
        return false;
    /* the copy first (empty), remembered before its items are copied, so
     * an object that holds itself is copied once */
    const char *msg;
    struct value c;
    uint32_t n = o->type == V_DICT ? 0 : o->n;
    if (o->type == V_DICT) {
        if (v_dict_new(h, &c) != VE_OK)
            return false;
    } else if (o->type == V_INST) {
        size_t len;
        const char *cls = v_inst_class(h, v, &len);
        char name[128];
        memcpy(name, cls, len < 127 ? len : 127);
        if (v_inst_new(h, name, len < 127 ? len : 127, &c) != VE_OK)
            return false;
    } else {
        struct value *dst;
        if (seq_alloc(h, o->type, n, &c, &dst, &msg) != VE_OK)
            return false;
        for (uint32_t k = 0; k < n; k++)
            dst[k] = v_none();
    }
    if (!memo_put(m, v.ref, c.ref))
        return false;
    if (o->type == V_DICT) {
        uint32_t pos = 0;
        struct value k, val, kc, vc;
        while (v_dict_next(h, v, &pos, &k, &val)) {
            if (!copy(h, k, &kc, m, depth + 1) || !copy(h, val, &vc, m, depth + 1) ||
                v_dict_set(h, c, kc, vc, &msg) != VE_OK)
                return false;
        }
    } else if (o->type == V_INST) {
        struct value attrs;
        if (!copy(h, vp_inst_attrs(h, v), &attrs, m, depth + 1))
            return false;
        obj_of(h, c)->items[1] = attrs;
    } else {
        for (uint32_t k = 0; k < n; k++) {
            struct value it;
            if (!copy(h, obj_of(h, v)->items[k], &it, m, depth + 1))
                return false;
            obj_of(h, c)->items[k] = it;
        }
        obj_done(h, c);
    }
    *out = c;
    return true;
}

bool v_deep_copy(struct vheap *h, struct value v, struct value *out,
                 struct vcopy_memo *memo)
{
    struct vcopy_memo local = { 0 };
    bool ok = copy(h, v, out, memo ? memo : &local, 0);
    if (!memo)
        v_copy_memo_free(&local);
    if (!ok)
        *out = v;
    return ok;
}
