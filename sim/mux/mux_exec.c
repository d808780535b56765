/*
 * mux_exec.c - OP_MUX: which statement, on which instance; the helpers the
 * methods share (timeouts, blocking, results); the wait channel's name.
 *
 * Every statement takes its tick (a system call), and select, poll and
 * epoll_wait their cost on top (muxcost.c). A call with nothing ready
 * blocks in WC_POLL with pc on the statement, which runs again when a
 * watch fires or its timeout comes: that is Linux's do_select loop, and
 * each pass scans again, so each pass costs again. After a signal handler
 * it runs again too: it fails with EINTR (eintr=return, C), or goes on
 * with the time left (eintr=retry: CPython's PEP 475).
 */
#include "mux.h"

#include <stdio.h>

#include <stdlib.h>

int mux_pid(const struct machine *m, const struct task *t)
{
    return m->procs[t->proc].pid;
}

bool mux_timeout(struct machine *m, struct task *t, const struct expr *e, int64_t *ticks)
{
    *ticks = -1;
    if (!e)
        return true;
    struct value v;
    if (!expr_value(m, t, e, &v))
        return false;
    if (v.type == V_NONE)
        return true;
    if (!v_is_int(v)) {
        task_raise(m, t, e->pos, EXC_TYPE, "timeout must be an integer (ticks) or None");
        return false;
    }
    *ticks = v.i < 0 ? -1 : v.i;       /* poll(-1), epoll.poll(-1): forever */
    return true;
}

void mux_interrupted(struct machine *m, struct task *t)
{
    const struct muxstate *ms = m->muxst;
    int s = (int)(t - m->tasks);
    if (ms && s < ms->rec_cap && ms->rec[s].used && ms->rec[s].tid == t->tid)
        m->muxst->rec[s].eintr = true;
}

bool mux_pass(struct machine *m, struct task *t, struct muxrec *r, const struct insn *in)
{
    fwatch_drop_task(m, (int)(t - m->tasks));     /* the last pass's */
    if (!r->eintr)
        return true;
    r->eintr = false;
    r->waiting = false;
    procobj_wait_done(t);
    task_raise(m, t, in->pos, EXC_INTERRUPTED, "[Errno 4] Interrupted system call");
    return false;
}

void mux_block(struct machine *m, struct task *t, struct muxrec *r, int64_t left)
{
    r->waiting = true;
    task_block(m, t, 'S', WC_POLL, left);
}

void muxrec_watch(struct muxrec *r, int fd, uint32_t events)
{
    if (r->nwatched < SNAP_MAX_MUX_FDS) {
        r->watched[r->nwatched] = fd;
        r->watched_events[r->nwatched] = events;
    }
    r->nwatched++;
}

void muxrec_ready(struct muxrec *r, int fd, uint32_t events)
{
    if (r->nready < 0)
        r->nready = 0;
    if (r->nready < SNAP_MAX_MUX_FDS) {
        r->ready[r->nready] = fd;
        r->ready_events[r->nready] = events;
    }
    r->nready++;
}

/* "fd 5, 7" of up to the first 8, "" none */
void muxrec_words(const struct muxrec *r, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    int n = r->nready < SNAP_MAX_MUX_FDS ? r->nready : SNAP_MAX_MUX_FDS;
    for (int i = 0; i < n && i < 8 && k + 16 < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%d", i ? ", " : " (fd ", r->ready[i]);
    if (r->nready > 8 && k + 8 < size)
        k += (size_t)snprintf(buf + k, size - k, ", ...");
    if (k && k + 2 < size)
        snprintf(buf + k, size - k, ")");
}

bool mux_result(struct machine *m, struct task *t, int var, const int *fds,
                const uint32_t *evs, const struct value *data, int n)
{
    struct value *items = malloc(((size_t)n + 1) * sizeof *items);
    if (!items) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return false;
    }
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
        struct value tu[3] = { v_int(fds[i]), v_int(evs[i]), data ? data[i] : v_none() };
        ok = v_seq(&m->heap, V_TUPLE, tu, data ? 3 : 2, &items[i]) == VE_OK;
    }
    struct value list;
    if (ok)
        ok = v_seq(&m->heap, V_LIST, items, (uint32_t)n, &list) == VE_OK;
    free(items);
    if (!ok) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return false;
    }
    set_result_value(m, t, var, list);
    return true;
}

/* The poll object or epoll instance a method is called on: *mx, and the
 * epoll fd (*epfd, -1 for a poll object); false after an exception. */
static bool instance_of(struct machine *m, struct task *t, const struct insn *in, int *mx,
                        int *epfd)
{
    struct value v;
    if (!expr_value(m, t, in->e2, &v))
        return false;
    *epfd = -1;
    if (v.type == V_HANDLE && v_handle_kind(v) == HK_POLL && m->muxst &&
        v.ref < (uint32_t)m->muxst->mux_cap && m->muxst->mux[v.ref].used &&
        m->muxst->mux[v.ref].id == v_handle_id(v)) {
        *mx = (int)v.ref;
        return true;
    }
    if (!v_is_int(v)) {
        task_raise(m, t, in->pos, EXC_TYPE, "this is not a poll object, an epoll fd or a "
                   "selector");
        return false;
    }
    int32_t key = fd_key(m, proc_of(m, t), v.i);
    if (!key) {
        task_raise(m, t, in->pos, EXC_OS, "[Errno 9] Bad file descriptor");
        return false;
    }
    if (FILE_KIND(key) != FK_EPOLL) {
        task_raise(m, t, in->pos, EXC_OS, "[Errno 22] Invalid argument");
        return false;
    }
    *mx = FILE_INDEX(key);
    *epfd = (int)v.i;
    return true;
}

bool mux_exec(struct machine *m, struct task *t, const struct insn *in)
{
    int mx, epfd;
    switch (in->method) {
    case MUXM_SELECT:
        return mux_select(m, t, in);
    case MUXM_POLL_NEW:
        return mux_poll_new(m, t, in);
    case MUXM_EPOLL_NEW:
    case MUXM_SELECTOR_NEW:
        return mux_epoll_new(m, t, in);
    case MUXM_REGISTER:
    case MUXM_MODIFY:
    case MUXM_UNREGISTER:
        if (!instance_of(m, t, in, &mx, &epfd))
            return false;
        return mux_register(m, t, in, mx, epfd);
    case MUXM_WAIT:
        if (!instance_of(m, t, in, &mx, &epfd))
            return false;
        if (m->muxst->mux[mx].kind == MK_POLL)
            return mux_poll_wait(m, t, in, mx);
        return mux_epoll_wait(m, t, in, mx, epfd);
    default:
        machine_fail(m, in->pos, "this statement is not supported yet");
        return false;
    }
}

const char *mux_wchan(const struct machine *m, const struct task *t)
{
    const struct muxstate *ms = m->muxst;
    int s = (int)(t - m->tasks);
    if (!ms || s >= ms->rec_cap || ms->rec[s].tid != t->tid)
        return "poll";
    switch (ms->rec[s].kind) {
    case MUXK_SELECT: return "select";
    case MUXK_EPOLL: return "epoll_wait";
    default: return "poll";
    }
}

/* The run is stuck: say why each task waiting in select, poll or
 * epoll_wait waits forever, naming the trap when there is one (an
 * edge-triggered or one-shot entry whose fd is ready). */
void mux_stuck(struct machine *m)
{
    const struct muxstate *ms = m->muxst;
    for (int s = 0; ms && s < m->task_cap && s < ms->rec_cap; s++) {
        const struct task *t = &m->tasks[s];
        const struct muxrec *r = &ms->rec[s];
        if (t->state != 'S' || t->wchan != WC_POLL || !r->used || r->tid != t->tid ||
            t->wake_at >= 0)
            continue;
        int pid = m->procs[t->proc].pid;
        if (r->kind == MUXK_EPOLL && r->mux >= 0 && ms->mux[r->mux].used) {
            const struct kmux *k = &ms->mux[r->mux];
            int trap = -1;
            for (int e = k->head; e >= 0 && trap < 0; e = ms->ent[e].next) {
                const struct muxent *x = &ms->ent[e];
                if (x->w >= 0 && (x->events & (EPOLL_ET | EPOLL_ONESHOT)) && !x->ready &&
                    (file_events(m, x->key) & (x->events | POLL_ERR | POLL_HUP)))
                    trap = e;
            }
            if (trap >= 0) {
                const struct muxent *x = &ms->ent[trap];
                emit_textf(m, EV_MUX, MX_WAIT, t, k->n, 0, "pid %d waits forever in "
                           "epoll_wait: fd %d is ready, but its entry is %s, so it is "
                           "not reported again until %s", pid, x->fd,
                           x->disabled ? "one-shot (EPOLLONESHOT) and was reported"
                                       : "edge-triggered (EPOLLET)",
                           x->disabled ? "ep.modify" : "a new event, which nothing will make");
                continue;
            }
        }
        static const char *const call[] = { "select", "poll", "epoll_wait" };
        emit_textf(m, EV_MUX, MX_WAIT, t, r->nwatched, 0, "pid %d waits forever in %s: none "
                   "of the %d fds it watches can become ready", pid, call[r->kind % 3],
                   r->nwatched);
    }
}
