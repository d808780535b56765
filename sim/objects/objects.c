/*
 * objects.c - what threads and processes share: `shared` values
 * (multiprocessing.Value), locks, rlocks, semaphores and events, with their
 * wait queues, lost-update detection and deadlock detection. A shared
 * value (and an array, array.c) has a built-in re-entrant lock, as
 * multiprocessing's Value and Array have: NAME.acquire / NAME.release.
 *
 * acquire and event wait take `nowait` or `timeout=N` and give True or
 * False as Python returns; a timed wait gives up in step 2 of the tick its
 * deadline comes (procobj_timed_out).
 *
 * Wait queues are FIFO: a lock or semaphore released with waiters goes
 * straight to the one that has waited longest, whose acquire then
 * completes; event.set() wakes every waiter. A task waiting on an object is
 * in S with the object's name as its wait channel.
 *
 * A shared update that reads shared memory (`money += x`, `money = money -
 * 1`) takes two ticks: the load, then the store. If another task stored to
 * the value in between, this store overwrites that work: a lost update,
 * reported as an event.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

#include "sched.h"

/* ------------------------------------------------------------ wait queues */

void task_unwait(struct machine *m, struct task *t)
{
    int s = (int)(t - m->tasks);
    if (t->state == 'S' && t->wchan == WC_GIL) {
        struct proc *p = proc_of(m, t);
        wq_remove(m, &p->gil_head, &p->gil_tail, s);
    } else if (t->state == 'S' && t->wchan == WC_OBJ) {
        struct objstate *o = &m->objs[t->wobj];
        wq_remove(m, &o->head, &o->tail, s);
        o->nwaiting--;
    } else if (t->state == 'S' && t->wchan == WC_QUEUE) {
        queue_unwait(m, t);
    } else if (t->state == 'S' && t->wchan == WC_PIPE) {
        pipes_unwait(m, t);
    } else if (t->state == 'S' && t->wchan == WC_POOL) {
        pool_unwait(m, t);
    } else if (t->state == 'S' && t->wchan == WC_SOCK) {
        sock_unwait(m, t);
    } else if (t->state == 'S' && (t->wchan == WC_POLL || t->wchan == WC_HUB)) {
        fwatch_drop_task(m, s);
    }
    task_cancel_timer(m, t);
}

/* ----------------------------------------------------------------- state */

bool objects_init(struct machine *m)
{
    const struct scenario *s = m->scn;
    m->objs = calloc((size_t)s->nobjects + 1, sizeof *m->objs);
    if (!m->objs)
        return false;
    m->objs_cap = s->nobjects + 1;
    for (int i = 0; i < s->nobjects; i++) {
        struct objstate *o = &m->objs[i];
        o->owner = -1;
        o->head = o->tail = -1;
        o->lost_at = -1;
        if (s->objects[i].kind == OBJ_SHARED || s->objects[i].kind == OBJ_SEMAPHORE)
            o->value = s->objects[i].init;
    }
    return array_init(m);
}

/* A task that ends while holding locks leaves them held, by nobody who can
 * release them (as in Python). */
void objects_task_gone(struct machine *m, int slot)
{
    for (int i = 0; i < m->scn->nobjects; i++)
        if (m->objs[i].owner == slot)
            m->objs[i].owner = OWNER_GONE;
    queue_task_gone(m, &m->tasks[slot]);
    fwatch_drop_task(m, slot);     /* woken by a watch, then gone (killed) */
    green_task_gone(m, slot);
}

/* ---------------------------------------------------------- shared values */

/* Does e read shared memory (a shared value or an array item)? */
bool objects_reads_shared(const struct expr *e)
{
    return e && (e->kind == EX_SHARED || e->kind == EX_ARRAY_GET ||
                 (e->kind == EX_REF && e->num == ROP_VALUE) ||
                 objects_reads_shared(e->a) || objects_reads_shared(e->b));
}

/* NAME = / += / -= EXPR. Returns false after a runtime error. */
bool objects_shared_set(struct machine *m, struct task *t, const struct insn *in)
{
    struct objstate *o = &m->objs[in->obj];
    if (!t->storing) {
        int64_t v;
        if (!expr_int(m, t, in->e1, &v))
            return false;
        if (in->aop != AOP_SET)
            charge_shared(m, t);               /* += reads the value */
        if (in->aop == AOP_ADD)
            v = (int64_t)((uint64_t)o->value + (uint64_t)v);
        else if (in->aop == AOP_SUB)
            v = (int64_t)((uint64_t)o->value - (uint64_t)v);
        if (in->aop != AOP_SET || objects_reads_shared(in->e1)) {
            /* This tick loads; the store comes next tick. */
            t->storing = true;
            t->store_value = v;
            t->store_version = o->version;
            t->load_tick = m->tick;
            return true;
        }
        t->store_value = v;
        t->store_version = o->version;
    } else if (o->version != t->store_version) {
        char text[200];
        snprintf(text, sizeof text,
                 "lost update: pid %d stored %lld to %s over %lld written by tid %d "
                 "since its load at tick %lld", m->procs[t->proc].pid,
                 (long long)t->store_value, m->scn->objects[in->obj].name,
                 (long long)o->value, o->last_writer, (long long)t->load_tick);
        emit_text(m, EV_LOST_UPDATE, t, text, strlen(text));
        o->lost_at = m->tick;
    }
    charge_shared(m, t);
    o->value = t->store_value;
    o->version++;
    o->last_writer = t->tid;
    o->last_write = m->tick;
    t->storing = false;
    t->pc++;
    return true;
}

/* ------------------------------------------------------------ deadlocks */

/* A lock or the built-in lock of a shared value or array (an RLock, as
 * multiprocessing's Value and Array have by default). */
static bool reentrant(enum object_kind k)
{
    return k == OBJ_RLOCK || k == OBJ_SHARED || k == OBJ_ARRAY;
}

/* t just began waiting for lock obj: follow who holds what; if the chain
 * comes back to t, the tasks on it can never run again. */
static void detect_cycle(struct machine *m, struct task *t, int obj)
{
    char text[600];
    size_t n = 0;
    int slot = (int)(t - m->tasks);
    int cur = slot, lock = obj;
    for (int steps = 0; steps <= m->scn->nobjects; steps++) {
        int owner = m->objs[lock].owner;
        if (owner < 0)
            return;
        if (n < sizeof text)
            n += (size_t)snprintf(text + n, sizeof text - n, "%stid %d waits for %s held by tid %d",
                                  n ? "; " : "deadlock: ", m->tasks[cur].tid,
                                  m->scn->objects[lock].name, m->tasks[owner].tid);
        if (owner == slot) {
            emit_text(m, EV_DEADLOCK, t, text, strlen(text));
            return;
        }
        const struct task *o = &m->tasks[owner];
        if (o->state != 'S' || o->wchan != WC_OBJ ||
            (m->scn->objects[o->wobj].kind != OBJ_LOCK &&
             !reentrant(m->scn->objects[o->wobj].kind)))
            return;
        cur = owner;
        lock = o->wobj;
    }
}

/* Wait on object obj (pc is already past the statement: the wait completes
 * when the task is handed the object or the event is set), for `ticks`
 * ticks at most (-1: no timeout; procobj_timed_out ends it). */
static void wait_on(struct machine *m, struct task *t, int obj, int64_t ticks)
{
    struct objstate *o = &m->objs[obj];
    t->wobj = obj;
    task_block(m, t, 'S', WC_OBJ, ticks);
    wq_push(m, &o->head, &o->tail, (int)(t - m->tasks));
    o->nwaiting++;
}

/* Wake the first waiter of o, or -1 if none; returns its slot. */
static int wake_first(struct machine *m, struct objstate *o)
{
    int s = o->head;
    if (s < 0)
        return -1;
    struct task *w = &m->tasks[s];
    task_unwait(m, w);
    /* Its acquire or wait (just before pc) succeeds: True. */
    procobj_set_bool(m, w, program_code(m, w->prog)->code[w->pc - 1].var, true);
    procobj_wait_done(w);
    task_wake(m, w, WHY_OBJ, (int)(o - m->objs));
    return s;
}

/* An acquire or wait that cannot complete now: wait, or with nowait or
 * when its timeout has run out, return False. */
static void wait_or_fail(struct machine *m, struct task *t, const struct insn *in,
                         int64_t holder, bool announce)
{
    int64_t left = in->flags & INSN_NOWAIT ? 0 : procobj_deadline(m, t, in->timeout);
    if (left == 0) {
        procobj_wait_done(t);
        procobj_set_bool(m, t, in->var, false);
        if (in->timeout > 0)
            emit(m, EV_OBJ, OBJ_TIMED_OUT, t, in->obj, in->timeout);
        else
            emit(m, EV_OBJ, in->method == METHOD_WAIT ? OBJ_TIMED_OUT : OBJ_BUSY, t,
                 in->obj, 0);
        return;
    }
    if (announce)
        emit(m, EV_OBJ, OBJ_WAITS, t, in->obj, holder);
    wait_on(m, t, in->obj, left);
}

/* It completed at once: True. */
static void succeed(struct machine *m, struct task *t, const struct insn *in)
{
    procobj_wait_done(t);
    procobj_set_bool(m, t, in->var, true);
}

/* ------------------------------------------------------------ operations */

static bool acquire(struct machine *m, struct task *t, const struct insn *in)
{
    struct objstate *o = &m->objs[in->obj];
    enum object_kind k = m->scn->objects[in->obj].kind;
    int s = (int)(t - m->tasks);
    bool forever = !(in->flags & INSN_NOWAIT) && in->timeout < 0;
    t->pc++;
    if (k == OBJ_SEMAPHORE) {
        if (o->value > 0) {
            o->value--;
            emit(m, EV_OBJ, OBJ_ACQUIRED, t, in->obj, o->value);
            succeed(m, t, in);
        } else {
            wait_or_fail(m, t, in, 0, true);
        }
        return true;
    }
    if (o->owner < 0 && o->owner != OWNER_GONE) {
        o->owner = s;
        o->count = 1;
        emit(m, EV_OBJ, OBJ_ACQUIRED, t, in->obj, 1);
        succeed(m, t, in);
    } else if (o->owner == s && reentrant(k)) {
        o->count++;
        emit(m, EV_OBJ, OBJ_ACQUIRED, t, in->obj, o->count);
        succeed(m, t, in);
    } else if (o->owner == s) {
        if (forever) {
            char text[200];
            snprintf(text, sizeof text, "deadlock: tid %d waits for %s, which it holds "
                     "itself (a Lock is not re-entrant; an RLock is)", t->tid,
                     m->scn->objects[in->obj].name);
            emit_text(m, EV_DEADLOCK, t, text, strlen(text));
        }
        wait_or_fail(m, t, in, t->tid, !forever);  /* the deadlock said it */
    } else {
        wait_or_fail(m, t, in, o->owner >= 0 ? m->tasks[o->owner].tid : 0, true);
        if (forever)
            detect_cycle(m, t, in->obj);
    }
    return true;
}

static bool release(struct machine *m, struct task *t, const struct insn *in)
{
    struct objstate *o = &m->objs[in->obj];
    const struct object *obj = &m->scn->objects[in->obj];
    int s = (int)(t - m->tasks);
    if (obj->kind == OBJ_SEMAPHORE) {
        t->pc++;
        int w = wake_first(m, o);
        if (w < 0)
            o->value++;
        emit(m, EV_OBJ, OBJ_RELEASED, t, in->obj, o->value);
        return true;
    }
    if (o->owner != s) {
        machine_fail(m, in->pos, "%s '%s' released by tid %d, which does not hold it "
                     "(Python raises RuntimeError: release unlocked lock)",
                     obj->kind == OBJ_LOCK ? "lock" : obj->kind == OBJ_RLOCK ? "rlock"
                     : obj->kind == OBJ_ARRAY ? "the lock of array" : "the lock of shared value",
                     obj->name, t->tid);
        return false;
    }
    t->pc++;
    if (--o->count > 0) {
        emit(m, EV_OBJ, OBJ_RELEASED, t, in->obj, o->count);
        return true;
    }
    o->owner = -1;
    emit(m, EV_OBJ, OBJ_RELEASED, t, in->obj, 0);
    int w = wake_first(m, o);
    if (w >= 0) {
        o->owner = w;
        o->count = 1;
        emit(m, EV_OBJ, OBJ_ACQUIRED, &m->tasks[w], in->obj, 1);
    }
    return true;
}

/* NAME.method: one tick. False after a runtime error. */
bool objects_op(struct machine *m, struct task *t, const struct insn *in)
{
    struct objstate *o = &m->objs[in->obj];
    if (m->scn->objects[in->obj].kind == OBJ_QUEUE) {
        queue_op(m, t, in);
        return m->status == MS_RUNNING;
    }
    switch (in->method) {
    case METHOD_ACQUIRE:
        return acquire(m, t, in);
    case METHOD_RELEASE:
        return release(m, t, in);
    case METHOD_SET:
        t->pc++;
        o->value = 1;
        emit(m, EV_OBJ, OBJ_SET, t, in->obj, o->nwaiting);
        while (wake_first(m, o) >= 0)
            ;
        return true;
    case METHOD_CLEAR:
        t->pc++;
        o->value = 0;
        emit(m, EV_OBJ, OBJ_CLEARED, t, in->obj, 0);
        return true;
    case METHOD_WAIT:
        t->pc++;
        if (o->value)
            succeed(m, t, in);
        else
            wait_or_fail(m, t, in, 0, true);
        return true;
    case METHOD_SEND:
    case METHOD_RECV:
    case METHOD_CLOSE:
        return pipes_op(m, t, in);
    default:
        machine_fail(m, in->pos, "queues and pipes are not supported yet");
        return false;
    }
}

/* Values held by objects (pipes and queues will hold messages) and the
 * kept results of ended threads. */
void objects_mark_values(struct machine *m)
{
    pipes_mark(m);
    queues_mark(m);
    procobj_mark(m);
}

/* Tasks still waiting on locks when the run is stuck: the deadlock summary. */
int objects_deadlocked(const struct machine *m)
{
    int n = 0;
    for (int i = 0; i < m->scn->nobjects; i++)
        n += m->objs[i].nwaiting;
    return n;
}
