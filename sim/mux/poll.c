/*
 * poll.c - select.poll() objects: register, modify, unregister and poll
 * (poll(2) under CPython's poll object).
 *
 * The object keeps the fds registered with their masks, in registration
 * order; each p.poll hands the whole array to the kernel, which looks at
 * every fd (cost: scan_cost each), so poll, like select, costs what it
 * watches, ready or not. An fd that is not open comes back with POLLNVAL;
 * POLLERR and POLLHUP come back whether asked for or not. A poll object is
 * not a file: it has no fd (CPython's is a Python object), and lives as
 * long as the run.
 */
#include "mux.h"

#include <stdlib.h>

bool mux_poll_new(struct machine *m, struct task *t, const struct insn *in)
{
    int mx = mux_new(m, MK_POLL);
    if (mx < 0)
        return false;
    struct kmux *k = &m->muxst->mux[mx];
    k->owner = mux_pid(m, t);
    t->pc++;
    set_result_value(m, t, in->var, v_handle(HK_POLL, k->id, (uint32_t)mx));
    emit_textf(m, EV_MUX, MX_CTL, t, 0, 0, "pid %d makes poll object %d", k->owner, k->id);
    return false;
}

/* Build the (fd, revents) list of the ready entries; *n of them. */
static bool poll_scan(struct machine *m, struct task *t, struct muxrec *r, int mx,
                      int **fds, uint32_t **evs, int *n)
{
    const struct muxstate *ms = m->muxst;
    const struct kmux *k = &ms->mux[mx];
    *n = 0;
    *fds = malloc(((size_t)k->n + 1) * sizeof **fds);
    *evs = malloc(((size_t)k->n + 1) * sizeof **evs);
    if (!*fds || !*evs) {
        free(*fds);
        free(*evs);
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return false;
    }
    r->nready = 0;
    const struct proc *p = proc_of(m, t);
    for (int e = k->head; e >= 0; e = ms->ent[e].next) {
        const struct muxent *x = &ms->ent[e];
        int32_t key = fd_key(m, p, x->fd);
        uint32_t ev = key ? file_events(m, key) & (x->events | POLL_ERR | POLL_HUP)
                          : POLL_NVAL;
        if (ev) {
            (*fds)[*n] = x->fd;
            (*evs)[(*n)++] = ev;
            muxrec_ready(r, x->fd, ev);
        }
    }
    return true;
}

bool mux_poll_wait(struct machine *m, struct task *t, const struct insn *in, int mx)
{
    struct muxrec *r = mux_rec(m, t);
    if (!r)
        return false;
    int s = (int)(t - m->tasks);
    if (!mux_pass(m, t, r, in))
        return false;
    bool fresh = t->left == 0;
    if (!fresh && --t->left > 0)
        return false;
    int64_t timeout;
    if (!mux_timeout(m, t, in->e1, &timeout))
        return false;
    const struct muxstate *ms = m->muxst;
    int n = ms->mux[mx].n, pid = mux_pid(m, t);
    if (fresh) {
        r->kind = MUXK_POLL;
        r->called = m->tick;
        r->epfd = -1;
        r->mux = mx;
        r->nwatched = 0;
        r->nready = -1;
        r->waiting = false;
        r->calls++;
        for (int e = ms->mux[mx].head; e >= 0; e = ms->ent[e].next)
            muxrec_watch(r, ms->ent[e].fd, ms->ent[e].events);
        int64_t ticks = mux_cost(m, r, COST_SCAN, n);
        if (ticks > 1) {
            emit_textf(m, EV_MUX, MX_COST, t, n, ticks, "pid %d poll: scanning %d fd%s costs "
                       "%lld ticks of CPU (scan_cost)", pid, n, n == 1 ? "" : "s",
                       (long long)ticks);
            t->left = ticks - 1;
            return false;
        }
    }
    int *fds, nr;
    uint32_t *evs;
    if (!poll_scan(m, t, r, mx, &fds, &evs, &nr))
        return false;
    int64_t left = procobj_deadline(m, t, timeout);
    if (nr > 0 || left == 0) {
        procobj_wait_done(t);
        r->waiting = false;
        char words[96];
        muxrec_words(r, words, sizeof words);
        emit_textf(m, EV_MUX, MX_CALL, t, n, nr, "pid %d poll: %d watched, %d ready%s",
                   pid, n, nr, words);
        t->pc++;
        bool ok = mux_result(m, t, in->var, fds, evs, NULL, nr);
        free(fds);
        free(evs);
        (void)ok;
        return false;
    }
    free(fds);
    free(evs);
    r->nready = -1;
    emit_textf(m, EV_MUX, MX_WAIT, t, n, 0, "pid %d poll: %d watched, none ready: it waits",
               pid, n);
    const struct proc *p = proc_of(m, t);
    for (int e = ms->mux[mx].head; e >= 0; e = m->muxst->ent[e].next) {
        const struct muxent *x = &m->muxst->ent[e];
        if (fwatch_add(m, fd_key(m, p, x->fd), x->fd, x->events, FW_TASK, s, 0) < 0)
            return false;
    }
    mux_block(m, t, r, left);
    return false;
}
