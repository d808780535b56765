/*
 * objref.c - objects as values (issue 14): a V_OBJ refers to one of the
 * machine's objects (a shared value, lock, rlock, semaphore, event, queue
 * or array) by its index, so a program passes a Queue to a function, keeps
 * Locks in a list or stores them on self, as Python programs do.
 *
 * The statements and expressions that name a declared object are compiled
 * with its index (as fast as ever). When they name a variable instead (or
 * any expression: `invoke`), the parser compiles a dynamic form: the same
 * instruction with obj = -1 and the receiver's expression (insn.e2; for
 * OP_ARRAY_SET argv[0]; for EX_REF, a). Here the receiver is evaluated,
 * checked to be an object that has the method (else AttributeError, as
 * CPython words it), and the instruction runs as if it had named that
 * object: a copy with obj set is handed to the object's own code. A
 * statement that waits leaves pc on itself or past itself exactly as the
 * named form does, and runs this dispatch again when it resumes.
 *
 * Nothing here allocates: a V_OBJ is a kind and an index in the value.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pytypes.h"

_Static_assert(OBJ_SHARED == 0 && OBJ_LOCK == 1 && OBJ_RLOCK == 2 && OBJ_SEMAPHORE == 3 &&
               OBJ_EVENT == 4 && OBJ_QUEUE == 5 && OBJ_PIPE == 6 && OBJ_ARRAY == 7 &&
               QK_JOINABLE == 1 && QO_LIFO == 1 && QO_PRIORITY == 2,
               "v_obj_type_name (value.c) names kinds by these numbers");

struct value objref_value(const struct machine *m, int obj)
{
    const struct object *o = &m->scn->objects[obj];
    uint32_t kind = (uint32_t)o->kind;
    if (o->kind == OBJ_QUEUE)
        kind |= (uint32_t)o->qkind << 4 | (uint32_t)o->qorder << 6;
    return v_obj(kind, obj);
}

/* ------------------------------------------------------------- repr */

size_t objref_text(void *ctx, struct value v, char *buf, size_t size);

void objref_hook(struct machine *m)
{
    m->heap.ext_text = objref_text;
    m->heap.ext_ctx = m;
}

/* Who holds lock o, as multiprocessing's repr says it. */
static const char *owner_text(const struct machine *m, const struct objstate *o,
                              const struct task *me)
{
    if (o->owner == OWNER_GONE)
        return "SomeOtherThread";
    if (o->owner < 0)
        return "None";
    const struct task *h = &m->tasks[o->owner];
    if (h == me)
        return "MainProcess";
    return me && h->proc == me->proc ? "SomeOtherThread" : "SomeOtherProcess";
}

/* The text print and repr show for a V_OBJ: CPython's repr of the
 * multiprocessing object (a queue.Queue's for a thread queue), with a
 * stable fake address. `ctx` is the machine (vheap.obj_ctx). */
size_t objref_text(void *ctx, struct value v, char *buf, size_t size)
{
    const struct machine *m = ctx;
    if (v.type == V_FUNC)                 /* a function, in a container */
        return v.i >= 0 && v.i < m->scn->nprograms ? out_format(m, v, true, buf, size) : 0;
    if (v.type != V_OBJ)
        return 0;
    int obj = v_obj_index(v);
    unsigned long long addr = 0x7f5e00001000ull + (unsigned long long)(uint32_t)obj * 0x40;
    int n;
    if (obj < 0 || obj >= m->scn->nobjects) {
        n = snprintf(buf, size, "<%s object at 0x%llx>", v_type_name(v), addr);
        return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
    }
    const struct object *d = &m->scn->objects[obj];
    const struct objstate *o = &m->objs[obj];
    const struct task *me = m->exec_slot >= 0 ? &m->tasks[m->exec_slot] : NULL;
    switch (d->kind) {
    case OBJ_LOCK:
        n = snprintf(buf, size, "<Lock(owner=%s)>", owner_text(m, o, me));
        break;
    case OBJ_RLOCK:
        n = snprintf(buf, size, "<RLock(%s, %d)>", owner_text(m, o, me),
                     o->owner == -1 ? 0 : o->count);
        break;
    case OBJ_SEMAPHORE:
        n = snprintf(buf, size, "<Semaphore(value=%lld)>", (long long)o->value);
        break;
    case OBJ_EVENT:
        n = snprintf(buf, size, "<Event at 0x%llx %s>", addr, o->value ? "set" : "unset");
        break;
    case OBJ_SHARED:
        n = snprintf(buf, size, "<Synchronized wrapper for c_int(%lld)>", (long long)o->value);
        break;
    case OBJ_ARRAY:
        n = snprintf(buf, size, "<SynchronizedArray wrapper for <multiprocessing."
                     "sharedctypes.c_int_Array_%d object at 0x%llx>>", d->nitems, addr);
        break;
    case OBJ_QUEUE:
        n = snprintf(buf, size, "<%s.%s object at 0x%llx>",
                     d->qkind == QK_THREAD ? "queue" : "multiprocessing.queues",
                     v_type_name(v), addr);
        break;
    default:
        n = snprintf(buf, size, "<%s object at 0x%llx>", v_type_name(v), addr);
        break;
    }
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* -------------------------------------------------- who has what */

/* Does object obj have method or attribute `name`? (CPython's classes:
 * a multiprocessing.Queue has no task_done, a Lock no set...) */
bool objref_has(const struct object *d, const char *name)
{
    static const struct { const char *n; unsigned kinds; } attrs[] = {
#define K(k) (1u << (k))
        { "put", K(OBJ_QUEUE) }, { "get", K(OBJ_QUEUE) },
        { "put_nowait", K(OBJ_QUEUE) }, { "get_nowait", K(OBJ_QUEUE) },
        { "qsize", K(OBJ_QUEUE) }, { "empty", K(OBJ_QUEUE) }, { "full", K(OBJ_QUEUE) },
        { "close", K(OBJ_QUEUE) }, { "task_done", K(OBJ_QUEUE) }, { "join", K(OBJ_QUEUE) },
        { "acquire", K(OBJ_LOCK) | K(OBJ_RLOCK) | K(OBJ_SEMAPHORE) | K(OBJ_SHARED) |
                     K(OBJ_ARRAY) },
        { "release", K(OBJ_LOCK) | K(OBJ_RLOCK) | K(OBJ_SEMAPHORE) | K(OBJ_SHARED) |
                     K(OBJ_ARRAY) },
        { "get_lock", K(OBJ_SHARED) | K(OBJ_ARRAY) },
        { "locked", K(OBJ_LOCK) },
        { "set", K(OBJ_EVENT) }, { "clear", K(OBJ_EVENT) }, { "wait", K(OBJ_EVENT) },
        { "is_set", K(OBJ_EVENT) },
        { "value", K(OBJ_SHARED) },
#undef K
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        if (strcmp(attrs[i].n, name))
            continue;
        if (!(attrs[i].kinds & (1u << d->kind)))
            return false;
        if (d->kind != OBJ_QUEUE)
            return true;
        if (!strcmp(name, "close"))
            return d->qkind != QK_THREAD;
        if (!strcmp(name, "task_done") || !strcmp(name, "join"))
            return d->qkind != QK_MP;
        return true;
    }
    return false;
}

/* The AttributeError message for receiver v from an instruction's table
 * (parse_obj.c: args[0] the name, args[1 + k] for PY_TYPE_NAMES[k], then
 * one naming no type). */
const char *objref_no_attr(const struct insn *in, struct value v)
{
    if (!in->args || in->nargs < PY_NTYPES + 2)
        return "object has no such attribute";
    return in->args[1 + py_type_index(v_type_name(v))].str;
}

/* Evaluate the receiver e of `name` (an instruction's method); the index
 * of its object when it is an object that has it, else -1 after raising
 * AttributeError (or an error of e itself). */
static int receiver(struct machine *m, struct task *t, const struct insn *in,
                    const struct expr *e, const char *name, struct value *v)
{
    if (!expr_value(m, t, e, v))
        return -1;
    if (v->type == V_OBJ) {
        int obj = v_obj_index(*v);
        if (obj >= 0 && obj < m->scn->nobjects && objref_has(&m->scn->objects[obj], name))
            return obj;
    }
    task_raise(m, t, in->pos, EXC_ATTRIBUTE, objref_no_attr(in, *v));
    return -1;
}

static const char *method_name(enum method md)
{
    switch (md) {
    case METHOD_ACQUIRE:   return "acquire";
    case METHOD_RELEASE:   return "release";
    case METHOD_SET:       return "set";
    case METHOD_CLEAR:     return "clear";
    case METHOD_WAIT:      return "wait";
    case METHOD_PUT:       return "put";
    case METHOD_GET:       return "get";
    case METHOD_CLOSE:     return "close";
    case METHOD_TASK_DONE: return "task_done";
    case METHOD_QJOIN:     return "join";
    default:               return "?";
    }
}

/* ------------------------------------------------- dynamic statements */

bool objref_exec(struct machine *m, struct task *t, const struct insn *in)
{
    struct value v;
    struct insn c = *in;
    int obj;
    switch (in->op) {
    case OP_SHARED_SET:                            /* V.value = / += / -= E */
        if ((obj = receiver(m, t, in, in->e2, "value", &v)) < 0)
            return false;
        c.obj = obj;
        objects_shared_set(m, t, &c);
        return false;
    case OP_ARRAY_SET:                             /* V[I] = / += / -= E */
        if (!expr_value(m, t, in->argv[0], &v))
            return false;
        if (v.type != V_OBJ || v_obj_kind(v) != OBJ_ARRAY) {
            task_raise(m, t, in->pos, EXC_TYPE, "object does not support item assignment");
            return false;
        }
        c.obj = v_obj_index(v);
        array_set(m, t, &c);
        return false;
    default:                                       /* OP_OBJ: V.method */
        break;
    }
    if (!expr_value(m, t, in->e2, &v))
        return false;
    /* A variable's get/wait may be a pool's AsyncResult or a Future (the
     * parser cannot know): theirs then, and their TypeError for another
     * value, as before objects were values; its join a greenlet's. */
    if (v.type != V_OBJ && (in->method == METHOD_GET || in->method == METHOD_WAIT)) {
        c.op = OP_POOL;
        c.method = in->method == METHOD_GET ? PM_GET : PM_WAIT;
        return pool_op(m, t, &c);
    }
    if (v.type != V_OBJ && in->method == METHOD_QJOIN) {
        c.op = OP_GREEN;
        c.method = GREENM_JOIN;
        return green_exec(m, t, &c);
    }
    if (in->method == METHOD_FEED && v.type == V_OBJ) {
        c.obj = v_obj_index(v);        /* a `new` queue's feeder (queue.c) */
        queue_op(m, t, &c);
        return false;
    }
    if ((obj = receiver(m, t, in, in->e2, method_name(in->method), &v)) < 0)
        return false;
    c.obj = obj;
    objects_op(m, t, &c);
    return false;
}

int objref_store(struct machine *m, struct task *t, const struct insn *in)
{
    struct value v;
    if (!expr_value(m, t, in->e1, &v))
        return -1;
    if (v.type != V_OBJ)
        return 1;
    /* values' fields: e1 the receiver, e2 the key, argv[0] the value,
     * method 0 (=) or 1 + VA_* (op=); args[0].str the attribute */
    int aop = in->method == 0 ? AOP_SET : in->method == 1 + VA_ADD ? AOP_ADD
            : in->method == 1 + VA_SUB ? AOP_SUB : -1;
    if (aop < 0) {
        task_raise(m, t, in->pos, EXC_TYPE, "a shared value or array item takes =, += "
                   "or -= (procsim's shared memory holds integers)");
        return -1;
    }
    struct insn c = *in;
    c.aop = aop;
    c.e1 = in->argv[0];
    if (in->op == OP_SETATTR) {
        if (strcmp(in->args[0].str, "value") || v_obj_kind(v) != OBJ_SHARED) {
            task_raise(m, t, in->pos, EXC_ATTRIBUTE, objref_no_attr(in, v));
            return -1;
        }
        c.op = OP_SHARED_SET;
        c.obj = v_obj_index(v);
        objects_shared_set(m, t, &c);
        return 0;
    }
    if (v_obj_kind(v) != OBJ_ARRAY) {
        task_raise(m, t, in->pos, EXC_TYPE, "object does not support item assignment");
        return -1;
    }
    c.op = OP_ARRAY_SET;
    c.obj = v_obj_index(v);
    c.e2 = in->e2;
    array_set(m, t, &c);
    return 0;
}

/* --------------------------------------------------------- expressions */

/* Messages for the attributes expressions read (static: see pytypes.h). */
#define NA(T) { "'" T "' object has no attribute 'value'", \
                "'" T "' object has no attribute 'qsize'", \
                "'" T "' object has no attribute 'empty'", \
                "'" T "' object has no attribute 'full'", \
                "'" T "' object has no attribute 'is_set'", \
                "'" T "' object has no attribute 'locked'" }
static const char *const query_msgs[][6] = {
    NA("int"), NA("bool"), NA("NoneType"), NA("str"), NA("tuple"), NA("list"),
    NA("float"), NA("dict"), NA("bytes"), NA("function"), NA("ApplyResult"),
    NA("MapResult"), NA("Future"), NA("IMapIterator"), NA("select.poll"),
    NA("Synchronized"), NA("Lock"), NA("RLock"), NA("Semaphore"), NA("Event"),
    NA("Queue"), NA("JoinableQueue"), NA("LifoQueue"), NA("PriorityQueue"),
    NA("Connection"), NA("SynchronizedArray"),
    { "object has no attribute 'value'", "object has no attribute 'qsize'",
      "object has no attribute 'empty'", "object has no attribute 'full'",
      "object has no attribute 'is_set'", "object has no attribute 'locked'" },
};
#undef NA
_Static_assert(sizeof query_msgs / sizeof query_msgs[0] == PY_NTYPES + 1,
               "one row per PY_TYPE_NAMES, then the generic one");

static const char *const query_names[] = {
    [ROP_VALUE] = "value", [ROP_QSIZE] = "qsize", [ROP_EMPTY] = "empty",
    [ROP_FULL] = "full", [ROP_IS_SET] = "is_set", [ROP_LOCKED] = "locked" };

/* The answer of query q (ROP_*) on object obj, which has it. */
static bool query(struct machine *m, struct task *t, const struct expr *e, int obj, int q,
                  struct value *out)
{
    const struct objstate *o = &m->objs[obj];
    switch (q) {
    case ROP_VALUE:
        charge_shared(m, t);
        *out = v_int(o->value);
        return true;
    case ROP_IS_SET:
        *out = v_bool(o->value != 0);
        return true;
    case ROP_LOCKED:
        *out = v_bool(o->owner >= 0 || o->owner == OWNER_GONE);
        return true;
    default: {                                 /* a queue's qsize/empty/full */
        struct expr c = *e;
        c.kind = q == ROP_QSIZE ? EX_QSIZE : q == ROP_EMPTY ? EX_QEMPTY : EX_QFULL;
        c.obj = obj;
        return queue_eval(m, t, &c, out);
    }
    }
}

bool objref_eval(struct machine *m, struct task *t, const struct expr *e, struct value *out)
{
    if (e->num == ROP_REF) {
        *out = objref_value(m, e->obj);
        return true;
    }
    struct value v;
    if (!expr_value(m, t, e->a, &v))
        return false;
    int q = (int)e->num;
    if (v.type == V_OBJ) {
        int obj = v_obj_index(v);
        if (obj >= 0 && obj < m->scn->nobjects &&
            objref_has(&m->scn->objects[obj], query_names[q]))
            return query(m, t, e, obj, q, out);
    } else {
        /* The parser took V.value (V.empty() ...) for an object's query by
         * its name alone; the receiver decides: an instance's own `value`
         * attribute, a float's... (values.c), as Python looks it up. */
        const char *msg = NULL;
        enum verr err;
        bool found = true;
        if (q == ROP_VALUE)
            err = v_getattr(&m->heap, v, query_names[q], out, &msg);
        else
            err = v_method(&m->heap, v, query_names[q], NULL, 0, out, &msg, &found);
        if (found && err == VE_OK)
            return true;
        if (found && msg) {
            task_raise_verr(m, t, e->pos, err, msg);
            return false;
        }
    }
    task_raise(m, t, e->pos, EXC_ATTRIBUTE,
               query_msgs[py_type_index(v_type_name(v))][q - ROP_VALUE]);
    return false;
}

bool objref_attr(struct machine *m, struct task *t, const struct expr *e, struct value a,
                 const char *name, int nargs, struct value *out)
{
    int q = -1;
    for (int k = ROP_VALUE; k <= ROP_LOCKED; k++)
        if (!strcmp(query_names[k], name))
            q = k;
    bool call = nargs >= 0;
    int obj = v_obj_index(a);
    const struct object *d = obj >= 0 && obj < m->scn->nobjects ? &m->scn->objects[obj] : NULL;
    if (call && !strcmp(name, "get_lock") && d && objref_has(d, name)) {
        *out = a;                              /* the built-in RLock: itself */
        return true;
    }
    if (q < 0 || !d || !objref_has(d, name) || call != (q != ROP_VALUE)) {
        if (q >= 0 && d && objref_has(d, name))
            task_raise(m, t, e->pos, EXC_TYPE, q == ROP_VALUE ? "'int' object is not callable"
                       : "a method: call it with ()");
        else if (q >= 0)
            task_raise(m, t, e->pos, EXC_ATTRIBUTE,
                       query_msgs[py_type_index(v_type_name(a))][q - ROP_VALUE]);
        else
            task_raise(m, t, e->pos, EXC_ATTRIBUTE, "object has no such attribute (a method "
                       "that may wait is a statement: invoke V.NAME(ARGS))");
        return false;
    }
    if (call && nargs > 0) {
        task_raise(m, t, e->pos, EXC_TYPE, "takes no arguments");
        return false;
    }
    return query(m, t, e, obj, q, out);
}

/* V[I] and len(V), V an array's V_OBJ (expr.c's EX_INDEX and EX_LEN hand
 * a V_OBJ here). */
bool objref_item(struct machine *m, struct task *t, const struct expr *e, struct value a,
                 struct value i, struct value *out)
{
    if (v_obj_kind(a) != OBJ_ARRAY) {
        task_raise(m, t, e->pos, EXC_TYPE, "object is not subscriptable");
        return false;
    }
    if (!v_is_int(i)) {
        task_raise(m, t, e->pos, EXC_TYPE, "array indices must be integers");
        return false;
    }
    struct expr c = *e;
    c.obj = v_obj_index(a);
    int64_t n;
    if (!array_get(m, t, &c, i.type == V_BOOL ? i.i != 0 : i.i, &n))
        return false;
    *out = v_int(n);
    return true;
}

bool objref_len(struct machine *m, struct task *t, const struct expr *e, struct value a,
                struct value *out)
{
    int obj = v_obj_index(a);
    if (v_obj_kind(a) == OBJ_ARRAY) {
        *out = v_int(array_len(m, obj));
        return true;
    }
    if (v_obj_kind(a) == OBJ_QUEUE && m->scn->objects[obj].qkind != QK_MP) {
        task_raise(m, t, e->pos, EXC_TYPE, "object of type 'Queue' has no len()");
        return false;
    }
    task_raise(m, t, e->pos, EXC_TYPE, "object of this type has no len()");
    return false;
}

/* A shared array read as Python reads a SynchronizedArray where it wants
 * a sequence (a[:], `x in a`, list(a), sum(a) ...): a list of its items
 * now (one read of the shared memory). Anything else is a itself. */
bool objref_as_list(struct machine *m, struct task *t, const struct expr *e, struct value *v)
{
    if (v->type != V_OBJ || v_obj_kind(*v) != OBJ_ARRAY)
        return true;
    int obj = v_obj_index(*v), n = array_len(m, obj);
    struct value small[16], *items = n > 16 ? malloc((size_t)n * sizeof *items) : small;
    if (!items) {
        task_raise(m, t, e->pos, EXC_MEMORY, "out of memory");
        return false;
    }
    for (int i = 0; i < n; i++)
        items[i] = v_int(array_item(m, obj, i));
    enum verr err = v_seq(&m->heap, V_LIST, items, (uint32_t)n, v);
    if (items != small)
        free(items);
    if (err != VE_OK) {
        task_raise_verr(m, t, e->pos, err, "out of memory");
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ new */

/* The most objects a run may have, declared and made. */
#define OBJ_MAX (1 << 20)

bool objref_clone(struct machine *dst, const struct machine *src)
{
    dst->own_scn = NULL;
    if (!src->own_scn)
        return true;
    struct scenario *own = malloc(sizeof *own);
    struct object *objs = malloc((size_t)src->own_objcap * sizeof *objs);
    if (!own || !objs) {
        free(own);
        free(objs);
        dst->scn = src->scn;           /* src's, for machine_free's loops */
        return false;
    }
    *own = *src->own_scn;
    memcpy(objs, src->own_scn->objects, (size_t)own->nobjects * sizeof *objs);
    own->objects = objs;
    dst->own_scn = own;
    dst->scn = own;
    return true;
}

void objref_free(struct machine *m)
{
    if (!m->own_scn)
        return;
    free(m->own_scn->objects);
    free(m->own_scn);
    m->own_scn = NULL;
}

/* A new object like `site` (a `new` statement's own object): the tables
 * grow by one. An array gets `nitems` items (-1: the site's), the first
 * ones from vals (NULL: the site's, or 0). Its index, or -1 after a
 * runtime error. */
static int grow(struct machine *m, const struct insn *in, int site, int nitems,
                const struct value *vals, uint32_t nvals)
{
    int n = m->scn->nobjects;
    const struct object *d = &m->scn->objects[site];
    if (n >= OBJ_MAX) {
        machine_fail(m, in->pos, "more than %d objects: too many for procsim", OBJ_MAX);
        return -1;
    }
    if (!m->own_scn || n == m->own_objcap) {
        int cap = n < 8 ? 16 : 2 * n;
        struct object *objs = malloc((size_t)cap * sizeof *objs);
        struct scenario *own = m->own_scn ? m->own_scn : malloc(sizeof *own);
        if (!objs || !own) {
            free(objs);
            if (!m->own_scn)
                free(own);
            machine_fail(m, in->pos, "out of memory");
            return -1;
        }
        memcpy(objs, m->scn->objects, (size_t)n * sizeof *objs);
        if (m->own_scn)
            free(m->own_scn->objects);
        else
            *own = *m->scn;
        own->objects = objs;
        m->own_scn = own;
        m->own_objcap = cap;
        m->scn = own;
        d = &objs[site];
    }
    if (n + 1 >= m->objs_cap) {
        int cap = 2 * (n + 1);
        struct objstate *os = realloc(m->objs, (size_t)cap * sizeof *os);
        if (!os) {
            machine_fail(m, in->pos, "out of memory");
            return -1;
        }
        m->objs = os;
        m->objs_cap = cap;
    }
    int len = nitems >= 0 ? nitems : d->nitems;
    if (d->kind == OBJ_ARRAY) {
        struct array_item *items = realloc(m->items, ((size_t)m->nitems + (size_t)len + 1) *
                                                     sizeof *items);
        if (!items) {
            machine_fail(m, in->pos, "out of memory");
            return -1;
        }
        m->items = items;
    }
    m->own_scn->objects[n] = *d;
    m->own_scn->objects[n].nitems = len;
    if (vals)
        m->own_scn->objects[n].items = NULL;   /* its values are in m->items */
    m->own_scn->nobjects = n + 1;
    if (m->trace)
        trace_object_made(m->trace, n, site);   /* its events name it */
    struct objstate *o = &m->objs[n];
    memset(o, 0, sizeof *o);
    o->owner = -1;
    o->head = o->tail = -1;
    o->lost_at = -1;
    if (d->kind == OBJ_SHARED || d->kind == OBJ_SEMAPHORE)
        o->value = d->init;
    if (d->kind == OBJ_QUEUE)
        queue_init_one(m, n);
    if (d->kind == OBJ_ARRAY) {
        o->value = m->nitems;
        for (int k = 0; k < len; k++) {
            int64_t x = vals ? ((uint32_t)k < nvals ? vals[k].i : 0)
                      : d->items && k < d->nitems ? d->items[k] : 0;
            m->items[m->nitems + k] = (struct array_item){ x, 0, 0 };
        }
        m->nitems += len;
    }
    return n;
}

/* `new array E -> V`, E worked out now: an int (that many zeros) or a list
 * or tuple of ints. Every run makes a new array of that size (the
 * statement's own object, of size 0, stays unused). */
static bool new_array(struct machine *m, struct task *t, const struct insn *in)
{
    struct value v;
    if (!expr_value(m, t, in->e1, &v))
        return false;
    const struct value *vals = NULL;
    uint32_t n = 0;
    int64_t len;
    if (v_is_int(v)) {
        len = v.type == V_BOOL ? v.i != 0 : v.i;
    } else if (v.type == V_LIST || v.type == V_TUPLE) {
        vals = v_items(&m->heap, v, &n);
        len = n;
        for (uint32_t k = 0; k < n; k++)
            if (!v_is_int(vals[k])) {
                task_raise(m, t, in->pos, EXC_TYPE, "an array holds integers");
                return false;
            }
    } else {
        task_raise(m, t, in->pos, EXC_TYPE, "an array's size must be an int, or its "
                   "items a list of ints");
        return false;
    }
    if (len < 0 || len > ARRAY_MAX_ITEMS) {
        task_raise(m, t, in->pos, EXC_VALUE, "an array's size must be 0..100000");
        return false;
    }
    /* vals may move when the heap grows: nothing allocates in grow() */
    int obj = grow(m, in, in->obj, (int)len, vals ? vals : &v, vals ? n : 0);
    if (obj < 0)
        return false;
    m->objs[obj].made = true;
    m->objs[in->obj].made = true;
    set_result_value(m, t, in->var, objref_value(m, obj));
    t->pc++;
    return true;
}

/* `new KIND ... -> V`: on its first run, the statement's own object
 * (parse_obj_finish added one per statement: it has a name and a place
 * in every table from the start); on the next ones, a new object like it
 * (the machine's object tables grow). Its initial value or count is
 * worked out now. Untimed, as making a Lock is in CPython. */
bool newobj_exec(struct machine *m, struct task *t, const struct insn *in)
{
    int obj = in->obj;
    int64_t v = 0;
    const struct object *d = &m->scn->objects[obj];
    bool init = in->e1 && (d->kind == OBJ_SEMAPHORE || d->kind == OBJ_SHARED);
    if (init && !expr_int(m, t, in->e1, &v))
        return false;
    if (init && d->kind == OBJ_SEMAPHORE && v < 0) {
        task_raise(m, t, in->pos, EXC_VALUE, "semaphore initial value must be >= 0");
        return false;
    }
    if (d->kind == OBJ_ARRAY && (in->flags & INSN_NOWAIT))
        return new_array(m, t, in);
    int64_t maxsize = 0;
    if (d->kind == OBJ_QUEUE && in->e1) {
        if (!expr_int(m, t, in->e1, &maxsize))
            return false;
        if (maxsize > QUEUE_MAXSIZE_MAX) {
            task_raise(m, t, in->pos, EXC_VALUE, "a queue's maxsize must be at most "
                       "2147483647 (SEM_VALUE_MAX)");
            return false;
        }
    }
    if (m->objs[obj].made && (obj = grow(m, in, obj, -1, NULL, 0)) < 0)
        return false;
    struct objstate *o = &m->objs[obj];
    if (init)
        o->value = v;
    if (d->kind == OBJ_QUEUE && in->e1) {       /* Queue(maxsize) */
        o->q.maxsize = maxsize > 0 ? maxsize : QUEUE_MAXSIZE_MAX;
        o->q.sem = o->q.maxsize;
    }
    o->made = true;
    set_result_value(m, t, in->var, objref_value(m, obj));
    t->pc++;
    return true;
}
