/*
 * epoll.c - epoll instances as files (epoll(7)): an fd of kind FK_EPOLL
 * naming an instance with an interest list and a ready list.
 *
 * Each registered fd has an entry with an FW_EPOLL readiness watch on its
 * file (file.h): when something happens to the file that sets an event
 * the entry asks for, the watch fires (epoll_fired, Linux's ep_poll_callback)
 * and the entry goes on the ready list, once. epoll_wait (epoll_wait.c)
 * takes entries off it. The instance is itself readable while its ready
 * list holds an entry that is ready, so a task in epoll_wait waits with an
 * FW_TASK watch on the instance's own file, and select/poll on an epoll fd
 * work as in Linux. When the last fd naming a file closes, its entries
 * leave every interest list (epoll_dropped); when the last fd naming an
 * instance closes, the instance goes.
 */
#include "mux.h"

#include <stdlib.h>

static struct kmux *kmux_at(struct machine *m, int mx)
{
    return &m->muxst->mux[mx];
}

void epoll_unready(struct machine *m, int e)
{
    struct muxstate *ms = m->muxst;
    struct muxent *x = &ms->ent[e];
    if (!x->ready)
        return;
    struct kmux *k = &ms->mux[x->mux];
    int prev = -1;
    for (int i = k->rdhead; i >= 0 && i != e; i = ms->ent[i].rdnext)
        prev = i;
    if (prev >= 0)
        ms->ent[prev].rdnext = x->rdnext;
    else
        k->rdhead = x->rdnext;
    if (k->rdtail == e)
        k->rdtail = prev;
    x->ready = false;
    x->rdnext = -1;
    k->nready--;
}

/* Put e on the ready list's end (not twice). */
static bool link_ready(struct machine *m, int e)
{
    struct muxstate *ms = m->muxst;
    struct muxent *x = &ms->ent[e];
    if (x->ready || x->disabled)
        return false;
    struct kmux *k = &ms->mux[x->mux];
    x->ready = true;
    x->rdnext = -1;
    if (k->rdtail >= 0)
        ms->ent[k->rdtail].rdnext = e;
    else
        k->rdhead = e;
    k->rdtail = e;
    k->nready++;
    return true;
}

void epoll_requeue(struct machine *m, int e)
{
    link_ready(m, e);
}

void epoll_ready(struct machine *m, int e)
{
    if (link_ready(m, e))
        file_changed(m, FILE_KEY(FK_EPOLL, m->muxst->ent[e].mux));
}

void epoll_fired(struct machine *m, int w)
{
    if (m->muxst)
        epoll_ready(m, (int)m->fw[w].data);
}

void epoll_dropped(struct machine *m, int w)
{
    int e = (int)m->fw[w].data;
    struct muxstate *ms = m->muxst;
    epoll_unready(m, e);
    fwatch_remove(m, w);
    if (ms->mux[ms->ent[e].mux].kind == MK_SELECTOR) {
        /* the kernel forgets it; the selector's map (CPython's fd_to_key)
         * keeps it until unregister */
        ms->ent[e].w = -1;
        ms->ent[e].key = 0;
        return;
    }
    muxent_free(m, e);
}

/* ------------------------------------------------------------ file ops */

static void epoll_ref(struct machine *m, int mx)
{
    kmux_at(m, mx)->refs++;
}

/* The last fd naming the instance closed: its entries and the instance go;
 * a task still waiting in it wakes (and finds its fd closed). */
static void epoll_close(struct machine *m, int ps, const struct task *t, int mx, int fd,
                        bool at_exit)
{
    struct kmux *k = kmux_at(m, mx);
    if (!at_exit)
        emit_textf(m, EV_MUX, MX_CTL, t, fd, k->n, "pid %d closes epoll fd %d%s",
                   m->procs[ps].pid, fd, k->refs > 1 ? "" : ": the instance goes");
    if (--k->refs > 0)
        return;
    struct muxstate *ms = m->muxst;
    while (k->head >= 0) {
        int e = k->head;
        epoll_unready(m, e);
        if (ms->ent[e].w >= 0)
            fwatch_remove(m, ms->ent[e].w);
        muxent_free(m, e);
    }
    free(k->byfd);
    k->byfd = NULL;
    k->byfd_cap = 0;
    fwatch_drop_file(m, FILE_KEY(FK_EPOLL, mx));
    k->used = false;
    k->next_free = ms->mux_free;
    ms->mux_free = mx;
}

/* Readable while an entry on the ready list is ready (Linux's
 * ep_eventpoll_poll looks at them, not just at the list). */
static uint32_t epoll_events(const struct machine *m, int mx)
{
    const struct muxstate *ms = m->muxst;
    for (int e = ms->mux[mx].rdhead; e >= 0; e = ms->ent[e].rdnext)
        if (file_events(m, ms->ent[e].key) &
            (ms->ent[e].events | POLL_ERR | POLL_HUP))
            return POLL_IN;
    return 0;
}

static int *epoll_watch_head(struct machine *m, int mx)
{
    return &kmux_at(m, mx)->watch;
}

const struct file_ops epoll_file_ops = {
    .name = "epoll", .ref = epoll_ref, .close = epoll_close, .events = epoll_events,
    .watch_head = epoll_watch_head, .op = NULL,
};

/* epoll -> ep, selector -> sel: a new instance at the lowest free fd. */
bool mux_epoll_new(struct machine *m, struct task *t, const struct insn *in)
{
    struct proc *p = proc_of(m, t);
    if (fd_lowest_free(m, p, FD_FIRST) < 0) {
        task_raise(m, t, in->pos, EXC_OS, "[Errno 24] Too many open files");
        return false;
    }
    bool sel = in->method == MUXM_SELECTOR_NEW;
    int mx = mux_new(m, sel ? MK_SELECTOR : MK_EPOLL);
    if (mx < 0)
        return false;
    int fd = fd_open(m, proc_of(m, t), FILE_KEY(FK_EPOLL, mx));
    if (fd < 0)
        return false;
    t->pc++;
    set_result(m, t, in->var, fd);
    emit_textf(m, EV_MUX, MX_CTL, t, fd, 0, "pid %d makes %s: fd %d", proc_of(m, t)->pid,
               sel ? "a selector (epoll)" : "an epoll instance", fd);
    return false;
}
