/*
 * call.c - function calls: `call PROG(args) -> VAR`, and the pools' workers
 * and result threads calling a task's function or a callback (issue 12);
 * `def` programs with frame locals and recursion (issue 14).
 *
 * A call pushes a frame (the caller's program and next pc, and where the
 * result goes) on the task's call stack, which lives in its struct taskx
 * (exc.c) beside the try stack, so tasks that never call pay nothing. The
 * end of a called program, or its `return`, pops the frame. A frame records
 * the signal-handler depth it was made at, so the end of a handler's own
 * program is still a sigreturn, and a handler may call programs too.
 *
 * A `program`'s parameters are variables of the task, one set per program
 * (parse.c), so a program already on the call stack cannot be called again:
 * its parameters would be overwritten; procsim says so. A `def`'s
 * parameters and assigned variables are frame locals (scenario.h, struct
 * variable .frame): each call gets its own, one after another in the
 * taskx's lv array, so a def may call itself, down to MAX_RECURSION calls
 * (then RecursionError, as CPython's default limit).
 */
#include "kernel.h"

#include <stdlib.h>

/* Room for `need` calls / locals in x; false out of memory (run failed). */
static bool call_room(struct machine *m, struct taskx *x, int need)
{
    if (need <= x->call_cap)
        return true;
    int cap = x->call_cap ? x->call_cap * 2 : 8;
    while (cap < need)
        cap *= 2;
    struct callframe *c = realloc(x->call, (size_t)cap * sizeof *c);
    if (!c) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return false;
    }
    x->call = c;
    x->call_cap = cap;
    return true;
}

static bool locals_room(struct machine *m, struct taskx *x, int need)
{
    if (need <= x->lv_cap)
        return true;
    int cap = x->lv_cap ? x->lv_cap * 2 : 16;
    while (cap < need)
        cap *= 2;
    struct value *v = realloc(x->lv, (size_t)cap * sizeof *v);
    if (!v) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return false;
    }
    x->lv = v;
    x->lv_cap = cap;
    return true;
}

/* A new frame of n locals (None) at the top of x's: lbase moves there. */
static bool frame_open(struct machine *m, struct taskx *x, int n)
{
    if (!locals_room(m, x, x->nlv + n))
        return false;
    x->lbase = x->nlv;
    for (int i = 0; i < n; i++)
        x->lv[x->nlv + i] = v_none();
    x->nlv += n;
    return true;
}

/* Bind the arguments (and the defaults of the missing trailing ones).
 * False when a default raised (the exception is under way in t: t must not
 * run on as if the call had started). */
static bool bind(struct machine *m, struct task *t, const struct program *pr,
                 const struct value *vals, int n)
{
    int i = 0;
    for (; i < n && i < pr->nparams; i++)
        *var_ref(m, t, pr->params[i]) = vals[i];
    for (; i < pr->nparams; i++) {
        int d = i - (pr->nparams - pr->ndefaults);
        struct value v = v_none();
        if (d >= 0 && !expr_value(m, t, pr->defaults[d], &v))
            return false;
        *var_ref(m, t, pr->params[i]) = v;
    }
    return true;
}

bool task_set_args(struct machine *m, struct task *t, int prog,
                   const struct value *vals, int n)
{
    const struct program *pr = program_code(m, prog);
    if (pr->def) {
        /* The task starts over in prog: its only frame. */
        struct taskx *x = taskx_of(m, t);
        if (!x)
            return false;
        x->ncall = 0;
        x->nlv = 0;
        if (!frame_open(m, x, pr->nlocals))
            return false;
    }
    bind(m, t, pr, vals, n);
    return true;
}

bool task_call(struct machine *m, struct task *t, int prog,
               const struct value *args, int nargs, int ret_var)
{
    const struct program *callee = program_code(m, prog);
    struct taskx *x = taskx_of(m, t);
    if (!x)
        return false;
    if (callee->def) {
        if (x->ncall >= MAX_RECURSION) {
            task_raise(m, t, callee->pos, EXC_RECURSION,
                       "maximum recursion depth exceeded");
            return false;
        }
    } else {
        bool active = t->prog == prog;
        for (int i = 0; i < x->ncall; i++)
            active |= x->call[i].prog == prog;
        if (active) {
            machine_fail(m, callee->pos, "%s calls itself (through `call` or a pool): "
                         "procsim does not simulate recursion of a `program` (a `def` "
                         "may call itself)", callee->name);
            return false;
        }
        if (x->ncall >= MAX_CALL) {
            int progs = 0;      /* calls of programs, defs aside */
            for (int i = 0; i < x->ncall; i++)
                progs += i + 1 < x->ncall ? !program_code(m, x->call[i + 1].prog)->def
                                          : !program_code(m, t->prog)->def;
            if (progs >= MAX_CALL) {
                machine_fail(m, callee->pos, "calls nested more than %d deep (calling %s)",
                             MAX_CALL, callee->name);
                return false;
            }
        }
    }
    if (!call_room(m, x, x->ncall + 1))
        return false;
    x->call[x->ncall++] = (struct callframe){
        .prog = t->prog, .pc = t->pc, .var = ret_var, .lbase = x->lbase,
        .nframes = (uint8_t)t->nframes,
    };
    if (!frame_open(m, x, callee->nlocals))
        return false;
    t->prog = prog;
    t->pc = 0;
    t->left = 0;
    return bind(m, t, callee, args, nargs);
}

bool task_returns(const struct machine *m, const struct task *t)
{
    if (t->x < 0)
        return false;
    const struct taskx *x = &m->taskx[t->x];
    return x->ncall > 0 && x->call[x->ncall - 1].nframes == t->nframes;
}

/* Pop the innermost call: back to its caller's program and frame. */
static struct callframe pop(struct machine *m, struct task *t, struct taskx *x)
{
    struct callframe f = x->call[--x->ncall];
    x->nlv = x->lbase;
    x->lbase = f.lbase;
    t->prog = f.prog;
    (void)m;
    return f;
}

void call_unwind(struct machine *m, struct task *t, struct taskx *x, int n)
{
    while (x->ncall > n)
        pop(m, t, x);
}

void call_return(struct machine *m, struct task *t, struct value result)
{
    struct taskx *x = &m->taskx[t->x];
    struct callframe f = pop(m, t, x);
    /* A `return` inside a try block leaves that block too. */
    while (x->ntry > 0 && x->try_level[x->ntry - 1] == t->nframes &&
           x->try_call[x->ntry - 1] > x->ncall)
        x->ntry--;
    t->pc = f.pc;
    if (f.var >= 0)
        *var_ref(m, t, f.var) = result;
}

/* ------------------------------------------------- the taskx pool's buffers */

bool taskx_clone_bufs(struct machine *m)
{
    bool ok = true;
    for (int i = 0; i < m->taskx_cap; i++) {
        struct taskx *x = &m->taskx[i];
        struct callframe *c = NULL;
        struct value *v = NULL;
        if (ok && x->call_cap) {
            c = malloc((size_t)x->call_cap * sizeof *c);
            if (c)
                memcpy(c, x->call, (size_t)x->ncall * sizeof *c);
        }
        if (ok && x->lv_cap) {
            v = malloc((size_t)x->lv_cap * sizeof *v);
            if (v)
                memcpy(v, x->lv, (size_t)x->nlv * sizeof *v);
        }
        if ((x->call_cap && !c) || (x->lv_cap && !v))
            ok = false;
        if (!ok) {             /* never keep the source's pointers */
            free(c);
            free(v);
            c = NULL;
            v = NULL;
        }
        x->call = c;
        x->lv = v;
        if (!c)
            x->call_cap = x->ncall = 0;
        if (!v)
            x->lv_cap = x->nlv = x->lbase = 0;
    }
    return ok;
}

void taskx_free_bufs(struct machine *m)
{
    for (int i = 0; i < m->taskx_cap; i++) {
        free(m->taskx[i].call);
        free(m->taskx[i].lv);
    }
}

void taskx_mark(struct machine *m)
{
    for (int i = 0; i < m->taskx_cap; i++)     /* free ones have nlv 0 */
        for (int k = 0; k < m->taskx[i].nlv; k++)
            vheap_mark(&m->heap, m->taskx[i].lv[k]);
}
