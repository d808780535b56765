/*
 * list.c - lists as Python's (mutable, growing in place, shared by
 * reference), item assignment and deletion, slices, `in`, `is`, the
 * iteration that `for` and list() share, and a stable sort.
 */
#include "vpriv.h"

#include <stdlib.h>
#include <string.h>


bool vp_index(int64_t *k, int64_t len)
{
    if (*k < 0)
        *k += len;
    return *k >= 0 && *k < len;
}

enum verr vp_list(struct vheap *h, const struct value *items, uint32_t n,
                  struct value *out, const char **msg)
{
    struct value *dst;
    enum verr e = seq_alloc(h, V_LIST, n, out, &dst, msg);
    if (e != VE_OK)
        return e;
    if (n)
        memcpy(dst, items, n * sizeof *items);
    obj_done(h, *out);
    return VE_OK;
}

/* Room for `more` items in list l (doubling). The object may move:
 * callers re-read h->obj[l.ref] after. */
static enum verr reserve(struct vheap *h, struct value l, uint32_t more, const char **msg)
{
    struct vobj *o = h->obj[l.ref];
    if ((uint64_t)o->n + more <= o->cap)
        return VE_OK;
    uint64_t cap = o->cap ? o->cap : 4;
    while (cap < (uint64_t)o->n + more)
        cap *= 2;
    if (cap * sizeof(struct value) > VALUE_MAX_OBJECT)
        cap = (uint64_t)o->n + more;
    enum verr e = resize_obj(h, l.ref, (size_t)cap * sizeof(struct value), msg);
    if (e != VE_OK)
        return e;
    h->obj[l.ref]->cap = (uint32_t)cap;
    return VE_OK;
}

static struct vobj *list_obj(const struct vheap *h, struct value l)
{
    struct vobj *o = obj_of(h, l);
    return o && o->type == V_LIST ? o : NULL;
}

enum verr v_list_append(struct vheap *h, struct value list, struct value item,
                        const char **msg)
{
    if (!list_obj(h, list)) {
        *msg = "append to a value that is not a list";
        return VE_TYPE;
    }
    enum verr e = reserve(h, list, 1, msg);
    if (e != VE_OK)
        return e;
    struct vobj *o = h->obj[list.ref];
    o->items[o->n++] = item;
    return VE_OK;
}

/* list.insert(i, x) with Python's clamping of i */
enum verr vp_list_insert(struct vheap *h, struct value list, int64_t i, struct value item,
                         const char **msg)
{
    enum verr e = reserve(h, list, 1, msg);
    if (e != VE_OK)
        return e;
    struct vobj *o = h->obj[list.ref];
    int64_t n = o->n;
    if (i < 0)
        i = i + n < 0 ? 0 : i + n;
    if (i > n)
        i = n;
    memmove(o->items + i + 1, o->items + i, (size_t)(n - i) * sizeof *o->items);
    o->items[i] = item;
    o->n++;
    return VE_OK;
}

/* Extend list with the items of a list or tuple (copied first: l.extend(l)). */
enum verr vp_list_extend(struct vheap *h, struct value list, const struct value *items,
                         uint32_t n, const char **msg)
{
    struct value small[8], *copy = n <= 8 ? small : malloc(n * sizeof *copy);
    if (!copy) {
        *msg = VP_MSG_NO_MEMORY;
        return VE_MEMORY;
    }
    if (n)
        memcpy(copy, items, n * sizeof *copy);
    enum verr e = reserve(h, list, n, msg);
    if (e == VE_OK) {
        struct vobj *o = h->obj[list.ref];
        if (n)
            memcpy(o->items + o->n, copy, n * sizeof *copy);
        o->n += n;
    }
    if (copy != small)
        free(copy);
    return e;
}

/* Remove item i (valid) of a list. */
void vp_list_remove_at(struct vheap *h, struct value list, uint32_t i)
{
    struct vobj *o = h->obj[list.ref];
    memmove(o->items + i, o->items + i + 1, (o->n - i - 1) * sizeof *o->items);
    o->n--;
}

void vp_list_clear(struct vheap *h, struct value list)
{
    struct vobj *o = list_obj(h, list);
    if (o)
        o->n = 0;
}

enum verr v_setitem(struct vheap *h, struct value c, struct value key,
                    struct value val, const char **msg)
{
    char b1[64], b2[64];
    if (c.type == V_DICT)
        return v_dict_set(h, c, key, val, msg);
    if (c.type == V_LIST) {
        if (!v_is_int(key)) {
            *msg = vp_msg(h, "list indices must be integers or slices, not %s",
                          vp_tname(h, key, b2));
            return VE_TYPE;
        }
        struct vobj *o = list_obj(h, c);
        int64_t k = vp_int_of(key);
        if (!o || !vp_index(&k, o->n)) {
            *msg = "list assignment index out of range";
            return VE_INDEX;
        }
        o->items[k] = val;
        return VE_OK;
    }
    *msg = vp_msg(h, "'%s' object does not support item assignment", vp_tname(h, c, b1));
    return VE_TYPE;
}

enum verr v_delitem(struct vheap *h, struct value c, struct value key,
                    const char **msg)
{
    char b1[64], b2[64];
    if (c.type == V_DICT) {
        enum verr e = v_dict_del(h, c, key, NULL, msg);
        if (e == VE_KEY) {
            char buf[300];
            v_format(h, key, true, buf, sizeof buf);
            *msg = vp_msg(h, "%s", buf);
        }
        return e;
    }
    if (c.type == V_LIST) {
        if (!v_is_int(key)) {
            *msg = vp_msg(h, "list indices must be integers or slices, not %s",
                          vp_tname(h, key, b2));
            return VE_TYPE;
        }
        struct vobj *o = list_obj(h, c);
        int64_t k = vp_int_of(key);
        if (!o || !vp_index(&k, o->n)) {
            *msg = "list assignment index out of range";
            return VE_INDEX;
        }
        vp_list_remove_at(h, c, (uint32_t)k);
        return VE_OK;
    }
    *msg = vp_msg(h, "'%s' object doesn't support item deletion", vp_tname(h, c, b1));
    return VE_TYPE;
}

/* Python's PySlice_AdjustIndices over a length */
static bool slice_part(struct value v, int64_t *out, const char **msg)
{
    if (v.type == V_NONE)
        return true;
    if (!v_is_int(v)) {
        *msg = "slice indices must be integers or None or have an __index__ method";
        return false;
    }
    *out = vp_int_of(v);
    return true;
}

enum verr v_slice(struct vheap *h, struct value a, struct value lo,
                  struct value hi, struct value step, struct value *out,
                  const char **msg)
{
    char b1[64];
    bool text = a.type == V_STR || a.type == V_BYTES;
    if (!text && a.type != V_LIST && a.type != V_TUPLE) {
        *msg = vp_msg(h, "'%s' object is not subscriptable", vp_tname(h, a, b1));
        return VE_TYPE;
    }
    int64_t st = 1;
    if (!slice_part(step, &st, msg))
        return VE_TYPE;
    if (st == 0) {
        *msg = "slice step cannot be zero";
        return VE_VALUE;
    }
    /* the length in characters (a str) or items */
    const struct vobj *o = obj_of(h, a);
    int64_t len = !o ? 0 : a.type == V_STR ? o->chars : o->n;
    int64_t start = st < 0 ? len - 1 : 0, stop = st < 0 ? -1 : len;
    bool has_lo = lo.type != V_NONE, has_hi = hi.type != V_NONE;
    if (!slice_part(lo, &start, msg) || !slice_part(hi, &stop, msg))
        return VE_TYPE;
    if (has_lo) {
        if (start < 0)
            start = start + len < 0 ? (st < 0 ? -1 : 0) : start + len;
        else if (start >= len)
            start = st < 0 ? len - 1 : len;
    }
    if (has_hi) {
        if (stop < 0)
            stop = stop + len < 0 ? (st < 0 ? -1 : 0) : stop + len;
        else if (stop >= len)
            stop = st < 0 ? len - 1 : len;
    }
    int64_t count = 0;
    if (st > 0 && stop > start)
        count = (stop - start - 1) / st + 1;
    else if (st < 0 && stop < start)
        count = (start - stop - 1) / (-st) + 1;
    if (!text) {
        struct value *dst;
        enum verr e = seq_alloc(h, a.type, (size_t)count, out, &dst, msg);
        if (e != VE_OK)
            return e;
        o = obj_of(h, a);
        for (int64_t k = 0; k < count; k++)
            dst[k] = o->items[start + k * st];
        obj_done(h, *out);
        return VE_OK;
    }
    /* strings: characters may be several bytes (UTF-8) */
    size_t n;
    const char *s = v_str_data(h, a, &n);
    size_t *offs = NULL;
    if (a.type == V_STR && (int64_t)n != len) {
        offs = malloc(((size_t)len + 1) * sizeof *offs);
        if (!offs) {
            *msg = VP_MSG_NO_MEMORY;
            return VE_MEMORY;
        }
        size_t off = 0;
        for (int64_t k = 0; k < len; k++) {
            offs[k] = off;
            off += char_len((const unsigned char *)s + off, n - off);
        }
        offs[len] = n;
    }
    struct vbuf b = { 0 };
    for (int64_t k = 0; k < count; k++) {
        int64_t c = start + k * st;
        if (offs)
            vb_add(&b, s + offs[c], offs[c + 1] - offs[c]);
        else
            vb_add(&b, s + c, 1);
    }
    free(offs);
    return vb_finish(&b, h, a.type, out, msg);
}

enum verr v_contains(const struct vheap *h, struct value c, struct value item,
                     bool *out, const char **msg)
{
    char b1[64];
    if (c.type == V_LIST || c.type == V_TUPLE) {
        uint32_t n;
        const struct value *items = v_items(h, c, &n);
        *out = false;
        for (uint32_t i = 0; i < n && !*out; i++)
            *out = v_is(item, items[i]) || v_equal(h, item, items[i]);
        return VE_OK;
    }
    if (c.type == V_DICT) {
        struct value v;
        return v_dict_get(h, c, item, &v, out, msg);
    }
    if (c.type == V_STR || c.type == V_BYTES) {
        if (c.type == V_BYTES && v_is_int(item)) {
            size_t nb;
            const char *sb = v_str_data(h, c, &nb);
            int64_t x = vp_int_of(item);
            *out = x >= 0 && x < 256 && memchr(sb, (int)x, nb) != NULL;
            return VE_OK;
        }
        if (item.type != c.type) {
            *msg = c.type == V_STR
                ? vp_msg(h, "'in <string>' requires string as left operand, not %s",
                         vp_tname(h, item, b1))
                : vp_msg(h, "a bytes-like object is required, not '%s'", vp_tname(h, item, b1));
            return VE_TYPE;
        }
        size_t na, nb;
        const char *sa = v_str_data(h, item, &na), *sb = v_str_data(h, c, &nb);
        bool found = na == 0;
        for (size_t i = 0; !found && na <= nb && i <= nb - na; i++)
            found = !memcmp(sb + i, sa, na);
        *out = found;
        return VE_OK;
    }
    *msg = vp_msg(h, "argument of type '%s' is not iterable", vp_tname(h, c, b1));
    return VE_TYPE;
}

bool v_is(struct value a, struct value b)
{
    if (a.type != b.type)
        return false;
    if (vp_is_obj_type(a.type))
        return a.ref == b.ref;
    return a.i == b.i && a.ref == b.ref;
}

enum verr v_iterate(struct vheap *h, struct value it, struct value *list,
                    const char **msg)
{
    char b1[64];
    if (it.type == V_LIST || it.type == V_TUPLE) {
        uint32_t n;
        const struct value *items = v_items(h, it, &n);
        return vp_list(h, items, n, list, msg);
    }
    if (it.type == V_DICT) {
        struct value *keys = malloc((v_dict_len(h, it) + 1) * sizeof *keys);
        if (!keys) {
            *msg = VP_MSG_NO_MEMORY;
            return VE_MEMORY;
        }
        uint32_t pos = 0, n = 0;
        struct value k, v;
        while (v_dict_next(h, it, &pos, &k, &v))
            keys[n++] = k;
        enum verr e = vp_list(h, keys, n, list, msg);
        free(keys);
        return e;
    }
    if (it.type == V_STR || it.type == V_BYTES) {
        size_t n;
        const char *s = v_str_data(h, it, &n);
        enum verr e = vp_list(h, NULL, 0, list, msg);
        for (size_t k = 0; e == VE_OK && k < n;) {
            struct value item;
            if (it.type == V_BYTES) {
                item = v_int((unsigned char)s[k]);
                k++;
            } else {
                size_t cl = char_len((const unsigned char *)s + k, n - k);
                e = v_str(h, s + k, cl, &item);
                s = v_str_data(h, it, &n);
                k += cl;
            }
            if (e == VE_OK)
                e = v_list_append(h, *list, item, msg);
        }
        if (e != VE_OK && !*msg)
            *msg = VP_MSG_NO_MEMORY;
        return e;
    }
    *msg = vp_msg(h, "'%s' object is not iterable", vp_tname(h, it, b1));
    return VE_TYPE;
}

/* ------------------------------------------------------------ sorting */

struct sorter {
    struct vheap *h;
    enum verr err;
    const char *msg;
};

/* a < b as Python's sort asks (only '<') */
static bool less(struct sorter *s, struct value a, struct value b)
{
    int c = 0;
    if (s->err != VE_OK)
        return false;
    enum verr e = v_compare(s->h, a, b, "<", &c, &s->msg);
    if (e != VE_OK) {
        s->err = e;
        return false;
    }
    return c < 0;
}

static void merge(struct sorter *s, struct value *a, struct value *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t m = n / 2;
    merge(s, a, tmp, m);
    merge(s, a + m, tmp, n - m);
    size_t i = 0, j = m, k = 0;
    while (i < m && j < n)
        tmp[k++] = less(s, a[j], a[i]) ? a[j++] : a[i++];
    while (i < m)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

enum verr vp_sort(struct vheap *h, struct value *items, uint32_t n, bool reverse,
                  const char **msg)
{
    struct value *tmp = malloc((n + 1) * sizeof *tmp);
    if (!tmp) {
        *msg = VP_MSG_NO_MEMORY;
        return VE_MEMORY;
    }
    struct sorter s = { h, VE_OK, NULL };
    /* reverse=True keeps equal items in their order, as Python's: reverse,
     * sort stably, reverse again */
    if (reverse)
        for (uint32_t i = 0; i < n / 2; i++) {
            struct value t = items[i];
            items[i] = items[n - 1 - i];
            items[n - 1 - i] = t;
        }
    merge(&s, items, tmp, n);
    if (reverse)
        for (uint32_t i = 0; i < n / 2; i++) {
            struct value t = items[i];
            items[i] = items[n - 1 - i];
            items[n - 1 - i] = t;
        }
    free(tmp);
    if (s.err != VE_OK)
        *msg = s.msg;
    return s.err;
}
