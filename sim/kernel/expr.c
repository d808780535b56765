/*
 * expr.c - evaluating expressions for a task.
 *
 * Values are Python-like (value.h). Arithmetic is on 64-bit integers and
 * wraps around instead of invoking undefined behaviour; division and modulo
 * by zero stop the run with an error at the expression. Operations that
 * fail as they would in Python (a str plus an int, an index out of range)
 * raise the exception Python raises, in the task.
 */
#include "kernel.h"

#include <math.h>
#include <stdlib.h>

/* Where variable `var` lives for task t: its thread's pool for `local`
 * variables, its process's pool for the rest. */
struct value *var_ref(struct machine *m, struct task *t, int var)
{
    const struct variable *d = &m->scn->vars[var];
    if (d->frame) {            /* a def's local (call.c): its frame's */
        struct taskx *x = &m->taskx[t->x];
        return &x->lv[x->lbase + d->frame - 1];
    }
    int slot = m->var_slot[var];
    if (d->local)
        return vars_of(m->task_vars, m->ntask_vars, (int)(t - m->tasks)) + slot;
    return vars_of(m->proc_vars, m->nproc_vars, t->proc) + slot;
}

static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }

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

/* Evaluate e, which must give an int (or a bool, which is one). */
bool expr_int(struct machine *m, struct task *t, const struct expr *e,
              int64_t *out)
{
    struct value v;
    if (!expr_value(m, t, e, &v))
        return false;
    if (!v_is_int(v)) {
        task_raise(m, t, e->pos, EXC_TYPE, v.type == V_NONE
                   ? "an integer is required, not None"
                   : v.type == V_STR ? "an integer is required, not a str"
                   : "an integer is required, not a sequence");
        return false;
    }
    *out = v.i;
    return true;
}

/* A value operation's result: raise its failure. The message comes by
 * pointer, read only after the operation (an argument `msg` could be read
 * before the call that sets it: C leaves the order open). */
static bool checked(struct machine *m, struct task *t, const struct expr *e,
                    enum verr err, const char *const *msg)
{
    if (err == VE_OK)
        return true;
    task_raise_verr(m, t, e->pos, err, *msg);
    return false;
}

static const char *const out_of_memory = "out of memory";

/* The run's clock for a Python program, whatever `tick` is: tick_ns() (a
 * tick's length), secs_to_ticks(S) (S seconds as whole ticks, rounded as
 * Python's round(): time.sleep(S)) and ticks_to_secs(N) (N ticks as a
 * float of seconds: time.time()). With 1 ms ticks these are S * 1000 and
 * N / 1000 exactly: 1e9 / tick_ns is then 1000.0, and N * 1e6 / 1e9 rounds
 * as N / 1000 does (the same real number, both operands exact). */
static bool tick_builtin(struct machine *m, struct task *t, const struct expr *e,
                         const struct value *args, struct value *out)
{
    int64_t tick_ns = m->tick_ns;
    if (e->num == VB_TICK_NS) {
        *out = v_int(tick_ns);
        return true;
    }
    struct value a = args[0];
    if (!v_is_int(a) && a.type != V_FLOAT) {
        task_raise(m, t, e->pos, EXC_TYPE, "a number of seconds must be an int or a float");
        return false;
    }
    double x = v_num_double(a);
    if (e->num == VB_TICKS_TO_SECS) {
        *out = v_float(x * (double)tick_ns / 1e9);
        return true;
    }
    double r = nearbyint(x * (1e9 / (double)tick_ns));   /* half to even */
    if (!(r > -9.2e18 && r < 9.2e18)) {
        task_raise(m, t, e->pos, EXC_VALUE, r != r ? "Invalid value NaN (not a number)"
                                                    : "timestamp too large to convert to C _PyTime_t");
        return false;
    }
    *out = v_int((int64_t)r);
    return true;
}

/* (a, b, ...) and [a, b, ...] */
static bool sequence(struct machine *m, struct task *t, const struct expr *e,
                     struct value *out)
{
    struct value small[16], *items = small;
    if (e->nitems > 16 && !(items = malloc((size_t)e->nitems * sizeof *items))) {
        machine_fail(m, e->pos, "out of memory");
        return false;
    }
    bool ok = true;
    for (int i = 0; ok && i < e->nitems; i++)
        ok = expr_value(m, t, e->items[i], &items[i]);
    if (ok)
        ok = checked(m, t, e, v_seq(&m->heap, e->kind == EX_TUPLE ? V_TUPLE : V_LIST,
                                    items, (uint32_t)e->nitems, out), &out_of_memory);
    if (items != small)
        free(items);
    return ok;
}

/* Operators and built-ins of one operand a. */
static bool unary(struct machine *m, struct task *t, const struct expr *e,
                  struct value a, struct value *out)
{
    const char *msg = NULL;
    int64_t n;
    switch (e->kind) {
    case EX_NOT:
        *out = v_bool(!v_truthy(&m->heap, a));
        return true;
    case EX_LEN:
        if (a.type == V_OBJ)
            return objref_len(m, t, e, a, out);
        if (!checked(m, t, e, v_len(&m->heap, a, &n, &msg), &msg))
            return false;
        *out = v_int(n);
        return true;
    case EX_STRFN:
    case EX_REPR:
        return checked(m, t, e, v_to_str(&m->heap, a, e->kind == EX_REPR, out, &msg), &msg);
    case EX_INTFN:
        if (!checked(m, t, e, v_to_int(&m->heap, a, &n, &msg), &msg))
            return false;
        *out = v_int(n);
        return true;
    case EX_INVERT:
        return checked(m, t, e, v_negate(a, false, out, &msg), &msg);
    case EX_ATTR:
        if (a.type == V_OBJ)               /* V.value (objref.c) */
            return objref_attr(m, t, e, a, e->str, -1, out);
        if (a.type == V_FUNC && !strcmp(e->str, "__name__") && a.i >= 0 &&
            a.i < m->scn->nprograms) {             /* f.__name__ */
            const char *nm = m->scn->programs[a.i].name, *dot = strrchr(nm, '.');
            nm = dot ? dot + 1 : nm;               /* def C.m: its name is m */
            return checked(m, t, e, v_str(&m->heap, nm, strlen(nm), out), &out_of_memory);
        }
        return checked(m, t, e, v_getattr(&m->heap, a, e->str, out, &msg), &msg);
    default:
        break;
    }
    if (e->kind == EX_NEG && !v_is_int(a))
        return checked(m, t, e, v_negate(a, true, out, &msg), &msg);
    if (!v_is_int(a)) {
        task_raise(m, t, e->pos, EXC_TYPE, e->kind == EX_NEG
                   ? "bad operand type for unary -" : "an integer is required");
        return false;
    }
    if (e->kind == EX_NEG)
        *out = v_int(wrap_sub(0, a.i));
    else
        *out = v_int(builtin1(m, t, e->kind, a.i));   /* getpgid ... wifcontinued */
    return true;
}

/* Comparisons, as Python: == and != between any values, order between
 * values of kinds that have one. */
static bool compare(struct machine *m, struct task *t, const struct expr *e,
                    struct value a, struct value b, struct value *out)
{
    if (e->kind == EX_EQ || e->kind == EX_NE) {
        bool eq = v_equal(&m->heap, a, b);
        *out = v_bool(e->kind == EX_EQ ? eq : !eq);
        return true;
    }
    static const char *const ops[] = { "<", "<=", ">", ">=" };
    const char *msg = NULL;
    int c = 0;
    if ((a.type == V_FLOAT || b.type == V_FLOAT) && v_is_num(a) && v_is_num(b)) {
        double x = v_num_double(a), y = v_num_double(b);   /* nan: all false */
        *out = v_bool(e->kind == EX_LT ? x < y : e->kind == EX_LE ? x <= y :
                      e->kind == EX_GT ? x > y : x >= y);
        return true;
    }
    if (!checked(m, t, e, v_compare(&m->heap, a, b, ops[e->kind - EX_LT], &c, &msg), &msg))
        return false;
    *out = v_bool(e->kind == EX_LT ? c < 0 : e->kind == EX_LE ? c <= 0 :
                  e->kind == EX_GT ? c > 0 : c >= 0);
    return true;
}

/* a in b: an item of a list or tuple equal to a, or a substring of a
 * string (issue 13: `if fd in r`). */
static bool contains(struct machine *m, struct task *t, const struct expr *e,
                     struct value a, struct value b, struct value *out)
{
    if (!objref_as_list(m, t, e, &b))              /* x in arr */
        return false;
    if (b.type == V_DICT || b.type == V_BYTES || e->kind == EX_NOT_IN) {
        const char *msg = NULL;
        bool in = false;
        if (!checked(m, t, e, v_contains(&m->heap, b, a, &in, &msg), &msg))
            return false;
        *out = v_bool(e->kind == EX_NOT_IN ? !in : in);
        return true;
    }
    if (b.type == V_LIST || b.type == V_TUPLE) {
        uint32_t n;
        const struct value *items = v_items(&m->heap, b, &n);
        bool found = false;
        for (uint32_t i = 0; i < n && !found; i++)
            found = v_equal(&m->heap, a, items[i]);
        *out = v_bool(found);
        return true;
    }
    if (b.type == V_STR && a.type == V_STR) {
        size_t na, nb;
        const char *sa = v_str_data(&m->heap, a, &na), *sb = v_str_data(&m->heap, b, &nb);
        bool found = na == 0;
        for (size_t i = 0; !found && na <= nb && i <= nb - na; i++)
            found = !memcmp(sb + i, sa, na);
        *out = v_bool(found);
        return true;
    }
    task_raise(m, t, e->pos, EXC_TYPE, b.type == V_STR
               ? "'in <string>' requires string as left operand"
               : "argument of type is not iterable (in needs a list, tuple or string)");
    return false;
}

static bool arith(struct machine *m, struct task *t, const struct expr *e, int op,
                  struct value a, struct value b, struct value *out)
{
    const char *msg = NULL;
    return checked(m, t, e, v_arith(&m->heap, op, a, b, out, &msg), &msg);
}

static bool binary_op(struct machine *m, struct task *t, const struct expr *e,
                      struct value a, struct value b, struct value *out)
{
    const char *msg = NULL;
    switch (e->kind) {
    case EX_ADD: return checked(m, t, e, v_add(&m->heap, a, b, out, &msg), &msg);
    case EX_MUL: return checked(m, t, e, v_mul(&m->heap, a, b, out, &msg), &msg);
    case EX_INDEX:
        if (a.type == V_OBJ)
            return objref_item(m, t, e, a, b, out);
        return checked(m, t, e, v_index(&m->heap, a, b, out, &msg), &msg);
    case EX_EQ: case EX_NE: case EX_LT: case EX_LE: case EX_GT: case EX_GE:
        return compare(m, t, e, a, b, out);
    case EX_IN:
    case EX_NOT_IN:
        return contains(m, t, e, a, b, out);
    case EX_IS:
    case EX_IS_NOT:
        *out = v_bool(v_is(a, b) == (e->kind == EX_IS));
        return true;
    case EX_FLOORDIV: return arith(m, t, e, VA_FLOORDIV, a, b, out);
    case EX_POW:      return arith(m, t, e, VA_POW, a, b, out);
    case EX_XOR:      return arith(m, t, e, VA_XOR, a, b, out);
    case EX_SHL:      return arith(m, t, e, VA_SHL, a, b, out);
    case EX_SHR:      return arith(m, t, e, VA_SHR, a, b, out);
    default:
        break;
    }
    /* the contract's - / % | & on ints below; floats, and a str's % (its
     * formatting), go by Python's rules */
    if (!v_is_int(a) || !v_is_int(b)) {
        bool num = v_is_num(a) && v_is_num(b);
        switch (e->kind) {
        case EX_SUB: if (num) return arith(m, t, e, VA_SUB, a, b, out); break;
        case EX_DIV: if (num) return arith(m, t, e, VA_TRUEDIV, a, b, out); break;
        case EX_MOD:
            if (num || a.type == V_STR)
                return arith(m, t, e, VA_MOD, a, b, out);
            break;
        default: break;
        }
    }
    if (!v_is_int(a) || !v_is_int(b)) {
        task_raise(m, t, e->pos, EXC_TYPE, e->kind == EX_SUB
                   ? "unsupported operand type(s) for -"
                   : e->kind == EX_MOD ? "unsupported operand type(s) for %"
                   : e->kind == EX_DIV ? "unsupported operand type(s) for /"
                   : e->kind == EX_BITOR ? "unsupported operand type(s) for |"
                   : e->kind == EX_BITAND ? "unsupported operand type(s) for &"
                   : "rand() needs integers");
        return false;
    }
    int64_t r = 0;
    switch (e->kind) {
    case EX_SUB: r = wrap_sub(a.i, b.i); break;
    case EX_DIV:
    case EX_MOD:
        if (b.i == 0) {
            machine_fail(m, e->pos, "division by zero");
            return false;
        }
        r = safe_div(a.i, b.i, e->kind == EX_MOD);
        break;
    case EX_BITOR: r = a.i | b.i; break;
    case EX_BITAND: r = a.i & b.i; break;
    case EX_RAND:
        if (!rand_between(m, e, a.i, b.i, &r))
            return false;
        break;
    default:
        machine_fail(m, e->pos, "this expression is not supported yet");
        return false;
    }
    *out = v_int(r);
    return true;
}

/* Built-ins that read their arguments as iterables, where a shared array
 * is the sequence of its items (CPython's SynchronizedArray has __len__ and
 * __getitem__): list(a), sum(a), sorted(a), zip(a, b) ... */
static bool takes_iterables(int64_t b)
{
    switch (b) {
    case VB_LIST: case VB_TUPLE: case VB_SORTED: case VB_REVERSED: case VB_MIN:
    case VB_MAX: case VB_SUM: case VB_ENUMERATE: case VB_ZIP: case VB_ANY: case VB_ALL:
    case VB_BOOL: case VB_IADD:
        return true;
    default:
        return false;
    }
}

/* Expressions with a list of operands (issue 14): a dict literal, a
 * slice, a method call, a built-in call. */
static bool expr_values(struct machine *m, struct task *t, const struct expr *e,
                        struct value *out)
{
    struct value small[16], *args = small, self = v_none();
    const char *msg = NULL;
    int n = e->nitems;
    if (n > 16 && !(args = malloc((size_t)n * sizeof *args))) {
        machine_fail(m, e->pos, "out of memory");
        return false;
    }
    bool ok = !e->a || expr_value(m, t, e->a, &self);
    for (int i = 0; ok && i < n; i++) {
        args[i] = v_none();
        if (e->items[i])
            ok = expr_value(m, t, e->items[i], &args[i]);
    }
    if (ok && e->kind == EX_METHOD && self.type == V_OBJ) {
        /* q.qsize(), l.locked() ... (objref.c) */
        ok = objref_attr(m, t, e, self, e->str, n, out);
    } else if (ok) {
        switch (e->kind) {
        case EX_DICT:
            ok = checked(m, t, e, v_dict_new(&m->heap, out), &out_of_memory);
            for (int i = 0; ok && i + 1 < n; i += 2)
                ok = checked(m, t, e, v_dict_set(&m->heap, *out, args[i], args[i + 1], &msg),
                             &msg);
            break;
        case EX_SLICE:                     /* arr[:] of a shared array too */
            ok = objref_as_list(m, t, e, &self) &&
                 checked(m, t, e, v_slice(&m->heap, self, args[0], args[1], args[2], out,
                                          &msg), &msg);
            break;
        case EX_METHOD: {
            /* objects' and instances' methods are statements (invoke) */
            bool found;
            if (n == 1 && !strcmp(e->str, "extend"))   /* l.extend(arr) */
                ok = objref_as_list(m, t, e, &args[0]);
            if (!ok)
                break;
            ok = checked(m, t, e, v_method(&m->heap, self, e->str, args, n, out, &msg,
                                           &found), &msg);
            break;
        }
        default:
            if (e->num == VB_CPU_COUNT) {
                *out = v_int(m->cfg.cpus);
                break;
            }
            if (e->num >= VB_SECS_TO_TICKS && e->num <= VB_TICK_NS) {
                ok = tick_builtin(m, t, e, args, out);
                break;
            }
            if (takes_iterables(e->num))   /* list(arr), sum(arr) ... */
                for (int i = e->num == VB_IADD; ok && i < n; i++)   /* l += arr */
                    ok = objref_as_list(m, t, e, &args[i]);
            ok = ok && checked(m, t, e, v_builtin(&m->heap, (int)e->num, args, n, out, &msg),
                               &msg);
            break;
        }
    }
    if (args != small)
        free(args);
    return ok;
}

bool expr_value(struct machine *m, struct task *t, const struct expr *e,
                struct value *out)
{
    struct value a, b;
    const struct proc *p = &m->procs[t->proc];
    switch (e->kind) {
    case EX_NUM:    *out = v_int(e->num); return true;
    case EX_VAR:    *out = *var_ref(m, t, e->var); return true;
    case EX_SHARED:
        charge_shared(m, t);
        *out = v_int(machine_shared_value(m, e->obj));
        return true;
    case EX_IS_ALIVE: case EX_EXITCODE: case EX_ARRAY_GET: case EX_ARRAY_LEN:
        return procobj_eval(m, t, e, out);
    case EX_GETPID: *out = v_int(p->pid); return true;
    case EX_FN:     *out = (struct value){ .type = V_FUNC, .i = e->var }; return true;
    case EX_EXC_NAME: {                /* type(e).__name__ (exec) */
        int exc = t->x >= 0 ? m->taskx[t->x].cur_exc : -1;
        if (exc < 0) {
            *out = v_none();
            return true;
        }
        const char *q = exc_qualname(exc), *dot = strrchr(q, '.');
        q = dot ? dot + 1 : q;
        return checked(m, t, e, v_str(&m->heap, q, strlen(q), out), &out_of_memory);
    }
    case EX_GETPPID: *out = v_int(p->ppid); return true;
    case EX_GETTID: *out = v_int(t->tid); return true;
    case EX_NOW:    *out = v_int(m->tick); return true;
    case EX_GETPGRP: *out = v_int(p->pgid); return true;
    case EX_TCGETPGRP:          /* ENOTTY without the terminal (setsid) */
        *out = v_int(p->sid == TTY_SID ? m->fg_pgid : -ERR_ENOTTY);
        return true;
    case EX_NONE:   *out = v_none(); return true;
    case EX_TRUE:   *out = v_bool(true); return true;
    case EX_FALSE:  *out = v_bool(false); return true;
    case EX_STR:
        return checked(m, t, e, v_str(&m->heap, e->str, (size_t)e->num, out),
                       &out_of_memory);
    case EX_TUPLE:
    case EX_LIST:
        return sequence(m, t, e, out);
    case EX_QEMPTY:
    case EX_QFULL:
    case EX_QSIZE:
        return queue_eval(m, t, e, out);
    case EX_REF:
        return objref_eval(m, t, e, out);
    case EX_AND:
    case EX_OR:
        /* Python's: the first operand that decides, as it is */
        if (!expr_value(m, t, e->a, &a))
            return false;
        if (v_truthy(&m->heap, a) == (e->kind == EX_OR)) {
            *out = a;
            return true;
        }
        return expr_value(m, t, e->b, out);
    case EX_POLL:
        return pipes_poll(m, t, e, out);
    case EX_HANDLE_Q:
        return pool_eval(m, t, e, out);
    case EX_FLOAT:
        *out = (struct value){ .i = e->num, .type = V_FLOAT };
        return true;
    case EX_BYTES:
        return checked(m, t, e, v_bytes(&m->heap, e->str, (size_t)e->num, out),
                       &out_of_memory);
    case EX_DICT:
    case EX_SLICE:
    case EX_METHOD:
    case EX_BUILTIN:
        return expr_values(m, t, e, out);
    default:
        break;
    }
    if (!expr_value(m, t, e->a, &a))
        return false;
    if (!e->b)
        return unary(m, t, e, a, out);
    if (!expr_value(m, t, e->b, &b))
        return false;
    return binary_op(m, t, e, a, b, out);
}
