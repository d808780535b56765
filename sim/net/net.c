/*
 * net.c - the simulated loopback network: segments and datagrams in
 * flight, each with the tick it arrives (sent + net_latency), delivered in
 * step 2 of that tick in (arrival, sequence) order, so runs are
 * reproducible. A min-heap keyed that way holds them: sending and
 * delivering one costs O(log n) in the packets in flight, whatever the
 * number of sockets; nothing walks the sockets per tick.
 *
 * A SYN's retransmission timer is an entry of the same heap (NP_RETX).
 */
#include "kernel.h"

#include <stdlib.h>

static void no_move(void *ctx, int x, int pos)
{
    (void)ctx;
    (void)x;
    (void)pos;
}

static int pkt_alloc(struct machine *m)
{
    struct knet *n = &m->net;
    if (n->pkt_free < 0) {
        int cap = n->pkt_cap ? n->pkt_cap * 2 : 64;
        struct npkt *a = realloc(n->pkts, (size_t)cap * sizeof *a);
        if (!a)
            return -1;
        for (int i = cap - 1; i >= n->pkt_cap; i--) {
            a[i] = (struct npkt){ .next_free = n->pkt_free };
            n->pkt_free = i;
        }
        n->pkts = a;
        n->pkt_cap = cap;
    }
    int p = n->pkt_free;
    n->pkt_free = n->pkts[p].next_free;
    return p;
}

int net_send(struct machine *m, int kind, int from, int to, int32_t bytes, int64_t delay)
{
    struct knet *n = &m->net;
    int p = pkt_alloc(m);
    if (p < 0) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return -1;
    }
    int64_t lat = delay >= 0 ? delay : m->cfg.net_latency;
    /* Sent in step 4 of tick T (or step 2: an arrival's answer): it
     * arrives in step 2 of T + latency, at the earliest the next tick. */
    int64_t at = tick_after(m->tick, lat < 1 ? 1 : lat);
    n->pkts[p] = (struct npkt){ .sent = m->tick, .arrives = at, .from = from, .to = to,
                                .kind = (uint8_t)kind, .used = true, .bytes = bytes,
                                .chunk = -1, .next_free = -1 };
    if (!kheap_push(&n->flight, p, at, n->seq++, no_move, NULL)) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return -1;
    }
    if (from >= 0)
        n->socks[from].npkts++;
    if (to >= 0)
        n->socks[to].npkts++;
    return p;
}

static void pkt_free(struct machine *m, int p)
{
    struct knet *n = &m->net;
    struct npkt *pk = &n->pkts[p];
    if (pk->from >= 0)
        n->socks[pk->from].npkts--;
    if (pk->to >= 0)
        n->socks[pk->to].npkts--;
    pk->used = false;
    pk->next_free = n->pkt_free;
    n->pkt_free = p;
}

void net_deliver(struct machine *m)
{
    struct knet *n = &m->net;
    while (n->flight.n > 0 && n->flight.a[0].key <= m->tick && m->status == MS_RUNNING) {
        int p = kheap_top(&n->flight);
        kheap_remove(&n->flight, 0, no_move, NULL);
        struct npkt pk = n->pkts[p];
        pkt_free(m, p);
        if (pk.kind == NP_DGRAM)
            udp_arrive(m, &pk);
        else
            tcp_arrive(m, &pk);
    }
}

bool net_busy(const struct machine *m)
{
    return m->net.flight.n > 0;
}

int64_t net_next_arrival(const struct machine *m)
{
    return m->net.flight.n > 0 ? m->net.flight.a[0].key : -1;
}
