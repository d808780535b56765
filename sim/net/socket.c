/*
 * socket.c - socket objects (net.h): their slots, byte buffers, ports and
 * paths, the tasks blocked on them, and the fd glue (sock_file_ops): a
 * reference per fd naming a socket (fork shares it), the protocol close
 * at the last one, readiness as poll(2)'s bits.
 *
 * Blocking is as pipes do it: a task whose call cannot complete blocks in
 * S (WC_SOCK, wobj = the socket) with pc on its statement; whatever may let
 * it go on wakes it (sock_changed) and it runs the statement again. Readers
 * (accept, recv) and writers (send, connect) wait in two FIFO queues; a
 * change wakes the first of a queue, and a call that succeeds with more
 * left wakes the next (sockops.c), so waiters are served in order.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

/* ----------------------------------------------------------- the machine */

void net_init(struct machine *m)
{
    memset(&m->net, 0, sizeof m->net);
    m->net.chunk_free = m->net.pkt_free = -1;
    m->net.next_port = NET_EPHEMERAL;
}

void net_free(struct machine *m)
{
    struct knet *n = &m->net;
    free(n->socks);
    free(n->chunks);
    free(n->pkts);
    kheap_free(&n->flight);
    free(n->port_sock);
    free(n->tsend);
    memset(n, 0, sizeof *n);
}

static bool dup_array(void **dst, const void *src, size_t n)
{
    *dst = NULL;
    if (!n)
        return true;
    *dst = malloc(n);
    if (!*dst)
        return false;
    memcpy(*dst, src, n);
    return true;
}

bool net_clone(struct machine *dst, const struct machine *src)
{
    const struct knet *s = &src->net;
    struct knet *d = &dst->net;
    *d = *s;
    d->socks = NULL;
    d->chunks = NULL;
    d->pkts = NULL;
    d->port_sock = NULL;
    d->tsend = NULL;
    d->flight = (struct kheap){ 0 };
    bool ok = dup_array((void **)&d->socks, s->socks, (size_t)s->sock_cap * sizeof *s->socks) &&
              dup_array((void **)&d->chunks, s->chunks,
                        (size_t)s->chunk_cap * sizeof *s->chunks) &&
              dup_array((void **)&d->pkts, s->pkts, (size_t)s->pkt_cap * sizeof *s->pkts) &&
              dup_array((void **)&d->port_sock, s->port_sock,
                        s->port_sock ? NET_PORTS * sizeof *s->port_sock : 0) &&
              dup_array((void **)&d->tsend, s->tsend, (size_t)s->tsend_cap * sizeof *s->tsend) &&
              kheap_copy(&d->flight, &s->flight);
    if (!ok)
        net_free(dst);
    return ok;
}

size_t net_memory(const struct machine *m)
{
    const struct knet *n = &m->net;
    return (size_t)n->sock_cap * sizeof *n->socks + (size_t)n->chunk_cap * sizeof *n->chunks +
           (size_t)n->pkt_cap * sizeof *n->pkts + (size_t)n->flight.cap * sizeof(struct kentry) +
           (n->port_sock ? NET_PORTS * sizeof *n->port_sock : 0) +
           (size_t)n->tsend_cap * sizeof *n->tsend;
}

/* The values sockets hold: bytes in buffers, paths, datagram addresses. */
void net_mark(struct machine *m)
{
    struct knet *n = &m->net;
    for (int c = 0; c < n->chunk_cap; c++)
        if (n->chunks[c].len >= 0) {
            vheap_mark(&m->heap, n->chunks[c].str);
            vheap_mark(&m->heap, n->chunks[c].from);
        }
    for (int s = 0; s < n->nsocks; s++) {
        vheap_mark(&m->heap, n->socks[s].path);
        vheap_mark(&m->heap, n->socks[s].rpath);
    }
}

/* ----------------------------------------------------------------- slots */

struct ksock *sock_at(struct machine *m, int s)
{
    return &m->net.socks[s];
}

int sock_new(struct machine *m, int type)
{
    struct knet *n = &m->net;
    if (n->nsocks == n->sock_cap) {
        int cap = n->sock_cap ? n->sock_cap * 2 : 16;
        struct ksock *a = realloc(n->socks, (size_t)cap * sizeof *a);
        if (!a) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            return -1;
        }
        n->socks = a;
        n->sock_cap = cap;
    }
    int s = n->nsocks++;
    struct ksock *k = &n->socks[s];
    memset(k, 0, sizeof *k);
    k->used = true;
    k->type = (uint8_t)type;
    k->state = SOCKS_UNCONN;
    k->watch = -1;
    k->peer = k->listener = -1;
    k->aq_head = k->aq_tail = k->aq_next = -1;
    k->rd_head = k->rd_tail = k->wr_head = k->wr_tail = -1;
    k->path = k->rpath = v_none();
    k->timeout = -1;
    nbuf_init(&k->rcv);
    nbuf_init(&k->snd);
    bool udp = type == ST_UDP || type == ST_UNIX_DGRAM;
    k->rcv_cap = udp ? m->cfg.udp_rcvbuf : m->cfg.tcp_rcvbuf;
    k->snd_cap = udp ? m->cfg.udp_sndbuf : m->cfg.tcp_sndbuf;
    return s;
}

/* ---------------------------------------------------------------- chunks */

int chunk_new(struct machine *m, struct value str, int32_t off, int32_t len,
              int32_t sendno)
{
    struct knet *n = &m->net;
    if (n->chunk_free < 0) {
        int cap = n->chunk_cap ? n->chunk_cap * 2 : 64;
        struct nchunk *a = realloc(n->chunks, (size_t)cap * sizeof *a);
        if (!a) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            return -1;
        }
        for (int i = cap - 1; i >= n->chunk_cap; i--) {
            a[i] = (struct nchunk){ .len = -1, .next = n->chunk_free };
            n->chunk_free = i;
        }
        n->chunks = a;
        n->chunk_cap = cap;
    }
    int c = n->chunk_free;
    n->chunk_free = n->chunks[c].next;
    n->chunks[c] = (struct nchunk){ .str = str, .off = off, .len = len, .next = -1,
                                    .sendno = sendno, .from = v_none() };
    return c;
}

static void chunk_free(struct machine *m, int c)
{
    struct knet *n = &m->net;
    n->chunks[c] = (struct nchunk){ .len = -1, .next = n->chunk_free };
    n->chunk_free = c;
}

void nbuf_init(struct nbuf *b)
{
    *b = (struct nbuf){ .head = -1, .tail = -1 };
}

void nbuf_push(struct machine *m, struct nbuf *b, int c)
{
    m->net.chunks[c].next = -1;
    if (b->tail >= 0)
        m->net.chunks[b->tail].next = c;
    else
        b->head = c;
    b->tail = c;
    b->bytes += m->net.chunks[c].len;
    b->count++;
}

static int nbuf_pop(struct machine *m, struct nbuf *b)
{
    int c = b->head;
    b->head = m->net.chunks[c].next;
    if (b->head < 0)
        b->tail = -1;
    b->bytes -= m->net.chunks[c].len;
    b->count--;
    return c;
}

int nbuf_move(struct machine *m, struct nbuf *from, struct nbuf *to, int64_t n)
{
    int sends = 0;
    int32_t last = -1;
    while (n > 0 && from->head >= 0) {
        struct nchunk *c = &m->net.chunks[from->head];
        if (c->sendno != last) {
            sends++;
            last = c->sendno;
        }
        if (c->len <= n) {
            n -= c->len;
            int k = nbuf_pop(m, from);
            if (to)
                nbuf_push(m, to, k);
            else
                chunk_free(m, k);
            continue;
        }
        /* Part of it: the first n bytes move as a chunk of their own. */
        if (to) {
            struct value str = c->str;
            int32_t off = c->off, sendno = c->sendno;
            int k = chunk_new(m, str, off, (int32_t)n, sendno);
            if (k < 0)
                return sends;
            nbuf_push(m, to, k);
        }
        c = &m->net.chunks[from->head];
        c->off += (int32_t)n;
        c->len -= (int32_t)n;
        from->bytes -= n;
        n = 0;
    }
    return sends;
}

void nbuf_clear(struct machine *m, struct nbuf *b)
{
    while (b->head >= 0)
        chunk_free(m, nbuf_pop(m, b));
}

/* --------------------------------------------------------- ports, paths */

int port_owner(const struct machine *m, int port)
{
    if (!m->net.port_sock || port <= 0 || port >= NET_PORTS)
        return -1;
    return m->net.port_sock[port] - 1;
}

bool port_take(struct machine *m, int port, int s)
{
    struct knet *n = &m->net;
    if (!n->port_sock) {
        n->port_sock = calloc(NET_PORTS, sizeof *n->port_sock);
        if (!n->port_sock) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            return false;
        }
    }
    n->port_sock[port] = s + 1;
    n->socks[s].port = port;
    return true;
}

void port_release(struct machine *m, int port, int s)
{
    if (port_owner(m, port) == s)
        m->net.port_sock[port] = 0;
}

/* The ephemeral port of a connection's client (or `bind 0`): the next free
 * one from NET_EPHEMERAL (Linux picks them at random in 32768-60999;
 * procsim counts, so runs are reproducible). 0 when all are taken
 * (connect then fails with EADDRNOTAVAIL, as Linux's does). */
int port_ephemeral(struct machine *m, int s)
{
    struct knet *n = &m->net;
    for (int tries = 0; tries < NET_EPHEMERAL_END - NET_EPHEMERAL; tries++) {
        int p = n->next_port++;
        if (n->next_port >= NET_EPHEMERAL_END)
            n->next_port = NET_EPHEMERAL;
        if (port_owner(m, p) < 0)
            return port_take(m, p, s) ? p : 0;
    }
    return 0;
}

/* Ports held by connected sockets (accepted ones share their listener's)
 * are not in the map: only bound and client sockets are. */

int path_owner(const struct machine *m, struct value path)
{
    for (int s = 0; s < m->net.nsocks; s++) {
        const struct ksock *k = &m->net.socks[s];
        if (k->path.type == V_STR &&
            v_equal(&m->heap, k->path, path))
            return s;
    }
    return -1;
}

/* ------------------------------------------------------------ waiting */

int sock_pid(const struct machine *m, const struct task *t)
{
    return t ? m->procs[t->proc].pid : 0;
}

bool sock_tracing(const struct machine *m)
{
    return m->trace && trace_keeps_event(m->trace, EV_SOCK);
}

void sock_block(struct machine *m, struct task *t, int s, bool writer)
{
    struct ksock *k = &m->net.socks[s];
    int64_t left = procobj_deadline(m, t, k->timeout);
    t->wobj = s;
    task_block(m, t, 'S', WC_SOCK, left);
    int slot = (int)(t - m->tasks);
    t->qwait = writer;
    if (writer) {
        wq_push(m, &k->wr_head, &k->wr_tail, slot);
        k->nwr++;
    } else {
        wq_push(m, &k->rd_head, &k->rd_tail, slot);
        k->nrd++;
    }
}

void sock_unwait(struct machine *m, struct task *t)
{
    struct ksock *k = &m->net.socks[t->wobj];
    int slot = (int)(t - m->tasks);
    if (t->qwait) {
        if (wq_remove(m, &k->wr_head, &k->wr_tail, slot))
            k->nwr--;
    } else if (wq_remove(m, &k->rd_head, &k->rd_tail, slot)) {
        k->nrd--;
    }
}

/* Step 2: the timer of a task blocked on a socket is due: its settimeout
 * ran out. It wakes, runs its call again and raises TimeoutError. */
bool sock_timed_out(struct machine *m, struct task *t)
{
    if (t->state != 'S' || t->wchan != WC_SOCK)
        return false;
    int s = t->wobj;
    task_unwait(m, t);
    task_wake(m, t, WHY_STIMEOUT, s + 1);
    return true;
}

static void wake_first(struct machine *m, int s, int *head, int *tail, int *count)
{
    if (*head < 0)
        return;
    struct task *t = &m->tasks[*head];
    wq_remove(m, head, tail, *head);
    (*count)--;
    task_cancel_timer(m, t);
    task_wake(m, t, WHY_SOCK, s + 1);
}

void sock_wake_next(struct machine *m, int s, bool rd, bool wr)
{
    struct ksock *k = &m->net.socks[s];
    if (rd)
        wake_first(m, s, &k->rd_head, &k->rd_tail, &k->nrd);
    k = &m->net.socks[s];
    if (wr)
        wake_first(m, s, &k->wr_head, &k->wr_tail, &k->nwr);
}

void sock_changed(struct machine *m, int s, bool rd, bool wr)
{
    sock_wake_next(m, s, rd, wr);
    file_changed(m, FILE_KEY(FK_SOCK, s));
}

/* ------------------------------------------------------------- addresses */

const char *sock_addr_text(const struct machine *m, int s, bool peer, char *buf,
                           unsigned size)
{
    const struct ksock *k = &m->net.socks[s];
    buf[0] = 0;
    if (k->type == ST_TCP || k->type == ST_UDP) {
        int port = peer ? k->rport : k->port;
        if (port > 0)
            snprintf(buf, size, "127.0.0.1:%d", port);
        else if (!peer && k->type == ST_UDP)
            snprintf(buf, size, "0.0.0.0:*");
        return buf;
    }
    struct value path = peer ? k->rpath : k->path;
    if (path.type == V_STR) {
        size_t len;
        const char *d = v_str_data(&m->heap, path, &len);
        snprintf(buf, size, "%.*s", (int)len, d);
    } else {
        snprintf(buf, size, "%s", peer && k->peer >= 0 ? "*" : "");
    }
    return buf;
}

/* -------------------------------------------------------------- file_ops */

static void sock_ref(struct machine *m, int s)
{
    m->net.socks[s].refs++;
}

static void sock_close(struct machine *m, int ps, const struct task *t, int s, int fd,
                       bool at_exit)
{
    struct ksock *k = &m->net.socks[s];
    k->refs--;
    int pid = m->procs[ps].pid;
    if (k->refs > 0) {
        if (!at_exit)
            sev(m, SK_CLOSE, t, s + 1, fd, "pid %d closes fd %d (socket %d): %d more "
                "fd%s name it, it stays open", pid, fd, s + 1, k->refs,
                k->refs == 1 ? "" : "s");
        return;
    }
    fwatch_drop_file(m, FILE_KEY(FK_SOCK, s));   /* epoll entries go */
    k = &m->net.socks[s];
    k->closed = true;
    int before = k->state;
    tcp_close(m, s, pid);
    k = &m->net.socks[s];
    if (at_exit || !sock_tracing(m))
        return;
    static const char *const st[] = { "", "", "SYN-SENT", "", "ESTAB", "", "", "CLOSE-WAIT" };
    if (k->fin_sent || k->fin_pending)
        sev(m, SK_CLOSE, t, s + 1, fd, "pid %d closes fd %d (socket %d, %s): %s", pid, fd,
            s + 1, before < 8 ? st[before] : "", k->fin_sent ? "FIN sent"
            : "a FIN follows the data still to send");
    else
        sev(m, SK_CLOSE, t, s + 1, fd, "pid %d closes fd %d (socket %d)", pid, fd, s + 1);
}

/* Readiness (tcp_poll, unix_poll, datagram_poll). */
static uint32_t sock_events(const struct machine *m, int s)
{
    const struct ksock *k = &m->net.socks[s];
    uint32_t ev = 0;
    if (k->err)
        ev |= POLL_ERR;
    if (k->type == ST_UDP || k->type == ST_UNIX_DGRAM) {
        if (k->rcv.count > 0)
            ev |= POLL_IN;
        if (k->snd.bytes < k->snd_cap)
            ev |= POLL_OUT;
        return ev;
    }
    if (k->listening)
        return ev | (k->aq_len > 0 ? POLL_IN : 0);
    bool shut_both = (k->shut_wr || k->got_rst) && (k->peer_fin || k->shut_rd || k->got_rst);
    if (shut_both || k->state == SOCKS_CLOSED)
        ev |= POLL_HUP;
    if (k->peer_fin || k->shut_rd || k->got_rst)
        ev |= POLL_IN | POLL_RDHUP;
    if (k->rcv.bytes > 0)
        ev |= POLL_IN;
    bool connected = k->state == SOCKS_ESTAB || k->state == SOCKS_CLOSE_WAIT;
    if (connected && !k->shut_wr && k->snd.bytes < k->snd_cap)
        ev |= POLL_OUT;
    if (k->state == SOCKS_UNCONN && !k->connecting && !k->nb_connecting)
        ev |= POLL_HUP;                /* tcp_poll: TCP_CLOSE */
    if (k->err || k->got_rst)
        ev |= POLL_OUT;
    return ev;
}

static int *sock_watch_head(struct machine *m, int s)
{
    return &m->net.socks[s].watch;
}

const struct file_ops sock_file_ops = {
    .name = "socket", .ref = sock_ref, .close = sock_close, .events = sock_events,
    .watch_head = sock_watch_head, .op = sock_fd_op,
};

/* The run is stuck: explain the tasks blocked in socket calls (events). */
void sockets_stuck(struct machine *m)
{
    if (!sock_tracing(m))
        return;
    for (int s = 0; s < m->net.nsocks; s++) {
        const struct ksock *k = &m->net.socks[s];
        for (int q = 0; q < 2; q++)
            for (int w = q ? k->wr_head : k->rd_head; w >= 0; w = m->tasks[w].wq_next) {
                const struct task *t = &m->tasks[w];
                char a[64];
                const char *why = k->listening ? "no client is left to connect"
                                  : q ? "the peer never reads, so its buffer stays full"
                                  : k->peer >= 0 ? "the peer is still open and sends nothing"
                                  : "nothing can come";
                sev(m, SK_WAIT, t, s + 1, 0, "pid %d waits forever in %s on socket %d (%s): %s",
                    sock_pid(m, t), sock_wchan(m, t), s + 1,
                    sock_addr_text(m, s, false, a, sizeof a), why);
            }
    }
}
