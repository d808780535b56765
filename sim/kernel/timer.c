/*
 * timer.c - threading.Timer (issue 12), after CPython 3.11's
 * Lib/threading.py:
 *
 *     class Timer(Thread):
 *         def run(self):
 *             self.finished.wait(self.interval)
 *             if not self.finished.is_set():
 *                 self.function(*self.args, **self.kwargs)
 *             self.finished.set()
 *         def cancel(self):
 *             self.finished.set()
 *
 * `timer N PROG(args) -> T` starts a thread (its tid in T) running a hidden
 * program "Timer" (parse.c): OP_TIMER_WAIT, then OP_END. The wait takes a
 * tick, as `sleep N` does, and the thread sleeps N ticks (S, wait channel
 * `timer`); when it runs again it fires: the thread becomes PROG (its
 * arguments were bound at the start) and runs PROG's first statement in
 * that same tick. So `timer N f` runs f where a thread doing `sleep N`
 * then `f` would.
 *
 * `cancel T` is finished.set(): if the thread is still before its firing
 * (not started yet, sleeping, or woken and not yet run), it goes to its
 * OP_END: it ends without running PROG. Once fired, cancel does nothing.
 *
 * The deadline is kept in task.timeout_at, so a signal handler or a stop
 * in between makes the wait go on to the same deadline (CPython retries
 * the wait with the time left).
 */
#include "kernel.h"

#include <stdio.h>

/* "pid 2" or "thread 4 (pid 2)", for the events' text. */
static const char *who_text(const struct machine *m, const struct task *t, char *buf,
                            size_t n)
{
    int pid = m->procs[t->proc].pid;
    if (t->tid == pid)
        snprintf(buf, n, "pid %d", pid);
    else
        snprintf(buf, n, "thread %d (pid %d)", t->tid, pid);
    return buf;
}

static const char *prog_name(const struct machine *m, int prog)
{
    return prog >= 0 && prog < m->scn->nprograms ? m->scn->programs[prog].name : "?";
}

/* Is x a timer thread that has not fired yet (on its OP_TIMER_WAIT)? */
static bool waiting_timer(const struct machine *m, const struct task *x)
{
    if (x->prog < 0 || x->prog >= m->scn->nprograms || x->pc != 0)
        return false;
    const struct program *pr = &m->scn->programs[x->prog];
    return pr->ncode > 0 && pr->code[0].op == OP_TIMER_WAIT;
}

void timer_started(struct machine *m, struct task *t, struct task *timer,
                   const struct insn *in, int64_t interval)
{
    *var_ref(m, timer, in->var2) = v_int(interval);
    char w[48];
    emit_textf(m, EV_TIMER, TM_START, t, timer->tid, interval,
               "%s starts timer %d: %s in %lld tick%s", who_text(m, t, w, sizeof w),
               timer->tid, prog_name(m, in->prog), (long long)interval,
               interval == 1 ? "" : "s");
}

bool timer_wait(struct machine *m, struct task *t, const struct insn *in)
{
    if (!t->timeout_at) {
        /* The first time: finished.wait(interval) starts now. */
        struct value iv = *var_ref(m, t, in->var2);
        int64_t n = iv.type == V_INT && iv.i > 0 ? iv.i : 0;
        t->timeout_at = tick_after(m->tick + 1, n);
        if (n > 0)
            task_block(m, t, 'S', WC_TIMER, n);
        return false;
    }
    if (m->tick < t->timeout_at) {
        /* Back after a handler or a stop: the rest of the interval, this
         * tick being the wait made again. */
        int64_t left = t->timeout_at - m->tick - 1;
        if (left > 0)
            task_block(m, t, 'S', WC_TIMER, left);
        return false;
    }
    /* The interval has passed and nobody cancelled it: run the function. */
    t->timeout_at = 0;
    t->prog = in->prog;
    t->pc = 0;
    emit_textf(m, EV_TIMER, TM_FIRE, t, t->tid, 0, "timer %d fires: %s runs", t->tid,
               prog_name(m, in->prog));
    return true;
}

void timer_cancel(struct machine *m, struct task *t, int64_t tid)
{
    struct task *x = NULL;
    for (int s = m->procs[t->proc].main_task; s >= 0; s = m->tasks[s].next_thread)
        if (m->tasks[s].tid == tid)
            x = &m->tasks[s];
    char w[48];
    who_text(m, t, w, sizeof w);
    if (!x || !waiting_timer(m, x)) {
        emit_textf(m, EV_TIMER, TM_CANCEL_LATE, t, tid, 0, "%s cancels timer %lld: too "
                   "late, it is not waiting any more (nothing happens)", w, (long long)tid);
        return;
    }
    const struct insn *wait = &program_code(m, x->prog)->code[0];
    emit_textf(m, EV_TIMER, TM_CANCEL, t, tid, 0, "%s cancels timer %lld: %s never runs",
               w, (long long)tid, prog_name(m, wait->prog));
    /* finished.set(): the wait returns at once and the function is skipped. */
    x->pc = 1;
    x->timeout_at = 0;
    if (x->state == 'S' && x->wchan == WC_TIMER) {
        task_unwait(m, x);
        task_wake(m, x, WHY_OBJ, 0);
    }
}
