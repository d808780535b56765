/*
 * call.c - function calls: `call PROG(args) -> VAR`, and the pools' workers
 * and result threads calling a task's function or a callback (issue 12).
 *
 * A call pushes a frame (the caller's program and next pc, and where the
 * result goes) on the task's call stack, which lives in its struct taskx
 * (exc.c) beside the try stack, so tasks that never call pay nothing. The
 * end of a called program, or its `return`, pops the frame. A frame records
 * the signal-handler depth it was made at, so the end of a handler's own
 * program is still a sigreturn, and a handler may call programs too.
 *
 * Parameters are variables of the task, one set per program (parse.c), so a
 * program already on the call stack cannot be called again: its parameters
 * would be overwritten. procsim does not simulate recursion and says so.
 */
#include "kernel.h"

void task_set_args(struct machine *m, struct task *t, int prog,
                   const struct value *vals, int n)
{
    const struct program *pr = program_code(m, prog);
    for (int i = 0; i < n && i < pr->nparams; i++)
        *var_ref(m, t, pr->params[i]) = vals[i];
}

bool task_call(struct machine *m, struct task *t, int prog,
               const struct value *args, int nargs, int ret_var)
{
    const struct program *callee = program_code(m, prog);
    struct taskx *x = taskx_of(m, t);
    if (!x)
        return false;
    bool active = t->prog == prog;
    for (int i = 0; i < x->ncall; i++)
        active |= x->call[i].prog == prog;
    if (active) {
        machine_fail(m, callee->pos, "%s calls itself (through `call` or a pool): "
                     "procsim does not simulate recursion", callee->name);
        return false;
    }
    if (x->ncall == MAX_CALL) {
        machine_fail(m, callee->pos, "calls nested more than %d deep (calling %s)",
                     MAX_CALL, callee->name);
        return false;
    }
    x->call[x->ncall++] = (struct callframe){
        .prog = t->prog, .pc = t->pc, .var = ret_var, .nframes = (uint8_t)t->nframes,
    };
    t->prog = prog;
    t->pc = 0;
    t->left = 0;
    task_set_args(m, t, prog, args, nargs);
    return true;
}

bool task_returns(const struct machine *m, const struct task *t)
{
    if (t->x < 0)
        return false;
    const struct taskx *x = &m->taskx[t->x];
    return x->ncall > 0 && x->call[x->ncall - 1].nframes == t->nframes;
}

void call_return(struct machine *m, struct task *t, struct value result)
{
    struct taskx *x = &m->taskx[t->x];
    struct callframe f = x->call[--x->ncall];
    /* A `return` inside a try block leaves that block too. */
    while (x->ntry > 0 && x->try_level[x->ntry - 1] == t->nframes &&
           x->try_call[x->ntry - 1] > x->ncall)
        x->ntry--;
    t->prog = f.prog;
    t->pc = f.pc;
    if (f.var >= 0)
        *var_ref(m, t, f.var) = result;
}
