/*
 * procobj.c - multiprocessing's Process object on the kernel: join with a
 * timeout, is_alive, exitcode, terminate and daemon children, as CPython's
 * Lib/multiprocessing/process.py, popen_fork.py and util._exit_function
 * have them (3.11.7, the python3 of the pairs, and the main branch alike).
 *
 *  - join X: X a thread of the caller's process is a thread join; X a child
 *    process is Popen.wait, which is waitpid(X): it sleeps in `wait` until
 *    the child exits, then reaps it. With timeout=N it gives up after N
 *    ticks (Popen.wait(timeout) polls; the child stays).
 *  - is_alive(X) and exitcode(X) of a child call Popen.poll, which is
 *    waitpid(X, WNOHANG): a zombie child is reaped by asking. The status of
 *    a child reaped this way (or by join) is kept for its parent, which
 *    Python keeps in the Process object (Popen.returncode): a record per
 *    child, freed with the parent. Records are kept only when a program of
 *    the scenario reads exitcode(), so children that pass through a parent
 *    that never asks cost nothing. Likewise the result of a thread that
 *    ends with nobody joining it is kept for one later `join TID -> R`,
 *    when some join of the scenario asks for a result.
 *  - terminate X sends SIGTERM (Popen._send_signal).
 *  - A daemon child (`fork PROG daemon`) gets SIGTERM when its parent ends
 *    normally: multiprocessing's atexit handler (_exit_function) terminates
 *    the daemonic children of a process that returns or calls sys.exit, not
 *    of one killed by a signal. A daemonic process may not start children
 *    (BaseProcess.start's assertion).
 *
 * Timeouts of joins and of acquire / event wait share one field,
 * task.timeout_at: the tick the wait gives up. It survives a signal handler
 * or a stop that makes the task run the statement again, so the retried
 * wait keeps its deadline (CPython's lock acquire retries with the time
 * left), and is cleared when the wait ends either way.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

#include "sched.h"

/* ------------------------------------------------------------- records */

/* p's record of a child (thread: false) or a thread (true) with this id. */
static int record_find(const struct machine *m, const struct proc *p, int id, bool thread)
{
    for (int r = p->exitrecs; r >= 0; r = m->exitrecs[r].next)
        if (m->exitrecs[r].id == id && m->exitrecs[r].thread == thread)
            return r;
    return -1;
}

/* Keep v for process p: a child's status or an ended thread's result. Out
 * of memory: the record is not kept (exitcode then reads None, a join's R
 * None), the run goes on. */
static void record_keep(struct machine *m, struct proc *p, int id, bool thread,
                        struct value v)
{
    if (m->exitrec_free < 0) {
        int cap = m->exitrec_cap ? m->exitrec_cap * 2 : 16;
        struct exitrec *a = realloc(m->exitrecs, (size_t)cap * sizeof *a);
        if (!a)
            return;
        for (int i = cap - 1; i >= m->exitrec_cap; i--) {
            a[i].next = m->exitrec_free;
            m->exitrec_free = i;
        }
        m->exitrecs = a;
        m->exitrec_cap = cap;
    }
    int r = m->exitrec_free;
    m->exitrec_free = m->exitrecs[r].next;
    m->exitrecs[r] = (struct exitrec){ .v = v, .id = id, .thread = thread,
                                       .next = p->exitrecs };
    p->exitrecs = r;
}

/* Drop p's records with this id (a new child or thread got it again). */
static void record_drop(struct machine *m, struct proc *p, int id)
{
    for (int *link = &p->exitrecs; *link >= 0;) {
        int r = *link;
        if (m->exitrecs[r].id != id) {
            link = &m->exitrecs[r].next;
            continue;
        }
        *link = m->exitrecs[r].next;
        m->exitrecs[r].next = m->exitrec_free;
        m->exitrec_free = r;
    }
}

void procobj_mark(struct machine *m)
{
    for (int s = 0; s < m->proc_cap; s++)
        if (m->procs[s].pid)
            for (int r = m->procs[s].exitrecs; r >= 0; r = m->exitrecs[r].next)
                vheap_mark(&m->heap, m->exitrecs[r].v);
}

void procobj_thread_ended(struct machine *m, struct proc *p, int tid, bool joined,
                          struct value result)
{
    if (!joined && m->scn->joins_results)
        record_keep(m, p, tid, true, result);
}

void procobj_thread_started(struct machine *m, struct proc *p, int tid)
{
    if (p->exitrecs >= 0)
        record_drop(m, p, tid);
}

void procobj_forget(struct machine *m, int ps)
{
    struct proc *p = &m->procs[ps];
    while (p->exitrecs >= 0) {
        int r = p->exitrecs;
        p->exitrecs = m->exitrecs[r].next;
        m->exitrecs[r].next = m->exitrec_free;
        m->exitrec_free = r;
    }
}

bool procobj_copy(struct machine *dst, const struct machine *src)
{
    dst->exitrecs = NULL;
    if (!src->exitrec_cap)
        return true;
    dst->exitrecs = malloc((size_t)src->exitrec_cap * sizeof *dst->exitrecs);
    if (!dst->exitrecs)
        return false;
    memcpy(dst->exitrecs, src->exitrecs, (size_t)src->exitrec_cap * sizeof *dst->exitrecs);
    return true;
}

/* ------------------------------------------------------------- children */

/* The slot of t's child with this pid (zombie or not), or -1. */
static int child_slot(struct machine *m, const struct task *t, int64_t pid)
{
    if (pid < 2 || pid >= m->cfg.pid_max)
        return -1;
    int s = proc_slot(m, (int)pid);
    if (s < 0 || m->procs[s].pid != pid || m->procs[s].ppid != m->procs[t->proc].pid)
        return -1;
    return s;
}

/* Is tid a live thread of t's process? */
static bool own_thread(struct machine *m, const struct task *t, int64_t tid)
{
    const struct proc *p = proc_of(m, t);
    for (int s = p->main_task; s >= 0; s = m->tasks[s].next_thread)
        if (m->tasks[s].tid == tid)
            return true;
    return false;
}

/* waitpid(pid, WNOHANG) for a Process method: reap the child if it is a
 * zombie that can be reaped now, keeping its status. Returns true with
 * *status when it was reaped. */
static bool poll_child(struct machine *m, struct task *t, int pid, int *status)
{
    if (proc_reap(m, t, pid, 0, status) != pid)
        return false;
    if (m->scn->asks_exitcode)
        record_keep(m, proc_of(m, t), pid, false, v_int(*status));
    return true;
}

bool procobj_is_alive(struct machine *m, struct task *t, int64_t x)
{
    int status;
    if (own_thread(m, t, x))
        return true;
    if (child_slot(m, t, x) < 0)
        return false;
    return !poll_child(m, t, (int)x, &status);
}

bool procobj_exitcode(struct machine *m, struct task *t, int64_t x, int *status)
{
    if (child_slot(m, t, x) >= 0)
        return poll_child(m, t, (int)x, status);
    if (x < 2 || x >= m->cfg.pid_max)
        return false;
    int r = record_find(m, proc_of(m, t), (int)x, false);
    if (r < 0)
        return false;
    *status = (int)m->exitrecs[r].v.i;
    return true;
}

/* ------------------------------------------------------------------ join */

/* Start (or go on with) a wait that may time out: the ticks left until
 * the deadline, -1 for none, or 0 when the deadline has come. */
int64_t procobj_deadline(struct machine *m, struct task *t, int64_t timeout)
{
    if (timeout < 0)
        return -1;
    if (!t->timeout_at)
        t->timeout_at = tick_after(m->tick + 1, timeout);
    int64_t left = t->timeout_at - m->tick - 1;
    return left > 0 ? left : 0;
}

/* The one place a True/False result is stored (acquire, wait). */
void procobj_set_bool(struct machine *m, struct task *t, int var, bool b)
{
    set_result_value(m, t, var, v_bool(b));
}

/* join of child `pid`. pc stays on the join while it waits, as a wait's
 * does: the exit wakes the task and the join, run again, reaps. */
static void join_child(struct machine *m, struct task *t, const struct insn *in, int pid)
{
    int status;
    if (poll_child(m, t, pid, &status)) {
        procobj_wait_done(t);
        set_result(m, t, in->var, status);
        t->pc++;
        return;
    }
    int64_t left = procobj_deadline(m, t, in->timeout);
    if (left == 0) {          /* the deadline has come (timeout=0: a poll) */
        procobj_wait_done(t);
        set_result_value(m, t, in->var, v_none());
        emit(m, EV_PROCOBJ, PO_JOIN_TIMEOUT, t, pid, in->timeout);
        t->pc++;
        return;
    }
    t->wait_pid = pid;
    t->wait_flags = 0;
    /* A child that exited on another CPU this tick can be reaped next. */
    if (proc_fresh_change(m, t, pid, 0))
        left = 0;
    task_block(m, t, 'S', WC_WAIT, left);
}

void procobj_join(struct machine *m, struct task *t, const struct insn *in)
{
    int64_t x;
    if (!expr_int(m, t, in->e1, &x))
        return;
    if (child_slot(m, t, x) >= 0) {
        join_child(m, t, in, (int)x);
        return;
    }
    t->pc++;
    if (x == t->tid || !own_thread(m, t, x)) {
        /* Ended already (or never ours): nothing to wait for. A thread
         * that ended gives its kept result (once); a child reaped already
         * its kept status. */
        int status;
        struct proc *p = proc_of(m, t);
        int r = x > 0 && x <= INT32_MAX ? record_find(m, p, (int)x, true) : -1;
        procobj_wait_done(t);
        if (r >= 0) {
            set_result_value(m, t, in->var, m->exitrecs[r].v);
            record_drop(m, p, (int)x);
        } else {
            set_result_value(m, t, in->var, procobj_exitcode(m, t, x, &status)
                                            ? v_int(status) : v_none());
        }
        return;
    }
    /* R gets the thread's result when it ends (thread_end); None if the
     * join gives up. */
    set_result_value(m, t, in->var, v_none());
    int64_t left = procobj_deadline(m, t, in->timeout);
    if (left == 0) {
        procobj_wait_done(t);
        emit(m, EV_PROCOBJ, PO_JOIN_TIMEOUT, t, x, in->timeout);
        return;
    }
    t->join_tid = (int)x;
    task_block(m, t, 'S', WC_JOIN, left);
}

/* A timed wait's deadline came (step 2). Joins and acquires give up; an
 * event wait returns False. The task goes on after the statement. */
bool procobj_timed_out(struct machine *m, struct task *t)
{
    if (!t->timeout_at || t->timeout_at > m->tick || t->state != 'S')
        return false;
    const struct insn *in = &program_code(m, t->prog)->code[t->pc];
    switch (t->wchan) {
    case WC_WAIT:                          /* a child join: pc is on it */
        emit(m, EV_PROCOBJ, PO_JOIN_TIMEOUT, t, t->wait_pid, in->timeout);
        set_result_value(m, t, in->var, v_none());
        t->pc++;
        break;
    case WC_JOIN:
        in = &program_code(m, t->prog)->code[t->pc - 1];
        emit(m, EV_PROCOBJ, PO_JOIN_TIMEOUT, t, t->join_tid, in->timeout);
        break;
    case WC_OBJ:
        in = &program_code(m, t->prog)->code[t->pc - 1];
        emit(m, EV_OBJ, OBJ_TIMED_OUT, t, t->wobj, in->timeout);
        procobj_set_bool(m, t, in->var, false);
        break;
    default:
        return false;
    }
    procobj_wait_done(t);
    task_unwait(m, t);
    task_wake(m, t, WHY_TIMEOUT, 0);
    return true;
}

/* ------------------------------------------------- terminate, daemons */

void procobj_terminate(struct machine *m, struct task *t, const struct insn *in)
{
    int64_t x;
    if (!expr_int(m, t, in->e1, &x))
        return;
    t->pc++;
    int c = child_slot(m, t, x);
    /* Popen.terminate does nothing once the child has been reaped; a
     * zombie takes the signal and ignores it, as in Linux. */
    if (c >= 0) {
        emit(m, EV_PROCOBJ, PO_TERMINATE, t, x, 0);
        signal_send(m, proc_of(m, t)->pid, c, SIG_TERM);
    } else
        emit(m, EV_PROCOBJ, PO_TERMINATE_NONE, t, x, 0);
}

bool procobj_may_fork(struct machine *m, struct task *t, const struct insn *in)
{
    if (in->prog < 0 || !proc_of(m, t)->daemonic)
        return true;
    task_raise(m, t, in->pos, EXC_ASSERTION, "daemonic processes are not allowed "
               "to have children");
    return false;
}

void procobj_forked(struct machine *m, struct task *parent, int child_pid,
                    const struct insn *in)
{
    struct proc *pp = proc_of(m, parent);
    int c = proc_slot(m, child_pid);
    if (pp->exitrecs >= 0)
        record_drop(m, pp, child_pid);     /* that pid names a new child now */
    struct proc *cp = &m->procs[c];
    cp->exitrecs = -1;
    cp->daemon = in->prog >= 0 && (in->flags & INSN_DAEMON);
    /* os.fork copies the process, its daemonic flag too; a Process child
     * is daemonic only when started as a daemon. */
    cp->daemonic = in->prog >= 0 ? cp->daemon : pp->daemonic;
}

void procobj_exiting(struct machine *m, int ps, int status)
{
    struct proc *p = &m->procs[ps];
    if (status < 0)
        return;                            /* killed: atexit does not run */
    for (int c = p->first_child; c >= 0; c = m->procs[c].next_sib) {
        struct proc *cp = &m->procs[c];
        if (!cp->daemon || cp->zombie)
            continue;
        emit(m, EV_PROCOBJ, PO_DAEMON_TERM, &m->tasks[p->main_task], cp->pid, 0);
        signal_send(m, p->pid, c, SIG_TERM);
    }
}

/* ----------------------------------------------------------- built-ins */

bool procobj_eval(struct machine *m, struct task *t, const struct expr *e,
                  struct value *out)
{
    int64_t x = 0;
    int status;
    if (e->kind == EX_ARRAY_LEN) {
        *out = v_int(array_len(m, e->obj));
        return true;
    }
    if (!expr_int(m, t, e->a, &x))
        return false;
    switch (e->kind) {
    case EX_IS_ALIVE:
        *out = v_bool(procobj_is_alive(m, t, x));
        return true;
    case EX_EXITCODE:
        *out = procobj_exitcode(m, t, x, &status) ? v_int(status) : v_none();
        return true;
    default:                               /* EX_ARRAY_GET */
        charge_shared(m, t);
        if (!array_get(m, t, e, x, &x))
            return false;
        *out = v_int(x);
        return true;
    }
}
