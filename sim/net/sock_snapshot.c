/*
 * sock_snapshot.c - what front ends see of sockets and the network: every
 * socket that is open or still has a connection to finish (snap_sock),
 * the segments in flight in arrival order (snap_packet), each process's
 * socket fds (snap_fd, kind SFD_SOCK), and the wait channel of a task
 * blocked in a socket call. `procsim ss`, ps --json and the window read
 * them.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

#include "snapshot.h"

/* Is socket s worth showing: open, or closed with a connection still
 * finishing (FIN_WAIT, LAST_ACK ...), or queued for accept. */
static bool shown(const struct ksock *k)
{
    if (!k->used)
        return false;
    if (!k->closed)
        return true;
    return k->state != SOCKS_CLOSED && k->state != SOCKS_UNCONN;
}

/* Python's repr of bytes [0, n) of buffer b, cut to fit `size`. */
static void repr_bytes(const struct machine *m, const struct nbuf *b, int64_t skip,
                       char *out, size_t size)
{
    size_t o = 0;
    out[o++] = '"';
    for (int c = b->head; c >= 0 && o + 6 < size; c = m->net.chunks[c].next) {
        const struct nchunk *ch = &m->net.chunks[c];
        if (skip >= ch->len) {
            skip -= ch->len;
            continue;
        }
        size_t len;
        const char *d = v_str_data(&m->heap, ch->str, &len);
        for (int32_t i = ch->off + (int32_t)skip; i < ch->off + ch->len && o + 6 < size; i++) {
            unsigned char x = (unsigned char)d[i];
            if (x == '\n')
                o += (size_t)snprintf(out + o, size - o, "\\n");
            else if (x == '\r')
                o += (size_t)snprintf(out + o, size - o, "\\r");
            else if (x == '"' || x == '\\')
                o += (size_t)snprintf(out + o, size - o, "\\%c", x);
            else if (x < 32 || x > 126)
                o += (size_t)snprintf(out + o, size - o, "\\x%02x", x);
            else
                out[o++] = (char)x;
        }
        skip = 0;
    }
    if (o + 6 >= size) {
        o = size - 5 < o ? size - 5 : o;
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = 0;
}

static int cmp_fd(const void *a, const void *b)
{
    const struct snap_fd *x = a, *y = b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    return (x->fd > y->fd) - (x->fd < y->fd);
}

static int cmp_entry(const void *a, const void *b)
{
    const struct kentry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->tie > y->tie) - (x->tie < y->tie);
}

static void fill_sock(const struct machine *m, int s, struct snap_sock *o)
{
    const struct ksock *k = &m->net.socks[s];
    memset(o, 0, sizeof *o);
    o->id = s + 1;
    o->type = k->type;
    o->state = k->state;
    if (k->type == ST_UDP || k->type == ST_UNIX_DGRAM)
        o->state = k->rport > 0 || k->peer >= 0 ? SOCKS_ESTAB : SOCKS_UNCONN;
    sock_addr_text(m, s, false, o->local, sizeof o->local);
    if (k->state != SOCKS_LISTEN && (k->peer >= 0 || k->rport > 0))
        sock_addr_text(m, s, true, o->peer, sizeof o->peer);
    if (k->type == ST_UNIX && k->peer >= 0 && !o->peer[0])
        snprintf(o->peer, sizeof o->peer, "*");
    o->peer_id = k->peer >= 0 ? k->peer + 1 : 0;
    o->listener_id = k->listener >= 0 ? k->listener + 1 : 0;
    o->snd_bytes = k->snd.bytes;
    o->snd_cap = k->snd_cap;
    o->rcv_bytes = k->rcv.bytes;
    o->rcv_cap = k->rcv_cap;
    int32_t last = -1;
    for (int c = k->rcv.head; c >= 0; c = m->net.chunks[c].next)
        if (m->net.chunks[c].sendno != last) {
            o->rcv_sends++;
            last = m->net.chunks[c].sendno;
        }
    if (k->rcv.bytes > 0)
        repr_bytes(m, &k->rcv, 0, o->rcv_text, sizeof o->rcv_text);
    o->backlog = k->listening ? k->aq_len : 0;
    o->backlog_max = k->listening ? k->backlog : 0;
    o->nonblocking = k->nonblock;
    o->timeout = k->timeout;
    o->shut_rd = k->shut_rd || k->peer_fin;
    o->shut_wr = k->shut_wr;
    for (int w = k->rd_head; w >= 0; w = m->tasks[w].wq_next)
        if (o->nwaiting < SNAP_MAX_WAITERS)
            o->waiting[o->nwaiting++] = m->tasks[w].tid;
    for (int w = k->wr_head; w >= 0; w = m->tasks[w].wq_next)
        if (o->nwaiting < SNAP_MAX_WAITERS)
            o->waiting[o->nwaiting++] = m->tasks[w].tid;
}

static void fill_packets(const struct machine *m, struct snapshot *out)
{
    const struct knet *n = &m->net;
    if (n->flight.n == 0)
        return;
    struct kentry *e = malloc((size_t)n->flight.n * sizeof *e);
    int64_t *off = calloc((size_t)n->nsocks + 1, sizeof *off);
    if (!e || !off) {
        free(e);
        free(off);
        return;
    }
    memcpy(e, n->flight.a, (size_t)n->flight.n * sizeof *e);
    qsort(e, (size_t)n->flight.n, sizeof *e, cmp_entry);
    for (int i = 0; i < n->flight.n; i++) {
        const struct npkt *pk = &n->pkts[e[i].x];
        if (pk->kind == NP_RETX ||
            !snapshot_grow((void **)&out->packets, &out->packetcap, out->npackets + 1,
                           sizeof *out->packets))
            continue;
        struct snap_packet *o = &out->packets[out->npackets++];
        memset(o, 0, sizeof *o);
        int to = pk->to;
        if (to < 0 && pk->to_port > 0)
            to = port_owner(m, pk->to_port);
        o->from = pk->from >= 0 ? pk->from + 1 : 0;
        o->to = to >= 0 ? to + 1 : 0;
        if (pk->from < 0 && pk->kind == NP_RST)
            o->from = 0;
        o->kind = pk->kind;
        o->lost = pk->lost;
        o->bytes = pk->bytes;
        o->sent = pk->sent;
        o->arrives = pk->arrives;
        if (pk->kind == NP_DATA && pk->from >= 0) {
            repr_bytes(m, &n->socks[pk->from].snd, off[pk->from], o->text, sizeof o->text);
            off[pk->from] += pk->bytes;
        } else if (pk->kind == NP_DGRAM && pk->chunk >= 0) {
            char t[sizeof o->text];
            const struct nchunk *ch = &n->chunks[pk->chunk];
            size_t len;
            const char *d = v_str_data(&m->heap, ch->str, &len);
            size_t k = 0;
            t[k++] = '"';
            for (int32_t j = ch->off; j < ch->off + ch->len && k + 5 < sizeof t; j++)
                t[k++] = d[j] >= 32 && d[j] < 127 && d[j] != '"' ? d[j] : '.';
            t[k++] = '"';
            t[k] = 0;
            memcpy(o->text, t, sizeof t);
        }
    }
    free(e);
    free(off);
}

void sockets_snapshot(const struct machine *m, struct snapshot *out)
{
    const struct knet *n = &m->net;
    if (n->nsocks == 0)
        return;
    int *idx = malloc((size_t)n->nsocks * sizeof *idx);
    if (!idx)
        return;
    for (int s = 0; s < n->nsocks; s++) {
        idx[s] = -1;
        if (!shown(&n->socks[s]) ||
            !snapshot_grow((void **)&out->socks, &out->sockcap, out->nsocks + 1,
                           sizeof *out->socks))
            continue;
        idx[s] = out->nsocks;
        fill_sock(m, s, &out->socks[out->nsocks++]);
    }
    /* fds, and the holders of each socket */
    bool added = false;
    for (int ps = 0; ps < m->proc_cap; ps++) {
        const struct proc *p = &m->procs[ps];
        if (p->pid <= 0 || p->zombie || !p->fdt)
            continue;
        int bound = fd_bound(m, p);
        for (int fd = FD_FIRST; fd < bound; fd++) {
            int32_t key = fd_key(m, p, fd);
            if (!key || FILE_KIND(key) != FK_SOCK)
                continue;
            int s = FILE_INDEX(key);
            if (idx[s] >= 0) {
                struct snap_sock *o = &out->socks[idx[s]];
                if (o->nholders < SNAP_MAX_SOCK_FDS) {
                    o->holder_pid[o->nholders] = p->pid;
                    o->holder_fd[o->nholders] = fd;
                }
                o->nholders++;
            }
            if (!snapshot_grow((void **)&out->fds, &out->fdcap, out->nfds + 1,
                               sizeof *out->fds))
                continue;
            out->fds[out->nfds++] = (struct snap_fd){ .pid = p->pid, .fd = fd,
                                                      .kind = SFD_SOCK, .chan = -1,
                                                      .mode = 'b', .sock = s + 1 };
            added = true;
        }
    }
    if (added)
        qsort(out->fds, (size_t)out->nfds, sizeof *out->fds, cmp_fd);
    free(idx);
    fill_packets(m, out);
}

const char *sock_wchan(const struct machine *m, const struct task *t)
{
    if (t->prog == PROG_INIT)
        return "socket";
    const struct insn *in = &program_code(m, t->prog)->code[t->pc];
    if (in->op == OP_FD)
        return in->method == METHOD_SEND ? "send" : "recv";
    if (in->op != OP_SOCK)
        return "socket";
    switch (in->method) {
    case SOCKM_ACCEPT: return "accept";
    case SOCKM_CONNECT:
    case SOCKM_CONNECT_EX: return "connect";
    case SOCKM_SENDALL: return "sendall";
    case SOCKM_RECVFROM: return "recvfrom";
    default: return "socket";
    }
}
