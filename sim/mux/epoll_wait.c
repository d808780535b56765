/*
 * epoll_wait.c - ep.poll (epoll_wait) and a selector's select.
 *
 * As Linux's ep_send_events: up to maxevents entries are taken off the
 * head of the ready list; each is asked for its readiness now (an entry
 * whose data was read meanwhile is dropped, not reported); a reported
 * level-triggered entry goes back at the end of the list (so it comes
 * again while the fd stays ready), an edge-triggered one (EPOLLET) does
 * not: it comes back only when its watch fires again, on the next event.
 * An EPOLLONESHOT entry is disabled after one report until a modify. The
 * cost is ready_cost per event returned, whatever the interest list holds.
 *
 * A selector (selectors.DefaultSelector, an EpollSelector on Linux) is the
 * same with EVENT_READ/EVENT_WRITE masks and each key's data: events are
 * (fd, mask, data) tuples, the mask being what is ready of what was
 * registered (an error or hang-up counts as both, as CPython maps them).
 */
#include "mux.h"

#include <stdlib.h>

#define MAXEVENTS_DEFAULT 1023         /* CPython's epoll.poll: FD_SETSIZE - 1 */

/* The selector's mask for epoll's revents (selectors.EpollSelector). */
static uint32_t selector_events(uint32_t rev, uint32_t asked)
{
    uint32_t ev = 0;
    if (rev & ~(uint32_t)POLL_IN)
        ev |= 2;
    if (rev & ~(uint32_t)POLL_OUT)
        ev |= 1;
    uint32_t want = (asked & POLL_IN ? 1u : 0u) | (asked & POLL_OUT ? 2u : 0u);
    return ev & want;
}

/* maxevents=K, or the default; false after ValueError. */
static bool max_events(struct machine *m, struct task *t, const struct insn *in, int mx,
                       int64_t *k)
{
    const struct kmux *x = &m->muxst->mux[mx];
    *k = x->kind == MK_SELECTOR ? (x->n > 1 ? x->n : 1) : MAXEVENTS_DEFAULT;
    if (in->argc < 1)
        return true;
    if (!expr_int(m, t, in->argv[0], k))
        return false;
    if (*k == -1)
        *k = MAXEVENTS_DEFAULT;
    if (*k <= 0) {
        task_raise(m, t, in->pos, EXC_VALUE, "maxevents must be greater than 0");
        return false;
    }
    return true;
}

/* ep_send_events: take up to k events off the ready list into fds/evs/data
 * (room for k); their number. */
static int send_events(struct machine *m, struct muxrec *r, int mx, int64_t k, int *fds,
                       uint32_t *evs, struct value *data)
{
    struct muxstate *ms = m->muxst;
    struct kmux *x = &ms->mux[mx];
    bool sel = x->kind == MK_SELECTOR;
    int got = 0;
    r->nready = 0;
    for (int todo = x->nready; todo > 0 && got < k && x->rdhead >= 0; todo--) {
        int e = x->rdhead;
        epoll_unready(m, e);
        struct muxent *it = &ms->ent[e];
        uint32_t rev = file_events(m, it->key) & (it->events | POLL_ERR | POLL_HUP);
        rev &= ~(uint32_t)(EPOLL_ET | EPOLL_ONESHOT);
        if (!rev)
            continue;
        fds[got] = it->fd;
        evs[got] = sel ? selector_events(rev, it->events) : rev;
        if (data)
            data[got] = it->data;
        muxrec_ready(r, it->fd, rev);
        got++;
        if (it->events & EPOLL_ONESHOT)
            it->disabled = true;
        else if (!(it->events & EPOLL_ET))
            epoll_requeue(m, e);       /* level-triggered: again next time */
    }
    return got;
}

bool mux_epoll_wait(struct machine *m, struct task *t, const struct insn *in, int mx,
                    int epfd)
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
    int64_t timeout, k;
    if (!mux_timeout(m, t, in->e1, &timeout) || !max_events(m, t, in, mx, &k))
        return false;
    struct kmux *x = &m->muxst->mux[mx];
    bool sel = x->kind == MK_SELECTOR;
    const char *name = sel ? "select (epoll_wait)" : "epoll_wait";
    int pid = mux_pid(m, t);
    if (fresh) {
        r->kind = MUXK_EPOLL;
        r->called = m->tick;
        r->epfd = epfd;
        r->mux = mx;
        r->nwatched = x->n;
        r->nready = -1;
        r->waiting = false;
        r->calls++;
        int64_t n = x->nready < k ? x->nready : k;
        int64_t ticks = mux_cost(m, r, COST_READY, n);
        if (ticks > 1) {
            emit_textf(m, EV_MUX, MX_COST, t, x->n, ticks, "pid %d %s: %lld events cost "
                       "%lld ticks of CPU (ready_cost)", pid, name, (long long)n,
                       (long long)ticks);
            t->left = ticks - 1;
            return false;
        }
    }
    int64_t room = x->nready < k ? x->nready : k;
    int *fds = malloc(((size_t)room + 1) * sizeof *fds);
    uint32_t *evs = malloc(((size_t)room + 1) * sizeof *evs);
    struct value *data = sel ? malloc(((size_t)room + 1) * sizeof *data) : NULL;
    if (!fds || !evs || (sel && !data)) {
        free(fds);
        free(evs);
        free(data);
        machine_fail(m, in->pos, "out of memory");
        return false;
    }
    int got = send_events(m, r, mx, room, fds, evs, data);
    x = &m->muxst->mux[mx];
    int64_t left = procobj_deadline(m, t, timeout);
    if (got > 0 || left == 0) {
        procobj_wait_done(t);
        r->waiting = false;
        char words[96];
        muxrec_words(r, words, sizeof words);
        emit_textf(m, EV_MUX, MX_CALL, t, x->n, got, "pid %d %s: %d event%s of %d watched%s",
                   pid, name, got, got == 1 ? "" : "s", x->n, words);
        t->pc++;
        mux_result(m, t, in->var, fds, evs, data, got);
    } else {
        r->nready = -1;
        emit_textf(m, EV_MUX, MX_WAIT, t, x->n, 0, "pid %d %s: none of %d watched is "
                   "ready: it waits", pid, name, x->n);
        if (fwatch_add(m, FILE_KEY(FK_EPOLL, mx), epfd, POLL_IN, FW_TASK, s, 0) >= 0)
            mux_block(m, t, r, left);
    }
    free(fds);
    free(evs);
    free(data);
    return false;
}
