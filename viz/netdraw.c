/*
 * netdraw.c - paints the sockets block that net.c placed: the processes'
 * title rows (in their pale process colour, as on the CPU lanes), the
 * socket boxes with their buffers as tubes, a listener's backlog cells,
 * the connection lines across the network strip, the select/poll/epoll
 * rows with the fds that came back ready highlighted; and, every frame
 * (over the layer, so they move while cards glide), the packets riding
 * the lines.
 *
 * Colours are the window's: a tube's bytes are tinted with the colour of
 * the process that wrote them (the send buffer its own, the receive buffer
 * its peer's), as a pipe's messages are; full is red; ready is the
 * highlight yellow; a waiting task is a chip in its state's colour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz.h"

static void ink(SDL_Renderer *r, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

static void line2(SDL_Renderer *r, SDL_Point a, SDL_Point b, SDL_Color c)
{
    ink(r, c);
    SDL_RenderDrawLine(r, a.x, a.y, b.x, b.y);
    if (a.y == b.y)
        SDL_RenderDrawLine(r, a.x, a.y + 1, b.x, b.y + 1);
    else
        SDL_RenderDrawLine(r, a.x + 1, a.y, b.x + 1, b.y);
}

static void dashed_frame(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
    ink(r, c);
    for (int k = 0; k < rc.w; k += 6) {
        int e = k + 3 < rc.w ? k + 3 : rc.w;
        SDL_RenderDrawLine(r, rc.x + k, rc.y, rc.x + e, rc.y);
        SDL_RenderDrawLine(r, rc.x + k, rc.y + rc.h - 1, rc.x + e, rc.y + rc.h - 1);
    }
    SDL_RenderDrawLine(r, rc.x, rc.y, rc.x, rc.y + rc.h - 1);
    SDL_RenderDrawLine(r, rc.x + rc.w - 1, rc.y, rc.x + rc.w - 1, rc.y + rc.h - 1);
}

/* The pid that wrote the bytes of a buffer: the send buffer's are its own
 * process's, the receive buffer's its peer's. 0 when unknown. */
static int writer_pid(const struct snapshot *s, const struct snap_sock *k, bool rcv)
{
    if (rcv) {
        const struct snap_sock *p = k->peer_id ? net_sock(s, k->peer_id) : NULL;
        k = p;
    }
    return k && k->nholders ? k->holder_pid[0] : 0;
}

static void tube(struct viz *v, SDL_Renderer *r, SDL_Rect t, int fill, bool full, int pid,
                 const char *text)
{
    if (!t.w)
        return;
    viz_fill(r, t, VIZ_PANEL);
    if (fill > 0) {
        /* A gauge: filled from the left, bytes against the capacity. */
        SDL_Rect f = { t.x, t.y, fill, t.h };
        viz_fill(r, f, pid ? pid_colour(pid) : VIZ_HILITE);
    }
    viz_frame(r, t, full ? VIZ_ACCENT : VIZ_INK);
    if (full)
        viz_frame(r, (SDL_Rect){ t.x + 1, t.y + 1, t.w - 2, t.h - 2 }, VIZ_ACCENT);
    if (*text) {
        int tw = font_width(&v->font, FONT_SMALL, text);
        int ty = t.y + (t.h - v->font.small_line) / 2;
        if (tw + 4 <= t.w)
            font_draw(&v->font, r, FONT_SMALL, text, full ? VIZ_ACCENT : VIZ_INK,
                      t.x + (t.w - tw) / 2, ty, 0);
    }
}

static void draw_box(struct viz *v, SDL_Renderer *r, const struct net_geom *g,
                     const struct net_box *b)
{
    const struct snap_sock *k = &v->snap.socks[b->sock];
    (void)g;
    int sl = v->font.small_line;
    viz_fill(r, b->r, VIZ_PANEL);
    if (b->ready)              /* came back ready from its process's select */
        viz_fill(r, (SDL_Rect){ b->r.x + 1, b->r.y + 1, b->r.w - 2, sl + 2 }, VIZ_HILITE);
    bool closed = k->state == SOCKS_CLOSED || k->state == SOCKS_TIME_WAIT;
    if (closed)
        dashed_frame(r, b->r, VIZ_CARD_EDGE);
    else
        viz_frame(r, b->r, b->ready ? VIZ_INK : VIZ_CARD_EDGE);
    font_draw(&v->font, r, FONT_SMALL, b->text, closed ? VIZ_MUTED : VIZ_INK, b->r.x + 4,
              b->r.y + 2, 0);
    for (int i = 0; i < b->nwait; i++) {
        const struct snap_task *t = viz_task(v, b->wait_tid[i]);
        SDL_Color bg = t ? state_colour(t->state, t->cpu >= 0) : state_colour('S', false);
        viz_fill(r, b->wait_chip[i], bg);
        char lab[16];
        snprintf(lab, sizeof lab, "%d", b->wait_tid[i]);
        font_draw(&v->font, r, FONT_SMALL, lab, text_on(bg), b->wait_chip[i].x + 3,
                  b->wait_chip[i].y, 0);
    }
    if (b->wait_more[0]) {
        int x = b->nwait ? b->wait_chip[b->nwait - 1].x + b->wait_chip[b->nwait - 1].w + 3
                         : b->r.x + b->r.w - 3 - font_width(&v->font, FONT_SMALL, b->wait_more);
        font_draw(&v->font, r, FONT_SMALL, b->wait_more, VIZ_MUTED, x,
                  b->nwait ? b->wait_chip[0].y : b->r.y + 2, 0);
    }
    tube(v, r, b->snd, b->snd_fill, b->snd_full, writer_pid(&v->snap, k, false), b->snd_text);
    tube(v, r, b->rcv, b->rcv_fill, b->rcv_full, writer_pid(&v->snap, k, true), b->rcv_text);
    /* A listener's backlog: connections waiting for accept. */
    for (int c = 0; c < b->ncells; c++) {
        SDL_Rect cell = b->cell[c];
        viz_fill(r, cell, c < b->cells_used ? VIZ_MUTED : VIZ_PANEL);
        viz_frame(r, cell, b->backlog_full ? VIZ_ACCENT : VIZ_INK);
    }
    if (b->backlog_bar.w) {
        viz_fill(r, b->backlog_bar, VIZ_RULE);
        if (b->backlog_fill)
            viz_fill(r, (SDL_Rect){ b->backlog_bar.x, b->backlog_bar.y, b->backlog_fill,
                                    b->backlog_bar.h },
                     b->backlog_full ? VIZ_ACCENT : VIZ_MUTED);
    }
    if (b->backlog_text[0] && k->state == SOCKS_LISTEN) {
        font_draw(&v->font, r, FONT_SMALL, b->backlog_text,
                  b->backlog_full ? VIZ_ACCENT : VIZ_INK, b->backlog_x, b->backlog_y, 0);
    }
}

static void draw_mux(struct viz *v, SDL_Renderer *r, const struct net_mux *x)
{
    const struct snap_mux *m = &v->snap.muxes[x->mux];
    font_draw(&v->font, r, FONT_SMALL, x->text, m->waiting ? VIZ_MUTED : VIZ_INK, x->r.x + 4,
              x->r.y, 0);
    for (int i = 0; i < x->nchips; i++) {
        SDL_Rect c = x->chip[i];
        viz_fill(r, c, x->chip_ready[i] ? VIZ_HILITE : VIZ_PANEL);
        viz_frame(r, c, x->chip_ready[i] ? VIZ_INK : VIZ_CARD_EDGE);
        if (x->chip_ready[i])
            viz_frame(r, (SDL_Rect){ c.x + 1, c.y + 1, c.w - 2, c.h - 2 }, VIZ_INK);
        char lab[16];
        snprintf(lab, sizeof lab, "%d", x->chip_fd[i]);
        font_draw(&v->font, r, FONT_SMALL, lab, x->chip_ready[i] ? VIZ_INK : VIZ_MUTED, c.x + 3,
                  c.y, 0);
    }
    if (x->more.w)
        font_draw(&v->font, r, FONT_SMALL, x->more_text, VIZ_MUTED, x->more.x + 3, x->more.y, 0);
    if (x->cost_text[0])
        font_draw(&v->font, r, FONT_SMALL, x->cost_text, VIZ_MUTED, x->r.x + 4, x->cost_y, 0);
}

int draw_net(struct viz *v, SDL_Renderer *r, SDL_Rect area)
{
    struct net_geom *g = &v->net;
    int y = net_layout(&v->snap, net_wire(v), &v->cfg, area, v->font.small_line,
                       v->font.small_advance, g);
    v->net_drawn = y > area.y;
    if (!v->net_drawn)
        return area.y;
    int sl = v->font.small_line;
    font_draw(&v->font, r, FONT_SMALL, g->title, VIZ_INK, area.x + 4, area.y, 0);
    if (g->summary[0])
        font_draw(&v->font, r, FONT_SMALL, g->summary, VIZ_MUTED, area.x + 4, g->summary_y, 0);
    /* The network between the two sides. */
    if (g->strip.w > 0 && g->strip.h > 0)
        viz_fill(r, g->strip, VIZ_BOARD);
    for (int l = 0; l < g->nlinks; l++) {
        const struct net_link *ln = &g->links[l];
        for (int i = 0; i + 1 < ln->path.n; i++)
            line2(r, ln->path.p[i], ln->path.p[i + 1], ln->count > 1 ? VIZ_INK : VIZ_MUTED);
    }
    for (int i = 0; i < g->ngroups; i++) {
        const struct net_group *gr = &g->groups[i];
        viz_fill(r, gr->head, gr->pid ? pid_colour(gr->pid) : VIZ_BOARD);
        viz_frame(r, gr->head, VIZ_CARD_EDGE);
        font_draw(&v->font, r, FONT_SMALL, gr->title, VIZ_INK, gr->head.x + 4, gr->head.y + 1, 0);
        if (gr->more.w && !gr->more_in_head) {
            dashed_frame(r, gr->more, VIZ_CARD_EDGE);
            font_draw(&v->font, r, FONT_SMALL, gr->more_text, VIZ_MUTED, gr->more.x + 4,
                      gr->more.y + 1, 0);
        }
    }
    for (int b = 0; b < g->nboxes; b++)
        draw_box(v, r, g, &g->boxes[b]);
    for (int i = 0; i < g->nmuxes; i++)
        draw_mux(v, r, &g->muxes[i]);
    for (int side = 0; side < 2; side++)
        if (g->hidden_row[side].w)
            font_draw(&v->font, r, FONT_SMALL, g->hidden_text[side], VIZ_MUTED,
                      g->hidden_row[side].x + 4, g->hidden_row[side].y + 1, 0);
    /* The counts on aggregated lines, over the lines. */
    for (int l = 0; l < g->nlinks; l++) {
        const struct net_link *ln = &g->links[l];
        if (!ln->label[0])
            continue;
        viz_fill(r, ln->label_r, VIZ_PANEL);
        viz_frame(r, ln->label_r, VIZ_INK);
        font_draw(&v->font, r, FONT_SMALL, ln->label, VIZ_INK, ln->label_r.x + 3,
                  ln->label_r.y + 1, 0);
    }
    if (g->note[0])
        font_draw(&v->font, r, FONT_SMALL, g->note, VIZ_MUTED, area.x + 4, y - sl, 0);
    return y;
}

/* The packets, where they have got to: a chip on the connection's line,
 * an arrow on the side it is heading to; a datagram that will be lost
 * fades out and is crossed; an RST is red. */
void draw_net_packets(struct viz *v, SDL_Renderer *r)
{
    if (!v->net_drawn || !v->layout.objects.w)
        return;
    const struct net_geom *g = &v->net;
    /* Playing or stepping, each packet covers this tick's stretch of its
     * way; a screenshot shows it half way along that stretch. */
    float phase = v->animate ? flow_progress(v) : 0.5f;
    const struct snapshot *ws = net_wire(v);
    SDL_Rect placed[NET_MAX_PKTS + NET_MAX_LINKS];
    int np = 0;
    for (int l = 0; l < g->nlinks; l++)      /* a line's count stays readable */
        if (g->links[l].label[0])
            placed[np++] = g->links[l].label_r;
    int sl = v->font.small_line;
    /* Their way, dotted, under all of them: a SYN travels before there
     * is a connection to draw. */
    for (int i = 0; i < g->npkts; i++) {
        const struct path *pa = &g->pkts[i].path;
        ink(r, VIZ_CARD_EDGE);
        for (int s = 0; s + 1 < pa->n; s++) {
            SDL_Point a = pa->p[s], b = pa->p[s + 1];
            int dx = b.x - a.x, dy = b.y - a.y;
            int len = abs(dx) > abs(dy) ? abs(dx) : abs(dy);
            for (int d = 0; d <= len; d += 4)
                SDL_RenderDrawPoint(r, a.x + (len ? dx * d / len : 0), a.y + (len ? dy * d / len : 0));
        }
    }
    for (int i = 0; i < g->npkts; i++) {
        const struct net_pkt *k = &g->pkts[i];
        const struct snap_packet *p = &ws->packets[k->packet];
        float f = net_packet_frac(p, v->tick, phase);
        SDL_Point at = path_along(&k->path, f);
        SDL_Point a = k->path.p[0], b = k->path.p[k->path.n - 1];
        const char *arrow = b.x > a.x ? "\xe2\x86\x92" : b.x < a.x ? "\xe2\x86\x90"
                          : b.y > a.y ? "\xe2\x86\x93" : "\xe2\x86\x91";
        /* Its words, shorter when the strip is narrow: "dgram 5 B" to
         * "5 B", the arrow last to go. */
        char text[96], payload[80] = "";
        const char *words = k->text, *bare = strchr(k->text, ' ');
        int w = 0, h = sl + 2;
        if ((p->kind == PKT_DATA || p->kind == PKT_DGRAM) && p->text[0]) {
            /* What it carries, when the network is wide enough to read
             * it and still see it move: 'GET / HTTP/1.0…' 36 B. */
            char cut[48];
            chan_cut(p->text, 14, cut, sizeof cut);
            snprintf(payload, sizeof payload, "%s %s", cut, bare && p->kind == PKT_DGRAM
                                                              ? bare + 1 : k->text);
        }
        for (int pass = payload[0] ? 0 : 1; pass < 4; pass++) {
            if (pass == 0)
                words = payload;
            else
                words = k->text;
            if (pass >= 2 && p->kind == PKT_DGRAM && bare)
                words = bare + 1;
            if (pass == 3)
                snprintf(text, sizeof text, "%s", words);
            else if (b.x < a.x)
                snprintf(text, sizeof text, "%s %s", arrow, words);
            else
                snprintf(text, sizeof text, "%s %s", words, arrow);
            w = font_width(&v->font, FONT_SMALL, text) + 8;
            if (w <= (pass == 0 ? (g->strip.w - 4) * 2 / 3 : g->strip.w - 4))
                break;
        }
        SDL_Rect c = { at.x - w / 2, at.y - h / 2, w, h };
        int lo = g->strip.x + 2, hi = g->strip.x + g->strip.w - 2 - w;
        if (k->path.n == 2 && a.x != b.x && hi > lo) {
            /* Across the network: the chip goes the strip's whole width,
             * from the sender's side to the receiver's, on the line. */
            c.x = a.x < b.x ? lo + (int)((float)(hi - lo) * f) : hi - (int)((float)(hi - lo) * f);
            float t = (float)(c.x + w / 2 - a.x) / (float)(b.x - a.x);
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            c.y = a.y + (int)((float)(b.y - a.y) * t) - h / 2;
        }
        /* On the network, never over a socket's box. */
        if (c.x > hi)
            c.x = hi;
        if (c.x < lo)
            c.x = lo;
        /* Two packets at one place: the later one under the first. */
        for (int t = 0; t < 4; t++) {
            bool hit = false;
            for (int j = 0; j < np; j++)
                hit |= SDL_HasIntersection(&c, &placed[j]);
            if (!hit)
                break;
            c.y += h + 1;
        }
        if (np < NET_MAX_PKTS + NET_MAX_LINKS)
            placed[np++] = c;
        Uint8 alpha = 255;
        if (k->lost)
            alpha = (Uint8)(255 * (1.0f - 0.7f * f));
        SDL_Color bg = k->alarm ? VIZ_ALARM : p->kind == PKT_DATA || p->kind == PKT_DGRAM
                                                  ? VIZ_TIP : VIZ_PANEL;
        SDL_Color fr = k->alarm ? VIZ_ACCENT : VIZ_INK, tx = fr;
        bg.a = fr.a = alpha;
        viz_fill(r, c, bg);
        viz_frame(r, c, fr);
        if (!k->lost)
            viz_frame(r, (SDL_Rect){ c.x + 1, c.y + 1, c.w - 2, c.h - 2 }, fr);
        font_draw(&v->font, r, FONT_SMALL, text, k->lost ? VIZ_MUTED : tx, c.x + 4, c.y + 1, 0);
        if (k->lost) {           /* crossed: it will never arrive */
            SDL_Color x = VIZ_ACCENT;
            x.a = alpha;
            ink(r, x);
            SDL_RenderDrawLine(r, c.x, c.y, c.x + c.w - 1, c.y + c.h - 1);
            SDL_RenderDrawLine(r, c.x, c.y + c.h - 1, c.x + c.w - 1, c.y);
        }
    }
}

static bool hit(SDL_Rect r, int x, int y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

int net_task_at(const struct viz *v, int x, int y)
{
    if (!v->net_drawn)
        return 0;
    const struct net_geom *g = &v->net;
    for (int b = 0; b < g->nboxes; b++) {
        const struct net_box *bx = &g->boxes[b];
        for (int i = 0; i < bx->nwait; i++)
            if (hit(bx->wait_chip[i], x, y))
                return bx->wait_tid[i];
        if (hit(bx->r, x, y))
            return g->groups[bx->group].pid;
    }
    for (int i = 0; i < g->nmuxes; i++)
        if (hit(g->muxes[i].r, x, y))
            return v->snap.muxes[g->muxes[i].mux].tid;
    for (int i = 0; i < g->ngroups; i++)
        if (hit(g->groups[i].head, x, y) || (g->groups[i].more.w && hit(g->groups[i].more, x, y)))
            return g->groups[i].pid;
    return 0;
}

int net_box_tip(const struct viz *v, const struct net_box *b, char lines[][FD_LINE], int max)
{
    const struct net_group *g = &v->net.groups[b->group];
    const struct snap_sock *k = &v->snap.socks[b->sock];
    if (max < 1)
        return 0;
    struct snap_fd f = { .pid = g->pid, .fd = b->fd, .kind = SFD_SOCK, .chan = -1,
                         .sock = k->id };
    char fl[2][FD_LINE];
    int n = net_fd_lines(&v->snap, &f, fl, 2), out = 0;
    /* "pid 3 fd 4: socket:[3] tcp ESTAB :8080 <-> :40000", then ss's line. */
    const char *rest = fl[0];
    while (*rest && *rest != ' ')
        rest++;
    while (*rest == ' ')
        rest++;
    if (b->fd >= 0)
        snprintf(lines[out++], FD_LINE, "pid %d fd %d: %.100s", g->pid, b->fd, rest);
    else
        snprintf(lines[out++], FD_LINE, "%s: %.100s", k->listener_id ? "in the backlog" : "no fd",
                 rest);
    if (n > 1 && out < max) {
        const char *ss = fl[1];
        while (*ss == ' ')
            ss++;
        snprintf(lines[out++], FD_LINE, "%s", ss);
    }
    if (k->nwaiting && out < max) {
        snprintf(lines[out], FD_LINE, "waiting:");
        for (int i = 0; i < k->nwaiting && i < SNAP_MAX_WAITERS; i++)
            snprintf(lines[out] + strlen(lines[out]), FD_LINE - strlen(lines[out]), " %d",
                     k->waiting[i]);
        out++;
    }
    return out;
}

void draw_net_hover(struct viz *v, SDL_Renderer *r)
{
    if (!v->net_drawn)
        return;
    const struct net_geom *g = &v->net;
    const struct net_box *b = NULL;
    for (int i = 0; i < g->nboxes && !b; i++)
        if (hit(g->boxes[i].r, v->mouse_x, v->mouse_y))
            b = &g->boxes[i];
    if (!b)
        return;
    char lines[3][FD_LINE];
    int n = net_box_tip(v, b, lines, 3);
    const SDL_Rect *o = &v->layout.objects;
    int sl = v->font.small_line, w = 0;
    for (int i = 0; i < n; i++) {
        int lw = font_width(&v->font, FONT_SMALL, lines[i]);
        w = lw > w ? lw : w;
    }
    w += 12;
    if (w > o->w)
        w = o->w;
    int h = n * sl + 6;
    /* Under the box (above it near the panel's foot), inside the panel. */
    int x = v->mouse_x - w / 2, y = b->r.y + b->r.h + 2;
    if (y + h > o->y + o->h)
        y = b->r.y - h - 2;
    if (x + w > o->x + o->w)
        x = o->x + o->w - w;
    if (x < o->x)
        x = o->x;
    viz_fill(r, (SDL_Rect){ x, y, w, h }, VIZ_TIP);
    viz_frame(r, (SDL_Rect){ x, y, w, h }, VIZ_INK);
    for (int i = 0; i < n; i++)
        font_draw(&v->font, r, FONT_SMALL, lines[i], VIZ_INK, x + 6, y + 3 + i * sl, w - 12);
}
