/*
 * hub.c - a thread's gevent hub: its greenlets' saved contexts, the ready
 * queue and the wait list, and switching between them (green.h).
 */
#include "green.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(struct machine *m)
{
    machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
}

struct hub *hub_of(const struct machine *m, const struct task *t)
{
    const struct coro *c = m->coro;
    int s = (int)(t - m->tasks);
    if (!c || s >= c->thubcap || !c->thub[s])
        return NULL;
    return &c->hubs[c->thub[s] - 1];
}

static void ctx_init(struct gctx *x)
{
    memset(x, 0, sizeof *x);
    x->x = -1;
    x->next = -1;
    x->wait_fd = -1;
    x->wake_at = -1;
    x->join_on = -1;
}

struct hub *hub_get(struct machine *m, struct task *t)
{
    struct hub *h = hub_of(m, t);
    if (h)
        return h;
    if (!m->coro && !(m->coro = calloc(1, sizeof *m->coro))) {
        oom(m);
        return NULL;
    }
    struct coro *c = m->coro;
    int s = (int)(t - m->tasks);
    int oldcap = c->hubcap;
    if (!array_grow((void **)&c->thub, &c->thubcap, s + 1, sizeof *c->thub) ||
        !array_grow((void **)&c->hubs, &c->hubcap, c->nhubs + 1, sizeof *c->hubs) ||
        !var_pool_grow(&c->hvars, m->ntask_vars, oldcap, c->hubcap)) {
        if (c->hubcap != oldcap)           /* keep hvars as large as hubs */
            c->hubcap = oldcap;
        oom(m);
        return NULL;
    }
    h = &c->hubs[c->nhubs];
    memset(h, 0, sizeof *h);
    h->task = s;
    h->tid = t->tid;
    h->used = true;
    h->current = 0;
    ctx_init(&h->main);
    h->main.state = GREEN_RUNNING;
    h->main.switches = 1;
    h->first = h->last = h->ready_head = h->ready_tail = -1;
    h->wait_head = h->wait_tail = -1;
    c->thub[s] = ++c->nhubs;
    return h;
}

struct gctx *gctx_of(struct machine *m, struct hub *h, int id)
{
    return id == 0 ? &h->main : &m->coro->g[id - 1].c;
}

struct value *gvars_of(struct machine *m, struct hub *h, int id)
{
    struct coro *c = m->coro;
    if (id == 0)
        return vars_of(c->hvars, m->ntask_vars, (int)(h - c->hubs));
    return vars_of(c->gvars, m->ntask_vars, id - 1);
}

int greenlet_new(struct machine *m, struct hub *h, int prog)
{
    struct coro *c = m->coro;
    int hi = (int)(h - c->hubs);
    int oldcap = c->gcap;
    if (!array_grow((void **)&c->g, &c->gcap, c->ng + 1, sizeof *c->g) ||
        !var_pool_grow(&c->gvars, m->ntask_vars, oldcap, c->gcap)) {
        if (c->gcap != oldcap)
            c->gcap = oldcap;
        oom(m);
        return 0;
    }
    h = &c->hubs[hi];
    int id = ++c->ng;
    struct greenlet *g = &c->g[id - 1];
    ctx_init(&g->c);
    g->c.prog = prog;
    g->hub = hi;
    g->prog = prog;
    g->hub_next = -1;
    g->result = v_none();
    g->exc = -1;
    if (h->last > 0)
        c->g[h->last - 1].hub_next = id;
    else
        h->first = id;
    h->last = id;
    return id;
}

void ready_push(struct machine *m, struct hub *h, int id)
{
    struct gctx *x = gctx_of(m, h, id);
    x->state = GREEN_READY;
    x->next = -1;
    if (h->ready_tail >= 0)
        gctx_of(m, h, h->ready_tail)->next = id;
    else
        h->ready_head = id;
    h->ready_tail = id;
}

static void save(struct machine *m, struct task *t, struct hub *h, int pc)
{
    struct gctx *x = gctx_of(m, h, h->current);
    x->prog = t->prog;
    x->pc = pc;
    x->left = t->left;
    x->x = t->x;
    if (m->ntask_vars)
        memcpy(gvars_of(m, h, h->current), vars_of(m->task_vars, m->ntask_vars, h->task),
               (size_t)m->ntask_vars * sizeof(struct value));
}

static void load(struct machine *m, struct task *t, struct hub *h, int id)
{
    struct gctx *x = gctx_of(m, h, id);
    t->prog = x->prog;
    t->pc = x->pc;
    t->left = x->left;
    t->x = x->x;
    if (m->ntask_vars)
        memcpy(vars_of(m->task_vars, m->ntask_vars, h->task), gvars_of(m, h, id),
               (size_t)m->ntask_vars * sizeof(struct value));
    x->state = GREEN_RUNNING;
    x->switches++;
    h->current = id;
}

void hub_park(struct machine *m, struct task *t, struct hub *h, int state, int pc)
{
    int id = h->current;
    save(m, t, h, pc);
    if (state == GREEN_READY) {
        ready_push(m, h, id);
        return;
    }
    struct gctx *x = gctx_of(m, h, id);
    x->state = (uint8_t)state;
    x->next = -1;
    if (h->wait_tail >= 0)
        gctx_of(m, h, h->wait_tail)->next = id;
    else
        h->wait_head = id;
    h->wait_tail = id;
    h->nwaiting++;
}

static bool is_dead(struct machine *m, int id)
{
    return id > 0 && id <= m->coro->ng && m->coro->g[id - 1].c.state == GREEN_DEAD;
}

/* Is parked greenlet x ready now? A fd wait looks at the file's readiness
 * (level: whatever happened since it parked), a sleep at its tick, a join
 * at its target and deadline. */
static bool ready_now(struct machine *m, const struct gctx *x)
{
    if (x->deadline && x->deadline <= m->tick)
        return true;           /* a join's or socket's timeout */
    switch (x->state) {
    case GREEN_WAIT_FD:
        return file_events(m, x->wait_key) &
               (x->wait_events | POLL_ERR | POLL_HUP | POLL_NVAL);
    case GREEN_SLEEP:
        return x->wake_at <= m->tick;
    case GREEN_JOIN:
        return is_dead(m, x->join_on);
    default:
        return true;
    }
}

/* Move every parked greenlet that is ready now to the ready queue, in park
 * order: what gevent's loop does each time the hub runs. */
static void hub_poll(struct machine *m, struct hub *h)
{
    int prev = -1;
    for (int id = h->wait_head; id >= 0;) {
        struct gctx *x = gctx_of(m, h, id);
        int next = x->next;
        if (ready_now(m, x)) {
            if (prev >= 0)
                gctx_of(m, h, prev)->next = next;
            else
                h->wait_head = next;
            if (h->wait_tail == id)
                h->wait_tail = prev;
            h->nwaiting--;
            ready_push(m, h, id);
        } else {
            prev = id;
        }
        id = next;
    }
}

static int ready_pop(struct machine *m, struct hub *h)
{
    int id = h->ready_head;
    if (id < 0)
        return -1;
    struct gctx *x = gctx_of(m, h, id);
    h->ready_head = x->next;
    if (h->ready_head < 0)
        h->ready_tail = -1;
    x->next = -1;
    return id;
}

const char *green_who(const struct machine *m, const struct task *t)
{
    return t->tid == m->procs[t->proc].pid ? "pid" : "tid";
}

const char *green_unit(const struct hub *h) { return h->asyncio ? "task" : "greenlet"; }
const char *green_loop(const struct hub *h) { return h->asyncio ? "event loop" : "hub"; }

const char *green_name(const struct machine *m, const struct hub *h, int id, char *buf,
                       size_t n)
{
    if (id == 0)
        snprintf(buf, n, "the main %s", green_unit(h));
    else
        snprintf(buf, n, "%s %d (%s)", m->coro->g[id - 1].task ? "task" : "greenlet", id,
                 program_code(m, m->coro->g[id - 1].prog)->name);
    return buf;
}

/* Nobody is ready: the task blocks in WC_HUB, watching the fds its
 * greenlets wait for, with a timer at the earliest deadline. */
static void hub_block(struct machine *m, struct task *t, struct hub *h)
{
    int64_t first = INT64_MAX;
    for (int id = h->wait_head; id >= 0;) {
        struct gctx *x = gctx_of(m, h, id);
        if (x->state == GREEN_WAIT_FD &&
            fwatch_add(m, x->wait_key, x->wait_fd, x->wait_events, FW_TASK, h->task, id) < 0)
            return;
        if (x->state == GREEN_SLEEP && x->wake_at < first)
            first = x->wake_at;
        if (x->deadline && x->deadline < first)
            first = x->deadline;
        id = x->next;
    }
    h->current = -1;
    int64_t ticks = first == INT64_MAX ? -1 : first - (m->tick + 1);
    task_block(m, t, 'S', WC_HUB, ticks < 0 && first != INT64_MAX ? 0 : ticks);
}

int hub_switch(struct machine *m, struct task *t, struct hub *h, const char *why,
               int reason)
{
    int from = h->current;
    hub_poll(m, h);
    int id = ready_pop(m, h);
    char name[64];
    if (id >= 0) {
        emit_textf(m, EV_GREEN, reason, t, from, id, "%s; switch to %s", why,
                   green_name(m, h, id, name, sizeof name));
        load(m, t, h, id);
        return GH_UNTIMED;
    }
    emit_textf(m, EV_GREEN, reason, t, from, -1, "%s; no %s is ready: the %s "
               "waits (%s %d sleeps)", why, green_unit(h), green_loop(h), green_who(m, t),
               t->tid);
    hub_block(m, t, h);
    return GH_TIMED;
}

int hub_resume(struct machine *m, struct task *t, struct hub *h)
{
    fwatch_drop_task(m, h->task);
    hub_poll(m, h);
    int id = ready_pop(m, h);
    char name[64];
    if (id < 0) {              /* woken for nothing (a signal's handler) */
        hub_block(m, t, h);
        return GH_TIMED;
    }
    emit_textf(m, EV_GREEN, GR_RESUME, t, -1, id, "%s %d's %s wakes: switch to %s",
               green_who(m, t), t->tid, green_loop(h), green_name(m, h, id, name, sizeof name));
    load(m, t, h, id);
    return GH_UNTIMED;
}

int greenlet_die(struct machine *m, struct task *t, struct hub *h)
{
    int id = h->current;
    struct greenlet *g = &m->coro->g[id - 1];
    g->result = task_result(m, t);
    taskx_drop(m, t);
    t->left = 0;
    g->c.x = -1;
    g->c.state = GREEN_DEAD;
    g->died = ++m->coro->ndied;
    if (m->ntask_vars)
        memset(gvars_of(m, h, id), 0, (size_t)m->ntask_vars * sizeof(struct value));
    /* Its joiners are ready now (hub_poll sees it dead). */
    char why[96], name[64];
    snprintf(why, sizeof why, "%s %d: %s ends", green_who(m, t), t->tid,
             green_name(m, h, id, name, sizeof name));
    return hub_switch(m, t, h, why, GR_END);
}

/* ------------------------------------------------------ machine hooks */

void green_task_gone(struct machine *m, int slot)
{
    struct coro *c = m->coro;
    if (!c || slot >= c->thubcap || !c->thub[slot])
        return;
    struct hub *h = &c->hubs[c->thub[slot] - 1];
    struct task *t = &m->tasks[slot];
    fwatch_drop_task(m, slot);
    /* The contexts not loaded hold their own taskx (the loaded one is
     * t->x, which its owner drops). */
    for (int id = 0; id >= 0; id = id == 0 ? h->first : c->g[id - 1].hub_next) {
        struct gctx *x = gctx_of(m, h, id);
        if (x->x >= 0 && x->x != t->x) {
            struct task tmp = { .x = x->x };
            taskx_drop(m, &tmp);
        }
        x->x = -1;
        if (id > 0 && x->state != GREEN_DEAD)
            x->state = GREEN_DEAD;
        if (m->ntask_vars)
            memset(gvars_of(m, h, id), 0, (size_t)m->ntask_vars * sizeof(struct value));
    }
    h->used = false;
    c->thub[slot] = 0;
}

void green_mark(struct machine *m)
{
    struct coro *c = m->coro;
    if (!c)
        return;
    struct vheap *heap = &m->heap;
    size_t n = (size_t)m->ntask_vars;
    for (size_t i = 0; i < (size_t)c->ng * n; i++)
        vheap_mark(heap, c->gvars[i]);
    for (size_t i = 0; i < (size_t)c->nhubs * n; i++)
        vheap_mark(heap, c->hvars[i]);
    for (int i = 0; i < c->ng; i++)
        vheap_mark(heap, c->g[i].result);
}

static void *dup(const void *p, size_t n, bool *ok)
{
    if (!p || n == 0)
        return NULL;
    void *q = malloc(n);
    if (q)
        memcpy(q, p, n);
    else
        *ok = false;
    return q;
}

bool green_clone(struct machine *dst, const struct machine *src)
{
    const struct coro *s = src->coro;
    dst->coro = NULL;
    if (!s)
        return true;
    struct coro *c = calloc(1, sizeof *c);
    if (!c)
        return false;
    bool ok = true;
    size_t n = (size_t)src->ntask_vars * sizeof(struct value);
    *c = *s;
    c->hubs = dup(s->hubs, (size_t)s->hubcap * sizeof *c->hubs, &ok);
    c->g = dup(s->g, (size_t)s->gcap * sizeof *c->g, &ok);
    c->thub = dup(s->thub, (size_t)s->thubcap * sizeof *c->thub, &ok);
    c->gvars = dup(s->gvars, (size_t)s->gcap * n, &ok);
    c->hvars = dup(s->hvars, (size_t)s->hubcap * n, &ok);
    dst->coro = c;
    return ok;
}

void green_free(struct machine *m)
{
    struct coro *c = m->coro;
    if (!c)
        return;
    free(c->hubs);
    free(c->g);
    free(c->thub);
    free(c->gvars);
    free(c->hvars);
    free(c);
    m->coro = NULL;
}
