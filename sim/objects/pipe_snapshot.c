/*
 * pipe_snapshot.c - what the front ends see of pipes: each pipe with the
 * messages in it, the tasks waiting at each end, and every process's pipe
 * fds with the holders of each end (snapshot.chans, snapshot.fds). The
 * window draws them, `ps --json` and `procsim fds` print them.
 */
#include "kernel.h"

#include <stdlib.h>

#include "snapshot.h"

/* The pipes and every process's pipe fds, for front ends. */
void pipes_snapshot(const struct machine *m, struct snapshot *out)
{
    out->nchans = 0;
    out->nfds = 0;
    if (m->pipe_cap == 0)
        return;
    int *chan_of = malloc((size_t)m->pipe_cap * sizeof *chan_of);
    if (!chan_of)
        return;
    for (int pi = 0; pi < m->pipe_cap; pi++) {
        const struct kpipe *kp = &m->pipes[pi];
        chan_of[pi] = -1;
        if (!kp->used || !snapshot_grow((void **)&out->chans, &out->chancap,
                                     out->nchans + 1, sizeof *out->chans))
            continue;
        chan_of[pi] = out->nchans;
        struct snap_chan *c = &out->chans[out->nchans++];
        memset(c, 0, sizeof *c);
        c->kind = CHAN_PIPE;
        c->obj = kp->obj;
        pipe_name(m, pi, c->name, sizeof c->name);
        c->duplex = kp->duplex;
        c->capacity = m->cfg.pipe_size;
        int listed = 0;
        for (int d = 0; d < 2; d++) {
            const struct pipe_dir *pd = &kp->dir[d];
            c->bytes += pd->q.bytes;
            c->nmsgs += pd->q.count;
            for (const struct msgnode *n = msgq_peek(&m->msgs, &pd->q);
                 n && listed < SNAP_MAX_MSGS; n = msgq_next(&m->msgs, n)) {
                int k = listed++;
                v_format(&m->heap, n->v, true, c->msgs[k].text, sizeof c->msgs[k].text);
                c->msgs[k].from = n->from < 0 ? -n->from : n->from;
                c->msgs[k].size = n->size;
                c->msgs[k].end = d;
            }
            for (int s = pd->rhead; s >= 0; s = m->tasks[s].wq_next)
                if (c->nreaders < SNAP_MAX_WAITERS)
                    c->readers[c->nreaders++] = m->tasks[s].tid;
            for (int s = pd->whead; s >= 0; s = m->tasks[s].wq_next)
                if (c->nwriters < SNAP_MAX_WAITERS)
                    c->writers[c->nwriters++] = m->tasks[s].tid;
        }
    }
    /* fds and holders, by pid (the snapshot's tasks are in pid order) */
    for (int i = 0; i < out->ntasks; i++) {
        struct snap_task *st = &out->tasks[i];
        int ps = proc_slot(m, st->pid);
        if (ps < 0)
            continue;
        const struct proc *p = &m->procs[ps];
        if (st->state == 'S' && st->tid == st->pid) {
            const struct task *t = &m->tasks[p->main_task];
            if (t->wchan == WC_PIPE)
                st->wait_chan = chan_of[t->wobj / 2];
        }
        if (st->tid != st->pid || !p->fdt || p->zombie)
            continue;
        int bound = fd_bound(m, p);
        for (int fd = FD_FIRST; fd < bound; fd++) {
            int32_t key = fd_key(m, p, fd);
            if (!key || FILE_KIND(key) != FK_PIPE)
                continue;
            int pi = FILE_INDEX(key) / 2, end = FILE_INDEX(key) % 2;
            int ch = chan_of[pi];
            if (ch < 0 || !snapshot_grow((void **)&out->fds, &out->fdcap, out->nfds + 1,
                                      sizeof *out->fds))
                continue;
            struct snap_chan *c = &out->chans[ch];
            out->fds[out->nfds++] = (struct snap_fd){
                .pid = p->pid, .fd = fd, .chan = ch, .end = end,
                .mode = c->duplex ? 'b' : end ? 'w' : 'r' };
            bool listed = false;
            for (int k = 0; k < c->nholders[end] && k < SNAP_MAX_HOLDERS; k++)
                listed |= c->holders[end][k] == p->pid;
            if (!listed) {
                if (c->nholders[end] < SNAP_MAX_HOLDERS)
                    c->holders[end][c->nholders[end]] = p->pid;
                c->nholders[end]++;
            }
        }
    }
    /* Threads other than the main one waiting on a pipe. */
    for (int i = 0; i < out->ntasks; i++) {
        struct snap_task *st = &out->tasks[i];
        if (st->state != 'S' || st->tid == st->pid)
            continue;
        int ps = proc_slot(m, st->pid);
        for (int s = ps >= 0 ? m->procs[ps].main_task : -1; s >= 0; s = m->tasks[s].next_thread)
            if (m->tasks[s].tid == st->tid && m->tasks[s].wchan == WC_PIPE)
                st->wait_chan = chan_of[m->tasks[s].wobj / 2];
    }
    free(chan_of);
}
