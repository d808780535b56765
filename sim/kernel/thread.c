/*
 * thread.c - threads: tasks that share their process's variables, objects
 * and GIL, each with its own state, program position, `local` variables
 * and CPU accounting (LINUX-SEMANTICS §1, the contract's "Threads").
 *
 *  - `thread PROGRAM` starts a task in the caller's process; its tid comes
 *    from the pid space, as in Linux.
 *  - A thread ends at the end of its program; `join` waits for that
 *    (procobj.c).
 *  - When the main thread reaches the end of its program, it waits (S) for
 *    the non-daemon threads, then the process exits 0; daemon threads end
 *    with the process. `exit` in any thread ends them all at once.
 */
#include <stdio.h>

#include "kernel.h"

#include "sched.h"

static struct task *slot_task(struct machine *m, int s) { return &m->tasks[s]; }

/* Take task t out of whatever it is doing, for good: off its CPU, out of
 * the run queue or wait queue, its timer cancelled, the GIL released. */
void task_detach(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    task_leave_cpu(m, t);
    task_unwait(m, t);
    if (t->state == 'R') {
        if (t->queued)
            task_dequeue(m, t);
        m->nr_running--;
        m->load -= t->weight;
    }
    if (p->gil_holder == (int)(t - m->tasks))
        gil_release(m, p);
}

/* Unlink task slot s from its process's thread list and free it. */
static void remove_thread(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    int s = (int)(t - m->tasks);
    for (int *link = &p->main_task; *link >= 0; link = &m->tasks[*link].next_thread)
        if (*link == s) {
            *link = t->next_thread;
            break;
        }
    if (t->pool_at)
        pools_thread_end(m, t);
    p->nthreads--;
    if (!t->daemon && t->tid != p->pid)
        p->nworkers--;
    if (t->tid > 0 && t->tid < m->cfg.pid_max)
        m->pid_slot[t->tid] = -1;
    task_set_state(m, t, 'X');
    machine_free_task(m, t);
}

int thread_create(struct machine *m, struct task *t, int prog, bool daemon)
{
    return thread_create_named(m, t, prog, daemon, NULL);
}

int thread_create_named(struct machine *m, struct task *t, int prog, bool daemon,
                        const char *name)
{
    struct proc *p = proc_of(m, t);
    int tid = proc_alloc_pid(m);
    if (tid < 0)
        return -1;
    int s = machine_alloc_task(m, t->proc, tid);
    if (s < 0)
        return -1;
    struct task *n = slot_task(m, s);
    n->prog = prog;
    n->daemon = daemon;
    n->blocked = t->blocked;
    m->pid_slot[tid] = t->proc;
    /* Append to the thread list, so threads are listed in creation order. */
    int *link = &p->main_task;
    while (*link >= 0)
        link = &m->tasks[*link].next_thread;
    *link = s;
    n->next_thread = -1;
    p->nthreads++;
    if (!daemon)
        p->nworkers++;
    procobj_thread_started(m, p, tid);
    if (name)
        snprintf(n->name, sizeof n->name, "%s", name);
    machine_start_task(m, n, t);
    /* its name in the event's text: the run's columns and the window's
     * lanes take it from there */
    emit_textf(m, EV_THREAD_START, daemon, t, tid, prog, "%s",
               n->name[0] ? n->name : program_code(m, prog)->name);
    return tid;
}

/* A thread (not the main one) reached the end of its program. */
void thread_end(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    int tid = t->tid;
    bool worker = !t->daemon;
    emit(m, EV_THREAD_END, 0, t, tid, 0);
    task_detach(m, t);
    t->nvcsw++;
    bool had_signals = t->sigpending;
    struct value result = task_result(m, t);
    remove_thread(m, t);
    if (had_signals)
        signal_retarget(m, (int)(p - m->procs));
    /* Wake whoever joins it, and the main thread if it waited for the
     * last worker. */
    bool joined = false;
    for (int s = p->main_task; s >= 0; s = m->tasks[s].next_thread) {
        struct task *w = &m->tasks[s];
        if (w->state != 'S')
            continue;
        if (w->wchan == WC_JOIN && w->join_tid == tid) {    /* join TID -> R */
            set_result_value(m, w, program_code(m, w->prog)->code[w->pc - 1].var, result);
            joined = true;
        }
        if ((w->wchan == WC_JOIN && w->join_tid == tid) ||
            (w->wchan == WC_THREADS && worker && p->nworkers == 0)) {
            procobj_wait_done(w);
            task_wake(m, w, WHY_JOIN, tid);
        }
    }
    procobj_thread_ended(m, p, tid, joined, result);
}

/* End every thread of process slot ps except its main one (exit, exec,
 * a fatal signal). */
void thread_end_others(struct machine *m, int ps)
{
    struct proc *p = &m->procs[ps];
    int s = m->tasks[p->main_task].next_thread;
    while (s >= 0) {
        struct task *t = &m->tasks[s];
        s = t->next_thread;
        task_detach(m, t);
        remove_thread(m, t);
    }
}

void thread_end_others_not_in_d(struct machine *m, int ps)
{
    struct proc *p = &m->procs[ps];
    int s = m->tasks[p->main_task].next_thread;
    while (s >= 0) {
        struct task *t = &m->tasks[s];
        s = t->next_thread;
        if (t->state == 'D')
            continue;
        task_detach(m, t);
        remove_thread(m, t);
    }
}
