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
#include "poolint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "trace.h"

const char *const pool_kind_names[] = { "Pool", "ThreadPoolExecutor",
                                          "ProcessPoolExecutor" };

/* ------------------------------------------------------------ records */

struct kpool *pool_at_slot(struct machine *m, int slot)
{
    return slot >= 0 && slot < m->pool_cap && m->pools[slot].decl >= 0 ? &m->pools[slot] : NULL;
}

const char *pool_name(const struct machine *m, const struct kpool *p)
{
    return m->scn->pools[p->decl].name;
}

int pool_slot(const struct machine *m, const struct kpool *p)
{
    return (int)(p - m->pools);
}

/* The pool t works for (a worker or result handler), or NULL. */
struct kpool *pool_of_task(struct machine *m, const struct task *t)
{
    return t->pool_at > 0 ? pool_at_slot(m, t->pool_at - 1) : NULL;
}

int pool_new(struct machine *m)
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

int ptask_new(struct machine *m)
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

void ptask_free(struct machine *m, int s)
{
    struct pool_task *k = &m->ptk[s];
    k->job = -1;
    k->args = k->result = v_none();
    k->next = m->ptk_free;
    m->ptk_free = s;
}

int pjob_new(struct machine *m)
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

void pjob_free_slot(struct machine *m, int s)
{
    struct pool_job *j = &m->pjobs[s];
    free(j->results);
    free(j->arrived);
    free(j->iexc);
    free(j->imsg);
    free(j->order);
    memset(j, 0, sizeof *j);
    j->next = m->pjob_free;
    m->pjob_free = s;
    m->npjobs--;
}

/* The job a handle names, or -1 (not a handle, or its job is gone). */
int pjob_of(const struct machine *m, struct value v)
{
    if (v.type != V_HANDLE || v_handle_kind(v) > HK_IMAP ||
        v.ref >= (uint32_t)m->pjob_cap)
        return -1;
    return m->pjobs[v.ref].id == v_handle_id(v) ? (int)v.ref : -1;
}

bool pjob_ready(const struct pool_job *j)
{
    return j->state == JOB_DONE || j->state == JOB_FAILED || j->state == JOB_CANCELLED;
}

/* The task queue and result queue: FIFO lists of pool_task slots. */
void plist_push(struct machine *m, int *head, int *tail, int *n, int s)
{
    m->ptk[s].next = -1;
    if (*tail >= 0)
        m->ptk[*tail].next = s;
    else
        *head = s;
    *tail = s;
    (*n)++;
}

int plist_pop(struct machine *m, int *head, int *tail, int *n)
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
void ptask_words(const struct machine *m, const struct pool_task *k, char *buf,
                       size_t size)
{
    const struct pool_job *j = &m->pjobs[k->job];
    const char *f = program_code(m, j->func)->name;
    if (!k->map) {
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

void pwake_list(struct machine *m, int *head, int *tail)
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

void pwait_on(struct machine *m, struct task *t, int *head, int *tail, int what,
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
        if ((p = pool_at_slot(m, t->wobj)))
            wq_remove(m, &p->idle_head, &p->idle_tail, s);
        break;
    case PW_JOIN:
        if ((p = pool_at_slot(m, t->wobj)))
            wq_remove(m, &p->join_head, &p->join_tail, s);
        break;
    default:
        if ((p = pool_at_slot(m, t->wobj)))
            p->h_waiting = false;
        break;
    }
}

bool pool_timed_out(struct machine *m, struct task *t)
{
    /* A timed wait on a pool or job: its deadline (get timeout=N), or the
     * next tick's look again (join waiting for an exit to be reapable).
     * Either way it leaves the wait list before it wakes. */
    if (t->state != 'S' || t->wchan != WC_POOL)
        return false;
    task_unwait(m, t);
    task_wake(m, t, t->timeout_at ? WHY_TIMEOUT : WHY_SLEEP, 0);
    return true;                           /* the statement runs again */
}

/* Somebody may be waiting for the pool to be done (join, terminate,
 * shutdown): look again. */
void pool_changed(struct machine *m, struct kpool *p)
{
    pwake_list(m, &p->join_head, &p->join_tail);
}

/* A task was queued: an idle worker takes it. Thread executors make a
 * worker when none is idle (_adjust_thread_count), elsewhere. */
void pool_wake_idle(struct machine *m, struct kpool *p)
{
    if (p->idle_head < 0)
        return;
    int s = p->idle_head;
    wq_remove(m, &p->idle_head, &p->idle_tail, s);
    task_wake(m, &m->tasks[s], WHY_OBJ, 0);
}

void pool_wake_all_idle(struct machine *m, struct kpool *p)
{
    pwake_list(m, &p->idle_head, &p->idle_tail);
}

/* ------------------------------------------------------------ jobs */

void pool_recent(struct machine *m, struct kpool *p, int ts)
{
    int old = p->recent[POOL_RECENT - 1];
    memmove(p->recent + 1, p->recent, (POOL_RECENT - 1) * sizeof *p->recent);
    p->recent[0] = ts;
    if (old >= 0)
        ptask_free(m, old);
}

/* A job's last task is back: it is ready. Waiters wake. */
void pjob_complete(struct machine *m, int js)
{
    struct pool_job *j = &m->pjobs[js];
    if (j->kind == HK_IMAP) {              /* every item is in: next gives them */
        j->state = JOB_DONE;
        pwake_list(m, &j->wait_head, &j->wait_tail);
        pool_job_settled(m, j);
        return;
    }
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
    pwake_list(m, &j->wait_head, &j->wait_tail);
    pool_job_settled(m, j);
}

void pool_job_settled(struct machine *m, const struct pool_job *j)
{
    /* The pool's workers wait for the last of its jobs before they exit
     * after close / shutdown (Pool's worker handler sends the sentinels
     * once the cache is empty; the executor's manager once no work item is
     * pending): the idle ones look again. */
    struct kpool *p = pool_at_slot(m, j->pool);
    if (p && p->state == 'C')
        pool_wake_all_idle(m, p);
}

bool pool_has_pending(const struct machine *m, const struct kpool *p)
{
    int slot = (int)(p - m->pools);
    for (int j = 0; j < m->pjob_cap; j++)
        if (m->pjobs[j].id && m->pjobs[j].pool == slot && !pjob_ready(&m->pjobs[j]))
            return true;
    return false;
}

/* The result of task ts came back to the owner: store it in its job.
 * True when the job is now complete. */
bool pjob_take_result(struct machine *m, int ts)
{
    struct pool_task *k = &m->ptk[ts];
    struct pool_job *j = &m->pjobs[k->job];
    j->inflight--;
    if (j->kind == HK_IMAP) {
        /* IMapIterator._set: the chunk's items can be taken by next now */
        for (int i = k->first; i < k->first + k->n; i++) {
            j->arrived[i] = 1;
            j->iexc[i] = k->exc;
            j->imsg[i] = k->msg;
            if (k->exc >= 0)               /* its message made at run time */
                j->results[i] = k->result;
            if (j->unordered)
                j->order[j->narrived] = i;
            j->narrived++;
        }
        pwake_list(m, &j->wait_head, &j->wait_tail);
        return --j->chunks_left == 0;
    }
    if (j->kind == HK_MAP) {
        if (k->exc >= 0 && j->exc < 0) {    /* only the first exception */
            j->exc = k->exc;
            j->msg = k->msg;
            j->value = k->result;
        }
        return --j->chunks_left == 0;
    }
    j->exc = k->exc;
    j->msg = k->msg;
    j->value = k->result;          /* failed: the message made at run time */
    return true;
}

/* The value a callback gets: the result, the exception's message, or the
 * future (a handle). */
struct value pjob_callback_arg(struct machine *m, int js, bool failed)
{
    struct pool_job *j = &m->pjobs[js];
    if (j->kind == HK_FUTURE)
        return v_handle(HK_FUTURE, j->id, (uint32_t)js);
    if (!failed)
        return j->value;
    return pjob_exc_text(m, js);
}

struct value pjob_exc_text(struct machine *m, int js)
{
    struct pool_job *j = &m->pjobs[js];
    struct value s;
    if (!j->msg && j->value.type == V_STR)
        return j->value;
    const char *msg = j->msg ? j->msg : "";
    if (v_str(&m->heap, msg, strlen(msg), &s) != VE_OK)
        return v_none();
    return s;
}

const char *pfail_text(const struct machine *m, const char *msg, struct value v, char *buf,
                       size_t size)
{
    if (msg || v.type != V_STR)
        return msg ? msg : "";
    size_t n;
    const char *s = v_str_data(&m->heap, v, &n);
    snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), s);
    return buf;
}

void pfail_raise(struct machine *m, struct task *t, struct srcpos pos, int exc,
                 const char *msg, struct value v)
{
    if (!msg && v.type == V_STR) {
        m->raise_dyn = true;
        m->raise_val = v;
    }
    task_raise(m, t, pos, exc, msg);
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
                ptask_free(m, w->task);
                w->task = -1;
                p->nbusy--;
            }
            m->tasks[w->slot].pool_at = 0;
            w->gone = true;
            p->nunreaped++;
            w->slot = -1;
            p->nlive--;
            pool_changed(m, p);
        }
    }
}

void pools_reap_retired(struct machine *m, struct task *t)
{
    for (int i = 0; i < m->pool_cap; i++) {
        struct kpool *p = &m->pools[i];
        if (p->decl >= 0 && p->retired && p->owner_slot == t->proc &&
            p->nlive == 0 && pool_reap_workers(m, p, t))
            pool_release(m, p);
    }
}

void pools_thread_end(struct machine *m, struct task *t)
{
    struct kpool *p = pool_of_task(m, t);
    if (!p)
        return;
    int s = (int)(t - m->tasks);
    if (p->h_slot == s) {                  /* a callback raised, or the end */
        p->h_slot = -1;
        p->h_waiting = false;
        pool_changed(m, p);
    }
    struct pool_worker *w = t->pool_wi >= 0 ? pool_worker_of(m, p, t) : NULL;
    if (w && w->slot == s) {
        if (w->task >= 0) {
            m->pjobs[m->ptk[w->task].job].inflight--;
            ptask_free(m, w->task);
            w->task = -1;
            p->nbusy--;
        }
        w->gone = w->reaped = true;
        w->slot = -1;
        p->nlive--;
        pool_changed(m, p);
        if (p->retired && p->nlive == 0) {
            t->pool_at = 0;
            pool_release(m, p);
            return;
        }
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
        pool_wake_all_idle(m, p);
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
    int js = pjob_of(m, v);
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
    for (int s = 0; s < m->pool_cap; s++)
        if (m->pools[s].decl >= 0)
            vheap_mark(h, m->pools[s].initargs);
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
            pjob_free_slot(m, s);
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
    for (int i = 0; i < m->pjob_cap; i++) {
        free(m->pjobs[i].results);
        free(m->pjobs[i].arrived);
        free(m->pjobs[i].iexc);
        free(m->pjobs[i].imsg);
        free(m->pjobs[i].order);
    }
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
            for (int i = 0; i < src->pjob_cap; i++) {
                struct pool_job *j = &dst->pjobs[i];
                j->results = NULL;
                j->arrived = NULL;
                j->iexc = NULL;
                j->imsg = NULL;
                j->order = NULL;
            }
        }
        for (int i = 0; ok && i < src->pjob_cap; i++) {
            struct pool_job *j = &dst->pjobs[i];
            const struct pool_job *sj = &src->pjobs[i];
            size_t n = (size_t)(sj->nitems ? sj->nitems : 1);
            if (sj->results) {
                j->results = malloc(n * sizeof *j->results);
                ok = j->results != NULL;
                if (ok)
                    memcpy(j->results, sj->results, (size_t)sj->nitems * sizeof *j->results);
            }
            if (ok && sj->arrived) {
                j->arrived = malloc(n * sizeof *j->arrived);
                j->iexc = malloc(n * sizeof *j->iexc);
                j->imsg = malloc(n * sizeof *j->imsg);
                j->order = malloc(n * sizeof *j->order);
                ok = j->arrived && j->iexc && j->imsg && j->order;
                if (ok) {
                    memcpy(j->arrived, sj->arrived, (size_t)sj->nitems * sizeof *j->arrived);
                    memcpy(j->iexc, sj->iexc, (size_t)sj->nitems * sizeof *j->iexc);
                    memcpy(j->imsg, sj->imsg, (size_t)sj->nitems * sizeof *j->imsg);
                    memcpy(j->order, sj->order, (size_t)sj->nitems * sizeof *j->order);
                }
            }
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
    o->state = k->cancelled ? JOB_CANCELLED : k->done == k->n ? JOB_DONE
             : k->worker ? JOB_RUNNING : JOB_PENDING;
    if (k->exc >= 0) {
        char b[sizeof o->result];
        const char *msg = pfail_text(m, k->msg, k->result, b, sizeof b);
        int n = snprintf(o->result, sizeof o->result, "%s%s", exc_name(k->exc),
                         *msg ? ": " : "");
        if (n >= 0 && (size_t)n < sizeof o->result)     /* the message, cut to fit */
            snprintf(o->result + n, sizeof o->result - (size_t)n, "%s", msg);
        o->state = JOB_FAILED;
    } else if (k->map && k->n > 1 && k->done == k->n) {
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
    if (!snapshot_grow((void **)&out->pools, &out->poolcap, n, sizeof *out->pools))
        return;
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
        o->size = p->nwant;
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
