/*
 * test_net.c - sockets, the network, select/poll/epoll and greenlets in
 * the window (issue 13), off-screen.
 *
 * The kernel fills snapshot.socks, packets, muxes and greens; here a run
 * of sleeping processes gets hand-built but realistic socket data put into
 * its snapshot (a server with a listening socket whose backlog holds one
 * connection not yet accepted and an accepted connection whose send buffer
 * is full; a client that never reads, its receive buffer full; a client
 * whose SYN is on its way; a select that came back with one fd ready; a
 * thread running three greenlets), so the drawing can be judged and
 * checked apart from the kernel code: the socket boxes stay inside the
 * objects panel and apart, servers on the left and clients on the right of
 * the network strip, a connection is a line between its two boxes, the
 * SYN rides the line from the client to the listener, the tubes fill in
 * proportion to their bytes, the ready fd is highlighted, no text is cut
 * or drawn over another at the classroom sizes and presenting, and 1,000
 * connections are aggregated into counts. The inspector lists socket fds
 * like ls -l /proc/PID/fd and ss; greenlets are lanes in their card.
 *
 * PROCSIM_VIZ_SHOTS=DIR saves each frame checked as a PNG there, to look at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"

/* main 2, server 3, clients 4 and 5 (all sleeping at tick 8). */
static const char fake_src[] =
    "title \"sockets\"\n"
    "describe \"Fake socket data, filled in by the test.\"\n"
    "program server {\n  sleep 40\n}\n"
    "program client {\n  sleep 40\n}\n"
    "program main {\n  fork server\n  fork client\n  fork client\n"
    "  sleep 30\n  wait\n  wait\n  wait\n}\n"
    "spawn main\n";

static const int sizes[][2] = { { 1024, 768 }, { 1280, 800 }, { 1920, 1080 } };

/* ----------------------------------------------------- fake snapshots */

static struct snap_sock *add_sock(struct snapshot *s, int id, int type, int state, int pid,
                                  int fd)
{
    struct snap_sock *k = &s->socks[s->nsocks++];
    memset(k, 0, sizeof *k);
    k->id = id;
    k->type = (uint8_t)type;
    k->state = (uint8_t)state;
    k->snd_cap = 16384;
    k->rcv_cap = 131072;
    k->timeout = -1;
    if (pid) {
        k->nholders = 1;
        k->holder_pid[0] = pid;
        k->holder_fd[0] = fd;
        s->fds[s->nfds++] = (struct snap_fd){ .pid = pid, .fd = fd, .kind = SFD_SOCK, .chan = -1,
                                              .mode = 'b', .sock = id };
    }
    return k;
}

static void reset(struct snapshot *s, int socks, int packets)
{
    free(s->socks);
    free(s->packets);
    free(s->muxes);
    free(s->greens);
    free(s->fds);
    s->socks = calloc((size_t)socks, sizeof *s->socks);
    s->sockcap = socks;
    s->packets = calloc((size_t)packets + 1, sizeof *s->packets);
    s->packetcap = packets + 1;
    s->muxes = calloc(4, sizeof *s->muxes);
    s->muxcap = 4;
    s->greens = calloc(8, sizeof *s->greens);
    s->greencap = 8;
    s->fds = calloc((size_t)socks + 8, sizeof *s->fds);
    s->fdcap = socks + 8;
    s->nsocks = s->npackets = s->nmuxes = s->ngreens = s->nfds = 0;
}

static void packet(struct snapshot *s, int from, int to, int kind, int bytes, int64_t sent,
                   int64_t arrives, bool lost)
{
    s->packets[s->npackets++] = (struct snap_packet){ .from = from, .to = to, .kind = (uint8_t)kind,
                                                      .bytes = bytes, .sent = sent,
                                                      .arrives = arrives, .lost = lost };
}

static void green(struct snapshot *s, int tid, int id, const char *name, int state, int fd,
                  int64_t wake)
{
    struct snap_green *g = &s->greens[s->ngreens++];
    *g = (struct snap_green){ .pid = tid, .tid = tid, .id = id, .state = (uint8_t)state,
                              .line = state == GREEN_RUNNING ? 5 : 0, .wait_fd = fd,
                              .wake_at = wake };
    snprintf(g->name, sizeof g->name, "%s", name);
}

/* The echo-server picture (see the file's comment). */
static void inject(struct snapshot *s, void *arg)
{
    (void)arg;
    reset(s, 8, 4);
    struct snap_sock *k = add_sock(s, 1, SOCKT_TCP, SOCKS_LISTEN, 3, 3);
    snprintf(k->local, sizeof k->local, "127.0.0.1:8080");
    k->backlog = 1;
    k->backlog_max = 5;
    k = add_sock(s, 2, SOCKT_TCP, SOCKS_ESTAB, 3, 4);   /* accepted from client 4 */
    snprintf(k->local, sizeof k->local, "127.0.0.1:8080");
    snprintf(k->peer, sizeof k->peer, "127.0.0.1:40001");
    k->peer_id = 3;
    k->listener_id = 1;
    k->snd_bytes = 16384;                    /* full: the client never reads */
    k->rcv_bytes = 12;
    k->rcv_sends = 2;
    snprintf(k->rcv_text, sizeof k->rcv_text, "'ping!ping!xx'");
    k->nwaiting = 1;
    k->waiting[0] = 3;
    k = add_sock(s, 3, SOCKT_TCP, SOCKS_ESTAB, 4, 3);
    snprintf(k->local, sizeof k->local, "127.0.0.1:40001");
    snprintf(k->peer, sizeof k->peer, "127.0.0.1:8080");
    k->peer_id = 2;
    k->rcv_bytes = 131072;                   /* full */
    k = add_sock(s, 4, SOCKT_TCP, SOCKS_SYN_SENT, 5, 3);   /* connecting */
    snprintf(k->local, sizeof k->local, "127.0.0.1:40002");
    snprintf(k->peer, sizeof k->peer, "127.0.0.1:8080");
    k->nwaiting = 1;
    k->waiting[0] = 5;
    k = add_sock(s, 5, SOCKT_TCP, SOCKS_ESTAB, 0, 0);      /* in the backlog */
    k->listener_id = 1;
    k->peer_id = 6;
    k = add_sock(s, 6, SOCKT_TCP, SOCKS_ESTAB, 5, 4);
    k->peer_id = 5;
    k = add_sock(s, 7, SOCKT_UDP, SOCKS_UNCONN, 5, 5);
    snprintf(k->local, sizeof k->local, "127.0.0.1:40003");   /* a client: ephemeral */
    k = add_sock(s, 8, SOCKT_TCP, SOCKS_FIN_WAIT2, 0, 0);      /* closed by all */
    snprintf(k->local, sizeof k->local, "127.0.0.1:40009");
    packet(s, 4, 1, PKT_SYN, 0, 7, 9, false);
    packet(s, 2, 3, PKT_DATA, 1000, 8, 9, false);
    snprintf(s->packets[s->npackets - 1].text, sizeof s->packets[0].text, "'xxxxxxxxxxxxxx'");
    packet(s, 7, 0, PKT_DGRAM, 5, 8, 9, true);
    struct snap_mux *m = &s->muxes[s->nmuxes++];
    *m = (struct snap_mux){ .pid = 3, .tid = 3, .kind = MUXK_SELECT, .epfd = -1, .called = 7,
                            .cost = 1, .nwatched = 2, .watched = { 3, 4 }, .nready = 1,
                            .ready = { 4 } };
    green(s, 4, 1, "main", GREEN_RUNNING, -1, -1);
    green(s, 4, 2, "handler", GREEN_WAIT_FD, 3, -1);
    green(s, 4, 3, "ticker", GREEN_SLEEP, -1, 12);
}

/* 1,000 connections: the server listens and has accepted n; one client
 * process (4) holds the other ends, or n client processes each hold one
 * (then pids 4 .. n + 3, most of which the run does not have). */
static int fd_cmp(const void *a, const void *b)
{
    const struct snap_fd *x = a, *y = b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    return (x->fd > y->fd) - (x->fd < y->fd);
}

struct many {
    int n;
    bool procs;
};

static void inject_many(struct snapshot *s, void *arg)
{
    const struct many *mn = arg;
    reset(s, 2 * mn->n + 1, 2);
    struct snap_sock *k = add_sock(s, 1, SOCKT_TCP, SOCKS_LISTEN, 3, 3);
    snprintf(k->local, sizeof k->local, "127.0.0.1:8080");
    k->backlog_max = 4096;
    for (int i = 0; i < mn->n; i++) {
        int sid = 2 + 2 * i, cid = 3 + 2 * i;
        k = add_sock(s, sid, SOCKT_TCP, SOCKS_ESTAB, 3, 4 + i);
        k->peer_id = cid;
        k->listener_id = 1;
        k = add_sock(s, cid, SOCKT_TCP, SOCKS_ESTAB, mn->procs ? 4 + i : 4,
                     mn->procs ? 3 : 3 + i);
        k->peer_id = sid;
    }
    /* The busy one: data on its way to the server. */
    s->socks[s->nsocks - 1].snd_bytes = 100;
    packet(s, 3 + 2 * (mn->n - 1), 2 + 2 * (mn->n - 1), PKT_DATA, 100, 8, 9, false);
    struct snap_mux *m = &s->muxes[s->nmuxes++];
    *m = (struct snap_mux){ .pid = 3, .tid = 3, .kind = MUXK_EPOLL, .epfd = 5, .called = 8,
                            .nwatched = mn->n + 1, .nready = 1 };
    for (int i = 0; i < SNAP_MAX_MUX_FDS; i++)
        m->watched[i] = 3 + i;
    m->ready[0] = 4 + mn->n - 1;
    qsort(s->fds, (size_t)s->nfds, sizeof *s->fds, fd_cmp);   /* by pid, then fd */
}

/* ------------------------------------------------------------ checks */

static void shot(struct frame *f, const char *tag)
{
    const char *dir = getenv("PROCSIM_VIZ_SHOTS");
    if (dir && *dir) {
        static int n;
        char path[512], m[256];
        snprintf(path, sizeof path, "%s/net-%02d-%s-%dx%d%s.png", dir, n++, tag, f->v.w, f->v.h,
                 f->v.present ? "-present" : "");
        viz_save_png(f->r, path, m, sizeof m);
    }
}

static void draw_logged(struct frame *f, const char *tag)
{
    f->log.n = 0;
    f->v.font.log = &f->log;
    viz_draw(f->r, &f->v);
    f->v.font.log = NULL;
    shot(f, tag);
}

static void present(struct frame *f)
{
    char msg[256];
    font_flush(&f->v.font);
    font_close(&f->v.font);
    f->v.present = true;
    assert_true(font_open(&f->v.font, NULL, viz_font_px(f->v.w, f->v.h, 1.0f, true), msg,
                          sizeof msg));
    viz_relayout(&f->v);
}

static bool intersects(SDL_Rect a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static const struct text_drawn *drawn_in(const struct frame *f, const char *text, SDL_Rect rc)
{
    for (int i = 0; i < f->log.n; i++)
        if (!strcmp(f->log.e[i].text, text) && inside(f->log.e[i].r, rc))
            return &f->log.e[i];
    return NULL;
}

static const struct text_drawn *drawn_prefix(const struct frame *f, const char *prefix,
                                             SDL_Rect rc)
{
    for (int i = 0; i < f->log.n; i++)
        if (!strncmp(f->log.e[i].text, prefix, strlen(prefix)) && inside(f->log.e[i].r, rc))
            return &f->log.e[i];
    return NULL;
}

/* No text cut or over another anywhere in the frame. */
static void check_texts(struct frame *f, const char *what)
{
    const struct text_log *lg = &f->log;
    for (int i = 0; i < lg->n; i++) {
        if (lg->e[i].clipped)
            fail_msg("%s: text cut: \"%s\"", what, lg->e[i].text);
        for (int j = i + 1; j < lg->n; j++)
            if (intersects(lg->e[i].r, lg->e[j].r))
                fail_msg("%s: texts overlap: \"%s\" and \"%s\"", what, lg->e[i].text,
                         lg->e[j].text);
    }
}

/* Every part of the block inside the objects panel; boxes, rows and
 * group titles apart; servers left of the strip, clients right of it;
 * each box's text drawn in it. */
static void check_block(struct frame *f, const char *what)
{
    const struct net_geom *g = &f->v.net;
    SDL_Rect o = f->v.layout.objects;
    if (!f->v.net_drawn)
        fail_msg("%s: no network block", what);
    if (!inside(g->box, o))
        fail_msg("%s: the block leaves the objects panel", what);
    SDL_Rect parts[NET_MAX_BOXES + 2 * NET_MAX_GROUPS + NET_MAX_MUX];
    int np = 0;
    for (int i = 0; i < g->nboxes; i++) {
        const struct net_box *b = &g->boxes[i];
        if (!inside(b->r, g->box))
            fail_msg("%s: box %d outside the block", what, i);
        bool left = g->groups[b->group].left;
        if (left ? b->r.x + b->r.w > g->strip.x : b->r.x < g->strip.x + g->strip.w)
            fail_msg("%s: box %d on the wrong side of the network", what, i);
        if (!drawn_in(f, b->text, b->r))
            fail_msg("%s: box text \"%s\" not drawn in its box", what, b->text);
        if (b->snd.w && !(inside(b->snd, b->r) && inside(b->rcv, b->r)))
            fail_msg("%s: a tube leaves its box", what);
        assert_true(b->snd_fill >= 0 && b->snd_fill <= b->snd.w);
        assert_true(b->rcv_fill >= 0 && b->rcv_fill <= b->rcv.w);
        parts[np++] = b->r;
    }
    for (int i = 0; i < g->ngroups; i++) {
        parts[np++] = g->groups[i].head;
        if (g->groups[i].more.w && !g->groups[i].more_in_head)
            parts[np++] = g->groups[i].more;
    }
    for (int i = 0; i < g->nmuxes; i++)
        parts[np++] = g->muxes[i].r;
    for (int i = 0; i < np; i++) {
        if (!inside(parts[i], g->box))
            fail_msg("%s: part %d outside the block", what, i);
        for (int j = i + 1; j < np; j++)
            if (intersects(parts[i], parts[j]))
                fail_msg("%s: parts %d and %d overlap", what, i, j);
    }
}

static const struct net_box *box_of(const struct frame *f, int id)
{
    for (int i = 0; i < f->v.net.nboxes; i++)
        if (f->v.snap.socks[f->v.net.boxes[i].sock].id == id)
            return &f->v.net.boxes[i];
    return NULL;
}

static bool near(SDL_Point a, SDL_Point b)
{
    return abs(a.x - b.x) <= 1 && abs(a.y - b.y) <= 1;
}

static void check_echo(struct frame *f, const char *what)
{
    check_texts(f, what);
    check_block(f, what);
    const struct net_geom *g = &f->v.net;
    /* Every socket fits here: eight boxes, none hidden; the one closed
     * by all under "no process (closed)", saying its state. */
    int hidden = 0;
    for (int i = 0; i < g->ngroups; i++)
        hidden += g->groups[i].hidden;
    if (g->nboxes + hidden != 8 || (g->nboxes != 8 && !strstr(what, "1024x768 presenting")))
        fail_msg("%s: %d boxes, %d counted", what, g->nboxes, hidden);
    const struct net_box *gone = box_of(f, 8);
    if (gone) {
        assert_int_equal(g->groups[gone->group].pid, 0);
        assert_true(!strncmp(gone->text, "FIN-WAIT-2", 10));
    }
    const struct net_box *lis = box_of(f, 1), *acc = box_of(f, 2), *cli = box_of(f, 3),
                         *syn = box_of(f, 4), *queued = box_of(f, 5);
    assert_non_null(lis);
    assert_non_null(acc);
    assert_non_null(cli);
    assert_non_null(syn);
    assert_non_null(queued);
    /* The server (3) on the left, with the connection still in its
     * backlog; the clients on the right. */
    assert_true(g->groups[lis->group].left && g->groups[acc->group].left);
    assert_int_equal(g->groups[queued->group].pid, 3);
    assert_false(g->groups[cli->group].left);
    assert_false(g->groups[syn->group].left);
    /* The listener: listen(5) lets six wait (Linux queues n + 1), one
     * place used. */
    assert_int_equal(lis->ncells, 6);
    assert_int_equal(lis->cells_used, 1);
    assert_false(lis->backlog_full);
    /* The tubes: the accepted socket's send buffer full, its receive
     * buffer holding 12 bytes (2 sends: a recv may merge them); the
     * client's receive buffer full. */
    assert_true(acc->snd_full);
    assert_int_equal(acc->snd_fill, acc->snd.w);
    assert_true(acc->rcv_fill >= 2 && acc->rcv_fill <= 3);
    assert_true(cli->rcv_full);
    assert_false(cli->snd_full);
    assert_int_equal(cli->snd_fill, 0);
    /* The send buffer is on the network's side of the box. */
    assert_true(acc->snd.x > acc->rcv.x);
    assert_true(cli->snd.x < cli->rcv.x);
    /* The blocked sender's chip. */
    assert_int_equal(acc->nwait, 1);
    assert_int_equal(acc->wait_tid[0], 3);
    /* The connection is a line between the two boxes. */
    bool linked = false;
    for (int l = 0; l < g->nlinks; l++) {
        const struct net_link *ln = &g->links[l];
        SDL_Point a = ln->path.p[0], b = ln->path.p[ln->path.n - 1];
        linked |= (near(a, acc->port) && near(b, cli->port)) ||
                  (near(b, acc->port) && near(a, cli->port));
        assert_int_equal(ln->count, 1);
    }
    assert_true(linked);
    /* The SYN from the connecting client to the listener; the lost
     * datagram heads into the network and ends there. */
    int seen = 0;
    for (int i = 0; i < g->npkts; i++) {
        const struct net_pkt *k = &g->pkts[i];
        const struct snap_packet *p = &net_wire(&f->v)->packets[k->packet];
        if (p->kind == PKT_SYN) {
            assert_string_equal(k->text, "SYN");
            assert_true(near(k->path.p[0], syn->port));
            assert_true(near(k->path.p[k->path.n - 1], lis->port));
            seen++;
        }
        if (p->kind == PKT_DATA) {
            assert_string_equal(k->text, "1000 B");
            seen++;
        }
        if (p->kind == PKT_DGRAM) {
            assert_true(k->lost);
            SDL_Point end = k->path.p[k->path.n - 1];
            assert_true(end.x > g->strip.x && end.x < g->strip.x + g->strip.w);
            seen++;
        }
    }
    assert_int_equal(seen, 3);
    /* The select: fd 4 came back ready (its chip first and highlighted,
     * and the box of fd 4 too); fd 3 is only watched. */
    assert_int_equal(g->nmuxes, 1);
    const struct net_mux *mx = &g->muxes[0];
    assert_true(mx->nchips == 2);
    assert_int_equal(mx->chip_fd[0], 4);
    assert_true(mx->chip_ready[0]);
    assert_int_equal(mx->chip_fd[1], 3);
    assert_false(mx->chip_ready[1]);
    assert_true(acc->ready);
    assert_false(lis->ready);
    assert_true(drawn_prefix(f, "select", mx->r) != NULL);
    assert_true(drawn_prefix(f, "cost 1", mx->r) != NULL);     /* what the scan cost */
    /* The packets are drawn on the network, where they have got to: the
     * SYN (sent 7, arriving 9, shown at tick 8 half way through it: 3/4
     * of its way from the client on the right) left of the middle. */
    int chips = 0;
    for (int i = 0; i < f->log.n; i++) {
        const struct text_drawn *d = &f->log.e[i];
        if (!strstr(d->text, "SYN") || !strstr(d->text, "\xe2\x86") || !inside(d->r, g->box))
            continue;
        chips++;
        if (!(d->r.x >= g->strip.x && d->r.x + d->r.w <= g->strip.x + g->strip.w))
            fail_msg("%s: \"%s\" at %d..%d, strip %d..%d", what, d->text, d->r.x, d->r.x + d->r.w,
                     g->strip.x, g->strip.x + g->strip.w);
        assert_true(d->r.x + d->r.w / 2 < g->strip.x + g->strip.w / 2);
    }
    assert_int_equal(chips, 1);
}

static void test_echo_server_drawn_at_classroom_sizes(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int pres = 0; pres <= 1; pres++) {
            struct frame *f = open_frame("net", fake_src, sizes[s][0], sizes[s][1]);
            f->v.snap_hook = inject;
            if (pres)
                present(f);
            viz_seek(&f->v, 8);
            draw_logged(f, "echo");
            char what[64];
            snprintf(what, sizeof what, "%dx%d%s", sizes[s][0], sizes[s][1],
                     pres ? " presenting" : "");
            check_echo(f, what);
            close_frame(f);
        }
}

static void test_thousand_connections_aggregated(void **state)
{
    (void)state;
    for (int procs = 0; procs <= 1; procs++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            for (int pres = 0; pres <= 1; pres++) {
                struct many mn = { 1000, procs };
                struct frame *f = open_frame("net", fake_src, sizes[s][0], sizes[s][1]);
                f->v.snap_hook = inject_many;
                f->v.snap_hook_arg = &mn;
                if (pres)
                    present(f);
                viz_seek(&f->v, 8);
                draw_logged(f, procs ? "1000procs" : "1000");
                char what[96];
                snprintf(what, sizeof what, "1000 connections%s, %dx%d%s",
                         procs ? " (1000 clients)" : "", sizes[s][0], sizes[s][1],
                         pres ? " presenting" : "");
                check_texts(f, what);
                check_block(f, what);
                const struct net_geom *g = &f->v.net;
                assert_true(g->nboxes <= NET_MAX_BOXES);
                /* The summary counts everything. */
                assert_true(strstr(g->summary, "2001") != NULL);
                assert_true(drawn_in(f, g->summary, g->box) != NULL);
                /* The listener and the busy connection are kept. */
                assert_non_null(box_of(f, 1));
                assert_non_null(box_of(f, 2 + 2 * 999));
                /* Every socket is drawn or counted: in a box, a more row or
                 * a hidden process. */
                int counted = g->nboxes, hidden_procs = 0;
                for (int i = 0; i < g->ngroups; i++)
                    counted += g->groups[i].hidden;
                for (int side = 0; side < 2; side++)
                    hidden_procs += g->hidden_groups[side];
                if (!procs) {
                    assert_int_equal(counted, 2001);
                    assert_int_equal(hidden_procs, 0);
                } else {
                    assert_true(hidden_procs > 900);
                    assert_true(drawn_prefix(f, "+", g->box) != NULL);
                }
                /* The server's more row stands for its other connections:
                 * an aggregated line with their count. */
                const struct net_group *srv = NULL;
                for (int i = 0; i < g->ngroups; i++)
                    if (g->groups[i].pid == 3)
                        srv = &g->groups[i];
                assert_non_null(srv);
                assert_true(srv->hidden > 900);
                assert_true(drawn_prefix(f, "+", srv->more) != NULL);
                if (!procs) {
                    int most = 0;
                    for (int l = 0; l < g->nlinks; l++)
                        if (g->links[l].count > most)
                            most = g->links[l].count;
                    assert_true(most > 900);
                    char label[16];
                    snprintf(label, sizeof label, "%d", most);
                    assert_true(drawn_in(f, label, g->box) != NULL);
                }
                /* The epoll_wait: 1 ready of 1001, the ready fd first. */
                assert_int_equal(g->nmuxes, 1);
                assert_true(g->muxes[0].chip_ready[0]);
                assert_int_equal(g->muxes[0].chip_fd[0], 1003);
                assert_true(g->muxes[0].more.w > 0);
                close_frame(f);
            }
}

/* The inspector: sockets as ls -l /proc/PID/fd and ss name them. */
static void test_inspector_socket_fds(void **state)
{
    (void)state;
    struct frame *f = open_frame("net", fake_src, 1920, 1080);
    f->v.snap_hook = inject;
    f->v.selected_tid = 3;
    viz_seek(&f->v, 8);
    viz_relayout(&f->v);
    draw_logged(f, "inspector");
    char lines[FD_LINES_MAX][FD_LINE];
    int n = fd_table_lines(&f->v.snap, f->v.scn, 3, lines, FD_LINES_MAX);
    assert_int_equal(n, 6);
    assert_string_equal(lines[2], "3      socket:[1] tcp LISTEN :8080");
    assert_string_equal(lines[3], "       backlog 1/5");
    assert_string_equal(lines[4], "4      socket:[2] tcp ESTAB :8080 <-> :40001");
    assert_string_equal(lines[5], "       Recv-Q 12 Send-Q 16384 (2 sends) 'ping!ping!xx'");
    SDL_Rect in = f->v.layout.inspector;
    for (int k = 2; k < 6; k++)
        assert_non_null(drawn_in(f, lines[k], in));
    /* Its select, under its fds. */
    char nl[4][FD_LINE];
    assert_int_equal(net_inspector_lines(&f->v.snap, 3, 8, nl, 4), 1);
    assert_string_equal(nl[0], "select (tick 7): watches 3 4; ready 4 (cost 1 tick)");
    assert_non_null(drawn_in(f, nl[0], in));
    /* A thread's greenlets. */
    assert_int_equal(net_inspector_lines(&f->v.snap, 4, 8, nl, 4), 4);
    assert_string_equal(nl[0], "greenlets: 3");
    assert_string_equal(nl[2], "  g2 handler: waits for fd 3");
    check_texts(f, "inspector");
    /* Clicking a socket's box selects its process; its waiting task's
     * chip, that task; the select row, its caller. */
    const struct net_box *cli = box_of(f, 3), *acc = box_of(f, 2);
    SDL_Event ev = { .type = SDL_MOUSEBUTTONDOWN };
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.x = cli->r.x + 2;
    ev.button.y = cli->r.y + cli->r.h - 2;
    viz_handle_event(&f->v, &ev);
    assert_int_equal(f->v.selected_tid, 4);
    ev.button.x = acc->wait_chip[0].x + 1;
    ev.button.y = acc->wait_chip[0].y + 1;
    viz_handle_event(&f->v, &ev);
    assert_int_equal(f->v.selected_tid, 3);
    assert_int_equal(net_task_at(&f->v, f->v.net.muxes[0].r.x + 1, f->v.net.muxes[0].r.y + 1), 3);
    assert_int_equal(net_task_at(&f->v, 0, 0), 0);
    /* Hovering a socket's box shows its whole line as a tip. */
    SDL_Event mv = { .type = SDL_MOUSEMOTION };
    mv.motion.x = acc->r.x + acc->r.w / 2;
    mv.motion.y = acc->r.y + acc->r.h / 2;
    viz_handle_event(&f->v, &mv);
    draw_logged(f, "hover");
    char tip[4][FD_LINE];
    assert_int_equal(net_box_tip(&f->v, acc, tip, 4), 3);
    assert_string_equal(tip[0], "pid 3 fd 4: socket:[2] tcp ESTAB :8080 <-> :40001");
    assert_string_equal(tip[1], "Recv-Q 12 Send-Q 16384 (2 sends) 'ping!ping!xx'");
    assert_string_equal(tip[2], "waiting: 3");
    assert_non_null(drawn_in(f, tip[0], f->v.layout.objects));
    /* An epoll fd names its instance and its lists. */
    struct snap_fd ep = { .pid = 3, .fd = 5, .kind = SFD_EPOLL, .chan = -1 };
    struct snap_mux *m = &f->v.snap.muxes[0];
    m->kind = MUXK_EPOLL;
    m->epfd = 5;
    char line[1][FD_LINE];
    assert_int_equal(net_fd_lines(&f->v.snap, &ep, line, 1), 1);
    assert_string_equal(line[0], "5      anon_inode:[eventpoll] 2 watched, 1 ready");
    close_frame(f);
    /* A thousand sockets: the table's last line counts the rest. */
    struct many mn = { 1000, false };
    f = open_frame("net", fake_src, 1280, 800);
    f->v.snap_hook = inject_many;
    f->v.snap_hook_arg = &mn;
    f->v.selected_tid = 3;
    viz_seek(&f->v, 8);
    n = fd_table_lines(&f->v.snap, f->v.scn, 3, lines, FD_LINES_MAX);
    assert_true(n >= FD_LINES_MAX - 1 && n <= FD_LINES_MAX);
    int listed = (n - 3) / 2;                  /* two lines a socket */
    char last[64];
    snprintf(last, sizeof last, "...    and %d more fds", 1001 - listed);
    assert_string_equal(lines[n - 1], last);
    assert_string_equal(lines[2], "3      socket:[1] tcp LISTEN :8080");
    close_frame(f);
}

/* Greenlets: lanes inside their thread's card, which makes it taller. */
static void test_greenlet_lanes_in_the_card(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        struct frame *f = open_frame("net", fake_src, sizes[s][0], sizes[s][1]);
        f->v.snap_hook = inject;
        viz_seek(&f->v, 8);
        draw_logged(f, "greens");
        const struct card *c4 = layout_card(&f->v.layout, 4), *c5 = layout_card(&f->v.layout, 5);
        assert_non_null(c4);
        assert_non_null(c5);
        assert_int_equal(c4->r.h, c5->r.h + 3 * f->v.font.small_line + 4);
        /* Cards under it moved down, none overlaps. */
        for (int i = 0; i < f->v.layout.ncards; i++)
            for (int j = i + 1; j < f->v.layout.ncards; j++)
                assert_false(intersects(f->v.layout.cards[i].r, f->v.layout.cards[j].r));
        char text[96];
        green_lane_text(&f->v.snap.greens[0], 8, text, sizeof text);
        assert_string_equal(text, "g1 main: runs, line 5");
        green_lane_text(&f->v.snap.greens[1], 8, text, sizeof text);
        assert_string_equal(text, "g2 handler: waits for fd 3");
        green_lane_text(&f->v.snap.greens[2], 8, text, sizeof text);
        assert_string_equal(text, "g3 ticker: sleeps, 4 left");
        /* Drawn in the card, whole or shortened by words. */
        assert_non_null(drawn_prefix(f, "g2", c4->r));
        check_texts(f, "greenlets");
        close_frame(f);
    }
}

/* Eight greenlets: six lanes, the last counting the three it stands for. */
static void inject_eight_greens(struct snapshot *s, void *arg)
{
    inject(s, arg);
    for (int id = 4; id <= 8; id++)
        green(s, 4, id, "handler", GREEN_WAIT_FD, 3 + id, -1);
}

static void test_many_greenlets_counted(void **state)
{
    (void)state;
    struct frame *f = open_frame("net", fake_src, 1920, 1080);
    f->v.snap_hook = inject_eight_greens;
    viz_seek(&f->v, 8);
    draw_logged(f, "eight-greens");
    const struct card *c4 = layout_card(&f->v.layout, 4), *c5 = layout_card(&f->v.layout, 5);
    assert_int_equal(green_rows(&f->v.snap, 4), GREEN_MAX_ROWS);
    assert_int_equal(c4->r.h, c5->r.h + GREEN_MAX_ROWS * f->v.font.small_line + 4);
    assert_non_null(drawn_in(f, "+3 more greenlets", c4->r));
    assert_non_null(drawn_prefix(f, "g5 handler", c4->r));
    assert_null(drawn_prefix(f, "g6", c4->r));
    check_texts(f, "eight greenlets");
    close_frame(f);
}

/* A packet's place along its line: this tick's stretch of its trip. */
static void test_packet_position(void **state)
{
    (void)state;
    struct snap_packet p = { .sent = 10, .arrives = 14 };
    assert_true(net_packet_frac(&p, 10, 0.5f) > 0.12f && net_packet_frac(&p, 10, 0.5f) < 0.13f);
    assert_true(net_packet_frac(&p, 12, 0.0f) > 0.49f && net_packet_frac(&p, 12, 0.0f) < 0.51f);
    assert_true(net_packet_frac(&p, 13, 1.0f) <= 0.96f);
    assert_true(net_packet_frac(&p, 9, 0.0f) >= 0.04f);
    struct snap_packet q = { .sent = 3, .arrives = 3 };   /* no latency: still on screen */
    assert_true(net_packet_frac(&q, 3, 0.5f) > 0.4f && net_packet_frac(&q, 3, 0.5f) < 0.6f);
}

/* A short panel: a box of one row each (its words, then its tubes), so
 * that every process still shows its sockets rather than a count. */
static void test_short_panel_compact_boxes(void **state)
{
    (void)state;
    struct frame *f = open_frame("net", fake_src, 1280, 800);
    f->v.snap_hook = inject;
    viz_seek(&f->v, 8);
    struct net_geom *g = calloc(1, sizeof *g);
    int sl = 14, adv = 7;
    bool compact_all = false;
    for (int h = 600; h >= 180; h -= 20) {
        SDL_Rect area = { 10, 10, 560, h };
        int y = net_layout(&f->v.snap, NULL, &f->v.cfg, area, sl, adv, g);
        assert_true(y <= area.y + area.h);
        bool compact = g->boxes[0].r.h == sl + 6;
        if (h == 600 && (compact || g->nboxes != 8))   /* room for two rows a box */
            fail_msg("h %d: one-row boxes or some hidden", h);
        if (compact && g->nboxes == 8)
            compact_all = true;
        /* Every socket in a box or counted in its process's more row (a
         * very short panel may leave a process out, counted). */
        int hidden = 0;
        for (int k = 0; k < g->ngroups; k++)
            hidden += g->groups[k].hidden;
        if (h >= 240 ? g->nboxes + hidden != 8 || g->hidden_groups[0] + g->hidden_groups[1]
                     : g->nboxes < 4)
            fail_msg("h %d: %d boxes, %d hidden, %d+%d processes hidden", h, g->nboxes, hidden,
                     g->hidden_groups[0], g->hidden_groups[1]);
        for (int i = 0; i < g->nboxes; i++) {
            const struct net_box *b = &g->boxes[i];
            assert_true(inside(b->r, area));
            if (b->snd.w) {
                assert_true(inside(b->snd, b->r) && inside(b->rcv, b->r));
                assert_false(SDL_HasIntersection(&b->snd, &b->rcv));
                if (compact)                  /* right of the words */
                    assert_true(b->rcv.x >= b->r.x + b->r.w * 48 / 100 &&
                                b->snd.x >= b->r.x + b->r.w * 48 / 100);
            }
            for (int c = 0; c < b->ncells; c++)
                assert_true(inside(b->cell[c], b->r));
        }
    }
    /* Some height shows all eight only with one row a box. */
    assert_true(compact_all);
    /* Too narrow for "4 SYN-SENT" and its waiting task in half a box:
     * two rows a box, fewer shown, none cut. */
    net_layout(&f->v.snap, NULL, &f->v.cfg, (SDL_Rect){ 10, 10, 300, 240 }, sl, adv, g);
    assert_true(g->nboxes > 0 && g->boxes[0].r.h > sl + 6);
    free(g);
    close_frame(f);
}

/* UDP: the socket bound to a well-known port is the server's (left), the
 * sender's ephemeral one the client's (right); a datagram crosses. */
static void inject_udp(struct snapshot *s, void *arg)
{
    (void)arg;
    reset(s, 2, 2);
    struct snap_sock *k = add_sock(s, 1, SOCKT_UDP, SOCKS_UNCONN, 3, 3);
    snprintf(k->local, sizeof k->local, "127.0.0.1:9000");
    k->rcv_bytes = 8;
    k->rcv_sends = 2;
    k->rcv_cap = 212992;
    k = add_sock(s, 2, SOCKT_UDP, SOCKS_UNCONN, 4, 3);
    snprintf(k->local, sizeof k->local, "127.0.0.1:40000");
    packet(s, 2, 1, PKT_DGRAM, 4, 8, 9, false);
    packet(s, 2, 1, PKT_DGRAM, 4, 8, 10, true);
}

static void test_udp_server_on_the_left(void **state)
{
    (void)state;
    struct frame *f = open_frame("net", fake_src, 1280, 800);
    f->v.snap_hook = inject_udp;
    viz_seek(&f->v, 8);
    draw_logged(f, "udp");
    check_texts(f, "udp");
    check_block(f, "udp");
    const struct net_geom *g = &f->v.net;
    const struct net_box *srv = box_of(f, 1), *cli = box_of(f, 2);
    assert_non_null(srv);
    assert_non_null(cli);
    assert_true(g->groups[srv->group].left);
    assert_false(g->groups[cli->group].left);
    assert_int_equal(g->npkts, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(g->pkts[i].path.n, 2);          /* straight across */
        assert_true(near(g->pkts[i].path.p[0], cli->port));
        assert_true(near(g->pkts[i].path.p[1], srv->port));
    }
    assert_true(g->pkts[0].lost != g->pkts[1].lost);
    assert_true(srv->rcv_fill >= 2);
    close_frame(f);
}

/* Fork per client: the handler child holds only the accepted socket
 * (the kernel keeps no listener for it after accept); its port, the
 * listener's, puts it on the servers' side, the client's ephemeral one
 * on the other. */
static void inject_handler(struct snapshot *s, void *arg)
{
    (void)arg;
    reset(s, 3, 1);
    struct snap_sock *k = add_sock(s, 1, SOCKT_TCP, SOCKS_LISTEN, 3, 3);
    snprintf(k->local, sizeof k->local, "127.0.0.1:8080");
    k->backlog_max = 5;
    k = add_sock(s, 2, SOCKT_TCP, SOCKS_ESTAB, 4, 4);
    snprintf(k->local, sizeof k->local, "127.0.0.1:8080");
    k->peer_id = 3;
    k = add_sock(s, 3, SOCKT_TCP, SOCKS_ESTAB, 5, 3);
    snprintf(k->local, sizeof k->local, "127.0.0.1:40000");
    k->peer_id = 2;
}

static void test_forked_handler_on_the_servers_side(void **state)
{
    (void)state;
    struct frame *f = open_frame("net", fake_src, 1280, 800);
    f->v.snap_hook = inject_handler;
    viz_seek(&f->v, 8);
    draw_logged(f, "handler");
    check_texts(f, "handler");
    check_block(f, "handler");
    const struct net_geom *g = &f->v.net;
    assert_true(g->groups[box_of(f, 1)->group].left);
    assert_true(g->groups[box_of(f, 2)->group].left);
    assert_int_equal(g->groups[box_of(f, 2)->group].pid, 4);
    assert_false(g->groups[box_of(f, 3)->group].left);
    assert_int_equal(g->nlinks, 1);
    assert_int_equal(g->links[0].path.n, 2);             /* straight across */
    close_frame(f);
}

/* listen(2): three may wait (Linux queues n + 1, ss shows Recv-Q 3,
 * Send-Q 2); full, in red, only when the next SYN would be dropped. */
static void test_backlog_places(void **state)
{
    (void)state;
    struct snapshot s;
    memset(&s, 0, sizeof s);
    struct net_geom *g = calloc(1, sizeof *g);
    for (int queued = 0; queued <= 3; queued++) {
        reset(&s, 1, 1);
        struct snap_sock *k = add_sock(&s, 1, SOCKT_TCP, SOCKS_LISTEN, 2, 3);
        snprintf(k->local, sizeof k->local, "127.0.0.1:8080");
        k->backlog_max = 2;
        k->backlog = queued;
        net_layout(&s, NULL, NULL, (SDL_Rect){ 0, 0, 600, 400 }, 14, 7, g);
        assert_int_equal(g->nboxes, 1);
        assert_int_equal(g->boxes[0].ncells, 3);
        assert_int_equal(g->boxes[0].cells_used, queued);
        assert_true(g->boxes[0].backlog_full == (queued == 3));
        char want[32];
        snprintf(want, sizeof want, "backlog %d/2", queued);
        assert_string_equal(g->boxes[0].backlog_text, want);
    }
    snapshot_free(&s);
    free(g);
}

/* A select over pipes: no sockets, so no network, just the call, in one
 * column as wide as the panel. */
static void inject_select_only(struct snapshot *s, void *arg)
{
    (void)arg;
    reset(s, 1, 1);
    struct snap_mux *m = &s->muxes[s->nmuxes++];
    *m = (struct snap_mux){ .pid = 2, .tid = 2, .kind = MUXK_POLL, .epfd = -1, .called = 8,
                            .cost = 3, .nwatched = 3, .watched = { 3, 5, 7 }, .nready = 1,
                            .ready = { 5 } };
}

static void test_select_on_pipes_only(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        struct frame *f = open_frame("net", fake_src, sizes[s][0], sizes[s][1]);
        f->v.snap_hook = inject_select_only;
        viz_seek(&f->v, 8);
        draw_logged(f, "poll-only");
        check_texts(f, "poll only");
        check_block(f, "poll only");
        const struct net_geom *g = &f->v.net;
        assert_int_equal(g->nboxes, 0);
        assert_int_equal(g->strip.w, 0);
        assert_string_equal(g->summary, "");
        assert_int_equal(g->nmuxes, 1);
        assert_int_equal(g->muxes[0].r.w, g->box.w - 8);
        assert_true(g->muxes[0].chip_ready[0] && g->muxes[0].chip_fd[0] == 5);
        assert_true(drawn_prefix(f, "poll", g->muxes[0].r) != NULL);
        assert_true(drawn_prefix(f, "cost 3 ticks", g->muxes[0].r) != NULL);
        close_frame(f);
    }
}

/* run_state_after: the state at the end of a tick holds what was sent in
 * it (a pipe's message here: it shows in the tube from the next tick), and
 * asking for it leaves run_state_at's answers as they were. */
static const char pipe_src[] =
    "pipe r, w simplex\n"
    "program child {\n  sleep 2\n  w.send \"hi\"\n}\n"
    "program main {\n  fork child\n  sleep 6\n  r.recv -> m\n  wait\n}\n"
    "spawn main\n";

static void test_state_after_a_tick(void **state)
{
    (void)state;
    struct frame *f = open_frame("after", pipe_src, 1280, 800);
    const struct trace *tr = run_trace(f->v.run);
    int64_t sent = -1;
    for (size_t i = 0; i < tr->nev && sent < 0; i++)
        if (tr->ev[i].kind == EV_PIPE && tr->ev[i].reason == PIPE_SEND)
            sent = tr->ev[i].tick;
    assert_true(sent > 0);
    struct snapshot at, after, next, again;
    memset(&at, 0, sizeof at);
    memset(&after, 0, sizeof after);
    memset(&next, 0, sizeof next);
    memset(&again, 0, sizeof again);
    run_state_at(f->v.run, sent, &at);
    run_state_after(f->v.run, sent, &after);
    run_state_at(f->v.run, sent, &again);        /* the cursor is where it was */
    run_state_at(f->v.run, sent + 1, &next);
    assert_int_equal(at.nchans, 1);
    assert_int_equal(at.chans[0].nmsgs, 0);
    assert_int_equal(after.chans[0].nmsgs, 1);   /* sent in this tick */
    assert_int_equal(next.chans[0].nmsgs, after.chans[0].nmsgs);
    assert_int_equal(again.chans[0].nmsgs, 0);
    assert_int_equal(again.tick, at.tick);
    /* At the end there is nothing after: the final state. */
    int64_t end = run_end_tick(f->v.run);
    run_state_after(f->v.run, end, &after);
    assert_true(after.done);
    snapshot_free(&at);
    snapshot_free(&after);
    snapshot_free(&next);
    snapshot_free(&again);
    close_frame(f);
}

/* No sockets: no block (and the layout of older lessons is unchanged). */
static void test_no_sockets_no_block(void **state)
{
    (void)state;
    struct frame *f = open_frame("net", fake_src, 1280, 800);
    viz_seek(&f->v, 8);
    draw_logged(f, "none");
    assert_false(f->v.net_drawn);
    struct net_geom *g = calloc(1, sizeof *g);
    assert_int_equal(net_layout(&f->v.snap, NULL, &f->v.cfg, (SDL_Rect){ 0, 0, 400, 400 }, 14, 7, g),
                     0);
    assert_int_equal(g->nboxes, 0);
    free(g);
    close_frame(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packet_position),
        cmocka_unit_test(test_no_sockets_no_block),
        cmocka_unit_test(test_echo_server_drawn_at_classroom_sizes),
        cmocka_unit_test(test_thousand_connections_aggregated),
        cmocka_unit_test(test_inspector_socket_fds),
        cmocka_unit_test(test_short_panel_compact_boxes),
        cmocka_unit_test(test_state_after_a_tick),
        cmocka_unit_test(test_udp_server_on_the_left),
        cmocka_unit_test(test_select_on_pipes_only),
        cmocka_unit_test(test_backlog_places),
        cmocka_unit_test(test_forked_handler_on_the_servers_side),
        cmocka_unit_test(test_greenlet_lanes_in_the_card),
        cmocka_unit_test(test_many_greenlets_counted),
    };
    return RUN_VIZ_TESTS(tests);
}
