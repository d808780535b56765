/*
 * exec.c - running one tick of a task's program.
 *
 * A tick runs any number of untimed statements (assignments, jumps) and
 * then exactly one timed statement, or one tick of a `compute`. A task that
 * runs MAX_UNTIMED untimed statements in a row is stopped with an error:
 * it is looping without ever taking time.
 *
 * Blocking statements take their tick and then leave the CPU (task_block).
 * A wait that has to sleep leaves pc on the wait, so that when a child's
 * exit wakes it, the next tick it runs completes the wait (reaps).
 */
#include "kernel.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sched.h"

#define MAX_UNTIMED 10000

static inline const struct insn *current(const struct machine *m, const struct task *t,
                                         const struct insn *init_code)
{
    if (t->prog == PROG_INIT)
        return &init_code[t->pc];
    /* program_code, inline: this runs for every statement */
    const struct scenario *s = m->scn;
    const struct program *p = t->prog < s->nprograms ? &s->programs[t->prog]
                                                     : &s->handlers[t->prog - s->nprograms];
    return &p->code[t->pc];
}

/* Evaluate a tick count; negative counts are taken as 0. */
static bool eval_ticks(struct machine *m, struct task *t, const struct insn *in,
                       int64_t *n)
{
    if (!expr_int(m, t, in->e1, n))
        return false;
    if (*n < 0)
        *n = 0;
    return true;
}

/* The task of thread `tid` of t's process. */
static struct task *thread_task(struct machine *m, const struct task *t, int tid)
{
    for (int s = m->procs[t->proc].main_task; s >= 0; s = m->tasks[s].next_thread)
        if (m->tasks[s].tid == tid)
            return &m->tasks[s];
    return NULL;
}

/* fork (pre: the arguments of a dynamic fork, already evaluated). */
static void do_fork(struct machine *m, struct task *t, const struct insn *in,
                    const struct value *pre)
{
    if (!procobj_may_fork(m, t, in))
        return;
    /* fork_cost: the child exists from the tick after the last one paid;
     * the arguments are evaluated in that last tick. */
    if (!task_pay_cost(m, t, COST_FORK))
        return;
    struct value args[MAX_PARAMS];
    if (pre)
        memcpy(args, pre, (size_t)in->argc * sizeof *args);
    else if (!eval_insn_args(m, t, in, args))
        return;
    int pid = proc_fork(m, t, in->prog);
    if (pid > 0)
        procobj_forked(m, t, pid, in);
    t->pc++;
    set_result(m, t, in->var, pid);
    if (pid > 0) {
        struct task *child = &m->tasks[m->procs[proc_slot(m, pid)].main_task];
        /* The child gets 0 in VAR, except a child that starts PROG afresh
         * when VAR is a def's local: that frame is not the child's (it has
         * none; writing there crashed, pylib found it). */
        if (in->prog < 0 || in->var < 0 || !m->scn->vars[in->var].frame)
            set_result(m, child, in->var, 0);
        for (int i = 0; i < in->argc; i++)    /* the child's own copies */
            value_copy_message(m, &args[i]);
        if (in->prog >= 0)
            task_set_args(m, child, in->prog, args, in->argc);
    }
}

/* thread PROG(args) (pre: a dynamic thread's arguments, evaluated). */
static void do_thread(struct machine *m, struct task *t, const struct insn *in,
                      const struct value *pre)
{
    if (!task_pay_cost(m, t, COST_THREAD))
        return;
    struct value args[MAX_PARAMS];
    if (pre)
        memcpy(args, pre, (size_t)in->argc * sizeof *args);
    else if (!eval_insn_args(m, t, in, args))
        return;
    char name[TASK_NAME_LEN] = "";
    if (in->e3) {              /* thread @F ARGS name E */
        struct value nv;
        if (!expr_value(m, t, in->e3, &nv))
            return;
        v_format(&m->heap, nv, false, name, sizeof name);
    }
    t->pc++;
    int tid = thread_create_named(m, t, in->prog, in->flags & INSN_DAEMON, name);
    set_result(m, t, in->var, tid);
    struct task *n = tid > 0 ? thread_task(m, t, tid) : NULL;
    if (n)
        task_set_args(m, n, in->prog, args, in->argc);
}

/* wait / waitpid: reap a zombie child now, return at once (no children, or
 * nohang), or sleep until a child exits and try again then. init never
 * gives up: with no children it just keeps waiting. */
static void do_wait(struct machine *m, struct task *t, const struct insn *in)
{
    int64_t spec = -1;
    if (in->op == OP_WAITPID && !expr_int(m, t, in->e1, &spec))
        return;
    if (spec < INT32_MIN + 1 || spec > INT32_MAX)
        spec = INT32_MAX;     /* no such pid: ECHILD below */
    bool nohang = in->flags & INSN_NOHANG;
    int flags = in->op == OP_WAITPID ? in->flags & (INSN_UNTRACED | INSN_CONTINUED) : 0;
    int status = 0;
    int r = proc_reap(m, t, (int)spec, flags, &status);
    bool init = t->prog == PROG_INIT;
    if (r > 0 || (r < 0 && !init) || (r == 0 && nohang)) {
        set_result(m, t, in->var, r);
        if (r > 0)
            set_result(m, t, in->var2, status);
        else
            emit(m, EV_WAIT_NONE, 0, t, r, 0);
        t->pc++;
        return;
    }
    t->wait_pid = (int)spec;
    t->wait_flags = flags;
    /* A child that exited on another CPU this tick will be a zombie in the
     * next: sleep until then instead of waiting for an exit that happened. */
    task_block(m, t, 'S', WC_WAIT, proc_fresh_change(m, t, (int)spec, flags) ? 0 : -1);
}

static void do_nice(struct machine *m, struct task *t, int64_t inc)
{
    struct proc *p = &m->procs[t->proc];
    int64_t n = p->nice + (inc > 40 ? 40 : inc < -40 ? -40 : inc);
    p->nice = (int)(n < -20 ? -20 : n > 19 ? 19 : n);
    task_set_nice(m, t, p->nice);
    emit(m, EV_NICE, 0, t, p->nice, t->weight);
}

static void do_print(struct machine *m, struct task *t, const struct insn *in)
{
    char buf[1024];
    size_t n = 0;
    for (int i = 0; i < in->nargs; i++) {
        if (i > 0 && n + 1 < sizeof buf)
            buf[n++] = ' ';
        const char *s = in->args[i].str;
        if (!s) {
            struct value v;
            if (!expr_value(m, t, in->args[i].e, &v))
                return;
            n += out_format(m, v, false, buf + n, sizeof buf - n);
            continue;
        }
        size_t len = strlen(s);
        if (len > sizeof buf - 1 - n)
            len = sizeof buf - 1 - n;
        memcpy(buf + n, s, len);
        n += len;
    }
    buf[n] = '\0';
    emit_text(m, EV_PRINT, t, buf, n);
}

/* The status of a process that exits with `code`: a fatal signal that has
 * already started its group exit (sent from another CPU this tick) wins, as
 * in do_group_exit. */
static int group_status(const struct machine *m, const struct task *t, int code)
{
    int sig = m->procs[t->proc].group_exit;
    return sig ? -sig : code;
}

/* signal SIG default|ignore|HANDLER. Ignoring a signal discards it if it
 * is pending (sigaction(2)). */
static void do_signal(struct machine *m, struct task *t, const struct insn *in)
{
    struct proc *p = &m->procs[t->proc];
    p->sigact[in->sig] = in->disp == SIGDISP_DEFAULT ? SIGACT_DEFAULT
                       : in->disp == SIGDISP_IGNORE  ? SIGACT_IGNORE
                                                     : (int16_t)in->handler;
    if (in->disp == SIGDISP_IGNORE)
        p->pending &= ~(1u << in->sig);
}

/* A, B = EXPR: Python's unpacking of a tuple or list. False after an
 * exception. */
static bool unpack(struct machine *m, struct task *t, const struct insn *in)
{
    struct value v;
    if (!expr_value(m, t, in->e1, &v))
        return false;
    if (v.type != V_TUPLE && v.type != V_LIST) {
        task_raise(m, t, in->pos, EXC_TYPE, v.type == V_STR
                   ? "cannot unpack a str (procsim unpacks tuples and lists)"
                   : "cannot unpack non-iterable object");
        return false;
    }
    uint32_t n;
    const struct value *items = v_items(&m->heap, v, &n);
    if (n != (uint32_t)in->nvars) {
        task_raise(m, t, in->pos, EXC_VALUE, n > (uint32_t)in->nvars
                   ? "too many values to unpack" : "not enough values to unpack");
        return false;
    }
    for (int i = 0; i < in->nvars; i++)
        *var_ref(m, t, in->vars[i]) = items[i];
    return true;
}

/* The start of `for V in range(A, B, C)`: A, B, C are ints (bools too, as
 * Python), C not 0; kept in the loop's hidden variables. */
static bool range_setup(struct machine *m, struct task *t, const struct insn *in)
{
    int64_t n[3];
    for (int k = 0; k < 3; k++) {
        struct value v;
        if (!expr_value(m, t, in->argv[k], &v))
            return false;
        if (v.type != V_INT && v.type != V_BOOL) {
            char msg[80];
            snprintf(msg, sizeof msg, "'%s' object cannot be interpreted as an integer",
                     v_type_name(v));
            return task_raise_dyn(m, t, in->pos, EXC_TYPE, msg) && false;
        }
        n[k] = v.i;
    }
    if (n[2] == 0) {
        task_raise(m, t, in->pos, EXC_VALUE, "range() arg 3 must not be zero");
        return false;
    }
    for (int k = 0; k < 3; k++)
        *var_ref(m, t, in->vars[k]) = v_int(n[k]);
    return true;
}

/* try / except (exc.c raises): the untimed bookkeeping of a try block.
 * False when the statement raised (the tick is over). */
static bool exec_try(struct machine *m, struct task *t, const struct insn *in)
{
    struct taskx *x = taskx_of(m, t);
    if (!x)
        return false;
    switch (in->op) {
    case OP_TRY:
        if (x->ntry == MAX_TRY) {
            machine_fail(m, in->pos, "try blocks nested more than %d deep (in "
                         "signal handlers too)", MAX_TRY);
            return false;
        }
        x->try_at[x->ntry] = in->target;
        x->try_call[x->ntry] = x->ncall;
        x->try_level[x->ntry++] = (uint8_t)t->nframes;
        t->pc++;
        return true;
    case OP_TRY_END:
        if (x->ntry > 0)
            x->ntry--;
        t->pc++;
        return true;
    case OP_EXCEPT:
        if (x->exc < 0 || !exc_matches(x->exc, in->exc)) {
            t->pc = in->target;
            return true;
        }
        x->cur_exc = x->exc;               /* for a bare `raise` in it */
        x->cur_msg = x->exc_msg;
        x->cur_dyn = x->exc_dyn;
        x->cur_val = x->exc_val;
        if (in->var >= 0) {
            char buf[300];
            const char *msg = x->exc_msg ? x->exc_msg : "";
            /* raise E EXPR: its str; SystemExit: its code as it is (None,
             * an int, a str...: Python's e.code), for `exit c` */
            if (x->exc_dyn && (x->exc_val.type == V_STR || x->exc == EXC_SYSTEM_EXIT)) {
                *var_ref(m, t, in->var) = x->exc_val;
                x->exc = -1;
                t->pc++;
                return true;
            }
            if (x->exc_dyn) {
                out_format(m, x->exc_val, false, buf, sizeof buf);
                msg = buf;
            } else if (x->exc == EXC_SYSTEM_EXIT && !x->exc_msg) {
                *var_ref(m, t, in->var) = v_none();     /* raise SystemExit */
                x->exc = -1;
                t->pc++;
                return true;
            }
            struct value text;
            enum verr err = v_str(&m->heap, msg, strlen(msg), &text);
            if (err != VE_OK) {
                task_raise_verr(m, t, in->pos, err, "out of memory");
                return false;
            }
            *var_ref(m, t, in->var) = text;
        }
        x->exc = -1;
        t->pc++;
        return true;
    default: {                                      /* OP_RERAISE */
        int exc = x->exc;
        x->exc = -1;
        m->raise_dyn = x->exc_dyn;
        m->raise_val = x->exc_val;
        task_raise(m, t, (struct srcpos){ x->exc_line, 0 }, exc < 0 ? EXC_EXCEPTION : exc,
                   x->exc_msg);
        return false;
    }
    }
}

/* stmt_cost mode: where the last charged statement was (exec_tick looks
 * whether a timed one moved on), and whether the tick is full. */
struct runinfo {
    int prog, pc;
    bool full;
};

/* Does the instruction cost stmt_cost? Jumps and try bookkeeping are free,
 * and a compute under way is paid by whole ticks. */
static inline bool charged(const struct insn *in)
{
    return in->op != OP_JUMP && in->op != OP_COMPUTE &&
           (in->op < OP_TRY || in->op > OP_RERAISE);
}

/* Run task t's statements: the untimed ones and then one timed one (one
 * tick); or, in stmt_cost mode, until the charged statements fill the
 * tick. */
static void run(struct machine *m, struct task *t, struct runinfo *ri)
{
    static const struct insn init_code[] = {
        { .op = OP_WAIT, .var = -1, .var2 = -1, .prog = -1 },
        { .op = OP_JUMP, .target = 0, .var = -1, .var2 = -1, .prog = -1 },
    };
    int64_t v;
    /* init is not a Python program: its waits take the contract's tick
     * each (with statement costs, its reap at the end of a run went on
     * into its next wait in the same tick: an extra "pid 1 waits for a
     * child" that a plain scenario never shows) */
    const int64_t sc = t->prog == PROG_INIT ? 0 : m->stmt_ns;

    for (int untimed = 0; m->status == MS_RUNNING; untimed++) {
        /* full: by a statement's charge, or by what one cost as it ran
         * (a shared Value's read: the tick may end before its write) */
        if (ri->full || (sc && t->acc_ns >= m->tick_ns))
            return;
        const struct insn *in = current(m, t, init_code);
        if (in->pos.line)          /* the cause of the events it emits; code */
            t->last_pos = in->pos; /* with no position keeps its caller's */
        if (sc && charged(in)) {
            untimed = 0;
            ri->prog = t->prog;
            ri->pc = t->pc;
            if ((t->acc_ns += sc) >= m->tick_ns)
                ri->full = true;
        }
        if (untimed >= MAX_UNTIMED) {
            machine_fail(m, in->pos, "pid %d ran %d statements in a row "
                         "without taking a tick (a loop with no compute, sleep "
                         "or other timed statement?)",
                         m->procs[t->proc].pid, MAX_UNTIMED);
            return;
        }
        int gh = m->coro || (in->flags & INSN_AWAIT) ? green_hook(m, t, in) : 0;
                               /* sim/coro switches greenlets: GH_* */
        if (gh == 1)
            continue;          /* another greenlet's statement, this tick */
        if (gh == 2)
            return;
        switch (in->op) {
        case OP_SET: {
            struct value val;
            if (!expr_value(m, t, in->e1, &val))
                return;
            *var_ref(m, t, in->var) = val;
            t->pc++;
            continue;
        }
        case OP_JUMP:
            t->pc = in->target;
            continue;
        case OP_JIF: {
            struct value val;
            if (!expr_value(m, t, in->e1, &val))
                return;
            t->pc = v_truthy(&m->heap, val) ? t->pc + 1 : in->target;
            continue;
        }
        case OP_TRY:
        case OP_TRY_END:
        case OP_EXCEPT:
        case OP_RERAISE:
            if (!exec_try(m, t, in))
                return;
            continue;
        case OP_FOR_RANGE: {
            /* for V in range(...): vars = the counter, stop and step */
            if (in->flags & 1) {
                if (!range_setup(m, t, in))
                    return;
                t->pc++;
                continue;
            }
            if (in->flags & 2) {       /* for X in E: E, a dict's keys */
                struct value it;
                if (!expr_value(m, t, in->e1, &it))
                    return;
                if (it.type == V_DICT) {
                    const char *msg = NULL;
                    struct value keys;
                    enum verr err = v_iterate(&m->heap, it, &keys, &msg);
                    if (err != VE_OK) {
                        task_raise_verr(m, t, in->pos, err, msg ? msg : "out of memory");
                        return;
                    }
                    it = keys;
                }
                *var_ref(m, t, in->var) = it;
                t->pc++;
                continue;
            }
            struct value *c = var_ref(m, t, in->vars[0]);
            int64_t i = c->i, stop = var_ref(m, t, in->vars[1])->i,
                    step = var_ref(m, t, in->vars[2])->i;
            if (step > 0 ? i < stop : i > stop) {
                *var_ref(m, t, in->var) = v_int(i);
                if (__builtin_add_overflow(i, step, &c->i))
                    c->i = stop;       /* past the end: the loop is over */
                t->pc++;
            } else {
                t->pc = in->target;
            }
            continue;
        }
        case OP_UNPACK:
            if (!unpack(m, t, in))
                return;
            t->pc++;
            continue;
        case OP_SETITEM:           /* issue 14: values (valstmt.c) */
        case OP_SETATTR:
            if (objref_store(m, t, in) <= 0)
                return;                /* V.value = E, V[I] = E on an object */
            /* fall through */
        case OP_DELITEM:
        case OP_EVAL:
            if (!valstmt_exec(m, t, in))
                return;
            t->pc++;
            continue;
        case OP_RAISE:
            if (in->exc < 0) {                 /* bare raise: again */
                const struct taskx *x = t->x >= 0 ? &m->taskx[t->x] : NULL;
                if (!x || x->cur_exc < 0) {
                    task_raise(m, t, in->pos, EXC_RUNTIME, "No active exception to reraise");
                    return;
                }
                m->raise_dyn = x->cur_dyn;
                m->raise_val = x->cur_val;
                task_raise(m, t, in->pos, x->cur_exc, x->cur_msg);
                return;
            }
            if (in->nargs && !in->args[0].str) {       /* raise E EXPR */
                struct value msg;
                if (expr_value(m, t, in->args[0].e, &msg))
                    task_raise_value(m, t, in->pos, in->exc, msg);
                return;
            }
            task_raise(m, t, in->pos, in->exc, in->nargs ? in->args[0].str : NULL);
            return;
        case OP_RETURN: {
            struct value r = v_none();
            if (in->e1 && !expr_value(m, t, in->e1, &r))
                return;
            if (task_returns(m, t)) {          /* back to the caller */
                call_return(m, t, r);
                continue;
            }
            if (in->e1) {
                struct taskx *x = taskx_of(m, t);
                if (!x)
                    return;
                x->result = r;
            }
            t->pc = program_code(m, t->prog)->ncode - 1;    /* its OP_END */
            continue;
        }
        case OP_CALL: {
            struct value args[MAX_PARAMS];
            if (!eval_insn_args(m, t, in, args))
                return;
            t->pc++;
            if (!task_call(m, t, in->prog, args, in->argc, in->var))
                return;
            continue;
        }
        case OP_COMPUTE:
            if (t->left == 0) {
                if (!eval_ticks(m, t, in, &v))
                    return;
                if (v == 0) {          /* compute 0 takes no time */
                    t->pc++;
                    continue;
                }
                t->left = v;
            }
            if (--t->left == 0)
                t->pc++;
            return;
        case OP_SLEEP:
            if (t->sleep_until) {
                /* A sleep a handler interrupted goes on to its deadline
                 * (eintr=retry; this tick is the call made again). */
                v = t->sleep_until - m->tick - 1;
                t->sleep_until = 0;
                t->pc++;
                set_result(m, t, in->var, 0);
                if (v > 0)
                    task_block(m, t, 'S', WC_SLEEP, v);
                return;
            }
            /* fall through */
        case OP_DISK:
            if (!eval_ticks(m, t, in, &v))
                return;
            t->pc++;
            set_result(m, t, in->var, 0);
            if (v > 0 && in->op == OP_SLEEP && m->cfg.stmt_cost_ns > 0)
                /* Statement costs (Python mode): time flows through a
                 * tick statement by statement, so a sleep of v ticks begun
                 * during tick T is over when T+v begins, and the task runs
                 * then (time.sleep(1); time.time() reads 1.0 whatever
                 * `tick` is). The contract's `sleep v` takes its own tick,
                 * then v more: it runs at T+v+1. */
                task_block_shown(m, t, 'S', WC_SLEEP, v - 1, v);
            else if (v > 0)
                task_block(m, t, in->op == OP_SLEEP ? 'S' : 'D',
                           in->op == OP_SLEEP ? WC_SLEEP : WC_DISK, v);
            return;
        case OP_FORK:
            do_fork(m, t, in, NULL);
            return;
        case OP_CALL_DYN: {
            /* call/fork/thread @F ARGS: resolved now (dyncall.c) */
            struct value args[MAX_PARAMS];
            struct insn d;
            if (!dyn_target(m, t, in, &d, args))
                return;
            if (in->method == OP_CALL) {
                t->pc++;
                if (!task_call(m, t, d.prog, args, d.argc, in->var))
                    return;
                continue;
            }
            if (in->method == OP_FORK) {
                do_fork(m, t, &d, args);
                return;
            }
            do_thread(m, t, &d, args);
            return;
        }
        case OP_EXEC:
            if (t->tid != m->procs[t->proc].pid) {
                machine_fail(m, in->pos, "exec from a thread other than the main "
                             "thread is not supported");
                return;
            }
            if (!task_pay_cost(m, t, COST_EXEC))
                return;
            {
                struct value args[MAX_PARAMS];
                if (!eval_insn_args(m, t, in, args))
                    return;
                proc_exec(m, t, in->prog);
                task_set_args(m, t, in->prog, args, in->argc);
            }
            return;
        case OP_EXIT:
            v = 0;
            if (in->e1 && !expr_int(m, t, in->e1, &v))
                return;
            if (!m->procs[t->proc].group_exit && queue_exit_waits(m, t))
                return;                /* then `exit` again */
            if (!task_pay_cost(m, t, COST_EXIT))
                return;
            if (in->flags & INSN_QUICK)
                m->procs[t->proc].quick_exit = true;
            proc_exit(m, t, group_status(m, t, (int)(v & 0xff)));
            return;
        case OP_END:
            if (task_returns(m, t)) {          /* a call returns None */
                call_return(m, t, v_none());
                continue;
            }
            if (t->nframes > 0) {          /* a handler returns: no tick */
                signal_return(m, t);
                /* sigreturn is a return to user mode: signals unblocked
                 * by it are acted on now. */
                if (t->sigpending && !signal_act(m, t))
                    return;
                continue;
            }
            if (t->tid != m->procs[t->proc].pid)
                thread_end(m, t);
            else if (m->procs[t->proc].nworkers > 0) {
                pools_main_ending(m, t->proc);
                task_block(m, t, 'S', WC_THREADS, -1);  /* then END again */
            }
            else if (!m->procs[t->proc].group_exit && queue_exit_waits(m, t))
                ;                                       /* then END again */
            else if (task_pay_cost(m, t, COST_EXIT))
                proc_exit(m, t, group_status(m, t, m->procs[t->proc].end_code));
            return;
        case OP_THREAD:
            do_thread(m, t, in, NULL);
            return;
        case OP_TIMER: {
            /* threading.Timer(N, PROG, args).start(): a thread, so it
             * costs what a thread costs */
            if (!task_pay_cost(m, t, COST_THREAD))
                return;
            struct value args[MAX_PARAMS];
            if (!eval_ticks(m, t, in, &v) || !eval_insn_args(m, t, in, args))
                return;
            t->pc++;
            /* daemon: its creator's (Thread.__init__), or `daemon` */
            int tid = thread_create(m, t, in->target,
                                    t->daemon || (in->flags & INSN_DAEMON));
            set_result(m, t, in->var, tid);
            struct task *n = tid > 0 ? thread_task(m, t, tid) : NULL;
            if (n) {
                task_set_args(m, n, in->prog, args, in->argc);
                timer_started(m, t, n, in, v);
            }
            return;
        }
        case OP_TIMER_WAIT:
            if (timer_wait(m, t, in))
                continue;              /* it fired: its program runs now */
            return;
        case OP_CANCEL:
            if (!expr_int(m, t, in->e1, &v))
                return;
            t->pc++;
            timer_cancel(m, t, v);
            return;
        case OP_JOIN:
            procobj_join(m, t, in);
            return;
        case OP_TERMINATE:
            procobj_terminate(m, t, in);
            return;
        case OP_ARRAY_SET:
        case OP_SHARED_SET:
        case OP_OBJ:
            if (in->obj < 0) {         /* on an object a value refers to */
                if (objref_exec(m, t, in))
                    continue;
                return;
            }
            if (in->op == OP_ARRAY_SET)
                array_set(m, t, in);
            else if (in->op == OP_SHARED_SET)
                objects_shared_set(m, t, in);
            else
                objects_op(m, t, in);
            return;
        case OP_INVOKE:
        case OP_NEWOBJ:
            if (invoke_exec(m, t, in))
                continue;
            return;
        case OP_PIPE:
        case OP_FD:
            pipes_op(m, t, in);
            return;
        case OP_POOL:
            if (pool_op(m, t, in))
                continue;              /* a worker's untimed step */
            return;
        case OP_SOCK:
            if (sock_exec(m, t, in))
                continue;
            return;
        case OP_MUX:
            if (mux_exec(m, t, in))
                continue;
            return;
        case OP_GREEN:
            if (green_exec(m, t, in))
                continue;
            return;
        case OP_SIGNAL:
            t->pc++;
            do_signal(m, t, in);
            return;
        case OP_KILL:
            if (!expr_int(m, t, in->e1, &v))
                return;
            t->pc++;
            signal_kill(m, t, v < INT32_MIN + 2 || v > INT32_MAX ? INT32_MAX : (int)v,
                        in->sig);
            return;
        case OP_ALARM:
            if (!eval_ticks(m, t, in, &v))
                return;
            t->pc++;
            signal_set_alarm(m, &m->procs[t->proc], v);
            return;
        case OP_PAUSE:
            /* pc stays: only a signal that runs a handler or kills ends it
             * (signal.c steps past it); after a stop it pauses again. */
            task_block(m, t, 'S', WC_PAUSE, -1);
            return;
        case OP_BLOCK:
            t->blocked |= 1u << in->sig;
            t->pc++;
            return;
        case OP_UNBLOCK:
            t->blocked &= ~(1u << in->sig);
            signal_recalc(m, t);
            t->pc++;
            return;
        case OP_SUBREAPER:
            m->procs[t->proc].subreaper = true;
            t->pc++;
            return;
        case OP_SETPGID: {
            int64_t pgid;
            if (!expr_int(m, t, in->e1, &v) || !expr_int(m, t, in->e2, &pgid))
                return;
            t->pc++;
            set_result(m, t, in->var, proc_setpgid(m, t, v, pgid));
            return;
        }
        case OP_SETSID:
            t->pc++;
            set_result(m, t, in->var, proc_setsid(m, t));
            return;
        case OP_TCSETPGRP: {
            if (!expr_int(m, t, in->e1, &v))
                return;
            int r = signal_tcsetpgrp(m, t, v);
            if (r == 1)
                return;     /* SIGTTOU: runs again once the group goes on */
            t->pc++;
            set_result(m, t, in->var, r);
            return;
        }
        case OP_WAIT:
        case OP_WAITPID:
            do_wait(m, t, in);
            return;
        case OP_NICE:
            if (!expr_int(m, t, in->e1, &v))
                return;
            t->pc++;
            do_nice(m, t, v);
            return;
        case OP_YIELD:
            t->pc++;
            task_yield(m, t);
            return;
        case OP_PRINT:
            t->pc++;
            if (in->e1 || in->e2 || in->argc || in->flags || !out_empty(m, t))
                out_print(m, t, in);           /* Python's print (pyout.c) */
            else
                do_print(m, t, in);
            return;
        default:
            machine_fail(m, in->pos, "this statement is not supported yet");
            return;
        }
    }
}

/* Run one tick of task t, which is on a CPU. */
void exec_tick(struct machine *m, struct task *t)
{
    struct runinfo ri = { -2, -1, false };
    if (!m->stmt_ns || t->prog == PROG_INIT) {
        run(m, t, &ri);
        return;
    }
    /* stmt_cost mode: a cost paid in ns may have run past the tick. */
    if (t->acc_ns >= m->tick_ns) {
        t->acc_ns -= m->tick_ns;
        return;
    }
    int cpu = t->cpu;
    for (;;) {
        run(m, t, &ri);
        if (t->acc_ns >= m->tick_ns) {
            t->acc_ns -= m->tick_ns;
            return;
        }
        /* A timed statement that did not block goes on in this tick, unless
         * it left the CPU, is to run again (pc kept), has a signal to act
         * on, or the CPU is to pick again. */
        if (m->status != MS_RUNNING || t->state != 'R' || t->cpu != cpu || t->left ||
            t->sigpending || m->cpu_resched[cpu] ||
            (t->prog == ri.prog && t->pc == ri.pc && !t->storing))
            return;
    }
}
