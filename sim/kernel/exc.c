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
 * A task's try blocks are a small stack in the task (task.try_at): OP_TRY
 * pushes the pc of the block's first `except`, OP_TRY_END pops it. Each
 * entry remembers the handler depth it was pushed at, so an exception in a
 * signal handler is caught only by a try inside that handler (procsim does
 * not unwind a handler into the code it interrupted; docs §15).
 */
#include "kernel.h"

#include <stdio.h>

#include "trace.h"

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
 * code 1 once its other threads are done. */
static void uncaught(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    /* Leave any handler under way: the exception ends the thread. */
    while (t->nframes > 0) {
        struct sigframe f;
        frame_pop(m, t, &f);
        t->prog = f.prog;
        t->blocked = f.blocked;
    }
    t->ntry = 0;
    t->exc = -1;
    t->left = 0;
    if (t->tid != p->pid) {
        thread_end(m, t);
        return;
    }
    p->end_code = 1;
    /* The main thread's program ends here: its OP_END runs the exit. */
    t->pc = program_code(m, t->prog)->ncode - 1;
    if (p->nworkers > 0)
        task_block(m, t, 'S', WC_THREADS, -1);
    else if (!p->group_exit && queue_exit_waits(m, t))
        ;                      /* its feeders flush, then OP_END */
    else
        proc_exit(m, t, p->group_exit ? -p->group_exit : 1);
}

bool task_raise(struct machine *m, struct task *t, struct srcpos pos, int exc,
                const char *msg)
{
    if (m->status != MS_RUNNING)
        return false;
    emit(m, EV_RAISE, 0, t, exc, pos.line);
    /* Try blocks pushed at a deeper handler level are gone with it. */
    while (t->ntry > 0 && t->try_level[t->ntry - 1] > t->nframes)
        t->ntry--;
    if (t->ntry > 0 && t->try_level[t->ntry - 1] == t->nframes &&
        t->prog != PROG_INIT) {
        t->pc = t->try_at[--t->ntry];
        t->exc = (int8_t)exc;
        t->exc_line = pos.line;
        t->exc_msg = msg;
        t->left = 0;
        return true;
    }
    report_uncaught(m, t, pos.line, exc, msg);
    uncaught(m, t);
    return false;
}

bool task_raise_verr(struct machine *m, struct task *t, struct srcpos pos,
                     enum verr err, const char *msg)
{
    static const int exc_of[] = {
        [VE_OK] = EXC_EXCEPTION, [VE_TYPE] = EXC_TYPE, [VE_INDEX] = EXC_INDEX,
        [VE_ZERO_DIV] = EXC_VALUE, [VE_VALUE] = EXC_VALUE, [VE_MEMORY] = EXC_MEMORY,
    };
    return task_raise(m, t, pos, exc_of[err], msg);
}
