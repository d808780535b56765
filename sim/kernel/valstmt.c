/*
 * valstmt.c - the statements that change values in place (issue 14):
 * X[K] = E, X.attr = E and their augmented forms, del X[K], eval E; and
 * the copies Python makes of mutable values: a forked child's memory, a
 * pickled message.
 */
#include "kernel.h"

#include <stdlib.h>

/* A value operation's failure raised as its Python exception. */
static bool ok(struct machine *m, struct task *t, const struct insn *in, enum verr e,
               const char *msg)
{
    if (e == VE_OK)
        return true;
    task_raise_verr(m, t, in->pos, e, msg ? msg : "out of memory");
    return false;
}

/* cur OP= val, as Python's augmented assignment: a list's += extends the
 * list itself (every name for it sees the change). */
static enum verr augmented(struct machine *m, int op, struct value cur, struct value val,
                           struct value *out, const char **msg)
{
    if (op == VA_ADD && cur.type == V_LIST) {
        bool found;
        struct value none;
        enum verr e = v_method(&m->heap, cur, "extend", &val, 1, &none, msg, &found);
        *out = cur;
        return e;
    }
    if (op == VA_ADD)
        return v_add(&m->heap, cur, val, out, msg);
    if (op == VA_MUL)
        return v_mul(&m->heap, cur, val, out, msg);
    return v_arith(&m->heap, op, cur, val, out, msg);
}

bool valstmt_exec(struct machine *m, struct task *t, const struct insn *in)
{
    struct vheap *h = &m->heap;
    struct value x, k = v_none(), val, cur;
    const char *msg = NULL;
    if (!expr_value(m, t, in->e1, &x))
        return false;
    if (in->op == OP_EVAL)
        return true;
    if (in->e2 && !expr_value(m, t, in->e2, &k))
        return false;
    enum verr e;
    if (in->op == OP_DELITEM) {
        e = v_delitem(h, x, k, &msg);      /* msg is read after the call */
        return ok(m, t, in, e, msg);
    }
    if (!expr_value(m, t, in->argv[0], &val))
        return false;
    const char *attr = in->op == OP_SETATTR ? in->args[0].str : NULL;
    if (in->method > 0) {      /* X[K] op= E: read, operate, store */
        e = attr ? v_getattr(h, x, attr, &cur, &msg) : v_index(h, x, k, &cur, &msg);
        if (!ok(m, t, in, e, msg))
            return false;
        e = augmented(m, in->method - 1, cur, val, &val, &msg);
        if (!ok(m, t, in, e, msg))
            return false;
    }
    e = attr ? v_setattr(h, x, attr, val, &msg) : v_setitem(h, x, k, val, &msg);
    return ok(m, t, in, e, msg);
}

/* ------------------------------------------------------------ copies */

static bool copy_all(struct machine *m, struct value *vals, int n, struct vcopy_memo *memo)
{
    for (int i = 0; i < n; i++)
        if (v_is_mutable(&m->heap, vals[i]) &&
            !v_deep_copy(&m->heap, vals[i], &vals[i], memo))
            return false;
    return true;
}

bool value_copy_for_fork(struct machine *m, int child_proc)
{
    if (!m->scn->mutable)
        return true;
    struct vcopy_memo memo = { 0 };
    struct proc *p = &m->procs[child_proc];
    bool done = copy_all(m, vars_of(m->proc_vars, m->nproc_vars, child_proc),
                         m->nproc_vars, &memo) &&
                copy_all(m, vars_of(m->task_vars, m->ntask_vars, p->main_task),
                         m->ntask_vars, &memo);
    v_copy_memo_free(&memo);
    if (!done)
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory copying a forked "
                     "child's values (or values nested over 5000 deep)");
    return done;
}

bool value_copy_message(struct machine *m, struct value *v)
{
    if (!m->scn->mutable || !v_is_mutable(&m->heap, *v))
        return true;
    return v_deep_copy(&m->heap, *v, v, NULL);
}
