/*
 * mux_snapshot.c - what front ends see of select, poll and epoll: each
 * task's last call or the one under way (snap_mux), and epoll fds in the
 * fd list (snap_fd, kind SFD_EPOLL).
 */
#include "mux.h"

/* One snap_mux for the task in slot s, from its record. */
static void one(const struct machine *m, int s, struct snapshot *out)
{
    const struct muxstate *ms = m->muxst;
    const struct muxrec *r = &ms->rec[s];
    const struct task *t = &m->tasks[s];
    if (!snapshot_grow((void **)&out->muxes, &out->muxcap, out->nmuxes + 1,
                       sizeof *out->muxes))
        return;
    struct snap_mux *x = &out->muxes[out->nmuxes++];
    *x = (struct snap_mux){ .pid = m->procs[t->proc].pid, .tid = t->tid, .kind = r->kind,
                            .waiting = t->state == 'S' && t->wchan == WC_POLL,
                            .epfd = r->epfd, .called = r->called, .cost = r->cost,
                            .nwatched = r->nwatched, .nready = r->nready };
    int nw = r->nwatched < SNAP_MAX_MUX_FDS ? r->nwatched : SNAP_MAX_MUX_FDS;
    if (r->kind == MUXK_EPOLL && r->mux >= 0 && ms->mux[r->mux].used) {
        /* the interest list as it is now */
        const struct kmux *k = &ms->mux[r->mux];
        x->nwatched = k->n;
        nw = 0;
        for (int e = k->head; e >= 0 && nw < SNAP_MAX_MUX_FDS; e = ms->ent[e].next, nw++) {
            x->watched[nw] = ms->ent[e].fd;
            x->watched_events[nw] = ms->ent[e].events;
        }
    } else {
        memcpy(x->watched, r->watched, (size_t)nw * sizeof *x->watched);
        memcpy(x->watched_events, r->watched_events, (size_t)nw * sizeof *x->watched_events);
    }
    int nr = r->nready < 0 ? 0 : r->nready < SNAP_MAX_MUX_FDS ? r->nready : SNAP_MAX_MUX_FDS;
    memcpy(x->ready, r->ready, (size_t)nr * sizeof *x->ready);
    memcpy(x->ready_events, r->ready_events, (size_t)nr * sizeof *x->ready_events);
}

/* Epoll fds of every live process, then the list sorted by (pid, fd) again
 * (pipes' and sockets' come first). */
static void epoll_fds(const struct machine *m, struct snapshot *out)
{
    int before = out->nfds;
    for (int ps = 0; ps < m->proc_cap; ps++) {
        const struct proc *p = &m->procs[ps];
        if (p->pid <= 0 || p->zombie || !p->fdt)
            continue;
        int bound = fd_bound(m, p);
        for (int fd = FD_FIRST; fd < bound; fd++) {
            int32_t key = fd_key(m, p, fd);
            if (!key || FILE_KIND(key) != FK_EPOLL ||
                !snapshot_grow((void **)&out->fds, &out->fdcap, out->nfds + 1,
                               sizeof *out->fds))
                continue;
            out->fds[out->nfds++] = (struct snap_fd){ .pid = p->pid, .fd = fd,
                                                      .kind = SFD_EPOLL, .chan = -1,
                                                      .mode = 'r' };
        }
    }
    if (out->nfds == before)
        return;
    for (int i = 1; i < out->nfds; i++) {          /* insertion sort: stable */
        struct snap_fd f = out->fds[i];
        int j = i;
        while (j > 0 && (out->fds[j - 1].pid > f.pid ||
                         (out->fds[j - 1].pid == f.pid && out->fds[j - 1].fd > f.fd))) {
            out->fds[j] = out->fds[j - 1];
            j--;
        }
        out->fds[j] = f;
    }
}

void mux_snapshot(const struct machine *m, struct snapshot *out)
{
    const struct muxstate *ms = m->muxst;
    if (!ms)
        return;
    for (int i = 0; i < out->ntasks; i++) {
        int ps = proc_slot(m, out->tasks[i].pid);
        if (ps < 0)
            continue;
        for (int s = m->procs[ps].main_task; s >= 0; s = m->tasks[s].next_thread)
            if (m->tasks[s].tid == out->tasks[i].tid && s < ms->rec_cap &&
                ms->rec[s].used && ms->rec[s].tid == m->tasks[s].tid)
                one(m, s, out);
    }
    epoll_fds(m, out);
}
