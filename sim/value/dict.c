/*
 * dict.c - Python's dict (insertion-ordered, mutable, shared by reference)
 * and instances of Python classes (a class name and a dict of attributes).
 *
 * A dict object holds `cap` entries (key, value) in insertion order, then
 * an index of 2 * cap slots (open addressing; a slot holds an entry number
 * + 1, 0 when empty). A deleted entry keeps its place with the key's type
 * VT_DEAD, so the order of the rest is kept; growing compacts them.
 * Keys hash as Python's do where it matters: 1, 1.0 and True are one key.
 */
#include "vpriv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MIN_CAP 8

static uint32_t *index_of(struct vobj *o)
{
    return (uint32_t *)(o->items + 2 * (size_t)o->cap);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t x = 0xcbf29ce484222325ull;
    for (size_t k = 0; k < n; k++)
        x = (x ^ (unsigned char)s[k]) * 0x100000001b3ull;
    return x;
}

uint64_t vp_hash(const struct vheap *h, struct value v, bool *ok)
{
    *ok = true;
    switch (v.type) {
    case V_INT:
    case V_BOOL:
        return mix((uint64_t)vp_int_of(v));
    case V_FLOAT: {
        double d = v_float_of(v);
        if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
            return mix((uint64_t)(int64_t)d);   /* 2.0 is the key 2 */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return mix(bits ^ 0x5555);
    }
    case V_NONE:
        return 0x9e3779b97f4a7c15ull;
    case V_STR:
    case V_BYTES: {
        size_t n;
        const char *s = v_str_data(h, v, &n);
        return hash_bytes(s, n) ^ (v.type == V_BYTES);
    }
    case V_TUPLE: {
        uint32_t n;
        const struct value *it = v_items(h, v, &n);
        uint64_t x = 0x345678;
        for (uint32_t k = 0; k < n && *ok; k++)
            x = mix(x ^ vp_hash(h, it[k], ok)) + k;
        return x;
    }
    case V_LIST:
    case V_DICT:
        *ok = false;
        return 0;
    default:                   /* instances, functions, objects: identity */
        return mix((uint64_t)v.i * 31 + v.ref + ((uint64_t)v.type << 40));
    }
}

static enum verr unhashable(const struct vheap *h, struct value key, const char **msg)
{
    char b[64];
    *msg = vp_msg(h, "unhashable type: '%s'", vp_tname(h, key, b));
    return VE_TYPE;
}

/* The entry holding key (its number), or -1; *slot gets the index slot
 * where it is or where it would go. */
static int64_t find(const struct vheap *h, struct vobj *o, struct value key, uint64_t hash,
                    uint32_t *slot)
{
    uint32_t mask = 2 * o->cap - 1, *idx = index_of(o);
    struct value *e = o->items;
    for (uint32_t s = (uint32_t)hash & mask;; s = (s + 1) & mask) {
        if (idx[s] == 0) {
            *slot = s;
            return -1;
        }
        uint32_t k = idx[s] - 1;
        if (e[2 * k].type != VT_DEAD && v_equal(h, e[2 * k], key)) {
            *slot = s;
            return k;
        }
    }
}

/* Rebuild the index over the live entries, compacted, in a capacity of
 * cap (which holds them). */
static void rebuild(const struct vheap *h, struct vobj *o)
{
    struct value *e = o->items;
    uint32_t n = 0;
    for (uint32_t k = 0; k < o->n; k++)
        if (e[2 * k].type != VT_DEAD) {
            e[2 * n] = e[2 * k];
            e[2 * n + 1] = e[2 * k + 1];
            n++;
        }
    o->n = n;
    uint32_t *idx = index_of(o);
    memset(idx, 0, 2 * (size_t)o->cap * sizeof *idx);
    uint32_t mask = 2 * o->cap - 1;
    for (uint32_t k = 0; k < n; k++) {
        bool ok;
        uint32_t s = (uint32_t)vp_hash(h, e[2 * k], &ok) & mask;
        while (idx[s])
            s = (s + 1) & mask;
        idx[s] = k + 1;
    }
}

static size_t dict_payload(uint32_t cap)
{
    return (size_t)cap * (2 * sizeof(struct value) + 2 * sizeof(uint32_t));
}

enum verr v_dict_new(struct vheap *h, struct value *out)
{
    struct vobj *o;
    uint32_t ref;
    const char *msg;
    /* alloc_obj sizes by values: 2 * cap values, plus the index as
     * cap / 2 more (2 * cap uint32 = cap * 8 bytes = cap / 2 values) */
    enum verr e = alloc_obj(h, V_LIST, 2 * MIN_CAP + MIN_CAP / 2, &ref, &o, &msg);
    if (e != VE_OK)
        return e;
    o->type = V_DICT;
    o->n = 0;
    o->chars = 0;
    o->cap = MIN_CAP;
    o->dyn = 1;
    memset(index_of(o), 0, 2 * MIN_CAP * sizeof(uint32_t));
    *out = (struct value){ .ref = ref, .type = V_DICT };
    return VE_OK;
}

uint32_t v_dict_len(const struct vheap *h, struct value d)
{
    const struct vobj *o = obj_of(h, d);
    return o && o->type == V_DICT ? o->chars : 0;
}

bool v_dict_next(const struct vheap *h, struct value d, uint32_t *pos,
                 struct value *key, struct value *val)
{
    const struct vobj *o = obj_of(h, d);
    if (!o || o->type != V_DICT)
        return false;
    while (*pos < o->n && o->items[2 * *pos].type == VT_DEAD)
        ++*pos;
    if (*pos >= o->n)
        return false;
    *key = o->items[2 * *pos];
    *val = o->items[2 * *pos + 1];
    ++*pos;
    return true;
}

enum verr v_dict_get(const struct vheap *h, struct value d, struct value key,
                     struct value *out, bool *found, const char **msg)
{
    *found = false;
    struct vobj *o = obj_of(h, d);
    bool ok;
    uint64_t hash = vp_hash(h, key, &ok);
    if (!ok)
        return unhashable(h, key, msg);
    if (!o || o->type != V_DICT)
        return VE_OK;
    uint32_t slot;
    int64_t k = find(h, o, key, hash, &slot);
    if (k >= 0) {
        *out = o->items[2 * k + 1];
        *found = true;
    }
    return VE_OK;
}

enum verr v_dict_set(struct vheap *h, struct value d, struct value key,
                     struct value val, const char **msg)
{
    struct vobj *o = obj_of(h, d);
    bool ok;
    uint64_t hash = vp_hash(h, key, &ok);
    if (!ok)
        return unhashable(h, key, msg);
    if (!o || o->type != V_DICT) {
        *msg = "not a dict";
        return VE_TYPE;
    }
    uint32_t slot;
    int64_t k = find(h, o, key, hash, &slot);
    if (k >= 0) {
        o->items[2 * k + 1] = val;
        return VE_OK;
    }
    if (o->n == o->cap) {      /* full: compact, and grow if half live */
        uint32_t cap = o->cap;
        while (o->chars + 1 > cap / 2)
            cap *= 2;
        if (cap != o->cap) {
            enum verr e = resize_obj(h, d.ref, dict_payload(cap), msg);
            if (e != VE_OK)
                return e;
            o = h->obj[d.ref];
            o->cap = cap;
        }
        rebuild(h, o);
        find(h, o, key, hash, &slot);
    }
    uint32_t n = o->n++;
    o->items[2 * n] = key;
    o->items[2 * n + 1] = val;
    index_of(o)[slot] = n + 1;
    o->chars++;
    return VE_OK;
}

enum verr v_dict_del(struct vheap *h, struct value d, struct value key,
                     struct value *old, const char **msg)
{
    struct vobj *o = obj_of(h, d);
    bool ok;
    uint64_t hash = vp_hash(h, key, &ok);
    if (!ok)
        return unhashable(h, key, msg);
    uint32_t slot;
    int64_t k = o && o->type == V_DICT ? find(h, o, key, hash, &slot) : -1;
    if (k < 0) {
        *msg = NULL;
        return VE_KEY;
    }
    if (old)
        *old = o->items[2 * k + 1];
    o->items[2 * k] = (struct value){ .type = VT_DEAD };
    o->items[2 * k + 1] = v_none();
    o->chars--;
    return VE_OK;
}

/* Remove every entry (dict.clear()). */
void vp_dict_clear(struct vheap *h, struct value d)
{
    struct vobj *o = obj_of(h, d);
    if (!o || o->type != V_DICT)
        return;
    o->n = 0;
    o->chars = 0;
    memset(index_of(o), 0, 2 * (size_t)o->cap * sizeof(uint32_t));
}

/* ------------------------------------------------------------ instances */

enum verr v_inst_new(struct vheap *h, const char *cls, size_t len, struct value *out)
{
    struct value name, attrs;
    enum verr e = v_str(h, cls, len, &name);
    if (e == VE_OK)
        e = v_dict_new(h, &attrs);
    if (e != VE_OK)
        return e;
    struct vobj *o;
    uint32_t ref;
    const char *msg;
    e = alloc_obj(h, V_TUPLE, 2, &ref, &o, &msg);
    if (e != VE_OK)
        return e;
    o->type = V_INST;
    o->dyn = 1;
    o->items[0] = name;
    o->items[1] = attrs;
    *out = (struct value){ .ref = ref, .type = V_INST };
    return VE_OK;
}

const char *v_inst_class(const struct vheap *h, struct value v, size_t *len)
{
    const struct vobj *o = obj_of(h, v);
    if (!o || o->type != V_INST) {
        *len = 6;
        return "object";
    }
    return v_str_data(h, o->items[0], len);
}

/* The attribute dict of an instance */
struct value vp_inst_attrs(const struct vheap *h, struct value v)
{
    const struct vobj *o = obj_of(h, v);
    return o && o->type == V_INST ? o->items[1] : v_none();
}

enum verr v_getattr(struct vheap *h, struct value obj, const char *name,
                    struct value *out, const char **msg)
{
    char b[64];
    if (obj.type == V_INST) {
        struct vobj *d = obj_of(h, vp_inst_attrs(h, obj));
        if (d) {
            /* look the name up without making a string */
            uint64_t hash = 0;
            size_t n = strlen(name);
            bool ok;
            struct value *e = d->items;
            (void)hash;
            (void)ok;
            for (uint32_t k = 0; k < d->n; k++) {
                if (e[2 * k].type != V_STR)
                    continue;
                size_t kn;
                const char *ks = v_str_data(h, e[2 * k], &kn);
                if (kn == n && !memcmp(ks, name, n)) {
                    *out = e[2 * k + 1];
                    return VE_OK;
                }
            }
        }
    }
    if (obj.type == V_FLOAT && (!strcmp(name, "real") || !strcmp(name, "imag"))) {
        *out = !strcmp(name, "real") ? obj : v_float(0.0);
        return VE_OK;
    }
    *msg = vp_msg(h, "'%s' object has no attribute '%s'", vp_tname(h, obj, b), name);
    return VE_ATTRIBUTE;
}

enum verr v_setattr(struct vheap *h, struct value obj, const char *name,
                    struct value val, const char **msg)
{
    char b[64];
    if (obj.type != V_INST) {
        *msg = vp_msg(h, "'%s' object has no attribute '%s'", vp_tname(h, obj, b), name);
        return VE_ATTRIBUTE;
    }
    struct value key;
    enum verr e = v_str(h, name, strlen(name), &key);
    if (e != VE_OK) {
        *msg = VP_MSG_NO_MEMORY;
        return e;
    }
    return v_dict_set(h, vp_inst_attrs(h, obj), key, val, msg);
}
