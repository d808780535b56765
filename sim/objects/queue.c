/*
 * queue.c - queues (issue 11): multiprocessing.Queue with its feeder
 * threads, JoinableQueue, and the thread queues of Python's queue module
 * (CPython 3.11's Lib/multiprocessing/queues.py and Lib/queue.py).
 *
 * multiprocessing.Queue(maxsize) is a one-way pipe, a BoundedSemaphore of
 * maxsize slots, a read lock and, in each process that puts, a buffer and a
 * feeder thread:
 *  - put takes a slot (blocking, nowait: Full, timeout=N: Full at the
 *    deadline), appends the item to its process's buffer and returns; the
 *    first put of a process starts its feeder thread, a daemon thread named
 *    QueueFeederThread.
 *  - The feeder moves one item a tick from the buffer into the queue's
 *    pipe (capacity `pipe_size` bytes; an item's size is v_msg_size). It
 *    sleeps when its buffer is empty, and on the full pipe (queued FIFO
 *    behind the other feeders: CPython's write lock).
 *  - get reads the pipe, FIFO among getters (the read lock), then gives the
 *    slot back. A waiting getter is handed the item the moment it enters
 *    the pipe; a slot freed while putters wait is handed to the first.
 *  - empty() is "the pipe is empty" (True right after a put), qsize() the
 *    slots taken, full() "no slot left", as CPython computes them.
 *  - A process that ends normally (program end, exit, uncaught exception)
 *    first waits for its feeders to flush their buffers (CPython's
 *    finalizer joins them), in S with the queue's name: the docs' "joining
 *    processes that use queues" deadlock. A death by a signal does not
 *    wait: what is still buffered is lost. A forked child starts with no
 *    buffer and no feeder (Queue._after_fork).
 * JoinableQueue adds the unfinished count (put +1, task_done -1, join
 * sleeps until 0). A thread queue (queue.Queue, LifoQueue, PriorityQueue)
 * holds its items in one process's memory: no feeder, no pipe; it belongs
 * to the first process that uses it, and a second process using it is a
 * runtime error (a forked child would have its own copy: procsim does not
 * model that copy, so it stops rather than show a shared queue.Queue).
 *
 * Waits: every waiting task is in S, wait channel the queue's name
 * (WC_QUEUE, task.qwait says on what), on a FIFO list of the queue; pc is
 * past the statement, so a signal handler or a stop makes it run again
 * (pc--), as for locks. A timed wait keeps its deadline (task.timeout_at)
 * across such retries; at the deadline the task is woken back onto its
 * statement, which raises Empty or Full.
 */
#include "kernel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "snapshot.h"
#include "trace.h"

/* ------------------------------------------------------------- helpers */

static struct qstate *qs(struct machine *m, int obj)
{
    return &m->objs[obj].q;
}

static const struct object *qobj(const struct machine *m, int obj)
{
    return &m->scn->objects[obj];
}

static bool is_mp(const struct machine *m, int obj)
{
    return qobj(m, obj)->qkind != QK_THREAD;
}

static int slot_of(const struct machine *m, const struct task *t)
{
    return (int)(t - m->tasks);
}

/* An event about queue obj, with the repr of an item when `v` is given. */
static void qemit(struct machine *m, int reason, const struct task *t, int obj,
                  int64_t b, const struct value *v)
{
    struct trace *tr = m->trace;
    if (!tr || !trace_keeps_event(tr, EV_QUEUE))
        return;
    char text[SNAP_MSG_TEXT] = "";       /* as the window shows it */
    size_t n = v ? v_format(&m->heap, *v, true, text, sizeof text) : 0;
    size_t before = tr->nev;
    emit_text(m, EV_QUEUE, t, text, n);
    if (tr->nev == before + 1) {
        struct event *e = &tr->ev[tr->nev - 1];
        e->reason = (uint8_t)reason;
        e->a = obj;
        e->b = b;
    }
}

/* -------------------------------------------------------- wait lists */

/* The list of queue q that a task waiting for `what` is on (NULL: none). */
static int *list_of(struct qstate *q, int what, int **tail, int **n)
{
    switch (what) {
    case QW_GET:   *tail = &q->get_tail;  *n = &q->nget;  return &q->get_head;
    case QW_PUT:   *tail = &q->put_tail;  *n = &q->nput;  return &q->put_head;
    case QW_WRITE: *tail = &q->wr_tail;   *n = &q->nwr;   return &q->wr_head;
    case QW_JOIN:  *tail = &q->join_tail; *n = &q->njoin; return &q->join_head;
    default:       return NULL;
    }
}

void queue_unwait(struct machine *m, struct task *t)
{
    int *tail, *n;
    int *head = list_of(qs(m, t->wobj), t->qwait, &tail, &n);
    if (head && wq_remove(m, head, tail, slot_of(m, t)))
        (*n)--;
}

/* Block the running task t on queue obj for `what` (pc already past the
 * statement), for `ticks` ticks (-1: until woken). front: at the head of
 * its list (a feeder that had its turn and found the pipe full again). */
static void wait_on(struct machine *m, struct task *t, int obj, int what, int64_t ticks,
                    bool front)
{
    if (t->qgrant)                 /* a handler's op waits: the interrupted */
        queue_task_gone(m, t);     /* put's slot goes to the next in line */
    t->wobj = obj;
    t->qwait = (uint8_t)what;
    task_block(m, t, 'S', WC_QUEUE, ticks);
    int *tail, *n;
    int *head = list_of(qs(m, obj), what, &tail, &n);
    if (head) {
        if (front)
            wq_push_front(m, head, tail, slot_of(m, t));
        else
            wq_push(m, head, tail, slot_of(m, t));
        (*n)++;
    }
}

/* Wake task slot s off its queue list: it goes on (WHY_QUEUE). */
static struct task *wake(struct machine *m, int s)
{
    struct task *w = &m->tasks[s];
    int obj = w->wobj;
    task_unwait(m, w);
    task_wake(m, w, WHY_QUEUE, obj);
    return w;
}

/* ------------------------------------------------------- feeder records */

/* Each process's records form a list; its head is kept by process slot in
 * machine.qf_head (first record + 1, 0 none), an array as long as the
 * highest slot that has used a queue: runs without queues pay nothing per
 * process. */
static int qf_first(const struct machine *m, int ps)
{
    return ps < m->qf_head_cap ? m->qf_head[ps] - 1 : -1;
}

/* Room for slot ps's head; false out of memory. */
static bool qf_reserve(struct machine *m, int ps)
{
    if (ps < m->qf_head_cap)
        return true;
    int cap = m->qf_head_cap ? m->qf_head_cap : 16;
    while (cap <= ps)
        cap *= 2;
    int *a = realloc(m->qf_head, (size_t)cap * sizeof *a);
    if (!a)
        return false;
    memset(a + m->qf_head_cap, 0, (size_t)(cap - m->qf_head_cap) * sizeof *a);
    m->qf_head = a;
    m->qf_head_cap = cap;
    return true;
}

static struct qfeeder *feeder_find(struct machine *m, int ps, int obj)
{
    for (int r = qf_first(m, ps); r >= 0; r = m->qfeeders[r].next)
        if (m->qfeeders[r].queue == obj)
            return &m->qfeeders[r];
    return NULL;
}

/* Process slot ps's record for queue obj, made if it has none; NULL out
 * of memory (the run is stopped). */
static struct qfeeder *feeder_get(struct machine *m, int ps, int obj, struct srcpos pos)
{
    struct qfeeder *f = feeder_find(m, ps, obj);
    if (f)
        return f;
    if (!qf_reserve(m, ps)) {
        machine_fail(m, pos, "out of memory");
        return NULL;
    }
    if (m->qfeeder_free < 0) {
        int old = m->qfeeder_cap, cap = old ? old * 2 : 16;
        struct qfeeder *a = realloc(m->qfeeders, (size_t)cap * sizeof *a);
        if (!a) {
            machine_fail(m, pos, "out of memory");
            return NULL;
        }
        for (int i = cap - 1; i >= old; i--) {
            a[i].next = m->qfeeder_free;
            m->qfeeder_free = i;
        }
        m->qfeeders = a;
        m->qfeeder_cap = cap;
    }
    int r = m->qfeeder_free;
    f = &m->qfeeders[r];
    m->qfeeder_free = f->next;
    f->queue = obj;
    f->proc = ps;
    f->task = -1;
    f->tid = 0;
    msgq_init(&f->buf);
    f->closed = false;
    f->orphan = false;
    f->next = qf_first(m, ps);
    m->qf_head[ps] = r + 1;
    return f;
}

/* The feeder thread of record f, if it is alive. */
static struct task *feeder_task(struct machine *m, const struct qfeeder *f)
{
    if (f->task < 0)
        return NULL;
    struct task *t = &m->tasks[f->task];
    return t->state && t->tid == f->tid ? t : NULL;
}

bool queue_forked(struct machine *m, int parent_ps, int child_ps)
{
    for (int r = qf_first(m, parent_ps); r >= 0; r = m->qfeeders[r].next) {
        /* feeder_get may move the records: copy what is needed first */
        struct qfeeder pf = m->qfeeders[r];
        if (!pf.tid)
            continue;              /* no feeder ever started: nothing to inherit */
        struct srcpos none = { 0, 0 };
        struct qfeeder *f = feeder_get(m, child_ps, pf.queue, none);
        if (!f)
            return false;
        f->tid = pf.tid;
        f->orphan = true;
        f->closed = pf.closed;
    }
    return true;
}

void queue_proc_gone(struct machine *m, int ps)
{
    struct proc *p = &m->procs[ps];
    for (int r; (r = qf_first(m, ps)) >= 0;) {
        struct qfeeder *f = &m->qfeeders[r];
        struct qstate *q = qs(m, f->queue);
        if (f->buf.count > 0)
            qemit(m, QE_LOST, &m->tasks[p->main_task], f->queue, f->buf.count, NULL);
        q->nbuffered -= f->buf.count;
        if (f->task >= 0)          /* its feeder ended with the others */
            q->nfeeders--;
        msgq_clear(&m->msgs, &f->buf);
        m->qf_head[ps] = f->next + 1;
        f->next = m->qfeeder_free;
        m->qfeeder_free = r;
    }
}

/* ------------------------------------------------------------ state */

bool queues_init(struct machine *m)
{
    m->qfeeders = NULL;
    m->qfeeder_cap = 0;
    m->qfeeder_free = -1;
    m->qf_head = NULL;
    m->qf_head_cap = 0;
    for (int i = 0; i < m->scn->nobjects; i++)
        if (qobj(m, i)->kind == OBJ_QUEUE)
            queue_init_one(m, i);
    return true;
}

void queue_init_one(struct machine *m, int i)
{
    const struct object *o = qobj(m, i);
    struct qstate *q = qs(m, i);
    memset(q, 0, sizeof *q);
    q->maxsize = o->init > 0 ? o->init : QUEUE_MAXSIZE_MAX;
    q->sem = q->maxsize;
    msgq_init(&q->items);
    q->cap = m->cfg.pipe_size;
    q->get_head = q->get_tail = q->put_head = q->put_tail = -1;
    q->wr_head = q->wr_tail = q->join_head = q->join_tail = -1;
}

bool queues_clone(struct machine *dst, const struct machine *src)
{
    /* Both pointers are replaced before anything can fail, so that
     * machine_free never frees src's arrays. */
    dst->qfeeders = NULL;
    dst->qf_head = NULL;
    if (src->qfeeder_cap)
        dst->qfeeders = malloc((size_t)src->qfeeder_cap * sizeof *dst->qfeeders);
    if (src->qf_head_cap)
        dst->qf_head = malloc((size_t)src->qf_head_cap * sizeof *dst->qf_head);
    if ((src->qfeeder_cap && !dst->qfeeders) || (src->qf_head_cap && !dst->qf_head))
        return false;
    if (src->qfeeder_cap)
        memcpy(dst->qfeeders, src->qfeeders,
               (size_t)src->qfeeder_cap * sizeof *dst->qfeeders);
    if (src->qf_head_cap)
        memcpy(dst->qf_head, src->qf_head, (size_t)src->qf_head_cap * sizeof *dst->qf_head);
    return true;
}

void queues_mark(struct machine *m)
{
    for (int i = 0; i < m->scn->nobjects; i++)
        if (qobj(m, i)->kind == OBJ_QUEUE)
            msgq_mark(&m->msgs, &qs(m, i)->items, &m->heap);
    for (int ps = 0; ps < m->proc_cap; ps++) {
        if (!m->procs[ps].pid)
            continue;
        for (int r = qf_first(m, ps); r >= 0; r = m->qfeeders[r].next)
            msgq_mark(&m->msgs, &m->qfeeders[r].buf, &m->heap);
    }
}

/* ------------------------------------------------------- slots, items */

/* A slot comes back (get): to the first waiting putter, whose put then
 * completes when it runs, or to the semaphore. */
static void slot_release(struct machine *m, int obj)
{
    struct qstate *q = qs(m, obj);
    if (q->nput > 0) {
        struct task *w = wake(m, q->put_head);
        w->qgrant = true;
        w->pc--;                  /* its put runs again and takes the slot */
        return;
    }
    if (q->sem < q->maxsize)
        q->sem++;
}

/* Room came in the pipe: the first feeder waiting on it tries again. */
static void writer_turn(struct machine *m, int obj)
{
    struct qstate *q = qs(m, obj);
    if (q->nwr > 0)
        wake(m, q->wr_head)->qgrant = true;
}

/* Take the first item of queue obj for t (the getter), into variable
 * `var`; then the slot comes back and a feeder may write. */
static void take_item(struct machine *m, struct task *t, int obj, int var)
{
    struct qstate *q = qs(m, obj);
    struct msgnode n;
    msgq_pop(&m->msgs, &q->items, &n);
    set_result_value(m, t, var, n.v);
    t->timeout_at = 0;
    qemit(m, QE_GET, t, obj, q->items.count, &n.v);
    slot_release(m, obj);
    if (is_mp(m, obj))
        writer_turn(m, obj);
}

/* Items are there and getters wait: hand them over, first come first. */
static void serve_getters(struct machine *m, int obj)
{
    struct qstate *q = qs(m, obj);
    while (q->nget > 0 && q->items.count > 0) {
        struct task *g = &m->tasks[q->get_head];
        const struct insn *in = &program_code(m, g->prog)->code[g->pc - 1];
        take_item(m, g, obj, in->var);
        wake(m, q->get_head);
    }
}

/* Raise Empty/Full (or ValueError...) at the statement; it is over. */
static void fail(struct machine *m, struct task *t, const struct insn *in, int exc,
                 const char *msg)
{
    t->timeout_at = 0;
    task_raise(m, t, in->pos, exc, msg);
}

/* A thread queue lives in its first user's memory. */
static bool owner_ok(struct machine *m, struct task *t, const struct insn *in)
{
    struct qstate *q = qs(m, in->obj);
    int pid = m->procs[t->proc].pid;
    if (is_mp(m, in->obj) || q->owner == pid)
        return true;
    if (!q->owner) {
        q->owner = pid;
        return true;
    }
    machine_fail(m, in->pos, "threadqueue '%s' is used by pid %d, but it lives in the "
                 "memory of pid %d (a queue.Queue is shared by one process's threads "
                 "only; between processes use a queue, multiprocessing.Queue)",
                 qobj(m, in->obj)->name, pid, q->owner);
    return false;
}

/* ------------------------------------------------------------------ put */

/* Insert an item into a thread queue in get order: FIFO at the back, LIFO
 * at the front, priority after every item not greater (heapq's order for
 * distinct items; equal ones come out in put order). False after an
 * exception (items that cannot be compared: TypeError). */
static bool thread_insert(struct machine *m, struct task *t, const struct insn *in,
                          struct value v, uint32_t size)
{
    struct qstate *q = qs(m, in->obj);
    int from = m->procs[t->proc].pid;
    bool ok;
    switch (qobj(m, in->obj)->qorder) {
    case QO_LIFO:
        ok = msgq_push_front(&m->msgs, &q->items, v, size, from);
        break;
    case QO_PRIORITY: {
        int after = -1;
        for (int i = q->items.head; i >= 0; i = m->msgs.node[i].next) {
            int cmp;
            const char *msg = NULL;
            enum verr err = v_compare(&m->heap, v, m->msgs.node[i].v, "<", &cmp, &msg);
            if (err != VE_OK) {
                t->qgrant = false;
                t->timeout_at = 0;
                slot_release(m, in->obj);
                task_raise_verr(m, t, in->pos, err, msg);
                return false;
            }
            if (cmp < 0)
                break;
            after = i;
        }
        ok = msgq_insert_after(&m->msgs, &q->items, after, v, size, from);
        break;
    }
    default:
        ok = msgq_push(&m->msgs, &q->items, v, size, from);
        break;
    }
    if (!ok)
        machine_fail(m, in->pos, "out of memory");
    return ok;
}

/* The feeder of record f runs (started at the first put). */
static bool feeder_start(struct machine *m, struct task *t, const struct insn *in,
                         struct qfeeder *f)
{
    if (feeder_task(m, f))
        return true;
    int tid = thread_create(m, t, qobj(m, in->obj)->feeder_prog, true);
    if (tid < 0) {
        machine_fail(m, in->pos, "no pid left for the queue's feeder thread");
        return false;
    }
    struct proc *p = proc_of(m, t);
    for (int s = p->main_task; s >= 0; s = m->tasks[s].next_thread)
        if (m->tasks[s].tid == tid) {
            f->task = s;
            f->tid = tid;
            /* Signals go to the process's other threads (Python runs its
             * handlers in the main thread). */
            m->tasks[s].blocked = ~(uint32_t)0 & ~(1u << SIG_KILL) & ~(1u << SIG_STOP);
            /* the feeder of a `new` queue (issue 14) reads its queue
             * from a variable: it serves every queue that statement makes */
            const struct insn *c0 = &program_code(m, qobj(m, in->obj)->feeder_prog)->code[0];
            if (c0->obj < 0)
                *var_ref(m, &m->tasks[s], c0->e2->var) = objref_value(m, in->obj);
        }
    qs(m, in->obj)->nfeeders++;
    return true;
}

static void do_put(struct machine *m, struct task *t, const struct insn *in)
{
    int obj = in->obj;
    struct qstate *q = qs(m, obj);
    bool mp = is_mp(m, obj);
    struct qfeeder *f = mp ? feeder_find(m, t->proc, obj) : NULL;
    struct value v;
    bool closed = f && f->closed;
    /* A slot a get handed to this put (not to another put on another queue
     * that a signal handler interrupted). */
    bool granted = t->qgrant && t->wobj == obj && t->qwait == QW_PUT;
    if (closed || !expr_value(m, t, in->e1, &v)) {
        if (granted) {                 /* the slot handed to it goes on */
            t->qgrant = false;
            slot_release(m, obj);
        }
        if (closed)
            fail(m, t, in, EXC_VALUE, "Queue is closed");
        return;
    }
    if (mp)
        value_copy_message(m, &v);       /* pickled: the getter's own */
    if (granted) {
        t->qgrant = false;               /* a get handed it a slot */
    } else if (q->sem > 0 && q->nput == 0) {
        q->sem--;
    } else {
        int64_t left = in->flags & INSN_NOWAIT ? 0 : procobj_deadline(m, t, in->timeout);
        if (left == 0) {
            qemit(m, in->flags & INSN_NOWAIT ? QE_PUT_NOWAIT : QE_PUT_TIMEOUT, t, obj, 0, NULL);
            fail(m, t, in, EXC_FULL, NULL);
            return;
        }
        t->pc++;
        qemit(m, QE_WAIT_FULL, t, obj, q->maxsize, NULL);
        wait_on(m, t, obj, QW_PUT, left, false);
        return;
    }
    t->timeout_at = 0;
    uint32_t size = (uint32_t)v_msg_size(&m->heap, v);
    if (qobj(m, obj)->qkind != QK_MP)
        q->unfinished++;
    if (!mp) {
        if (!thread_insert(m, t, in, v, size))
            return;
        t->pc++;
        qemit(m, QE_PUT, t, obj, q->items.count, &v);
        serve_getters(m, obj);
        return;
    }
    if (!f && !(f = feeder_get(m, t->proc, obj, in->pos)))
        return;
    if (f->orphan) {
        /* Queue._thread is set, so put starts no feeder; the item stays in
         * a buffer nobody empties. */
        if (!msgq_push(&m->msgs, &f->buf, v, size, m->procs[t->proc].pid)) {
            machine_fail(m, in->pos, "out of memory");
            return;
        }
        q->nbuffered++;
        t->pc++;
        qemit(m, QE_PUT_ORPHAN, t, obj, f->tid, &v);
        return;
    }
    if (!feeder_start(m, t, in, f))
        return;
    if (!msgq_push(&m->msgs, &f->buf, v, size, m->procs[t->proc].pid)) {
        machine_fail(m, in->pos, "out of memory");
        return;
    }
    q->nbuffered++;
    t->pc++;
    qemit(m, QE_PUT, t, obj, f->tid, &v);
    struct task *ft = feeder_task(m, f);
    if (ft && ft->state == 'S' && ft->wchan == WC_QUEUE && ft->qwait == QW_IDLE)
        wake(m, f->task);
}

/* ------------------------------------------------------------------ get */

static void do_get(struct machine *m, struct task *t, const struct insn *in)
{
    int obj = in->obj;
    struct qstate *q = qs(m, obj);
    if (is_mp(m, obj)) {
        struct qfeeder *f = feeder_find(m, t->proc, obj);
        if (f && f->closed) {
            fail(m, t, in, EXC_VALUE, "Queue is closed");
            return;
        }
    }
    if (q->items.count > 0 && q->nget == 0) {
        t->pc++;
        take_item(m, t, obj, in->var);
        return;
    }
    int64_t left = in->flags & INSN_NOWAIT ? 0 : procobj_deadline(m, t, in->timeout);
    if (left == 0) {
        qemit(m, in->flags & INSN_NOWAIT ? QE_GET_NOWAIT : QE_GET_TIMEOUT, t, obj, 0, NULL);
        fail(m, t, in, EXC_EMPTY, NULL);
        return;
    }
    t->pc++;
    qemit(m, QE_WAIT_EMPTY, t, obj, 0, NULL);
    wait_on(m, t, obj, QW_GET, left, false);
}

/* -------------------------------------------------------------- feeder */

/* Wake the threads of process slot ps waiting at exit for their feeders
 * once none of its buffers holds anything: they run their exit again. */
static void flush_done(struct machine *m, int ps)
{
    struct proc *p = &m->procs[ps];
    for (int r = qf_first(m, (int)(p - m->procs)); r >= 0; r = m->qfeeders[r].next)
        if (m->qfeeders[r].buf.count > 0 && feeder_task(m, &m->qfeeders[r]))
            return;
    for (int s = p->main_task; s >= 0; s = m->tasks[s].next_thread) {
        struct task *w = &m->tasks[s];
        if (w->state == 'S' && w->wchan == WC_FLUSH)
            task_wake(m, w, WHY_QUEUE, w->wobj);
    }
}

/* One step of feeder thread t of queue in->obj: move one item from its
 * process's buffer into the pipe, or sleep. */
static void do_feed(struct machine *m, struct task *t, const struct insn *in)
{
    int obj = in->obj;
    struct qstate *q = qs(m, obj);
    struct qfeeder *f = feeder_find(m, t->proc, obj);
    bool turn = t->qgrant;
    t->qgrant = false;
    if (!f || (f->buf.count == 0 && f->closed)) {
        /* close(): the sentinel after the last item ends the thread. */
        if (f) {
            f->task = -1;
            q->nfeeders--;
        }
        qemit(m, QE_FEEDER_END, t, obj, 0, NULL);
        thread_end(m, t);
        return;
    }
    t->pc++;                       /* then back here (its program's jump) */
    if (f->buf.count == 0) {
        wait_on(m, t, obj, QW_IDLE, -1, false);     /* notempty.wait() */
        return;
    }
    const struct msgnode *n = msgq_peek(&m->msgs, &f->buf);
    bool room = q->items.count == 0 || q->items.bytes + n->size <= q->cap;
    if ((q->nwr > 0 && !turn) || !room) {
        qemit(m, QE_FEED_WAIT, t, obj, q->items.bytes, NULL);
        wait_on(m, t, obj, QW_WRITE, -1, turn);
        return;
    }
    struct msgnode item;
    msgq_pop(&m->msgs, &f->buf, &item);
    q->nbuffered--;
    if (!msgq_push(&m->msgs, &q->items, item.v, item.size, item.from)) {
        machine_fail(m, in->pos, "out of memory");
        return;
    }
    qemit(m, QE_FEED, t, obj, q->items.count, &item.v);
    serve_getters(m, obj);
    if (turn)                     /* the write lock goes to the next */
        writer_turn(m, obj);
    if (f->buf.count == 0)
        flush_done(m, t->proc);
}

bool queue_exit_waits(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    for (int r = qf_first(m, (int)(p - m->procs)); r >= 0; r = m->qfeeders[r].next) {
        struct qfeeder *f = &m->qfeeders[r];
        if (f->buf.count == 0 || !feeder_task(m, f))
            continue;
        qemit(m, QE_FLUSH_WAIT, t, f->queue, f->tid, NULL);
        t->wobj = f->queue;
        task_block(m, t, 'S', WC_FLUSH, -1);
        return true;
    }
    return false;
}

/* ------------------------------------------------- close, task_done, join */

static void do_close(struct machine *m, struct task *t, const struct insn *in)
{
    struct qfeeder *f = feeder_get(m, t->proc, in->obj, in->pos);
    if (!f)
        return;
    t->pc++;
    qemit(m, QE_CLOSE, t, in->obj, 0, NULL);
    if (f->closed)
        return;
    f->closed = true;
    struct task *ft = feeder_task(m, f);
    if (ft && ft->state == 'S' && ft->wchan == WC_QUEUE && ft->qwait == QW_IDLE)
        wake(m, f->task);
}

static void do_task_done(struct machine *m, struct task *t, const struct insn *in)
{
    struct qstate *q = qs(m, in->obj);
    if (q->unfinished == 0) {
        fail(m, t, in, EXC_VALUE, "task_done() called too many times");
        return;
    }
    t->pc++;
    q->unfinished--;
    qemit(m, QE_TASK_DONE, t, in->obj, q->unfinished, NULL);
    if (q->unfinished == 0 && q->njoin > 0) {
        qemit(m, QE_ALL_DONE, t, in->obj, q->njoin, NULL);
        while (q->njoin > 0)
            wake(m, q->join_head);
    }
}

static void do_join(struct machine *m, struct task *t, const struct insn *in)
{
    struct qstate *q = qs(m, in->obj);
    t->pc++;
    if (q->unfinished == 0)
        return;
    qemit(m, QE_JOIN_WAIT, t, in->obj, q->unfinished, NULL);
    wait_on(m, t, in->obj, QW_JOIN, -1, false);
}

void queue_op(struct machine *m, struct task *t, const struct insn *in)
{
    if (!owner_ok(m, t, in))
        return;
    switch (in->method) {
    case METHOD_PUT:       do_put(m, t, in); return;
    case METHOD_GET:       do_get(m, t, in); return;
    case METHOD_CLOSE:     do_close(m, t, in); return;
    case METHOD_TASK_DONE: do_task_done(m, t, in); return;
    case METHOD_QJOIN:     do_join(m, t, in); return;
    case METHOD_FEED:      do_feed(m, t, in); return;
    default:
        machine_fail(m, in->pos, "a queue has no such method");
        return;
    }
}

/* ----------------------------------------------------- timers, the end */

bool queue_timed_out(struct machine *m, struct task *t)
{
    if (t->state != 'S' || t->wchan != WC_QUEUE || !t->timeout_at ||
        t->timeout_at > m->tick)
        return false;
    int obj = t->wobj;
    task_unwait(m, t);
    t->pc--;                       /* the op runs again and raises */
    task_wake(m, t, WHY_QTIMEOUT, obj);
    return true;
}

void queue_task_gone(struct machine *m, struct task *t)
{
    if (!t->qgrant)
        return;
    t->qgrant = false;
    if (t->qwait == QW_PUT)
        slot_release(m, t->wobj);
    else if (t->qwait == QW_WRITE)
        writer_turn(m, t->wobj);
}

/* A sentence as an EV_QUEUE event of this reason (the text is all of it). */
#define qemit_text(m, reason, t, obj, ...) \
    emit_textf(m, EV_QUEUE, reason, t, obj, 0, __VA_ARGS__)

void queues_stuck(struct machine *m)
{
    for (int s = 0; s < m->task_cap; s++) {
        const struct task *t = &m->tasks[s];
        if (t->state != 'S' || (t->wchan != WC_QUEUE && t->wchan != WC_FLUSH))
            continue;
        const struct qstate *q = &m->objs[t->wobj].q;
        const char *name = qobj(m, t->wobj)->name;
        int pid = m->procs[t->proc].pid;
        if (t->wchan == WC_FLUSH) {
            qemit_text(m, QE_STUCK, t, t->wobj, "pid %d can never exit: its feeder thread "
                       "still holds items for %s, whose pipe is full (%d messages, %lld bytes) "
                       "and nobody gets from it - get them before joining this process", pid,
                       name, q->items.count, (long long)q->items.bytes);
            continue;
        }
        switch (t->qwait) {
        case QW_GET:
            qemit_text(m, QE_STUCK, t, t->wobj, "tid %d (pid %d) waits forever on %s: it is "
                       "empty and nobody will put", t->tid, pid, name);
            break;
        case QW_PUT:
            qemit_text(m, QE_STUCK, t, t->wobj, "tid %d (pid %d) waits forever to put on %s: "
                       "its %lld slots are taken and nobody gets", t->tid, pid, name,
                       (long long)q->maxsize);
            break;
        case QW_WRITE:
            qemit_text(m, QE_STUCK, t, t->wobj, "feeder %d (pid %d) waits forever on %s: "
                       "its pipe is full (%d messages, %lld bytes) and nobody gets", t->tid,
                       pid, name, q->items.count, (long long)q->items.bytes);
            break;
        case QW_JOIN:
            qemit_text(m, QE_STUCK, t, t->wobj, "tid %d (pid %d) waits forever on %s.join: "
                       "%lld unfinished, and nobody will call task_done", t->tid, pid, name,
                       (long long)q->unfinished);
            break;
        default:                   /* an idle feeder: it just has nothing to do */
            break;
        }
    }
}

/* --------------------------------------------------------- expressions */

bool queue_eval(struct machine *m, struct task *t, const struct expr *e,
                struct value *out)
{
    struct qstate *q = qs(m, e->obj);
    if (!is_mp(m, e->obj)) {
        struct insn at = { .obj = e->obj, .pos = e->pos };
        if (!owner_ok(m, t, &at))
            return false;
    }
    switch (e->kind) {
    case EX_QEMPTY:
        *out = v_bool(q->items.count == 0);
        return true;
    case EX_QFULL:
        *out = v_bool(is_mp(m, e->obj) ? q->sem == 0
                      : (qobj(m, e->obj)->init > 0 || q->maxsize < QUEUE_MAXSIZE_MAX) &&
                        q->items.count >= q->maxsize);
        return true;
    default:
        *out = v_int(is_mp(m, e->obj) ? q->maxsize - q->sem : q->items.count);
        return true;
    }
}

/* -------------------------------------------------------------- snapshot */

static void snap_waiters(const struct machine *m, int head, int *n, int *out)
{
    *n = 0;
    for (int s = head; s >= 0; s = m->tasks[s].wq_next) {
        if (*n < SNAP_MAX_WAITERS)
            out[*n] = m->tasks[s].tid;
        (*n)++;
    }
    if (*n > SNAP_MAX_WAITERS)
        *n = SNAP_MAX_WAITERS;
}

/* The snapshot tasks waiting on a queue (get, put, join, a feeder, an exit
 * waiting for its feeders) name its channel (ps --json's waits_on). */
static void snap_wait_chans(const struct machine *m, struct snapshot *out, int first)
{
    for (int i = 0; i < out->ntasks; i++) {
        struct snap_task *st = &out->tasks[i];
        int ps = st->state == 'S' ? proc_slot(m, st->pid) : -1;
        for (int s = ps >= 0 ? m->procs[ps].main_task : -1; s >= 0; s = m->tasks[s].next_thread) {
            const struct task *t = &m->tasks[s];
            if (t->tid != st->tid || (t->wchan != WC_QUEUE && t->wchan != WC_FLUSH))
                continue;
            for (int c = first; c < out->nchans; c++)
                if (out->chans[c].obj == t->wobj)
                    st->wait_chan = c;
        }
    }
}

void queues_snapshot(const struct machine *m, struct snapshot *out)
{
    int first = out->nchans;
    for (int i = 0; i < m->scn->nobjects; i++) {
        const struct object *o = &m->scn->objects[i];
        if (o->kind != OBJ_QUEUE)
            continue;
        if (!snapshot_grow((void **)&out->chans, &out->chancap, out->nchans + 1,
                           sizeof *out->chans))
            return;
        const struct qstate *q = &m->objs[i].q;
        struct snap_chan *c = &out->chans[out->nchans++];
        memset(c, 0, sizeof *c);
        c->kind = o->qkind == QK_MP ? CHAN_QUEUE : o->qkind == QK_JOINABLE ? CHAN_JOINABLE
                                                                          : CHAN_THREADQ;
        c->obj = i;
        snprintf(c->name, sizeof c->name, "%s", o->name);
        c->bytes = q->items.bytes;
        c->capacity = o->qkind == QK_THREAD ? 0 : q->cap;
        c->nmsgs = q->items.count;
        int k = 0;
        for (const struct msgnode *n = msgq_peek(&m->msgs, &q->items);
             n && k < SNAP_MAX_MSGS; n = msgq_next(&m->msgs, n), k++) {
            v_format(&m->heap, n->v, true, c->msgs[k].text, sizeof c->msgs[k].text);
            c->msgs[k].from = n->from;
            c->msgs[k].size = n->size;
        }
        snap_waiters(m, q->get_head, &c->nreaders, c->readers);
        snap_waiters(m, q->put_head, &c->nwriters, c->writers);
        /* feeders on the full pipe, and processes waiting at exit for their
         * feeders, after the blocked putters */
        for (int s = q->wr_head; s >= 0 && c->nwriters < SNAP_MAX_WAITERS;
             s = m->tasks[s].wq_next)
            c->writers[c->nwriters++] = m->tasks[s].tid;
        for (int s = 0; s < m->task_cap && c->nwriters < SNAP_MAX_WAITERS; s++) {
            const struct task *t = &m->tasks[s];
            if (t->state == 'S' && t->wchan == WC_FLUSH && t->wobj == i)
                c->writers[c->nwriters++] = t->tid;
        }
        c->maxsize = o->init > 0 ? o->init : q->maxsize < QUEUE_MAXSIZE_MAX ? q->maxsize : 0;
        c->qsize = (int)(o->qkind == QK_THREAD ? q->items.count : q->maxsize - q->sem);
        c->nbuffered = q->nbuffered;
        c->unfinished = (int)q->unfinished;
        for (int ps = 0; ps < m->proc_cap && o->qkind != QK_THREAD; ps++) {
            if (!m->procs[ps].pid)
                continue;
            for (int r = qf_first(m, ps); r >= 0; r = m->qfeeders[r].next) {
                const struct qfeeder *f = &m->qfeeders[r];
                if (f->queue != i || f->task < 0 || c->nfeeders >= SNAP_MAX_HOLDERS)
                    continue;
                const struct task *ft = &m->tasks[f->task];
                if (ft->state && ft->tid == f->tid)
                    c->feeders[c->nfeeders++] = f->tid;
            }
        }
    }
    snap_wait_chans(m, out, first);
}
