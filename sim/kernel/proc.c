/*
 * proc.c - the life of a process: spawn, fork, exec, exit, becoming a
 * zombie, being adopted, being reaped.
 *
 * Rules (LINUX-SEMANTICS.md §3):
 *  - PIDs are handed out in order and wrap at pid_max back to 2; a pid in
 *    use (zombies included) is skipped. Linux wraps to 300 instead.
 *  - fork fails (-1) when max_procs processes exist, init and zombies
 *    counted, or when no pid is free.
 *  - An exiting process becomes a zombie; its children go to the nearest
 *    living subreaper among its ancestors, else to init (find_new_reaper),
 *    at the tail of the new parent's child list.
 *  - A zombie stays until its parent reaps it with wait/waitpid; init reaps
 *    its zombie children as soon as it runs. A parent that ignores SIGCHLD
 *    gets no zombies: its children are reaped as they exit.
 */
#include "kernel.h"

#include <stdlib.h>
#include <string.h>

#include "sched.h"

/* ------------------------------------------------------------- children */

static void child_link(struct machine *m, int parent, int child)
{
    struct proc *p = &m->procs[parent], *c = &m->procs[child];
    c->prev_sib = p->last_child;
    c->next_sib = -1;
    if (p->last_child >= 0)
        m->procs[p->last_child].next_sib = child;
    else
        p->first_child = child;
    p->last_child = child;
    p->nchildren++;
    if (c->zombie)
        p->nzombies++;
    c->ppid = p->pid;
}

static void child_unlink(struct machine *m, int parent, int child)
{
    struct proc *p = &m->procs[parent], *c = &m->procs[child];
    if (c->prev_sib >= 0)
        m->procs[c->prev_sib].next_sib = c->next_sib;
    else
        p->first_child = c->next_sib;
    if (c->next_sib >= 0)
        m->procs[c->next_sib].prev_sib = c->prev_sib;
    else
        p->last_child = c->prev_sib;
    c->next_sib = c->prev_sib = -1;
    p->nchildren--;
    if (c->zombie)
        p->nzombies--;
}

/* ----------------------------------------------------------- allocation */

/* Does a process still have pid as its group or session? Linux keeps the
 * struct pid, and so the number, in use as long as it does (free_pid runs
 * only when no task is attached to it by any pid type). */
static bool names_group(const struct machine *m, int pid)
{
    for (int s = 0; s < m->proc_cap; s++)
        if (m->procs[s].pid && (m->procs[s].pgid == pid || m->procs[s].sid == pid))
            return true;
    return false;
}

/* The next free pid after the last one handed out, or -1 when all are in
 * use (alloc_pid): a pid that still names a group or a session is. Only a
 * reaped leader's pid (slot -2) can, so only those are looked at. */
int proc_alloc_pid(struct machine *m)
{
    int pid = m->last_pid;
    for (int tries = 0; tries < m->cfg.pid_max; tries++) {
        pid++;
        if (pid >= m->cfg.pid_max)
            pid = 2;
        if (m->pid_slot[pid] == -1 || (m->pid_slot[pid] == -2 && !names_group(m, pid))) {
            m->last_pid = pid;
            return pid;
        }
    }
    return -1;
}

static void add_record(struct machine *m, struct proc *p, int prog)
{
    struct trace *tr = m->trace;
    p->record = -1;
    if (!tr)
        return;
    if (tr->nprocs == tr->proccap) {
        size_t cap = tr->proccap ? tr->proccap * 2 : 64;
        struct proc_record *r = realloc(tr->procs, cap * sizeof *r);
        if (!r) {
            tr->oom = true;
            return;
        }
        tr->procs = r;
        tr->proccap = cap;
    }
    p->record = (int)tr->nprocs;
    tr->procs[tr->nprocs++] = (struct proc_record){
        .pid = p->pid, .prog = prog, .ppid = p->ppid, .created = p->created,
        .first_run = -1, .exited = -1, .reaped = -1,
    };
}

/* A new process (and its main task) as a child of process slot `parent`.
 * Returns the new task, or NULL with *why set (FAIL_*). */
static struct task *new_process(struct machine *m, int parent, int prog,
                                int nice, int *why)
{
    if (m->nprocs >= m->cfg.max_procs) {
        *why = FAIL_PROC_LIMIT;
        return NULL;
    }
    int pid = proc_alloc_pid(m);
    int ps = pid > 0 ? machine_alloc_proc(m) : -1;
    if (ps < 0) {
        *why = FAIL_NO_PID;
        return NULL;
    }
    struct proc *p = &m->procs[ps];
    p->pid = pid;
    p->nice = nice;
    p->first_child = p->last_child = -1;
    p->next_sib = p->prev_sib = -1;
    p->created = visible_tick(m);
    int ts = machine_alloc_task(m, ps, pid);
    if (ts < 0) {
        machine_free_proc(m, ps);
        *why = FAIL_NO_PID;
        return NULL;
    }
    p->main_task = ts;
    p->nthreads = 1;
    m->pid_slot[pid] = ps;
    m->nprocs++;
    child_link(m, parent, ps);
    p->pgid = pid;              /* a spawn is its own job in the terminal's
                                   session (TTY_SID); fork overrides both */
    add_record(m, p, prog);
    struct task *t = &m->tasks[ts];
    t->prog = prog;
    p->prog = prog;
    return t;
}

/* ---------------------------------------------------------------- spawn */

/* init starts PROGRAM as a new job (step 1 of a tick): the process exists
 * and may run this very tick. Returns its pid, or -1. */
int proc_spawn(struct machine *m, int prog, int nice)
{
    int why = 0;
    if (!machine_reserve(m, 1))
        return -1;
    int init = proc_slot(m, 1);
    struct task *init_task = &m->tasks[m->procs[init].main_task];
    struct task *t = new_process(m, init, prog, nice, &why);
    if (!t) {
        emit(m, EV_FORK_FAIL, why, init_task, 0, 0);
        return -1;
    }
    m->procs[t->proc].job_leader = true;
    if (m->cfg.sigpipe_ignore)             /* config sigpipe=ignore: Python */
        m->procs[t->proc].sigact[SIG_PIPE] = SIGACT_IGNORE;
    if (m->cfg.python)                     /* KeyboardInterrupt (signal.c) */
        m->procs[t->proc].sigact[SIG_INT] = SIGACT_KBINT;
    machine_start_task(m, t, NULL);
    emit(m, EV_SPAWN, 0, t, prog, 0);
    return m->procs[t->proc].pid;
}

/* ----------------------------------------------------------------- fork */

/* `parent` forks (step 4). The child exists from the next tick: it
 * continues after the fork (prog < 0) or runs `prog` from its start, with a
 * copy of the parent's variables, dispositions and signal mask; nothing
 * pending, no alarm, not a subreaper (fork(2)). Returns the child's pid, or
 * -1. */
int proc_fork(struct machine *m, struct task *parent, int prog)
{
    int why = 0;
    int pps = parent->proc;
    struct proc *pp = &m->procs[pps];
    int child_prog = prog >= 0 ? prog : pp->prog;
    struct task *c = new_process(m, pps, child_prog, pp->nice, &why);
    if (!c) {
        emit(m, EV_FORK_FAIL, why, parent, 0, 0);
        return -1;
    }
    /* machine_reserve() made room before this step, so no pointer moved. */
    struct proc *cp = &m->procs[c->proc];
    cp->pgid = pp->pgid;
    cp->sid = pp->sid;
    memcpy(cp->sigact, pp->sigact, sizeof cp->sigact);
    c->blocked = parent->blocked;
    if (!fds_fork(m, pps, c->proc)) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return -1;
    }
    if (prog < 0) {
        /* The child goes on exactly where the parent is, handlers too. */
        c->prog = parent->prog;
        frames_copy(m, c, parent);
        taskx_copy(m, c, parent);
    }
    vars_copy(m->proc_vars, m->nproc_vars, c->proc, pps);
    cp->outbuf = pp->outbuf;           /* stdio's buffers are copied too */
    cp->errbuf = pp->errbuf;
    if (prog < 0)
        queue_forked(m, pps, c->proc);
    vars_copy(m->task_vars, m->ntask_vars, (int)(c - m->tasks),
              (int)(parent - m->tasks));
    if (!value_copy_for_fork(m, c->proc))     /* issue 14: lists, dicts... */
        return -1;
    struct task *pt = parent;
    c->pc = prog >= 0 ? 0 : pt->pc + 1;
    machine_start_task(m, c, pt);
    emit(m, EV_FORK, 0, pt, cp->pid, child_prog);
    return cp->pid;
}

/* ----------------------------------------------------------------- exec */

/* Replace t's program: same pid, parent and children; fresh variables; the
 * other threads end (de_thread).
 * Caught signals go back to their default (there is no handler code any
 * more); ignored ones stay ignored; the mask, pending signals and the alarm
 * are kept (execve(2)). */
void proc_exec(struct machine *m, struct task *t, int prog)
{
    struct proc *p = &m->procs[t->proc];
    thread_end_others(m, t->proc);
    queue_proc_gone(m, t->proc);
    pools_proc_exit(m, t->proc);       /* its pools' memory is gone; a
                                          worker is no longer one */
    t->prog = prog;
    t->pc = 0;
    t->left = 0;
    frames_drop(m, t);
    t->storing = false;
    green_task_gone(m, (int)(t - m->tasks));   /* its greenlets are gone */
    taskx_drop(m, t);
    p->prog = prog;
    p->execed = true;
    for (int i = 0; i < NSIG_MAX; i++)
        if (p->sigact[i] >= 0)
            p->sigact[i] = SIGACT_DEFAULT;
    vars_clear(m->proc_vars, m->nproc_vars, t->proc);
    vars_clear(m->task_vars, m->ntask_vars, (int)(t - m->tasks));
    p->outbuf = p->errbuf = v_int(0);  /* exec does not flush stdio */
    emit(m, EV_EXEC, 0, t, prog, 0);
}

/* ----------------------------------------------------------------- exit */

/* Wake the threads of process slot `ps` that wait for the child with this
 * pid and process group: it exited (need 0), or stopped or continued (need
 * INSN_UNTRACED or INSN_CONTINUED: only waits that asked for it wake). */
static void wake_waiters(struct machine *m, int ps, int pid, int pgid, int need)
{
    for (int s = m->procs[ps].main_task; s >= 0; s = m->tasks[s].next_thread) {
        struct task *t = &m->tasks[s];
        if (t->state != 'S' || t->wchan != WC_WAIT)
            continue;
        if (need && !(t->wait_flags & need))
            continue;
        int spec = t->wait_pid;
        bool match = spec == -1 || spec == pid ||
                     (spec == 0 && pgid == m->procs[ps].pgid) ||
                     (spec < -1 && pgid == -spec);
        if (match)
            task_wake(m, t, need == INSN_UNTRACED ? WHY_CHILD_STOP :
                            need == INSN_CONTINUED ? WHY_CHILD_CONT : WHY_CHILD_EXIT,
                      pid);
    }
}

/* Give every child of process slot `ps` to its new reaper, keeping their
 * order. */
static void reparent_children(struct machine *m, int ps)
{
    if (m->procs[ps].first_child < 0)
        return;
    int reaper = signal_reaper_for(m, ps);
    while (m->procs[ps].first_child >= 0) {
        int c = m->procs[ps].first_child;
        int old = m->procs[ps].pid;
        child_unlink(m, ps, c);
        child_link(m, reaper, c);
        struct proc *cp = &m->procs[c];
        emit(m, EV_REPARENT, 0, &m->tasks[cp->main_task], old,
             m->procs[reaper].pid);
        if (cp->zombie)
            wake_waiters(m, reaper, cp->pid, cp->pgid, 0);
        signal_orphaned_pgrp(m, c, ps);
    }
}

static void reap(struct machine *m, int parent, int c);

/* Is a thread of process slot ps other than `except` in D? */
static bool thread_in_d(const struct machine *m, int ps, const struct task *except)
{
    for (int s = m->procs[ps].main_task; s >= 0; s = m->tasks[s].next_thread)
        if (&m->tasks[s] != except && m->tasks[s].state == 'D')
            return true;
    return false;
}

/* The exit of process slot ps waits for its threads in D: do_group_exit
 * -> zap_other_threads sends each thread SIGKILL, but one in D acts on it
 * only when its I/O completes. The others end now; the main thread, if it
 * is not in D, is a zombie (do_exit) that its parent is not told about and
 * cannot reap until the last thread has gone (delay_group_leader,
 * thread_group_empty). */
static void exit_waits_for_io(struct machine *m, int ps, int status)
{
    struct proc *p = &m->procs[ps];
    p->exiting = true;
    p->exit_status = status;
    proc_set_stopped(m, p, false);
    thread_end_others_not_in_d(m, ps);
    struct task *t = &m->tasks[p->main_task];
    if (t->state != 'D' && t->state != 'Z') {
        task_detach(m, t);
        t->nvcsw++;
        t->left = 0;
        t->storing = false;
        task_set_state(m, t, 'Z');
    }
    signal_set_alarm(m, p, 0);
}

bool proc_exit_after_io(struct machine *m, struct task *t)
{
    int ps = t->proc;
    struct proc *p = &m->procs[ps];
    if (!p->exiting)
        return false;
    task_cancel_timer(m, t);
    if (t->tid != p->pid)
        thread_end(m, t);          /* it acts on its SIGKILL */
    if (!thread_in_d(m, ps, NULL)) {
        p->exiting = false;
        proc_exit(m, &m->tasks[p->main_task], p->exit_status);
    }
    return true;
}

/* The process of t ends with `status` (code, or -SIG): every other thread
 * ends, the main one becomes a zombie, its children go to their new
 * reaper, its parent is told - once no thread is in D (exit_waits_for_io). */
void proc_exit(struct machine *m, struct task *t, int status)
{
    int ps = t->proc;
    struct proc *p = &m->procs[ps];
    if (thread_in_d(m, ps, t)) {
        exit_waits_for_io(m, ps, status);
        return;
    }
    /* stdout's partial line: written at a normal exit, lost at os._exit
     * or a death by a signal (pyout.c) */
    if (status >= 0 && !p->quick_exit && !p->group_exit)
        out_flush(m, t);
    p->outbuf = p->errbuf = v_int(0);
    procobj_exiting(m, ps, status);
    thread_end_others(m, ps);
    queue_proc_gone(m, ps);
    pools_proc_exit(m, ps);
    t = &m->tasks[p->main_task];
    task_detach(m, t);
    t->nvcsw++;
    t->left = 0;
    t->storing = false;
    task_set_state(m, t, 'Z');
    p->zombie = true;
    p->zombie_since = visible_tick(m);
    proc_set_stopped(m, p, false);
    p->exit_status = status;
    signal_set_alarm(m, p, 0);
    emit(m, EV_EXIT, 0, t, status, 0);
    fds_exit(m, ps);                   /* exit_files: its fds close */
    reparent_children(m, ps);
    signal_orphaned_pgrp(m, ps, -1);

    int parent = proc_slot(m, p->ppid);
    m->procs[parent].nzombies++;
    if (m->trace && p->record >= 0) {
        machine_sync_record(m, p);
        m->trace->procs[p->record].exited = visible_tick(m);
        m->trace->procs[p->record].exit_status = status;
    }
    if (m->procs[parent].sigact[SIG_CHLD] == SIGACT_IGNORE) {
        /* The parent ignores SIGCHLD: no zombie, no signal; a wait it is
         * blocked in looks again (and returns -1 once no child is left). */
        emit(m, EV_AUTO_REAP, 0, t, m->procs[parent].pid, status);
        int pid = p->pid, pgid = p->pgid;
        reap(m, parent, ps);
        wake_waiters(m, parent, pid, pgid, 0);
        return;
    }
    /* The exit wakes a waiting parent before SIGCHLD arrives, so its wait
     * completes rather than being interrupted. */
    wake_waiters(m, parent, p->pid, p->pgid, 0);
    signal_send(m, p->pid, parent, SIG_CHLD);
}

/* ----------------------------------------------------------------- reap */

static bool spec_matches(const struct machine *m, const struct proc *parent,
                         const struct proc *c, int spec)
{
    (void)m;
    if (spec == -1)
        return true;
    if (spec > 0)
        return c->pid == spec;
    if (spec == 0)
        return c->pgid == parent->pgid;
    return c->pgid == -spec;
}

/* What a wait with `flags` can report about child cp now or later: 'Z'
 * an exit, 'T' a stop, 'C' a continue, 0 nothing. */
static char reportable(const struct proc *cp, int flags)
{
    if (cp->zombie)
        return 'Z';
    if (flags & INSN_UNTRACED && cp->stopped && cp->stop_unreported)
        return 'T';
    if (flags & INSN_CONTINUED && cp->cont_unreported)
        return 'C';
    return 0;
}

bool proc_fresh_change(struct machine *m, struct task *t, int pid_spec, int flags)
{
    const struct proc *p = &m->procs[t->proc];
    for (int c = p->first_child; c >= 0; c = m->procs[c].next_sib) {
        const struct proc *cp = &m->procs[c];
        if (!spec_matches(m, p, cp, pid_spec))
            continue;
        char r = reportable(cp, flags);
        if ((r == 'Z' && cp->zombie_since > m->tick) ||
            (r && r != 'Z' && cp->jobctl_since > m->tick))
            return true;
    }
    return false;
}

static void reap(struct machine *m, int parent, int c)
{
    struct proc *cp = &m->procs[c];
    struct task *ct = &m->tasks[cp->main_task];
    int pid = cp->pid;
    emit(m, EV_REAP, 0, ct, m->procs[parent].pid, cp->exit_status);
    if (m->trace && cp->record >= 0)
        m->trace->procs[cp->record].reaped = visible_tick(m);
    child_unlink(m, parent, c);
    task_set_state(m, ct, 'X');
    machine_free_task(m, ct);
    /* A group or session leader's pid may still name its group or
     * session: -2 asks proc_alloc_pid to look before reusing it. */
    m->pid_slot[pid] = cp->pgid == pid || cp->sid == pid ? -2 : -1;
    machine_free_proc(m, c);
    m->nprocs--;
}

/* Children are looked at in order, and for each an exit first, then a stop,
 * then a continue (wait_consider_task). A stop or continue is reported
 * once; the child stays. */
int proc_reap(struct machine *m, struct task *t, int pid_spec, int flags,
              int *status)
{
    int ps = t->proc;
    struct proc *p = &m->procs[ps];
    bool any = false;
    for (int c = p->first_child; c >= 0; c = m->procs[c].next_sib) {
        struct proc *cp = &m->procs[c];
        if (!spec_matches(m, p, cp, pid_spec))
            continue;
        any = true;
        /* A child that exits in this very tick (on another CPU) is a
         * zombie only from the next tick: it cannot be reaped yet. The
         * same holds for a stop or continue. */
        char r = reportable(cp, flags);
        if (r == 'Z' && cp->zombie_since <= m->tick) {
            int pid = cp->pid;
            *status = cp->exit_status;
            reap(m, ps, c);
            return pid;
        }
        if (r && r != 'Z' && cp->jobctl_since <= m->tick) {
            *status = r == 'T' ? WSTATUS_STOPPED(cp->stop_sig) : WSTATUS_CONTINUED;
            cp->stop_unreported = cp->cont_unreported = false;
            emit(m, EV_WAIT_JOB, r == 'T' ? cp->stop_sig : 0, t, cp->pid, *status);
            return cp->pid;
        }
    }
    return any ? 0 : -1;
}

void proc_job_changed(struct machine *m, int ps, int sig)
{
    struct proc *p = &m->procs[ps];
    p->stop_unreported = sig > 0;
    p->cont_unreported = sig == 0;
    if (sig > 0)
        p->stop_sig = sig;
    p->jobctl_since = visible_tick(m);
    int parent = proc_slot(m, p->ppid);
    if (parent >= 0)
        wake_waiters(m, parent, p->pid, p->pgid,
                     sig > 0 ? INSN_UNTRACED : INSN_CONTINUED);
}

/* ------------------------------------------------------- process groups */

int proc_group_member(const struct machine *m, int pgid)
{
    for (int s = 0; s < m->proc_cap; s++)
        if (m->procs[s].pid && m->procs[s].pgid == pgid)
            return s;
    return -1;
}

/* setpgid(2) as kernel/sys.c has it: pid 0 is the caller, pgid 0 is pid.
 * Only the caller itself or a child of it may be moved (ESRCH; a thread
 * that is not a main thread: EINVAL), a child only while it is in the
 * caller's session (EPERM) and until it execs (EACCES), never a session
 * leader (EPERM), and only into its own new group or a group that exists
 * in the caller's session (EPERM: init's group is not). */
int proc_setpgid(struct machine *m, struct task *t, int64_t pid, int64_t pgid)
{
    struct proc *caller = &m->procs[t->proc];
    if (pid == 0)
        pid = caller->pid;
    if (pgid == 0)
        pgid = pid;
    int err = 0;
    int s = pid > 0 && pid < m->cfg.pid_max ? proc_slot(m, (int)pid) : -1;
    if (pgid < 0)
        err = ERR_EINVAL;
    else if (s < 0)
        err = ERR_ESRCH;
    else if (m->procs[s].pid != pid)
        err = ERR_EINVAL;           /* a thread's tid: not a group leader */
    else if (m->procs[s].ppid == caller->pid)
        err = m->procs[s].sid != caller->sid ? ERR_EPERM
            : m->procs[s].execed ? ERR_EACCES : 0;
    else if (&m->procs[s] != caller)
        err = ERR_ESRCH;
    if (!err && m->procs[s].sid == pid)
        err = ERR_EPERM;            /* a session leader stays in its group */
    if (!err && pgid != pid) {
        int g = pgid < m->cfg.pid_max ? proc_group_member(m, (int)pgid) : -1;
        if (g < 0 || m->procs[g].sid != caller->sid)
            err = ERR_EPERM;
    }
    if (err) {
        emit(m, EV_SETPGID, (uint8_t)err, t, pid, pgid);
        return -err;
    }
    m->procs[s].pgid = (int)pgid;
    emit(m, EV_SETPGID, 0, t, pid, pgid);
    return 0;
}

/* setsid(2): the caller leads a new session and a new group, both with its
 * pid, and has no controlling terminal any more. A group leader cannot (a
 * group would then straddle two sessions): EPERM, which is why a daemon
 * forks first. */
int proc_setsid(struct machine *m, struct task *t)
{
    struct proc *p = &m->procs[t->proc];
    if (proc_group_member(m, p->pid) >= 0) {
        emit(m, EV_SETSID, ERR_EPERM, t, 0, 0);
        return -ERR_EPERM;
    }
    p->sid = p->pgid = p->pid;
    emit(m, EV_SETSID, 0, t, p->sid, 0);
    return p->sid;
}
