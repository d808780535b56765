/*
 * green.c - the gevent statements (gevent.spawn, gevent.sleep, G.join,
 * gevent.joinall, monkey.patch_all) and the hook exec_tick calls before
 * each statement of a thread that has a hub (green.h).
 *
 * Every gevent statement takes one tick, like any statement; switching
 * itself costs nothing in kernel terms: no context switch is counted
 * (nvcsw stays), the task just runs another greenlet's code next.
 */
#include "green.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* gevent.spawn PROG(args) -> G: a new greenlet, ready, after those
 * already ready (gevent starts it at the hub's next turn). */
static void do_spawn(struct machine *m, struct task *t, struct hub *h,
                     const struct insn *in)
{
    struct value args[MAX_PARAMS];
    for (int i = 0; i < in->argc; i++)
        if (!expr_value(m, t, in->argv[i], &args[i]))
            return;
    int hi = (int)(h - m->coro->hubs);
    int id = greenlet_new(m, h, in->prog);
    if (!id)
        return;
    h = &m->coro->hubs[hi];
    const struct program *pr = program_code(m, in->prog);
    struct value *vars = gvars_of(m, h, id);
    for (int i = 0; i < in->argc && i < pr->nparams; i++)
        vars[m->var_slot[pr->params[i]]] = args[i];
    if (in->aop == 1) {        /* asyncio.create_task */
        m->coro->g[id - 1].task = true;
        h->asyncio = true;
    }
    ready_push(m, h, id);
    t->pc++;
    set_result(m, t, in->var, id);
    char name[64];
    emit_textf(m, EV_GREEN, GR_SPAWN, t, id, -1, "%s %d %s %s", green_who(m, t), t->tid,
               in->aop == 1 ? "creates" : "spawns", green_name(m, h, id, name, sizeof name));
}

/* gevent.sleep N: park until N ticks have passed (0: behind the greenlets
 * ready now, gevent's way to yield). */
static int do_sleep(struct machine *m, struct task *t, struct hub *h,
                    const struct insn *in, int64_t n)
{
    char why[120], name[64];
    int id = h->current;
    green_name(m, h, id, name, sizeof name);
    t->pc++;
    set_result(m, t, in->var, 0);
    if (n <= 0) {
        hub_park(m, t, h, GREEN_READY, t->pc);
        snprintf(why, sizeof why, "%s %d: %s yields (sleep 0)", green_who(m, t), t->tid, name);
    } else {
        hub_park(m, t, h, GREEN_SLEEP, t->pc);
        /* as `sleep`: executed in tick T, asleep during T+1 .. T+N */
        gctx_of(m, h, id)->wake_at = tick_after(m->tick + 1, n);
        snprintf(why, sizeof why, "%s %d: %s sleeps %lld tick%s", green_who(m, t), t->tid, name,
                 (long long)n, n == 1 ? "" : "s");
    }
    hub_switch(m, t, h, why, GR_SLEEP);
    return GH_TIMED;
}

/* The greenlet a value names, of hub h: its id, or -1 after an exception. */
static int greenlet_arg(struct machine *m, struct task *t, struct hub *h,
                        const struct insn *in, struct value v)
{
    const struct coro *c = m->coro;
    if (v.type != V_INT || v.i < 1 || v.i > c->ng) {
        task_raise(m, t, in->pos, EXC_TYPE, h->asyncio ? "not a task (a value from "
                   "asyncio.create_task)" : "not a greenlet (a value from gevent.spawn)");
        return -1;
    }
    if (&c->hubs[c->g[v.i - 1].hub] != h) {
        task_raise(m, t, in->pos, EXC_RUNTIME, "cannot wait for a greenlet or task of "
                   "another thread");
        return -1;
    }
    if (v.i == h->current) {
        task_raise(m, t, in->pos, EXC_RUNTIME, h->asyncio ? "a task cannot await itself"
                   : "a greenlet cannot join itself");
        return -1;
    }
    return (int)v.i;
}

/* The join of a greenlet (`id`, unfinished) parks the caller until it
 * ends or the join's deadline comes; the statement runs again then. */
static int park_join(struct machine *m, struct task *t, struct hub *h, int id)
{
    char why[160], a[64], b[64];
    int me = h->current;
    hub_park(m, t, h, GREEN_JOIN, t->pc);
    gctx_of(m, h, me)->join_on = id;
    snprintf(why, sizeof why, "%s %d: %s waits for %s to end", green_who(m, t), t->tid,
             green_name(m, h, me, a, sizeof a), green_name(m, h, id, b, sizeof b));
    hub_switch(m, t, h, why, GR_JOIN);
    return GH_TIMED;
}

/* A join's timeout=N: false when its deadline has come (it returns). */
static bool join_in_time(struct machine *m, struct hub *h, const struct insn *in)
{
    struct gctx *x = gctx_of(m, h, h->current);
    if (in->timeout < 0)
        return true;
    if (!x->deadline)
        x->deadline = tick_after(m->tick, in->timeout > 0 ? in->timeout : 0);
    return x->deadline > m->tick;
}

/* A join returns: `what` says why ("greenlet 2 (handler) ended"). */
static void join_done(struct machine *m, struct task *t, struct hub *h, const char *what)
{
    char name[64];
    gctx_of(m, h, h->current)->deadline = 0;
    t->pc++;
    emit_textf(m, EV_GREEN, GR_JOIN, t, h->current, -1, "%s %d: %s's %s returns: %s",
               green_who(m, t), t->tid, green_name(m, h, h->current, name, sizeof name),
               h->asyncio ? "await" : "join", what);
}

/* G.join [timeout=N]: gevent's join returns None either way. */
static int do_join(struct machine *m, struct task *t, struct hub *h,
                   const struct insn *in)
{
    struct value v;
    if (!expr_value(m, t, in->e2, &v))
        return GH_TIMED;
    int id = greenlet_arg(m, t, h, in, v);
    if (id < 0)
        return GH_TIMED;
    if (m->coro->g[id - 1].c.state == GREEN_DEAD || !join_in_time(m, h, in)) {
        char what[96], name[64];
        bool dead = m->coro->g[id - 1].c.state == GREEN_DEAD;
        snprintf(what, sizeof what, "%s %s", green_name(m, h, id, name, sizeof name),
                 dead ? "has ended" : "runs on (timeout)");
        join_done(m, t, h, what);
        return GH_TIMED;
    }
    return park_join(m, t, h, id);
}

/* gevent.joinall LIST [timeout=N] [-> DONE]: waits for each unfinished
 * one in turn; DONE gets the list of those that ended (gevent's result). */
static int do_joinall(struct machine *m, struct task *t, struct hub *h,
                      const struct insn *in)
{
    struct value v;
    if (!expr_value(m, t, in->e1, &v))
        return GH_TIMED;
    if (v.type != V_LIST && v.type != V_TUPLE) {
        task_raise(m, t, in->pos, EXC_TYPE, "gevent.joinall takes a list of greenlets");
        return GH_TIMED;
    }
    uint32_t n;
    const struct value *items = v_items(&m->heap, v, &n);
    int waiting = -1;
    for (uint32_t i = 0; i < n; i++) {
        int id = greenlet_arg(m, t, h, in, items[i]);
        if (id < 0)
            return GH_TIMED;
        if (waiting < 0 && m->coro->g[id - 1].c.state != GREEN_DEAD)
            waiting = id;
    }
    if (waiting > 0 && join_in_time(m, h, in))
        return park_join(m, t, h, waiting);
    if (in->var >= 0) {
        struct value *done = malloc((n ? n : 1) * sizeof *done);
        uint32_t k = 0;
        items = v_items(&m->heap, v, &n);
        for (uint32_t i = 0; done && i < n; i++)
            if (m->coro->g[items[i].i - 1].c.state == GREEN_DEAD)
                done[k++] = items[i];
        /* in the order they ended, as gevent.wait gives them (insertion
         * sort: stable, and lists are short) */
        for (uint32_t i = 1; i < k; i++)
            for (uint32_t j = i; j > 0 && m->coro->g[done[j].i - 1].died <
                                          m->coro->g[done[j - 1].i - 1].died; j--) {
                struct value tmp = done[j];
                done[j] = done[j - 1];
                done[j - 1] = tmp;
            }
        struct value out;
        enum verr err = done ? v_seq(&m->heap, V_LIST, done, k, &out) : VE_MEMORY;
        free(done);
        if (err != VE_OK) {
            task_raise_verr(m, t, in->pos, err, "out of memory");
            return GH_TIMED;
        }
        set_result_value(m, t, in->var, out);
    }
    uint32_t ended = 0;
    items = v_items(&m->heap, v, &n);
    for (uint32_t i = 0; i < n; i++)
        ended += m->coro->g[items[i].i - 1].c.state == GREEN_DEAD;
    char what[64];
    snprintf(what, sizeof what, "%u of %u ended%s", ended, n, ended < n ? " (timeout)" : "");
    join_done(m, t, h, what);
    return GH_TIMED;
}

/* A task that ended with an exception: raise it in the awaiting one
 * (asyncio's Task.result()); true when it did. */
static bool raise_its_exception(struct machine *m, struct task *t, const struct insn *in,
                                int id)
{
    const struct greenlet *g = &m->coro->g[id - 1];
    if (g->exc < 0)
        return false;
    task_raise(m, t, in->pos, g->exc, g->exc_msg);
    return true;
}

/* await T [-> R]: park until task T ends; then its result, or its
 * exception raised here. */
static int do_await(struct machine *m, struct task *t, struct hub *h, const struct insn *in)
{
    struct value v;
    if (!expr_value(m, t, in->e2, &v))
        return GH_TIMED;
    int id = greenlet_arg(m, t, h, in, v);
    if (id < 0)
        return GH_TIMED;
    if (m->coro->g[id - 1].c.state != GREEN_DEAD)
        return park_join(m, t, h, id);
    if (raise_its_exception(m, t, in, id))
        return GH_TIMED;
    char what[96], name[64];
    snprintf(what, sizeof what, "%s has ended", green_name(m, h, id, name, sizeof name));
    join_done(m, t, h, what);
    set_result_value(m, t, in->var, m->coro->g[id - 1].result);
    return GH_TIMED;
}

/* await asyncio.gather LIST [-> RS]: the results in LIST's order, once all
 * have ended; the exception of the first that failed (in the order they
 * ended) is raised instead (asyncio raises it as soon as it happens; here
 * when the gather next runs). */
static int do_gather(struct machine *m, struct task *t, struct hub *h, const struct insn *in)
{
    struct value v;
    if (!expr_value(m, t, in->e1, &v))
        return GH_TIMED;
    if (v.type != V_LIST && v.type != V_TUPLE) {
        task_raise(m, t, in->pos, EXC_TYPE, "asyncio.gather takes a list of tasks");
        return GH_TIMED;
    }
    uint32_t n;
    const struct value *items = v_items(&m->heap, v, &n);
    int waiting = -1, failed = -1;
    for (uint32_t i = 0; i < n; i++) {
        int id = greenlet_arg(m, t, h, in, items[i]);
        if (id < 0)
            return GH_TIMED;
        const struct greenlet *g = &m->coro->g[id - 1];
        if (g->c.state != GREEN_DEAD && waiting < 0)
            waiting = id;
        if (g->c.state == GREEN_DEAD && g->exc >= 0 &&
            (failed < 0 || g->died < m->coro->g[failed - 1].died))
            failed = id;
    }
    if (failed > 0) {
        raise_its_exception(m, t, in, failed);
        return GH_TIMED;
    }
    if (waiting > 0)
        return park_join(m, t, h, waiting);
    struct value *res = malloc((n ? n : 1) * sizeof *res);
    items = v_items(&m->heap, v, &n);
    for (uint32_t i = 0; res && i < n; i++)
        res[i] = m->coro->g[items[i].i - 1].result;
    struct value out;
    enum verr err = res ? v_seq(&m->heap, V_LIST, res, n, &out) : VE_MEMORY;
    free(res);
    if (err != VE_OK) {
        task_raise_verr(m, t, in->pos, err, "out of memory");
        return GH_TIMED;
    }
    char what[64];
    snprintf(what, sizeof what, "gather: %u of %u ended", n, n);
    join_done(m, t, h, what);
    set_result_value(m, t, in->var, out);
    return GH_TIMED;
}

bool green_exec(struct machine *m, struct task *t, const struct insn *in)
{
    struct hub *h = hub_get(m, t);
    if (!h)
        return false;
    if (t->nframes > 0 && in->method != GREENM_SPAWN && in->method != GREENM_PATCH) {
        machine_fail(m, in->pos, "gevent.sleep, joins and awaits in a signal handler are "
                     "not simulated (a handler runs in whichever greenlet it interrupted)");
        return false;
    }
    switch (in->method) {
    case GREENM_SPAWN:
        do_spawn(m, t, h, in);
        return false;
    case GREENM_SLEEP: {
        int64_t n;
        if (!expr_int(m, t, in->e1, &n))
            return false;
        do_sleep(m, t, h, in, n);
        return false;
    }
    case GREENM_JOIN:
        do_join(m, t, h, in);
        return false;
    case GREENM_JOINALL:
        do_joinall(m, t, h, in);
        return false;
    case GREENM_AWAIT:
        do_await(m, t, h, in);
        return false;
    case GREENM_GATHER:
        do_gather(m, t, h, in);
        return false;
    case GREENM_PATCH:
        h->patched = true;
        t->pc++;
        emit_textf(m, EV_GREEN, GR_PATCH, t, 0, -1, "%s %d: monkey.patch_all: from now "
                   "on its sleep and pipe and socket calls that would block switch "
                   "greenlets instead", green_who(m, t), t->tid);
        return false;
    default:
        machine_fail(m, in->pos, "this gevent statement is not supported");
        return false;
    }
}

/* Called before each statement of a task while any hub exists. */
int green_hook(struct machine *m, struct task *t, const struct insn *in)
{
    struct hub *h = hub_of(m, t);
    if (!h && (in->flags & INSN_AWAIT) && t->nframes == 0) {
        if (!(h = hub_get(m, t)))      /* the first await starts the loop */
            return GH_TIMED;
        h->asyncio = true;
    }
    if (!h || t->nframes > 0)
        return GH_GO;          /* a handler runs on the thread, unswitched */
    if (h->current < 0)
        return hub_resume(m, t, h);
    if (in->op == OP_END) {
        if (h->current > 0 && !task_returns(m, t))
            return greenlet_die(m, t, h);
        return GH_GO;          /* the main greenlet ends: the thread does */
    }
    if (!h->patched && !(in->flags & INSN_AWAIT))
        return GH_GO;
    return green_patched(m, t, h, in);
}

/* An exception nobody catches in an asyncio task: the task ends and keeps
 * it for whoever awaits it (nothing is printed; asyncio logs "Task
 * exception was never retrieved" only if nobody does). True when it was
 * such a task. */
bool green_task_failed(struct machine *m, struct task *t, int exc, const char *msg)
{
    struct hub *h = hub_of(m, t);
    if (!h || h->current <= 0 || t->nframes > 0 || !m->coro->g[h->current - 1].task)
        return false;
    struct greenlet *g = &m->coro->g[h->current - 1];
    g->exc = (int8_t)exc;
    g->exc_msg = msg;
    greenlet_die(m, t, h);
    return true;
}

/* An uncaught exception in a spawned greenlet ends that greenlet only:
 * gevent prints the traceback and the hub goes on. */
bool green_uncaught(struct machine *m, struct task *t)
{
    struct hub *h = hub_of(m, t);
    if (!h || h->current <= 0)
        return false;
    greenlet_die(m, t, h);
    return true;
}
