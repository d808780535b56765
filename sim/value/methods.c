/*
 * methods.c - e.name(args) on lists, dicts, strings, bytes and floats:
 * the methods students' programs use, with CPython 3.11's results and
 * messages. (Objects' methods, q.put..., are the kernel's: objs' invoke
 * calls v_method for the values it does not own.)
 */
#include "vpriv.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


struct call {
    struct vheap *h;
    struct value self;
    const char *name, *tname;
    const struct value *args;
    int nargs;
    struct value *out;
    const char **msg;
};

static bool is(const struct call *c, const char *n) { return !strcmp(c->name, n); }

/* Python's arity messages */
static enum verr arity(struct call *c, int min, int max)
{
    if (c->nargs >= min && c->nargs <= max)
        return VE_OK;
    if (min == max && min == 0)
        *c->msg = vp_msg(c->h, "%s.%s() takes no arguments (%d given)", c->tname, c->name,
                         c->nargs);
    else if (min == max && min == 1)
        *c->msg = vp_msg(c->h, "%s.%s() takes exactly one argument (%d given)", c->tname,
                         c->name, c->nargs);
    else if (c->nargs < min)
        *c->msg = vp_msg(c->h, "%s expected at least %d argument%s, got %d", c->name, min,
                         min == 1 ? "" : "s", c->nargs);
    else
        *c->msg = vp_msg(c->h, "%s expected at most %d argument%s, got %d", c->name, max,
                         max == 1 ? "" : "s", c->nargs);
    return VE_TYPE;
}

#define ARITY(min, max) do { enum verr e_ = arity(c, min, max); if (e_) return e_; } while (0)

static enum verr need_int(struct call *c, struct value v, int64_t *out)
{
    char b[64];
    if (!v_is_int(v)) {
        *c->msg = vp_msg(c->h, "'%s' object cannot be interpreted as an integer",
                         vp_tname(c->h, v, b));
        return VE_TYPE;
    }
    *out = vp_int_of(v);
    return VE_OK;
}

/* Items of an iterable argument (a list, tuple, dict's keys, str), as a
 * new list whose items the caller reads. */
static enum verr items_of(struct call *c, struct value it, const struct value **items,
                          uint32_t *n)
{
    struct value l;
    enum verr e = v_iterate(c->h, it, &l, c->msg);
    if (e != VE_OK)
        return e;
    *items = v_items(c->h, l, n);
    return VE_OK;
}

/* ------------------------------------------------------------ list */

static enum verr list_method(struct call *c, bool *found)
{
    struct vheap *h = c->h;
    struct value self = c->self;
    const struct value *a = c->args;
    uint32_t n;
    const struct value *it;
    int64_t k;
    enum verr e;
    *c->out = v_none();
    if (is(c, "append")) {
        ARITY(1, 1);
        return v_list_append(h, self, a[0], c->msg);
    }
    if (is(c, "extend")) {
        ARITY(1, 1);
        if ((e = items_of(c, a[0], &it, &n)) != VE_OK)
            return e;
        return vp_list_extend(h, self, it, n, c->msg);
    }
    if (is(c, "insert")) {
        ARITY(2, 2);
        if ((e = need_int(c, a[0], &k)) != VE_OK)
            return e;
        return vp_list_insert(h, self, k, a[1], c->msg);
    }
    it = v_items(h, self, &n);
    if (is(c, "pop")) {
        ARITY(0, 1);
        k = -1;
        if (c->nargs && (e = need_int(c, a[0], &k)) != VE_OK)
            return e;
        if (n == 0) {
            *c->msg = "pop from empty list";
            return VE_INDEX;
        }
        if (!vp_index(&k, n)) {
            *c->msg = "pop index out of range";
            return VE_INDEX;
        }
        *c->out = it[k];
        vp_list_remove_at(h, self, (uint32_t)k);
        return VE_OK;
    }
    if (is(c, "remove") || is(c, "index") || is(c, "count")) {
        ARITY(1, is(c, "index") ? 3 : 1);
        int64_t lo = 0, hi = n, cnt = 0;
        if (c->nargs > 1 && (e = need_int(c, a[1], &lo)) != VE_OK)
            return e;
        if (c->nargs > 2 && (e = need_int(c, a[2], &hi)) != VE_OK)
            return e;
        if (lo < 0 && (lo += n) < 0)
            lo = 0;
        if (hi < 0 && (hi += n) < 0)
            hi = 0;
        for (int64_t i = lo; i < hi && i < (int64_t)n; i++) {
            if (!v_is(it[i], a[0]) && !v_equal(h, it[i], a[0]))
                continue;
            if (is(c, "remove")) {
                vp_list_remove_at(h, self, (uint32_t)i);
                return VE_OK;
            }
            if (is(c, "index")) {
                *c->out = v_int(i);
                return VE_OK;
            }
            cnt++;
        }
        if (is(c, "count")) {
            *c->out = v_int(cnt);
            return VE_OK;
        }
        if (is(c, "remove")) {
            *c->msg = "list.remove(x): x not in list";
            return VE_VALUE;
        }
        char buf[200];
        v_format(h, a[0], true, buf, sizeof buf);
        *c->msg = vp_msg(h, "%s is not in list", buf);
        return VE_VALUE;
    }
    if (is(c, "sort")) {
        /* sort(reverse) : keyword arguments come positional from the
         * translator: sort() or sort(True/False) for reverse */
        ARITY(0, 1);
        bool rev = c->nargs && v_truthy(h, a[0]);
        struct vobj *o = obj_of(h, self);
        return vp_sort(h, o->items, o->n, rev, c->msg);
    }
    if (is(c, "reverse")) {
        ARITY(0, 0);
        struct vobj *o = obj_of(h, self);
        for (uint32_t i = 0; i < o->n / 2; i++) {
            struct value t = o->items[i];
            o->items[i] = o->items[o->n - 1 - i];
            o->items[o->n - 1 - i] = t;
        }
        return VE_OK;
    }
    if (is(c, "copy")) {
        ARITY(0, 0);
        return vp_list(h, it, n, c->out, c->msg);
    }
    if (is(c, "clear")) {
        ARITY(0, 0);
        vp_list_clear(h, self);
        return VE_OK;
    }
    *found = false;
    return VE_OK;
}

/* ------------------------------------------------------------ tuple */

static enum verr tuple_method(struct call *c, bool *found)
{
    uint32_t n;
    const struct value *it = v_items(c->h, c->self, &n);
    if (is(c, "index") || is(c, "count")) {
        ARITY(1, 1);
        int64_t cnt = 0;
        for (uint32_t i = 0; i < n; i++)
            if (v_is(it[i], c->args[0]) || v_equal(c->h, it[i], c->args[0])) {
                if (is(c, "index")) {
                    *c->out = v_int(i);
                    return VE_OK;
                }
                cnt++;
            }
        if (is(c, "index")) {
            *c->msg = "tuple.index(x): x not in tuple";
            return VE_VALUE;
        }
        *c->out = v_int(cnt);
        return VE_OK;
    }
    *found = false;
    return VE_OK;
}

/* ------------------------------------------------------------ dict */

static enum verr dict_list(struct call *c, int what)
{
    struct vheap *h = c->h;
    uint32_t n = v_dict_len(h, c->self), pos = 0, i = 0;
    struct value *items = malloc((n + 1) * sizeof *items), k, v;
    if (!items) {
        *c->msg = VP_MSG_NO_MEMORY;
        return VE_MEMORY;
    }
    enum verr e = VE_OK;
    while (e == VE_OK && v_dict_next(h, c->self, &pos, &k, &v)) {
        if (what == 0)
            items[i++] = k;
        else if (what == 1)
            items[i++] = v;
        else {
            struct value kv[2] = { k, v };
            e = v_seq(h, V_TUPLE, kv, 2, &items[i++]);
            if (e != VE_OK)
                *c->msg = VP_MSG_NO_MEMORY;
        }
    }
    if (e == VE_OK)
        e = vp_list(h, items, i, c->out, c->msg);
    free(items);
    return e;
}

static enum verr dict_method(struct call *c, bool *found)
{
    struct vheap *h = c->h;
    struct value self = c->self;
    const struct value *a = c->args;
    bool has;
    enum verr e;
    *c->out = v_none();
    if (is(c, "get")) {
        ARITY(1, 2);
        e = v_dict_get(h, self, a[0], c->out, &has, c->msg);
        if (e == VE_OK && !has)
            *c->out = c->nargs > 1 ? a[1] : v_none();
        return e;
    }
    if (is(c, "keys") || is(c, "values") || is(c, "items")) {
        ARITY(0, 0);
        return dict_list(c, is(c, "keys") ? 0 : is(c, "values") ? 1 : 2);
    }
    if (is(c, "pop")) {
        ARITY(1, 2);
        e = v_dict_del(h, self, a[0], c->out, c->msg);
        if (e == VE_KEY && c->nargs > 1) {
            *c->out = a[1];
            return VE_OK;
        }
        if (e == VE_KEY) {
            char buf[200];
            v_format(h, a[0], true, buf, sizeof buf);
            *c->msg = vp_msg(h, "%s", buf);
        }
        return e;
    }
    if (is(c, "popitem")) {
        ARITY(0, 0);
        uint32_t pos = 0, last = 0;
        struct value k, v, lk = v_none(), lv = v_none();
        bool any = false;
        while (v_dict_next(h, self, &pos, &k, &v)) {
            lk = k;
            lv = v;
            last = pos;
            any = true;
        }
        (void)last;
        if (!any) {
            *c->msg = "'popitem(): dictionary is empty'";
            return VE_KEY;
        }
        v_dict_del(h, self, lk, NULL, c->msg);
        struct value kv[2] = { lk, lv };
        return v_seq(h, V_TUPLE, kv, 2, c->out);
    }
    if (is(c, "setdefault")) {
        ARITY(1, 2);
        e = v_dict_get(h, self, a[0], c->out, &has, c->msg);
        if (e != VE_OK || has)
            return e;
        *c->out = c->nargs > 1 ? a[1] : v_none();
        return v_dict_set(h, self, a[0], *c->out, c->msg);
    }
    if (is(c, "update")) {
        ARITY(0, 1);
        if (!c->nargs)
            return VE_OK;
        if (a[0].type == V_DICT) {
            uint32_t pos = 0;
            struct value k, v;
            while (v_dict_next(h, a[0], &pos, &k, &v))
                if ((e = v_dict_set(h, self, k, v, c->msg)) != VE_OK)
                    return e;
            return VE_OK;
        }
        const struct value *it;
        uint32_t n;
        if ((e = items_of(c, a[0], &it, &n)) != VE_OK)
            return e;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t m;
            const struct value *kv = v_items(h, it[i], &m);
            if (m != 2) {
                *c->msg = vp_msg(h, "dictionary update sequence element #%u has length %u; "
                                 "2 is required", i, m);
                return VE_VALUE;
            }
            if ((e = v_dict_set(h, self, kv[0], kv[1], c->msg)) != VE_OK)
                return e;
        }
        return VE_OK;
    }
    if (is(c, "copy")) {
        ARITY(0, 0);
        if ((e = v_dict_new(h, c->out)) != VE_OK) {
            *c->msg = VP_MSG_NO_MEMORY;
            return e;
        }
        uint32_t pos = 0;
        struct value k, v;
        while (v_dict_next(h, self, &pos, &k, &v))
            if ((e = v_dict_set(h, *c->out, k, v, c->msg)) != VE_OK)
                return e;
        return VE_OK;
    }
    if (is(c, "clear")) {
        ARITY(0, 0);
        vp_dict_clear(h, self);
        return VE_OK;
    }
    *found = false;
    return VE_OK;
}

/* ------------------------------------------------------------ str, bytes */

static bool is_ws(char ch) { return ch == ' ' || (ch >= '\t' && ch <= '\r'); }

static enum verr make_text(struct call *c, const char *s, size_t n)
{
    enum verr e = c->self.type == V_BYTES ? v_bytes(c->h, s, n, c->out)
                                          : v_str(c->h, s, n, c->out);
    if (e != VE_OK)
        *c->msg = VP_MSG_NO_MEMORY;
    return e;
}

static enum verr need_text(struct call *c, struct value v, const char **s, size_t *n)
{
    char b[64];
    if (v.type != c->self.type) {
        *c->msg = c->self.type == V_STR
            ? vp_msg(c->h, "must be str, not %s", vp_tname(c->h, v, b))
            : vp_msg(c->h, "a bytes-like object is required, not '%s'", vp_tname(c->h, v, b));
        return VE_TYPE;
    }
    *s = v_str_data(c->h, v, n);
    return VE_OK;
}

/* The number of characters in s[0..n) (UTF-8 for str) */
static size_t nchars(const struct call *c, const char *s, size_t n)
{
    return c->self.type == V_STR ? count_chars(s, n) : n;
}

static const char *find_sub(const char *s, size_t n, const char *t, size_t m, size_t from)
{
    for (size_t i = from; m <= n && i <= n - m; i++)
        if (!memcmp(s + i, t, m))
            return s + i;
    return NULL;
}

static enum verr text_method(struct call *c, bool *found)
{
    struct vheap *h = c->h;
    const struct value *a = c->args;
    size_t n, m;
    const char *s = v_str_data(h, c->self, &n), *t;
    enum verr e;
    bool bytes = c->self.type == V_BYTES;
    if (is(c, "upper") || is(c, "lower") || is(c, "capitalize") || is(c, "title") ||
        is(c, "swapcase")) {
        ARITY(0, 0);
        char *buf = malloc(n + 1);
        if (!buf) {
            *c->msg = VP_MSG_NO_MEMORY;
            return VE_MEMORY;
        }
        bool start = true;
        for (size_t k = 0; k < n; k++) {
            unsigned char ch = (unsigned char)s[k];
            if (ch >= 0x80) {
                buf[k] = (char)ch;
                start = false;
                continue;
            }
            if (is(c, "upper"))
                ch = (unsigned char)toupper(ch);
            else if (is(c, "lower"))
                ch = (unsigned char)tolower(ch);
            else if (is(c, "swapcase"))
                ch = (unsigned char)(isupper(ch) ? tolower(ch) : toupper(ch));
            else if (is(c, "capitalize"))
                ch = (unsigned char)(k == 0 ? toupper(ch) : tolower(ch));
            else {
                ch = (unsigned char)(start ? toupper(ch) : tolower(ch));
                start = !isalpha(ch);
                buf[k] = (char)ch;
                continue;
            }
            buf[k] = (char)ch;
        }
        e = make_text(c, buf, n);
        free(buf);
        return e;
    }
    if (is(c, "strip") || is(c, "lstrip") || is(c, "rstrip")) {
        ARITY(0, 1);
        const char *chars = NULL;
        size_t cn = 0;
        if (c->nargs && a[0].type != V_NONE && (e = need_text(c, a[0], &chars, &cn)) != VE_OK)
            return e;
        size_t lo = 0, hi = n;
#define STRIPPABLE(ch) (chars ? memchr(chars, (ch), cn) != NULL : is_ws(ch))
        if (!is(c, "rstrip"))
            while (lo < hi && STRIPPABLE(s[lo]))
                lo++;
        if (!is(c, "lstrip"))
            while (hi > lo && STRIPPABLE(s[hi - 1]))
                hi--;
#undef STRIPPABLE
        return make_text(c, s + lo, hi - lo);
    }
    if (is(c, "split") || is(c, "rsplit")) {
        ARITY(0, 2);
        const char *sep = NULL;
        size_t sn = 0;
        int64_t max = -1;
        if (c->nargs > 0 && a[0].type != V_NONE && (e = need_text(c, a[0], &sep, &sn)) != VE_OK)
            return e;
        if (c->nargs > 1 && (e = need_int(c, a[1], &max)) != VE_OK)
            return e;
        if (sep && sn == 0) {
            *c->msg = "empty separator";
            return VE_VALUE;
        }
        if (is(c, "rsplit") && max >= 0) {
            *c->msg = "procsim: rsplit with maxsplit is not supported";
            return VE_VALUE;
        }
        struct value parts[64], *pp = parts;
        size_t np = 0, cap = 64;
        size_t k = 0;
        int64_t done = 0;
        e = VE_OK;
        for (;;) {
            size_t start, end;
            if (!sep) {
                while (k < n && is_ws(s[k]))
                    k++;
                if (k >= n)
                    break;
                start = k;
                if (max >= 0 && done == max) {
                    end = n;
                    while (end > start && is_ws(s[end - 1]))
                        end--;
                    k = n;
                } else {
                    end = k;
                    while (end < n && !is_ws(s[end]))
                        end++;
                    k = end;
                }
            } else {
                start = k;
                const char *f = max >= 0 && done == max ? NULL : find_sub(s, n, sep, sn, k);
                end = f ? (size_t)(f - s) : n;
                k = f ? end + sn : n + 1;
            }
            if (np == cap) {
                struct value *np2 = malloc(cap * 2 * sizeof *np2);
                if (!np2) {
                    e = VE_MEMORY;
                    *c->msg = VP_MSG_NO_MEMORY;
                    break;
                }
                memcpy(np2, pp, np * sizeof *pp);
                if (pp != parts)
                    free(pp);
                pp = np2;
                cap *= 2;
            }
            if ((e = make_text(c, s + start, end - start)) != VE_OK)
                break;
            s = v_str_data(h, c->self, &n);
            pp[np++] = *c->out;
            done++;
            if (sep && k > n)
                break;
        }
        if (e == VE_OK)
            e = vp_list(h, pp, (uint32_t)np, c->out, c->msg);
        if (pp != parts)
            free(pp);
        return e;
    }
    if (is(c, "join")) {
        ARITY(1, 1);
        const struct value *it;
        uint32_t ni;
        if ((e = items_of(c, a[0], &it, &ni)) != VE_OK)
            return e;
        struct vbuf b = { 0 };
        for (uint32_t i = 0; i < ni; i++) {
            if (it[i].type != c->self.type) {
                char tb[64];
                free(b.s);
                *c->msg = vp_msg(h, "sequence item %u: expected %s instance, %s found", i,
                                 bytes ? "a bytes-like object" : "str",
                                 vp_tname(h, it[i], tb));
                return VE_TYPE;
            }
            if (i)
                vb_add(&b, s, n);
            t = v_str_data(h, it[i], &m);
            vb_add(&b, t, m);
        }
        return vb_finish(&b, h, c->self.type, c->out, c->msg);
    }
    if (is(c, "replace")) {
        ARITY(2, 3);
        const char *old, *new;
        size_t on, nn;
        int64_t max = -1;
        if ((e = need_text(c, a[0], &old, &on)) != VE_OK ||
            (e = need_text(c, a[1], &new, &nn)) != VE_OK)
            return e;
        if (c->nargs > 2 && (e = need_int(c, a[2], &max)) != VE_OK)
            return e;
        struct vbuf b = { 0 };
        size_t k = 0;
        int64_t done = 0;
        if (on == 0) {         /* between every character */
            for (size_t i = 0; i <= n; i++) {
                if (max < 0 || done < max) {
                    vb_add(&b, new, nn);
                    done++;
                }
                if (i < n)
                    vb_add(&b, s + i, 1);
            }
            return vb_finish(&b, h, c->self.type, c->out, c->msg);
        }
        while (k <= n) {
            const char *f = max >= 0 && done >= max ? NULL : find_sub(s, n, old, on, k);
            if (!f) {
                vb_add(&b, s + k, n - k);
                break;
            }
            vb_add(&b, s + k, (size_t)(f - s) - k);
            vb_add(&b, new, nn);
            k = (size_t)(f - s) + on;
            done++;
        }
        return vb_finish(&b, h, c->self.type, c->out, c->msg);
    }
    if (is(c, "startswith") || is(c, "endswith")) {
        ARITY(1, 1);
        uint32_t np = 1;
        const struct value *pre = a;
        if (a[0].type == V_TUPLE)
            pre = v_items(h, a[0], &np);
        bool r = false;
        for (uint32_t i = 0; i < np && !r; i++) {
            if ((e = need_text(c, pre[i], &t, &m)) != VE_OK)
                return e;
            r = m <= n && !memcmp(is(c, "startswith") ? s : s + n - m, t, m);
        }
        *c->out = v_bool(r);
        return VE_OK;
    }
    if (is(c, "find") || is(c, "rfind") || is(c, "index") || is(c, "count")) {
        ARITY(1, 1);
        if ((e = need_text(c, a[0], &t, &m)) != VE_OK)
            return e;
        if (is(c, "count")) {
            int64_t cnt = 0;
            if (m == 0)
                cnt = (int64_t)nchars(c, s, n) + 1;
            else
                for (const char *f = find_sub(s, n, t, m, 0); f;
                     f = find_sub(s, n, t, m, (size_t)(f - s) + m))
                    cnt++;
            *c->out = v_int(cnt);
            return VE_OK;
        }
        const char *f = find_sub(s, n, t, m, 0);
        if (is(c, "rfind"))
            for (const char *g = f; g; g = find_sub(s, n, t, m, (size_t)(g - s) + 1))
                f = g;
        if (!f && is(c, "index")) {
            *c->msg = "substring not found";
            return VE_VALUE;
        }
        *c->out = v_int(f ? (int64_t)nchars(c, s, (size_t)(f - s)) : -1);
        return VE_OK;
    }
    if (is(c, "isdigit") || is(c, "isalpha") || is(c, "isspace") || is(c, "isalnum") ||
        is(c, "isupper") || is(c, "islower") || is(c, "isdecimal") || is(c, "isnumeric")) {
        ARITY(0, 0);
        bool r = n > 0, cased = false;
        for (size_t k = 0; k < n && r; k++) {
            unsigned char ch = (unsigned char)s[k];
            if (is(c, "isdigit") || is(c, "isdecimal") || is(c, "isnumeric"))
                r = isdigit(ch);
            else if (is(c, "isalpha"))
                r = isalpha(ch);
            else if (is(c, "isspace"))
                r = is_ws((char)ch);
            else if (is(c, "isalnum"))
                r = isalnum(ch);
            else if (is(c, "isupper")) {
                r = !islower(ch);
                cased |= isupper(ch) != 0;
            } else {
                r = !isupper(ch);
                cased |= islower(ch) != 0;
            }
        }
        if (is(c, "isupper") || is(c, "islower"))
            r = r && cased;
        *c->out = v_bool(r);
        return VE_OK;
    }
    if (is(c, "ljust") || is(c, "rjust") || is(c, "center") || is(c, "zfill")) {
        ARITY(1, is(c, "zfill") ? 1 : 2);
        int64_t w;
        if ((e = need_int(c, a[0], &w)) != VE_OK)
            return e;
        char fill = ' ';
        if (c->nargs > 1) {
            if ((e = need_text(c, a[1], &t, &m)) != VE_OK)
                return e;
            if (nchars(c, t, m) != 1) {
                *c->msg = "The fill character must be exactly one character long";
                return VE_TYPE;
            }
            fill = t[0];
        }
        int64_t len = (int64_t)nchars(c, s, n);
        int64_t padn = w > len ? w - len : 0;
        struct vbuf b = { 0 };
        if (is(c, "zfill")) {
            size_t k = 0;
            if (n && (s[0] == '-' || s[0] == '+'))
                vb_add(&b, s, k = 1);
            vb_char(&b, '0', (size_t)padn);
            vb_add(&b, s + k, n - k);
        } else if (is(c, "ljust")) {
            vb_add(&b, s, n);
            vb_char(&b, fill, (size_t)padn);
        } else if (is(c, "rjust")) {
            vb_char(&b, fill, (size_t)padn);
            vb_add(&b, s, n);
        } else {               /* CPython's centring: the odd one left */
            int64_t left = padn / 2 + (padn & w & 1);
            vb_char(&b, fill, (size_t)left);
            vb_add(&b, s, n);
            vb_char(&b, fill, (size_t)(padn - left));
        }
        return vb_finish(&b, h, c->self.type, c->out, c->msg);
    }
    if (!bytes && is(c, "encode")) {
        ARITY(0, 2);
        e = v_bytes(h, s, n, c->out);
        if (e != VE_OK)
            *c->msg = VP_MSG_NO_MEMORY;
        return e;
    }
    if (bytes && is(c, "decode")) {
        ARITY(0, 2);
        e = v_str(h, s, n, c->out);
        if (e != VE_OK)
            *c->msg = VP_MSG_NO_MEMORY;
        return e;
    }
    *found = false;
    return VE_OK;
}

enum verr v_method(struct vheap *h, struct value self, const char *name,
                   const struct value *args, int nargs, struct value *out,
                   const char **msg, bool *found)
{
    char tb[64];
    struct call c = { h, self, name, vp_tname(h, self, tb), args, nargs, out, msg };
    *found = true;
    enum verr e = VE_OK;
    switch (self.type) {
    case V_LIST:  e = list_method(&c, found); break;
    case V_TUPLE: e = tuple_method(&c, found); break;
    case V_DICT:  e = dict_method(&c, found); break;
    case V_STR:
    case V_BYTES: e = text_method(&c, found); break;
    case V_FLOAT:
        if (!strcmp(name, "is_integer") && nargs == 0) {
            double d = v_float_of(self);
            *out = v_bool(d - d == 0 && d == floor(d));
            return VE_OK;
        }
        *found = false;
        break;
    default:
        *found = false;
        break;
    }
    if (!*found) {
        *msg = vp_msg(h, "'%s' object has no attribute '%s'", c.tname, name);
        return VE_ATTRIBUTE;
    }
    return e;
}
