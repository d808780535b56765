/*
 * exc.c - exceptions: a failing operation raises the exception Python
 * would raise (queue.Empty, EOFError, BrokenPipeError, ...), and the task's
 * innermost `try` block whose `except` clause names it (or a parent class)
 * handles it. An exception nobody catches ends the thread that raised it
 * as an uncaught exception ends a Python thread: a traceback line on the
 * process's output; in the main thread the process then exits with code 1
 * (after its other non-daemon threads, as CPython's interpreter does at
 * exit); in another thread only that thread ends.
 *
 * A task's try blocks are a small stack (taskx.try_at): OP_TRY pushes the
 * pc of the block's first `except`, OP_TRY_END pops it. Each entry
 * remembers the handler depth it was pushed at, so an exception in a signal
 * handler is caught only by a try inside that handler (procsim does not
 * unwind a handler into the code it interrupted; docs §15). The stack, the
 * exception being handled and the program's result live in a struct taskx
 * from a pool, made the first time a task needs one.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

#include "trace.h"

struct taskx *taskx_of(struct machine *m, struct task *t)
{
    if (t->x >= 0)
        return &m->taskx[t->x];
    if (m->taskx_free < 0) {
        int cap = m->taskx_cap ? m->taskx_cap * 2 : 16;
        struct taskx *x = realloc(m->taskx, (size_t)cap * sizeof *x);
        if (!x) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            return NULL;
        }
        memset(x + m->taskx_cap, 0, (size_t)(cap - m->taskx_cap) * sizeof *x);
        for (int i = cap - 1; i >= m->taskx_cap; i--) {
            x[i].next = m->taskx_free;
            m->taskx_free = i;
        }
        m->taskx = x;
        m->taskx_cap = cap;
    }
    t->x = m->taskx_free;
    struct taskx *x = &m->taskx[t->x];
    m->taskx_free = x->next;
    /* the call and locals buffers stay for reuse (call.c) */
    struct callframe *call = x->call;
    struct value *lv = x->lv;
    int call_cap = x->call_cap, lv_cap = x->lv_cap;
    memset(x, 0, sizeof *x);
    x->call = call;
    x->lv = lv;
    x->call_cap = call_cap;
    x->lv_cap = lv_cap;
    x->next = -1;
    x->exc = -1;
    x->cur_exc = -1;
    x->result = v_none();
    return x;
}

void taskx_drop(struct machine *m, struct task *t)
{
    if (t->x < 0)
        return;
    m->taskx[t->x].next = m->taskx_free;
    m->taskx[t->x].result = v_none();
    m->taskx[t->x].ncall = m->taskx[t->x].nlv = m->taskx[t->x].lbase = 0;
    m->taskx_free = t->x;
    t->x = -1;
}

void taskx_copy(struct machine *m, struct task *to, const struct task *from)
{
    if (from->x < 0)
        return;
    int fx = from->x;
    struct taskx *x = taskx_of(m, to);     /* may move the pool */
    if (!x)
        return;
    const struct taskx *f = &m->taskx[fx];
    struct callframe *call = x->call;
    struct value *lv = x->lv;
    int call_cap = x->call_cap, lv_cap = x->lv_cap;
    *x = *f;
    x->next = -1;
    x->call = call;
    x->lv = lv;
    x->call_cap = call_cap;
    x->lv_cap = lv_cap;
    /* the calls and frame locals too (os.fork inside a function: the child
     * returns from it as well) */
    if (f->ncall > x->call_cap) {
        struct callframe *c = realloc(x->call, (size_t)f->ncall * sizeof *c);
        if (!c) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            x->ncall = x->nlv = x->lbase = 0;
            return;
        }
        x->call = c;
        x->call_cap = f->ncall;
    }
    if (f->nlv > x->lv_cap) {
        struct value *v = realloc(x->lv, (size_t)f->nlv * sizeof *v);
        if (!v) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            x->ncall = x->nlv = x->lbase = 0;
            return;
        }
        x->lv = v;
        x->lv_cap = f->nlv;
    }
    if (f->ncall)
        memcpy(x->call, f->call, (size_t)f->ncall * sizeof *x->call);
    if (f->nlv)
        memcpy(x->lv, f->lv, (size_t)f->nlv * sizeof *x->lv);
}

struct value task_result(const struct machine *m, const struct task *t)
{
    return t->x >= 0 ? m->taskx[t->x].result : v_none();
}

static const char *program_name(const struct machine *m, const struct task *t)
{
    if (t->prog == PROG_INIT)
        return "init";
    return program_code(m, t->prog)->name;
}

/* The traceback line of an uncaught exception, on the process's output:
 * CPython's first line and last line in one. */
static void report_uncaught(struct machine *m, struct task *t, int line, int exc,
                            const char *msg)
{
    if (m->cfg.python) {       /* CPython's shape, on stderr (pyout.c) */
        py_traceback(m, t, line, exc, msg);
        return;
    }
    char head[48], text[300];
    const struct proc *p = proc_of(m, t);
    if (t->tid == p->pid)
        snprintf(head, sizeof head, "Traceback (most recent call last)");
    else
        snprintf(head, sizeof head, "Exception in thread %d", t->tid);
    int n = snprintf(text, sizeof text, "%s: line %d, in %s: %s%s%.120s", head, line,
                     program_name(m, t), exc_qualname(exc), msg && *msg ? ": " : "",
                     msg ? msg : "");
    size_t len = n < 0 ? 0 : (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
    emit_text(m, EV_PRINT, t, text, len);
}

/* Nobody catches it: the thread ends; a main thread ends its process with
 * `code` (1; SystemExit's) once its other threads are done. */
static void uncaught(struct machine *m, struct task *t, int code)
{
    struct proc *p = proc_of(m, t);
    /* Leave any handler under way: the exception ends the thread. */
    while (t->nframes > 0) {
        struct sigframe f;
        frame_pop(m, t, &f);
        t->prog = f.prog;
        t->blocked = f.blocked;
    }
    if (green_uncaught(m, t))  /* a spawned greenlet ends, not the thread */
        return;
    taskx_drop(m, t);
    t->left = 0;
    if (t->tid != p->pid) {
        thread_end(m, t);
        return;
    }
    p->end_code = (uint8_t)code;
    /* The main thread's program ends here: its OP_END runs the exit. */
    t->pc = program_code(m, t->prog)->ncode - 1;
    if (p->nworkers > 0)
        task_block(m, t, 'S', WC_THREADS, -1);
    else if (!p->group_exit && queue_exit_waits(m, t))
        ;                      /* its feeders flush, then OP_END */
    else
        proc_exit(m, t, p->group_exit ? -p->group_exit : code);
}

/* An uncaught SystemExit (sys.exit): no traceback; its code is the exit
 * status: None 0, an int itself, anything else printed on stderr and 1. */
static int system_exit_code(struct machine *m, struct task *t, bool dyn, struct value v,
                            const char *msg)
{
    if (!dyn && msg) {                     /* raise SystemExit "text" */
        emit_output(m, t, msg, strlen(msg), true);
        return 1;
    }
    if (!dyn || v.type == V_NONE)
        return 0;
    if (v.type == V_INT || v.type == V_BOOL)
        return (int)(v.i & 0xff);
    char text[300];
    size_t n = out_format(m, v, false, text, sizeof text);
    emit_output(m, t, text, n, true);
    return 1;
}

bool task_raise(struct machine *m, struct task *t, struct srcpos pos, int exc,
                const char *msg)
{
    bool dyn = m->raise_dyn;
    struct value val = m->raise_val;
    m->raise_dyn = false;
    m->raise_val = v_none();
    if (m->status != MS_RUNNING)
        return false;
    emit(m, EV_RAISE, 0, t, exc, pos.line);
    /* Try blocks pushed at a deeper handler level are gone with it. */
    struct taskx *x = t->x >= 0 ? &m->taskx[t->x] : NULL;
    while (x && x->ntry > 0 && x->try_level[x->ntry - 1] > t->nframes)
        x->ntry--;
    if (x && x->ntry > 0 && x->try_level[x->ntry - 1] == t->nframes) {
        /* Leave the calls made inside the try block: the handler runs in
         * the program that entered it. */
        call_unwind(m, t, x, x->try_call[x->ntry - 1]);
        t->pc = x->try_at[--x->ntry];
        x->exc = (int8_t)exc;
        x->exc_line = pos.line;
        x->exc_msg = msg;
        x->exc_dyn = dyn;
        x->exc_val = dyn ? val : v_none();
        t->left = 0;
        return true;
    }
    if (green_task_failed(m, t, exc, dyn ? NULL : msg))  /* kept for its await */
        return false;
    if (exc == EXC_SYSTEM_EXIT) {
        uncaught(m, t, system_exit_code(m, t, dyn, val, msg));
        return false;
    }
    char text[300];
    if (dyn) {
        out_format(m, val, false, text, sizeof text);
        msg = text;
    }
    report_uncaught(m, t, pos.line, exc, msg);
    /* CPython 3.8+ ends on an uncaught KeyboardInterrupt by SIGINT, after
     * flushing stdout */
    struct proc *p = proc_of(m, t);
    if (exc == EXC_KEYBOARD_INTERRUPT && m->cfg.python && t->tid == p->pid &&
        !p->group_exit && !p->nworkers && t->nframes == 0) {
        out_flush(m, t);
        p->group_exit = SIG_INT;
    }
    uncaught(m, t, 1);
    return false;
}

bool task_raise_value(struct machine *m, struct task *t, struct srcpos pos, int exc,
                      struct value msg)
{
    m->raise_dyn = true;
    m->raise_val = msg;
    return task_raise(m, t, pos, exc, NULL);
}

bool task_raise_dyn(struct machine *m, struct task *t, struct srcpos pos, int exc,
                    const char *text)
{
    struct value v;
    if (v_str(&m->heap, text, strlen(text), &v) != VE_OK)
        return task_raise(m, t, pos, EXC_MEMORY, "out of memory");
    return task_raise_value(m, t, pos, exc, v);
}

bool task_raise_verr(struct machine *m, struct task *t, struct srcpos pos,
                     enum verr err, const char *msg)
{
    static const int exc_of[] = {
        [VE_OK] = EXC_EXCEPTION, [VE_TYPE] = EXC_TYPE, [VE_INDEX] = EXC_INDEX,
        [VE_ZERO_DIV] = EXC_ZERO_DIV, [VE_VALUE] = EXC_VALUE, [VE_MEMORY] = EXC_MEMORY,
        [VE_KEY] = EXC_KEY, [VE_ATTRIBUTE] = EXC_ATTRIBUTE, [VE_OVERFLOW] = EXC_VALUE,
    };
    return task_raise(m, t, pos, exc_of[err], msg);
}
