/*
 * expr.c - evaluating expressions for a task.
 *
 * Arithmetic is on 64-bit integers and wraps around instead of invoking
 * undefined behaviour; division and modulo by zero stop the run with an
 * error at the expression, as Python's ZeroDivisionError would.
 */
#include "kernel.h"

/* Where variable `var` lives for task t: its thread's pool for `local`
 * variables, its process's pool for the rest. */
int64_t *var_ref(struct machine *m, struct task *t, int var)
{
    int slot = m->var_slot[var];
    if (m->scn->vars[var].local)
        return vars_of(m->task_vars, m->ntask_vars, (int)(t - m->tasks)) + slot;
    return vars_of(m->proc_vars, m->nproc_vars, t->proc) + slot;
}

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

/* C division (truncating) that never traps: x / 0 is an error the
 * caller reports; INT64_MIN / -1 wraps to INT64_MIN. */
static int64_t safe_div(int64_t a, int64_t b, bool mod)
{
    if (b == -1)
        return mod ? 0 : wrap_sub(0, a);
    return mod ? a % b : a / b;
}

static bool rand_between(struct machine *m, const struct expr *e, int64_t lo,
                         int64_t hi, int64_t *out)
{
    if (lo > hi) {
        machine_fail(m, e->pos, "rand(A, B) needs A <= B, got rand(%lld, %lld)",
                     (long long)lo, (long long)hi);
        return false;
    }
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;   /* 0: the full range */
    uint64_t x = rng_next(&m->rng);
    *out = (int64_t)((uint64_t)lo + (span ? x % span : x));
    return true;
}

/* ---------------------------------------------------------- job control */

/* A wait status (scenario.h) as Linux's raw one, so that the built-ins can
 * be glibc's macros: an exit code c is c << 8, a death by SIG is SIG. */
static int64_t raw_status(int64_t st)
{
    if (st >= 0 && st <= 255)
        return st << 8;
    if (st < 0 && st >= -127)
        return -st;
    return st;
}

/* getpgid(pid), getsid(pid) and the W* macros over a wait status: the
 * one-argument built-ins. getpgid or getsid of no such process is -ESRCH
 * (-3). */
static int64_t builtin1(struct machine *m, struct task *t, enum expr_kind k,
                        int64_t a)
{
    int64_t raw = raw_status(a);
    switch (k) {
    case EX_GETPGID:
    case EX_GETSID: {
        int s = a == 0 ? t->proc : a > 0 && a < m->cfg.pid_max ? proc_slot(m, (int)a) : -1;
        if (s < 0)
            return -ERR_ESRCH;
        return k == EX_GETPGID ? m->procs[s].pgid : m->procs[s].sid;
    }
    case EX_WIFEXITED:    return (raw & 0x7f) == 0;
    case EX_WEXITSTATUS:  return (raw >> 8) & 0xff;
    case EX_WIFSIGNALED:  return (raw & 0x7f) != 0 && (raw & 0x7f) != 0x7f;
    case EX_WTERMSIG:     return raw & 0x7f;
    case EX_WIFSTOPPED:   return (raw & 0xff) == 0x7f;
    case EX_WSTOPSIG:     return (raw >> 8) & 0xff;
    default:              return raw == 0xffff;   /* EX_WIFCONTINUED */
    }
}

bool expr_eval(struct machine *m, struct task *t, const struct expr *e,
               int64_t *out)
{
    int64_t a = 0, b = 0;
    switch (e->kind) {
    case EX_NUM:    *out = e->num; return true;
    case EX_VAR:    *out = *var_ref(m, t, e->var); return true;
    case EX_SHARED: *out = machine_shared_value(m, e->obj); return true;
    case EX_IS_ALIVE: case EX_EXITCODE: case EX_ARRAY_GET: case EX_ARRAY_LEN: {
        struct value v;
        if (!procobj_eval(m, t, e, &v))
            return false;
        *out = v.i;            /* None reads 0 until variables hold values */
        return true;
    }
    case EX_GETPID: *out = m->procs[t->proc].pid; return true;
    case EX_GETPPID: *out = m->procs[t->proc].ppid; return true;
    case EX_GETTID: *out = t->tid; return true;
    case EX_NOW:    *out = m->tick; return true;
    case EX_GETPGRP: *out = m->procs[t->proc].pgid; return true;
    case EX_TCGETPGRP:          /* ENOTTY without the terminal (setsid) */
        *out = m->procs[t->proc].sid == TTY_SID ? m->fg_pgid : -ERR_ENOTTY;
        return true;
    case EX_AND:
        if (!expr_eval(m, t, e->a, &a))
            return false;
        if (!a) {
            *out = 0;
            return true;
        }
        if (!expr_eval(m, t, e->b, &b))
            return false;
        *out = b != 0;
        return true;
    case EX_OR:
        if (!expr_eval(m, t, e->a, &a))
            return false;
        if (a) {
            *out = 1;
            return true;
        }
        if (!expr_eval(m, t, e->b, &b))
            return false;
        *out = b != 0;
        return true;
    default:
        break;
    }
    if (!expr_eval(m, t, e->a, &a))
        return false;
    if (e->kind == EX_NEG) {
        *out = wrap_sub(0, a);
        return true;
    }
    if (e->kind == EX_NOT) {
        *out = !a;
        return true;
    }
    if (e->kind >= EX_GETPGID && e->kind <= EX_WIFCONTINUED) {
        *out = builtin1(m, t, e->kind, a);
        return true;
    }
    if (!expr_eval(m, t, e->b, &b))
        return false;
    switch (e->kind) {
    case EX_ADD: *out = wrap_add(a, b); return true;
    case EX_SUB: *out = wrap_sub(a, b); return true;
    case EX_MUL: *out = wrap_mul(a, b); return true;
    case EX_DIV:
    case EX_MOD:
        if (b == 0) {
            machine_fail(m, e->pos, "division by zero");
            return false;
        }
        *out = safe_div(a, b, e->kind == EX_MOD);
        return true;
    case EX_EQ: *out = a == b; return true;
    case EX_NE: *out = a != b; return true;
    case EX_LT: *out = a < b; return true;
    case EX_LE: *out = a <= b; return true;
    case EX_GT: *out = a > b; return true;
    case EX_GE: *out = a >= b; return true;
    case EX_RAND: return rand_between(m, e, a, b, out);
    default:
        machine_fail(m, e->pos, "this expression is not supported yet");
        return false;
    }
}
