/*
 * net.c - where the sockets, their connections, the packets on the
 * loopback network and the select/poll/epoll calls go in the objects panel
 * (issue 13), as plain rectangles and strings from the snapshot alone (no
 * drawing: netdraw.c paints what this places, and the tests check it).
 *
 * The block reads like the classic client/server picture: the processes
 * that listen or accept connections (the servers) on the left, the others
 * (the clients) on the right, and between them a strip that is the
 * network. Under each process, its sockets as boxes: the fd, the type and
 * ss's state name, then the send and receive buffers as tubes filling
 * against their capacity (the send buffer on the network's side, where its
 * bytes leave), or a listener's backlog as a row of cells. A connection is
 * a line from a box's network edge to its peer's; packets ride it.
 *
 * 1,000 connections do not fit and would not be legible if they did: each
 * process keeps its most interesting sockets (a listener, data in a
 * buffer, a waiting task, a packet in flight, ready for a select) and a
 * "+N more: N ESTAB" row stands for the rest; their connections become one
 * line with a count. Processes that do not fit are counted at the foot of
 * their side. A summary row on top counts everything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz.h"

static int clampi(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

const char *net_state_name(int state)
{
    static const char *const names[] = {
        [SOCKS_UNCONN] = "UNCONN", [SOCKS_LISTEN] = "LISTEN", [SOCKS_SYN_SENT] = "SYN-SENT",
        [SOCKS_SYN_RECV] = "SYN-RECV", [SOCKS_ESTAB] = "ESTAB", [SOCKS_FIN_WAIT1] = "FIN-WAIT-1",
        [SOCKS_FIN_WAIT2] = "FIN-WAIT-2", [SOCKS_CLOSE_WAIT] = "CLOSE-WAIT",
        [SOCKS_LAST_ACK] = "LAST-ACK", [SOCKS_CLOSING] = "CLOSING", [SOCKS_TIME_WAIT] = "TIME-WAIT",
        [SOCKS_CLOSED] = "CLOSED",
    };
    return state >= 0 && state <= SOCKS_CLOSED ? names[state] : "?";
}

const char *net_type_name(int type)
{
    switch (type) {
    case SOCKT_TCP: return "tcp";
    case SOCKT_UDP: return "udp";
    case SOCKT_UNIX_STREAM: return "unix";
    default: return "unixdg";
    }
}

const struct snap_sock *net_sock(const struct snapshot *s, int id)
{
    /* The snapshot lists sockets by id. */
    int lo = 0, hi = s->nsocks - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (s->socks[mid].id == id)
            return &s->socks[mid];
        if (s->socks[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static int sock_index(const struct snapshot *s, int id)
{
    const struct snap_sock *k = id ? net_sock(s, id) : NULL;
    return k ? (int)(k - s->socks) : -1;
}

const struct snapshot *net_wire(const struct viz *v)
{
    return v->has_wire ? &v->wire : &v->snap;
}

bool net_any(const struct snapshot *s)
{
    return s->nsocks || s->npackets || s->nmuxes;
}

/* A server's socket: listening, accepted from a listener, or bound to a
 * well-known address: a port below Linux's ephemeral range (32768 on,
 * where clients' ports come from; an accepted socket has its listener's
 * port), or a Unix path (a client's Unix socket is usually unnamed). */
static bool server_side(const struct snap_sock *k)
{
    if (k->state == SOCKS_LISTEN || k->listener_id)
        return true;
    const char *colon = strrchr(k->local, ':');
    if (!strncmp(k->local, "127.0.0.1:", 10) && colon)
        return atoi(colon + 1) > 0 && atoi(colon + 1) < 32768;
    return k->local[0] != '\0' &&
           (k->type == SOCKT_UNIX_DGRAM || k->type == SOCKT_UNIX_STREAM);
}

int net_lines(const struct snapshot *s)
{
    if (!net_any(s))
        return 0;
    /* Boxes stack on two sides: the taller side's (about 2.5 lines a
     * box, a title per process), up to what the block shows anyway. */
    int side[2] = { 0, 0 };
    for (int i = 0; i < s->nsocks && side[0] + side[1] < 24; i++)
        side[!server_side(&s->socks[i])]++;
    int socks = side[0] > side[1] ? side[0] : side[1];
    socks = socks < 10 ? socks : 10;
    int muxes = s->nmuxes < 4 ? s->nmuxes : 4;
    return 6 + (5 * socks + 1) / 2 + 2 * muxes;
}

float net_packet_frac(const struct snap_packet *p, int64_t tick, float phase)
{
    int64_t len = p->arrives - p->sent;
    if (len < 1)
        len = 1;
    float f = ((float)(tick - p->sent) + phase) / (float)len;
    return f < 0.04f ? 0.04f : f > 0.96f ? 0.96f : f;
}

/* "12 B", "1.5 K", "128 K": a byte count in a few characters. */
static void short_bytes(int64_t b, char *out, size_t n)
{
    if (b < 1024)
        snprintf(out, n, "%lld B", (long long)b);
    else if (b < 10 * 1024)
        snprintf(out, n, "%.1f K", (double)b / 1024.0);
    else if (b < 1024 * 1024)
        snprintf(out, n, "%lld K", (long long)(b / 1024));
    else
        snprintf(out, n, "%.1f M", (double)b / (1024.0 * 1024.0));
}

/* ":8080" for 127.0.0.1:8080 (every inet address is the loopback), a
 * Unix path as it is. */
static const char *short_addr(const char *a)
{
    if (!strncmp(a, "127.0.0.1:", 10))
        return a + 9;
    return a;
}

int net_fd_lines(const struct snapshot *s, const struct snap_fd *f, char lines[][FD_LINE],
                 int max)
{
    if (max < 1)
        return 0;
    char *out = lines[0];
    size_t n = FD_LINE;
    if (f->kind == SFD_EPOLL) {
        /* Its interest list and ready list, from its owner's last call. */
        for (int i = 0; i < s->nmuxes; i++) {
            const struct snap_mux *m = &s->muxes[i];
            if (m->pid == f->pid && m->kind == MUXK_EPOLL && m->epfd == f->fd) {
                snprintf(out, n, "%-5d  anon_inode:[eventpoll] %d watched, %d ready", f->fd,
                         m->nwatched, m->nready < 0 ? 0 : m->nready);
                return 1;
            }
        }
        snprintf(out, n, "%-5d  anon_inode:[eventpoll]", f->fd);
        return 1;
    }
    const struct snap_sock *k = net_sock(s, f->sock);
    if (!k) {
        snprintf(out, n, "%-5d  socket:[%d]", f->fd, f->sock);
        return 1;
    }
    /* ls -l /proc/PID/fd says socket:[inode]; ss says the rest, on a
     * second line under it. */
    snprintf(out, n, "%-5d  socket:[%d] %s %s %s%s%s", f->fd, k->id, net_type_name(k->type),
             net_state_name(k->state), *k->local ? short_addr(k->local) : "*",
             *k->peer ? " <-> " : "", *k->peer ? short_addr(k->peer) : "");
    if (max < 2)
        return 1;
    char *ss = lines[1];
    if (k->state == SOCKS_LISTEN)
        snprintf(ss, n, "       backlog %d/%d", k->backlog, k->backlog_max);
    else
        snprintf(ss, n, "       Recv-Q %lld Send-Q %lld", (long long)k->rcv_bytes,
                 (long long)k->snd_bytes);
    if (k->rcv_sends > 1)
        snprintf(ss + strlen(ss), n - strlen(ss), " (%d sends)", k->rcv_sends);
    if (k->rcv_bytes > 0 && k->rcv_text[0])    /* what a recv would return first */
        snprintf(ss + strlen(ss), n - strlen(ss), " %.40s", k->rcv_text);
    if (k->nonblocking)
        snprintf(ss + strlen(ss), n - strlen(ss), " nonblocking");
    if (k->timeout >= 0)
        snprintf(ss + strlen(ss), n - strlen(ss), " timeout %lld", (long long)k->timeout);
    if (k->shut_rd || k->shut_wr)
        snprintf(ss + strlen(ss), n - strlen(ss), " shut %s%s", k->shut_rd ? "rd" : "",
                 k->shut_wr ? (k->shut_rd ? "+wr" : "wr") : "");
    return 2;
}

int net_inspector_lines(const struct snapshot *s, int tid, int64_t tick, char lines[][FD_LINE],
                        int max)
{
    int n = 0;
    static const char *const kinds[] = { "select", "poll", "epoll_wait" };
    for (int i = 0; i < s->nmuxes && n < max; i++) {
        const struct snap_mux *m = &s->muxes[i];
        if (m->tid != tid)
            continue;
        char *b = lines[n++];
        snprintf(b, FD_LINE, "%s (tick %lld)%s: watches", kinds[m->kind <= MUXK_EPOLL ? m->kind : 0],
                 (long long)m->called, m->waiting ? ", waiting" : "");
        int lw = m->nwatched < SNAP_MAX_MUX_FDS ? m->nwatched : SNAP_MAX_MUX_FDS;
        lw = lw < 8 ? lw : 8;
        for (int k = 0; k < lw; k++)
            snprintf(b + strlen(b), FD_LINE - strlen(b), " %d", m->watched[k]);
        if (m->nwatched > lw)
            snprintf(b + strlen(b), FD_LINE - strlen(b), " +%d", m->nwatched - lw);
        if (!m->waiting && m->nready >= 0) {
            snprintf(b + strlen(b), FD_LINE - strlen(b), "; ready");
            int lr = m->nready < SNAP_MAX_MUX_FDS ? m->nready : SNAP_MAX_MUX_FDS;
            lr = lr < 8 ? lr : 8;
            for (int k = 0; k < lr; k++)
                snprintf(b + strlen(b), FD_LINE - strlen(b), " %d", m->ready[k]);
            if (m->nready > lr)
                snprintf(b + strlen(b), FD_LINE - strlen(b), " +%d", m->nready - lr);
            if (!m->nready)
                snprintf(b + strlen(b), FD_LINE - strlen(b), " none");
        }
        if (m->cost > 0)
            snprintf(b + strlen(b), FD_LINE - strlen(b), " (cost %lld tick%s)", (long long)m->cost,
                     m->cost == 1 ? "" : "s");
    }
    int ng = 0;
    for (int i = 0; i < s->ngreens; i++)
        ng += s->greens[i].tid == tid;
    if (ng && n < max)
        snprintf(lines[n++], FD_LINE, "greenlets: %d", ng);
    for (int i = 0; i < s->ngreens && n < max; i++)
        if (s->greens[i].tid == tid) {
            char t[96];
            green_lane_text(&s->greens[i], tick, t, sizeof t);
            snprintf(lines[n++], FD_LINE, "  %s", t);
        }
    return n;
}

/* ------------------------------------------------------------ layout */

#define NONE_EP (-100000)

struct work {
    const struct snapshot *s;
    const struct snapshot *ws;     /* where the packets are */
    int *owner;                /* per socket: its process's group (work), -1 */
    int *score;                /* per socket: how interesting it is */
    int *shown;                /* per socket: its box, -1 */
    bool *flight;              /* per socket: a packet of it in flight */
    int ng;
    struct wgroup {
        int pid;
        bool left;
        int *socks, n, cap;
        int score;
        int nmux;
        int out;               /* index in net_geom.groups, -1 not drawn */
    } *g;
};

static int pid_cmp(const void *a, const void *b)
{
    int x = ((const struct wgroup *)a)->pid, y = ((const struct wgroup *)b)->pid;
    return (x > y) - (x < y);
}

static int group_of_pid(struct work *w, int pid)
{
    int lo = 0, hi = w->ng - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (w->g[mid].pid == pid)
            return mid;
        if (w->g[mid].pid < pid)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* The fd process pid knows socket k by, -1. */
static int fd_in(const struct snap_sock *k, int pid)
{
    for (int h = 0; h < k->nholders && h < SNAP_MAX_SOCK_FDS; h++)
        if (k->holder_pid[h] == pid)
            return k->holder_fd[h];
    return -1;
}

/* The process a socket is drawn under: its lowest holder; a connection
 * still in a listener's backlog (no fd yet) under the listener's. */
static int owner_pid(const struct snapshot *s, const struct snap_sock *k)
{
    if (!k->nholders && k->listener_id) {
        const struct snap_sock *l = net_sock(s, k->listener_id);
        if (l && l != k && l->nholders)
            return owner_pid(s, l);
    }
    int pid = 0;
    for (int h = 0; h < k->nholders && h < SNAP_MAX_SOCK_FDS; h++)
        if (!pid || k->holder_pid[h] < pid)
            pid = k->holder_pid[h];
    return pid;
}

/* Where a socket's box goes among its process's: by fd (twice, so that a
 * queued connection, which has none yet, comes right after its
 * listener's). */
static int box_order(const struct snapshot *s, const struct snap_sock *k, int pid)
{
    int fd = fd_in(k, pid);
    if (fd >= 0)
        return 2 * fd;
    const struct snap_sock *l = k->listener_id ? net_sock(s, k->listener_id) : NULL;
    int lfd = l && l != k ? fd_in(l, pid) : -1;
    return lfd >= 0 ? 2 * lfd + 1 : 1 << 30;
}

static bool mux_ready(const struct snapshot *s, int pid, int fd)
{
    for (int i = 0; i < s->nmuxes; i++) {
        const struct snap_mux *m = &s->muxes[i];
        if (m->pid != pid || m->waiting || m->nready <= 0)
            continue;
        for (int k = 0; k < m->nready && k < SNAP_MAX_MUX_FDS; k++)
            if (m->ready[k] == fd)
                return true;
    }
    return false;
}

static bool build_groups(struct work *w)
{
    const struct snapshot *s = w->s;
    /* Distinct pids: the sockets' owners and the muxes' callers. */
    int cap = s->nsocks + s->nmuxes + 1;
    w->g = calloc((size_t)cap, sizeof *w->g);
    if (!w->g)
        return false;
    int n = 0;
    int *pids = malloc((size_t)cap * sizeof *pids);
    if (!pids)
        return false;
    for (int i = 0; i < s->nsocks; i++)
        pids[n++] = owner_pid(s, &s->socks[i]);
    for (int i = 0; i < s->nmuxes; i++)
        pids[n++] = s->muxes[i].pid;
    for (int i = 0; i < n; i++)
        w->g[i].pid = pids[i];
    free(pids);
    qsort(w->g, (size_t)n, sizeof *w->g, pid_cmp);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!k || w->g[k - 1].pid != w->g[i].pid)
            w->g[k++] = w->g[i];
    w->ng = k;
    for (int i = 0; i < s->nsocks; i++) {
        int gi = group_of_pid(w, owner_pid(s, &s->socks[i]));
        w->owner[i] = gi;
        struct wgroup *g = &w->g[gi];
        if (g->n == g->cap) {
            int nc = g->cap ? 2 * g->cap : 4;
            int *ns = realloc(g->socks, (size_t)nc * sizeof *ns);
            if (!ns)
                return false;
            g->socks = ns;
            g->cap = nc;
        }
        g->socks[g->n++] = i;
        if (server_side(&s->socks[i]))
            g->left = true;
    }
    for (int i = 0; i < s->nmuxes; i++)
        w->g[group_of_pid(w, s->muxes[i].pid)].nmux++;
    bool any_left = false;
    for (int i = 0; i < w->ng; i++)
        any_left |= w->g[i].left;
    for (int i = 0; i < w->ng && !s->nsocks; i++)
        w->g[i].left = true;           /* only calls: one column */
    if (!any_left && w->ng)
        w->g[0].left = true;         /* no server: the first process is on the left */
    /* Scores: what a student needs to see first. */
    for (int i = 0; i < w->ws->npackets; i++) {
        int a = sock_index(s, w->ws->packets[i].from), b = sock_index(s, w->ws->packets[i].to);
        if (a >= 0)
            w->flight[a] = true;
        if (b >= 0)
            w->flight[b] = true;
    }
    for (int i = 0; i < s->nsocks; i++) {
        const struct snap_sock *so = &s->socks[i];
        int pid = owner_pid(s, so);
        int sc = (so->state == SOCKS_LISTEN) * 32 + (so->nwaiting > 0) * 16 +
                 (so->rcv_bytes > 0) * 8 + (so->snd_bytes > 0) * 8 + w->flight[i] * 12 +
                 (so->state != SOCKS_ESTAB && so->state != SOCKS_LISTEN) * 3 +
                 mux_ready(s, pid, fd_in(so, pid)) * 10;
        w->score[i] = sc;
        struct wgroup *g = &w->g[w->owner[i]];
        if (sc > g->score)
            g->score = sc;
    }
    for (int i = 0; i < w->ng; i++)
        w->g[i].score += w->g[i].nmux * 20 + (w->g[i].n > 0);
    return true;
}

/* Sockets a plan shows in boxes (a side that keeps all its processes:
 * each its quota; else one each, as the fallback does). */
static int shown(const struct work *w, const int q[2], const bool keep_all[2])
{
    int n = 0;
    for (int i = 0; i < w->ng; i++) {
        int side = !w->g[i].left, quota = keep_all[side] ? q[side] : 1;
        n += w->g[i].n < quota ? w->g[i].n : quota;
    }
    return n;
}

/* Do the shortest words of every socket ("1004 ESTAB") fit in the left
 * half of a compact box cw pixels wide? */
static bool compact_fits(const struct work *w, int cw, int adv)
{
    int zone = cw * 48 / 100 - 7 - adv / 2;
    for (int i = 0; i < w->s->nsocks; i++) {
        const struct snap_sock *k = &w->s->socks[i];
        int fd = k->nholders ? k->holder_fd[0] : 0, chars = 2;   /* a digit, a space */
        for (; fd >= 10; fd /= 10)
            chars++;
        chars += (int)strlen(net_state_name(k->state));
        if (chars * adv > zone)           /* a waiting task's chip goes after them */
            return false;
    }
    return true;
}

/* Processes by score, best first (pid order among equals). */
struct rank {
    int score, index;
};

static int rank_cmp(const void *a, const void *b)
{
    const struct rank *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

struct metrics {
    int sl, adv, head_h, box_h, gap, mux_h, more_h, group_gap;
    bool compact;              /* one row a box: its words, then its tubes */
};

/* Height of a group on its side showing at most q sockets. */
static int group_h(const struct metrics *m, const struct wgroup *g, int q)
{
    int shown = g->n < q ? g->n : q;   /* with no box, the title counts them */
    return m->head_h + shown * (m->box_h + m->gap) + (shown && g->n > shown ? m->more_h : 0) +
           (g->nmux < NET_MAX_MUX ? g->nmux : NET_MAX_MUX) * m->mux_h + m->group_gap;
}

/* Would a process of this side with sockets show nothing but its title
 * and a count without boxes (no select/poll/epoll row)? */
static bool side_has_bare(const struct work *w, int side)
{
    for (int i = 0; i < w->ng; i++)
        if (!w->g[i].left == side && w->g[i].n > 0 && !w->g[i].nmux)
            return true;
    return false;
}

/* For each side, the largest quota of sockets per process with which all
 * its processes fit in `avail` pixels (keep_all), else 1. */
static void plan(const struct work *w, const struct metrics *m, int avail, int q[2],
                 bool keep_all[2])
{
    for (int side = 0; side < 2; side++) {
        keep_all[side] = false;
        q[side] = 1;
        for (int qq = NET_MAX_BOXES / 2; qq >= 0; qq--) {
            int need = 0, boxes = 0, groups = 0;
            for (int i = 0; i < w->ng; i++) {
                if (!w->g[i].left != side)
                    continue;
                need += group_h(m, &w->g[i], qq);
                boxes += w->g[i].n < qq ? w->g[i].n : qq;
                groups++;
            }
            /* Processes with only their title and a count are no
             * picture: below one box each, keep the best processes,
             * unless each shows its select/poll/epoll call. */
            if (qq == 0 && side_has_bare(w, side))
                break;
            if (need <= avail && boxes <= NET_MAX_BOXES / 2 && groups <= NET_MAX_GROUPS / 2) {
                keep_all[side] = true;
                q[side] = qq;
                break;
            }
            if (qq > 8)
                qq = 9;                  /* then from 8 down one by one */
        }
    }
}

/* Does the plan show every socket? */
static bool complete(const struct work *w, const int q[2], const bool keep_all[2])
{
    for (int side = 0; side < 2; side++) {
        int most = 0;
        for (int i = 0; i < w->ng; i++)
            if (!w->g[i].left == side && w->g[i].n > most)
                most = w->g[i].n;
        if (!keep_all[side] || q[side] < most)
            return false;
    }
    return true;
}


/* Sort idx[0..n) by score descending, then by index (insertion, small n
 * taken from a large list by partial selection). Keeps the best q. */
static int best_of(const struct work *w, const struct wgroup *g, int q, int *out)
{
    int k = 0;
    for (int i = 0; i < g->n; i++) {
        int s = g->socks[i], sc = w->score[s];
        if (k == q && (q == 0 || sc <= w->score[out[k - 1]]))
            continue;
        int pos = k < q ? k++ : q - 1;
        while (pos > 0 && w->score[out[pos - 1]] < sc) {
            out[pos] = out[pos - 1];
            pos--;
        }
        out[pos] = s;
    }
    return k;
}

/* A string fitted to max_w pixels: the first variant from `from` on that
 * fits, else the last cut to the width; returns the variant used. */
static int fit_from(char *out, size_t n, int max_w, int adv, int from, int nv,
                    const char *const *var)
{
    int per = adv > 0 ? max_w / adv : 40;
    for (int i = from < nv ? from : nv - 1; i < nv; i++)
        if ((int)strlen(var[i]) <= per || i == nv - 1) {
            if ((int)strlen(var[i]) <= per)
                snprintf(out, n, "%s", var[i]);
            else
                chan_cut(var[i], per > 1 ? per : 1, out, n);
            return i;
        }
    return nv - 1;
}

static void fit_text(char *out, size_t n, int max_w, int adv, int nv, const char *const *var)
{
    fit_from(out, n, max_w, adv, 0, nv, var);
}

static void tube_text(const char *name, int64_t bytes, int sends, int w, int adv, char *out,
                      size_t n)
{
    char b[32], v0[64], v1[64], v2[40], v3[8];
    short_bytes(bytes, b, sizeof b);
    if (sends > 1)
        snprintf(v0, sizeof v0, "%s %s, %d sends", name, b, sends);
    else
        snprintf(v0, sizeof v0, "%s %s", name, b);
    snprintf(v1, sizeof v1, "%s %s", name, b);
    if (!bytes)                        /* an empty tube says only what it is */
        snprintf(v0, sizeof v0, "%s", name), snprintf(v1, sizeof v1, "%s", name);
    snprintf(v2, sizeof v2, "%s", bytes ? b : name);
    snprintf(v3, sizeof v3, "%c", name[0]);
    const char *var[] = { v0, v1, v2, v3, "" };
    int per = adv > 0 ? (w - 4) / adv : 0;
    for (int i = 0; i < 5; i++)
        if ((int)strlen(var[i]) <= per || i == 4) {
            snprintf(out, n, "%s", (int)strlen(var[i]) <= per ? var[i] : "");
            return;
        }
}

/* Place box b's parts; its text as the first variant from `level` on
 * that fits (so that all boxes can say it the same way); returns it. */
static int place_box(const struct snapshot *s, const struct metrics *m, struct net_box *b,
                     int pid, bool left, int level)
{
    const struct snap_sock *k = &s->socks[b->sock];
    int sl = m->sl, adv = m->adv;
    b->fd = fd_in(k, pid);
    b->port = (SDL_Point){ left ? b->r.x + b->r.w : b->r.x, b->r.y + b->r.h / 2 };
    b->ready = mux_ready(s, pid, b->fd);
    /* A compact box says it all on one row: its words in the left half,
     * the tubes or the backlog in the right one. */
    int zone = m->compact ? b->r.w * 48 / 100 : b->r.w;
    /* Waiting tasks: chips at the right of the text row. */
    int right = b->r.x + zone - 3;
    b->nwait = 0;
    b->wait_more[0] = '\0';
    int nw = k->nwaiting < SNAP_MAX_WAITERS ? k->nwaiting : SNAP_MAX_WAITERS;
    if (k->nwaiting > 2)
        snprintf(b->wait_more, sizeof b->wait_more, "+%d", k->nwaiting - 2);
    if (b->wait_more[0])
        right -= (int)strlen(b->wait_more) * adv + 3;
    /* A compact box has them after its words, before its tubes. */
    int cx = b->r.x + zone;
    if (m->compact)
        right = b->r.x + zone - 3;
    for (int i = 0; i < nw && i < 2; i++) {
        char t[16];
        snprintf(t, sizeof t, "%d", k->waiting[i]);
        int cw = (int)strlen(t) * adv + 6;
        if (m->compact) {
            if (cx + cw > b->r.x + b->r.w - 8 * adv)
                break;
            b->wait_chip[b->nwait] = (SDL_Rect){ cx, b->r.y + 3, cw, sl };
            cx += cw + 2;
        } else {
            if (right - cw < b->r.x + zone / 2)
                break;
            right -= cw;
            b->wait_chip[b->nwait] = (SDL_Rect){ right, b->r.y + 2, cw, sl };
            right -= 2;
        }
        b->wait_tid[b->nwait++] = k->waiting[i];
    }
    if (b->nwait < nw && !b->wait_more[0] && nw)
        snprintf(b->wait_more, sizeof b->wait_more, "+%d", k->nwaiting - b->nwait);
    if (m->compact && b->wait_more[0])
        cx += (int)strlen(b->wait_more) * adv + 3;
    /* Its text: the fd, the type when not TCP, ss's state, the address. */
    char v[4][NET_TEXT], fd[16], ty[16] = "", also[24] = "";
    if (b->fd >= 0)
        snprintf(fd, sizeof fd, "%d", b->fd);
    else
        snprintf(fd, sizeof fd, "-");
    if (k->type != SOCKT_TCP)
        snprintf(ty, sizeof ty, "%s ", net_type_name(k->type));
    if (k->nholders > 1)
        snprintf(also, sizeof also, " +%d pid%s", k->nholders - 1, k->nholders > 2 ? "s" : "");
    const char *addr = *k->local ? short_addr(k->local) : "";
    snprintf(v[0], NET_TEXT, "fd %s %s%s %.30s%s%s", fd, ty, net_state_name(k->state), addr, also,
             k->nonblocking ? " nb" : "");
    snprintf(v[1], NET_TEXT, "fd %s %s%s %.30s", fd, ty, net_state_name(k->state), addr);
    snprintf(v[2], NET_TEXT, "%s %s%s", fd, ty, net_state_name(k->state));
    snprintf(v[3], NET_TEXT, "%s %s", fd, net_state_name(k->state));
    if (b->fd < 0 && !k->listener_id) {
        /* Closed by every process, still in the kernel (FIN-WAIT-2,
         * TIME-WAIT): its state says it, under "no process (closed)". */
        snprintf(v[0], NET_TEXT, "%s%s %.30s", ty, net_state_name(k->state), addr);
        snprintf(v[1], NET_TEXT, "%s%s", ty, net_state_name(k->state));
        snprintf(v[2], NET_TEXT, "%s", net_state_name(k->state));
        snprintf(v[3], NET_TEXT, "%s", net_state_name(k->state));
    }
    if (b->fd < 0 && k->listener_id && !k->nholders) {
        /* In the backlog: connected, waiting for accept to give it an fd. */
        snprintf(v[0], NET_TEXT, "queued (no fd yet) %s", net_state_name(k->state));
        snprintf(v[1], NET_TEXT, "queued %s", net_state_name(k->state));
        snprintf(v[2], NET_TEXT, "queued");
        snprintf(v[3], NET_TEXT, "q");
    }
    for (int i = 0; i < 4; i++) {      /* no trailing space (no address) */
        size_t len = strlen(v[i]);
        while (len && v[i][len - 1] == ' ')
            v[i][--len] = '\0';
    }
    if (b->fd < 0 && k->listener_id && !k->nholders)
        level = 0;                     /* its own words, as long as fit */
    const char *var[] = { v[0], v[1], v[2], v[3] };
    int used = fit_from(b->text, sizeof b->text, right - (b->r.x + 4) - adv / 2, adv, level, 4,
                        var);
    /* Row 2 (or the right half): the backlog, or the buffers. */
    int y2 = b->r.y + sl + 4, h2 = b->r.h - sl - 7, x = b->r.x + 4, w = b->r.w - 8;
    if (m->compact) {
        y2 = b->r.y + 3;
        h2 = b->r.h - 6;
        x = cx + 2;
        w = b->r.x + b->r.w - 4 - x;
    }
    b->snd = b->rcv = b->backlog_bar = (SDL_Rect){ 0, 0, 0, 0 };
    b->ncells = 0;
    if (k->state == SOCKS_LISTEN) {
        char t0[32], t1[32];
        snprintf(t0, sizeof t0, "backlog %d/%d", k->backlog, k->backlog_max);
        snprintf(t1, sizeof t1, "%d/%d", k->backlog, k->backlog_max);
        const char *tv[] = { t0, t1 };
        fit_text(b->backlog_text, sizeof b->backlog_text, w / 2, adv, 2, tv);
        /* Linux queues up to listen(n) + 1 connections (ss shows n as
         * Send-Q): a place each; full when the next SYN is dropped. */
        int places = k->backlog_max + 1;
        b->backlog_full = k->backlog > k->backlog_max;
        int tw = (int)strlen(b->backlog_text) * adv + adv;
        int room = w - tw;
        b->backlog_x = x + w - tw + adv;
        b->backlog_y = y2 + (h2 - sl) / 2;
        b->cells_used = k->backlog;
        int cell = room / places;
        if (places <= NET_MAX_CELLS && cell >= 5) {
            cell = cell > 2 * adv ? 2 * adv : cell;
            /* The queue of connections waiting for accept: the oldest
             * (the next accept's) at the right, by the text. */
            b->ncells = places;
            for (int c = 0; c < b->ncells; c++)
                b->cell[c] = (SDL_Rect){ x + room - (c + 1) * cell, y2, cell - 2, h2 };
        } else if (room > 10) {
            b->backlog_bar = (SDL_Rect){ x, y2 + h2 / 4, room - adv / 2, h2 / 2 + 1 };
            int64_t f = (int64_t)k->backlog * b->backlog_bar.w / places;
            b->backlog_fill = (int)(f > b->backlog_bar.w ? b->backlog_bar.w : f);
            if (k->backlog > 0 && b->backlog_fill < 2)
                b->backlog_fill = 2;
        }
        return used;
    }
    int tw = (w - 4) / 2;
    SDL_Rect near = { left ? x + w - tw : x, y2, tw, h2 }, far = { left ? x : x + w - tw, y2, tw, h2 };
    b->snd = near;                     /* the send buffer on the network's side */
    b->rcv = far;
    int64_t sf = k->snd_cap > 0 ? k->snd_bytes * tw / k->snd_cap : 0;
    int64_t rf = k->rcv_cap > 0 ? k->rcv_bytes * tw / k->rcv_cap : 0;
    b->snd_fill = (int)clampi((int)(sf > tw ? tw : sf), k->snd_bytes > 0 ? 2 : 0, tw);
    b->rcv_fill = (int)clampi((int)(rf > tw ? tw : rf), k->rcv_bytes > 0 ? 2 : 0, tw);
    b->snd_full = k->snd_cap > 0 && k->snd_bytes >= k->snd_cap;
    b->rcv_full = k->rcv_cap > 0 && k->rcv_bytes >= k->rcv_cap;
    tube_text("snd", k->snd_bytes, 0, tw, adv, b->snd_text, sizeof b->snd_text);
    tube_text("rcv", k->rcv_bytes, k->rcv_sends, tw, adv, b->rcv_text, sizeof b->rcv_text);
    return used;
}

static SDL_Point ep_port(const struct net_geom *g, int ep)
{
    if (ep >= 0)
        return g->boxes[ep].port;
    return g->groups[-ep - 1].more_port;
}

static bool ep_left(const struct net_geom *g, int ep)
{
    if (ep >= 0)
        return g->groups[g->boxes[ep].group].left;
    return g->groups[-ep - 1].left;
}

/* The path between two ports: straight across the strip, or, for two on
 * the same side, out into the strip and back (lane k apart from others). */
static void route(const struct net_geom *g, int a, int b, int lane, struct path *p)
{
    SDL_Point pa = ep_port(g, a), pb = ep_port(g, b);
    bool la = ep_left(g, a), lb = ep_left(g, b);
    if (la != lb) {
        p->n = 2;
        p->p[0] = pa;
        p->p[1] = pb;
        return;
    }
    int step = g->strip.w / 8 > 3 ? g->strip.w / 8 : 3;
    int x = la ? g->strip.x + step * (1 + lane % 4) : g->strip.x + g->strip.w - step * (1 + lane % 4);
    p->n = 4;
    p->p[0] = pa;
    p->p[1] = (SDL_Point){ x, pa.y };
    p->p[2] = (SDL_Point){ x, pb.y };
    p->p[3] = pb;
}

/* A socket's endpoint on screen: its box, its group's more row, or none. */
static int endpoint(const struct work *w, const struct net_geom *g, int sock)
{
    if (sock < 0)
        return NONE_EP;
    if (w->shown[sock] >= 0)
        return w->shown[sock];
    int gi = w->owner[sock];
    if (gi >= 0 && w->g[gi].out >= 0 && g->groups[w->g[gi].out].more.w)
        return -(w->g[gi].out + 1);
    return NONE_EP;
}

static void mux_row(const struct snapshot *s, const struct metrics *m, struct net_mux *x,
                    int x0, int y, int w)
{
    const struct snap_mux *mx = &s->muxes[x->mux];
    int sl = m->sl, adv = m->adv;
    x->r = (SDL_Rect){ x0, y, w, m->mux_h - 3 };
    /* The third row: what the call cost (select and poll scan every fd
     * watched; epoll_wait only the ready ones), or since when it waits. */
    char c0[64], c1[64], c2[32];
    if (mx->waiting) {
        snprintf(c0, sizeof c0, "waits since tick %lld", (long long)mx->called);
        snprintf(c1, sizeof c1, "since %lld", (long long)mx->called);
        snprintf(c2, sizeof c2, "waits");
    } else if (mx->cost > 0) {
        snprintf(c0, sizeof c0, "cost %lld tick%s of CPU", (long long)mx->cost,
                 mx->cost == 1 ? "" : "s");
        snprintf(c1, sizeof c1, "cost %lld tick%s", (long long)mx->cost, mx->cost == 1 ? "" : "s");
        snprintf(c2, sizeof c2, "cost %lld", (long long)mx->cost);
    } else {
        snprintf(c0, sizeof c0, "at tick %lld", (long long)mx->called);
        snprintf(c1, sizeof c1, "tick %lld", (long long)mx->called);
        snprintf(c2, sizeof c2, "%lld", (long long)mx->called);
    }
    const char *cv[] = { c0, c1, c2 };
    fit_text(x->cost_text, sizeof x->cost_text, w - 6, m->adv, 3, cv);
    x->cost_y = y + 2 * m->sl + 1;
    static const char *const kinds[] = { "select", "poll", "epoll_wait" };
    const char *kind = kinds[mx->kind <= MUXK_EPOLL ? mx->kind : 0];
    char who[16] = "", v[4][NET_TEXT];   /* longest first; the cost has a row */
    if (mx->tid != mx->pid)
        snprintf(who, sizeof who, " t%d", mx->tid);
    const char *brief = mx->kind == MUXK_EPOLL ? "epoll" : kind;
    if (mx->waiting) {
        snprintf(v[0], NET_TEXT, "%s%s waits: %d watched", kind, who, mx->nwatched);
        snprintf(v[1], NET_TEXT, "%s%s waits: %d fds", kind, who, mx->nwatched);
        snprintf(v[2], NET_TEXT, "%s waits %d", kind, mx->nwatched);
        snprintf(v[3], NET_TEXT, "%s waits %d", brief, mx->nwatched);
    } else {
        int nr = mx->nready < 0 ? 0 : mx->nready;
        snprintf(v[0], NET_TEXT, "%s%s: %d watched, %d ready", kind, who, mx->nwatched, nr);
        snprintf(v[1], NET_TEXT, "%s%s: %d ready of %d", kind, who, nr, mx->nwatched);
        snprintf(v[2], NET_TEXT, "%s %d/%d", kind, nr, mx->nwatched);
        snprintf(v[3], NET_TEXT, "%s %d/%d", brief, nr, mx->nwatched);
    }
    if (mx->kind == MUXK_EPOLL && mx->epfd >= 0) {
        /* An epoll instance: its interest list (registered once), and
         * what its ready list gave back. */
        if (mx->waiting)
            snprintf(v[0], NET_TEXT, "epoll_wait%s on fd %d waits: %d registered", who, mx->epfd,
                     mx->nwatched);
        else
            snprintf(v[0], NET_TEXT, "epoll_wait%s on fd %d: %d registered, %d ready", who,
                     mx->epfd, mx->nwatched, mx->nready < 0 ? 0 : mx->nready);
    }
    const char *var[] = { v[0], v[1], v[2], v[3], brief };
    fit_text(x->text, sizeof x->text, w - 6, adv, 5, var);
    /* The fds: those that came back ready first (highlighted), then the
     * others watched. */
    int cy = y + sl + 1, cx = x0 + 4, right = x0 + w - 4;
    x->nchips = 0;
    x->more_text[0] = '\0';
    x->more = (SDL_Rect){ 0, 0, 0, 0 };
    int nr = mx->waiting || mx->nready < 0 ? 0 : mx->nready;
    int lr = nr < SNAP_MAX_MUX_FDS ? nr : SNAP_MAX_MUX_FDS;
    int lw = mx->nwatched < SNAP_MAX_MUX_FDS ? mx->nwatched : SNAP_MAX_MUX_FDS;
    int order[2 * SNAP_MAX_MUX_FDS], ready[2 * SNAP_MAX_MUX_FDS], no = 0;
    for (int i = 0; i < lr; i++)
        order[no] = mx->ready[i], ready[no++] = 1;
    for (int i = 0; i < lw; i++) {
        bool dup = false;
        for (int j = 0; j < lr; j++)
            dup |= mx->ready[j] == mx->watched[i];
        if (!dup)
            order[no] = mx->watched[i], ready[no++] = 0;
    }
    int total = mx->nwatched > no ? mx->nwatched : no;
    for (int i = 0; i < no && x->nchips < NET_MAX_CHIPS; i++) {
        char t[16], more[16];
        snprintf(t, sizeof t, "%d", order[i]);
        int cw = (int)strlen(t) * adv + 6;
        int rest = total - i - 1;
        snprintf(more, sizeof more, "+%d", rest);
        int need = cw + (rest ? (int)strlen(more) * adv + 6 : 0);
        if (cx + need > right)
            break;
        x->chip[x->nchips] = (SDL_Rect){ cx, cy, cw, sl };
        x->chip_fd[x->nchips] = order[i];
        x->chip_ready[x->nchips++] = ready[i];
        cx += cw + 2;
    }
    if (total > x->nchips) {
        snprintf(x->more_text, sizeof x->more_text, "+%d", total - x->nchips);
        x->more = (SDL_Rect){ cx, cy, (int)strlen(x->more_text) * adv + 6, sl };
    }
}

static void count_states(const struct snapshot *s, int *listen, int *estab, int *other,
                         int *conns)
{
    *listen = *estab = *other = *conns = 0;
    for (int i = 0; i < s->nsocks; i++) {
        const struct snap_sock *k = &s->socks[i];
        if (k->state == SOCKS_LISTEN)
            (*listen)++;
        else if (k->state == SOCKS_ESTAB)
            (*estab)++;
        else
            (*other)++;
        if (k->peer_id) {
            const struct snap_sock *p = net_sock(s, k->peer_id);
            if (k->id < k->peer_id || !p || p->peer_id != k->id)
                (*conns)++;
        }
    }
}

/* "997 ESTAB, 2 CLOSE-WAIT": the states of the sockets a more row stands for. */
static void hidden_states(const struct snapshot *s, const struct work *w, const struct wgroup *g,
                          char *out, size_t n)
{
    int count[SOCKS_CLOSED + 1] = { 0 };
    for (int i = 0; i < g->n; i++)
        if (w->shown[g->socks[i]] < 0)
            count[s->socks[g->socks[i]].state <= SOCKS_CLOSED ? s->socks[g->socks[i]].state : 0]++;
    out[0] = '\0';
    for (int st = 0; st <= SOCKS_CLOSED; st++)
        if (count[st])
            snprintf(out + strlen(out), n - strlen(out), "%s%d %s", *out ? ", " : "", count[st],
                     net_state_name(st));
}

int net_layout(const struct snapshot *s, const struct snapshot *wire, const struct config *cfg,
               SDL_Rect area, int sl, int adv, struct net_geom *out)
{
    const struct snapshot *ws = wire ? wire : s;
    memset(out, 0, sizeof *out);
    if (!net_any(s) || area.h < 3 * sl)
        return area.y;
    int ns = s->nsocks;
    struct work w = { .s = s, .ws = ws };
    w.owner = calloc((size_t)ns + 1, sizeof *w.owner);
    w.score = calloc((size_t)ns + 1, sizeof *w.score);
    w.shown = malloc(((size_t)ns + 1) * sizeof *w.shown);
    w.flight = calloc((size_t)ns + 1, sizeof *w.flight);
    int y = area.y;
    if (!w.owner || !w.score || !w.shown || !w.flight || !build_groups(&w))
        goto done;
    for (int i = 0; i < ns; i++)
        w.shown[i] = -1;
    struct metrics m = { .sl = sl, .adv = adv, .head_h = sl + 3, .box_h = 2 * sl + 7, .gap = 3,
                         .mux_h = 3 * sl + 5, .more_h = sl + 4, .group_gap = sl / 3 };
    /* The title and the summary. Without sockets (select on pipes) the
     * block is only the calls: one column, no network. */
    bool sockets = ns || ws->npackets;
    int latency = cfg && cfg->net_latency > 0 ? cfg->net_latency : 1;
    char v[3][NET_TEXT];
    snprintf(v[0], NET_TEXT, "network: loopback, %d tick%s a packet", latency,
             latency == 1 ? "" : "s");
    snprintf(v[1], NET_TEXT, "network, %d tick%s", latency, latency == 1 ? "" : "s");
    snprintf(v[2], NET_TEXT, "network");
    if (!sockets) {
        snprintf(v[0], NET_TEXT, "select, poll, epoll: the last call of each task");
        snprintf(v[1], NET_TEXT, "select, poll, epoll");
        snprintf(v[2], NET_TEXT, "multiplexing");
    }
    const char *tv[] = { v[0], v[1], v[2] };
    fit_text(out->title, sizeof out->title, area.w - 8, adv, 3, tv);
    y += sl;
    if (sockets) {
        int nl, ne, no, nc;
        count_states(s, &nl, &ne, &no, &nc);
        snprintf(v[0], NET_TEXT, "%d socket%s (%d listening, %d established), %d connection%s, "
                 "%d in flight", ns, ns == 1 ? "" : "s", nl, ne, nc, nc == 1 ? "" : "s",
                 ws->npackets);
        snprintf(v[1], NET_TEXT, "%d socket%s, %d conn%s, %d in flight", ns, ns == 1 ? "" : "s",
                 nc, nc == 1 ? "" : "s", ws->npackets);
        snprintf(v[2], NET_TEXT, "%d sock %d conn %d pkt", ns, nc, ws->npackets);
        const char *sv[] = { v[0], v[1], v[2] };
        fit_text(out->summary, sizeof out->summary, area.w - 8, adv, 3, sv);
        out->summary_y = y;
        y += sl;
    }
    y += 4;
    int top = y, bottom = area.y + area.h - sl;        /* a row for the note */
    /* Two columns of boxes and, between them, room for a packet's chip
     * ("1000 B ->", about ten characters). */
    int cw = clampi((area.w - 8) * 40 / 100, 8 * adv, (area.w - 8 - 10 * adv) / 2);
    if (!sockets)
        cw = area.w - 8;
    int lx = area.x + 4, rx = area.x + area.w - 4 - cw;
    out->strip = (SDL_Rect){ lx + cw, top, sockets ? rx - (lx + cw) : 0, bottom - top };
    /* The fewest hidden, side by side: the largest quota of sockets per
     * process with which every process of the side fits; failing that,
     * each process its best socket, and the processes that matter most
     * (the others counted at the foot). */
    int q[2] = { 0, 0 };
    bool keep_all[2] = { false, false };
    plan(&w, &m, bottom - top, q, keep_all);
    if (!complete(&w, q, keep_all) && compact_fits(&w, cw, adv)) {
        /* Boxes of two rows hide some sockets: one row a box, when then
         * more are shown and each box's words still fit in its half. */
        struct metrics c = m;
        c.compact = true;
        c.box_h = sl + 6;
        c.gap = 2;
        int cq[2];
        bool ck[2];
        plan(&w, &c, bottom - top, cq, ck);
        if (complete(&w, cq, ck) || shown(&w, cq, ck) > shown(&w, q, keep_all)) {
            m = c;
            memcpy(q, cq, sizeof q);
            memcpy(keep_all, ck, sizeof keep_all);
        }
    }
    for (int i = 0; i < w.ng; i++)
        w.g[i].out = -1;
    /* Which processes: all, or the best that fit in score order. */
    struct rank *byscore = malloc((size_t)(w.ng + 1) * sizeof *byscore);
    if (!byscore)
        goto done;
    for (int i = 0; i < w.ng; i++)
        byscore[i] = (struct rank){ w.g[i].score, i };
    qsort(byscore, (size_t)w.ng, sizeof *byscore, rank_cmp);
    int used[2] = { 0, 0 }, kept[2] = { 0, 0 }, boxes[2] = { 0, 0 };
    bool *keep = calloc((size_t)w.ng + 1, sizeof *keep);
    if (!keep) {
        free(byscore);
        goto done;
    }
    for (int k = 0; k < w.ng; k++) {
        int gi = byscore[k].index;
        struct wgroup *g = &w.g[gi];
        int side = !g->left, h = group_h(&m, g, q[side]);
        int reserve = keep_all[side] ? 0 : m.more_h;   /* the hidden processes' row */
        int nb = g->n < q[side] ? g->n : q[side];
        if (kept[side] < NET_MAX_GROUPS / 2 && boxes[side] + nb <= NET_MAX_BOXES / 2 &&
            used[side] + h + reserve <= bottom - top) {
            keep[gi] = true;
            used[side] += h;
            kept[side]++;
            boxes[side] += nb;
        } else {
            out->hidden_groups[side]++;
        }
    }
    free(byscore);
    /* Place them, in pid order, each side from the top. */
    int sy[2] = { top, top };
    int picks[NET_MAX_BOXES];
    for (int i = 0; i < w.ng; i++) {
        if (!keep[i])
            continue;
        struct wgroup *wg = &w.g[i];
        int side = !wg->left, x = side ? rx : lx;
        struct net_group *g = &out->groups[out->ngroups];
        wg->out = out->ngroups++;
        g->pid = wg->pid;
        g->left = wg->left;
        g->score = wg->score;
        g->head = (SDL_Rect){ x, sy[side], cw, sl + 2 };
        const struct snap_task *t = wg->pid ? snapshot_find(s, wg->pid) : NULL;
        char hv[3][48];
        if (wg->pid) {
            snprintf(hv[0], 48, "pid %d%s%.30s", wg->pid, t ? " " : "", t ? t->comm : "");
            snprintf(hv[1], 48, "%d%s%.30s", wg->pid, t ? " " : "", t ? t->comm : "");
            snprintf(hv[2], 48, "%d", wg->pid);
        } else {
            snprintf(hv[0], 48, "no process (closed)");
            snprintf(hv[1], 48, "closed");
            snprintf(hv[2], 48, "-");
        }
        const char *hvp[] = { hv[0], hv[1], hv[2] };
        fit_text(g->title, sizeof g->title, cw - 8, adv, 3, hvp);
        sy[side] += m.head_h;
        int np = best_of(&w, wg, q[side], picks);
        /* Shown in fd order, as the process knows them; a connection
         * still in a backlog right under its listener. */
        for (int a = 1; a < np; a++) {
            int p = picks[a], b = a;
            int fp = box_order(s, &s->socks[p], wg->pid);
            while (b > 0 && box_order(s, &s->socks[picks[b - 1]], wg->pid) > fp) {
                picks[b] = picks[b - 1];
                b--;
            }
            picks[b] = p;
        }
        g->first_box = out->nboxes;
        for (int a = 0; a < np && out->nboxes < NET_MAX_BOXES; a++) {
            struct net_box *b = &out->boxes[out->nboxes];
            b->sock = picks[a];
            b->group = wg->out;
            b->r = (SDL_Rect){ x, sy[side], cw, m.box_h };
            w.shown[picks[a]] = out->nboxes++;
            g->nboxes++;
            sy[side] += m.box_h + m.gap;
        }
        g->hidden = wg->n - g->nboxes;
        if (g->hidden > 0 && !g->nboxes) {
            /* No box at all: the title row counts the sockets and stands
             * for them (their connections end there). */
            char hv2[3][NET_TEXT];
            snprintf(hv2[0], NET_TEXT, "%s: %d socket%s", hv[0], g->hidden,
                     g->hidden == 1 ? "" : "s");
            snprintf(hv2[1], NET_TEXT, "%s, %d sockets", hv[1], g->hidden);
            snprintf(hv2[2], NET_TEXT, "%s +%d", hv[1], g->hidden);
            const char *hvp2[] = { hv2[0], hv2[1], hv2[2], hv[1], hv[2] };
            fit_text(g->title, sizeof g->title, cw - 8, adv, 5, hvp2);
            g->more = g->head;
            g->more_in_head = true;
            g->more_port = (SDL_Point){ g->left ? x + cw : x, g->head.y + g->head.h / 2 };
        } else if (g->hidden > 0) {
            char st[NET_TEXT], mv[3][NET_TEXT];
            hidden_states(s, &w, wg, st, sizeof st);
            snprintf(mv[0], NET_TEXT, "+%d more: %s", g->hidden, st);
            snprintf(mv[1], NET_TEXT, "+%d more sockets", g->hidden);
            snprintf(mv[2], NET_TEXT, "+%d", g->hidden);
            const char *mvp[] = { mv[0], mv[1], mv[2] };
            fit_text(g->more_text, sizeof g->more_text, cw - 8, adv, 3, mvp);
            g->more = (SDL_Rect){ x, sy[side], cw, sl + 2 };
            g->more_port = (SDL_Point){ g->left ? x + cw : x, sy[side] + (sl + 2) / 2 };
            sy[side] += m.more_h;
        }
        for (int k = 0; k < s->nmuxes && out->nmuxes < NET_MAX_MUX; k++) {
            if (s->muxes[k].pid != wg->pid)
                continue;
            struct net_mux *mx = &out->muxes[out->nmuxes++];
            mx->mux = k;
            mx->group = wg->out;
            mux_row(s, &m, mx, x, sy[side], cw);
            sy[side] += m.mux_h;
        }
        sy[side] += m.group_gap;
    }
    free(keep);
    for (int side = 0; side < 2; side++) {
        if (!out->hidden_groups[side])
            continue;
        int hidden_socks = 0;
        for (int i = 0; i < w.ng; i++)
            if (w.g[i].out < 0 && !w.g[i].left == side)
                hidden_socks += w.g[i].n;
        char hv[2][NET_TEXT];
        snprintf(hv[0], NET_TEXT, "+%d process%s, %d socket%s", out->hidden_groups[side],
                 out->hidden_groups[side] == 1 ? "" : "es", hidden_socks,
                 hidden_socks == 1 ? "" : "s");
        snprintf(hv[1], NET_TEXT, "+%d process%s", out->hidden_groups[side],
                 out->hidden_groups[side] == 1 ? "" : "es");
        const char *hvp[] = { hv[0], hv[1] };
        fit_text(out->hidden_text[side], sizeof out->hidden_text[side], cw - 8, adv, 2, hvp);
        out->hidden_row[side] = (SDL_Rect){ side ? rx : lx, sy[side], cw, sl + 2 };
        sy[side] += m.more_h;
    }
    /* Every box's text at the same length: the shortest any needs. */
    int level = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int b = 0; b < out->nboxes; b++) {
            struct net_box *bx = &out->boxes[b];
            int u = place_box(s, &m, bx, out->groups[bx->group].pid, out->groups[bx->group].left,
                              level);
            const struct snap_sock *k = &s->socks[bx->sock];
            bool queued = !k->nholders && k->listener_id;    /* says it its own way */
            if (!pass && !queued && u > level && u < 3)
                level = u;
        }
    /* Connections: one line per pair of endpoints, counting those it
     * stands for. */
    for (int i = 0; i < ns; i++) {
        const struct snap_sock *k = &s->socks[i];
        int j = sock_index(s, k->peer_id);
        if (j < 0 || (j < i && s->socks[j].peer_id == k->id))
            continue;
        int a = endpoint(&w, out, i), b = endpoint(&w, out, j);
        if (a == NONE_EP || b == NONE_EP)
            continue;
        int l = 0;
        while (l < out->nlinks && !((out->links[l].a == a && out->links[l].b == b) ||
                                    (out->links[l].a == b && out->links[l].b == a)))
            l++;
        if (l == out->nlinks) {
            if (out->nlinks == NET_MAX_LINKS)
                continue;
            out->nlinks++;
            out->links[l] = (struct net_link){ .a = a, .b = b };
            route(out, a, b, l, &out->links[l].path);
        }
        out->links[l].count++;
    }
    for (int l = 0; l < out->nlinks; l++) {
        struct net_link *ln = &out->links[l];
        if (ln->count < 2)
            continue;
        snprintf(ln->label, sizeof ln->label, "%d", ln->count);
        SDL_Point c = path_along(&ln->path, 0.5f);
        int lw = (int)strlen(ln->label) * adv + 6;
        ln->label_r = (SDL_Rect){ c.x - lw / 2, c.y - sl / 2 - 1, lw, sl + 2 };
    }
    /* Packets: on the path between their sockets' endpoints. */
    for (int i = 0; i < ws->npackets; i++) {
        const struct snap_packet *p = &ws->packets[i];
        int a = endpoint(&w, out, sock_index(s, p->from));
        int b = p->to ? endpoint(&w, out, sock_index(s, p->to)) : NONE_EP;
        if (a == NONE_EP || (p->to && b == NONE_EP) || out->npkts == NET_MAX_PKTS) {
            out->hidden_pkts++;
            continue;
        }
        struct net_pkt *k = &out->pkts[out->npkts++];
        k->packet = i;
        if (b == NONE_EP) {            /* to nobody: into the strip, where it is lost */
            SDL_Point pa = ep_port(out, a);
            k->path.n = 2;
            k->path.p[0] = pa;
            k->path.p[1] = (SDL_Point){ out->strip.x + out->strip.w / 2, pa.y };
        } else {
            route(out, a, b, i, &k->path);
        }
        static const char *const names[] = { "SYN", "SYN-ACK", "ACK", "DATA", "FIN", "RST",
                                             "DGRAM" };
        const char *nm = p->kind <= PKT_DGRAM ? names[p->kind] : "?";
        char b1[32];
        short_bytes(p->bytes, b1, sizeof b1);
        if (p->kind == PKT_DATA)
            snprintf(k->text, sizeof k->text, "%s", b1);
        else if (p->kind == PKT_DGRAM)
            snprintf(k->text, sizeof k->text, "dgram %s", b1);
        else
            snprintf(k->text, sizeof k->text, "%s", nm);
        if ((int)strlen(k->text) * adv + 8 > out->strip.w && p->kind == PKT_DGRAM)
            snprintf(k->text, sizeof k->text, "%s", b1);
        k->alarm = p->kind == PKT_RST;
        k->lost = p->lost;
        k->w = (int)strlen(k->text) * adv + 8;
        k->h = sl + 2;
    }
    if (out->hidden_pkts)
        snprintf(out->note, sizeof out->note, "+%d packet%s in flight between sockets not drawn",
                 out->hidden_pkts, out->hidden_pkts == 1 ? "" : "s");
    y = sy[0] > sy[1] ? sy[0] : sy[1];
    if (out->note[0]) {
        char nv[NET_TEXT];
        snprintf(nv, sizeof nv, "+%d packet%s", out->hidden_pkts, out->hidden_pkts == 1 ? "" : "s");
        if ((int)strlen(out->note) * adv > area.w - 8)
            snprintf(out->note, sizeof out->note, "%s", nv);
        y += sl;
    }
    out->strip.h = y - top;
    out->box = (SDL_Rect){ area.x, area.y, area.w, y - area.y };
done:
    for (int i = 0; i < w.ng && w.g; i++)
        free(w.g[i].socks);
    free(w.g);
    free(w.owner);
    free(w.score);
    free(w.shown);
    free(w.flight);
    return y;
}
