/*
 * invoke.c - `invoke E.NAME(ARGS) [-> V]`: Python's method call, dispatched
 * at run time by the receiver's type (issue 14), the translator's one way
 * to call a method of a receiver whose type it cannot know.
 *
 *   - an object (V_OBJ): the object's operation with CPython's positional
 *     signatures (put(item, block=True, timeout=None), acquire(blocking=
 *     True, timeout=-1) ...). It runs as the object statement would: a
 *     copy of the statement's instruction is handed to the object's code,
 *     so it blocks, times out and takes its tick exactly as `Q.put X` does.
 *     Timeouts are Python's seconds (an int, or a float), made ticks.
 *   - a pool's AsyncResult or a Future (V_HANDLE): get/wait/result/
 *     exception/cancel, and ready()/done()... as their statements.
 *   - an instance (V_INST): the program named CLASS.NAME (the parser lists
 *     the programs named *.NAME in insn.vars), called with the receiver
 *     first (self).
 *   - anything else: AttributeError, in CPython's words.
 *
 * Instruction fields (parse_obj.c): e2 = the receiver; argv/argc = the
 * arguments; var = the result, or -1; args = the method's name and its
 * AttributeError messages (pytypes.h); vars/nvars = programs CLASS.NAME.
 */
#include "kernel.h"

#include <math.h>
#include <string.h>

#include "pytypes.h"

/* A Python timeout in seconds (None: -1, none) as ticks, rounded up. */
static bool timeout_ticks(struct machine *m, struct task *t, const struct insn *in,
                          struct value v, int64_t *ticks)
{
    double s;
    if (v.type == V_NONE) {
        *ticks = -1;
        return true;
    }
    if (v_is_int(v)) {
        s = (double)(v.type == V_BOOL ? v.i != 0 : v.i);
    } else if (v.type == V_FLOAT) {
        memcpy(&s, &v.i, sizeof s);
    } else {
        task_raise(m, t, in->pos, EXC_TYPE, "timeout must be a number or None");
        return false;
    }
    if (!(s >= 0)) {            /* negative, or nan */
        *ticks = -1;
        return s < 0;
    }
    double tk = ceil(s * 1e9 / (double)config_tick_ns(&m->cfg));
    *ticks = tk > 1e15 ? (int64_t)1e15 : (int64_t)tk;
    return true;
}

/* The result of a method that returns at once; untimed. */
static bool result_now(struct machine *m, struct task *t, const struct insn *in,
                       struct value r)
{
    set_result_value(m, t, in->var, r);
    t->pc++;
    return true;
}

/* An object's methods: what each takes (positional arguments, at most). */
static const struct objm {
    const char *name;
    int min, max;
    const char *arity;         /* the TypeError */
} objms[] = {
    { "put", 1, 3, "put() takes from 1 to 3 positional arguments (item, block, timeout)" },
    { "get", 0, 2, "get() takes at most 2 positional arguments (block, timeout)" },
    { "put_nowait", 1, 1, "put_nowait() takes exactly one argument (the item)" },
    { "get_nowait", 0, 0, "get_nowait() takes no arguments" },
    { "acquire", 0, 2, "acquire() takes at most 2 arguments (blocking, timeout)" },
    { "release", 0, 0, "release() takes no arguments" },
    { "wait", 0, 1, "wait() takes at most 1 argument (timeout)" },
    { "set", 0, 0, "set() takes no arguments" },
    { "clear", 0, 0, "clear() takes no arguments" },
    { "is_set", 0, 0, "is_set() takes no arguments" },
    { "locked", 0, 0, "locked() takes no arguments" },
    { "qsize", 0, 0, "qsize() takes no arguments" },
    { "empty", 0, 0, "empty() takes no arguments" },
    { "full", 0, 0, "full() takes no arguments" },
    { "close", 0, 0, "close() takes no arguments" },
    { "task_done", 0, 0, "task_done() takes no arguments" },
    { "join", 0, 0, "join() takes no arguments" },
    { "get_lock", 0, 0, "get_lock() takes no arguments" },
};

/* V.NAME(ARGS), V an object that has NAME. */
static bool invoke_obj(struct machine *m, struct task *t, const struct insn *in,
                       struct value v, const char *name)
{
    int obj = v_obj_index(v);
    const struct objm *om = NULL;
    for (size_t k = 0; k < sizeof objms / sizeof objms[0] && !om; k++)
        if (!strcmp(objms[k].name, name))
            om = &objms[k];
    if (!om || obj < 0 || obj >= m->scn->nobjects ||
        !objref_has(&m->scn->objects[obj], name)) {
        task_raise(m, t, in->pos, EXC_ATTRIBUTE, objref_no_attr(in, v));
        return false;
    }
    if (in->argc < om->min || in->argc > om->max) {
        task_raise(m, t, in->pos, EXC_TYPE, om->arity);
        return false;
    }
    struct value a[3] = { v_none(), v_none(), v_none() };
    /* the item of a put stays an expression: the queue's code evaluates it */
    int first = !strcmp(name, "put") || !strcmp(name, "put_nowait");
    for (int i = first; i < in->argc; i++)
        if (!expr_value(m, t, in->argv[i], &a[i]))
            return false;
    const struct objstate *o = &m->objs[obj];
    struct insn c = *in;
    c.op = OP_OBJ;
    c.obj = obj;
    c.e1 = NULL;
    c.flags = 0;
    c.timeout = -1;
    /* the untimed ones: answers */
    if (!strcmp(name, "is_set"))
        return result_now(m, t, in, v_bool(o->value != 0));
    if (!strcmp(name, "locked"))
        return result_now(m, t, in, v_bool(o->owner >= 0 || o->owner == OWNER_GONE));
    if (!strcmp(name, "get_lock"))             /* the built-in RLock: itself */
        return result_now(m, t, in, v);
    if (!strcmp(name, "qsize") || !strcmp(name, "empty") || !strcmp(name, "full")) {
        struct expr e = { .kind = name[0] == 'q' ? EX_QSIZE : name[0] == 'e' ? EX_QEMPTY
                                                                             : EX_QFULL,
                          .obj = obj, .var = -1, .pos = in->pos };
        struct value r;
        if (!queue_eval(m, t, &e, &r))
            return false;
        return result_now(m, t, in, r);
    }
    /* the statements */
    int64_t tk;
    if (!strcmp(name, "put") || !strcmp(name, "put_nowait")) {
        c.method = METHOD_PUT;
        c.e1 = in->argv[0];
        if (name[3] == '_' || (in->argc > 1 && !v_truthy(&m->heap, a[1])))
            c.flags |= INSN_NOWAIT;
        else if (in->argc > 2 && !timeout_ticks(m, t, in, a[2], &c.timeout))
            return false;
        set_result_value(m, t, in->var, v_none());
    } else if (!strcmp(name, "get") || !strcmp(name, "get_nowait")) {
        c.method = METHOD_GET;
        if (name[3] == '_' || (in->argc > 0 && !v_truthy(&m->heap, a[0])))
            c.flags |= INSN_NOWAIT;
        else if (in->argc > 1 && !timeout_ticks(m, t, in, a[1], &c.timeout))
            return false;
    } else if (!strcmp(name, "acquire")) {
        c.method = METHOD_ACQUIRE;
        if (in->argc > 0 && !v_truthy(&m->heap, a[0]))
            c.flags |= INSN_NOWAIT;
        else if (in->argc > 1 && !timeout_ticks(m, t, in, a[1], &tk))
            return false;
        else if (in->argc > 1)
            c.timeout = tk;
    } else if (!strcmp(name, "wait")) {
        c.method = METHOD_WAIT;
        if (in->argc > 0 && !timeout_ticks(m, t, in, a[0], &c.timeout))
            return false;
    } else {
        static const struct { const char *n; enum method md; } plain[] = {
            { "release", METHOD_RELEASE }, { "set", METHOD_SET }, { "clear", METHOD_CLEAR },
            { "close", METHOD_CLOSE }, { "task_done", METHOD_TASK_DONE },
            { "join", METHOD_QJOIN } };
        for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++)
            if (!strcmp(plain[k].n, name))
                c.method = plain[k].md;
        set_result_value(m, t, in->var, v_none());
    }
    objects_op(m, t, &c);
    return false;
}

/* r.get(timeout) ..., r an AsyncResult / a Future (sim/objects/pool.c). */
static bool invoke_handle(struct machine *m, struct task *t, const struct insn *in,
                          struct value v, const char *name)
{
    static const struct { const char *n; int pm; int hq; } hm[] = {
        { "get", PM_GET, -1 }, { "wait", PM_WAIT, -1 }, { "result", PM_RESULT, -1 },
        { "exception", PM_EXCEPTION, -1 }, { "cancel", PM_CANCEL, -1 },
        { "ready", -1, HQ_READY }, { "successful", -1, HQ_SUCCESSFUL },
        { "done", -1, HQ_DONE }, { "running", -1, HQ_RUNNING },
        { "cancelled", -1, HQ_CANCELLED } };
    for (size_t k = 0; k < sizeof hm / sizeof hm[0]; k++) {
        if (strcmp(hm[k].n, name))
            continue;
        if (hm[k].hq >= 0) {
            struct expr e = { .kind = EX_HANDLE_Q, .num = hm[k].hq, .var = -1, .obj = -1,
                              .a = in->e2, .pos = in->pos };
            struct value r;
            if (!expr_value(m, t, &e, &r))
                return false;
            return result_now(m, t, in, r);
        }
        struct insn c = *in;
        c.op = OP_POOL;
        c.method = hm[k].pm;
        c.timeout = -1;
        c.flags = 0;
        /* (timeout) as CPython's; (block, timeout) too, the translator's
         * form when it took the receiver for a queue: block is ignored */
        if (in->argc > 2 || (in->argc > 0 && hm[k].pm == PM_CANCEL)) {
            task_raise(m, t, in->pos, EXC_TYPE, "too many arguments (at most a timeout)");
            return false;
        }
        struct value a;
        if (in->argc > 0 && (!expr_value(m, t, in->argv[in->argc - 1], &a) ||
                             !timeout_ticks(m, t, in, a, &c.timeout)))
            return false;
        return pool_op(m, t, &c);
    }
    if (!strcmp(name, "add_done_callback")) {  /* fu.add_done_callback(fn) */
        struct value f;
        if (in->argc != 1) {
            task_raise(m, t, in->pos, EXC_TYPE, "add_done_callback() takes one argument");
            return false;
        }
        if (!expr_value(m, t, in->argv[0], &f))
            return false;
        if (f.type != V_FUNC) {
            task_raise(m, t, in->pos, EXC_TYPE, "add_done_callback() needs a function");
            return false;
        }
        struct insn c = *in;
        c.op = OP_POOL;
        c.method = PM_ADD_DONE_CB;
        c.cb = (int)f.i;
        return pool_op(m, t, &c);
    }
    task_raise(m, t, in->pos, EXC_ATTRIBUTE, objref_no_attr(in, v));
    return false;
}

/* The class name of instance v (NUL-terminated in buf), or NULL. */
static const char *inst_class(const struct machine *m, struct value v, char *buf, size_t size)
{
    size_t n;
    const char *c = v_inst_class(&m->heap, v, &n);
    if (!c || n + 1 > size)
        return NULL;
    memcpy(buf, c, n);
    buf[n] = '\0';
    return buf;
}

/* Call function value f (a V_FUNC) with the invoke's arguments. */
static bool call_value(struct machine *m, struct task *t, const struct insn *in,
                       struct value f)
{
    struct value args[MAX_PARAMS];
    if (!eval_insn_args(m, t, in, args))
        return false;
    t->pc++;
    return task_call(m, t, (int)f.i, args, in->argc, in->var);
}

/* V.NAME(ARGS), V an instance: the program CLASS.NAME, self first. */
static bool invoke_inst(struct machine *m, struct task *t, const struct insn *in,
                        struct value v, const char *name)
{
    char cb[200];
    const char *cls = inst_class(m, v, cb, sizeof cb);
    size_t cn = cls ? strlen(cls) : 0;
    for (int k = 0; cls && k < in->nvars; k++) {
        const struct program *pr = program_code(m, in->vars[k]);
        if (strncmp(pr->name, cls, cn) || pr->name[cn] != '.' || strcmp(pr->name + cn + 1, name))
            continue;
        struct value args[MAX_PARAMS];
        if (in->argc + 1 > MAX_PARAMS) {
            task_raise(m, t, in->pos, EXC_TYPE, "too many arguments");
            return false;
        }
        args[0] = v;
        if (!eval_insn_args(m, t, in, args + 1))
            return false;
        t->pc++;
        return task_call(m, t, in->vars[k], args, in->argc + 1, in->var);
    }
    /* an attribute holding a function: self.target(*args) */
    struct value f;
    const char *msg = NULL;
    enum verr err = v_getattr(&m->heap, v, name, &f, &msg);
    if (err == VE_OK && f.type == V_FUNC)
        return call_value(m, t, in, f);
    if (err == VE_OK) {
        task_raise(m, t, in->pos, EXC_TYPE, "object is not callable");
        return false;
    }
    task_raise_verr(m, t, in->pos, err, msg);
    return false;
}

/* V.NAME(ARGS), V a list, dict, str, bytes, float...: values' methods. */
static bool invoke_value(struct machine *m, struct task *t, const struct insn *in,
                         struct value v, const char *name)
{
    struct value args[MAX_PARAMS], out;
    if (!eval_insn_args(m, t, in, args))
        return false;
    const char *msg = NULL;
    bool found = false;
    enum verr err = v_method(&m->heap, v, name, args, in->argc, &out, &msg, &found);
    if (!found) {
        task_raise(m, t, in->pos, EXC_ATTRIBUTE, objref_no_attr(in, v));
        return false;
    }
    if (err != VE_OK) {
        task_raise_verr(m, t, in->pos, err, msg);
        return false;
    }
    return result_now(m, t, in, out);
}

bool invoke_exec(struct machine *m, struct task *t, const struct insn *in)
{
    if (in->op == OP_NEWOBJ)
        return newobj_exec(m, t, in);
    struct value v;
    if (!expr_value(m, t, in->e2, &v))
        return false;
    const char *name = in->args[0].str;
    switch (v.type) {
    case V_OBJ:
        return invoke_obj(m, t, in, v, name);
    case V_HANDLE:
        return invoke_handle(m, t, in, v, name);
    case V_INST:
        return invoke_inst(m, t, in, v, name);
    default:
        /* lists, dicts, strings...: values' v_method (issue 14, 1b) */
        return invoke_value(m, t, in, v, name);
    }
}
