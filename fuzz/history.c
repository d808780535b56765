/*
 * history.c - a scenario run tick by tick through the library, every tick
 * kept, and the invariants that must hold in it.
 *
 * In every tick:
 *   - at most one task runs on each CPU, and a task on a CPU is R;
 *   - every process's parent is alive (not a zombie), or is init;
 *   - CPU time: no task has run longer than it existed times the CPUs,
 *     and the processes together no more than ticks x CPUs;
 *   - init, which always waits for any child, never sleeps while it has a
 *     zombie child: that zombie would never be reaped;
 *   - a lock's owner exists, a plain lock is held once, a semaphore is
 *     never below 0, a task waiting on an object is asleep, and with the
 *     GIL one thread of a process runs at a time, holding it;
 *   - a process group lies within one session, and a thread shows its
 *     process's group and session.
 * Between two ticks:
 *   - a process changes group only to a new one of its own or to one that
 *     exists in its session, and session only by setsid (leading it); a new
 *     process starts in an existing group of its session or its own; the
 *     terminal's foreground becomes only a group of the terminal's session
 *     (or the pid of a process of it: tcsetpgrp's session_of_pgrp);
 *   - the children of a process that has just exited belong to the nearest
 *     living subreaper above it, or to init (PR_SET_CHILD_SUBREAPER);
 *   - KB_STOPPED_THREAD_RUNS: no thread of a stopped process is runnable;
 *   - KB_STOPPED_SIGKILL: a stopped process that dies without having been
 *     continued dies of SIGKILL (a stopped thread takes no other signal);
 *   - KB_HANDLER_ON_MAIN: a handler runs on a worker thread only when the
 *     main thread could not take the signal.
 * Over the run: a waitpid untraced that reports a stop gives SIG x 256 +
 * 127 for a child that was T when the tick began; a continue, 65535.
 * At the end: a run that ended with only init left has no zombie; and the
 * recorded run shows exactly the same ticks.
 */
#include "campaign.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

void report_fail(struct report *r, const char *fmt, ...)
{
    if (r->nfail < REPORT_MAX_LINES) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->lines[r->nfail], sizeof r->lines[0], fmt, ap);
        va_end(ap);
    }
    r->nfail++;
}

/* ------------------------------------------------------------ rows */

/* Whether task t sleeps in a `wait` statement: any child will do. */
static bool waits_any(const struct scenario *s, const struct snap_task *t)
{
    if (t->state != 'S' || strcmp(t->wchan, "wait") != 0 || t->prog < 0 ||
        t->prog >= s->nprograms + s->nhandlers)
        return false;
    const struct program *p = t->prog < s->nprograms ? &s->programs[t->prog]
                                                     : &s->handlers[t->prog - s->nprograms];
    return t->pc >= 0 && t->pc < p->ncode && p->code[t->pc].op == OP_WAIT;
}

static bool row_from(struct row *row, const struct snapshot *snap, const struct scenario *s)
{
    row->tick = snap->tick;
    row->ncells = snap->ntasks;
    row->cells = calloc((size_t)snap->ntasks + 1, sizeof *row->cells);
    if (!row->cells)
        return false;
    for (int i = 0; i < snap->ntasks; i++) {
        const struct snap_task *t = &snap->tasks[i];
        row->cells[i] = (struct cell){
            .tid = t->tid, .pid = t->pid, .ppid = t->ppid, .pgid = t->pgid, .sid = t->sid,
            .state = t->state,
            .cpu = t->cpu, .main_thread = t->main_thread, .subreaper = t->subreaper,
            .nthreads = t->nthreads, .wchan = t->wchan, .blocked = t->blocked,
            .pending = t->pending,
            .cpu_ticks = t->cpu_ticks, .created = t->created,
            .exit_status = t->exit_status, .waits_any = waits_any(s, t),
        };
    }
    row->fg_pgid = snap->fg_pgid;
    for (int c = 0; c < MAX_CPUS; c++)
        row->cpu_tid[c] = c < snap->ncpus && snap->cpu_task[c] >= 0
                              ? snap->tasks[snap->cpu_task[c]].tid : 0;
    return true;
}

const struct cell *row_find(const struct row *row, int tid)
{
    for (int i = 0; i < row->ncells; i++)
        if (row->cells[i].tid == tid)
            return &row->cells[i];
    return NULL;
}

/* Has the process whose main thread is c exited (a zombie its parent can
 * reap)? Its main thread may be a zombie earlier, while another thread
 * finishes a disk I/O (kernel/exit.c delay_group_leader). */
static bool zombie(const struct cell *c)
{
    return c->state == 'Z' && c->nthreads == 1;
}

/* The main thread of process pid in a row, or NULL. */
static const struct cell *row_proc(const struct row *row, int pid)
{
    for (int i = 0; i < row->ncells; i++)
        if (row->cells[i].pid == pid && row->cells[i].main_thread)
            return &row->cells[i];
    return NULL;
}

/* ------------------------------------------------------------ one tick */

static void check_cpus(const struct row *row, int ncpus, const struct snapshot *snap,
                       unsigned checks, struct report *r)
{
    for (int c = 0; c < ncpus; c++) {
        int i = snap->cpu_task[c];
        if (i < -1 || i >= snap->ntasks) {
            report_fail(r, "one task per CPU: tick %lld cpu%d has task index %d",
                        (long long)row->tick, c, i);
            continue;
        }
        if (i < 0)
            continue;
        const struct snap_task *t = &snap->tasks[i];
        if (t->cpu != c || t->state != 'R')
            report_fail(r, "one task per CPU: tick %lld cpu%d runs tid %d, which is %c on cpu %d",
                        (long long)row->tick, c, t->tid, t->state, t->cpu);
        for (int d = 0; d < c; d++)
            if (snap->cpu_task[d] == i)
                report_fail(r, "one task per CPU: tick %lld tid %d runs on cpu%d and cpu%d",
                            (long long)row->tick, t->tid, d, c);
    }
    for (int i = 0; i < snap->ntasks; i++) {
        int c = snap->tasks[i].cpu;
        /* A thread of a stopped process that runs on (KB_STOPPED_THREAD_RUNS)
         * is left with the CPU it had: that bug's symptom, not another. */
        const struct snap_task *m = snapshot_find(snap, snap->tasks[i].pid);
        if (!(checks & (1u << KB_STOPPED_THREAD_RUNS)) && m && m->state == 'T')
            continue;
        if (c >= 0 && (c >= ncpus || snap->cpu_task[c] != i))
            report_fail(r, "one task per CPU: tick %lld tid %d says cpu %d, which runs another",
                        (long long)row->tick, snap->tasks[i].tid, c);
    }
}

/* Shared objects and the GIL: a lock's owner exists (or is -1, ended); a
 * plain lock is held once; semaphores never below 0; waiters asleep; with
 * the GIL, one running thread a process, holding it. */
static void check_objects(const struct scenario *s, const struct snapshot *snap, bool gil,
                          struct report *r)
{
    long long T = (long long)snap->tick;
    for (int i = 0; i < snap->nobjects && i < s->nobjects; i++) {
        const struct snap_object *o = &snap->objects[i];
        enum object_kind k = s->objects[i].kind;
        if ((k == OBJ_LOCK || k == OBJ_RLOCK) && o->owner_tid > 0) {
            const struct snap_task *t = NULL;
            for (int j = 0; j < snap->ntasks && !t; j++)
                if (snap->tasks[j].tid == o->owner_tid)
                    t = &snap->tasks[j];
            /* A process that dies holding a lock keeps it locked, as a
             * multiprocessing.Lock stays acquired; once reaped, the owner is
             * shown as -1 (a task that ended holding it). */
            if (!t)
                report_fail(r, "locks: tick %lld %s is held by tid %d, which is gone", T,
                            s->objects[i].name, o->owner_tid);
            if (k == OBJ_LOCK && o->count > 1)
                report_fail(r, "locks: tick %lld lock %s is held %d times", T,
                            s->objects[i].name, o->count);
        }
        if (k == OBJ_SEMAPHORE && o->value < 0)
            report_fail(r, "semaphores: tick %lld %s is %lld", T, s->objects[i].name,
                        (long long)o->value);
        for (int w = 0; w < o->nwaiting && w < SNAP_MAX_WAITERS; w++)
            for (int j = 0; j < snap->ntasks; j++)
                if (snap->tasks[j].tid == o->waiting[w] && snap->tasks[j].state == 'R' &&
                    snap->tasks[j].wait_obj == i)
                    report_fail(r, "waiters: tick %lld tid %d waits on %s but is runnable", T,
                                o->waiting[w], s->objects[i].name);
    }
    for (int c = 0; gil && c < snap->ncpus; c++) {
        int i = snap->cpu_task[c];
        if (i < 0)
            continue;
        if (!snap->tasks[i].holds_gil && snap->tasks[i].pid != 1)
            report_fail(r, "the GIL: tick %lld tid %d runs without its process's GIL", T,
                        snap->tasks[i].tid);
        for (int d = 0; d < c; d++)
            if (snap->cpu_task[d] >= 0 && snap->tasks[snap->cpu_task[d]].pid ==
                                              snap->tasks[i].pid)
                report_fail(r, "the GIL: tick %lld two threads of pid %d run at once", T,
                            snap->tasks[i].pid);
    }
}

static void check_tick(const struct row *row, int ncpus, struct report *r)
{
    int64_t T = row->tick, sum = 0;
    const struct cell *init = row_proc(row, 1);
    for (int i = 0; i < row->ncells; i++) {
        const struct cell *c = &row->cells[i];
        if (c->cpu_ticks > (T - c->created) * ncpus || c->cpu_ticks < 0)
            report_fail(r, "CPU time: tick %lld tid %d has %lld CPU ticks, created at %lld on %d CPUs",
                        (long long)T, c->tid, (long long)c->cpu_ticks, (long long)c->created, ncpus);
        if (!c->main_thread)
            continue;
        sum += c->cpu_ticks;
        if (c->pid == 1)
            continue;
        const struct cell *p = row_proc(row, c->ppid);
        if (c->ppid != 1 && (!p || zombie(p)))
            report_fail(r, "ppid alive or init: tick %lld pid %d has ppid %d, which is %s",
                        (long long)T, c->pid, c->ppid, p ? "a zombie" : "gone");
        if (zombie(c) && c->ppid == 1 && init && init->state == 'S')
            report_fail(r, "reaper: tick %lld init sleeps (%s) beside its zombie child %d",
                        (long long)T, init->wchan, c->pid);
        const struct cell *p2 = row_proc(row, c->ppid);
        if (zombie(c) && c->ppid != 1 && p2 && p2->waits_any)
            report_fail(r, "wait: tick %lld pid %d sleeps in wait beside its zombie child %d",
                        (long long)T, p2->pid, c->pid);
    }
    if (sum > T * ncpus)
        report_fail(r, "CPU time: tick %lld processes have %lld CPU ticks, more than %lld x %d CPUs",
                    (long long)T, (long long)sum, (long long)T, ncpus);
}

/* A stop signal stops every thread of the process (signal(7)): a thread
 * may finish a disk I/O first, but none is runnable while main is in T. */
static void check_stopped(const struct row *row, struct report *r)
{
    for (int i = 0; i < row->ncells; i++) {
        const struct cell *c = &row->cells[i];
        if (c->main_thread || c->state != 'R')
            continue;
        const struct cell *m = row_proc(row, c->pid);
        if (m && m->state == 'T')
            report_fail(r, "stopped process: tick %lld thread %d of stopped pid %d is R%s",
                        (long long)row->tick, c->tid, c->pid, c->cpu >= 0 ? "*" : "");
    }
}

/* The nearest living subreaper above process pid in a row, else init. */
static int reaper_of(const struct row *row, int pid)
{
    const struct cell *p = row_proc(row, pid);
    for (int hops = 0; p && p->pid != 1 && hops < 100000; hops++) {
        p = row_proc(row, p->ppid);
        if (p && p->subreaper && !zombie(p))
            return p->pid;
    }
    return 1;
}

/* Between ticks T-1 (prev) and T (cur). */
static void check_step(const struct row *prev, const struct row *cur, struct report *r)
{
    for (int i = 0; i < prev->ncells; i++) {
        const struct cell *was = &prev->cells[i];
        const struct cell *now = row_find(cur, was->tid);
        if (!was->main_thread || zombie(was) || !now || now->pid != was->pid ||
            now->created != was->created || !zombie(now))
            continue;
        /* was->pid has just exited: where did its children go? An ancestor
         * may have become a subreaper in the same tick, before or after the
         * exit (the CPUs run in order), so either view is right. */
        int reaper = reaper_of(cur, was->pid), before = reaper_of(prev, was->pid);
        for (int k = 0; k < prev->ncells; k++) {
            const struct cell *child = &prev->cells[k];
            if (!child->main_thread || child->ppid != was->pid)
                continue;
            const struct cell *c = row_find(cur, child->tid);
            if (c && c->pid == child->pid && c->created == child->created &&
                c->ppid != reaper && c->ppid != before)
                report_fail(r, "reparenting: tick %lld pid %d exited; its child %d went to %d, "
                            "not to %d", (long long)cur->tick, was->pid, c->pid, c->ppid, reaper);
        }
    }
}

/* ------------------------------------------------------------ job control */

/* Is some process other than pid in group pgid of session sid in a row? */
static bool group_has_other(const struct row *row, int pgid, int sid, int pid)
{
    for (int i = 0; i < row->ncells; i++) {
        const struct cell *c = &row->cells[i];
        if (c->main_thread && c->pid != pid && c->pgid == pgid && c->sid == sid)
            return true;
    }
    return false;
}

/* In one tick: a process group lies within one session (setpgid joins only
 * a group of the caller's session; setsid refuses a group leader), and
 * every thread of a process shows its process's group and session. */
static void check_groups(const struct row *row, struct report *r)
{
    for (int i = 0; i < row->ncells; i++) {
        const struct cell *c = &row->cells[i];
        if (!c->main_thread) {
            const struct cell *m = row_proc(row, c->pid);
            if (m && (m->pgid != c->pgid || m->sid != c->sid))
                report_fail(r, "groups: tick %lld thread %d has group %d session %d, its "
                            "process %d has %d, %d", (long long)row->tick, c->tid, c->pgid,
                            c->sid, c->pid, m->pgid, m->sid);
            continue;
        }
        if (c->pgid <= 0)
            report_fail(r, "groups: tick %lld pid %d has group %d", (long long)row->tick,
                        c->pid, c->pgid);
        for (int k = 0; k < i; k++) {
            const struct cell *d = &row->cells[k];
            if (d->main_thread && d->pgid == c->pgid && d->sid != c->sid)
                report_fail(r, "groups: tick %lld group %d spans sessions %d (pid %d) and "
                            "%d (pid %d)", (long long)row->tick, c->pgid, d->sid, d->pid,
                            c->sid, c->pid);
        }
    }
}

/* Between two ticks: a process changes group only to a new group of its
 * own (its pid) or to one that exists in its session; it changes session
 * only by setsid, leading a session and a group numbered with its pid; a
 * new process starts in its parent's group and session, or, spawned, in a
 * group of its own; and the terminal's foreground group becomes only a
 * group that exists in the terminal's session (tcsetpgrp: ESRCH, EPERM). */
static void check_job_step(const struct row *prev, const struct row *cur, struct report *r)
{
    long long T = (long long)cur->tick;
    for (int i = 0; i < cur->ncells; i++) {
        const struct cell *c = &cur->cells[i];
        if (!c->main_thread)
            continue;
        const struct cell *was = row_find(prev, c->tid);
        if (was && (was->pid != c->pid || was->created != c->created))
            was = NULL;
        if (!was) {
            const struct cell *p = row_proc(cur, c->ppid);
            const struct cell *pp = row_proc(prev, c->ppid);
            /* Its parent may have exited in the same tick (it is init's
             * child now), so its group must have existed then. */
            /* With stmt_cost (issue 14) one tick holds several statements:
             * the parent may have done setsid or setpgid, fork and exit in
             * it, so the child is in a group its (gone) parent made this
             * tick: the group's leader, there before, leads it now. */
            const struct cell *lead = row_proc(cur, c->pgid);
            bool inherits = (p && p->pgid == c->pgid && p->sid == c->sid) ||
                            (pp && pp->pgid == c->pgid && pp->sid == c->sid) ||
                            group_has_other(prev, c->pgid, c->sid, c->pid) ||
                            (lead && row_proc(prev, c->pgid) && lead->pgid == c->pgid &&
                             lead->sid == c->sid);
            if (!inherits && c->pgid != c->pid)
                report_fail(r, "groups: tick %lld new pid %d (parent %d) starts in group %d "
                            "session %d", T, c->pid, c->ppid, c->pgid, c->sid);
            continue;
        }
        if (was->sid != c->sid && (c->sid != c->pid || c->pgid != c->pid))
            report_fail(r, "sessions: tick %lld pid %d went from session %d to %d (group %d)",
                        T, c->pid, was->sid, c->sid, c->pgid);
        else if (was->pgid != c->pgid && c->pgid != c->pid &&
                 !group_has_other(prev, c->pgid, c->sid, c->pid) &&
                 !group_has_other(cur, c->pgid, c->sid, c->pid))
            report_fail(r, "groups: tick %lld pid %d moved from group %d to %d, which does not "
                        "exist in session %d", T, c->pid, was->pgid, c->pgid, c->sid);
    }
    /* Linux's tcsetpgrp also takes the pid of a process of the session
     * that leads no group, or a thread's tid (session_of_pgrp falls back
     * to the task with that pid): the foreground is then a group with no
     * member. */
    const struct cell *leader = row_find(prev, cur->fg_pgid);
    if (!leader)               /* forked in that tick, on an earlier CPU */
        leader = row_find(cur, cur->fg_pgid);
    if (cur->fg_pgid != prev->fg_pgid && cur->fg_pgid != 0 &&
        !group_has_other(prev, cur->fg_pgid, 0, 0) &&
        !group_has_other(cur, cur->fg_pgid, 0, 0) && !(leader && leader->sid == 0))
        report_fail(r, "foreground: tick %lld the terminal's foreground became group %d, "
                    "not a group of its session", T, cur->fg_pgid);
}

/* A waitpid untraced that reports a child stopped by SIG gives the raw
 * status SIG x 256 + 127, and the child was stopped when the tick began
 * (a stop in the same tick is reported from the next one); a continue is
 * reported as 65535. */
static void check_wait_job(const struct history *h, struct report *r)
{
    const struct trace *tr = &h->tr;
    for (size_t k = 0; k < tr->nev; k++) {
        const struct event *e = &tr->ev[k];
        if (e->kind != EV_WAIT_JOB || e->tick >= h->end)
            continue;
        int sig = e->reason, child = (int)e->a;
        int64_t want = sig > 0 ? (int64_t)sig * 256 + 127 : 65535;
        if (e->b != want)
            report_fail(r, "waitpid untraced: tick %lld pid %d got status %lld for child %d "
                        "(signal %d), not %lld", (long long)e->tick, e->pid, (long long)e->b,
                        child, sig, (long long)want);
        const struct cell *c = row_proc(&h->rows[e->tick], child);
        if (sig > 0 && (!c || c->state != 'T'))
            report_fail(r, "waitpid untraced: tick %lld pid %d is told child %d stopped, "
                        "which is %c", (long long)e->tick, e->pid, child, c ? c->state : '-');
    }
}

/* ------------------------------------------------------------ events */

static bool has_event(const struct trace *tr, int64_t tick, int kind, int pid)
{
    size_t first, n = trace_events_at(tr, tick, &first);
    for (size_t k = 0; k < n; k++)
        if (tr->ev[first + k].kind == kind && tr->ev[first + k].pid == pid)
            return true;
    return false;
}

/* Whether every task of process pid is stopped in a row. A thread in D
 * is not stopped and wants a fatal signal (complete_signal), and one that
 * runs on is KB_STOPPED_THREAD_RUNS's business. */
static bool all_stopped(const struct row *row, int pid)
{
    for (int i = 0; i < row->ncells; i++)
        if (row->cells[i].pid == pid && row->cells[i].state != 'T')
            return false;
    return true;
}

/* A stopped process takes only SIGKILL and SIGCONT (signal(7)): if all its
 * threads are stopped, it dies, and nothing continued it, SIGKILL is what
 * killed it. */
static void check_stopped_deaths(const struct history *h, struct report *r)
{
    for (int64_t T = 1; T < h->end; T++) {
        const struct row *prev = &h->rows[T - 1], *cur = &h->rows[T];
        for (int i = 0; i < cur->ncells; i++) {
            const struct cell *c = &cur->cells[i];
            const struct cell *was = row_find(prev, c->tid);
            if (!c->main_thread || !zombie(c) || !was || was->pid != c->pid ||
                was->created != c->created || was->state != 'T' ||
                c->exit_status == -SIG_KILL || c->exit_status >= 0 || !all_stopped(prev, c->pid))
                continue;
            if (has_event(&h->tr, T - 1, EV_SIG_CONT, c->pid) ||
                has_event(&h->tr, T, EV_SIG_CONT, c->pid))
                continue;
            report_fail(r, "stopped process killed: tick %lld pid %d, stopped, died of %d, "
                        "not SIGKILL", (long long)T, c->pid, -c->exit_status);
        }
    }
}

/* Whether the main thread in this row wants signal sig (wants_signal()):
 * alive, not stopped, not waiting for its threads to end, not blocking it,
 * and running or with no other signal pending for it. */
static bool main_can_take(const struct row *row, int pid, int sig)
{
    const struct cell *m = row_proc(row, pid);
    return m && m->state != 'Z' && m->state != 'T' && strcmp(m->wchan, "threads") != 0 &&
           !(m->blocked & (1u << sig)) &&
           (m->cpu >= 0 || !(m->pending & ~m->blocked & ~(1u << sig)));
}

/* Does any program or handler of the scenario `unblock` a signal? */
static bool has_unblock(const struct scenario *s)
{
    for (int i = 0; i < s->nprograms + s->nhandlers; i++) {
        const struct program *p = i < s->nprograms ? &s->programs[i]
                                                   : &s->handlers[i - s->nprograms];
        for (int k = 0; k < p->ncode; k++)
            if (p->code[k].op == OP_UNBLOCK)
                return true;
    }
    return false;
}

/* Was thread tid marked to act on signals (TIF_SIGPENDING) between ticks
 * from and to? Then at its return to user mode get_signal() dequeues the
 * process's shared pending signals too, lowest first, whichever thread
 * complete_signal woke for them. It is marked when another signal is sent
 * to it, when it returns from a handler, and when it changes its mask
 * (recalc_sigpending, in sigreturn and sigprocmask): assumed possible if
 * it ran while the scenario has an `unblock`. */
static bool may_recalc(const struct history *h, int tid, int64_t from, int64_t to)
{
    const struct trace *tr = &h->tr;
    /* A mark made before the signal was sent lasts until the thread next
     * returns to user mode: look back to when it last ran. */
    int64_t marked = from;
    while (marked > 0) {
        const struct cell *c = row_find(&h->rows[marked - 1], tid);
        if (!c || c->cpu >= 0)
            break;
        marked--;
    }
    for (size_t k = 0; k < tr->nev; k++)
        if ((tr->ev[k].kind == EV_SIG_RETURN || tr->ev[k].kind == EV_SIG_PENDING) &&
            tr->ev[k].tid == tid && tr->ev[k].tick >= marked && tr->ev[k].tick <= to)
            return true;
    if (!has_unblock(h->s))
        return false;
    for (int64_t T = from; T < to; T++) {
        const struct cell *c = row_find(&h->rows[T], tid);
        if (c && c->cpu >= 0)
            return true;
    }
    return false;
}

/* A process-directed signal goes to the main thread when it can take it
 * (kernel/signal.c, wants_signal): a handler on another thread is wrong
 * when the main thread could have taken it when the signal was sent and
 * still could when the handler started, unless that thread recalculated
 * its pending signals meanwhile (may_recalc). */
static void check_handler_threads(const struct history *h, struct report *r)
{
    const struct trace *tr = &h->tr;
    for (size_t k = 0; k < tr->nev; k++) {
        const struct event *e = &tr->ev[k];
        if (e->kind != EV_SIG_HANDLER || e->tid == e->pid || e->tick >= h->end)
            continue;
        int sig = (int)e->a;
        int64_t sent = -1;
        for (size_t j = k; j-- > 0;)
            if (tr->ev[j].kind == EV_SIG_PENDING && tr->ev[j].pid == e->pid &&
                tr->ev[j].a == sig) {
                sent = tr->ev[j].tick;
                break;
            }
        if (sent < 0 || !main_can_take(&h->rows[sent], e->pid, sig) ||
            !main_can_take(&h->rows[e->tick], e->pid, sig) ||
            may_recalc(h, e->tid, sent, e->tick))
            continue;
        report_fail(r, "handler on main thread: tick %lld the handler for %d runs on tid %d "
                    "while main (pid %d) could take it", (long long)e->tick, sig, e->tid, e->pid);
    }
}

/* ------------------------------------------------------------ the run */

bool history_run(struct history *h, const struct scenario *s, const struct config *cfg,
                 unsigned checks, struct report *r)
{
    memset(h, 0, sizeof *h);
    h->s = s;
    h->cfg = *cfg;
    h->error_tick = -1;
    trace_init(&h->tr, cfg->cpus);
    struct machine *m = machine_new(s, cfg, &h->tr);
    if (!m)
        return false;
    struct snapshot snap;
    snapshot_init(&snap);
    size_t cap = 0;
    bool ok = true;
    while (ok && machine_begin_tick(m)) {
        machine_snapshot(m, &snap);
        if ((size_t)h->end == cap) {
            cap = cap ? cap * 2 : 64;
            struct row *rows = realloc(h->rows, cap * sizeof *rows);
            if (!rows) {
                ok = false;
                break;
            }
            h->rows = rows;
        }
        struct row *row = &h->rows[h->end];
        if (!row_from(row, &snap, s)) {
            ok = false;
            break;
        }
        h->end++;
        if (row->tick != h->end - 1)
            report_fail(r, "ticks in order: tick %lld follows %lld", (long long)row->tick,
                        (long long)h->end - 2);
        check_cpus(row, cfg->cpus, &snap, checks, r);
        check_objects(s, &snap, cfg->gil, r);
        if (checks & (1u << KB_STOPPED_THREAD_RUNS))
            check_stopped(row, r);
        check_tick(row, cfg->cpus, r);
        check_groups(row, r);
        if (h->end > 1) {
            check_step(&h->rows[h->end - 2], row, r);
            check_job_step(&h->rows[h->end - 2], row, r);
        }
        machine_end_tick(m);
    }
    if (ok) {
        h->status = machine_status(m);
        if (machine_tick(m) != h->end)
            report_fail(r, "the end: the run ended at tick %lld after %lld ticks",
                        (long long)machine_tick(m), (long long)h->end);
        if (h->status == MS_ERROR)
            h->error_tick = machine_tick(m);
        machine_snapshot(m, &snap);
        ok = row_from(&h->final, &snap, s);
    }
    snapshot_free(&snap);
    machine_free(m);
    if (!ok)
        return false;
    if (h->status == MS_EMPTY)
        for (int i = 0; i < h->final.ncells; i++)
            if (h->final.cells[i].pid != 1)
                report_fail(r, "the end: only init should be left, but pid %d is %c",
                            h->final.cells[i].pid, h->final.cells[i].state);
    check_wait_job(h, r);
    if (checks & (1u << KB_STOPPED_SIGKILL))
        check_stopped_deaths(h, r);
    if (checks & (1u << KB_HANDLER_ON_MAIN))
        check_handler_threads(h, r);
    return true;
}

void history_free(struct history *h)
{
    for (int64_t T = 0; T < h->end; T++)
        free(h->rows[T].cells);
    free(h->rows);
    free(h->final.cells);
    trace_free(&h->tr);
}

/* ------------------------------------------------------------ recorded */

static void compare_rows(const struct row *want, const struct row *got, const char *what,
                         struct report *r)
{
    if (want->ncells != got->ncells) {
        report_fail(r, "%s: tick %lld has %d tasks, the stepped run %d", what,
                    (long long)want->tick, got->ncells, want->ncells);
        return;
    }
    for (int i = 0; i < want->ncells; i++) {
        const struct cell *a = &want->cells[i], *b = &got->cells[i];
        if (a->tid != b->tid || a->ppid != b->ppid || a->state != b->state ||
            a->cpu != b->cpu || a->cpu_ticks != b->cpu_ticks) {
            report_fail(r, "%s: tick %lld tid %d/%d ppid %d/%d state %c/%c cpu %d/%d "
                        "time %lld/%lld (stepped/recorded)", what, (long long)want->tick,
                        a->tid, b->tid, a->ppid, b->ppid, a->state, b->state, a->cpu, b->cpu,
                        (long long)a->cpu_ticks, (long long)b->cpu_ticks);
            return;
        }
    }
}

void history_check_recorded(const struct history *h, uint64_t seed, struct report *r)
{
    struct run *run = run_record(h->s, &h->cfg);
    if (!run) {
        report_fail(r, "recorded run: out of memory");
        return;
    }
    if (run_end_tick(run) != h->end || run_status(run) != h->status)
        report_fail(r, "recorded run: ends at %lld (status %d), the stepped run at %lld (%d)",
                    (long long)run_end_tick(run), run_status(run), (long long)h->end, h->status);
    /* A few ticks, in an order that goes back and forth (what the window
     * does), and one past the end. */
    int64_t ticks[8] = { h->end - 1, 0, h->end / 2, h->end + 5 };
    uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (int i = 4; i < 8; i++) {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        ticks[i] = h->end > 0 ? (int64_t)(x % (uint64_t)h->end) : 0;
    }
    struct snapshot snap;
    snapshot_init(&snap);
    for (int i = 0; i < 8; i++) {
        int64_t T = ticks[i];
        if (T < 0)
            continue;
        run_state_at(run, T, &snap);
        struct row got;
        if (!row_from(&got, &snap, h->s))
            break;
        compare_rows(T < h->end ? &h->rows[T] : &h->final, &got, "recorded run", r);
        free(got.cells);
    }
    snapshot_free(&snap);
    run_free(run);
}
