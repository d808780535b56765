/*
 * poolops.c - what an owner does with its pools and executors (making them,
 * submitting, close/join/terminate/shutdown) and what any task does with a
 * handle (get, wait, result, cancel, add_done_callback, ready() ...), and
 * OP_POOL's dispatch (issue 12; the overview is in pool.c).
 */
#include "poolint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "trace.h"

/* ------------------------------------------------------------ the owner's statements */

/* The pool named by `in` in t's process, or NULL. */
struct kpool *pool_find(struct machine *m, const struct task *t, int decl)
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
int pool_drop_queue(struct machine *m, int *head, int *tail, int *n)
{
    int count = 0;
    int s;
    while ((s = plist_pop(m, head, tail, n)) >= 0) {
        m->pjobs[m->ptk[s].job].inflight--;
        ptask_free(m, s);
        count++;
    }
    return count;
}

/* SIGTERM to every live worker process of p. */
void pool_term_workers(struct machine *m, struct kpool *p, int from_pid)
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
void pool_release(struct machine *m, struct kpool *p)
{
    pool_drop_queue(m, &p->q_head, &p->q_tail, &p->nq);
    pool_drop_queue(m, &p->r_head, &p->r_tail, &p->nr);
    for (int i = 0; i < POOL_RECENT; i++)
        if (p->recent[i] >= 0)
            ptask_free(m, p->recent[i]);
    int slot = pool_slot(m, p);
    for (int i = 0; i < p->nw; i++) {
        struct pool_worker *w = &p->w[i];
        if (w->gone || w->slot < 0)
            continue;
        struct task *wt = &m->tasks[w->slot];
        if (w->task >= 0) {
            m->pjobs[m->ptk[w->task].job].inflight--;
            ptask_free(m, w->task);
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
    pwake_list(m, &p->idle_head, &p->idle_tail);
    pwake_list(m, &p->join_head, &p->join_tail);
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
bool pool_start_processes(struct machine *m, struct kpool *p, struct task *t)
{
    if (p->nstarted < p->nwant) {
        /* Each fork costs fork_cost ticks of the owner's CPU (1 by
         * default: the tick of the statement). */
        if (!task_pay_cost(m, t, COST_FORK))
            return false;
        int pid = pool_fork_worker(m, p, t);
        if (pid < 0) {
            /* fork failed (the process limit, no pid): Process.start raises
             * OSError; the half-made pool is dropped, its workers ended */
            if (m->status != MS_RUNNING)
                return false;
            p->creating = false;
            p->retired = true;
            if (p->state == 'R') {
                p->state = 'T';
                pool_term_workers(m, p, m->procs[t->proc].pid);
            }
            task_raise(m, t, program_code(m, t->prog)->code[t->pc].pos, EXC_OS,
                       "[Errno 11] Resource temporarily unavailable");
            return false;
        }
        p->nstarted++;
        emit_textf(m, EV_POOL, PL_FORK_WORKER, t, pid, p->nstarted,
                   "pid %d makes %s %s: forks worker %d (%d of %d)",
                   m->procs[t->proc].pid, p->kind == PK_POOL ? "pool" : "executor",
                   pool_name(m, p), pid, p->nstarted, p->nwant);
        if (p->nstarted < p->nwant)
            return false;
    }
    if (p->h_tid == 0) {
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
    struct kpool *p = pool_find(m, t, in->obj);
    if (!p || !p->creating) {
        int64_t n = d->kind == PK_THREADS ? (m->cfg.cpus + 4 < 32 ? m->cfg.cpus + 4 : 32)
                                          : m->cfg.cpus;
        int64_t maxtasks = 0;
        if (in->e1 && !expr_int(m, t, in->e1, &n))
            return;
        if (in->e2 && !expr_int(m, t, in->e2, &maxtasks))
            return;
        struct value initargs = v_none();
        if (in->argc == 1 && !expr_value(m, t, in->argv[0], &initargs))
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
        if (d->kind == PK_POOL && m->procs[t->proc].daemonic) {
            task_raise(m, t, in->pos, EXC_ASSERTION, "daemonic processes are not "
                       "allowed to have children");
            return;
        }
        if (n > (1 << 20))
            n = 1 << 20;           /* fork fails long before (max_procs) */
        if (p) {
            /* The name is bound again: the old pool is dropped. CPython
             * terminates a Pool nobody holds (its finalizer) and lets an
             * executor's workers finish and end; the record goes once its
             * workers have. */
            p->retired = true;
            if (p->kind == PK_POOL && p->state == 'R') {
                p->state = 'T';
                pool_term_workers(m, p, m->procs[t->proc].pid);
            } else if (p->state == 'R') {
                p->state = 'C';
                pool_wake_all_idle(m, p);
            }
            if (p->nlive == 0 && pool_reap_workers(m, p, t))
                pool_release(m, p);
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
        p->record = m->trace ? trace_add_pool(m->trace, d->name, p->owner, p->kind) : -1;
        p->nwant = (int)n;
        p->maxtasks = maxtasks;
        p->init = in->cb;
        p->counter = in->var2;
        p->initargs = initargs;
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
    if (pool_start_processes(m, p, t))
        t->pc++;
}

/* The pool a method statement names, running, or NULL after an exception
 * (ValueError: Pool not running; RuntimeError after shutdown). */
static struct kpool *running_pool(struct machine *m, struct task *t, const struct insn *in)
{
    struct kpool *p = pool_find(m, t, in->obj);
    if (!p) {
        machine_fail(m, in->pos, "pid %d has no %s '%s': the statement that makes it "
                     "has not run in this process", m->procs[t->proc].pid,
                     pool_kind_names[m->scn->pools[in->obj].kind], m->scn->pools[in->obj].name);
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

/* A ProcessPoolExecutor's first submit forks its workers, a tick each
 * (fork context, Python 3.11). True when they are all there. */
static bool start_executor(struct machine *m, struct kpool *p, struct task *t,
                           const struct insn *in)
{
    if (p->kind != PK_PROCESSES || (p->nstarted == p->nwant && p->h_tid != 0))
        return true;
    if (p->nstarted == 0 && m->procs[t->proc].daemonic) {
        task_raise(m, t, in->pos, EXC_ASSERTION, "daemonic processes are not allowed to "
                   "have children");
        return false;
    }
    return pool_start_processes(m, p, t);
}

/* Queue task ts of pool p (submitted by t). */
static void queue_task(struct machine *m, struct kpool *p, struct task *t, int ts)
{
    struct pool_task *k = &m->ptk[ts];
    char what[120] = "";
    if (pool_tracing(m))
        ptask_words(m, k, what, sizeof what);
    plist_push(m, &p->q_head, &p->q_tail, &p->nq, ts);
    m->pjobs[k->job].inflight++;
    p->submitted++;
    if (m->trace && p->record >= 0)
        m->trace->pools[p->record].submitted = p->submitted;
    if (p->kind == PK_THREADS)
        pool_adjust_threads(m, p, t);
    int busy = p->nbusy;
    emit_textf(m, EV_POOL, PL_SUBMIT, t, k->id, k->n, "pid %d submits task %d (%s) to %s",
               m->procs[t->proc].pid, k->id, what, pool_name(m, p));
    /* It waits when the workers not busy are fewer than the tasks queued
     * (a woken worker has not taken its task yet). */
    if (p->idle_head >= 0)
        pool_wake_idle(m, p);
    if (p->nlive > 0 && p->nq > p->nlive - busy)
        emit_textf(m, EV_POOL, PL_WAITS, t, k->id, p->nlive,
                   "pool %s: task %d waits for a free worker (%d busy)", pool_name(m, p),
                   k->id, p->nlive);
    pool_fill_call_queue(m, p);
}

/* apply_async / submit: one task calling PROG(args). */
static void submit_call(struct machine *m, struct task *t, const struct insn *in)
{
    struct kpool *p = running_pool(m, t, in);
    if (!p)
        return;
    if (!start_executor(m, p, t, in))
        return;                            /* the first submit forks them all */
    /* A ThreadPoolExecutor that must start a worker pays a thread's cost
     * first (once started, the paying goes on to its end). */
    if (p->kind == PK_THREADS && (t->left > 0 || (p->idle_head < 0 && p->nlive < p->nwant)) &&
        !task_pay_cost(m, t, COST_THREAD))
        return;
    struct value args[MAX_PARAMS], tuple;
    for (int i = 0; i < in->argc; i++)
        if (!expr_value(m, t, in->argv[i], &args[i]))
            return;
    enum verr e = v_seq(&m->heap, V_TUPLE, args, (uint32_t)in->argc, &tuple);
    if (e == VE_OK && p->kind != PK_THREADS)
        value_copy_message(m, &tuple);     /* pickled to the worker process */
    int js = e == VE_OK ? pjob_new(m) : -1;
    int ts = js >= 0 ? ptask_new(m) : -1;
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
    if (!start_executor(m, p, t, in))
        return;
    struct value items;
    if (!expr_value(m, t, in->e1, &items))
        return;
    if (p->kind != PK_THREADS)
        value_copy_message(m, &items);     /* pickled to the worker processes */
    if (items.type != V_TUPLE && items.type != V_LIST) {
        task_raise(m, t, in->pos, EXC_TYPE, "the items of a map must be a list or a tuple "
                   "('int' object is not iterable)");
        return;
    }
    uint32_t len;
    v_items(&m->heap, items, &len);
    bool imap = in->method == PM_IMAP || in->method == PM_IMAP_UNORDERED;
    int64_t cs = 1;
    if (in->e2) {
        if (!expr_int(m, t, in->e2, &cs))
            return;
        if (cs < 1 && imap) {
            task_raise(m, t, in->pos, EXC_VALUE, "Chunksize must be 1+");
            return;
        }
        if (cs < 1 && p->kind == PK_PROCESSES) {
            task_raise(m, t, in->pos, EXC_VALUE, "chunksize must be >= 1.");
            return;
        }
        if (p->kind == PK_THREADS)
            cs = 1;                /* ThreadPoolExecutor.map ignores it */
    } else if (p->kind == PK_POOL && !imap) {
        /* Pool._map_async: chunksize, extra = divmod(len, len(pool) * 4) */
        cs = len / ((int64_t)p->nwant * 4);
        if (len % ((int64_t)p->nwant * 4))
            cs++;
    }
    int js = pjob_new(m);
    if (js < 0) {
        machine_fail(m, in->pos, "out of memory");
        return;
    }
    struct pool_job *j = &m->pjobs[js];
    j->pool = pool_slot(m, p);
    j->kind = imap ? HK_IMAP : HK_MAP;
    j->executor = p->kind != PK_POOL;
    j->star = in->method == PM_STARMAP_ASYNC;
    j->unordered = in->method == PM_IMAP_UNORDERED;
    j->chunksize = (int)(cs > INT32_MAX ? INT32_MAX : cs);
    j->func = in->prog;
    j->cb = in->cb;
    j->ecb = in->ecb;
    j->task0 = p->ntasks;
    j->nitems = (int)len;
    p->ntasks += (int)len;
    set_result_value(m, t, in->var, v_handle(j->kind, j->id, (uint32_t)js));
    t->pc++;
    size_t n = len ? len : 1;
    j->results = calloc(n, sizeof *j->results);
    if (imap) {
        j->arrived = calloc(n, sizeof *j->arrived);
        j->iexc = calloc(n, sizeof *j->iexc);
        j->imsg = calloc(n, sizeof *j->imsg);
        j->order = calloc(n, sizeof *j->order);
    }
    if (!j->results || (imap && (!j->arrived || !j->iexc || !j->imsg || !j->order))) {
        machine_fail(m, in->pos, "out of memory");
        return;
    }
    for (uint32_t i = 0; i < len; i++)
        j->results[i] = v_none();
    if (len == 0 || cs < 1) {
        /* MapResult with chunksize 0: ready at once. An empty list gives [];
         * CPython 3.11 makes no task for chunksize=0 or less either and
         * gives [None] * len (it is not checked, unlike imap's). */
        pjob_complete(m, js);
        return;
    }
    for (int64_t first = 0; first < len; first += cs) {
        int ts = ptask_new(m);
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
    if (p->nlive > 0)
        return false;
    /* CPython's join also waits until the pool's cache is empty: every job
     * complete (its worker handler runs until then). A job that never
     * completes (its result handler died in a callback) makes it wait for
     * ever, as there. */
    int slot = pool_slot(m, p);
    for (int j = 0; p->state != 'T' && j < m->pjob_cap; j++)
        if (m->pjobs[j].id && m->pjobs[j].pool == slot && !pjob_ready(&m->pjobs[j]))
            return false;
    return pool_reap_workers(m, p, t);
}

static void wait_done(struct machine *m, struct kpool *p, struct task *t)
{
    /* A worker that exited this tick is reapable from the next. */
    pwait_on(m, t, &p->join_head, &p->join_tail, PW_JOIN, pool_slot(m, p),
            p->nlive == 0 ? 0 : -1);
}

static void emit_joined(struct machine *m, struct kpool *p, struct task *t, const char *how)
{
    /* The result handler (or manager) thread has ended by now in CPython:
     * join / terminate / shutdown join it. */
    if (p->h_slot >= 0)
        thread_end(m, &m->tasks[p->h_slot]);
    emit_textf(m, EV_POOL, PL_JOINED, t, 0, 0, "pid %d: %s of %s returns (%d worker%s "
               "gone)", m->procs[t->proc].pid, how, pool_name(m, p), p->nw,
               p->nw == 1 ? "" : "s");
}

/* The done callbacks of the futures t cancelled (fu.cancel, shutdown
 * cancel_futures=True: Future.cancel calls them) run in t, in the order the
 * futures were submitted, each a call that comes back to the statement at
 * t->pc. True while one is under way (the statement returns and goes on
 * when it is back); false once none is left. */
static bool run_cancel_callbacks(struct machine *m, struct task *t)
{
    for (;;) {
        int js = -1;
        for (int k = 0; k < m->pjob_cap; k++)
            if (m->pjobs[k].id && m->pjobs[k].cancel_tid == t->tid &&
                (js < 0 || m->pjobs[k].id < m->pjobs[js].id))
                js = k;
        if (js < 0)
            return false;
        struct pool_job *j = &m->pjobs[js];
        if (j->dcb_next > 0)
            pool_done_cb_back(m, t, js);   /* back from the last one */
        if (j->dcb_next < j->ndcb) {
            pool_call_done_cb(m, t, js, j->dcb[j->dcb_next++], t->pc);
            return true;
        }
        j->cancel_tid = 0;
        j->inflight--;
    }
}

/* Future js was just cancelled by t: its done callbacks are to run. */
static void cancel_callbacks_due(struct machine *m, struct task *t, int js)
{
    struct pool_job *j = &m->pjobs[js];
    if (j->ndcb == 0)
        return;
    j->cancel_tid = t->tid;
    j->inflight++;                         /* kept while its callbacks run */
    j->dcb_next = 0;
}

/* close, join, terminate; shutdown. True when the statement took no tick
 * (it goes on after a cancelled future's done callback). */
static bool pool_lifecycle(struct machine *m, struct task *t, const struct insn *in)
{
    struct kpool *p = pool_find(m, t, in->obj);
    if (!p) {
        machine_fail(m, in->pos, "pid %d has no %s '%s': the statement that makes it "
                     "has not run in this process", m->procs[t->proc].pid,
                     pool_kind_names[m->scn->pools[in->obj].kind], m->scn->pools[in->obj].name);
        return false;
    }
    int me = m->procs[t->proc].pid;
    switch (in->method) {
    case PM_CLOSE:
        if (p->state == 'R') {
            p->state = 'C';
            emit_textf(m, EV_POOL, PL_CLOSE, t, p->nq, 0, "pid %d closes pool %s: no new "
                       "tasks; its workers exit once the %d queued are done", me,
                       pool_name(m, p), p->nq);
            pool_wake_all_idle(m, p);
        }
        t->pc++;
        return false;
    case PM_JOIN:
        if (p->state == 'R') {
            task_raise(m, t, in->pos, EXC_VALUE, "Pool is still running");
            return false;
        }
        if (!pool_done(m, p, t)) {
            wait_done(m, p, t);
            return false;
        }
        emit_joined(m, p, t, "join");
        t->pc++;
        return false;
    case PM_TERMINATE:
        if (p->state != 'T') {
            int never = pool_drop_queue(m, &p->q_head, &p->q_tail, &p->nq);
            int running = 0;
            for (int i = 0; i < p->nw; i++)
                running += !p->w[i].gone && p->w[i].task >= 0;
            p->state = 'T';
            emit_textf(m, EV_POOL, PL_TERMINATE, t, never, running, "pid %d terminates pool "
                       "%s: %d task%s never run%s; SIGTERM to its workers (%d running a "
                       "task)", me, pool_name(m, p), never, never == 1 ? "" : "s",
                       never == 1 ? "s" : "", running);
            pool_drop_queue(m, &p->r_head, &p->r_tail, &p->nr);
            pool_term_workers(m, p, me);
        }
        if (!pool_done(m, p, t)) {
            wait_done(m, p, t);
            return false;
        }
        emit_joined(m, p, t, "terminate");
        t->pc++;
        return false;
    default:                               /* PM_SHUTDOWN */
        if (p->state == 'R') {
            p->state = 'C';
            int cancelled = 0;
            if (in->flags & INSN_CANCEL_FUTURES) {
                /* cancel_futures=True: the items not yet running */
                int keep_head = -1, keep_tail = -1, keep_n = 0, s;
                while ((s = plist_pop(m, &p->q_head, &p->q_tail, &p->nq)) >= 0) {
                    struct pool_job *j = &m->pjobs[m->ptk[s].job];
                    if (j->state != JOB_PENDING) {
                        plist_push(m, &keep_head, &keep_tail, &keep_n, s);
                        continue;
                    }
                    j->inflight--;
                    j->state = JOB_CANCELLED;
                    pwake_list(m, &j->wait_head, &j->wait_tail);
                    cancel_callbacks_due(m, t, m->ptk[s].job);
                    m->ptk[s].cancelled = true;
                    pool_recent(m, p, s);
                    cancelled++;
                }
                p->q_head = keep_head;
                p->q_tail = keep_tail;
                p->nq = keep_n;
            }
            emit_textf(m, EV_POOL, PL_CLOSE, t, cancelled, 0, "pid %d shuts down executor "
                       "%s%s", me, pool_name(m, p),
                       cancelled ? " (pending futures cancelled)" : "");
            pool_wake_all_idle(m, p);
            if (run_cancel_callbacks(m, t))
                return false;              /* this tick: the first starts */
        } else if (run_cancel_callbacks(m, t)) {
            return m->status == MS_RUNNING;    /* the next one, no tick */
        }
        if (!(in->flags & INSN_NOWAIT) && !pool_done(m, p, t)) {
            wait_done(m, p, t);
            return false;
        }
        if (!(in->flags & INSN_NOWAIT))
            emit_joined(m, p, t, "shutdown");
        t->pc++;
        return false;
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
    int js = pjob_of(m, v);
    /* the kind of handle the method belongs to: 0 AsyncResult / MapResult,
     * 1 Future, 2 IMapIterator */
    int want = method == PM_NEXT ? 2 : method >= PM_RESULT && method <= PM_ADD_DONE_CB;
    int kind = js < 0 ? -1 : m->pjobs[js].kind == HK_FUTURE ? 1
             : m->pjobs[js].kind == HK_IMAP ? 2 : 0;
    if (kind != want) {
        /* static texts: an exception's message must outlive the statement */
        static const char *const full[4][3] = {
            { "this object has no method get/wait/ready/successful (an AsyncResult's; "
              "AttributeError in Python)",
              "this object has no method result/exception/cancel/add_done_callback/done/"
              "running/cancelled (a Future's; AttributeError in Python)",
              "this object has no method next (an IMapIterator's; AttributeError in "
              "Python)" },
            { NULL, "an AsyncResult has no result/exception/cancel/add_done_callback/"
              "done/running/cancelled: use get, wait, ready (AttributeError in Python)",
              "an AsyncResult has no next: use get (AttributeError in Python)" },
            { "a Future has no get/wait/ready/successful: use result, exception, done "
              "(AttributeError in Python)", NULL,
              "a Future has no next: use result (AttributeError in Python)" },
            { "an IMapIterator has no get/wait/ready/successful: use next "
              "(AttributeError in Python)",
              "an IMapIterator has no result/exception/cancel/add_done_callback/done/"
              "running/cancelled: use next (AttributeError in Python)", NULL } };
        task_raise(m, t, in ? in->pos : e->pos, EXC_TYPE, full[kind + 1][want]);
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
    if (!pjob_ready(j)) {
        int64_t left = procobj_deadline(m, t, in->timeout);
        if (left != 0) {
            pwait_on(m, t, &j->wait_head, &j->wait_tail, PW_GET, js, left);
            return;
        }
        procobj_wait_done(t);
        if (in->method == PM_WAIT) {       /* wait(timeout) just returns */
            t->pc++;
            return;
        }
        task_raise(m, t, in->pos, in->method == PM_GET && !j->executor ? EXC_POOL_TIMEOUT
                                                                       : EXC_TIMEOUT, NULL);
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
        set_result_value(m, t, in->var, j->exc >= 0 ? pjob_exc_text(m, js) : v_none());
        t->pc++;
        return;
    default:                               /* get, result */
        if (j->state == JOB_CANCELLED) {
            task_raise(m, t, in->pos, EXC_CANCELLED, NULL);
            return;
        }
        if (j->exc >= 0) {
            pfail_raise(m, t, in->pos, j->exc, j->msg, j->value);
            return;
        }
        set_result_value(m, t, in->var, j->value);
        t->pc++;
        return;
    }
}

/* fu.cancel [-> ok]: only a future still queued (not running) can be
 * cancelled. Its done callbacks then run in this task (Future.cancel calls
 * them), each a call that comes back to this statement, which goes on with
 * the next, then ends without taking another tick. True when untimed. */
static bool handle_cancel(struct machine *m, struct task *t, const struct insn *in)
{
    int js = handle_job(m, t, in, in->e2, PM_CANCEL);
    if (js < 0)
        return false;
    struct pool_job *j = &m->pjobs[js];
    if (j->cancel_tid == t->tid) {         /* back from a done callback */
        if (run_cancel_callbacks(m, t))
            return m->status == MS_RUNNING;
        set_result_value(m, t, in->var, v_bool(true));
        t->pc++;
        return true;
    }
    bool ok = j->state == JOB_CANCELLED;
    bool now = false;
    if (j->state == JOB_PENDING) {
        struct kpool *p = pool_at_slot(m, j->pool);
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
            m->ptk[s].cancelled = true;
            pool_recent(m, p, s);
            j->inflight--;
            break;
        }
        j->state = JOB_CANCELLED;
        pwake_list(m, &j->wait_head, &j->wait_tail);
        pool_job_settled(m, j);
        ok = now = true;
    }
    emit_textf(m, EV_POOL, PL_CANCEL, t, j->task0, ok, "pid %d cancels future %lld: %s",
               m->procs[t->proc].pid, (long long)j->id,
               ok ? "cancelled, it never runs" : "too late, it is running or done");
    if (now) {
        cancel_callbacks_due(m, t, js);
        if (run_cancel_callbacks(m, t))
            return false;                  /* this tick; the rest when it is back */
    }
    set_result_value(m, t, in->var, v_bool(ok));
    t->pc++;
    return false;
}

/* it.next [timeout=N] [-> x]: an IMapIterator's next item, in order (imap)
 * or as they came (imap_unordered); waits while it has not come back;
 * StopIteration after the last. An item whose task raised raises that
 * exception here; with chunks of more than 1, the iterator then ends (the
 * generator that flattens CPython's chunks stops). */
static void handle_next(struct machine *m, struct task *t, const struct insn *in)
{
    int js = handle_job(m, t, in, in->e2, PM_NEXT);
    if (js < 0)
        return;
    struct pool_job *j = &m->pjobs[js];
    if (j->next_i >= j->nitems) {
        procobj_wait_done(t);
        task_raise(m, t, in->pos, EXC_STOP_ITERATION, NULL);
        return;
    }
    int item = -1;
    if (j->unordered && j->next_i < j->narrived)
        item = j->order[j->next_i];
    else if (!j->unordered && j->arrived[j->next_i])
        item = j->next_i;
    if (item < 0) {
        int64_t left = procobj_deadline(m, t, in->timeout);
        if (left != 0) {
            pwait_on(m, t, &j->wait_head, &j->wait_tail, PW_GET, js, left);
            return;
        }
        procobj_wait_done(t);
        task_raise(m, t, in->pos, EXC_POOL_TIMEOUT, NULL);
        return;
    }
    procobj_wait_done(t);
    j->next_i++;
    if (j->iexc[item] >= 0) {
        if (j->chunksize > 1)
            j->next_i = j->nitems;
        pfail_raise(m, t, in->pos, j->iexc[item], j->imsg[item], j->results[item]);
        j->results[item] = v_none();
        return;
    }
    set_result_value(m, t, in->var, j->results[item]);
    j->results[item] = v_none();           /* given: the iterator lets it go */
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
    if (pjob_ready(j)) {
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
        if (!pjob_ready(j)) {
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
        *out = v_bool(pjob_ready(j));
        return true;
    }
}

/* ------------------------------------------------------------ dispatch */

bool pool_op(struct machine *m, struct task *t, const struct insn *in)
{
    if (in->method < PM_W_TAKE)
        pools_reap_retired(m, t);
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
        return pool_lifecycle(m, t, in);
    case PM_GET:
    case PM_WAIT:
    case PM_RESULT:
    case PM_EXCEPTION:
        handle_wait(m, t, in);
        return false;
    case PM_CANCEL:
        return handle_cancel(m, t, in);
    case PM_NEXT:
        handle_next(m, t, in);
        return false;
    case PM_IMAP:
    case PM_IMAP_UNORDERED:
        submit_map(m, t, in);
        return false;
    case PM_ADD_DONE_CB:
        handle_add_cb(m, t, in);
        return false;
    case PM_W_TAKE:
        pool_worker_take(m, t, in);
        return false;
    case PM_W_DONE:
        pool_worker_done(m, t);
        return m->status == MS_RUNNING;
    case PM_W_FAIL:
        pool_worker_fail(m, t);
        return m->status == MS_RUNNING;
    case PM_H_TAKE:
        pool_handler_take(m, t);
        return false;
    case PM_H_CB_DONE:
        if (t->pool_at > 0 && t->pool_wi >= 0)
            pool_worker_cb_done(m, t);
        else
            pool_handler_cb_done(m, t);
        return m->status == MS_RUNNING;
    default:
        machine_fail(m, in->pos, "this pool statement is not supported yet");
        return false;
    }
}
