/*
 * tcp.c - connections (tcp(7), unix(7) stream sockets): the three-way
 * handshake, data as far as the receiver's buffer has room, FIN and RST.
 * What a segment does when it arrives; net.c carries it.
 *
 * Handshake: connect sends SYN; the listener (if any, with room in its
 * queue) makes a new socket in SYN_RECV and answers SYN-ACK; the client is
 * ESTABLISHED when that arrives (connect returns: one round trip) and
 * sends ACK; the new socket joins the accept queue when the ACK arrives.
 * A listener's queue is full when the connections queued and half-open
 * number more than its backlog (Linux's sk_acceptq_is_full: listen(N)
 * queues N + 1); a SYN to a full listener is dropped and the client sends
 * it again after 1 s, then 2 s, 4 s ... (tcp_syn_retries 6, then
 * ETIMEDOUT). Nobody listening: RST, ECONNREFUSED.
 *
 * Data: a send puts bytes in the sender's send buffer; they leave in a
 * segment as far as the receiver's window (receive buffer room minus what
 * is already on the way) allows, and stay counted in the send buffer until
 * they arrive (procsim takes the arrival as the ACK). A receiver that reads
 * makes room, and the sender sends on at once.
 *
 * Close: the last close sends FIN after the data (FIN_WAIT1, FIN_WAIT2
 * once it arrived; the peer goes CLOSE_WAIT, reads EOF after the data,
 * then LAST_ACK at its own close); unread data at close sends RST instead.
 * Data that arrives at a closed socket draws an RST. An RST sets the
 * socket's error (ECONNRESET, or EPIPE in CLOSE_WAIT, as tcp_reset does),
 * which the next call reports once. No TIME_WAIT: a connection is CLOSED as
 * soon as both FINs have arrived.
 */
#include "kernel.h"

#include <stdio.h>

#define SYN_RETRIES 6

static bool is_stream_open(const struct ksock *k)
{
    return k->state == SOCKS_ESTAB || k->state == SOCKS_CLOSE_WAIT;
}

/* Every task blocked on s wakes (an error, a reset, the end). */
static void wake_all(struct machine *m, int s)
{
    struct ksock *k = sock_at(m, s);
    while (k->rd_head >= 0 || k->wr_head >= 0) {
        sock_changed(m, s, true, true);
        k = sock_at(m, s);
    }
    file_changed(m, FILE_KEY(FK_SOCK, s));
}

static const char *state_name(int st)
{
    static const char *const names[] = { "UNCONN", "LISTEN", "SYN-SENT", "SYN-RECV",
                                         "ESTAB", "FIN-WAIT-1", "FIN-WAIT-2",
                                         "CLOSE-WAIT", "LAST-ACK", "CLOSING",
                                         "TIME-WAIT", "CLOSED" };
    return st >= 0 && st <= SOCKS_CLOSED ? names[st] : "?";
}

/* ------------------------------------------------------------ sending */

void tcp_push(struct machine *m, int s)
{
    struct ksock *k = sock_at(m, s);
    if (k->peer < 0 || !(is_stream_open(k) || k->state == SOCKS_FIN_WAIT1 ||
                         k->state == SOCKS_LAST_ACK))
        return;
    const struct ksock *r = sock_at(m, k->peer);
    int64_t unsent = k->snd.bytes - k->inflight;
    int64_t window = r->closed ? unsent : r->rcv_cap - r->rcv.bytes - k->inflight;
    if (unsent > 0 && window > 0) {
        int64_t n = unsent < window ? unsent : window;
        if (n > INT32_MAX)
            n = INT32_MAX;
        int p = net_send(m, NP_DATA, s, k->peer, (int32_t)n, -1);
        if (p < 0)
            return;
        k = sock_at(m, s);
        k->inflight += n;
        unsent -= n;
    }
    if (k->fin_pending && !k->fin_sent && unsent == 0) {
        k->fin_sent = true;
        k->state = k->state == SOCKS_CLOSE_WAIT ? SOCKS_LAST_ACK : SOCKS_FIN_WAIT1;
        net_send(m, NP_FIN, s, k->peer, 0, -1);
    }
}

void tcp_connect(struct machine *m, int s, int port, int unix_to)
{
    struct ksock *k = sock_at(m, s);
    k->state = SOCKS_SYN_SENT;
    k->syn_tries = 0;
    k->rport = port;
    int p = net_send(m, NP_SYN, s, unix_to, 0, -1);
    if (p >= 0)
        m->net.pkts[p].to_port = port;
}

void tcp_shutdown_wr(struct machine *m, int s)
{
    struct ksock *k = sock_at(m, s);
    k->shut_wr = true;
    if (is_stream_open(k) && !k->fin_pending) {
        k->fin_pending = true;
        tcp_push(m, s);
    }
}

/* An RST from s to its peer (if it has one that is still connected). */
static void send_rst(struct machine *m, int s, int to)
{
    if (to >= 0)
        net_send(m, NP_RST, s, to, 0, -1);
}

void tcp_reset_queue(struct machine *m, int l)
{
    /* Connections queued or half-open on l: each is reset. */
    for (int c = sock_at(m, l)->aq_head; c >= 0; c = sock_at(m, c)->aq_next) {
        struct ksock *ck = sock_at(m, c);
        ck->closed = true;
        ck->state = SOCKS_CLOSED;
        send_rst(m, c, ck->peer);
    }
    struct ksock *lk = sock_at(m, l);
    lk->aq_head = lk->aq_tail = -1;
    lk->aq_len = 0;
}

void tcp_close(struct machine *m, int s, int pid)
{
    struct ksock *k = sock_at(m, s);
    char a[64];
    const struct task *t = NULL;
    (void)pid;
    if (k->type == ST_UDP || k->type == ST_UNIX_DGRAM) {
        port_release(m, k->port, s);
        k->state = SOCKS_CLOSED;
        nbuf_clear(m, &k->rcv);
        return;
    }
    if (k->listening) {
        port_release(m, k->port, s);
        tcp_reset_queue(m, s);
        k = sock_at(m, s);
        k->listening = false;
        k->state = SOCKS_CLOSED;
        return;
    }
    if (k->state == SOCKS_UNCONN || k->state == SOCKS_SYN_SENT || k->state == SOCKS_CLOSED) {
        if (k->listener < 0)
            port_release(m, k->port, s);
        k->state = SOCKS_CLOSED;
        return;
    }
    if (k->listener < 0)
        port_release(m, k->port, s);
    if (is_stream_open(k) && k->rcv.bytes > 0) {
        /* Unread data: abort (tcp_close: "data was lost"), RST. */
        sev(m, SK_RST, t, s + 1, k->rcv.bytes, "socket %d (%s) is closed with %lld "
            "unread bytes: it sends RST instead of FIN", s + 1,
            sock_addr_text(m, s, false, a, sizeof a), (long long)k->rcv.bytes);
        send_rst(m, s, k->peer);
        k = sock_at(m, s);
        nbuf_clear(m, &k->rcv);
        nbuf_clear(m, &k->snd);
        k->inflight = 0;
        k->state = SOCKS_CLOSED;
        return;
    }
    k->shut_rd = true;
    tcp_shutdown_wr(m, s);
}

/* -------------------------------------------------------------- arrivals */

static int64_t rto_ticks(const struct machine *m, int tries)
{
    int64_t ns = 1000000000LL << (tries < 20 ? tries : 20);
    int64_t tick = config_tick_ns(&m->cfg);
    int64_t n = tick > 0 ? (ns + tick - 1) / tick : 1;
    return n < 1 ? 1 : n;
}

static void arrive_syn(struct machine *m, const struct npkt *pk)
{
    int c = pk->from;
    struct ksock *ck = sock_at(m, c);
    if (ck->closed || ck->state != SOCKS_SYN_SENT)
        return;
    int l = ck->type == ST_TCP ? port_owner(m, pk->to_port) : pk->to;
    struct ksock *lk = l >= 0 ? sock_at(m, l) : NULL;
    if (!lk || !lk->listening || lk->closed || lk->type != ck->type) {
        net_send(m, NP_RST, -1, c, 0, -1);
        return;
    }
    if (lk->aq_len + lk->nsyn > lk->backlog) {
        /* The queue is full: the SYN is dropped; the client's timer
         * sends it again. */
        int64_t rto = rto_ticks(m, ck->syn_tries);
        int64_t lat = m->cfg.net_latency;
        sev(m, SK_NET, NULL, l + 1, c + 1, "the SYN of socket %d is dropped: the "
            "queue of listening socket %d is full (%d waiting; listen(%d) lets %d "
            "wait); the client sends it again in %lld ticks",
            c + 1, l + 1, lk->aq_len + lk->nsyn, lk->backlog, lk->backlog + 1,
            (long long)(rto > lat ? rto - lat : 1));
        net_send(m, NP_RETX, c, -1, 0, rto > lat ? rto - lat : 1);
        return;
    }
    int n = sock_new(m, lk->type);
    if (n < 0)
        return;
    lk = sock_at(m, l);
    ck = sock_at(m, c);
    struct ksock *nk = sock_at(m, n);
    nk->state = SOCKS_SYN_RECV;
    nk->listener = l;
    nk->port = lk->port;
    nk->path = lk->path;
    nk->rport = ck->port;
    nk->rpath = ck->path;
    nk->peer = c;
    nk->rcv_cap = lk->rcv_cap;
    nk->snd_cap = lk->snd_cap;
    nk->nonblock = false;
    ck->peer = n;
    lk->nsyn++;
    if (sock_tracing(m)) {
        char a[64], b[64];
        sev(m, SK_NET, NULL, l + 1, n + 1, "listening socket %d (%s) gets a SYN from %s: "
            "new socket %d (SYN-RECV) answers SYN-ACK", l + 1,
            sock_addr_text(m, l, false, a, sizeof a),
            ck->type == ST_TCP ? sock_addr_text(m, c, false, b, sizeof b) : "a client",
            n + 1);
    }
    net_send(m, NP_SYNACK, n, c, 0, -1);
}

static void arrive_synack(struct machine *m, const struct npkt *pk)
{
    int c = pk->to;
    struct ksock *ck = sock_at(m, c);
    if (ck->closed || ck->state != SOCKS_SYN_SENT || ck->peer != pk->from) {
        send_rst(m, c, pk->from);
        return;
    }
    ck->state = SOCKS_ESTAB;
    sev(m, SK_NET, NULL, c + 1, pk->from + 1, "socket %d gets the SYN-ACK: it is "
        "ESTABLISHED and sends ACK", c + 1);
    net_send(m, NP_ACK, c, pk->from, 0, -1);
    sock_changed(m, c, false, true);
}

static void arrive_ack(struct machine *m, const struct npkt *pk)
{
    int n = pk->to;
    struct ksock *nk = sock_at(m, n);
    if (nk->state != SOCKS_SYN_RECV)
        return;
    int l = nk->listener;
    struct ksock *lk = sock_at(m, l);
    lk->nsyn--;
    if (lk->closed || !lk->listening) {
        nk->state = SOCKS_CLOSED;
        nk->closed = true;
        send_rst(m, n, nk->peer);
        return;
    }
    nk->state = SOCKS_ESTAB;
    nk->aq_next = -1;
    if (lk->aq_tail >= 0)
        sock_at(m, lk->aq_tail)->aq_next = n;
    else
        lk->aq_head = n;
    lk->aq_tail = n;
    lk->aq_len++;
    sev(m, SK_NET, NULL, n + 1, l + 1, "the ACK arrives: socket %d is ESTABLISHED and "
        "waits for accept on socket %d (%d queued; listen(%d) lets %d wait)", n + 1, l + 1,
        lk->aq_len, lk->backlog, lk->backlog + 1);
    sock_changed(m, l, true, false);
}

static void arrive_data(struct machine *m, const struct npkt *pk)
{
    int s = pk->from, r = pk->to;
    struct ksock *sk = sock_at(m, s);
    sk->inflight -= pk->bytes;
    if (sk->inflight < 0)
        sk->inflight = 0;
    struct ksock *rk = sock_at(m, r);
    if (rk->closed || rk->got_rst || rk->state == SOCKS_CLOSED) {
        /* Data for a socket nobody holds: RST (tcp_rcv_state_process). */
        nbuf_move(m, &sk->snd, NULL, pk->bytes);
        if (!rk->got_rst) {
            char a[64];
            sev(m, SK_RST, NULL, r + 1, pk->bytes, "%d bytes arrive at socket %d (%s), "
                "which is closed: it answers RST", pk->bytes, r + 1,
                sock_addr_text(m, r, false, a, sizeof a));
            net_send(m, NP_RST, r, s, 0, -1);
        }
        sock_changed(m, s, false, true);
        return;
    }
    nbuf_move(m, &sk->snd, &rk->rcv, pk->bytes);
    sock_changed(m, r, true, false);
    sock_changed(m, s, false, true);       /* room in its send buffer */
}

static void arrive_fin(struct machine *m, const struct npkt *pk)
{
    int s = pk->from, r = pk->to;
    struct ksock *rk = sock_at(m, r);
    struct ksock *sk = sock_at(m, s);
    if (sk->state == SOCKS_FIN_WAIT1)
        sk->state = SOCKS_FIN_WAIT2;
    else if (sk->state == SOCKS_LAST_ACK)
        sk->state = SOCKS_CLOSED;
    if (rk->got_rst || rk->state == SOCKS_CLOSED)
        return;
    rk->peer_fin = true;
    if (!rk->closed)
        sev(m, SK_NET, NULL, r + 1, s + 1, "socket %d gets FIN: its peer closed; recv "
            "returns \"\" after the %lld bytes still to read", r + 1,
            (long long)rk->rcv.bytes);
    if (rk->state == SOCKS_ESTAB)
        rk->state = SOCKS_CLOSE_WAIT;
    else if (rk->state == SOCKS_FIN_WAIT1 || rk->state == SOCKS_FIN_WAIT2)
        rk->state = SOCKS_CLOSED;          /* (no TIME_WAIT) */
    sock_changed(m, s, false, false);
    wake_all(m, r);
}

static void arrive_rst(struct machine *m, const struct npkt *pk)
{
    int r = pk->to;
    struct ksock *rk = sock_at(m, r);
    if (rk->got_rst)
        return;
    if (rk->state == SOCKS_SYN_SENT) {
        rk->err = 111;                     /* ECONNREFUSED */
        rk->state = SOCKS_UNCONN;
        rk->peer = -1;
        rk->rport = 0;
        wake_all(m, r);
        return;
    }
    if (rk->state == SOCKS_CLOSED || rk->state == SOCKS_UNCONN)
        return;
    rk->err = rk->state == SOCKS_CLOSE_WAIT ? 32 : 104;
    rk->got_rst = true;
    rk->shut_rd = rk->shut_wr = true;
    rk->state = SOCKS_CLOSED;
    nbuf_clear(m, &rk->snd);
    rk->inflight = 0;
    if (rk->closed)
        rk->err = 0;
    sev(m, SK_RST, NULL, r + 1, 0, "socket %d gets RST: its connection is reset (%s "
        "on its next call)", r + 1, rk->err == 32 ? "EPIPE" : "ECONNRESET");
    wake_all(m, r);
}

static void arrive_retx(struct machine *m, const struct npkt *pk)
{
    int c = pk->from;
    struct ksock *ck = sock_at(m, c);
    if (ck->closed || ck->state != SOCKS_SYN_SENT)
        return;
    if (++ck->syn_tries > SYN_RETRIES) {
        ck->err = 110;                     /* ETIMEDOUT */
        ck->state = SOCKS_UNCONN;
        wake_all(m, c);
        return;
    }
    sev(m, SK_NET, NULL, c + 1, ck->syn_tries, "socket %d sends its SYN again "
        "(retransmission %d)", c + 1, ck->syn_tries);
    int to = ck->type == ST_TCP ? -1 : ck->rport;
    int p = net_send(m, NP_SYN, c, ck->type == ST_TCP ? -1 : to, 0, -1);
    if (p >= 0)
        m->net.pkts[p].to_port = ck->type == ST_TCP ? ck->rport : 0;
}

void tcp_arrive(struct machine *m, struct npkt *pk)
{
    switch (pk->kind) {
    case NP_SYN: arrive_syn(m, pk); break;
    case NP_SYNACK: arrive_synack(m, pk); break;
    case NP_ACK: arrive_ack(m, pk); break;
    case NP_DATA: arrive_data(m, pk); break;
    case NP_FIN: arrive_fin(m, pk); break;
    case NP_RST: arrive_rst(m, pk); break;
    case NP_RETX: arrive_retx(m, pk); break;
    default: break;
    }
    (void)state_name;
}
