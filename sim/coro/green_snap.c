/*
 * green_snap.c - what is seen of greenlets from outside: snapshots (struct
 * snap_green: a lane per greenlet in its thread's card), the hub's wait
 * channel, and what a stuck run's hubs wait for.
 */
#include "green.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int line_of(const struct machine *m, int prog, int pc)
{
    if (prog < 0)
        return 0;
    const struct program *pr = program_code(m, prog);
    return pc >= 0 && pc < pr->ncode ? pr->code[pc].pos.line : 0;
}

static void add(const struct machine *m, struct snapshot *out, const struct hub *h,
                int id, const struct gctx *x, int prog)
{
    if (!snapshot_grow((void **)&out->greens, &out->greencap, out->ngreens + 1,
                       sizeof *out->greens))
        return;
    const struct task *t = &m->tasks[h->task];
    struct snap_green *g = &out->greens[out->ngreens++];
    memset(g, 0, sizeof *g);
    g->pid = m->procs[t->proc].pid;
    g->tid = t->tid;
    g->id = id;
    strncpy(g->name, id == 0 ? "main" : program_code(m, prog)->name, sizeof g->name - 1);
    g->state = x->state;
    bool loaded = h->current == id;
    g->line = loaded ? line_of(m, t->prog, t->pc) : line_of(m, x->prog, x->pc);
    g->wait_fd = x->state == GREEN_WAIT_FD ? x->wait_fd : -1;
    g->wake_at = x->state == GREEN_SLEEP ? x->wake_at
               : x->state == GREEN_JOIN && x->deadline ? x->deadline : -1;
    g->switches = x->switches;
}

static int by_tid_id(const void *a, const void *b)
{
    const struct snap_green *x = a, *y = b;
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Every live hub's greenlets: the main one and the spawned ones still
 * alive (dead ones leave their lane). */
void green_snapshot(const struct machine *m, struct snapshot *out)
{
    const struct coro *c = m->coro;
    if (!c)
        return;
    for (int hi = 0; hi < c->nhubs; hi++) {
        const struct hub *h = &c->hubs[hi];
        if (!h->used || !m->tasks[h->task].state || m->tasks[h->task].state == 'Z')
            continue;
        if (h->first < 0)
            continue;          /* patched, nothing spawned: no lanes */
        add(m, out, h, 0, &h->main, -1);
        for (int id = h->first; id > 0; id = c->g[id - 1].hub_next)
            if (c->g[id - 1].c.state != GREEN_DEAD)
                add(m, out, h, id, &c->g[id - 1].c, c->g[id - 1].prog);
    }
    if (out->ngreens > 1)
        qsort(out->greens, (size_t)out->ngreens, sizeof *out->greens, by_tid_id);
}

const char *green_wchan(const struct machine *m, const struct task *t)
{
    (void)m;
    (void)t;
    return "hub";
}

/* What a parked greenlet waits for, in buf. */
static const char *waits_for(const struct machine *m, const struct hub *h,
                             const struct gctx *x, char *buf, size_t n)
{
    char name[64];
    if (x->state == GREEN_WAIT_FD)
        snprintf(buf, n, "fd %d", x->wait_fd);
    else if (x->state == GREEN_JOIN)
        snprintf(buf, n, "%s", green_name(m, h, x->join_on, name, sizeof name));
    else
        snprintf(buf, n, "its turn");
    return buf;
}

/* The run is stuck: each hub that waits (WC_HUB) names its parked
 * greenlets and what they wait for, the last events of the run (gevent
 * would raise LoopExit, "This operation would block forever", in the main
 * greenlet when nothing could ever wake its hub). */
void green_stuck(struct machine *m)
{
    struct coro *c = m->coro;
    if (!c)
        return;
    for (int hi = 0; hi < c->nhubs; hi++) {
        struct hub *h = &c->hubs[hi];
        const struct task *t = &m->tasks[h->task];
        if (!h->used || t->state != 'S' || t->wchan != WC_HUB)
            continue;
        char text[600], name[64], what[64];
        size_t len = (size_t)snprintf(text, sizeof text, "%s %d's %s waits forever:",
                                      green_who(m, t), t->tid, green_loop(h));
        int listed = 0;
        for (int id = h->wait_head; id >= 0 && len < sizeof text;) {
            const struct gctx *x = gctx_of(m, h, id);
            if (listed++ == 8) {
                len += (size_t)snprintf(text + len, sizeof text - len, " ...");
                break;
            }
            len += (size_t)snprintf(text + len, sizeof text - len, "%s %s waits for %s",
                                    listed > 1 ? ";" : "",
                                    green_name(m, h, id, name, sizeof name),
                                    waits_for(m, h, x, what, sizeof what));
            id = x->next;
        }
        emit_textf(m, EV_GREEN, GR_BLOCKS, t, h->nwaiting, -1, "%s", text);
    }
}
