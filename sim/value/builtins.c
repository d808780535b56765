/*
 * builtins.c - Python's built-in functions over values: float, abs, round,
 * divmod, pow, truediv/mod/floordiv (the / % // operators as functions),
 * format, range (a list), list, tuple, dict, sorted, reversed, min, max,
 * sum, enumerate, zip, chr, ord, hex, bin, oct, bool, isinstance with a
 * type name, type_name, any, all, new (an instance), bytes, iadd (+= on
 * a list extends it).
 */
#include "vpriv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int min, max;
} TABLE[VB_COUNT] = {
    [VB_FLOAT] = { "float", 0, 1 },      [VB_ABS] = { "abs", 1, 1 },
    [VB_ROUND] = { "round", 1, 2 },      [VB_DIVMOD] = { "divmod", 2, 2 },
    [VB_POW] = { "pow", 2, 2 },          [VB_TRUEDIV] = { "truediv", 2, 2 },
    [VB_MOD] = { "mod", 2, 2 },          [VB_FLOORDIV] = { "floordiv", 2, 2 },
    [VB_FORMAT] = { "format", 1, 2 },    [VB_RANGE] = { "range", 1, 3 },
    [VB_LIST] = { "list", 0, 1 },        [VB_TUPLE] = { "tuple", 0, 1 },
    [VB_DICT] = { "dict", 0, 1 },        [VB_SORTED] = { "sorted", 1, 2 },
    [VB_REVERSED] = { "reversed", 1, 1 }, [VB_MIN] = { "min", 1, -1 },
    [VB_MAX] = { "max", 1, -1 },         [VB_SUM] = { "sum", 1, 2 },
    [VB_ENUMERATE] = { "enumerate", 1, 2 }, [VB_ZIP] = { "zip", 0, -1 },
    [VB_CHR] = { "chr", 1, 1 },          [VB_ORD] = { "ord", 1, 1 },
    [VB_HEX] = { "hex", 1, 1 },          [VB_BIN] = { "bin", 1, 1 },
    [VB_OCT] = { "oct", 1, 1 },          [VB_BOOL] = { "bool", 0, 1 },
    [VB_ISINSTANCE] = { "isinstance", 2, 2 }, [VB_TYPE_NAME] = { "type_name", 1, 1 },
    [VB_ANY] = { "any", 1, 1 },          [VB_ALL] = { "all", 1, 1 },
    [VB_NEW] = { "new", 1, 1 },          [VB_BYTES] = { "bytes", 0, 1 },
    [VB_IADD] = { "iadd", 2, 2 },      [VB_CPU_COUNT] = { "cpu_count", 0, 0 },
    [VB_SECS_TO_TICKS] = { "secs_to_ticks", 1, 1 },
    [VB_TICKS_TO_SECS] = { "ticks_to_secs", 1, 1 }, [VB_TICK_NS] = { "tick_ns", 0, 0 },
};

int v_builtin_find(const char *name, size_t len, int *min, int *max)
{
    for (int k = 0; k < VB_COUNT; k++)
        if (strlen(TABLE[k].name) == len && !memcmp(TABLE[k].name, name, len) && len) {
            *min = TABLE[k].min;
            *max = TABLE[k].max;
            return k;
        }
    return -1;
}

const char *v_builtin_name(int id)
{
    return id >= 0 && id < VB_COUNT ? TABLE[id].name : "?";
}

/* The items of an iterable: a list (new) to read them from. */
static enum verr items(struct vheap *h, struct value it, const struct value **out,
                       uint32_t *n, const char **msg)
{
    struct value l;
    enum verr e = v_iterate(h, it, &l, msg);
    if (e != VE_OK)
        return e;
    *out = v_items(h, l, n);
    return VE_OK;
}

/* Python's round(x, n) for floats: correctly rounded through decimal
 * text (CPython uses its own dtoa the same way), half to even. */
static double round_to(double x, int64_t nd)
{
    if (!isfinite(x) || nd > 300)
        return x;
    if (nd < -308)
        return copysign(0.0, x);
    char buf[400];
    if (nd >= 0) {
        snprintf(buf, sizeof buf, "%.*f", (int)nd, x);   /* glibc: exact, half-even */
        return strtod(buf, NULL);
    }
    double p = pow(10.0, (double)-nd);
    double y = x / p, r = nearbyint(y);                  /* half to even */
    return r * p;
}

static enum verr float_of(struct vheap *h, struct value a, struct value *out, const char **msg)
{
    char b[64];
    if (v_is_num(a)) {
        *out = v_float(v_num_double(a));
        return VE_OK;
    }
    if (a.type == V_STR) {
        size_t n;
        const char *s = v_str_data(h, a, &n);
        char buf[128];
        size_t lo = 0, hi = n;
        while (lo < hi && (s[lo] == ' ' || (s[lo] >= '\t' && s[lo] <= '\r')))
            lo++;
        while (hi > lo && (s[hi - 1] == ' ' || (s[hi - 1] >= '\t' && s[hi - 1] <= '\r')))
            hi--;
        if (hi - lo > 0 && hi - lo < sizeof buf) {
            memcpy(buf, s + lo, hi - lo);
            buf[hi - lo] = '\0';
            bool ok = true;
            for (size_t k = 0; buf[k]; k++)
                if (!strchr("0123456789.eE+-_infatyINFATY", buf[k]))
                    ok = false;
            char *end;
            double d = strtod(buf, &end);
            if (ok && *end == '\0' && strcmp(buf, "-") && strcmp(buf, "+")) {
                *out = v_float(d);
                return VE_OK;
            }
        }
        char rb[200];
        v_format(h, a, true, rb, sizeof rb);
        *msg = vp_msg(h, "could not convert string to float: %s", rb);
        return VE_VALUE;
    }
    *msg = vp_msg(h, "float() argument must be a string or a real number, not '%s'",
                  vp_tname(h, a, b));
    return VE_TYPE;
}

static enum verr minmax(struct vheap *h, const struct value *args, int nargs, bool max,
                        struct value *out, const char **msg)
{
    const struct value *it = args;
    uint32_t n = (uint32_t)nargs;
    enum verr e;
    if (nargs == 1 && (e = items(h, args[0], &it, &n, msg)) != VE_OK)
        return e;
    if (n == 0) {
        *msg = max ? "max() arg is an empty sequence" : "min() arg is an empty sequence";
        return VE_VALUE;
    }
    struct value best = it[0];
    for (uint32_t k = 1; k < n; k++) {
        int c;
        /* min keeps the first of equals: replace only when strictly better */
        if ((e = v_compare(h, it[k], best, max ? ">" : "<", &c, msg)) != VE_OK)
            return e;
        if (max ? c > 0 : c < 0)
            best = it[k];
    }
    *out = best;
    return VE_OK;
}

static bool type_is(const struct vheap *h, struct value v, const char *name, size_t n)
{
    char b[64];
    const char *tn = vp_tname(h, v, b);
    if (strlen(tn) == n && !memcmp(tn, name, n))
        return true;
    /* bool is an int; every value is an object */
    if (v.type == V_BOOL && n == 3 && !memcmp(name, "int", 3))
        return true;
    return n == 6 && !memcmp(name, "object", 6);
}

enum verr v_builtin(struct vheap *h, int id, const struct value *args, int nargs,
                    struct value *out, const char **msg)
{
    char b[64];
    const struct value *it;
    uint32_t n;
    enum verr e;
    int64_t x;
    switch (id) {
    case VB_FLOAT:
        if (nargs == 0) {
            *out = v_float(0.0);
            return VE_OK;
        }
        return float_of(h, args[0], out, msg);
    case VB_ABS:
        if (v_is_int(args[0])) {
            x = vp_int_of(args[0]);
            *out = v_int(x < 0 ? (int64_t)(0 - (uint64_t)x) : x);
            return VE_OK;
        }
        if (args[0].type == V_FLOAT) {
            *out = v_float(fabs(v_float_of(args[0])));
            return VE_OK;
        }
        *msg = vp_msg(h, "bad operand type for abs(): '%s'", vp_tname(h, args[0], b));
        return VE_TYPE;
    case VB_ROUND: {
        struct value a = args[0];
        bool has_n = nargs > 1 && args[1].type != V_NONE;
        int64_t nd = 0;
        if (has_n) {
            if (!v_is_int(args[1])) {
                *msg = vp_msg(h, "'%s' object cannot be interpreted as an integer",
                              vp_tname(h, args[1], b));
                return VE_TYPE;
            }
            nd = vp_int_of(args[1]);
        }
        if (v_is_int(a)) {
            x = vp_int_of(a);
            if (has_n && nd < 0) {   /* round(1234, -2) == 1200, half even */
                int64_t p = 1;
                for (int64_t k = 0; k < -nd && p <= INT64_MAX / 10; k++)
                    p *= 10;
                int64_t q = x / p, r = x % p;
                if (r < 0) {
                    q--;
                    r += p;
                }
                if (2 * r > p || (2 * r == p && (q & 1)))
                    q++;
                x = q * p;
            }
            *out = v_int(x);
            return VE_OK;
        }
        if (a.type != V_FLOAT) {
            *msg = vp_msg(h, "type %s doesn't define __round__ method", vp_tname(h, a, b));
            return VE_TYPE;
        }
        double d = v_float_of(a);
        if (!has_n) {
            double r = nearbyint(d);   /* the default mode: half to even */
            struct value rv = v_float(r);
            int64_t i;
            e = v_to_int(h, rv, &i, msg);
            if (e != VE_OK)
                return e;
            *out = v_int(i);
            return VE_OK;
        }
        *out = v_float(round_to(d, nd));
        return VE_OK;
    }
    case VB_DIVMOD: {
        struct value q, r;
        if ((e = v_arith(h, VA_FLOORDIV, args[0], args[1], &q, msg)) != VE_OK) {
            if (e == VE_ZERO_DIV && (args[0].type == V_FLOAT || args[1].type == V_FLOAT))
                *msg = "float divmod()";
            return e;
        }
        if ((e = v_arith(h, VA_MOD, args[0], args[1], &r, msg)) != VE_OK)
            return e;
        struct value qr[2] = { q, r };
        return v_seq(h, V_TUPLE, qr, 2, out);
    }
    case VB_POW:
        return v_arith(h, VA_POW, args[0], args[1], out, msg);
    case VB_TRUEDIV:
        return v_arith(h, VA_TRUEDIV, args[0], args[1], out, msg);
    case VB_MOD:
        return v_arith(h, VA_MOD, args[0], args[1], out, msg);
    case VB_FLOORDIV:
        return v_arith(h, VA_FLOORDIV, args[0], args[1], out, msg);
    case VB_FORMAT: {
        struct value spec;
        if (nargs > 1) {
            spec = args[1];
        } else if ((e = v_str(h, "", 0, &spec)) != VE_OK) {
            *msg = VP_MSG_NO_MEMORY;
            return e;
        }
        return v_format_spec(h, args[0], spec, out, msg);
    }
    case VB_RANGE: {
        int64_t r[3] = { 0, 0, 1 };
        for (int k = 0; k < nargs; k++) {
            if (!v_is_int(args[k])) {
                *msg = vp_msg(h, "'%s' object cannot be interpreted as an integer",
                              vp_tname(h, args[k], b));
                return VE_TYPE;
            }
            r[nargs == 1 ? 1 : k] = vp_int_of(args[k]);
        }
        if (r[2] == 0) {
            *msg = "range() arg 3 must not be zero";
            return VE_VALUE;
        }
        int64_t count = 0;
        if (r[2] > 0 && r[1] > r[0])
            count = (int64_t)(((uint64_t)r[1] - (uint64_t)r[0] - 1) / (uint64_t)r[2] + 1);
        else if (r[2] < 0 && r[1] < r[0])
            count = (int64_t)(((uint64_t)r[0] - (uint64_t)r[1] - 1) / (0 - (uint64_t)r[2]) + 1);
        if ((uint64_t)count > VALUE_MAX_OBJECT / sizeof(struct value)) {
            *msg = VP_MSG_TOO_BIG;
            return VE_MEMORY;
        }
        struct value *dst;
        if ((e = seq_alloc(h, V_LIST, (size_t)count, out, &dst, msg)) != VE_OK)
            return e;
        for (int64_t k = 0; k < count; k++)
            dst[k] = v_int(r[0] + k * r[2]);
        obj_done(h, *out);
        return VE_OK;
    }
    case VB_LIST:
    case VB_TUPLE:
        if (nargs == 0)
            return v_seq(h, id == VB_LIST ? V_LIST : V_TUPLE, NULL, 0, out);
        if (id == VB_TUPLE && args[0].type == V_TUPLE) {
            *out = args[0];
            return VE_OK;
        }
        if ((e = items(h, args[0], &it, &n, msg)) != VE_OK)
            return e;
        return v_seq(h, id == VB_LIST ? V_LIST : V_TUPLE, it, n, out);
    case VB_DICT: {
        if ((e = v_dict_new(h, out)) != VE_OK) {
            *msg = VP_MSG_NO_MEMORY;
            return e;
        }
        if (nargs == 0)
            return VE_OK;
        bool found;
        struct value r;
        return v_method(h, *out, "update", args, 1, &r, msg, &found);
    }
    case VB_SORTED:
    case VB_REVERSED: {
        struct value l;
        if ((e = v_iterate(h, args[0], &l, msg)) != VE_OK)
            return e;
        struct vobj *o = obj_of(h, l);
        if (id == VB_SORTED) {
            bool rev = nargs > 1 && v_truthy(h, args[1]);
            if ((e = vp_sort(h, o->items, o->n, rev, msg)) != VE_OK)
                return e;
        } else {
            for (uint32_t k = 0; k < o->n / 2; k++) {
                struct value t = o->items[k];
                o->items[k] = o->items[o->n - 1 - k];
                o->items[o->n - 1 - k] = t;
            }
        }
        *out = l;
        return VE_OK;
    }
    case VB_MIN:
    case VB_MAX:
        return minmax(h, args, nargs, id == VB_MAX, out, msg);
    case VB_SUM: {
        if ((e = items(h, args[0], &it, &n, msg)) != VE_OK)
            return e;
        struct value acc = nargs > 1 ? args[1] : v_int(0);
        if (acc.type == V_STR) {
            *msg = "sum() can't sum strings [use ''.join(seq) instead]";
            return VE_TYPE;
        }
        for (uint32_t k = 0; k < n; k++)
            if ((e = v_add(h, acc, it[k], &acc, msg)) != VE_OK)
                return e;
        *out = acc;
        return VE_OK;
    }
    case VB_ENUMERATE: {
        int64_t start = 0;
        if (nargs > 1) {
            if (!v_is_int(args[1])) {
                *msg = vp_msg(h, "'%s' object cannot be interpreted as an integer",
                              vp_tname(h, args[1], b));
                return VE_TYPE;
            }
            start = vp_int_of(args[1]);
        }
        struct value l;
        if ((e = v_iterate(h, args[0], &l, msg)) != VE_OK)
            return e;
        n = obj_of(h, l)->n;
        for (uint32_t k = 0; k < n; k++) {
            struct value pair[2] = { v_int(start + k), obj_of(h, l)->items[k] }, t;
            if ((e = v_seq(h, V_TUPLE, pair, 2, &t)) != VE_OK) {
                *msg = VP_MSG_NO_MEMORY;
                return e;
            }
            obj_of(h, l)->items[k] = t;
        }
        *out = l;
        return VE_OK;
    }
    case VB_ZIP: {
        struct value lists[16];
        if (nargs > 16) {
            *msg = "procsim: zip() of more than 16 iterables";
            return VE_TYPE;
        }
        uint32_t len = UINT32_MAX;
        for (int k = 0; k < nargs; k++) {
            if ((e = v_iterate(h, args[k], &lists[k], msg)) != VE_OK) {
                if (e == VE_TYPE)
                    *msg = vp_msg(h, "zip argument #%d must support iteration", k + 1);
                return e;
            }
            uint32_t m = obj_of(h, lists[k])->n;
            len = m < len ? m : len;
        }
        if (nargs == 0)
            len = 0;
        struct value *dst;
        if ((e = seq_alloc(h, V_LIST, len, out, &dst, msg)) != VE_OK)
            return e;
        for (uint32_t i = 0; i < len; i++)
            obj_of(h, *out)->items[i] = v_none();
        for (uint32_t i = 0; i < len; i++) {
            struct value row[16], t;
            for (int k = 0; k < nargs; k++)
                row[k] = obj_of(h, lists[k])->items[i];
            if ((e = v_seq(h, V_TUPLE, row, (uint32_t)nargs, &t)) != VE_OK) {
                *msg = VP_MSG_NO_MEMORY;
                return e;
            }
            obj_of(h, *out)->items[i] = t;
        }
        obj_done(h, *out);
        return VE_OK;
    }
    case VB_CHR: {
        if (!v_is_int(args[0])) {
            *msg = vp_msg(h, "'%s' object cannot be interpreted as an integer",
                          vp_tname(h, args[0], b));
            return VE_TYPE;
        }
        x = vp_int_of(args[0]);
        if (x < 0 || x > 0x10ffff) {
            *msg = "chr() arg not in range(0x110000)";
            return VE_VALUE;
        }
        struct value spec;
        if ((e = v_str(h, "c", 1, &spec)) != VE_OK)
            return e;
        return v_format_spec(h, v_int(x), spec, out, msg);
    }
    case VB_ORD: {
        size_t len;
        if (args[0].type == V_BYTES || args[0].type == V_STR) {
            const char *s = v_str_data(h, args[0], &len);
            size_t chars = args[0].type == V_STR ? count_chars(s, len) : len;
            if (chars != 1) {
                *msg = vp_msg(h, "ord() expected a character, but string of length %zu found",
                              chars);
                return VE_TYPE;
            }
            const unsigned char *u = (const unsigned char *)s;
            uint32_t cp = u[0];
            if (args[0].type == V_STR && len > 1) {
                cp = len == 2 ? u[0] & 0x1f : len == 3 ? u[0] & 0x0f : u[0] & 0x07;
                for (size_t k = 1; k < len; k++)
                    cp = (cp << 6) | (u[k] & 0x3f);
            }
            *out = v_int(cp);
            return VE_OK;
        }
        *msg = vp_msg(h, "ord() expected string of length 1, but %s found",
                      vp_tname(h, args[0], b));
        return VE_TYPE;
    }
    case VB_HEX:
    case VB_BIN:
    case VB_OCT: {
        if (!v_is_int(args[0])) {
            *msg = vp_msg(h, "'%s' object cannot be interpreted as an integer",
                          vp_tname(h, args[0], b));
            return VE_TYPE;
        }
        const char *f = id == VB_HEX ? "#x" : id == VB_BIN ? "#b" : "#o";
        struct value spec;
        if ((e = v_str(h, f, 2, &spec)) != VE_OK)
            return e;
        return v_format_spec(h, args[0], spec, out, msg);
    }
    case VB_BOOL:
        *out = v_bool(nargs && v_truthy(h, args[0]));
        return VE_OK;
    case VB_ISINSTANCE: {
        uint32_t nn = 1;
        const struct value *names = &args[1];
        if (args[1].type == V_TUPLE)
            names = v_items(h, args[1], &nn);
        bool r = false;
        for (uint32_t k = 0; k < nn && !r; k++) {
            if (names[k].type != V_STR) {
                *msg = "isinstance() arg 2 must be a type name (a string) or a tuple of them";
                return VE_TYPE;
            }
            size_t len;
            const char *s = v_str_data(h, names[k], &len);
            r = type_is(h, args[0], s, len);
        }
        *out = v_bool(r);
        return VE_OK;
    }
    case VB_TYPE_NAME: {
        const char *tn = vp_tname(h, args[0], b);
        return v_str(h, tn, strlen(tn), out);
    }
    case VB_ANY:
    case VB_ALL: {
        if ((e = items(h, args[0], &it, &n, msg)) != VE_OK)
            return e;
        bool r = id == VB_ALL;
        for (uint32_t k = 0; k < n; k++)
            if (v_truthy(h, it[k]) == (id == VB_ANY)) {
                r = id == VB_ANY;
                break;
            }
        *out = v_bool(r);
        return VE_OK;
    }
    case VB_NEW: {
        if (args[0].type != V_STR) {
            *msg = "new() takes a class name (a string)";
            return VE_TYPE;
        }
        size_t len;
        const char *s = v_str_data(h, args[0], &len);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(len < 127 ? len : 127), s);
        e = v_inst_new(h, name, strlen(name), out);
        if (e != VE_OK)
            *msg = VP_MSG_NO_MEMORY;
        return e;
    }
    case VB_BYTES: {
        if (nargs == 0)
            return v_bytes(h, "", 0, out);
        if (args[0].type == V_BYTES) {
            *out = args[0];
            return VE_OK;
        }
        if (v_is_int(args[0])) {
            x = vp_int_of(args[0]);
            if (x < 0) {
                *msg = "negative count";
                return VE_VALUE;
            }
            if ((uint64_t)x > VALUE_MAX_OBJECT) {
                *msg = VP_MSG_TOO_BIG;
                return VE_MEMORY;
            }
            char *z = calloc((size_t)x + 1, 1);
            if (!z) {
                *msg = VP_MSG_NO_MEMORY;
                return VE_MEMORY;
            }
            e = v_bytes(h, z, (size_t)x, out);
            free(z);
            return e;
        }
        if ((e = items(h, args[0], &it, &n, msg)) != VE_OK)
            return e;
        struct vbuf bb = { 0 };
        for (uint32_t k = 0; k < n; k++) {
            if (!v_is_int(it[k]) || vp_int_of(it[k]) < 0 || vp_int_of(it[k]) > 255) {
                free(bb.s);
                *msg = "bytes must be in range(0, 256)";
                return VE_VALUE;
            }
            char c = (char)vp_int_of(it[k]);
            vb_add(&bb, &c, 1);
        }
        return vb_finish(&bb, h, V_BYTES, out, msg);
    }
    case VB_IADD:              /* a += b: a list is extended in place */
        if (args[0].type == V_LIST) {
            bool found;
            struct value none;
            e = v_method(h, args[0], "extend", &args[1], 1, &none, msg, &found);
            *out = args[0];
            return e;
        }
        return v_add(h, args[0], args[1], out, msg);
    default:
        *msg = "unknown builtin";
        return VE_TYPE;
    }
}
