/*
 * pool.c - multiprocessing.Pool, ThreadPoolExecutor and ProcessPoolExecutor
 * on the kernel (issue 12; the records are in pool.h).
 *
 * A pool is made by a statement of its owner (`pool p 4`): the owner forks
 * its workers one a tick, children that run a hidden program (parse.c,
 * pool_programs) and, for Pool and ProcessPoolExecutor, starts a daemon
 * thread that takes the results (CPython's _handle_results, the executor's
 * manager thread). A worker loops: take a task from the pool's task queue
 * (FIFO; an idle worker sleeps on the pool), call the function with
 * task_call (1 tick to start the call, then the function's own statements),
 * and send the result back: into the result queue, which the owner's
 * handler thread empties a result a tick, storing it in the job, running
 * its callback (task_call, in that thread) and waking the tasks waiting in
 * get. A ThreadPoolExecutor's workers are threads of the owner made on
 * submit (_adjust_thread_count); they complete the future themselves and
 * run its done callbacks.
 *
 * CPython's other handler threads (Pool's task handler and worker handler)
 * are modelled inside the kernel: a task goes straight into the queue the
 * workers read, and a worker that reached maxtasksperchild is replaced at
 * once by a new fork. Pool workers are daemon processes, as in CPython: the
 * owner's normal end terminates them (procobj_exiting).
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "trace.h"

/* What a task in WC_POOL waits for (task.qwait). */
enum { PW_IDLE, PW_HANDLER, PW_JOIN, PW_GET };

/* The worker program's steps (parse.c pool_programs). */
enum { WPC_TRY, WPC_TAKE, WPC_DONE, WPC_FAIL, WPC_CB_DONE };

static const char *const kind_names[] = { "Pool", "ThreadPoolExecutor",
                                          "ProcessPoolExecutor" };

/* ------------------------------------------------------------ records */

static struct kpool *pool_at(struct machine *m, int slot)
{
    return slot >= 0 && slot < m->pool_cap && m->pools[slot].decl >= 0 ? &m->pools[slot] : NULL;
}

static const char *pool_name(const struct machine *m, const struct kpool *p)
{
    return m->scn->pools[p->decl].name;
}

static int pool_slot(const struct machine *m, const struct kpool *p)
{
    return (int)(p - m->pools);
}

/* The pool t works for (a worker or result handler), or NULL. */
static struct kpool *pool_of_task(struct machine *m, const struct task *t)
{
    return t->pool_at > 0 ? pool_at(m, t->pool_at - 1) : NULL;
}

static int pool_new(struct machine *m)
{
    for (int i = 0; i < m->pool_cap; i++)
        if (m->pools[i].decl < 0)
            return i;
    int cap = m->pool_cap ? m->pool_cap * 2 : 4;
    struct kpool *np = realloc(m->pools, (size_t)cap * sizeof *np);
    if (!np)
        return -1;
    for (int i = m->pool_cap; i < cap; i++) {
        memset(&np[i], 0, sizeof np[i]);
        np[i].decl = -1;
    }
    m->pools = np;
    int slot = m->pool_cap;
    m->pool_cap = cap;
    return slot;
}

static int task_new(struct machine *m)
{
    if (m->ptk_free < 0) {
        int cap = m->ptk_cap ? m->ptk_cap * 2 : 64;
        struct pool_task *n = realloc(m->ptk, (size_t)cap * sizeof *n);
        if (!n)
            return -1;
        for (int i = cap - 1; i >= m->ptk_cap; i--) {
            n[i].next = m->ptk_free;
            n[i].job = -1;
            m->ptk_free = i;
        }
        m->ptk = n;
        m->ptk_cap = cap;
    }
    int s = m->ptk_free;
    struct pool_task *k = &m->ptk[s];
    m->ptk_free = k->next;
    memset(k, 0, sizeof *k);
    k->next = -1;
    k->exc = -1;
    k->args = k->result = v_none();
    return s;
}

static void task_free(struct machine *m, int s)
{
    struct pool_task *k = &m->ptk[s];
    k->job = -1;
    k->args = k->result = v_none();
    k->next = m->ptk_free;
    m->ptk_free = s;
}

static int job_new(struct machine *m)
{
    if (m->pjob_free < 0) {
        int cap = m->pjob_cap ? m->pjob_cap * 2 : 64;
        struct pool_job *n = realloc(m->pjobs, (size_t)cap * sizeof *n);
        if (!n)
            return -1;
        for (int i = cap - 1; i >= m->pjob_cap; i--) {
            memset(&n[i], 0, sizeof n[i]);
            n[i].next = m->pjob_free;
            m->pjob_free = i;
        }
        m->pjobs = n;
        m->pjob_cap = cap;
    }
    int s = m->pjob_free;
    struct pool_job *j = &m->pjobs[s];
    m->pjob_free = j->next;
    memset(j, 0, sizeof *j);
    j->id = ++m->pjob_serial;
    j->next = -1;
    j->exc = -1;
    j->cb = j->ecb = -1;
    j->value = v_none();
    j->wait_head = j->wait_tail = -1;
    m->npjobs++;
    return s;
}

static void job_free(struct machine *m, int s)
{
    struct pool_job *j = &m->pjobs[s];
    free(j->results);
    memset(j, 0, sizeof *j);
    j->next = m->pjob_free;
    m->pjob_free = s;
    m->npjobs--;
}

/* The job a handle names, or -1 (not a handle, or its job is gone). */
static int job_of(const struct machine *m, struct value v)
{
    if (v.type != V_HANDLE || v.ref >= (uint32_t)m->pjob_cap)
        return -1;
    return m->pjobs[v.ref].id == v_handle_id(v) ? (int)v.ref : -1;
}

static bool job_ready(const struct pool_job *j)
{
    return j->state == JOB_DONE || j->state == JOB_FAILED || j->state == JOB_CANCELLED;
}

/* The task queue and result queue: FIFO lists of pool_task slots. */
static void list_push(struct machine *m, int *head, int *tail, int *n, int s)
{
    m->ptk[s].next = -1;
    if (*tail >= 0)
        m->ptk[*tail].next = s;
    else
        *head = s;
    *tail = s;
    (*n)++;
}

static int list_pop(struct machine *m, int *head, int *tail, int *n)
{
    int s = *head;
    if (s < 0)
        return -1;
    *head = m->ptk[s].next;
    if (*head < 0)
        *tail = -1;
    m->ptk[s].next = -1;
    (*n)--;
    return s;
}

/* "f(4)" or "f chunk 0..3": what a task calls, for events. */
static void task_words(const struct machine *m, const struct pool_task *k, char *buf,
                       size_t size)
{
    const struct pool_job *j = &m->pjobs[k->job];
    const char *f = program_code(m, j->func)->name;
    if (j->kind != HK_MAP) {
        char args[80];
        v_format(&m->heap, k->args, true, args, sizeof args);
        size_t n = strlen(args);
        if (n >= 2 && args[n - 2] == ',' && args[n - 1] == ')')   /* (4,) -> (4) */
            memmove(args + n - 2, ")", 2);
        snprintf(buf, size, "%s%s", f, args);
        return;
    }
    if (k->n == 1) {
        uint32_t n;
        const struct value *items = v_items(&m->heap, k->args, &n);
        char item[80] = "?";
        if ((uint32_t)k->first < n)
            v_format(&m->heap, items[k->first], true, item, sizeof item);
        snprintf(buf, size, j->star ? "%s(*%s)" : "%s(%s)", f, item);
        return;
    }
    snprintf(buf, size, "%s on items %d..%d", f, k->first, k->first + k->n - 1);
}

/* ------------------------------------------------------------ waking */

static void wake_list(struct machine *m, int *head, int *tail)
{
    while (*head >= 0) {
        int s = *head;
        *head = m->tasks[s].wq_next;
        if (*head < 0)
            *tail = -1;
        m->tasks[s].wq_next = -1;
        struct task *w = &m->tasks[s];
        task_cancel_timer(m, w);
        task_wake(m, w, WHY_OBJ, 0);
    }
}

static void wait_on(struct machine *m, struct task *t, int *head, int *tail, int what,
                    int wobj, int64_t ticks)
{
    wq_push(m, head, tail, (int)(t - m->tasks));
    t->qwait = (uint8_t)what;
    t->wobj = wobj;
    task_block(m, t, 'S', WC_POOL, ticks);
}

void pool_unwait(struct machine *m, struct task *t)
{
    int s = (int)(t - m->tasks);
    struct kpool *p;
    switch (t->qwait) {
    case PW_GET:
        if (t->wobj >= 0 && t->wobj < m->pjob_cap) {
            struct pool_job *j = &m->pjobs[t->wobj];
            wq_remove(m, &j->wait_head, &j->wait_tail, s);
        }
        break;
    case PW_IDLE:
        if ((p = pool_at(m, t->wobj)))
            wq_remove(m, &p->idle_head, &p->idle_tail, s);
        break;
    case PW_JOIN:
        if ((p = pool_at(m, t->wobj)))
            wq_remove(m, &p->join_head, &p->join_tail, s);
        break;
    default:
        if ((p = pool_at(m, t->wobj)))
            p->h_waiting = false;
        break;
    }
}

bool pool_timed_out(struct machine *m, struct task *t)
{
    if (t->state != 'S' || t->wchan != WC_POOL || !t->timeout_at ||
        t->timeout_at > m->tick)
        return false;
    task_unwait(m, t);
    task_wake(m, t, WHY_TIMEOUT, 0);       /* the statement runs again */
    return true;
}

/* Somebody may be waiting for the pool to be done (join, terminate,
 * shutdown): look again. */
static void pool_changed(struct machine *m, struct kpool *p)
{
    wake_list(m, &p->join_head, &p->join_tail);
}

/* A task was queued: an idle worker takes it. Thread executors make a
 * worker when none is idle (_adjust_thread_count), elsewhere. */
static void wake_idle_worker(struct machine *m, struct kpool *p)
{
    if (p->idle_head < 0)
        return;
    int s = p->idle_head;
    wq_remove(m, &p->idle_head, &p->idle_tail, s);
    task_wake(m, &m->tasks[s], WHY_OBJ, 0);
}

static void wake_all_idle(struct machine *m, struct kpool *p)
{
    wake_list(m, &p->idle_head, &p->idle_tail);
}

/* ------------------------------------------------------------ jobs */

static void pool_recent(struct machine *m, struct kpool *p, int ts)
{
    int old = p->recent[POOL_RECENT - 1];
    memmove(p->recent + 1, p->recent, (POOL_RECENT - 1) * sizeof *p->recent);
    p->recent[0] = ts;
    if (old >= 0)
        task_free(m, old);
}

/* A job's last task is back: it is ready. Waiters wake. */
static void job_complete(struct machine *m, int js)
{
    struct pool_job *j = &m->pjobs[js];
    if (j->kind == HK_MAP && j->exc < 0) {
        struct value list;
        if (v_seq(&m->heap, V_LIST, j->results, (uint32_t)j->nitems, &list) != VE_OK) {
            j->exc = EXC_MEMORY;
            j->msg = "out of memory";
        } else {
            j->value = list;
        }
    }
    free(j->results);
    j->results = NULL;
    j->state = j->exc >= 0 ? JOB_FAILED : JOB_DONE;
    wake_list(m, &j->wait_head, &j->wait_tail);
}

/* The result of task ts came back to the owner: store it in its job.
 * True when the job is now complete. */
static bool job_take_result(struct machine *m, int ts)
{
    struct pool_task *k = &m->ptk[ts];
    struct pool_job *j = &m->pjobs[k->job];
    j->inflight--;
    if (j->kind == HK_MAP) {
        if (k->exc >= 0 && j->exc < 0) {    /* only the first exception */
            j->exc = k->exc;
            j->msg = k->msg;
        }
        return --j->chunks_left == 0;
    }
    j->exc = k->exc;
    j->msg = k->msg;
    j->value = k->exc >= 0 ? v_none() : k->result;
    return true;
}

/* The value a callback gets: the result, the exception's message, or the
 * future (a handle). */
static struct value callback_arg(struct machine *m, int js, bool failed)
{
    struct pool_job *j = &m->pjobs[js];
    if (j->kind == HK_FUTURE)
        return v_handle(HK_FUTURE, j->id, (uint32_t)js);
    if (!failed)
        return j->value;
    struct value s;
    const char *msg = j->msg ? j->msg : "";
    if (v_str(&m->heap, msg, strlen(msg), &s) != VE_OK)
        return v_none();
    return s;
}

/* ------------------------------------------------------------ workers */

static struct pool_worker *worker_of(struct machine *m, struct kpool *p, const struct task *t)
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
    p->w[p->nw] = (struct pool_worker){ .pid = pid, .tid = tid, .slot = slot, .task = -1 };
    struct task *wt = &m->tasks[slot];
    wt->pool_at = pool_slot(m, p) + 1;
    wt->pool_wi = p->nw;
    p->nw++;
    p->nlive++;
    return true;
}

/* Fork a worker process for pool p, as the owner's task `by`. Returns its
 * pid, or -1 (the fork failed; an event says why). */
static int fork_worker(struct machine *m, struct kpool *p, struct task *by)
{
    int pid = proc_fork(m, by, m->scn->pool_worker_prog[p->kind]);
    if (pid < 0)
        return -1;
    struct proc *cp = &m->procs[proc_slot(m, pid)];
    cp->daemon = cp->daemonic = true;      /* Pool workers are daemons */
    if (!add_worker(m, p, pid, pid, cp->main_task))
        return -1;
    return pid;
}

/* The thread executor makes a worker thread (ThreadPoolExecutor's
 * _adjust_thread_count): no worker is idle and fewer than max_workers
 * exist. */
static void adjust_threads(struct machine *m, struct kpool *p, struct task *by)
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
    /* TODO(cost): a thread costs thread_cost ticks (task_pay, helper "cost"). */
}

/* ProcessPoolExecutor: the first max_workers + 1 queued items are in the
 * call queue (EXTRA_QUEUED_CALLS): the manager set them running, so they
 * can no longer be cancelled. */
static void fill_call_queue(struct machine *m, struct kpool *p)
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
    if (j->kind == HK_MAP) {
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

/* Worker t has finished task ts (its result or exception is in it). */
static void finish_task(struct machine *m, struct kpool *p, struct task *t, int ts)
{
    struct pool_task *k = &m->ptk[ts];
    struct pool_worker *w = worker_of(m, p, t);
    char what[120];
    task_words(m, k, what, sizeof what);
    if (k->exc >= 0)
        emit_textf(m, EV_POOL, PL_RAISED, t, k->id, w ? w->tid : t->tid,
                   "worker %d: task %d (%s) raised %s%s%s", t->tid, k->id, what,
                   exc_name(k->exc), k->msg ? ": " : "", k->msg ? k->msg : "");
    else if (m->pjobs[k->job].kind == HK_MAP) {
        emit_textf(m, EV_POOL, PL_RESULT, t, k->id, t->tid,
                   "worker %d: task %d (%s) done", t->tid, k->id, what);
    } else {
        char r[80];
        v_format(&m->heap, k->result, true, r, sizeof r);
        emit_textf(m, EV_POOL, PL_RESULT, t, k->id, t->tid, "worker %d: task %d → %s",
                   t->tid, k->id, r);
    }
    if (w) {
        w->task = -1;
        w->done++;
    }
    if (p->kind != PK_THREADS) {
        list_push(m, &p->r_head, &p->r_tail, &p->nr, ts);
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
    bool complete = job_take_result(m, ts);
    p->completed++;
    pool_recent(m, p, ts);
    if (!complete) {
        pool_changed(m, p);
        return;
    }
    job_complete(m, js);
    struct pool_job *j = &m->pjobs[js];
    if (j->ndcb > 0) {
        j->inflight++;
        j->dcb_next = 1;
        p->h_task = -1;
        struct value arg = callback_arg(m, js, false);
        t->wobj = js;                      /* WPC_CB_DONE finds the job here */
        emit_textf(m, EV_POOL, PL_CALLBACK, t, k->id, t->tid,
                   "worker %d runs done callback %s of task %d", t->tid,
                   program_code(m, j->dcb[0])->name, k->id);
        t->pc = WPC_CB_DONE;
        task_call(m, t, j->dcb[0], &arg, 1, -1);
        return;
    }
    pool_changed(m, p);
}

/* A worker leaves: the pool is closed (sentinel), its owner is gone, or it
 * did maxtasksperchild tasks. A process exits 0, a thread ends. */
static void worker_exit(struct machine *m, struct task *t)
{
    if (t->tid != m->procs[t->proc].pid)
        thread_end(m, t);
    else
        proc_exit(m, t, 0);
}

/* PM_W_TAKE: a worker takes its next item or task, or waits, or exits. */
static void worker_take(struct machine *m, struct task *t, const struct insn *in)
{
    struct kpool *p = pool_of_task(m, t);
    struct pool_worker *w = p ? worker_of(m, p, t) : NULL;
    if (!w) {                              /* its pool is gone: EOF on the queue */
        worker_exit(m, t);
        return;
    }
    if (w->task >= 0) {                    /* the next item of its chunk */
        call_item(m, t, w->task, in);
        return;
    }
    if (p->kind == PK_POOL && p->maxtasks > 0 && w->done >= p->maxtasks && p->state == 'R') {
        /* maxtasksperchild: it exits; the worker handler forks another. */
        int old = t->tid;
        int64_t did = w->done;
        struct task *owner = &m->tasks[m->procs[p->owner_slot].main_task];
        int pid = fork_worker(m, p, owner);
        /* fork_worker may have grown p->w */
        emit_textf(m, EV_POOL, PL_REPLACE, t, old, pid,
                   "pool %s: worker %d did %lld task%s (maxtasksperchild): exits; "
                   "worker %d replaces it", pool_name(m, p), old, (long long)did,
                   did == 1 ? "" : "s", pid);
        worker_exit(m, t);
        return;
    }
    if (p->nq > 0 && p->state != 'T') {
        int ts = list_pop(m, &p->q_head, &p->q_tail, &p->nq);
        struct pool_task *k = &m->ptk[ts];
        struct pool_job *j = &m->pjobs[k->job];
        if (j->state == JOB_PENDING)
            j->state = JOB_RUNNING;
        w->task = ts;
        k->worker = t->tid;
        char what[120];
        task_words(m, k, what, sizeof what);
        emit_textf(m, EV_POOL, PL_TAKE, t, k->id, t->tid, "worker %d takes task %d (%s)",
                   t->tid, k->id, what);
        fill_call_queue(m, p);
        call_item(m, t, ts, in);
        return;
    }
    if (p->state != 'R') {                 /* closed and drained: the sentinel */
        emit_textf(m, EV_POOL, PL_WORKER_EXIT, t, t->tid, 0,
                   "pool %s: worker %d exits (%s)", pool_name(m, p), t->tid,
                   p->kind == PK_POOL ? "the pool is closed" : "the executor shut down");
        worker_exit(m, t);
        return;
    }
    wait_on(m, t, &p->idle_head, &p->idle_tail, PW_IDLE, pool_slot(m, p), -1);
}

/* PM_W_DONE: the call returned; the item's result is in the hidden
 * variable. Untimed. */
static void worker_done(struct machine *m, struct task *t)
{
    struct taskx *x = taskx_of(m, t);
    if (x && x->ntry > 0)
        x->ntry--;                         /* the worker's try block */
    t->pc = WPC_TRY;
    struct kpool *p = pool_of_task(m, t);
    struct pool_worker *w = p ? worker_of(m, p, t) : NULL;
    if (!w || w->task < 0)
        return;
    int ts = w->task;
    struct pool_task *k = &m->ptk[ts];
    struct pool_job *j = &m->pjobs[k->job];
    struct value r = *var_ref(m, t, m->scn->pool_ret_var);
    if (j->kind == HK_MAP && j->results)
        j->results[k->first + k->done] = r;
    else
        k->result = r;
    if (++k->done < k->n)
        return;
    finish_task(m, p, t, ts);
}

/* PM_W_FAIL: the call raised; the task ends with that exception (a
 * chunk's other items are not called: mapstar stops). Untimed. */
static void worker_fail(struct machine *m, struct task *t)
{
    struct taskx *x = taskx_of(m, t);
    int exc = x ? x->exc : EXC_EXCEPTION;
    const char *msg = x ? x->exc_msg : NULL;
    if (x)
        x->exc = -1;
    t->pc = WPC_TRY;
    struct kpool *p = pool_of_task(m, t);
    struct pool_worker *w = p ? worker_of(m, p, t) : NULL;
    if (!w || w->task < 0)
        return;
    struct pool_task *k = &m->ptk[w->task];
    k->exc = (int8_t)(exc < 0 ? EXC_EXCEPTION : exc);
    k->msg = msg;
    finish_task(m, p, t, w->task);
}

/* PM_H_CB_DONE in a thread worker: a done callback returned; the next one,
 * or back to work. Untimed. */
static void worker_cb_done(struct machine *m, struct task *t)
{
    int js = t->wobj;
    t->pc = WPC_TRY;
    if (js < 0 || js >= m->pjob_cap || !m->pjobs[js].id)
        return;
    struct pool_job *j = &m->pjobs[js];
    if (j->dcb_next < j->ndcb) {
        struct value arg = callback_arg(m, js, false);
        t->pc = WPC_CB_DONE;
        task_call(m, t, j->dcb[j->dcb_next++], &arg, 1, -1);
        return;
    }
    j->inflight--;
    struct kpool *p = pool_of_task(m, t);
    if (p)
        pool_changed(m, p);
}

/* ------------------------------------------------------------ the result handler */

/* Reap the pool's workers that have exited (CPython's worker handler and
 * join do: Popen.wait). True when every gone worker is reaped. */
static bool reap_workers(struct machine *m, struct kpool *p, struct task *t)
{
    bool all = true;
    for (int i = 0; i < p->nw; i++) {
        struct pool_worker *w = &p->w[i];
        if (!w->gone || w->reaped || p->kind == PK_THREADS)
            continue;
        int status;
        int r = proc_reap(m, t, w->pid, 0, &status);
        if (r == w->pid || r < 0)
            w->reaped = true;
        else
            all = false;
    }
    return all;
}

/* PM_H_TAKE: take one result a tick; run its callback. */
static void handler_take(struct machine *m, struct task *t)
{
    struct kpool *p = pool_of_task(m, t);
    if (!p) {
        task_block(m, t, 'S', WC_POOL, -1);     /* its pool is gone */
        t->qwait = PW_HANDLER;
        t->wobj = -1;
        return;
    }
    if (p->state == 'R')
        reap_workers(m, p, t);
    if (p->nr == 0 || p->state == 'T') {
        p->h_waiting = true;
        t->qwait = PW_HANDLER;
        t->wobj = pool_slot(m, p);
        task_block(m, t, 'S', WC_POOL, -1);
        return;
    }
    int ts = list_pop(m, &p->r_head, &p->r_tail, &p->nr);
    struct pool_task *k = &m->ptk[ts];
    int js = k->job;
    bool complete = job_take_result(m, ts);
    p->completed++;
    struct pool_job *j = &m->pjobs[js];
    char r[80] = "";
    if (k->exc >= 0)
        snprintf(r, sizeof r, "%s%s%s", exc_name(k->exc), k->msg ? ": " : "",
                 k->msg ? k->msg : "");
    else if (j->kind == HK_MAP)
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
    if (j->kind == HK_MAP)
        j->value = v_none();               /* built by job_complete */
    if (j->kind == HK_FUTURE || cb < 0)
        job_complete(m, js);               /* a future: set_result, then callbacks */
    if (cb < 0) {
        pool_changed(m, p);
        return;
    }
    if (j->kind == HK_MAP && !failed) {
        /* the callback gets the list: build it now (job_complete later) */
        struct value list;
        if (v_seq(&m->heap, V_LIST, j->results, (uint32_t)j->nitems, &list) == VE_OK)
            j->value = list;
    }
    j->inflight++;
    j->dcb_next = 1;
    p->h_task = js;
    struct value arg = callback_arg(m, js, failed);
    t->pc = 1;
    task_call(m, t, cb, &arg, 1, -1);
}

/* PM_H_CB_DONE: the callback returned: the job is ready (ApplyResult._set
 * sets the event after the callback), or the next done callback runs. */
static void handler_cb_done(struct machine *m, struct task *t)
{
    t->pc = 0;
    struct kpool *p = pool_of_task(m, t);
    if (!p || p->h_task < 0)
        return;
    int js = p->h_task;
    struct pool_job *j = &m->pjobs[js];
    if (j->kind == HK_FUTURE && j->dcb_next < j->ndcb) {
        struct value arg = callback_arg(m, js, false);
        t->pc = 1;
        task_call(m, t, j->dcb[j->dcb_next++], &arg, 1, -1);
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
            wake_list(m, &j->wait_head, &j->wait_tail);
        } else {
            job_complete(m, js);
        }
    }
    pool_changed(m, p);
}

/* ------------------------------------------------------------ the owner's statements */

/* The pool named by `in` in t's process, or NULL. */
static struct kpool *find_pool(struct machine *m, const struct task *t, int decl)
{
    for (int i = 0; i < m->pool_cap; i++) {
        struct kpool *p = &m->pools[i];
        if (p->decl == decl && p->owner_slot == t->proc && !p->retired)
            return p;
    }
    return NULL;
}

/* Drop the tasks still queued (terminate, owner gone): they never run.
 * Returns how many. */
static int drop_queue(struct machine *m, struct kpool *p, int *head, int *tail, int *n)
{
    int count = 0;
    int s;
    while ((s = list_pop(m, head, tail, n)) >= 0) {
        m->pjobs[m->ptk[s].job].inflight--;
        task_free(m, s);
        count++;
    }
    (void)p;
    return count;
}

/* SIGTERM to every live worker process of p. */
static void term_workers(struct machine *m, struct kpool *p, int from_pid)
{
    for (int i = 0; i < p->nw; i++) {
        struct pool_worker *w = &p->w[i];
        int ps = w->gone ? -1 : proc_slot(m, w->pid);
        if (ps >= 0 && p->kind != PK_THREADS)
            signal_send(m, from_pid, ps, SIG_TERM);
    }
}

/* The pool record goes: its tasks are dropped, its jobs forget it, its
 * workers and handler no longer find it. */
static void pool_release(struct machine *m, struct kpool *p)
{
    drop_queue(m, p, &p->q_head, &p->q_tail, &p->nq);
    drop_queue(m, p, &p->r_head, &p->r_tail, &p->nr);
    for (int i = 0; i < POOL_RECENT; i++)
        if (p->recent[i] >= 0)
            task_free(m, p->recent[i]);
    int slot = pool_slot(m, p);
    for (int i = 0; i < p->nw; i++) {
        struct pool_worker *w = &p->w[i];
        if (w->gone || w->slot < 0)
            continue;
        struct task *wt = &m->tasks[w->slot];
        if (w->task >= 0) {
            m->pjobs[m->ptk[w->task].job].inflight--;
            task_free(m, w->task);
        }
        wt->pool_at = 0;
        if (wt->state == 'S' && wt->wchan == WC_POOL) {
            task_unwait(m, wt);
            task_wake(m, wt, WHY_OBJ, 0);
        }
    }
    if (p->h_slot >= 0) {
        struct task *h = &m->tasks[p->h_slot];
        h->pool_at = 0;
        if (h->state == 'S' && h->wchan == WC_POOL)
            task_unwait(m, h);
    }
    wake_list(m, &p->idle_head, &p->idle_tail);
    wake_list(m, &p->join_head, &p->join_tail);
    for (int j = 0; j < m->pjob_cap; j++)
        if (m->pjobs[j].id && m->pjobs[j].pool == slot)
            m->pjobs[j].pool = -1;
    free(p->w);
    memset(p, 0, sizeof *p);
    p->decl = -1;
}

/* Fork the next worker process of p (one a tick: each fork takes the
 * creating task's CPU), and with the last one start the owner's result
 * handler thread. True when all are there. */
static bool start_processes(struct machine *m, struct kpool *p, struct task *t)
{
    if (p->nstarted < p->nwant) {
        /* TODO(cost): pay fork_cost here, once helper "cost" lands on main:
         *     if (!task_pay(m, t, cost_ticks(m, COST_FORK))) return false;
         * (the default cost is this one tick). */
        int pid = fork_worker(m, p, t);
        p->nstarted++;
        if (pid > 0)
            emit_textf(m, EV_POOL, PL_FORK_WORKER, t, pid, p->nstarted,
                       "pid %d makes %s %s: forks worker %d (%d of %d)",
                       m->procs[t->proc].pid, p->kind == PK_POOL ? "pool" : "executor",
                       pool_name(m, p), pid, p->nstarted, p->nwant);
        if (p->nstarted < p->nwant)
            return false;
    }
    if (p->h_slot < 0) {
        int tid = thread_create(m, t, m->scn->pool_handler_prog[p->kind], true);
        for (int s = m->procs[t->proc].main_task; tid > 0 && s >= 0; s = m->tasks[s].next_thread)
            if (m->tasks[s].tid == tid) {
                p->h_slot = s;
                p->h_tid = tid;
                m->tasks[s].pool_at = pool_slot(m, p) + 1;
                m->tasks[s].pool_wi = -1;
            }
    }
    p->creating = false;
    return true;
}

/* PM_NEW: `pool p N` forks its workers, a tick each, then starts the
 * result handler thread; an executor is made in one tick (its workers
 * come with the submits). */
static void pool_make(struct machine *m, struct task *t, const struct insn *in)
{
    const struct pooldecl *d = &m->scn->pools[in->obj];
    struct kpool *p = find_pool(m, t, in->obj);
    if (!p || !p->creating) {
        int64_t n = d->kind == PK_THREADS ? (m->cfg.cpus + 4 < 32 ? m->cfg.cpus + 4 : 32)
                                          : m->cfg.cpus;
        int64_t maxtasks = 0;
        if (in->e1 && !expr_int(m, t, in->e1, &n))
            return;
        if (in->e2 && !expr_int(m, t, in->e2, &maxtasks))
            return;
        if (n < 1) {
            task_raise(m, t, in->pos, EXC_VALUE, d->kind == PK_POOL
                       ? "Number of processes must be at least 1"
                       : "max_workers must be greater than 0");
            return;
        }
        if (in->e2 && maxtasks < 1) {
            task_raise(m, t, in->pos, EXC_VALUE, "maxtasksperchild must be a positive int "
                       "or None");
            return;
        }
        if (n > m->cfg.max_procs)
            n = m->cfg.max_procs;
        if (p) {        /* the name is bound again: the old pool is dropped */
            p->retired = true;
            if (p->kind == PK_POOL && p->state == 'R') {
                p->state = 'T';
                term_workers(m, p, m->procs[t->proc].pid);
            }
        }
        int slot = pool_new(m);
        if (slot < 0) {
            machine_fail(m, in->pos, "out of memory");
            return;
        }
        p = &m->pools[slot];
        memset(p, 0, sizeof *p);
        p->decl = in->obj;
        p->kind = d->kind;
        p->owner = m->procs[t->proc].pid;
        p->owner_slot = t->proc;
        p->state = 'R';
        p->nwant = (int)n;
        p->maxtasks = maxtasks;
        p->q_head = p->q_tail = p->r_head = p->r_tail = -1;
        p->idle_head = p->idle_tail = p->join_head = p->join_tail = -1;
        p->h_slot = -1;
        p->h_task = -1;
        for (int i = 0; i < POOL_RECENT; i++)
            p->recent[i] = -1;
        p->creating = d->kind == PK_POOL;
        if (!p->creating) {
            t->pc++;
            return;
        }
    }
    if (start_processes(m, p, t))
        t->pc++;
}

/* The pool a method statement names, running, or NULL after an exception
 * (ValueError: Pool not running; RuntimeError after shutdown). */
static struct kpool *running_pool(struct machine *m, struct task *t, const struct insn *in)
{
    struct kpool *p = find_pool(m, t, in->obj);
    if (!p) {
        machine_fail(m, in->pos, "pid %d has no %s '%s': the statement that makes it "
                     "has not run in this process", m->procs[t->proc].pid,
                     kind_names[m->scn->pools[in->obj].kind], m->scn->pools[in->obj].name);
        return NULL;
    }
    if (p->state != 'R') {
        if (p->kind == PK_POOL)
            task_raise(m, t, in->pos, EXC_VALUE, "Pool not running");
        else
            task_raise(m, t, in->pos, EXC_RUNTIME, "cannot schedule new futures after "
                       "shutdown");
        return NULL;
    }
    return p;
}

/* Queue task ts of pool p (submitted by t). */
static void queue_task(struct machine *m, struct kpool *p, struct task *t, int ts)
{
    struct pool_task *k = &m->ptk[ts];
    char what[120];
    task_words(m, k, what, sizeof what);
    list_push(m, &p->q_head, &p->q_tail, &p->nq, ts);
    m->pjobs[k->job].inflight++;
    p->submitted++;
    if (p->kind == PK_THREADS)
        adjust_threads(m, p, t);
    int busy = 0;
    for (int i = 0; i < p->nw; i++)
        busy += !p->w[i].gone && p->w[i].task >= 0;
    emit_textf(m, EV_POOL, PL_SUBMIT, t, k->id, k->n, "pid %d submits task %d (%s) to %s",
               m->procs[t->proc].pid, k->id, what, pool_name(m, p));
    if (p->idle_head >= 0)
        wake_idle_worker(m, p);
    else if (p->nlive > 0 && busy >= p->nlive)
        emit_textf(m, EV_POOL, PL_WAITS, t, k->id, busy,
                   "pool %s: task %d waits for a free worker (%d busy)", pool_name(m, p),
                   k->id, busy);
    fill_call_queue(m, p);
}

/* apply_async / submit: one task calling PROG(args). */
static void submit_call(struct machine *m, struct task *t, const struct insn *in)
{
    struct kpool *p = running_pool(m, t, in);
    if (!p)
        return;
    if (p->kind == PK_PROCESSES && (p->nstarted < p->nwant || p->h_slot < 0) &&
        !start_processes(m, p, t))
        return;                            /* the first submit forks them all */
    struct value args[MAX_PARAMS], tuple;
    for (int i = 0; i < in->argc; i++)
        if (!expr_value(m, t, in->argv[i], &args[i]))
            return;
    enum verr e = v_seq(&m->heap, V_TUPLE, args, (uint32_t)in->argc, &tuple);
    int js = e == VE_OK ? job_new(m) : -1;
    int ts = js >= 0 ? task_new(m) : -1;
    if (ts < 0) {
        machine_fail(m, in->pos, "out of memory");
        return;
    }
    struct pool_job *j = &m->pjobs[js];
    j->pool = pool_slot(m, p);
    j->kind = p->kind == PK_POOL ? HK_APPLY : HK_FUTURE;
    j->func = in->prog;
    j->cb = in->cb;
    j->ecb = in->ecb;
    j->task0 = p->ntasks++;
    j->nitems = 1;
    j->chunks_left = 1;
    struct pool_task *k = &m->ptk[ts];
    k->job = js;
    k->id = j->task0;
    k->n = 1;
    k->args = tuple;
    k->func = j->func;
    queue_task(m, p, t, ts);
    set_result_value(m, t, in->var, v_handle(j->kind, j->id, (uint32_t)js));
    t->pc++;
}

/* map_async / starmap_async (and map, starmap: then a get), the
 * executor's map: the items in chunks, a chunk a task. */
static void submit_map(struct machine *m, struct task *t, const struct insn *in)
{
    struct kpool *p = running_pool(m, t, in);
    if (!p)
        return;
    if (p->kind == PK_PROCESSES && (p->nstarted < p->nwant || p->h_slot < 0) &&
        !start_processes(m, p, t))
        return;
    struct value items;
    if (!expr_value(m, t, in->e1, &items))
        return;
    if (items.type != V_TUPLE && items.type != V_LIST) {
        task_raise(m, t, in->pos, EXC_TYPE, "the items of a map must be a list or a tuple "
                   "('int' object is not iterable)");
        return;
    }
    uint32_t len;
    v_items(&m->heap, items, &len);
    int64_t cs = 1;
    if (in->e2) {
        if (!expr_int(m, t, in->e2, &cs))
            return;
        if (cs < 1) {
            task_raise(m, t, in->pos, EXC_VALUE, "Chunksize must be 1+");
            return;
        }
    } else if (p->kind == PK_POOL) {
        /* Pool._map_async: chunksize, extra = divmod(len, len(pool) * 4) */
        cs = len / ((int64_t)p->nwant * 4);
        if (len % ((int64_t)p->nwant * 4))
            cs++;
    }
    int js = job_new(m);
    if (js < 0) {
        machine_fail(m, in->pos, "out of memory");
        return;
    }
    struct pool_job *j = &m->pjobs[js];
    j->pool = pool_slot(m, p);
    j->kind = HK_MAP;
    j->star = in->method == PM_STARMAP_ASYNC;
    j->func = in->prog;
    j->cb = in->cb;
    j->ecb = in->ecb;
    j->task0 = p->ntasks;
    j->nitems = (int)len;
    p->ntasks += (int)len;
    set_result_value(m, t, in->var, v_handle(HK_MAP, j->id, (uint32_t)js));
    t->pc++;
    if (len == 0) {                        /* MapResult of nothing: ready, [] */
        job_complete(m, js);
        return;
    }
    j->results = calloc(len, sizeof *j->results);
    if (!j->results) {
        machine_fail(m, in->pos, "out of memory");
        return;
    }
    for (uint32_t i = 0; i < len; i++)
        j->results[i] = v_none();
    for (int64_t first = 0; first < len; first += cs) {
        int ts = task_new(m);
        if (ts < 0) {
            machine_fail(m, in->pos, "out of memory");
            return;
        }
        j = &m->pjobs[js];
        struct pool_task *k = &m->ptk[ts];
        k->job = js;
        k->id = j->task0 + (int)first;
        k->first = (int)first;
        k->n = (int)(first + cs <= len ? cs : len - first);
        k->args = items;
        k->func = j->func;
        k->map = true;
        j->chunks_left++;
        queue_task(m, p, t, ts);
    }
}

/* Is p done: every worker gone, every result handled? Reaps the worker
 * processes (as join does) when they are. */
static bool pool_done(struct machine *m, struct kpool *p, struct task *t)
{
    if (p->nlive > 0 || (p->state != 'T' && (p->nr > 0 || p->h_task >= 0)))
        return false;
    return reap_workers(m, p, t);
}

static void wait_done(struct machine *m, struct kpool *p, struct task *t)
{
    /* A worker that exited this tick is reapable from the next. */
    wait_on(m, t, &p->join_head, &p->join_tail, PW_JOIN, pool_slot(m, p),
            p->nlive == 0 ? 0 : -1);
}

static void emit_joined(struct machine *m, struct kpool *p, struct task *t, const char *how)
{
    emit_textf(m, EV_POOL, PL_JOINED, t, 0, 0, "pid %d: %s of %s returns (%d worker%s "
               "gone)", m->procs[t->proc].pid, how, pool_name(m, p), p->nw,
               p->nw == 1 ? "" : "s");
}

/* close, join, terminate; shutdown. */
static void pool_lifecycle(struct machine *m, struct task *t, const struct insn *in)
{
    struct kpool *p = find_pool(m, t, in->obj);
    if (!p) {
        machine_fail(m, in->pos, "pid %d has no %s '%s': the statement that makes it "
                     "has not run in this process", m->procs[t->proc].pid,
                     kind_names[m->scn->pools[in->obj].kind], m->scn->pools[in->obj].name);
        return;
    }
    int me = m->procs[t->proc].pid;
    switch (in->method) {
    case PM_CLOSE:
        if (p->state == 'R') {
            p->state = 'C';
            emit_textf(m, EV_POOL, PL_CLOSE, t, p->nq, 0, "pid %d closes pool %s: no new "
                       "tasks; its workers exit once the %d queued are done", me,
                       pool_name(m, p), p->nq);
            wake_all_idle(m, p);
        }
        t->pc++;
        return;
    case PM_JOIN:
        if (p->state == 'R') {
            task_raise(m, t, in->pos, EXC_VALUE, "Pool is still running");
            return;
        }
        if (!pool_done(m, p, t)) {
            wait_done(m, p, t);
            return;
        }
        emit_joined(m, p, t, "join");
        t->pc++;
        return;
    case PM_TERMINATE:
        if (p->state != 'T') {
            int never = drop_queue(m, p, &p->q_head, &p->q_tail, &p->nq);
            for (int i = 0; i < p->nw; i++)
                never += !p->w[i].gone && p->w[i].task >= 0;
            p->state = 'T';
            emit_textf(m, EV_POOL, PL_TERMINATE, t, never, 0, "pid %d terminates pool %s: "
                       "%d task%s never finish%s", me, pool_name(m, p), never,
                       never == 1 ? "" : "s", never == 1 ? "es" : "");
            drop_queue(m, p, &p->r_head, &p->r_tail, &p->nr);
            term_workers(m, p, me);
        }
        if (!pool_done(m, p, t)) {
            wait_done(m, p, t);
            return;
        }
        emit_joined(m, p, t, "terminate");
        t->pc++;
        return;
    default:                               /* PM_SHUTDOWN */
        if (p->state == 'R') {
            p->state = 'C';
            int cancelled = 0;
            if (in->flags & INSN_CANCEL_FUTURES) {
                /* cancel_futures=True: the items not yet running */
                int keep_head = -1, keep_tail = -1, keep_n = 0, s;
                while ((s = list_pop(m, &p->q_head, &p->q_tail, &p->nq)) >= 0) {
                    struct pool_job *j = &m->pjobs[m->ptk[s].job];
                    if (j->state != JOB_PENDING) {
                        list_push(m, &keep_head, &keep_tail, &keep_n, s);
                        continue;
                    }
                    j->inflight--;
                    j->state = JOB_CANCELLED;
                    wake_list(m, &j->wait_head, &j->wait_tail);
                    task_free(m, s);
                    cancelled++;
                }
                p->q_head = keep_head;
                p->q_tail = keep_tail;
                p->nq = keep_n;
            }
            emit_textf(m, EV_POOL, PL_CLOSE, t, cancelled, 0, "pid %d shuts down executor "
                       "%s%s", me, pool_name(m, p),
                       cancelled ? " (pending futures cancelled)" : "");
            wake_all_idle(m, p);
        }
        if (!(in->flags & INSN_NOWAIT) && !pool_done(m, p, t)) {
            wait_done(m, p, t);
            return;
        }
        if (!(in->flags & INSN_NOWAIT))
            emit_joined(m, p, t, "shutdown");
        t->pc++;
        return;
    }
}

/* ------------------------------------------------------------ handles */

/* The job of the handle in in->e2 for this method, or -1 after an
 * exception (not a handle: AttributeError, which procsim raises as
 * TypeError). */
static int handle_job(struct machine *m, struct task *t, const struct insn *in,
                      const struct expr *e, int method)
{
    struct value v;
    if (!expr_value(m, t, e, &v))
        return -1;
    int js = job_of(m, v);
    bool future = method >= PM_RESULT && method <= PM_ADD_DONE_CB;
    if (js < 0 || (m->pjobs[js].kind == HK_FUTURE) != future) {
        static const char *const msgs[2][2] = {
            { "this object has no method get/wait/ready/successful (an AsyncResult's; "
              "AttributeError in Python)",
              "this object has no method result/exception/cancel/add_done_callback/done/"
              "running/cancelled (a Future's; AttributeError in Python)" },
            { "a Future has no get/wait/ready/successful: use result, exception, done "
              "(AttributeError in Python)",
              "an AsyncResult has no result/exception/cancel/add_done_callback/done/"
              "running/cancelled: use get, wait, ready (AttributeError in Python)" } };
        task_raise(m, t, in ? in->pos : e->pos, EXC_TYPE, msgs[js >= 0][future]);
        return -1;
    }
    return js;
}

/* get / wait / result / exception: wait until the job is ready (or the
 * timeout comes), then give its result. */
static void handle_wait(struct machine *m, struct task *t, const struct insn *in)
{
    int js = handle_job(m, t, in, in->e2, in->method);
    if (js < 0)
        return;
    struct pool_job *j = &m->pjobs[js];
    if (!job_ready(j)) {
        int64_t left = procobj_deadline(m, t, in->timeout);
        if (left != 0) {
            wait_on(m, t, &j->wait_head, &j->wait_tail, PW_GET, js, left);
            return;
        }
        procobj_wait_done(t);
        if (in->method == PM_WAIT) {       /* wait(timeout) just returns */
            t->pc++;
            return;
        }
        task_raise(m, t, in->pos, in->method == PM_GET ? EXC_POOL_TIMEOUT : EXC_TIMEOUT,
                   NULL);
        return;
    }
    procobj_wait_done(t);
    switch (in->method) {
    case PM_WAIT:
        t->pc++;
        return;
    case PM_EXCEPTION:
        if (j->state == JOB_CANCELLED) {
            task_raise(m, t, in->pos, EXC_CANCELLED, NULL);
            return;
        }
        set_result_value(m, t, in->var, j->exc >= 0 ? callback_arg(m, js, true) : v_none());
        t->pc++;
        return;
    default:                               /* get, result */
        if (j->state == JOB_CANCELLED) {
            task_raise(m, t, in->pos, EXC_CANCELLED, NULL);
            return;
        }
        if (j->exc >= 0) {
            task_raise(m, t, in->pos, j->exc, j->msg);
            return;
        }
        set_result_value(m, t, in->var, j->value);
        t->pc++;
        return;
    }
}

/* fu.cancel [-> ok]: only a future still queued (not running) can be
 * cancelled. */
static void handle_cancel(struct machine *m, struct task *t, const struct insn *in)
{
    int js = handle_job(m, t, in, in->e2, PM_CANCEL);
    if (js < 0)
        return;
    struct pool_job *j = &m->pjobs[js];
    bool ok = j->state == JOB_CANCELLED;
    if (j->state == JOB_PENDING) {
        struct kpool *p = pool_at(m, j->pool);
        int prev = -1;
        for (int s = p ? p->q_head : -1; s >= 0; prev = s, s = m->ptk[s].next) {
            if (m->ptk[s].job != js)
                continue;
            if (prev >= 0)
                m->ptk[prev].next = m->ptk[s].next;
            else
                p->q_head = m->ptk[s].next;
            if (p->q_tail == s)
                p->q_tail = prev;
            p->nq--;
            task_free(m, s);
            j->inflight--;
            break;
        }
        j->state = JOB_CANCELLED;
        wake_list(m, &j->wait_head, &j->wait_tail);
        ok = true;
    }
    emit_textf(m, EV_POOL, PL_CANCEL, t, j->task0, ok, "pid %d cancels future %lld: %s",
               m->procs[t->proc].pid, (long long)j->id,
               ok ? "cancelled, it never runs" : "too late, it is running or done");
    set_result_value(m, t, in->var, v_bool(ok));
    t->pc++;
}

/* fu.add_done_callback cb: run at once (in this thread) when the future is
 * done, else when it completes. */
static void handle_add_cb(struct machine *m, struct task *t, const struct insn *in)
{
    int js = handle_job(m, t, in, in->e2, PM_ADD_DONE_CB);
    if (js < 0)
        return;
    struct pool_job *j = &m->pjobs[js];
    t->pc++;
    if (job_ready(j)) {
        struct value arg = v_handle(HK_FUTURE, j->id, (uint32_t)js);
        task_call(m, t, in->cb, &arg, 1, -1);
        return;
    }
    if (j->ndcb == POOL_MAX_DONE_CB) {
        machine_fail(m, in->pos, "procsim keeps at most %d done callbacks a future",
                     POOL_MAX_DONE_CB);
        return;
    }
    j->dcb[j->ndcb++] = in->cb;
}

bool pool_eval(struct machine *m, struct task *t, const struct expr *e, struct value *out)
{
    int method = e->num <= HQ_SUCCESSFUL ? PM_GET : PM_RESULT;
    int js = handle_job(m, t, NULL, e->a, method);
    if (js < 0)
        return false;
    const struct pool_job *j = &m->pjobs[js];
    switch (e->num) {
    case HQ_SUCCESSFUL:
        if (!job_ready(j)) {
            task_raise(m, t, e->pos, EXC_VALUE, "<AsyncResult> not ready");
            return false;
        }
        *out = v_bool(j->exc < 0);
        return true;
    case HQ_RUNNING:
        *out = v_bool(j->state == JOB_RUNNING);
        return true;
    case HQ_CANCELLED:
        *out = v_bool(j->state == JOB_CANCELLED);
        return true;
    default:                               /* ready, done */
        *out = v_bool(job_ready(j));
        return true;
    }
}

/* ------------------------------------------------------------ dispatch */

bool pool_op(struct machine *m, struct task *t, const struct insn *in)
{
    switch (in->method) {
    case PM_NEW:
        pool_make(m, t, in);
        return false;
    case PM_APPLY_ASYNC:
    case PM_SUBMIT:
        submit_call(m, t, in);
        return false;
    case PM_MAP_ASYNC:
    case PM_STARMAP_ASYNC:
    case PM_EXMAP:
        submit_map(m, t, in);
        return false;
    case PM_CLOSE:
    case PM_JOIN:
    case PM_TERMINATE:
    case PM_SHUTDOWN:
        pool_lifecycle(m, t, in);
        return false;
    case PM_GET:
    case PM_WAIT:
    case PM_RESULT:
    case PM_EXCEPTION:
        handle_wait(m, t, in);
        return false;
    case PM_CANCEL:
        handle_cancel(m, t, in);
        return false;
    case PM_ADD_DONE_CB:
        handle_add_cb(m, t, in);
        return false;
    case PM_W_TAKE:
        worker_take(m, t, in);
        return false;
    case PM_W_DONE:
        worker_done(m, t);
        return m->status == MS_RUNNING;
    case PM_W_FAIL:
        worker_fail(m, t);
        return m->status == MS_RUNNING;
    case PM_H_TAKE:
        handler_take(m, t);
        return false;
    case PM_H_CB_DONE:
        if (t->pool_at > 0 && t->pool_wi >= 0)
            worker_cb_done(m, t);
        else
            handler_cb_done(m, t);
        return m->status == MS_RUNNING;
    default:
        machine_fail(m, in->pos, "this pool statement is not supported yet");
        return false;
    }
}

/* ------------------------------------------------------------ life and death */

void pools_proc_exit(struct machine *m, int ps)
{
    for (int i = 0; i < m->pool_cap; i++) {
        struct kpool *p = &m->pools[i];
        if (p->decl < 0)
            continue;
        if (p->owner_slot == ps) {
            pool_release(m, p);
            continue;
        }
        if (p->kind == PK_THREADS)
            continue;
        for (int k = 0; k < p->nw; k++) {
            struct pool_worker *w = &p->w[k];
            if (w->gone || w->slot < 0 || m->tasks[w->slot].proc != ps)
                continue;
            /* A worker dies (exit, a signal): the task it ran is lost, as
             * in CPython 3.11 (its get waits for ever). */
            if (w->task >= 0) {
                m->pjobs[m->ptk[w->task].job].inflight--;
                task_free(m, w->task);
                w->task = -1;
            }
            m->tasks[w->slot].pool_at = 0;
            w->gone = true;
            w->slot = -1;
            p->nlive--;
            pool_changed(m, p);
        }
    }
}

void pools_thread_end(struct machine *m, struct task *t)
{
    struct kpool *p = pool_of_task(m, t);
    if (!p)
        return;
    int s = (int)(t - m->tasks);
    if (p->h_slot == s) {
        p->h_slot = -1;
        p->h_waiting = false;
    }
    struct pool_worker *w = t->pool_wi >= 0 ? worker_of(m, p, t) : NULL;
    if (w && w->slot == s) {
        if (w->task >= 0) {
            m->pjobs[m->ptk[w->task].job].inflight--;
            task_free(m, w->task);
            w->task = -1;
        }
        w->gone = w->reaped = true;
        w->slot = -1;
        p->nlive--;
        pool_changed(m, p);
    }
    t->pool_at = 0;
}

void pools_main_ending(struct machine *m, int ps)
{
    for (int i = 0; i < m->pool_cap; i++) {
        struct kpool *p = &m->pools[i];
        if (p->decl < 0 || p->owner_slot != ps || p->kind != PK_THREADS || p->state != 'R')
            continue;
        p->state = 'C';        /* _python_exit: the workers finish the queue */
        wake_all_idle(m, p);
    }
}

const char *pool_wchan(const struct machine *m, const struct task *t)
{
    if (t->qwait == PW_GET) {
        const struct pool_job *j = t->wobj >= 0 && t->wobj < m->pjob_cap ? &m->pjobs[t->wobj]
                                                                        : NULL;
        if (!j || j->pool < 0 || j->pool >= m->pool_cap || m->pools[j->pool].decl < 0)
            return "result";
        return m->scn->pools[m->pools[j->pool].decl].name;
    }
    if (t->wobj >= 0 && t->wobj < m->pool_cap && m->pools[t->wobj].decl >= 0)
        return m->scn->pools[m->pools[t->wobj].decl].name;
    return "pool";
}

/* ------------------------------------------------------------ collection */

static void mark_handle(void *ctx, struct value v)
{
    struct machine *m = ctx;
    int js = job_of(m, v);
    if (js >= 0)
        m->pjobs[js].marked = true;
}

void pools_mark(struct machine *m)
{
    struct vheap *h = &m->heap;
    h->mark_handle = mark_handle;
    h->mark_ctx = m;
    for (int s = 0; s < m->ptk_cap; s++)
        if (m->ptk[s].job >= 0) {
            vheap_mark(h, m->ptk[s].args);
            vheap_mark(h, m->ptk[s].result);
        }
    for (int s = 0; s < m->pjob_cap; s++) {
        struct pool_job *j = &m->pjobs[s];
        if (!j->id)
            continue;
        vheap_mark(h, j->value);
        for (int i = 0; j->results && i < j->nitems; i++)
            vheap_mark(h, j->results[i]);
    }
}

void pools_sweep(struct machine *m)
{
    m->heap.mark_handle = NULL;
    m->heap.mark_ctx = NULL;
    for (int s = 0; s < m->pjob_cap; s++) {
        struct pool_job *j = &m->pjobs[s];
        if (!j->id)
            continue;
        if (!j->marked && j->inflight <= 0 && j->wait_head < 0)
            job_free(m, s);
        else
            j->marked = false;
    }
    m->pjobs_at_gc = m->npjobs;
}

bool pools_gc_due(const struct machine *m)
{
    return m->npjobs > 1024 && m->npjobs > 2 * m->pjobs_at_gc;
}

/* ------------------------------------------------------------ copies */

void pools_free(struct machine *m)
{
    for (int i = 0; i < m->pool_cap; i++)
        free(m->pools[i].w);
    for (int i = 0; i < m->pjob_cap; i++)
        free(m->pjobs[i].results);
    free(m->pools);
    free(m->pjobs);
    free(m->ptk);
}

bool pools_clone(struct machine *dst, const struct machine *src)
{
    bool ok = true;
    dst->pools = NULL;
    dst->pjobs = NULL;
    dst->ptk = NULL;
    if (src->pool_cap) {
        dst->pools = malloc((size_t)src->pool_cap * sizeof *dst->pools);
        ok = dst->pools != NULL;
        if (ok) {
            memcpy(dst->pools, src->pools, (size_t)src->pool_cap * sizeof *dst->pools);
            for (int i = 0; i < src->pool_cap; i++)
                dst->pools[i].w = NULL;
        }
        for (int i = 0; ok && i < src->pool_cap; i++) {
            struct kpool *p = &dst->pools[i];
            if (!src->pools[i].w || !src->pools[i].wcap)
                continue;
            p->w = malloc((size_t)p->wcap * sizeof *p->w);
            ok = p->w != NULL;
            if (ok)
                memcpy(p->w, src->pools[i].w, (size_t)p->wcap * sizeof *p->w);
        }
    }
    if (ok && src->pjob_cap) {
        dst->pjobs = malloc((size_t)src->pjob_cap * sizeof *dst->pjobs);
        ok = dst->pjobs != NULL;
        if (ok) {
            memcpy(dst->pjobs, src->pjobs, (size_t)src->pjob_cap * sizeof *dst->pjobs);
            for (int i = 0; i < src->pjob_cap; i++)
                dst->pjobs[i].results = NULL;
        }
        for (int i = 0; ok && i < src->pjob_cap; i++) {
            struct pool_job *j = &dst->pjobs[i];
            const struct pool_job *sj = &src->pjobs[i];
            if (!sj->results)
                continue;
            j->results = malloc((size_t)sj->nitems * sizeof *j->results);
            ok = j->results != NULL;
            if (ok)
                memcpy(j->results, sj->results, (size_t)sj->nitems * sizeof *j->results);
        }
    } else if (!ok) {
        dst->pjob_cap = 0;
    }
    if (ok && src->ptk_cap) {
        dst->ptk = malloc((size_t)src->ptk_cap * sizeof *dst->ptk);
        ok = dst->ptk != NULL;
        if (ok)
            memcpy(dst->ptk, src->ptk, (size_t)src->ptk_cap * sizeof *dst->ptk);
    }
    if (!ok) {                 /* leave dst freeable */
        if (!dst->pjobs)
            dst->pjob_cap = 0;
        if (!dst->pools)
            dst->pool_cap = 0;
    }
    return ok;
}

/* ------------------------------------------------------------ snapshot */

static void snap_job_fill(const struct machine *m, const struct pool_task *k,
                          struct snap_job *o)
{
    memset(o, 0, sizeof *o);
    o->id = k->id;
    snprintf(o->func, sizeof o->func, "%s", program_code(m, k->func)->name);
    if (k->map)
        snprintf(o->args, sizeof o->args, "chunk: items %d..%d", k->first,
                 k->first + k->n - 1);
    else
        v_format(&m->heap, k->args, true, o->args, sizeof o->args);
    o->worker = k->worker;
    o->state = k->done == k->n ? JOB_DONE : k->worker ? JOB_RUNNING : JOB_PENDING;
    if (k->exc >= 0) {
        snprintf(o->result, sizeof o->result, "%s%s%s", exc_name(k->exc),
                 k->msg ? ": " : "", k->msg ? k->msg : "");
        o->state = JOB_FAILED;
    } else if (k->map && k->done == k->n) {
        snprintf(o->result, sizeof o->result, "%d result%s", k->n, k->n == 1 ? "" : "s");
    } else if (k->done == k->n) {
        v_format(&m->heap, k->result, true, o->result, sizeof o->result);
    }
}

void pools_snapshot(const struct machine *m, struct snapshot *out)
{
    out->npools = 0;
    int n = 0;
    for (int i = 0; i < m->pool_cap; i++)
        n += m->pools[i].decl >= 0;
    if (n > out->poolcap) {
        struct snap_pool *np = realloc(out->pools, (size_t)n * sizeof *np);
        if (!np)
            return;
        out->pools = np;
        out->poolcap = n;
    }
    for (int i = 0; i < m->pool_cap; i++) {
        const struct kpool *p = &m->pools[i];
        if (p->decl < 0)
            continue;
        struct snap_pool *o = &out->pools[out->npools++];
        memset(o, 0, sizeof *o);
        o->kind = (enum snap_pool_kind)p->kind;
        snprintf(o->name, sizeof o->name, "%s", m->scn->pools[p->decl].name);
        o->owner = p->owner;
        o->state = p->state == 'R' ? 'R' : p->nlive == 0 && p->nw > 0 ? 'J' : p->state;
        o->handler_tid = p->h_slot >= 0 ? p->h_tid : 0;
        for (int k = 0; k < p->nw && o->nworkers < SNAP_MAX_POOL_WORKERS; k++) {
            const struct pool_worker *w = &p->w[k];
            if (w->gone)
                continue;
            struct snap_pool_worker *sw = &o->workers[o->nworkers++];
            sw->pid = w->pid;
            sw->tid = w->tid;
            sw->job = w->task >= 0 ? m->ptk[w->task].id : -1;
            sw->tasks_done = w->done;
        }
        o->npending = p->nq;
        int c = 0;
        for (int s = p->q_head; s >= 0 && c < SNAP_MAX_JOBS; s = m->ptk[s].next)
            snap_job_fill(m, &m->ptk[s], &o->pending[c++]);
        for (int r = 0; r < POOL_RECENT && o->ndone < SNAP_MAX_DONE; r++)
            if (p->recent[r] >= 0)
                snap_job_fill(m, &m->ptk[p->recent[r]], &o->done[o->ndone++]);
        o->submitted = p->submitted;
        o->completed = p->completed;
    }
}
