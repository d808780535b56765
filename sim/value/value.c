/*
 * value.c - Python-like values: the object heap, the operations that
 * expressions use, and str()/repr() as Python writes them.
 *
 * Objects (strings, tuples, lists) are immutable and live in a heap indexed
 * by small handles. Two properties follow from immutability and are used
 * below: an object never refers to itself (its items existed before it, so
 * the objects form a DAG), and two values with the same handle are equal.
 *
 * Nested values can be deep (a program that runs `t = (t,)` 100,000 times
 * is legal), so nothing here recurses on the C stack: marking threads its
 * grey stack through the objects themselves, and printing and comparing
 * walk with an explicit stack (struct walk) that starts on the C stack and
 * grows on the heap.
 */
#include "value.h"
#include "vpriv.h"

#include <stdarg.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ objects */


/* Collect when the bytes allocated since the last collection exceed the
 * bytes that survived it (so the heap at most doubles between collections
 * and the cost of a collection is paid for by as much new allocation), but
 * never for less than 1 MiB, so a small heap is not collected every tick. */
#define GC_MIN_BYTES ((size_t)1 << 20)

const char VP_MSG_TOO_BIG[] = "object too large (over 16 MiB)";
static const char MSG_HEAP_FULL[] = "out of memory (values over 256 MiB)";
const char VP_MSG_NO_MEMORY[] = "out of memory";
#define MSG_TOO_BIG VP_MSG_TOO_BIG
#define MSG_NO_MEMORY VP_MSG_NO_MEMORY

bool vp_is_obj_type(uint8_t type)
{
    return type == V_STR || type == V_TUPLE || type == V_LIST || type == V_DICT ||
           type == V_BYTES || type == V_INST;
}
#define is_obj_type vp_is_obj_type

bool vp_is_mutable_type(uint8_t type)
{
    return type == V_LIST || type == V_DICT || type == V_INST;
}

/* Values an object holds: marking and copying walk them. */
static uint32_t nchildren(const struct vobj *o)
{
    return o->type == V_TUPLE || o->type == V_LIST ? o->n
         : o->type == V_DICT ? 2 * o->n : o->type == V_INST ? 2 : 0;
}

static bool is_seq_type(uint8_t type)
{
    return type == V_TUPLE || type == V_LIST;
}

/* The payload of an object: the bytes a program's value takes. This is
 * what VALUE_MAX_OBJECT limits. */
static size_t payload_bytes(uint8_t type, size_t n)
{
    return type == V_STR || type == V_BYTES ? n : n * sizeof(struct value);
}

/* What the heap is charged for an object (what malloc is asked for). */
static size_t obj_bytes(const struct vobj *o)
{
    if (o->type == V_DICT)     /* entries, then the index */
        return sizeof(struct vobj) + (size_t)o->cap * (2 * sizeof(struct value) + 8);
    return sizeof(struct vobj) + payload_bytes(o->type, o->type == V_LIST ? o->cap : o->n);
}

/* The object v refers to, or NULL when v is not a heap value or its handle
 * is stale. The kernel should never hand us a stale handle; treating it as
 * an empty object keeps a bug from becoming a crash. */
struct vobj *obj_of(const struct vheap *h, struct value v)
{
    if (!is_obj_type(v.type) || v.ref == 0 || v.ref >= h->nobj)
        return NULL;
    struct vobj *o = h->obj[v.ref];
    return o && o->type == v.type ? o : NULL;
}

/* Bytes of the UTF-8 character at s (n bytes left): a well-formed lead byte
 * with its continuation bytes, otherwise a single byte. len() and indexing
 * count characters as Python counts code points; a malformed byte counts
 * as one character. */
size_t char_len(const unsigned char *s, size_t n)
{
    size_t want = s[0] < 0xc0 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : s[0] < 0xf8 ? 4 : 1;
    if (want > n)
        return 1;
    for (size_t k = 1; k < want; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 1;
    return want;
}

uint32_t count_chars(const char *s, size_t n)
{
    uint32_t chars = 0;
    for (size_t k = 0; k < n; k += char_len((const unsigned char *)s + k, n - k))
        chars++;
    return chars;
}

/* ------------------------------------------------------------ repr length
 * Every object keeps the length of its repr, computed when it is made from
 * its items' (which exist already). So a message's size (v_msg_size) costs
 * nothing, and str()/repr() refuse an oversized result before walking it:
 * a tuple holding itself twice, 64 times over, is 64 small objects but has
 * a repr longer than any memory. Lengths saturate at UINT64_MAX. */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* How repr writes byte c of a string quoted with `quote`: the escape
 * sequence (built in esc when it is a \xNN), or NULL for the byte itself.
 * Bytes from 0x80 are written as they are, so UTF-8 text shows as text
 * (Python also escapes the few non-printable characters above U+007F). */
static const char *escape(unsigned char c, char quote, char esc[5])
{
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\'': return quote == '\'' ? "\\'" : NULL;
    case '"': return quote == '"' ? "\\\"" : NULL;
    }
    if (c >= 0x20 && c != 0x7f)
        return NULL;
    esc[0] = '\\';
    esc[1] = 'x';
    esc[2] = hex[c >> 4];
    esc[3] = hex[c & 15];
    esc[4] = '\0';
    return esc;
}

/* Python's choice: single quotes unless the string holds ' and no ". */
static char quote_for(const char *s, size_t n)
{
    return n && memchr(s, '\'', n) && !memchr(s, '"', n) ? '"' : '\'';
}

static uint64_t str_repr_len(const char *s, size_t n)
{
    char quote = quote_for(s, n), esc[5];
    uint64_t len = 2;
    for (size_t k = 0; k < n; k++) {
        const char *e = escape((unsigned char)s[k], quote, esc);
        len += e ? strlen(e) : 1;
    }
    return len;
}

/* How repr writes byte c of bytes: printable ASCII as it is, the rest
 * escaped (\t \n \r \\ the quote, else \xNN), as Python's bytes repr. */
static const char *bytes_escape(unsigned char c, char quote, char esc[5])
{
    if (c >= 0x80 || c == 0x7f) {
        static const char hex[] = "0123456789abcdef";
        esc[0] = '\\';
        esc[1] = 'x';
        esc[2] = hex[c >> 4];
        esc[3] = hex[c & 15];
        esc[4] = '\0';
        return esc;
    }
    return escape(c, quote, esc);
}

static uint64_t bytes_repr_len(const char *s, size_t n)
{
    char quote = quote_for(s, n), esc[5];
    uint64_t len = 2;
    for (size_t k = 0; k < n; k++) {
        const char *e = bytes_escape((unsigned char)s[k], quote, esc);
        len += e ? strlen(e) : 1;
    }
    return len;
}

static uint64_t int_repr_len(int64_t i)
{
    uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
    uint64_t len = 1 + (i < 0);
    for (; u >= 10; u /= 10)
        len++;
    return len;
}


/* "<AsyncResult 3>": a handle as print shows it (its kind and id; the
 * state would need the kernel's record). Returns the length. */
static size_t handle_text(const struct vheap *h, struct value v, char *buf, size_t size)
{
    if (v.type != V_HANDLE) {  /* a function or an object: the kernel names it */
        size_t n = h->ext_text ? h->ext_text(h->ext_ctx, v, buf, size) : 0;
        if (n)
            return n;
        n = (size_t)snprintf(buf, size, v.type == V_FUNC ? "<function %lld>" : "<object %lld>",
                             (long long)v.i);
        return n < size ? n : size - 1;
    }
    static const char *const kinds[] = { "AsyncResult", "MapResult", "Future",
                                         "IMapIterator", "select.poll", "?", "?", "?" };
    int n = snprintf(buf, size, "<%s %lld>", kinds[v_handle_kind(v)],
                     (long long)v_handle_id(v));
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static uint64_t dyn_len(const struct vheap *h, struct value v);

static uint64_t repr_len(const struct vheap *h, struct value v)
{
    switch (v.type) {
    case V_INT:
        return int_repr_len(v.i);
    case V_BOOL:
        return v.i ? 4 : 5;    /* True, False */
    case V_STR:
    case V_TUPLE:
    case V_LIST:
    case V_DICT:
    case V_BYTES:
    case V_INST: {
        const struct vobj *o = obj_of(h, v);
        if (o && (o->dyn || vp_is_mutable_type(o->type)))
            return dyn_len(h, v);
        return o ? o->repr_len : 2;   /* stale: shown as '', () or [] */
    }
    case V_FLOAT: {
        char buf[32];
        return v_float_repr(v_float_of(v), buf);
    }
    case V_HANDLE:
    case V_FUNC:
    case V_OBJ: {
        char buf[160];
        return handle_text(h, v, buf, sizeof buf);
    }
    default:
        return 4;              /* None */
    }
}

/* ------------------------------------------------------------ the heap */

void vheap_init(struct vheap *h)
{
    memset(h, 0, sizeof *h);
    h->nobj = 1;               /* handle 0 means "no object" */
}

/* Messages made at run time: append-only, shared by a heap and its clones
 * (a clone's tasks may still point at them), freed with the last one. */
struct vmsgs {
    int refs;
    char **text;
    uint32_t n, cap;
};

#define MAX_MSGS 4096

static void msgs_release(struct vmsgs *m)
{
    if (!m || --m->refs > 0)
        return;
    for (uint32_t k = 0; k < m->n; k++)
        free(m->text[k]);
    free(m->text);
    free(m);
}

const char *vp_msg(const struct vheap *hc, const char *fmt, ...)
{
    struct vheap *h = (struct vheap *)hc;   /* the message store is not
                                               the heap's values */
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!h->msgs) {
        h->msgs = calloc(1, sizeof *h->msgs);
        if (!h->msgs)
            return "(out of memory for the message)";
        h->msgs->refs = 1;
    }
    struct vmsgs *m = h->msgs;
    for (uint32_t k = m->n; k-- > 0;)
        if (!strcmp(m->text[k], buf))
            return m->text[k];
    if (m->n == MAX_MSGS)
        return "(too many different messages in this run)";
    if (m->n == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 16;
        char **t = realloc(m->text, cap * sizeof *t);
        if (!t)
            return "(out of memory for the message)";
        m->text = t;
        m->cap = cap;
    }
    char *copy = malloc(strlen(buf) + 1);
    if (!copy)
        return "(out of memory for the message)";
    strcpy(copy, buf);
    m->text[m->n++] = copy;
    return copy;
}

void vheap_free(struct vheap *h)
{
    for (uint32_t k = 1; k < h->nobj; k++)
        free(h->obj[k]);
    free(h->obj);
    free(h->free);
    free(h->mark);
    msgs_release(h->msgs);
    vheap_init(h);
}

/* Make room for handle number h->nobj. The free list and the marks are as
 * long as the handle table, so a collection never needs memory. */
static bool grow_handles(struct vheap *h)
{
    if (h->nobj < h->cap)
        return true;
    if (h->cap > UINT32_MAX / 2)
        return false;
    uint32_t cap = h->cap ? h->cap * 2 : 64;
    struct vobj **obj = realloc(h->obj, cap * sizeof *obj);
    if (!obj)
        return false;
    h->obj = obj;
    uint32_t *fr = realloc(h->free, cap * sizeof *fr);
    if (!fr)
        return false;
    h->free = fr;
    uint8_t *mark = realloc(h->mark, cap);
    if (!mark)
        return false;
    h->mark = mark;
    h->freecap = h->cap = cap;
    return true;
}

/* A new object of `type` with n bytes or items, uninitialised, and its
 * handle in *ref. Limits are checked before anything is allocated. */
enum verr alloc_obj(struct vheap *h, uint8_t type, size_t n,
                           uint32_t *ref, struct vobj **out, const char **msg)
{
    if (h->nobj == 0)
        h->nobj = 1;           /* a zeroed heap is an empty heap */
    if (n > VALUE_MAX_OBJECT || payload_bytes(type, n) > VALUE_MAX_OBJECT) {
        *msg = MSG_TOO_BIG;
        return VE_MEMORY;
    }
    size_t size = sizeof(struct vobj) + payload_bytes(type, n);
    if (h->bytes + size > VALUE_MAX_HEAP) {
        *msg = MSG_HEAP_FULL;
        return VE_MEMORY;
    }
    struct vobj *o = malloc(size);
    if (!o || (h->nfree == 0 && !grow_handles(h))) {
        free(o);
        *msg = MSG_NO_MEMORY;
        return VE_MEMORY;
    }
    /* The free list is sorted high to low: the lowest handle is last. */
    *ref = h->nfree ? h->free[--h->nfree] : h->nobj++;
    o->n = (uint32_t)n;
    o->cap = (uint32_t)n;
    o->dyn = 0;
    o->repr_len = 0;
    o->chars = 0;
    o->gc_next = 0;
    o->type = type;
    h->obj[*ref] = o;
    h->mark[*ref] = 1;         /* made during a collection: it survives */
    h->bytes += size;
    h->since_gc += size;
    *out = o;
    return VE_OK;
}

enum verr resize_obj(struct vheap *h, uint32_t ref, size_t payload, const char **msg)
{
    struct vobj *o = h->obj[ref];
    if (payload > VALUE_MAX_OBJECT) {
        *msg = MSG_TOO_BIG;
        return VE_MEMORY;
    }
    size_t old = obj_bytes(o), size = sizeof(struct vobj) + payload;
    if (size > old && h->bytes + (size - old) > VALUE_MAX_HEAP) {
        *msg = MSG_HEAP_FULL;
        return VE_MEMORY;
    }
    struct vobj *n = realloc(o, size);
    if (!n) {
        *msg = MSG_NO_MEMORY;
        return VE_MEMORY;
    }
    h->obj[ref] = n;
    h->bytes = h->bytes - old + size;
    if (size > old)
        h->since_gc += size - old;
    return VE_OK;
}

bool vheap_clone(struct vheap *dst, const struct vheap *src)
{
    vheap_init(dst);
    uint32_t nobj = src->nobj ? src->nobj : 1;
    uint32_t cap = nobj < 64 ? 64 : nobj;
    dst->obj = calloc(cap, sizeof *dst->obj);
    dst->free = malloc(cap * sizeof *dst->free);
    dst->mark = calloc(cap, 1);
    if (!dst->obj || !dst->free || !dst->mark)
        goto fail;
    dst->cap = dst->freecap = cap;
    dst->nobj = nobj;
    for (uint32_t k = 1; k < src->nobj; k++) {
        const struct vobj *o = src->obj[k];
        if (!o)
            continue;
        dst->obj[k] = malloc(obj_bytes(o));
        if (!dst->obj[k])
            goto fail;
        memcpy(dst->obj[k], o, obj_bytes(o));
    }
    if (src->nfree)
        memcpy(dst->free, src->free, src->nfree * sizeof *src->free);
    dst->nfree = src->nfree;
    dst->bytes = src->bytes;
    dst->since_gc = src->since_gc;
    /* ext_text and mark_handle name the owner: the clone's sets its own */
    dst->msgs = src->msgs;
    if (dst->msgs)
        dst->msgs->refs++;
    return true;
fail:
    vheap_free(dst);
    return false;
}

void vheap_gc_begin(struct vheap *h)
{
    if (h->mark)
        memset(h->mark, 0, h->nobj);
}

/* Mark v and everything it holds. The grey stack is a list threaded
 * through the objects' gc_next fields: an object is pushed only when it is
 * first marked, so each is on the stack at most once and marking needs no
 * memory and no recursion, however deep the nesting. */
void vheap_mark(struct vheap *h, struct value v)
{
    if (v.type == V_HANDLE && h->mark_handle)
        h->mark_handle(h->mark_ctx, v);
    if (!obj_of(h, v) || h->mark[v.ref])
        return;
    h->mark[v.ref] = 1;
    h->obj[v.ref]->gc_next = 0;
    uint32_t top = v.ref;
    while (top) {
        struct vobj *o = h->obj[top];
        top = o->gc_next;
        uint32_t nc = nchildren(o);
        for (uint32_t k = 0; k < nc; k++) {
            struct value it = o->items[k];
            if (it.type == V_HANDLE && h->mark_handle)
                h->mark_handle(h->mark_ctx, it);
            if (!obj_of(h, it) || h->mark[it.ref])
                continue;
            h->mark[it.ref] = 1;
            h->obj[it.ref]->gc_next = top;
            top = it.ref;
        }
    }
}

/* Free what was not marked, then rebuild the free list from scratch (high
 * to low, so handles are reused lowest first) after dropping free handles
 * at the top of the table. The result depends only on which objects are
 * live, which keeps handle numbers deterministic. */
void vheap_gc_end(struct vheap *h)
{
    for (uint32_t k = 1; k < h->nobj; k++) {
        struct vobj *o = h->obj[k];
        if (o && !h->mark[k]) {
            h->bytes -= obj_bytes(o);
            free(o);
            h->obj[k] = NULL;
        }
    }
    while (h->nobj > 1 && !h->obj[h->nobj - 1])
        h->nobj--;
    h->nfree = 0;
    for (uint32_t k = h->nobj; k-- > 1;)
        if (!h->obj[k])
            h->free[h->nfree++] = k;
    h->since_gc = 0;
}

bool vheap_gc_due(const struct vheap *h)
{
    /* h->bytes also counts what was allocated since: take it off. */
    size_t survived = h->bytes > h->since_gc ? h->bytes - h->since_gc : 0;
    return h->since_gc > (survived > GC_MIN_BYTES ? survived : GC_MIN_BYTES);
}

/* ------------------------------------------------------------ making */

/* A new string of n bytes whose bytes the caller writes at *data, then
 * finishes with obj_done. */
enum verr str_alloc(struct vheap *h, size_t n, struct value *out,
                           char **data, const char **msg)
{
    struct vobj *o;
    uint32_t ref;
    enum verr e = alloc_obj(h, V_STR, n, &ref, &o, msg);
    if (e != VE_OK)
        return e;
    *data = (char *)o->items;
    *out = (struct value){ .ref = ref, .type = V_STR };
    return VE_OK;
}

/* Finish an object once its bytes or items are in: what is derived from
 * them is computed once, here. */
void obj_done(struct vheap *h, struct value v)
{
    struct vobj *o = h->obj[v.ref];
    if (o->type == V_STR) {
        o->chars = count_chars((const char *)o->items, o->n);
        o->repr_len = str_repr_len((const char *)o->items, o->n);
        return;
    }
    if (o->type == V_BYTES) {
        o->chars = o->n;
        o->repr_len = 1 + bytes_repr_len((const char *)o->items, o->n);
        return;
    }
    if (o->type != V_TUPLE) {  /* list, dict, instance: mutable */
        o->dyn = 1;
        return;
    }
    for (uint32_t k = 0; k < o->n; k++) {
        const struct vobj *it = obj_of(h, o->items[k]);
        if (it && (it->dyn || vp_is_mutable_type(it->type))) {
            o->dyn = 1;        /* its repr changes with the item's */
            return;
        }
    }
    /* "(" ")" and ", " between items; a one-item tuple adds its comma. */
    uint64_t len = 2 + (o->n ? 2 * (uint64_t)(o->n - 1) : 0);
    if (o->type == V_TUPLE && o->n == 1)
        len++;
    for (uint32_t k = 0; k < o->n; k++)
        len = sat_add(len, repr_len(h, o->items[k]));
    o->repr_len = len;
}

enum verr v_bytes(struct vheap *h, const char *s, size_t n, struct value *out)
{
    enum verr e = v_str(h, s, n, out);
    if (e == VE_OK) {
        h->obj[out->ref]->type = V_BYTES;
        out->type = V_BYTES;
        obj_done(h, *out);
    }
    return e;
}

enum verr v_str(struct vheap *h, const char *s, size_t n, struct value *out)
{
    const char *msg;
    char *data;
    enum verr e = str_alloc(h, n, out, &data, &msg);
    if (e != VE_OK)
        return e;
    if (n)
        memcpy(data, s, n);
    obj_done(h, *out);
    return VE_OK;
}

/* A new tuple or list of n items that the caller fills in at *items,
 * then finishes with obj_done. */
enum verr seq_alloc(struct vheap *h, uint8_t type, size_t n,
                           struct value *out, struct value **items,
                           const char **msg)
{
    struct vobj *o;
    uint32_t ref;
    enum verr e = alloc_obj(h, type, n, &ref, &o, msg);
    if (e != VE_OK)
        return e;
    *items = o->items;
    *out = (struct value){ .ref = ref, .type = type };
    return VE_OK;
}

enum verr v_seq(struct vheap *h, enum vtype type, const struct value *items,
                uint32_t n, struct value *out)
{
    if (!is_seq_type((uint8_t)type))
        return VE_TYPE;
    const char *msg;
    struct value *dst;
    enum verr e = seq_alloc(h, (uint8_t)type, n, out, &dst, &msg);
    if (e != VE_OK)
        return e;
    if (n)
        memcpy(dst, items, n * sizeof *items);
    obj_done(h, *out);
    return VE_OK;
}

/* ------------------------------------------------------------ reading */

const char *v_str_data(const struct vheap *h, struct value v, size_t *len)
{
    const struct vobj *o = obj_of(h, v);
    *len = o ? o->n : 0;
    return o ? (const char *)o->items : "";
}

const struct value *v_items(const struct vheap *h, struct value v, uint32_t *n)
{
    const struct vobj *o = obj_of(h, v);
    *n = o && is_seq_type(o->type) ? o->n : 0;
    return *n ? o->items : NULL;
}

bool v_truthy(const struct vheap *h, struct value v)
{
    if (v.type == V_INT || v.type == V_BOOL)
        return v.i != 0;
    if (v.type == V_HANDLE || v.type == V_FUNC || v.type == V_OBJ || v.type == V_INST)
        return true;
    if (v.type == V_FLOAT)
        return v_float_of(v) != 0.0;
    const struct vobj *o = obj_of(h, v);
    if (o && o->type == V_DICT)
        return o->chars > 0;
    return o && o->n > 0;
}

/* Indexed by enum vtype. */
static const char *const TYPE_NAMES[] = {
    "int", "bool", "NoneType", "str", "tuple", "list",
};
#define NTYPES 6

/* A type index that is safe for the tables below. */
static unsigned tix(struct value v)
{
    return v.type < NTYPES ? v.type : V_NONE;
}

const char *v_obj_type_name(struct value v)
{
    /* by enum object_kind (scenario.h): shared, lock, rlock, semaphore,
     * event, queue, pipe, array */
    static const char *const kinds[16] = {
        "Synchronized", "Lock", "RLock", "Semaphore", "Event", "Queue",
        "Connection", "SynchronizedArray" };
    int k = v_obj_kind(v);
    if (k == 5) {              /* a queue: by QK_* (and a thread queue's QO_*) */
        int qk = (int)(v.ref >> 4) & 3, qo = (int)(v.ref >> 6) & 3;
        return qk == 1 ? "JoinableQueue" : qk == 0 ? "Queue"
             : qo == 1 ? "LifoQueue" : qo == 2 ? "PriorityQueue" : "Queue";
    }
    return kinds[k] ? kinds[k] : "object";
}

const char *v_type_name(struct value v)
{
    if (v.type == V_HANDLE)
        return v_handle_kind(v) == HK_POLL ? "select.poll"
             : v_handle_kind(v) == HK_FUTURE ? "Future"
             : v_handle_kind(v) == HK_MAP ? "MapResult"
             : v_handle_kind(v) == HK_IMAP ? "IMapIterator" : "ApplyResult";
    switch (v.type) {
    case V_FLOAT: return "float";
    case V_DICT:  return "dict";
    case V_BYTES: return "bytes";
    case V_INST:  return "object";
    case V_FUNC:  return "function";
    case V_OBJ:   return v_obj_type_name(v);
    default:      return TYPE_NAMES[tix(v)];
    }
}

const char *vp_tname(const struct vheap *h, struct value v, char buf[64])
{
    if (v.type != V_INST)
        return v_type_name(v);
    size_t n;
    const char *c = v_inst_class(h, v, &n);
    snprintf(buf, 64, "%.*s", (int)(n < 63 ? n : 63), c);
    return buf;
}

int64_t vp_int_of(struct value v)
{
    return v.type == V_BOOL ? v.i != 0 : v.i;
}

const char *vp_bytes_data(const struct vheap *h, struct value v, size_t *len)
{
    return v_str_data(h, v, len);
}

/* ------------------------------------------------------------ messages
 * Python's exact messages, built at compile time by string pasting, so each
 * is a static constant that names the types involved. */

#define T_INT "int"
#define T_BOOL "bool"
#define T_NONE "NoneType"
#define T_STR "str"
#define T_TUPLE "tuple"
#define T_LIST "list"
/* One row per left type: ROW(M, a) is M(a, b) for every type b. */
#define ROW(M, a) { M(a, T_INT), M(a, T_BOOL), M(a, T_NONE), M(a, T_STR), M(a, T_TUPLE), M(a, T_LIST) }
#define TABLE(M) { ROW(M, T_INT), ROW(M, T_BOOL), ROW(M, T_NONE), ROW(M, T_STR), ROW(M, T_TUPLE), ROW(M, T_LIST) }

#define ADD_UNSUPPORTED(a, b) "unsupported operand type(s) for +: '" a "' and '" b "'"
#define ADD_CONCAT(a, b) "can only concatenate " a " (not \"" b "\") to " a
#define MUL_UNSUPPORTED(a, b) "unsupported operand type(s) for *: '" a "' and '" b "'"
#define CMP_LT(a, b) "'<' not supported between instances of '" a "' and '" b "'"
#define CMP_LE(a, b) "'<=' not supported between instances of '" a "' and '" b "'"
#define CMP_GT(a, b) "'>' not supported between instances of '" a "' and '" b "'"
#define CMP_GE(a, b) "'>=' not supported between instances of '" a "' and '" b "'"

static const char *const ADD_UNSUPPORTED_MSG[NTYPES][NTYPES] = TABLE(ADD_UNSUPPORTED);
static const char *const ADD_CONCAT_MSG[NTYPES][NTYPES] = TABLE(ADD_CONCAT);
static const char *const MUL_UNSUPPORTED_MSG[NTYPES][NTYPES] = TABLE(MUL_UNSUPPORTED);
static const char *const CMP_MSG[4][NTYPES][NTYPES] = {
    TABLE(CMP_LT), TABLE(CMP_LE), TABLE(CMP_GT), TABLE(CMP_GE),
};

/* One message per type of the offending operand. */
#define PER_TYPE(M) { M(T_INT), M(T_BOOL), M(T_NONE), M(T_STR), M(T_TUPLE), M(T_LIST) }
#define MUL_NON_INT(b) "can't multiply sequence by non-int of type '" b "'"
#define STR_INDICES(b) "string indices must be integers, not '" b "'"
#define TUPLE_INDICES(b) "tuple indices must be integers or slices, not " b
#define LIST_INDICES(b) "list indices must be integers or slices, not " b
#define NOT_SUBSCRIPTABLE(b) "'" b "' object is not subscriptable"
#define NO_LEN(b) "object of type '" b "' has no len()"
#define INT_ARG(b) "int() argument must be a string, a bytes-like object or a real number, not '" b "'"

static const char *const MUL_NON_INT_MSG[NTYPES] = PER_TYPE(MUL_NON_INT);
static const char *const STR_INDICES_MSG[NTYPES] = PER_TYPE(STR_INDICES);
static const char *const TUPLE_INDICES_MSG[NTYPES] = PER_TYPE(TUPLE_INDICES);
static const char *const LIST_INDICES_MSG[NTYPES] = PER_TYPE(LIST_INDICES);
static const char *const NOT_SUBSCRIPTABLE_MSG[NTYPES] = PER_TYPE(NOT_SUBSCRIPTABLE);
static const char *const NO_LEN_MSG[NTYPES] = PER_TYPE(NO_LEN);
static const char *const INT_ARG_MSG[NTYPES] = PER_TYPE(INT_ARG);

static const char MSG_INVALID_INT[] = "invalid literal for int() with base 10";
static const char MSG_INT_RANGE[] = "int() result out of the 64-bit range";
static const char MSG_ORDER[] = "ordering not supported between these types";

/* ------------------------------------------------------------ the walk
 * An explicit stack for printing and comparing nested values: a few frames
 * on the C stack, then on the heap. A failed growth is reported, never
 * fatal. */

struct frame {
    const struct value *a, *b; /* items being walked (b: compare only) */
    uint32_t na, nb;           /* their counts */
    uint32_t next;             /* next item to visit */
    uint32_t ref;              /* printing: the container (cycles) */
    uint8_t type;              /* V_TUPLE, V_LIST or V_DICT (printing) */
};

struct walk {
    struct frame *f;
    uint32_t n, cap;
    struct frame local[32];
};

static void walk_init(struct walk *w)
{
    w->f = w->local;
    w->n = 0;
    w->cap = sizeof w->local / sizeof w->local[0];
}

static void walk_free(struct walk *w)
{
    if (w->f != w->local)
        free(w->f);
}

/* A new frame on top, or NULL when out of memory. */
static struct frame *walk_push(struct walk *w)
{
    if (w->n >= (1u << 20))    /* a cycle compared with a cycle: give up */
        return NULL;
    if (w->n == w->cap) {
        if (w->cap > UINT32_MAX / 2)
            return NULL;
        uint32_t cap = w->cap * 2;
        struct frame *f = w->f == w->local ? malloc(cap * sizeof *f)
                                           : realloc(w->f, cap * sizeof *f);
        if (!f)
            return NULL;
        if (w->f == w->local)
            memcpy(f, w->local, sizeof w->local);
        w->f = f;
        w->cap = cap;
    }
    struct frame *f = &w->f[w->n++];
    memset(f, 0, sizeof *f);
    return f;
}

/* ------------------------------------------------------------ text */

/* Output into buf that stores at most `cap` bytes but counts all it is
 * given; once the count is past cap the walk stops (a small buffer need not
 * walk a large value). */
struct out {
    char *buf;
    size_t cap;
    size_t len;
};

static bool out_full(const struct out *o)
{
    return o->len > o->cap;
}

static void out_bytes(struct out *o, const char *s, size_t n)
{
    if (o->buf && o->len < o->cap) {
        size_t k = o->cap - o->len < n ? o->cap - o->len : n;
        memcpy(o->buf + o->len, s, k);
    }
    o->len += n;
}

static void out_str(struct out *o, const char *s)
{
    out_bytes(o, s, strlen(s));
}

static void out_int(struct out *o, int64_t i)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    /* Through uint64 so that INT64_MIN negates without overflow. */
    uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (i < 0)
        *--p = '-';
    out_bytes(o, p, (size_t)(tmp + sizeof tmp - p));
}

/* repr of a string (see escape). */
static void out_repr_str(struct out *o, const char *s, size_t n)
{
    char quote = quote_for(s, n), esc[5];
    out_bytes(o, &quote, 1);
    size_t run = 0;            /* bytes since the last escape, written at once */
    size_t k;
    for (k = 0; k < n && !out_full(o); k++) {
        const char *e = escape((unsigned char)s[k], quote, esc);
        if (e) {
            out_bytes(o, s + k - run, run);
            run = 0;
            out_str(o, e);
        } else {
            run++;
        }
    }
    out_bytes(o, s + k - run, run);
    out_bytes(o, &quote, 1);
}

/* repr of bytes: b'...' */
static void out_repr_bytes(struct out *o, const char *s, size_t n)
{
    char quote = quote_for(s, n), esc[5];
    out_bytes(o, "b", 1);
    out_bytes(o, &quote, 1);
    for (size_t k = 0; k < n && !out_full(o); k++) {
        const char *e = bytes_escape((unsigned char)s[k], quote, esc);
        if (e)
            out_str(o, e);
        else
            out_bytes(o, s + k, 1);
    }
    out_bytes(o, &quote, 1);
}

/* <__main__.C object at 0x7f...>: CPython's default repr of an instance,
 * with an address made from the handle (stable within a run). */
static void out_inst(struct out *o, const struct vheap *h, struct value v)
{
    size_t n;
    const char *c = v_inst_class(h, v, &n);
    char buf[64];
    out_str(o, "<__main__.");
    out_bytes(o, c, n);
    snprintf(buf, sizeof buf, " object at 0x7f%010llx>",
             (unsigned long long)(0x3a2c000000ull + (uint64_t)v.ref * 0x50));
    out_str(o, buf);
}

/* A value that holds no other (or a stale container, shown empty). */
static void out_scalar(struct out *o, const struct vheap *h, struct value v,
                       bool repr)
{
    switch (v.type) {
    case V_INT:
        out_int(o, v.i);
        return;
    case V_BOOL:
        out_str(o, v.i ? "True" : "False");
        return;
    case V_FLOAT: {
        char buf[32];
        out_bytes(o, buf, v_float_repr(v_float_of(v), buf));
        return;
    }
    case V_STR: {
        size_t n;
        const char *s = v_str_data(h, v, &n);
        if (repr)
            out_repr_str(o, s, n);
        else
            out_bytes(o, s, n);
        return;
    }
    case V_BYTES: {
        size_t n;
        const char *s = v_str_data(h, v, &n);
        out_repr_bytes(o, s, n);
        return;
    }
    case V_INST:
        out_inst(o, h, v);
        return;
    case V_TUPLE:
        out_str(o, "()");
        return;
    case V_LIST:
        out_str(o, "[]");
        return;
    case V_DICT:
        out_str(o, "{}");
        return;
    case V_HANDLE:
    case V_FUNC:
    case V_OBJ: {
        char buf[160];
        handle_text(h, v, buf, sizeof buf);
        out_str(o, buf);
        return;
    }
    default:
        out_str(o, "None");
        return;
    }
}

static bool is_container(const struct vheap *h, struct value v)
{
    return (v.type == V_TUPLE || v.type == V_LIST || v.type == V_DICT) && obj_of(h, v);
}

static const char *opener(uint8_t type)
{
    return type == V_TUPLE ? "(" : type == V_LIST ? "[" : "{";
}

/* Start printing container v: a new frame, or "[...]" when v is being
 * printed already (a list that holds itself, as Python shows it). */
static void out_open(struct out *o, const struct vheap *h, struct walk *w, struct value v)
{
    for (uint32_t k = 0; k < w->n; k++)
        if (w->f[k].ref == v.ref) {
            out_str(o, v.type == V_TUPLE ? "(...)" : v.type == V_LIST ? "[...]" : "{...}");
            return;
        }
    struct frame *g = walk_push(w);
    if (!g) {                  /* out of memory: show the item as cut */
        out_str(o, "...");
        return;
    }
    struct vobj *ob = obj_of(h, v);
    g->a = ob->items;
    g->na = v.type == V_DICT ? 2 * ob->n : ob->n;
    g->type = v.type;
    g->ref = v.ref;
    out_str(o, opener(v.type));
}

/* str(v) or repr(v); containers always show their items with repr. A
 * dict's frame walks its entries as key, value, key, value... */
static void out_value(struct out *o, const struct vheap *h, struct value v,
                      bool repr)
{
    if (!is_container(h, v)) {
        out_scalar(o, h, v, repr);
        return;
    }
    struct walk w;
    walk_init(&w);
    out_open(o, h, &w, v);
    while (w.n && !out_full(o)) {
        struct frame *f = &w.f[w.n - 1];
        if (f->type == V_DICT)
            while (f->next < f->na && f->a[f->next].type == VT_DEAD)
                f->next += 2;  /* a deleted entry */
        if (f->next >= f->na) {
            /* A one-item tuple keeps its comma: (1,) */
            if (f->type == V_TUPLE)
                out_str(o, f->na == 1 ? ",)" : ")");
            else
                out_str(o, f->type == V_LIST ? "]" : "}");
            w.n--;
            continue;
        }
        if (f->type == V_DICT && (f->next & 1))
            out_str(o, ": ");
        else if (f->next > 0 && (f->type != V_DICT || f->b != NULL))
            out_str(o, ", ");
        if (f->type == V_DICT)
            f->b = f->a;       /* something was printed: commas from now */
        struct value it = f->a[f->next++];
        if (!is_container(h, it))
            out_scalar(o, h, it, true);
        else
            out_open(o, h, &w, it);
    }
    walk_free(&w);
}

/* The length of repr(v) for a value whose length is not cached, counted
 * by printing it nowhere (stopping past the largest object). */
static uint64_t dyn_len(const struct vheap *h, struct value v)
{
    struct out o = { .buf = NULL, .cap = VALUE_MAX_OBJECT };
    out_value(&o, h, v, true);
    return o.len;
}

size_t v_format(const struct vheap *h, struct value v, bool repr, char *buf,
                size_t size)
{
    if (size == 0)
        return 0;
    struct out o = { .buf = buf, .cap = size - 1 };
    out_value(&o, h, v, repr);
    if (o.len <= o.cap) {
        buf[o.len] = '\0';
        return o.len;
    }
    /* Cut: "..." at the end, not splitting a UTF-8 character before it. */
    size_t keep = o.cap >= 3 ? o.cap - 3 : 0;
    while (keep > 0 && ((unsigned char)buf[keep] & 0xc0) == 0x80)
        keep--;
    size_t dots = o.cap - keep < 3 ? o.cap - keep : 3;
    memcpy(buf + keep, "...", dots);
    buf[keep + dots] = '\0';
    return keep + dots;
}

size_t v_msg_size(const struct vheap *h, struct value v)
{
    uint64_t size = sat_add(repr_len(h, v), 4);
    return size > SIZE_MAX ? SIZE_MAX : (size_t)size;
}

enum verr v_to_str(struct vheap *h, struct value a, bool repr,
                   struct value *out, const char **msg)
{
    if (a.type == V_STR && !repr) {
        *out = a;              /* immutable: str(s) may be s itself */
        return VE_OK;
    }
    /* Anything but a string shows as its repr (containers show their
     * items' repr), whose length is known before writing. */
    uint64_t len = repr_len(h, a);
    if (len > VALUE_MAX_OBJECT) {
        *msg = MSG_TOO_BIG;
        return VE_MEMORY;
    }
    char *data;
    enum verr e = str_alloc(h, (size_t)len, out, &data, msg);
    if (e != VE_OK)
        return e;
    struct out o = { .buf = data, .cap = (size_t)len };
    out_value(&o, h, a, repr);
    obj_done(h, *out);
    return VE_OK;
}

/* ------------------------------------------------------------ comparing */

/* How two values compare before looking inside them. */
enum pair {
    P_EQUAL,
    P_LESS,
    P_GREATER,
    P_UNORDERED,               /* not equal, and no order between them */
    P_DESCEND,                 /* same kind of sequence: compare the items */
    P_NO_MEMORY,               /* the walk could not grow */
};

static enum pair sign(int c)
{
    return c < 0 ? P_LESS : c > 0 ? P_GREATER : P_EQUAL;
}

static bool dict_equal(const struct vheap *h, struct value a, struct value b)
{
    if (v_dict_len(h, a) != v_dict_len(h, b))
        return false;
    uint32_t pos = 0;
    struct value k, va, vb;
    while (v_dict_next(h, a, &pos, &k, &va)) {
        bool found = false;
        const char *msg;
        if (v_dict_get(h, b, k, &vb, &found, &msg) != VE_OK || !found ||
            !v_equal(h, va, vb))
            return false;
    }
    return true;
}

static enum pair pair_of(const struct vheap *h, struct value a,
                         struct value b, bool eq_only)
{
    if (v_is_int(a) && v_is_int(b)) {
        int64_t x = a.type == V_BOOL ? a.i != 0 : a.i;
        int64_t y = b.type == V_BOOL ? b.i != 0 : b.i;
        return sign((x > y) - (x < y));
    }
    if (v_is_num(a) && v_is_num(b)) {   /* a float and an int or float */
        double x = v_num_double(a), y = v_num_double(b);
        if (x != x || y != y)
            return P_UNORDERED;         /* nan: equal to nothing */
        return sign((x > y) - (x < y));
    }
    if (a.type != b.type)
        return P_UNORDERED;
    if (a.type == V_NONE)
        return P_EQUAL;        /* v_compare refuses None < None itself */
    if (!is_obj_type(a.type) || a.type == V_INST)   /* identity */
        return a.i == b.i && a.ref == b.ref ? P_EQUAL : P_UNORDERED;
    if (a.ref == b.ref)        /* the same object: equal (Python's lists
                                  compare their items by identity first) */
        return P_EQUAL;
    if (a.type == V_DICT) {    /* the same keys with equal values */
        if (!eq_only)
            return P_UNORDERED;
        return dict_equal(h, a, b) ? P_EQUAL : P_UNORDERED;
    }
    if (a.type == V_STR || a.type == V_BYTES) {
        size_t na, nb;
        const char *x = v_str_data(h, a, &na), *y = v_str_data(h, b, &nb);
        /* UTF-8 byte order is code point order, as Python compares. */
        int c = memcmp(x, y, na < nb ? na : nb);
        return sign(c ? c : (na > nb) - (na < nb));
    }
    if (!is_seq_type(a.type))
        return P_UNORDERED;
    if (eq_only) {
        uint32_t na, nb;
        v_items(h, a, &na);
        v_items(h, b, &nb);
        if (na != nb)
            return P_UNORDERED;
    }
    return P_DESCEND;
}

/* Compare a and b as Python does for sequences: the first pair of items
 * that are not equal decides (comparing that pair is the whole answer, so
 * the walk never has to come back up), else the lengths. With eq_only,
 * sequences of different lengths are unequal at once and None equals None.
 * *x and *y get the pair that decided (for a TypeError's message). */
static enum pair compare(const struct vheap *h, struct value a, struct value b,
                         bool eq_only, struct value *x, struct value *y)
{
    *x = a;
    *y = b;
    enum pair r = pair_of(h, a, b, eq_only);
    if (r != P_DESCEND)
        return r;
    struct walk w;
    walk_init(&w);
    struct frame *f = walk_push(&w);
    f->a = v_items(h, a, &f->na);
    f->b = v_items(h, b, &f->nb);
    r = P_EQUAL;
    while (w.n) {
        f = &w.f[w.n - 1];
        if (f->next == f->na || f->next == f->nb) {
            if (f->na != f->nb) {
                r = f->na < f->nb ? P_LESS : P_GREATER;
                break;
            }
            w.n--;
            continue;
        }
        *x = f->a[f->next];
        *y = f->b[f->next];
        f->next++;
        r = pair_of(h, *x, *y, eq_only);
        if (r == P_EQUAL)
            continue;
        if (r != P_DESCEND)
            break;
        struct frame *g = walk_push(&w);
        if (!g) {
            r = P_NO_MEMORY;
            break;
        }
        g->a = v_items(h, *x, &g->na);
        g->b = v_items(h, *y, &g->nb);
        r = P_EQUAL;
    }
    walk_free(&w);
    return r;
}

/* Out of memory while walking two huge nested values: they are reported
 * unequal (the only answer a bool can give; it needs nesting thousands
 * deep and a failed malloc). */
bool v_equal(const struct vheap *h, struct value a, struct value b)
{
    struct value x, y;
    return compare(h, a, b, true, &x, &y) == P_EQUAL;
}

enum verr v_compare(const struct vheap *h, struct value a, struct value b,
                    const char *op, int *cmp, const char **msg)
{
    struct value x, y;
    /* None equals None, so inside sequences it is passed over as Python
     * does ((None, 1) < (None, 2)); compared directly it has no order. */
    enum pair r = a.type == V_NONE && b.type == V_NONE
        ? P_UNORDERED : compare(h, a, b, false, &x, &y);
    if (r == P_UNORDERED && a.type == V_NONE && b.type == V_NONE) {
        x = a;
        y = b;
    }
    if (r == P_NO_MEMORY) {
        *msg = MSG_NO_MEMORY;
        return VE_MEMORY;
    }
    if (r == P_UNORDERED) {
        static const char *const ops[4] = { "<", "<=", ">", ">=" };
        *msg = MSG_ORDER;
        for (int k = 0; k < 4; k++)
            if (op && strcmp(op, ops[k]) == 0)
                *msg = CMP_MSG[k][tix(x)][tix(y)];
        if (op && (x.type >= NTYPES || y.type >= NTYPES)) {
            char b1[64], b2[64];
            *msg = vp_msg(h, "'%s' not supported between instances of '%s' and '%s'", op,
                          vp_tname(h, x, b1), vp_tname(h, y, b2));
        }
        return VE_TYPE;
    }
    *cmp = r == P_LESS ? -1 : r == P_GREATER ? 1 : 0;
    return VE_OK;
}

/* ------------------------------------------------------------ operations */

/* A bool as the int it is (True is 1). */
static int64_t int_of(struct value v)
{
    return v.type == V_BOOL ? v.i != 0 : v.i;
}

enum verr v_add(struct vheap *h, struct value a, struct value b,
                struct value *out, const char **msg)
{
    if (v_is_int(a) && v_is_int(b)) {
        *out = v_int((int64_t)((uint64_t)int_of(a) + (uint64_t)int_of(b)));
        return VE_OK;
    }
    if (a.type >= NTYPES || b.type >= NTYPES) {
        if (a.type == V_BYTES && b.type == V_BYTES) {
            size_t na, nb;
            const char *x = v_str_data(h, a, &na), *y = v_str_data(h, b, &nb);
            char *data;
            enum verr e = str_alloc(h, na + nb, out, &data, msg);
            if (e != VE_OK)
                return e;
            memcpy(data, x, na);
            memcpy(data + na, y, nb);
            h->obj[out->ref]->type = V_BYTES;
            out->type = V_BYTES;
            obj_done(h, *out);
            return VE_OK;
        }
        return v_arith(h, VA_ADD, a, b, out, msg);
    }
    if (!is_obj_type(a.type)) {
        *msg = ADD_UNSUPPORTED_MSG[tix(a)][tix(b)];
        return VE_TYPE;
    }
    if (a.type != b.type) {
        *msg = ADD_CONCAT_MSG[tix(a)][tix(b)];
        return VE_TYPE;
    }
    if (a.type == V_STR) {
        size_t na, nb;
        const char *x = v_str_data(h, a, &na), *y = v_str_data(h, b, &nb);
        char *data;
        /* Each part is at most VALUE_MAX_OBJECT: the sum cannot overflow. */
        enum verr e = str_alloc(h, na + nb, out, &data, msg);
        if (e != VE_OK)
            return e;
        /* x and y stay valid: objects never move when the heap grows. */
        memcpy(data, x, na);
        memcpy(data + na, y, nb);
        obj_done(h, *out);
        return VE_OK;
    }
    uint32_t na, nb;
    const struct value *x = v_items(h, a, &na), *y = v_items(h, b, &nb);
    struct value *items;
    enum verr e = seq_alloc(h, a.type, (size_t)na + nb, out, &items, msg);
    if (e != VE_OK)
        return e;
    if (na)
        memcpy(items, x, na * sizeof *x);
    if (nb)
        memcpy(items + na, y, nb * sizeof *y);
    obj_done(h, *out);
    return VE_OK;
}

/* seq * count: Python gives an empty sequence for count <= 0. */
static enum verr repeat(struct vheap *h, struct value seq, int64_t count,
                        struct value *out, const char **msg)
{
    bool text = seq.type == V_STR || seq.type == V_BYTES;
    size_t unit = text ? 1 : sizeof(struct value);
    size_t n;
    const void *src;
    if (text) {
        src = v_str_data(h, seq, &n);
    } else {
        uint32_t items;
        src = v_items(h, seq, &items);
        n = items;
    }
    if (count <= 0 || n == 0)
        count = 0;
    /* Checked before multiplying, so the product cannot overflow. */
    if (count > 0 && (uint64_t)count > VALUE_MAX_OBJECT / (n * unit)) {
        *msg = MSG_TOO_BIG;
        return VE_MEMORY;
    }
    size_t total = n * (size_t)count;
    char *sdst = NULL;
    struct value *idst = NULL;
    enum verr e = text
        ? str_alloc(h, total, out, &sdst, msg)
        : seq_alloc(h, seq.type, total, out, &idst, msg);
    if (e != VE_OK)
        return e;
    char *dst = sdst ? sdst : (char *)idst;
    /* src stays valid: objects never move when the heap grows. */
    for (int64_t k = 0; k < count; k++)
        memcpy(dst + (size_t)k * n * unit, src, n * unit);
    if (seq.type == V_BYTES) {
        h->obj[out->ref]->type = V_BYTES;
        out->type = V_BYTES;
    }
    obj_done(h, *out);
    return VE_OK;
}

enum verr v_mul(struct vheap *h, struct value a, struct value b,
                struct value *out, const char **msg)
{
    if (v_is_int(a) && v_is_int(b)) {
        *out = v_int((int64_t)((uint64_t)int_of(a) * (uint64_t)int_of(b)));
        return VE_OK;
    }
    if (a.type >= NTYPES || b.type >= NTYPES) {
        if (a.type == V_BYTES && v_is_int(b))
            return repeat(h, a, int_of(b), out, msg);
        if (b.type == V_BYTES && v_is_int(a))
            return repeat(h, b, int_of(a), out, msg);
        return v_arith(h, VA_MUL, a, b, out, msg);
    }
    /* Python tries the left operand's repeat, then the right one's; the
     * message names the other operand's type. */
    if (is_obj_type(a.type)) {
        if (!v_is_int(b)) {
            *msg = MUL_NON_INT_MSG[tix(b)];
            return VE_TYPE;
        }
        return repeat(h, a, int_of(b), out, msg);
    }
    if (is_obj_type(b.type)) {
        if (!v_is_int(a)) {
            *msg = MUL_NON_INT_MSG[tix(a)];
            return VE_TYPE;
        }
        return repeat(h, b, int_of(a), out, msg);
    }
    *msg = MUL_UNSUPPORTED_MSG[tix(a)][tix(b)];
    return VE_TYPE;
}

/* Byte offset of character k (< the string's characters) in s. */
static size_t char_offset(const char *s, size_t n, uint32_t chars, int64_t k)
{
    if (chars == n)            /* ASCII (or every byte alone): direct */
        return (size_t)k;
    size_t off = 0;
    for (; k > 0; k--)
        off += char_len((const unsigned char *)s + off, n - off);
    return off;
}

/* KeyError's message: repr(key) */
static const char *key_msg(const struct vheap *h, struct value key)
{
    char buf[300];
    v_format(h, key, true, buf, sizeof buf);
    return vp_msg(h, "%s", buf);
}

enum verr v_index(struct vheap *h, struct value a, struct value i,
                  struct value *out, const char **msg)
{
    char b1[64], b2[64];
    if (a.type == V_DICT) {
        bool found;
        enum verr e = v_dict_get(h, a, i, out, &found, msg);
        if (e == VE_OK && !found) {
            *msg = key_msg(h, i);
            return VE_KEY;
        }
        return e;
    }
    if (a.type == V_INST || !is_obj_type(a.type)) {
        *msg = vp_msg(h, "'%s' object is not subscriptable", vp_tname(h, a, b1));
        return VE_TYPE;
    }
    if (!v_is_int(i) && (i.type >= NTYPES || a.type >= NTYPES)) {
        *msg = a.type == V_BYTES
            ? vp_msg(h, "byte indices must be integers or slices, not %s", vp_tname(h, i, b2))
            : a.type == V_STR
            ? vp_msg(h, "string indices must be integers, not '%s'", vp_tname(h, i, b2))
            : vp_msg(h, "%s indices must be integers or slices, not %s",
                     a.type == V_TUPLE ? "tuple" : "list", vp_tname(h, i, b2));
        return VE_TYPE;
    }
    if (a.type == V_BYTES) {
        const struct vobj *o = obj_of(h, a);
        int64_t k = int_of(i), len = o ? o->n : 0;
        if (k < 0)
            k += len;
        if (k < 0 || k >= len) {
            *msg = "index out of range";
            return VE_INDEX;
        }
        *out = v_int(((const unsigned char *)o->items)[k]);
        return VE_OK;
    }
    if (!is_obj_type(a.type)) {
        *msg = NOT_SUBSCRIPTABLE_MSG[tix(a)];
        return VE_TYPE;
    }
    if (!v_is_int(i)) {
        *msg = a.type == V_STR ? STR_INDICES_MSG[tix(i)]
             : a.type == V_TUPLE ? TUPLE_INDICES_MSG[tix(i)]
             : LIST_INDICES_MSG[tix(i)];
        return VE_TYPE;
    }
    const struct vobj *o = obj_of(h, a);
    int64_t len = !o ? 0 : a.type == V_STR ? o->chars : o->n;
    int64_t k = int_of(i);
    if (k < 0)
        k += len;              /* len is small: no overflow */
    if (k < 0 || k >= len) {
        *msg = a.type == V_STR ? "string index out of range"
             : a.type == V_TUPLE ? "tuple index out of range"
             : "list index out of range";
        return VE_INDEX;
    }
    if (a.type != V_STR) {
        *out = o->items[k];
        return VE_OK;
    }
    const char *s = (const char *)o->items;
    size_t off = char_offset(s, o->n, o->chars, k);
    size_t n = char_len((const unsigned char *)s + off, o->n - off);
    char *data;
    enum verr e = str_alloc(h, n, out, &data, msg);
    if (e != VE_OK)
        return e;
    memcpy(data, s + off, n);  /* s stays valid: objects never move */
    obj_done(h, *out);
    return VE_OK;
}

enum verr v_len(const struct vheap *h, struct value a, int64_t *out,
                const char **msg)
{
    if (!is_obj_type(a.type) || a.type == V_INST) {
        char b1[64];
        *msg = a.type < NTYPES ? NO_LEN_MSG[tix(a)]
             : vp_msg(h, "object of type '%s' has no len()", vp_tname(h, a, b1));
        return VE_TYPE;
    }
    const struct vobj *o = obj_of(h, a);
    *out = !o ? 0 : a.type == V_STR || a.type == V_DICT ? o->chars : o->n;
    return VE_OK;
}

/* Python's int() strips these (and Unicode spaces, which procsim's ASCII
 * parser does not know). */
static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

enum verr v_to_int(const struct vheap *h, struct value a, int64_t *out,
                   const char **msg)
{
    if (v_is_int(a)) {
        *out = int_of(a);
        return VE_OK;
    }
    if (a.type == V_FLOAT) {   /* toward zero */
        double d = v_float_of(a);
        if (d != d) {
            *msg = "cannot convert float NaN to integer";
            return VE_VALUE;
        }
        if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
            *msg = d - d != 0 ? "cannot convert float infinity to integer"
                              : "int too large for procsim's 64-bit integers";
            return VE_OVERFLOW;
        }
        *out = (int64_t)d;
        return VE_OK;
    }
    if (a.type != V_STR) {
        char b1[64];
        *msg = a.type < NTYPES ? INT_ARG_MSG[tix(a)]
             : vp_msg(h, "int() argument must be a string, a bytes-like object or a real "
                      "number, not '%s'", vp_tname(h, a, b1));
        return VE_TYPE;
    }
    size_t n, k = 0;
    const char *s = v_str_data(h, a, &n);
    while (n > 0 && is_space(s[n - 1]))
        n--;
    while (k < n && is_space(s[k]))
        k++;
    bool neg = k < n && s[k] == '-';
    if (k < n && (s[k] == '-' || s[k] == '+'))
        k++;
    /* Digits, with single underscores between them (Python's 1_000). */
    uint64_t u = 0;
    bool digits = false, overflow = false;
    for (; k < n; k++) {
        if (s[k] == '_' && digits && k + 1 < n && s[k + 1] >= '0' && s[k + 1] <= '9')
            continue;
        if (s[k] < '0' || s[k] > '9')
            break;
        digits = true;
        unsigned d = (unsigned)(s[k] - '0');
        if (u > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            u = u * 10 + d;
    }
    if (!digits || k != n) {
        char buf[200];
        v_format(h, a, true, buf, sizeof buf);   /* CPython names the text */
        *msg = vp_msg(h, "%s: %s", MSG_INVALID_INT, buf);
        return VE_VALUE;
    }
    /* INT64_MAX + 1 is allowed only as -2^63. */
    if (overflow || u > (uint64_t)INT64_MAX + neg) {
        *msg = MSG_INT_RANGE;
        return VE_VALUE;
    }
    *out = !neg ? (int64_t)u : u == 0 ? 0 : -(int64_t)(u - 1) - 1;
    return VE_OK;
}
