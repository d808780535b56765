/*
 * poolwork.c - a pool's workers and its owner's result handler thread
 * (issue 12; the overview is in pool.c): the steps of their hidden
 * programs (parse.c, pool_programs).
 */
#include "poolint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "trace.h"

/* ------------------------------------------------------------ workers */

struct pool_worker *pool_worker_of(struct machine *m, struct kpool *p, const struct task *t)
{
    (void)m;
    return t->pool_wi >= 0 && t->pool_wi < p->nw ? &p->w[t->pool_wi] : NULL;
}

static bool add_worker(struct machine *m, struct kpool *p, int pid, int tid, int slot)
{
    if (p->nw == p->wcap) {
        int cap = p->wcap ? p->wcap * 2 : 4;
        struct pool_worker *n = realloc(p->w, (size_t)cap * sizeof *n);
        if (!n) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            return false;
        }
        p->w = n;
        p->wcap = cap;
    }
    p->w[p->nw] = (struct pool_worker){ .pid = pid, .tid = tid, .slot = slot, .task = -1,
                                        .cb_job = -1, .record = -1 };
    if (m->trace && p->record >= 0)
        p->w[p->nw].record = trace_add_pool_worker(m->trace, p->record, pid, tid);
    struct task *wt = &m->tasks[slot];
    wt->pool_at = pool_slot(m, p) + 1;
    wt->pool_wi = p->nw;
    p->nw++;
    p->nlive++;
    return true;
}

/* Fork a worker process for pool p, as the owner's task `by`. Returns its
 * pid, or -1 (the fork failed; an event says why). */
int pool_fork_worker(struct machine *m, struct kpool *p, struct task *by)
{
    if (p->counter >= 0) {     /* Process.__init__ counts, in the owner */
        struct value *c = var_ref(m, by, p->counter);
        if (v_is_int(*c))
            *c = v_int(c->i + 1);
    }
    int pid = proc_fork(m, by, m->scn->pool_worker_prog[p->kind]);
    if (pid < 0)
        return -1;
    struct proc *cp = &m->procs[proc_slot(m, pid)];
    cp->daemon = cp->daemonic = true;      /* Pool workers are daemons */
    if (!add_worker(m, p, pid, pid, cp->main_task))
        return -1;
    if (p->init >= 0) {
        /* pool.worker(): initializer(*initargs) before the first task;
         * the call returns to the worker's loop (pc 0) */
        struct task *w = &m->tasks[cp->main_task];
        uint32_t n = 0;
        const struct value *args = p->initargs.type == V_TUPLE || p->initargs.type == V_LIST
                                 ? v_items(&m->heap, p->initargs, &n) : NULL;
        struct value copy[MAX_PARAMS];
        if (n > MAX_PARAMS)
            n = MAX_PARAMS;
        for (uint32_t i = 0; i < n; i++)
            copy[i] = args[i];
        w->pc = 0;
        if (!task_call(m, w, p->init, copy, (int)n, -1))
            return pid;
    }
    return pid;
}

/* The thread executor makes a worker thread (ThreadPoolExecutor's
 * _adjust_thread_count): no worker is idle and fewer than max_workers
 * exist. */
void pool_adjust_threads(struct machine *m, struct kpool *p, struct task *by)
{
    if (p->idle_head >= 0 || p->nlive >= p->nwant)
        return;
    int tid = thread_create(m, by, m->scn->pool_worker_prog[PK_THREADS], false);
    if (tid < 0)
        return;
    for (int s = m->procs[by->proc].main_task; s >= 0; s = m->tasks[s].next_thread)
        if (m->tasks[s].tid == tid) {
            add_worker(m, p, m->procs[by->proc].pid, tid, s);
            break;
        }
    /* its thread_cost was paid by the submit (poolops.c) */
}

/* ProcessPoolExecutor: the first max_workers + 1 queued items are in the
 * call queue (EXTRA_QUEUED_CALLS): the manager set them running, so they
 * can no longer be cancelled. */
void pool_fill_call_queue(struct machine *m, struct kpool *p)
{
    if (p->kind != PK_PROCESSES)
        return;
    int n = 0;
    for (int s = p->q_head; s >= 0 && n < p->nwant + 1; s = m->ptk[s].next, n++) {
        struct pool_job *j = &m->pjobs[m->ptk[s].job];
        if (j->state == JOB_PENDING)
            j->state = JOB_RUNNING;
    }
}

/* Start calling item k->done of task ts in worker t (pc on WPC_TAKE). */
static void call_item(struct machine *m, struct task *t, int ts, const struct insn *in)
{
    struct pool_task *k = &m->ptk[ts];
    struct pool_job *j = &m->pjobs[k->job];
    struct value one[1];
    const struct value *args = one;
    uint32_t n = 1;
    if (k->map) {
        uint32_t len;
        const struct value *items = v_items(&m->heap, k->args, &len);
        one[0] = (uint32_t)(k->first + k->done) < len ? items[k->first + k->done] : v_none();
        if (j->star) {
            if (one[0].type != V_TUPLE && one[0].type != V_LIST) {
                task_raise(m, t, in->pos, EXC_TYPE, "starmap: an item is not a tuple of "
                           "arguments");
                return;
            }
            args = v_items(&m->heap, one[0], &n);
        }
    } else {
        args = v_items(&m->heap, k->args, &n);
    }
    const struct program *f = program_code(m, j->func);
    if ((int)n != f->nparams) {
        task_raise(m, t, in->pos, EXC_TYPE, f->nparams == 1
                   ? "the function takes 1 positional argument, given another number"
                   : "the function was given the wrong number of arguments");
        return;
    }
    t->pc = WPC_DONE;
    task_call(m, t, j->func, args, (int)n, m->scn->pool_ret_var);
}

/* Call done callback cb of future js in t (a thread worker, or a process
 * executor's manager thread), coming back to pc `back`, inside a try block
 * whose except clause is `back` too: Future._invoke_callbacks logs an
 * exception a callback raises and goes on. */
void pool_call_done_cb(struct machine *m, struct task *t, int js, int cb, int back)
{
    struct taskx *x = taskx_of(m, t);
    if (!x)
        return;
    if (x->ntry == MAX_TRY) {
        machine_fail(m, program_code(m, cb)->pos, "try blocks nested more than %d deep "
                     "(a done callback)", MAX_TRY);
        return;
    }
    x->try_at[x->ntry] = back;
    x->try_level[x->ntry] = (uint8_t)t->nframes;
    x->try_call[x->ntry] = x->ncall;
    x->ntry++;
    struct value arg = pjob_callback_arg(m, js, false);
    t->pc = back;
    task_call(m, t, cb, &arg, 1, -1);
}

/* Back at `back` after a done callback: it returned (its try block ends)
 * or raised (caught there: "exception calling callback for ..."). */
void pool_done_cb_back(struct machine *m, struct task *t, int js)
{
    struct taskx *x = taskx_of(m, t);
    if (!x)
        return;
    if (x->exc < 0) {
        if (x->ntry > 0)
            x->ntry--;
        return;
    }
    char text[300], made[128];
    const char *msg = x->exc_msg ? x->exc_msg : "";
    if (x->exc_dyn) {                  /* a message made at run time */
        out_format(m, x->exc_val, false, made, sizeof made);
        msg = made;
    }
    int n = snprintf(text, sizeof text, "exception calling callback for <Future %lld>: %s%s%.120s",
                     (long long)m->pjobs[js].id, exc_qualname(x->exc), *msg ? ": " : "", msg);
    emit_text(m, EV_PRINT, t, text, n < 0 ? 0 : (size_t)n < sizeof text ? (size_t)n
                                                                      : sizeof text - 1);
    x->exc = -1;
}

/* Worker t has finished task ts (its result or exception is in it). */
static void finish_task(struct machine *m, struct kpool *p, struct task *t, int ts)
{
    struct pool_task *k = &m->ptk[ts];
    struct pool_worker *w = pool_worker_of(m, p, t);
    char what[120] = "", r[80] = "";
    if (pool_tracing(m)) {
        ptask_words(m, k, what, sizeof what);
        if (k->exc < 0 && !k->map)
            v_format(&m->heap, k->result, true, r, sizeof r);
    }
    char b[120];
    const char *msg = k->exc >= 0 ? pfail_text(m, k->msg, k->result, b, sizeof b) : "";
    if (k->exc >= 0)
        emit_textf(m, EV_POOL, PL_RAISED, t, k->id, w ? w->tid : t->tid,
                   "worker %d: task %d (%s) raised %s%s%s", t->tid, k->id, what,
                   exc_name(k->exc), *msg ? ": " : "", msg);
    else if (k->map) {
        emit_textf(m, EV_POOL, PL_RESULT, t, k->id, t->tid,
                   "worker %d: task %d (%s) done", t->tid, k->id, what);
    } else {
        emit_textf(m, EV_POOL, PL_RESULT, t, k->id, t->tid, "worker %d: task %d → %s",
                   t->tid, k->id, r);
    }
    if (w) {
        w->task = -1;
        p->nbusy--;
        w->done++;
        if (m->trace && w->record >= 0)
            m->trace->pworkers[w->record].tasks = w->done;
    }
    if (p->kind != PK_THREADS) {
        plist_push(m, &p->r_head, &p->r_tail, &p->nr, ts);
        if (p->h_waiting && p->h_slot >= 0) {
            struct task *h = &m->tasks[p->h_slot];
            task_unwait(m, h);
            task_wake(m, h, WHY_OBJ, 0);
        }
        return;
    }
    /* A thread worker completes the future itself (_WorkItem.run), then
     * runs its done callbacks, in this thread. */
    int js = k->job;
    bool complete = pjob_take_result(m, ts);
    p->completed++;
    if (m->trace && p->record >= 0)
        m->trace->pools[p->record].completed = p->completed;
    pool_recent(m, p, ts);
    if (!complete) {
        pool_changed(m, p);
        return;
    }
    pjob_complete(m, js);
    struct pool_job *j = &m->pjobs[js];
    if (j->ndcb > 0 && w) {
        j->inflight++;
        j->dcb_next = 1;
        w->cb_job = js;                    /* WPC_CB_DONE finds the job here */
        emit_textf(m, EV_POOL, PL_CALLBACK, t, k->id, t->tid,
                   "worker %d runs done callback %s of task %d", t->tid,
                   program_code(m, j->dcb[0])->name, k->id);
        pool_call_done_cb(m, t, js, j->dcb[0], WPC_CB_DONE);
        return;
    }
    pool_changed(m, p);
}

/* A worker leaves: the pool is closed (sentinel), its owner is gone, or it
 * did maxtasksperchild tasks. A process exits 0, a thread ends. */
/* A worker process's exit costs exit_cost ticks of its CPU (a thread's end
 * costs nothing, as in exec.c): true when paid, else the tick was spent. */
static bool pay_exit(struct machine *m, struct task *t)
{
    return t->tid != m->procs[t->proc].pid || task_pay_cost(m, t, COST_EXIT);
}

static void worker_exit(struct machine *m, struct task *t)
{
    if (t->tid != m->procs[t->proc].pid)
        thread_end(m, t);
    else
        proc_exit(m, t, 0);
}

/* PM_W_TAKE: a worker takes its next item or task, or waits, or exits. */
void pool_worker_take(struct machine *m, struct task *t, const struct insn *in)
{
    struct kpool *p = pool_of_task(m, t);
    struct pool_worker *w = p ? pool_worker_of(m, p, t) : NULL;
    if (!w) {                              /* its pool is gone: EOF on the queue */
        if (pay_exit(m, t))
            worker_exit(m, t);
        return;
    }
    if (w->task >= 0) {                    /* the next item of its chunk */
        call_item(m, t, w->task, in);
        return;
    }
    if (p->kind == PK_POOL && p->maxtasks > 0 && w->done >= p->maxtasks && p->state == 'R') {
        /* maxtasksperchild: it exits; the worker handler forks another
         * (the exit costs exit_cost ticks of the worker's CPU; the
         * replacement's fork is the worker handler's, not charged). */
        if (!pay_exit(m, t))
            return;
        int old = t->tid;
        int64_t did = w->done;
        struct task *owner = &m->tasks[m->procs[p->owner_slot].main_task];
        int pid = pool_fork_worker(m, p, owner);
        /* pool_fork_worker may have grown p->w */
        if (m->status != MS_RUNNING)
            return;
        if (pid > 0)
            emit_textf(m, EV_POOL, PL_REPLACE, t, old, pid,
                       "pool %s: worker %d did %lld task%s (maxtasksperchild): exits; "
                       "worker %d replaces it", pool_name(m, p), old, (long long)did,
                       did == 1 ? "" : "s", pid);
        else
            emit_textf(m, EV_POOL, PL_REPLACE, t, old, 0,
                       "pool %s: worker %d did %lld task%s (maxtasksperchild): exits; "
                       "the fork of its replacement failed", pool_name(m, p), old,
                       (long long)did, did == 1 ? "" : "s");
        worker_exit(m, t);
        return;
    }
    if (p->nq > 0 && p->state != 'T') {
        int ts = plist_pop(m, &p->q_head, &p->q_tail, &p->nq);
        struct pool_task *k = &m->ptk[ts];
        struct pool_job *j = &m->pjobs[k->job];
        if (j->state == JOB_PENDING)
            j->state = JOB_RUNNING;
        w->task = ts;
        p->nbusy++;
        k->worker = t->tid;
        char what[120] = "";
        if (pool_tracing(m))
            ptask_words(m, k, what, sizeof what);
        emit_textf(m, EV_POOL, PL_TAKE, t, k->id, t->tid, "worker %d takes task %d (%s)",
                   t->tid, k->id, what);
        pool_fill_call_queue(m, p);
        call_item(m, t, ts, in);
        return;
    }
    if (p->state == 'T')                   /* terminated: its SIGTERM is pending and */
        return;                            /* takes it before its next tick */
    if (p->state != 'R' && (p->kind == PK_THREADS || !pool_has_pending(m, p))) {
        /* closed and drained: the sentinel (a Pool's and a process
         * executor's come once every job is complete; a thread executor's
         * at once) */
        if (!pay_exit(m, t))
            return;                        /* its exit's cost; then here again */
        emit_textf(m, EV_POOL, PL_WORKER_EXIT, t, t->tid, 0,
                   "pool %s: worker %d exits (%s)", pool_name(m, p), t->tid,
                   p->kind == PK_POOL ? "the pool is closed" : "the executor shut down");
        worker_exit(m, t);
        return;
    }
    pwait_on(m, t, &p->idle_head, &p->idle_tail, PW_IDLE, pool_slot(m, p), -1);
}

/* PM_W_DONE: the call returned; the item's result is in the hidden
 * variable. Untimed. */
void pool_worker_done(struct machine *m, struct task *t)
{
    struct taskx *x = taskx_of(m, t);
    if (x && x->ntry > 0)
        x->ntry--;                         /* the worker's try block */
    t->pc = WPC_TRY;
    struct kpool *p = pool_of_task(m, t);
    struct pool_worker *w = p ? pool_worker_of(m, p, t) : NULL;
    if (!w || w->task < 0)
        return;
    int ts = w->task;
    struct pool_task *k = &m->ptk[ts];
    struct pool_job *j = &m->pjobs[k->job];
    struct value r = *var_ref(m, t, m->scn->pool_ret_var);
    if (k->map && j->results)
        j->results[k->first + k->done] = r;
    if (!k->map || k->n == 1)
        k->result = r;             /* a one-item chunk shows its value too */
    if (++k->done < k->n)
        return;
    finish_task(m, p, t, ts);
}

/* PM_W_FAIL: the call raised; the task ends with that exception (a
 * chunk's other items are not called: mapstar stops). Untimed. */
void pool_worker_fail(struct machine *m, struct task *t)
{
    struct taskx *x = taskx_of(m, t);
    int exc = x ? x->exc : EXC_EXCEPTION;
    const char *msg = x ? x->exc_msg : NULL;
    /* A message made at run time (raise ValueError(f"bad {x}")) goes back
     * as its str, as CPython pickles the exception with its args. */
    struct value text = v_none();
    if (x && x->exc_dyn) {
        const char *err = NULL;
        if (x->exc_val.type == V_STR)
            text = x->exc_val;
        else if (v_to_str(&m->heap, x->exc_val, false, &text, &err) != VE_OK)
            text = v_none();
        msg = NULL;
    }
    if (x)
        x->exc = -1;
    t->pc = WPC_TRY;
    struct kpool *p = pool_of_task(m, t);
    struct pool_worker *w = p ? pool_worker_of(m, p, t) : NULL;
    if (!w || w->task < 0)
        return;
    struct pool_task *k = &m->ptk[w->task];
    k->exc = (int8_t)(exc < 0 ? EXC_EXCEPTION : exc);
    k->msg = msg;
    k->result = text;
    finish_task(m, p, t, w->task);
}

/* PM_H_CB_DONE in a thread worker: a done callback returned; the next one,
 * or back to work. Untimed. */
void pool_worker_cb_done(struct machine *m, struct task *t)
{
    t->pc = WPC_TRY;
    struct kpool *p = pool_of_task(m, t);
    struct pool_worker *w = p ? pool_worker_of(m, p, t) : NULL;
    int js = w ? w->cb_job : -1;
    if (js < 0)
        return;
    pool_done_cb_back(m, t, js);
    struct pool_job *j = &m->pjobs[js];
    if (j->dcb_next < j->ndcb) {
        pool_call_done_cb(m, t, js, j->dcb[j->dcb_next++], WPC_CB_DONE);
        return;
    }
    w->cb_job = -1;
    j->inflight--;
    pool_changed(m, p);
}

/* ------------------------------------------------------------ the result handler */

/* Reap the pool's workers that have exited (CPython's worker handler and
 * join do: Popen.wait). True when every gone worker is reaped. */
bool pool_reap_workers(struct machine *m, struct kpool *p, struct task *t)
{
    bool all = true;
    for (int i = 0; i < p->nw && p->nunreaped > 0; i++) {
        struct pool_worker *w = &p->w[i];
        if (!w->gone || w->reaped || p->kind == PK_THREADS)
            continue;
        int status;
        int r = proc_reap(m, t, w->pid, 0, &status);
        if (r == w->pid || r < 0) {
            w->reaped = true;
            p->nunreaped--;
        } else {
            all = false;
        }
    }
    return all;
}

/* PM_H_TAKE: take one result a tick; run its callback. */
void pool_handler_take(struct machine *m, struct task *t)
{
    struct kpool *p = pool_of_task(m, t);
    if (!p) {
        task_block(m, t, 'S', WC_POOL, -1);     /* its pool is gone */
        t->qwait = PW_HANDLER;
        t->wobj = -1;
        return;
    }
    if (p->state == 'R')
        pool_reap_workers(m, p, t);
    if (p->nr == 0 || p->state == 'T') {
        p->h_waiting = true;
        t->qwait = PW_HANDLER;
        t->wobj = pool_slot(m, p);
        task_block(m, t, 'S', WC_POOL, -1);
        return;
    }
    int ts = plist_pop(m, &p->r_head, &p->r_tail, &p->nr);
    struct pool_task *k = &m->ptk[ts];
    int js = k->job;
    bool complete = pjob_take_result(m, ts);
    p->completed++;
    if (m->trace && p->record >= 0)
        m->trace->pools[p->record].completed = p->completed;
    struct pool_job *j = &m->pjobs[js];
    char r[80] = "";
    if (!pool_tracing(m))
        ;                                  /* the text is for events only */
    else if (k->exc >= 0) {
        char b[80];
        const char *msg = pfail_text(m, k->msg, k->result, b, sizeof b);
        snprintf(r, sizeof r, "%s%s%s", exc_name(k->exc), *msg ? ": " : "", msg);
    }
    else if (k->map)
        snprintf(r, sizeof r, "%d result%s", k->n, k->n == 1 ? "" : "s");
    else
        v_format(&m->heap, k->result, true, r, sizeof r);
    int id = k->id;
    pool_recent(m, p, ts);
    if (!complete) {
        emit_textf(m, EV_POOL, PL_HANDLED, t, id, t->tid, "pool %s: result of task %d → %s",
                   pool_name(m, p), id, r);
        return;
    }
    bool failed = j->exc >= 0;
    int cb = j->kind == HK_FUTURE ? (j->ndcb ? j->dcb[0] : -1) : failed ? j->ecb : j->cb;
    if (cb >= 0)
        emit_textf(m, EV_POOL, PL_HANDLED, t, id, t->tid,
                   "pool %s: result of task %d → %s (%s %s)", pool_name(m, p), id, r,
                   j->kind == HK_FUTURE ? "done callback" : failed ? "error_callback"
                                                                   : "callback",
                   program_code(m, cb)->name);
    else
        emit_textf(m, EV_POOL, PL_HANDLED, t, id, t->tid, "pool %s: result of task %d → %s",
                   pool_name(m, p), id, r);
    if (j->kind == HK_MAP && !failed)
        j->value = v_none();               /* built by pjob_complete */
    if (j->kind == HK_FUTURE || cb < 0)
        pjob_complete(m, js);               /* a future: set_result, then callbacks */
    if (cb < 0) {
        pool_changed(m, p);
        return;
    }
    if (j->kind == HK_MAP && !failed) {
        /* the callback gets the list: build it now (pjob_complete later) */
        struct value list;
        if (v_seq(&m->heap, V_LIST, j->results, (uint32_t)j->nitems, &list) == VE_OK)
            j->value = list;
    }
    j->inflight++;
    j->dcb_next = 1;
    p->h_task = js;
    if (j->kind == HK_FUTURE) {            /* caught and logged, as a thread's */
        pool_call_done_cb(m, t, js, cb, 1);
        return;
    }
    /* Pool's callbacks are not guarded: one that raises ends the result
     * handler thread, as in CPython (the pool then hangs). */
    struct value arg = pjob_callback_arg(m, js, failed);
    t->pc = 1;
    task_call(m, t, cb, &arg, 1, -1);
}

/* PM_H_CB_DONE: the callback returned: the job is ready (ApplyResult._set
 * sets the event after the callback), or the next done callback runs. */
void pool_handler_cb_done(struct machine *m, struct task *t)
{
    t->pc = 0;
    struct kpool *p = pool_of_task(m, t);
    if (!p || p->h_task < 0)
        return;
    int js = p->h_task;
    struct pool_job *j = &m->pjobs[js];
    if (j->kind == HK_FUTURE)
        pool_done_cb_back(m, t, js);
    if (j->kind == HK_FUTURE && j->dcb_next < j->ndcb) {
        pool_call_done_cb(m, t, js, j->dcb[j->dcb_next++], 1);
        return;
    }
    p->h_task = -1;
    j->inflight--;
    if (j->kind != HK_FUTURE) {
        if (j->kind == HK_MAP && j->exc < 0) {
            /* the list is built: keep it */
            free(j->results);
            j->results = NULL;
            j->state = JOB_DONE;
            pwake_list(m, &j->wait_head, &j->wait_tail);
            pool_job_settled(m, j);
        } else {
            pjob_complete(m, js);
        }
    }
    pool_changed(m, p);
}
