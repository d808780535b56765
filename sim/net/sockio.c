/*
 * sockio.c - moving bytes: send and sendall into the send buffer (blocking
 * while it is full), recv out of the receive buffer (up to N bytes across
 * send boundaries on a stream; one datagram, cut to N, on a datagram
 * socket), sendto and recvfrom, and a datagram's arrival (udp_arrive).
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

void sock_do_send(struct machine *m, struct task *t, const struct insn *in, int s, int fd,
                  bool all)
{
    struct value data;
    size_t len;
    if (!sock_data_arg(m, t, in, &data, &len))
        return;
    struct ksock *k = sock_at(m, s);
    if (sock_is_dgram(k))
        return sock_do_dgram_send(m, t, in, s, fd, data, len, NULL);
    struct nsend *ns = sock_tsend(m, t);
    if (ns->sock != s || ns->tid != t->tid) {
        ns->sock = s;
        ns->tid = t->tid;
        ns->done = 0;
    }
    k = sock_at(m, s);
    if (k->err) {
        int e = k->err;
        k->err = 0;
        return sock_raise(m, t, in, e);
    }
    if (k->shut_wr)
        return sock_raise(m, t, in, 32);
    if (k->state == SOCKS_SYN_SENT)
        return sock_would_block(m, t, in, s, true, "send", fd, "the connection is not made yet");
    if (k->state != SOCKS_ESTAB && k->state != SOCKS_CLOSE_WAIT)
        return sock_raise(m, t, in, 32);
    if (k->type == ST_UNIX && k->peer >= 0 && sock_at(m, k->peer)->closed)
        return sock_raise(m, t, in, 32);   /* unix(7) knows at once */
    int64_t room = k->snd_cap - k->snd.bytes;
    int64_t take = (int64_t)len - ns->done;
    if (take > room)
        take = room;
    if (take > 0) {
        if (ns->done == 0)
            k->sendno++;
        int c = chunk_new(m, data, (int32_t)ns->done, (int32_t)take, k->sendno);
        if (c < 0)
            return;
        k = sock_at(m, s);
        nbuf_push(m, &k->snd, c);
        ns->done += take;
        tcp_push(m, s);
        k = sock_at(m, s);
    }
    if (ns->done == (int64_t)len || (!all && ns->done > 0 && (k->nonblock ||
                                                              k->timeout >= 0))) {
        int64_t n = ns->done;
        ns->sock = -1;
        sock_done(m, t);
        set_result(m, t, in->var, n);
        sev(m, SK_SEND, t, s + 1, n, "pid %d %s %lld bytes on fd %d: the send buffer "
            "holds %lld/%lld", sock_pid(m, t), all ? "sendall" : "send", (long long)n, fd,
            (long long)k->snd.bytes, (long long)k->snd_cap);
        if (k->snd.bytes < k->snd_cap)
            sock_wake_next(m, s, false, true); /* room for the next writer */
        return;
    }
    char why[96];
    snprintf(why, sizeof why, "the send buffer is full (%lld/%lld; %lld of %zu bytes in)",
             (long long)k->snd.bytes, (long long)k->snd_cap, (long long)ns->done, len);
    if (k->timeout > 0 && ns->done > 0 && !all &&
        procobj_deadline(m, t, k->timeout) == 0) {
        int64_t n = ns->done;
        ns->sock = -1;
        sock_done(m, t);
        set_result(m, t, in->var, n);
        return;
    }
    sock_would_block(m, t, in, s, true, all ? "sendall" : "send", fd, why);
}

/* ----------------------------------------------------------------- recv */

/* Copy the first n bytes of buffer b into a new string. */
static bool take_bytes(struct machine *m, struct nbuf *bp, int s, bool rcv, int64_t n,
                       struct value *out, int *sends)
{
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return false;
    }
    int64_t got = 0;
    for (int c = bp->head; c >= 0 && got < n; c = m->net.chunks[c].next) {
        const struct nchunk *ch = &m->net.chunks[c];
        size_t len;
        const char *d = v_str_data(&m->heap, ch->str, &len);
        int64_t k = ch->len < n - got ? ch->len : n - got;
        memcpy(buf + got, d + ch->off, (size_t)k);
        got += k;
    }
    struct ksock *k = sock_at(m, s);
    *sends = nbuf_move(m, rcv ? &k->rcv : bp, NULL, n);
    enum verr e = v_str(&m->heap, buf, (size_t)n, out);
    free(buf);
    if (e != VE_OK) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return false;
    }
    return true;
}

void sock_do_recv(struct machine *m, struct task *t, const struct insn *in, int s, int fd,
                  bool from)
{
    int64_t want;
    if (!in->e1) {
        task_raise(m, t, in->pos, EXC_TYPE, "recv() takes the most bytes to read: "
                   "recv N -> data");
        return;
    }
    if (!expr_int(m, t, in->e1, &want))
        return;
    if (want < 0) {
        task_raise(m, t, in->pos, EXC_VALUE, "negative buffersize in recv");
        return;
    }
    struct ksock *k = sock_at(m, s);
    struct value data;
    int sends;
    if (sock_is_dgram(k)) {
        if (k->rcv.count == 0)
            return sock_would_block(m, t, in, s, false, from ? "recvfrom" : "recv", fd,
                                    "no datagram has come");
        const struct nchunk *ch = &m->net.chunks[k->rcv.head];
        int64_t len = ch->len, n = want < len ? want : len;
        struct value addr = ch->from;
        if (!take_bytes(m, &k->rcv, s, true, n, &data, &sends))
            return;
        k = sock_at(m, s);
        if (n < len)
            nbuf_move(m, &k->rcv, NULL, len - n);   /* the rest is lost */
        sock_done(m, t);
        set_result_value(m, t, in->var, data);
        set_result_value(m, t, in->var2, addr);
        sev(m, SK_RECV, t, s + 1, n, "pid %d %s: one datagram of %lld bytes%s; %d more "
            "waiting", sock_pid(m, t), from ? "recvfrom" : "recv", (long long)len,
            n < len ? " (truncated: the rest is lost)" : "", k->rcv.count);
        if (k->rcv.count > 0)
            sock_wake_next(m, s, true, false);
        return;
    }
    if (k->listening)
        return sock_raise(m, t, in, 107);
    if (k->rcv.bytes > 0 && want > 0) {
        int64_t n = want < k->rcv.bytes ? want : k->rcv.bytes;
        if (!take_bytes(m, &k->rcv, s, true, n, &data, &sends))
            return;
        k = sock_at(m, s);
        sock_done(m, t);
        set_result_value(m, t, in->var, data);
        if (from)
            set_result_value(m, t, in->var2, v_none());
        char merged[32] = "";
        if (sends > 1)
            snprintf(merged, sizeof merged, " (%d sends merged)", sends);
        sev(m, SK_RECV, t, s + 1, n, "pid %d recv: %lld bytes%s on fd %d; %lld left in "
            "the receive buffer", sock_pid(m, t), (long long)n, merged, fd,
            (long long)k->rcv.bytes);
        if (k->peer >= 0)
            tcp_push(m, k->peer);          /* the window opened */
        k = sock_at(m, s);
        if (k->rcv.bytes > 0)
            sock_wake_next(m, s, true, false);
        return;
    }
    if (want == 0 || k->peer_fin || (k->shut_rd && !k->err)) {
        sock_done(m, t);
        set_result_value(m, t, in->var, sock_empty_str(m));
        if (from)
            set_result_value(m, t, in->var2, v_none());
        if (want > 0)
            sev(m, SK_EOF, t, s + 1, fd, "pid %d gets EOF on fd %d (%s): recv returns \"\"",
                sock_pid(m, t), fd, k->peer_fin ? "the peer closed" : "shut down");
        return;
    }
    if (k->err) {
        int e = k->err;
        k->err = 0;
        return sock_raise(m, t, in, e);
    }
    if (k->state == SOCKS_UNCONN || k->state == SOCKS_CLOSED)
        return sock_raise(m, t, in, 107);
    sock_would_block(m, t, in, s, false, from ? "recvfrom" : "recv", fd, "nothing to read");
}

/* ----------------------------------------------------------- datagrams */

void sock_do_dgram_send(struct machine *m, struct task *t, const struct insn *in, int s,
                        int fd, struct value data, size_t len, const struct expr *addr)
{
    struct ksock *k = sock_at(m, s);
    int64_t port = k->rport;
    struct value path = k->rpath;
    if (addr && !sock_addr_arg(m, t, in, addr, k, &port, &path))
        return;
    k = sock_at(m, s);
    if (!addr && ((sock_is_inet(k) && !port) || (!sock_is_inet(k) && path.type != V_STR &&
                                             k->peer < 0)))
        return sock_raise(m, t, in, 89);
    if (len > 65507)
        return sock_raise(m, t, in, 90);
    int to = -1;
    if (sock_is_inet(k)) {
        if (!k->port && !port_ephemeral(m, s))
            return sock_raise(m, t, in, 98);
    } else if (k->peer >= 0 && !addr) {
        to = k->peer;
    } else {
        to = path_owner(m, path);
        if (to < 0)
            return sock_raise(m, t, in, 2);
        if (sock_at(m, to)->type != ST_UNIX_DGRAM || sock_at(m, to)->closed)
            return sock_raise(m, t, in, 111);
    }
    k = sock_at(m, s);
    int c = chunk_new(m, data, 0, (int32_t)len, ++k->sendno);
    if (c < 0)
        return;
    m->net.chunks[c].from = sock_local_addr(m, s);
    /* udp_loss: the seeded rng decides (a Unix datagram is never lost) */
    bool lost = sock_is_inet(k) && m->cfg.udp_loss > 0 &&
                (int)(rng_next(&m->rng) % 100) < m->cfg.udp_loss;
    int p = net_send(m, NP_DGRAM, s, to, (int32_t)len, -1);
    if (p < 0)
        return;
    m->net.pkts[p].to_port = sock_is_inet(k) ? (int)port : 0;
    m->net.pkts[p].chunk = c;
    m->net.pkts[p].lost = lost;
    sock_done(m, t);
    set_result(m, t, in->var, (int64_t)len);
    char a[64];
    sev(m, SK_SEND, t, s + 1, (int64_t)len, "pid %d sends a datagram of %zu bytes from fd %d "
        "to %s%s", sock_pid(m, t), len, fd,
        sock_is_inet(k) ? (snprintf(a, sizeof a, "port %lld", (long long)port), a) : "a path",
        lost ? " (it will be lost: udp_loss)" : "");
}

void udp_arrive(struct machine *m, struct npkt *pk)
{
    int r = pk->to >= 0 ? pk->to : port_owner(m, pk->to_port);
    struct nbuf drop;
    nbuf_init(&drop);
    nbuf_push(m, &drop, pk->chunk);
    struct ksock *rk = r >= 0 ? sock_at(m, r) : NULL;
    const char *why = pk->lost ? "lost on the way (udp_loss)"
                      : !rk || rk->closed || !sock_is_dgram(rk) ? "nobody is bound there"
                      : rk->rcv.bytes + pk->bytes > rk->rcv_cap ? "the receive buffer is full"
                      : NULL;
    if (why) {
        sev(m, SK_NET, NULL, pk->from + 1, pk->bytes, "a datagram of %d bytes from socket "
            "%d is dropped: %s", pk->bytes, pk->from + 1, why);
        nbuf_clear(m, &drop);
        return;
    }
    nbuf_move(m, &drop, &rk->rcv, pk->bytes);
    if (drop.head >= 0)                    /* an empty datagram */
        nbuf_push(m, &sock_at(m, r)->rcv, drop.head);
    sock_changed(m, r, true, false);
}
