/*
 * signal.c - signals and job control, as signal(7) and the kernel's
 * kernel/signal.c have them.
 *
 * A signal is generated (kill, the terminal, an alarm, a child's exit) and
 * becomes pending on its process: one bit per signal, so a second one sent
 * before the first is acted on is lost. It is acted on when the thread it
 * went to (below) is about to run (step 3 of a tick, the "return to user
 * mode"), unless that thread blocks it. The action is the disposition's: ignore, a
 * handler (the program is interrupted and resumes where it was when the
 * handler ends, with the signal blocked meanwhile), or the default (Term,
 * Core, Ign, Stop, Cont).
 *
 * Sleeping tasks:
 *  - S (sleep, wait, pause) is interruptible: a signal that will run a
 *    handler or kill wakes the task; `sleep` ends early with the ticks left
 *    in its variable, `wait` returns -1, `pause` returns (eintr=retry:
 *    below).
 *  - D (disk) is not: the signal, SIGKILL included, stays pending until the
 *    I/O completes.
 *  - A stop signal stops a sleeping task at once (T). On SIGCONT a `sleep`
 *    goes back to sleep until its original end (or wakes if that has
 *    passed), as nanosleep restarts with its deadline; `wait` and `pause`
 *    run again (they are restarted system calls).
 *  - A stopped task only reacts to SIGKILL (it wakes to die) and SIGCONT.
 * Generating SIGCONT resumes the process and discards pending stop signals,
 * whatever the mask or disposition; generating a stop signal discards a
 * pending SIGCONT.
 *
 * Which thread, and which signal decides (kernel/signal.c complete_signal,
 * wants_signal, prepare_signal):
 *  - A signal to a process goes to a thread that wants it: one that does
 *    not block it, is not stopped (SIGKILL excepted), and is running or
 *    has nothing pending yet; the main thread first, then the others in
 *    creation order. That thread is marked (TIF_SIGPENDING) and woken from
 *    an interruptible wait; only marked threads act on pending signals.
 *    When no thread wants it, it stays pending: a stopped process keeps
 *    SIGINT pending until SIGCONT (or dies of a later SIGKILL).
 *  - A signal whose action is to terminate (default, Term; not a core
 *    dump) that a thread wants starts the group exit at once: the process
 *    will die of that signal at its next return to user mode, even from D
 *    when the I/O completes, and every later signal is dropped.
 *  - With gil=on, a handler runs in the main thread only (CPython): a
 *    worker that takes a signal leaves it "tripped" for the main thread.
 *  - A handler interrupts a join or a lock, semaphore or event wait, which
 *    is retried after it (pthread_join, CPython's lock acquire). `sleep`
 *    and `wait` end early as in C, or, with eintr=retry, go on after the
 *    handler as CPython does since 3.5 (PEP 475).
 */
#include "kernel.h"

#include <string.h>

#include "sched.h"

#define BIT(sig) (1u << (sig))
#define STOP_SIGS (BIT(SIG_STOP) | BIT(SIG_TSTP) | BIT(21) | BIT(22))

/* signal(7)'s default actions. */
static int default_action(int sig)
{
    switch (sig) {
    case SIG_QUIT: case 4: case 5: case 6: case 7: case 8: case 11: case 31:
        return ACT_CORE;
    case SIG_CHLD: case 23: case 28:
        return ACT_IGN;
    case SIG_CONT:
        return ACT_CONT;
    case SIG_STOP: case SIG_TSTP: case 21: case 22:
        return ACT_STOP;
    default:
        return ACT_TERM;
    }
}

static struct task *main_task(struct machine *m, int ps)
{
    return &m->tasks[m->procs[ps].main_task];
}

/* The disposition in force: SIGKILL and SIGSTOP are always default. */
static int action_of(const struct proc *p, int sig)
{
    if (sig == SIG_KILL || sig == SIG_STOP)
        return SIGACT_DEFAULT;
    return p->sigact[sig];
}

/* Would acting on sig do nothing at all (sig_ignored)? SIGCONT's default
 * counts too: its work (continuing) is done when it is generated, as in
 * the kernel's SIG_KERNEL_IGNORE_MASK. */
static bool ignored(const struct proc *p, int sig)
{
    int act = action_of(p, sig);
    int def = default_action(sig);
    return act == SIGACT_IGNORE ||
           (act == SIGACT_DEFAULT && (def == ACT_IGN || def == ACT_CONT));
}

static void interrupt(struct machine *m, struct task *t, int sig);
static bool fatal(const struct proc *p, int sig);

/* Does disposition act run code in the process: a handler, or Python
 * mode's KeyboardInterrupt? */
static bool caught(int act)
{
    return act >= 0 || act == SIGACT_KBINT;
}

/* ---------------------------------------------------------- stop / cont */

/* Take a runnable task out of the running (off its CPU, out of the queue). */
static void make_unrunnable(struct machine *m, struct task *t)
{
    task_leave_cpu(m, t);
    if (t->queued)
        task_dequeue(m, t);
    m->nr_running--;
    m->load -= t->weight;
}

/* Tell the parent that process slot ps stopped (by stop_sig) or continued
 * (stop_sig 0): SIGCHLD, and waitpid untraced / continued (proc.c). */
static void notify_parent(struct machine *m, int ps, int stop_sig)
{
    proc_job_changed(m, ps, stop_sig);
    int parent = proc_slot(m, m->procs[ps].ppid);
    if (parent >= 0)
        signal_send(m, m->procs[ps].pid, parent, SIG_CHLD);
}

/* Stop one thread: it keeps a timed sleep's deadline; other waits are
 * restarted when it continues. A thread in D stops after its I/O. */
static void stop_thread(struct machine *m, struct task *t)
{
    t->stop_wchan = t->state == 'S' ? t->wchan : WC_NONE;
    if (t->state == 'R') {
        make_unrunnable(m, t);
        t->resume = 'R';
    } else if (t->state == 'S' && t->wchan == WC_SLEEP) {
        t->resume = 'S';                  /* the timer keeps running */
    } else if (t->state == 'S') {
        task_unwait(m, t);
        if (t->wchan == WC_OBJ || t->wchan == WC_JOIN || t->wchan == WC_QUEUE)
            t->pc--;                      /* acquire/wait/join/get run again */
        t->resume = 'R';                  /* wait/pause restart on SIGCONT */
        t->wchan = WC_NONE;
    } else {
        return;
    }
    t->nvcsw++;
    task_set_state(m, t, 'T');
}

/* A thread that could not stop with its group because it was in D (the
 * group stop waits for it: JOBCTL_STOP_PENDING) stops when its I/O
 * completes, before it returns to user mode (do_signal_stop,
 * task_participate_group_stop). It runs again on SIGCONT. */
bool signal_stop_on_wake(struct machine *m, struct task *t)
{
    if (!proc_of(m, t)->stopped || t->state != 'D')
        return false;
    emit(m, EV_WAKE, WHY_DISK, t, 0, 0);
    task_cancel_timer(m, t);
    t->wchan = WC_NONE;
    t->stop_wchan = WC_NONE;
    t->resume = 'R';
    task_set_state(m, t, 'T');
    return true;
}

/* A group stop: every thread of the process stops (T); one in D stops
 * when its I/O completes (signal_stop_on_wake). */
static void stop_process(struct machine *m, int ps, int sig)
{
    struct proc *p = &m->procs[ps];
    if (p->stopped || p->zombie)
        return;
    proc_set_stopped(m, p, true);
    for (int s = p->main_task; s >= 0; s = m->tasks[s].next_thread)
        stop_thread(m, &m->tasks[s]);
    emit(m, EV_SIG_DEFAULT, ACT_STOP, main_task(m, ps), sig, 0);
    notify_parent(m, ps, sig);
}

/* The pending signal (0 none) that will run a handler or kill t. Then an
 * interruptible wait it was stopped in is not restarted on SIGCONT: it is
 * cut short, as when the signal arrives during the wait. */
static int handler_or_death_pending(const struct proc *p, const struct task *t)
{
    uint32_t ready = p->pending & ~t->blocked;
    for (int sig = 1; sig < NSIG_MAX; sig++)
        if (ready & BIT(sig) && (caught(action_of(p, sig)) || fatal(p, sig)))
            return sig;
    return 0;
}

static void continue_process(struct machine *m, int ps, int sig)
{
    struct proc *p = &m->procs[ps];
    if (!p->stopped)
        return;
    proc_set_stopped(m, p, false);
    emit(m, EV_SIG_CONT, 0, main_task(m, ps), sig, 0);
    for (int s = p->main_task; s >= 0; s = m->tasks[s].next_thread) {
        struct task *t = &m->tasks[s];
        if (t->state != 'T')
            continue;
        int cut = handler_or_death_pending(p, t);
        if (t->resume == 'S' && t->wake_at > visible_tick(m)) {
            t->wchan = WC_SLEEP;
            task_set_state(m, t, 'S');
            if (cut)
                interrupt(m, t, cut);
            continue;
        }
        if (cut && (t->stop_wchan == WC_PAUSE || t->stop_wchan == WC_WAIT)) {
            const struct insn *in = &program_code(m, t->prog)->code[t->pc];
            if (in->var >= 0 && t->stop_wchan == WC_WAIT)
                *var_ref(m, t, in->var) = v_int(-1);    /* EINTR */
            t->pc++;
        }
        task_make_runnable(m, t);
    }
    /* Every thread woken from the stop looks at what is pending (they all
     * go back through get_signal): the first to run takes it. */
    for (int s = p->main_task; s >= 0; s = m->tasks[s].next_thread)
        signal_recalc(m, &m->tasks[s]);
    notify_parent(m, ps, 0);
}

/* Will acting on sig end the process? */
static bool fatal(const struct proc *p, int sig)
{
    int act = action_of(p, sig);
    int def = default_action(sig);
    return act == SIGACT_DEFAULT && (def == ACT_TERM || def == ACT_CORE);
}

/* The pending signals t may act on: SIGKILL and SIGSTOP cannot be blocked. */
static uint32_t deliverable(const struct proc *p, const struct task *t)
{
    return p->pending & ~(t->blocked & ~(BIT(SIG_KILL) | BIT(SIG_STOP)));
}

/* The tripped signals whose Python handler t runs: all of them for the
 * main thread, none for the others. */
static uint32_t tripped_for(const struct proc *p, const struct task *t)
{
    return t->tid == p->pid ? p->tripped : 0;
}

void signal_recalc(struct machine *m, struct task *t)
{
    const struct proc *p = proc_of(m, t);
    t->sigpending = p->group_exit || deliverable(p, t) || tripped_for(p, t);
}

/* wants_signal: could t take sig now? Not if it blocks it; SIGKILL always;
 * not if it is stopped; else if it is running, or has nothing else pending
 * yet (a thread already marked will get to this one in its turn). */
static bool wants_signal(const struct proc *p, const struct task *t, int sig)
{
    if (t->blocked & BIT(sig) && sig != SIG_KILL && sig != SIG_STOP)
        return false;
    if (sig == SIG_KILL)
        return true;
    if (t->state == 'T')
        return false;
    return t->cpu >= 0 || !t->sigpending || !(deliverable(p, t) & ~BIT(sig));
}

/* The thread a process-directed signal goes to: the main thread if it wants
 * it, else the first other thread that does; NULL when none does (the
 * signal waits in the process's pending set). Linux tries the thread the
 * sender named (the main one, for kill) and then goes round from the last
 * thread it chose; procsim goes round in creation order. */
static struct task *target_thread(struct machine *m, int ps, int sig)
{
    for (int s = m->procs[ps].main_task; s >= 0; s = m->tasks[s].next_thread)
        if (wants_signal(&m->procs[ps], &m->tasks[s], sig))
            return &m->tasks[s];
    return NULL;
}

/* Does every thread of process slot ps block sig (it waits, "blocked")? */
static bool every_thread_blocks(struct machine *m, int ps, int sig)
{
    for (int s = m->procs[ps].main_task; s >= 0; s = m->tasks[s].next_thread)
        if (!(m->tasks[s].blocked & BIT(sig)))
            return false;
    return true;
}

/* ------------------------------------------------------------ generation */

/* signal_wake_up: t, chosen for sig, sleeps interruptibly (S). A signal
 * that will run a handler or kill wakes it:
 *  - sleep ends early with the ticks left in its variable, wait returns -1
 *    (EINTR), pause returns; with eintr=retry, sleep and wait go on after a
 *    handler instead;
 *  - a join (of a thread or a child process), or a wait for a lock,
 *    semaphore or event, is retried after the handler (pthread_join,
 *    CPython's lock acquire and Popen.wait are), with its deadline if it
 *    has a timeout;
 *  - a thread waiting for the GIL stays in line unless it is to die: a
 *    handler is Python code, which it may only run once it holds the GIL. */
static void interrupt(struct machine *m, struct task *t, int sig)
{
    bool dies = fatal(proc_of(m, t), sig);
    bool retry = m->cfg.eintr_retry && !dies;
    int64_t left = 0;
    int why;
    switch (t->wchan) {
    case WC_SLEEP:
        why = WHY_SLEEP;
        left = t->wake_at - visible_tick(m);
        if (!retry) {
            /* sleep(3) returns the time left: pc is past the sleep already. */
            const struct insn *in = &program_code(m, t->prog)->code[t->pc - 1];
            if (in->var >= 0)
                *var_ref(m, t, in->var) = v_int(left);
        }
        break;
    case WC_WAIT:
    case WC_PAUSE:
        why = t->wchan == WC_PAUSE ? WHY_PAUSE : WHY_WAIT;
        if (t->wchan == WC_PAUSE)
            retry = false;           /* pause returns after a handler */
        else if (t->prog != PROG_INIT && program_code(m, t->prog)->code[t->pc].op == OP_JOIN)
            retry = !dies;           /* Process.join: waitpid is retried (PEP 475) */
        if (!retry) {
            /* wait returns -1 (EINTR), pause returns: step past them. */
            const struct insn *in = &program_code(m, t->prog)->code[t->pc];
            if (in->var >= 0 && t->wchan == WC_WAIT)
                *var_ref(m, t, in->var) = v_int(-1);
            t->pc++;
        }
        break;
    case WC_GIL:
        if (!dies)
            return;
        why = WHY_GIL;
        task_unwait(m, t);
        break;
    default:                         /* join, an object, the last threads */
        why = t->wchan == WC_JOIN ? WHY_JOIN : t->wchan == WC_OBJ ? WHY_OBJ : WHY_WAIT;
        task_unwait(m, t);
        if (t->wchan == WC_OBJ || t->wchan == WC_JOIN || t->wchan == WC_QUEUE)
            t->pc--;                 /* the acquire/wait/join/get runs again */
        retry = !dies;
        if (t->wchan == WC_POLL && !m->cfg.eintr_retry && !dies) {
            retry = false;           /* select/poll/epoll_wait: EINTR, as in C */
            mux_interrupted(m, t);
        }
        break;
    }
    if (retry && t->wchan == WC_SLEEP) {
        t->pc--;
        t->sleep_until = t->wake_at;
    }
    emit(m, retry ? EV_SIG_RESTART : EV_SIG_EINTR, why, t, sig, left);
    task_wake(m, t, WHY_SIGNAL, sig);
}

/* Start the group exit (complete_signal): the process dies of sig at its
 * next return to user mode. Every thread that can be woken wakes to die:
 * interruptible sleepers and stopped threads, not a thread in D. */
static void group_exit(struct machine *m, int ps, struct task *chosen, int sig)
{
    struct proc *p = &m->procs[ps];
    p->group_exit = sig;
    proc_set_stopped(m, p, false);
    for (int s = p->main_task; s >= 0; s = m->tasks[s].next_thread) {
        struct task *t = &m->tasks[s];
        t->sigpending = true;
        if (t->state == 'S' && t == chosen) {
            interrupt(m, t, sig);
        } else if (t->state == 'S') {
            task_unwait(m, t);
            task_wake(m, t, WHY_SIGNAL, sig);
        } else if (t->state == 'T') {
            task_make_runnable(m, t);
        }
    }
}

/* The thread chosen for sig: marked to act on it, and woken if it sleeps
 * interruptibly (a stop signal stops a sleeper at once). */
static void signal_wake_up(struct machine *m, struct task *t, int sig)
{
    const struct proc *p = proc_of(m, t);
    t->sigpending = true;
    if (t->state != 'S')
        return;
    if (BIT(sig) & STOP_SIGS && action_of(p, sig) == SIGACT_DEFAULT)
        signal_act_now(m, t);
    else if (caught(action_of(p, sig)) || fatal(p, sig))
        interrupt(m, t, sig);
}

/* t went to sleep interruptibly in the tick a signal chose it while it
 * ran (on an earlier CPU's turn), so nothing woke it. Linux checks
 * signal_pending() before a task sleeps (the wait loops of
 * prepare_to_wait_event, schedule_timeout_interruptible): the wait ends at
 * once, as if the signal had come after it slept. */
void signal_check_sleep(struct machine *m, struct task *t)
{
    if (t->state != 'S' || !t->sigpending)
        return;
    const struct proc *p = proc_of(m, t);
    if (p->group_exit) {
        interrupt(m, t, p->group_exit);
        return;
    }
    uint32_t d = deliverable(p, t);
    for (int sig = 1; sig < NSIG_MAX && t->state == 'S'; sig++)
        if (d & BIT(sig))
            signal_wake_up(m, t, sig);
}

void signal_send(struct machine *m, int from_pid, int to, int sig)
{
    struct proc *p = &m->procs[to];
    if (sig <= 0 || sig >= NSIG_MAX || p->zombie)
        return;
    struct task *leader = main_task(m, to);     /* the thread kill names */
    /* A SIGCHLD nobody will see is not worth a line in the log. */
    if (sig != SIG_CHLD || !ignored(p, sig))
        emit_pid(m, EV_SIG_SEND, 0, from_pid, sig, p->pid);

    /* init only gets the signals it has handlers for. */
    if (p->pid == 1 && action_of(p, sig) < 0) {
        if (sig != SIG_CHLD)
            emit(m, EV_SIG_IGNORED, SIGI_INIT, leader, sig, 0);
        return;
    }
    /* prepare_signal: a process already dying drops every signal. */
    if (p->exiting && !p->group_exit)
        return;
    if (p->group_exit) {
        if (sig != SIG_CHLD || !ignored(p, sig))
            emit(m, EV_SIG_IGNORED, SIGI_DYING, leader, sig, p->group_exit);
        return;
    }
    /* Job control acts at generation, whatever the mask. */
    if (sig == SIG_CONT) {
        p->pending &= ~STOP_SIGS;
        continue_process(m, to, sig);
    } else if (BIT(sig) & STOP_SIGS) {
        p->pending &= ~BIT(SIG_CONT);
    }
    /* Ignored signals are dropped, unless the main thread blocks them
     * (sig_ignored looks at the thread the sender named). */
    bool blocked = leader->blocked & BIT(sig) && sig != SIG_KILL && sig != SIG_STOP;
    if (!blocked && ignored(p, sig)) {
        if (sig != SIG_CHLD && sig != SIG_CONT)
            emit(m, EV_SIG_IGNORED,
                 action_of(p, sig) == SIGACT_IGNORE ? SIGI_IGNORED : SIGI_DEFAULT_IGN,
                 leader, sig, 0);
        return;
    }
    /* Standard signals do not queue: one already pending absorbs this one. */
    if (p->pending & BIT(sig)) {
        emit(m, EV_SIG_PENDING, SIGP_MERGED, leader, sig, 0);
        return;
    }
    p->pending |= BIT(sig);
    struct task *t = target_thread(m, to, sig);
    if (!t) {
        emit(m, EV_SIG_PENDING, every_thread_blocks(m, to, sig) ? SIGP_BLOCKED :
                                p->stopped ? SIGP_STOPPED : SIGP_NEW, leader, sig, 0);
        return;
    }
    emit(m, EV_SIG_PENDING, t->state == 'D' ? SIGP_IN_D : SIGP_NEW, t, sig, 0);
    if (fatal(p, sig) && default_action(sig) == ACT_TERM)
        group_exit(m, to, t, sig);
    else
        signal_wake_up(m, t, sig);
}

/* retarget_shared_pending: each pending signal goes to a thread that
 * wants it now, if one does. */
void signal_retarget(struct machine *m, int ps)
{
    const struct proc *p = &m->procs[ps];
    for (int sig = 1; sig < NSIG_MAX; sig++) {
        if (!(p->pending & BIT(sig)))
            continue;
        struct task *t = target_thread(m, ps, sig);
        if (t)
            signal_wake_up(m, t, sig);
    }
}

/* ------------------------------------------------------ process groups */

/* Does process p tie its group to the session: is its parent in another
 * group of the same session? init is outside the terminal's session, except
 * that it stands for the terminal's shell for the jobs it spawned. */
static bool ties_group(const struct machine *m, const struct proc *p)
{
    int parent = proc_slot(m, p->ppid);
    return parent >= 0 && m->procs[parent].pgid != p->pgid &&
           (m->procs[parent].sid == p->sid || p->job_leader);
}

/* Is group pgid orphaned: does none of its living members tie it to the
 * session (will_become_orphaned_pgrp)? */
static bool group_orphaned(struct machine *m, int pgid)
{
    for (int s = 0; s < m->proc_cap; s++) {
        const struct proc *p = &m->procs[s];
        if (p->pid && p->pgid == pgid && !p->zombie && ties_group(m, p))
            return false;
    }
    return true;
}

static bool group_has_stopped(const struct machine *m, int pgid)
{
    for (int s = 0; s < m->proc_cap; s++)
        if (m->procs[s].pid && m->procs[s].pgid == pgid && m->procs[s].stopped)
            return true;
    return false;
}

/* A signal the kernel itself sends to group pgid (not the terminal, nor
 * anyone's kill): its send events say so. */
static void kernel_kill_group(struct machine *m, int pgid, int sig)
{
    size_t from = m->trace ? m->trace->nev : 0;
    signal_kill(m, NULL, -pgid, sig);
    for (size_t i = from; m->trace && i < m->trace->nev; i++)
        if (m->trace->ev[i].kind == EV_SIG_SEND && m->trace->ev[i].pid == 0)
            m->trace->ev[i].reason = SEND_KERNEL;
}

void signal_orphaned_pgrp(struct machine *m, int ps, int father)
{
    if (!m->nstopped)
        return;
    const struct proc *p = &m->procs[ps];
    int pgid = p->pgid;
    /* Did the tie that is going away tie the group: the exiting father of
     * ps (reparent_leader), or, when ps itself exits, ps's parent? */
    bool tied = father >= 0 ? m->procs[father].pgid != pgid &&
                              m->procs[father].sid == p->sid
                            : ties_group(m, p);
    if (!tied || !group_orphaned(m, pgid) || !group_has_stopped(m, pgid))
        return;
    emit(m, EV_ORPHANED, 0, &m->tasks[p->main_task], pgid, 0);
    kernel_kill_group(m, pgid, SIG_HUP);
    kernel_kill_group(m, pgid, SIG_CONT);
}

int signal_kill(struct machine *m, const struct task *from, int pid, int sig)
{
    int from_pid = from ? m->procs[from->proc].pid : 0;
    int from_pgid = from ? m->procs[from->proc].pgid : 0;
    if (pid > 0) {
        int s = proc_slot(m, pid);
        if (s < 0)
            return -1;
        if (sig)
            signal_send(m, from_pid, s, sig);
        return 0;
    }
    int found = 0;
    for (int s = 0; s < m->proc_cap; s++) {
        const struct proc *p = &m->procs[s];
        if (!p->pid)
            continue;
        bool match = pid == -1 ? p->pid > 1 && p->pid != from_pid
                   : pid == 0  ? p->pgid == from_pgid
                               : p->pgid == -pid;
        if (!match)
            continue;
        found++;
        if (sig)
            signal_send(m, from_pid, s, sig);
    }
    return found ? 0 : -1;
}

/* ------------------------------------------------------------- delivery */

static void run_handler(struct machine *m, struct task *t, int sig, int h)
{
    struct sigframe *f = frame_push(m, t);
    if (!f)
        return;
    *f = (struct sigframe){ f->next, t->prog, t->pc, t->left, t->blocked, sig,
                            t->sleep_until };
    t->sleep_until = 0;
    t->blocked |= BIT(sig);
    t->prog = m->scn->nprograms + h;
    t->pc = 0;
    t->left = 0;
    emit(m, EV_SIG_HANDLER, 0, t, sig, h);
}

void signal_return(struct machine *m, struct task *t)
{
    struct sigframe f;
    frame_pop(m, t, &f);
    emit(m, EV_SIG_RETURN, 0, t, f.sig, 0);
    t->prog = f.prog;
    t->pc = f.pc;
    t->left = f.left;
    t->blocked = f.blocked;
    t->sleep_until = f.sleep_until;
    signal_recalc(m, t);       /* sigreturn restores the mask */
}

bool signal_act(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    if (p->group_exit) {
        /* The first fatal signal decided at generation (get_signal's
         * signal_group_exit). */
        p->pending &= ~BIT(p->group_exit);
        emit(m, EV_SIG_DEFAULT, ACT_TERM, t, p->group_exit, 0);
        proc_exit(m, t, -p->group_exit);
        return false;
    }
    t->sigpending = false;
    for (int sig = 1; sig < NSIG_MAX; sig++) {
        uint32_t ready = deliverable(p, t) | tripped_for(p, t);
        if (!ready)
            return true;
        if (!(ready & BIT(sig)))
            continue;
        int act = action_of(p, sig);
        bool tripped_only = !(deliverable(p, t) & BIT(sig));
        p->pending &= ~BIT(sig);
        if (tripped_for(p, t) & BIT(sig))
            p->tripped &= ~BIT(sig);
        if (((act >= 0 && m->cfg.gil) || act == SIGACT_KBINT) && t->tid != p->pid) {
            /* CPython runs Python handlers in the main thread only: this
             * thread's C handler just notes the signal, and the main thread
             * runs the handler the next time it runs (it is not woken for
             * it), whatever its mask. */
            p->tripped |= BIT(sig);
            main_task(m, t->proc)->sigpending = true;
            continue;
        }
        if (tripped_only && act < 0)
            continue;              /* the handler was reset meanwhile */
        if (act == SIGACT_IGNORE)
            continue;
        if (act == SIGACT_KBINT) {
            /* CPython's default SIGINT handler: KeyboardInterrupt, raised
             * in the main thread where it is (an interrupted sleep or wait
             * does not go on) */
            t->sleep_until = 0;
            struct srcpos pos = { 0, 0 };
            if (t->prog != PROG_INIT)
                pos = program_code(m, t->prog)->code[t->pc].pos;
            task_raise(m, t, pos, EXC_KEYBOARD_INTERRUPT, NULL);
            if (m->status != MS_RUNNING || t->state != 'R' || p->zombie)
                return false;
            continue;
        }
        if (act >= 0) {
            if (t->nframes == MAX_SIGFRAMES) {
                /* too deep: wait for a return */
                if (tripped_only)
                    p->tripped |= BIT(sig);
                else
                    p->pending |= BIT(sig);
                t->sigpending = true;
                return true;
            }
            /* Every deliverable signal gets its frame now, lowest number
             * first, so the highest-numbered handler runs first (the last
             * frame set up is the first to run). */
            run_handler(m, t, sig, act);
            continue;
        }
        switch (default_action(sig)) {
        case ACT_TERM:
        case ACT_CORE:
            emit(m, EV_SIG_DEFAULT, default_action(sig), t, sig, 0);
            proc_exit(m, t, -sig);
            return false;
        case ACT_STOP:
            if (sig != SIG_STOP && group_orphaned(m, p->pgid)) {
                emit(m, EV_SIG_IGNORED, SIGI_ORPHANED, t, sig, 0);
                continue;
            }
            stop_process(m, t->proc, sig);
            if (t->state == 'R')
                stop_thread(m, t);         /* its group had stopped already */
            return false;
        default:
            continue;
        }
    }
    return true;
}

/* A stop signal reaching a sleeping task stops it at once. */
void signal_act_now(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    uint32_t stops = p->pending & STOP_SIGS;
    for (int sig = 1; sig < NSIG_MAX; sig++) {
        if (!(stops & BIT(sig)))
            continue;
        p->pending &= ~BIT(sig);
        if (sig != SIG_STOP && group_orphaned(m, p->pgid)) {
            emit(m, EV_SIG_IGNORED, SIGI_ORPHANED, t, sig, 0);
            continue;
        }
        stop_process(m, t->proc, sig);
        return;
    }
}

/* --------------------------------------------------------------- alarms */

static bool alarm_less(const void *ctx, int x, int y)
{
    const struct machine *m = ctx;
    const struct proc *a = &m->procs[x], *b = &m->procs[y];
    if (a->alarm_at != b->alarm_at)
        return a->alarm_at < b->alarm_at;
    return a->pid < b->pid;
}

static void alarm_moved(void *ctx, int x, int pos)
{
    struct machine *m = ctx;
    m->procs[x].alarm_pos = pos;
}

static const struct heap_ops alarm_heap = { alarm_less, alarm_moved };

/* alarm N: SIGALRM after N ticks (like sleep N, it is due at T + N + 1 for
 * an alarm set in tick T); replaces the previous one; 0 cancels. */
void signal_set_alarm(struct machine *m, struct proc *p, int64_t ticks)
{
    int ps = (int)(p - m->procs);
    if (p->alarm_pos >= 0)
        heap_remove(&m->alarms, p->alarm_pos, &alarm_heap, m);
    p->alarm_at = -1;
    if (ticks <= 0)
        return;
    p->alarm_at = tick_after(m->tick + 1, ticks);
    heap_push(&m->alarms, ps, &alarm_heap, m);
}

void signal_alarms(struct machine *m)
{
    for (;;) {
        int ps = heap_top(&m->alarms);
        if (ps < 0 || m->procs[ps].alarm_at > m->tick)
            return;
        heap_remove(&m->alarms, 0, &alarm_heap, m);
        m->procs[ps].alarm_at = -1;
        emit(m, EV_ALARM, 0, main_task(m, ps), SIG_ALRM, 0);
        signal_send(m, m->procs[ps].pid, ps, SIG_ALRM);
    }
}

/* ------------------------------------------------------- outside events */

/* Send sig to every process in group pgid, from the terminal. Group 1 is
 * init's alone (no process can join it: another session), and kill(-1)
 * would mean every process, so it is sent to init only. */
static void to_group(struct machine *m, int pgid, int sig)
{
    if (pgid > 0)
        signal_kill(m, NULL, pgid == 1 ? 1 : -pgid, sig);
}

void signal_outside(struct machine *m, const struct outside *o)
{
    int s;
    switch (o->kind) {
    case OUT_KILL:
        signal_kill(m, NULL, o->pid, o->sig);
        break;
    case OUT_CTRL_C:
        to_group(m, m->fg_pgid, SIG_INT);
        break;
    case OUT_CTRL_Z:
        to_group(m, m->fg_pgid, SIG_TSTP);
        break;
    case OUT_CTRL_BACKSLASH:
        to_group(m, m->fg_pgid, SIG_QUIT);
        break;
    case OUT_FG:
        s = o->pid > 0 ? proc_slot(m, o->pid) : -1;
        /* A shell's `fg` knows only its own jobs: a process of another
         * session (init, a daemon after setsid) can never become the
         * terminal's foreground (tcsetpgrp: EPERM). */
        if (s >= 0 && m->procs[s].sid != TTY_SID)
            break;
        if (s >= 0)
            m->fg_pgid = m->procs[s].pgid;
        to_group(m, m->fg_pgid, SIG_CONT);
        break;
    case OUT_BG:
        s = proc_slot(m, o->pid);
        if (s >= 0)
            to_group(m, m->procs[s].pgid, SIG_CONT);
        break;
    }
}

/* tcsetpgrp(2) (drivers/tty/tty_jobctrl.c, tiocspgrp): a process of a
 * background group that changes the foreground gets SIGTTOU for its whole
 * group and tries again once continued (ERESTARTSYS), unless it ignores or
 * blocks SIGTTOU (shells do), or its group is orphaned (ENOTTY). The caller
 * must have the terminal (ENOTTY after setsid); the group must exist
 * (ESRCH) and be in the terminal's session (EPERM). */
int signal_tcsetpgrp(struct machine *m, struct task *t, int64_t pgid)
{
    struct proc *p = proc_of(m, t);
    bool has_tty = p->sid == TTY_SID;
    int err = 0;
    if (has_tty && m->fg_pgid && p->pgid != m->fg_pgid &&
        !(t->blocked & BIT(SIG_TTOU)) && action_of(p, SIG_TTOU) != SIGACT_IGNORE) {
        if (group_orphaned(m, p->pgid)) {
            err = ERR_ENOTTY;
        } else {
            emit(m, EV_TCSETPGRP, JOB_TTOU, t, pgid, 0);
            kernel_kill_group(m, p->pgid, SIG_TTOU);
            return 1;
        }
    } else if (pgid < 0) {
        err = ERR_EINVAL;
    } else if (!has_tty) {
        err = ERR_ENOTTY;           /* setsid left the terminal behind */
    } else {
        int g = pgid < m->cfg.pid_max ? proc_group_member(m, (int)pgid) : -1;
        if (g < 0 && pgid > 0 && pgid < m->cfg.pid_max)
            g = proc_slot(m, (int)pgid);        /* session_of_pgrp's fallback */
        err = g < 0 ? ERR_ESRCH : m->procs[g].sid != TTY_SID ? ERR_EPERM : 0;
    }
    emit(m, EV_TCSETPGRP, (uint8_t)err, t, pgid, 0);
    if (err)
        return -err;
    m->fg_pgid = (int)pgid;
    return 0;
}

/* ------------------------------------------------------------ reparent */

int signal_reaper_for(struct machine *m, int ps)
{
    for (int a = proc_slot(m, m->procs[ps].ppid); a >= 0;
         a = proc_slot(m, m->procs[a].ppid)) {
        if (m->procs[a].pid == 1)
            break;
        if (m->procs[a].subreaper && !m->procs[a].zombie)
            return a;
    }
    return proc_slot(m, 1);
}
