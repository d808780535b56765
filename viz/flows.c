/*
 * flows.c - what happens to pipes and queues in this tick, drawn over the
 * board every frame: a send or put carries its message from the sender's
 * card into the tail of the tube, a recv or get carries the head's message
 * out to the reader's card; EOF, SIGPIPE, EPIPE, Full, Empty and timeouts
 * are arrows between the tube's end and the task's card, labelled in red.
 * And the tasks waiting on a pipe or queue hang off it: a thin line from
 * each waiter's chip in the block to its card.
 *
 * Which events are drawn, and how, is the table below: adding an event
 * kind is one entry (its kind, which end of the tube, into it or out of
 * it, and its word or the message's text).
 *
 * The events of tick T happen during T, the snapshot shows the state
 * before them (docs/window.md, "Timing"), so at T a message sent is on its
 * way to the tube, and one received is still the head of the tube, framed
 * in red, on its way out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz.h"

#define FLOW_MS 450            /* how long a message takes to travel */

/* Where an arrow meets the pipe or queue: the tube's tail (writes), its
 * head (reads), or a multiprocessing.Queue's feeder buffer (a put; the
 * tail when there is none); a feeder's move from its buffer into the pipe
 * is an arrow from the buffer to the tail. */
enum flow_end { AT_TAIL, AT_HEAD, AT_BUFFER,
                AT_FEED };   /* from the feeder buffer into the tail (no card) */
/* How an event names its pipe or queue: b is an fd of the task (pipes),
 * or a is the scenario object (queues). */
enum flow_find { BY_FD, BY_OBJ };

struct flow_style {
    int kind;                  /* EV_*; -1 ends the table */
    int reason;                /* the event's reason, or -1 for any */
    enum flow_find find;
    enum flow_end end;
    bool into;                 /* card -> tube (else tube -> card) */
    bool alarm;                /* a failure: red */
    const char *word;          /* the label; NULL: the message, from the text */
    const char *after, *before;/* the message in the text: after `after`, up to
                                  the last `before` (NULL: all of it) */
    const char *alt_if, *alt_word;  /* the text has alt_if: alt_word instead */
};

/* The IPC events and how each is drawn: one entry a kind and reason. */
static const struct flow_style styles[] = {
    { EV_PIPE, PIPE_SEND, BY_FD, AT_TAIL, true, false, NULL, "sends ", " on ", NULL, NULL },
    { EV_PIPE, PIPE_RECV, BY_FD, AT_HEAD, false, false, NULL, "gets ", " from pid ", NULL, NULL },
    { EV_PIPE, PIPE_EOF, BY_FD, AT_HEAD, false, true, "EOF", NULL, NULL, NULL, NULL },
    { EV_PIPE, PIPE_EPIPE, BY_FD, AT_TAIL, false, true, "no reader: SIGPIPE", NULL, NULL,
      "EPIPE (", "no reader: EPIPE" },
    { EV_PIPE, PIPE_TORN, BY_FD, AT_HEAD, false, true, "UnpicklingError", NULL, NULL, NULL, NULL },
    { EV_QUEUE, QE_PUT, BY_OBJ, AT_BUFFER, true, false, NULL, NULL, NULL, NULL, NULL },
    { EV_QUEUE, QE_FEED, BY_OBJ, AT_FEED, true, false, NULL, NULL, NULL, NULL, NULL },
    { EV_QUEUE, QE_GET, BY_OBJ, AT_HEAD, false, false, NULL, NULL, NULL, NULL, NULL },
    { EV_QUEUE, QE_GET_TIMEOUT, BY_OBJ, AT_HEAD, false, true, "timeout: Empty", NULL, NULL, NULL,
      NULL },
    { EV_QUEUE, QE_GET_NOWAIT, BY_OBJ, AT_HEAD, false, true, "Empty", NULL, NULL, NULL, NULL },
    { EV_QUEUE, QE_PUT_TIMEOUT, BY_OBJ, AT_TAIL, false, true, "timeout: Full", NULL, NULL, NULL,
      NULL },
    { EV_QUEUE, QE_PUT_NOWAIT, BY_OBJ, AT_TAIL, false, true, "Full", NULL, NULL, NULL, NULL },
    { .kind = -1 },
};

static const struct flow_style *flow_style_of(const struct event *e)
{
    for (int i = 0; styles[i].kind >= 0; i++)
        if (styles[i].kind == e->kind && (styles[i].reason < 0 || styles[i].reason == e->reason))
            return &styles[i];
    return NULL;
}

/* The channel an event is about (its index in the snapshot), or -1, and
 * the lane of a pipe: for BY_FD the task's fd b names the pipe and the end
 * it uses (a write goes to the other end, a read is at its own). */
static int flow_chan(const struct viz *v, const struct event *e, const struct flow_style *st,
                     int *lane)
{
    *lane = 0;
    if (st->find == BY_OBJ) {
        for (int i = 0; i < v->snap.nchans; i++)
            if (v->snap.chans[i].kind != CHAN_PIPE && v->snap.chans[i].obj == e->a)
                return i;
        return -1;
    }
    for (int i = 0; i < v->snap.nfds; i++) {
        const struct snap_fd *f = &v->snap.fds[i];
        if (f->pid != e->pid || f->fd != e->b || f->chan < 0 || f->chan >= v->snap.nchans)
            continue;
        if (v->snap.chans[f->chan].duplex)
            *lane = st->end == AT_HEAD ? f->end : 1 - f->end;
        return f->chan;
    }
    return -1;
}

/* The message in an event's text: after `after`, up to the last `before`. */
static void message_of(const char *text, const struct flow_style *st, char *out, size_t n)
{
    const char *a = st->after ? strstr(text, st->after) : text;
    if (!a || !*text) {
        snprintf(out, n, "message");
        return;
    }
    a += st->after ? strlen(st->after) : 0;
    const char *b = NULL;
    for (const char *p = a; st->before && (p = strstr(p, st->before)); p++)
        b = p;
    int len = b ? (int)(b - a) : (int)strlen(a);
    snprintf(out, n, "%.*s", len, a);
}

/* The block drawn for channel c, or NULL. */
static const struct chan_geom *geom_of(const struct viz *v, int c)
{
    for (int i = 0; i < v->nchan_geom; i++)
        if (v->chan_geom[i].chan == c)
            return &v->chan_geom[i];
    return NULL;
}

int flows_at(const struct viz *v, struct flow *out, int max)
{
    if (!v->run)
        return 0;
    const struct trace *tr = run_trace(v->run);
    size_t first, n = trace_events_at(tr, v->tick, &first);
    int k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        const struct event *e = &tr->ev[first + i];
        const struct flow_style *st = flow_style_of(e);
        if (!st)
            continue;
        int lane, c = flow_chan(v, e, st, &lane);
        if (c < 0)
            continue;
        struct flow *f = &out[k++];
        memset(f, 0, sizeof *f);
        f->chan = c;
        f->lane = lane;
        f->tid = e->tid ? e->tid : e->pid;
        f->into = st->into;
        f->head = st->end == AT_HEAD;
        f->buffer = st->end == AT_BUFFER;
        f->feed = st->end == AT_FEED;
        f->alarm = st->alarm;
        f->from = st->word ? 0 : e->pid;
        if (f->head && !st->word) {       /* a read: tinted as its sender */
            int h = chan_head_msg(&v->snap.chans[c], lane);
            f->from = h >= 0 ? v->snap.chans[c].msgs[h].from : 0;
        }
        const char *text = trace_text(tr, e);
        const char *fp = strstr(text, "from pid ");
        if (f->head && !st->word && f->from <= 0 && fp)   /* handed over, not in the pipe */
            f->from = atoi(fp + 9);
        char msg[400];
        if (st->word)
            snprintf(msg, sizeof msg, "%s",
                     st->alt_if && strstr(text, st->alt_if) ? st->alt_word : st->word);
        else
            message_of(text, st, msg, sizeof msg);
        chan_cut(msg, 20, f->label, sizeof f->label);
    }
    return k;
}

bool flows_moving(const struct viz *v)
{
    if (!v->animate || v->now - v->flow_start >= FLOW_MS)
        return false;
    struct flow f[1];
    struct pool_flow pf[1];
    return flows_at(v, f, 1) > 0 || pool_flows_at(v, pf, 1) > 0 ||
           (v->net_drawn && v->net.npkts > 0);    /* packets ride their lines */
}

/* How far this tick's messages have got, 0 to 1 (eased); 1 when not
 * animating. A fast playback shortens the trip to fit in the tick. */
static float progress(const struct viz *v)
{
    if (!v->animate)
        return 1.0f;
    float ms = FLOW_MS;
    if (v->playing && v->speed > 0 && 900.0f / (float)v->speed < ms)
        ms = 900.0f / (float)v->speed;
    float t = (float)(v->now - v->flow_start) / ms;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return 1.0f - (1.0f - t) * (1.0f - t);
}

static void ink(SDL_Renderer *r, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

/* Where a line from (tx, ty) meets the card: the middle of its edge that
 * faces that point. */
static void card_point(const SDL_Rect *c, int tx, int ty, int *x, int *y)
{
    if (tx >= c->x + c->w) {
        *x = c->x + c->w;
        *y = c->y + c->h / 2;
    } else if (tx <= c->x) {
        *x = c->x;
        *y = c->y + c->h / 2;
    } else {
        *x = c->x + c->w / 2;
        *y = ty < c->y ? c->y : c->y + c->h;
    }
}

/* The way a flow goes, from where it starts to where it ends. An end of
 * the tube that faces the board (a rightward lane's tail, a leftward
 * lane's head) meets the card's line directly; the far end's line runs
 * down to the lane's free row and along it to the panel's edge, so no
 * arrow crosses the messages. */
/* From a point of the panel to the card: left to the gap beside the
 * panel, along the gap to the card's height, then straight to the card's
 * edge, so that a panel in the right column, higher than the board, never
 * sends a line over the lanes. Appends to q; returns the new count. */
static int to_card(SDL_Point from, const SDL_Rect *card, int gap_x, SDL_Point *q, int n)
{
    int cy = card->y + card->h / 2;
    if (card->x + card->w > gap_x) {                 /* not left of the panel: straight */
        int x, y;
        card_point(card, from.x, from.y, &x, &y);
        q[n++] = (SDL_Point){ x, y };
        return n;
    }
    q[n++] = (SDL_Point){ gap_x, from.y };
    if (cy != from.y)
        q[n++] = (SDL_Point){ gap_x, cy };
    q[n++] = (SDL_Point){ card->x + card->w, cy };
    return n;
}

static void flow_path(const struct chan_geom *g, const struct flow *f, const SDL_Rect *card,
                      int gap_x, struct path *out)
{
    const struct chan_lane *ln = &g->lane[f->lane < g->nlanes ? f->lane : 0];
    SDL_Point q[PATH_MAX_POINTS];
    int n = 0, mid = ln->tube.y + ln->tube.h / 2, bottom = ln->tube.y + ln->tube.h;
    if (f->feed && (g->buffer.w || !card)) {  /* buffer -> pipe */
        out->n = 2;
        out->p[0] = (SDL_Point){ g->buffer.x + g->buffer.w, mid };
        out->p[1] = (SDL_Point){ ln->tail.x + ln->tail.w - 2, mid };
        return;
    }
    if (f->buffer && g->buffer.w) {
        q[n++] = (SDL_Point){ g->buffer.x, g->buffer.y + g->buffer.h / 2 };
    } else {
        const SDL_Rect *end = f->head ? &ln->head : &ln->tail;
        bool near = (end->x < ln->tube.x);          /* the end on the board's side */
        if (near) {
            q[n++] = (SDL_Point){ end->x + 1, mid };
        } else {
            int x = end->x + end->w / 2;
            if (f->head && ln->ncells)              /* out of the head's message */
                x = ln->cell[0].x + ln->cell[0].w / 2;
            q[n++] = (SDL_Point){ x, bottom };
            q[n++] = (SDL_Point){ x, ln->route_y };
            q[n++] = (SDL_Point){ g->box.x, ln->route_y };
        }
    }
    n = to_card(q[n - 1], card, gap_x, q, n);
    out->n = n;
    for (int i = 0; i < n; i++)                      /* tube -> card, or card -> tube */
        out->p[i] = f->into ? q[n - 1 - i] : q[i];
}

static void thick_line(SDL_Renderer *r, SDL_Point a, SDL_Point b, bool thick)
{
    for (int d = thick ? -1 : 0; d <= (thick ? 1 : 0); d++) {
        SDL_RenderDrawLine(r, a.x + d, a.y, b.x + d, b.y);
        SDL_RenderDrawLine(r, a.x, a.y + d, b.x, b.y + d);
    }
}

static void draw_path(SDL_Renderer *r, const struct path *p, SDL_Color c)
{
    ink(r, c);
    for (int i = 0; i + 1 < p->n; i++)
        thick_line(r, p->p[i], p->p[i + 1], true);
    SDL_Point a = p->p[p->n - 2], b = p->p[p->n - 1];
    double dx = b.x - a.x, dy = b.y - a.y, len = sqrt(dx * dx + dy * dy);
    if (len < 1)
        return;
    dx /= len;
    dy /= len;
    for (int w = 0; w <= 1; w++) {
        int hx = b.x - (int)(dx * (12 - w)), hy = b.y - (int)(dy * (12 - w));
        SDL_RenderDrawLine(r, b.x, b.y, hx + (int)(dy * 7), hy - (int)(dx * 7));
        SDL_RenderDrawLine(r, b.x, b.y, hx - (int)(dy * 7), hy + (int)(dx * 7));
    }
}

/* The point a fraction t of the way along the path. */
static SDL_Point along(const struct path *p, float t)
{
    double total = 0, seg[PATH_MAX_POINTS];
    for (int i = 0; i + 1 < p->n; i++) {
        double dx = p->p[i + 1].x - p->p[i].x, dy = p->p[i + 1].y - p->p[i].y;
        seg[i] = sqrt(dx * dx + dy * dy);
        total += seg[i];
    }
    double want = total * t;
    for (int i = 0; i + 1 < p->n; i++) {
        if (want <= seg[i] || i + 2 == p->n) {
            double f = seg[i] > 0 ? want / seg[i] : 0;
            f = f > 1 ? 1 : f;
            return (SDL_Point){ p->p[i].x + (int)((p->p[i + 1].x - p->p[i].x) * f),
                                p->p[i].y + (int)((p->p[i + 1].y - p->p[i].y) * f) };
        }
        want -= seg[i];
    }
    return p->p[p->n - 1];
}

/* The x of the gap left of the objects panel, where lines run down. */
static int gap_x(const struct layout *l)
{
    return l->objects.x - (l->unit > 2 ? l->unit / 2 : 1);
}

void draw_waiter_lines(struct viz *v, SDL_Renderer *r)
{
    const struct layout *l = &v->layout;
    for (int i = 0; i < v->nchan_geom; i++) {
        const struct chan_geom *g = &v->chan_geom[i];
        for (int k = 0; k < g->nchips; k++) {
            const struct card *c = layout_card(l, g->chip_tid[k]);
            if (!c)
                continue;
            /* From the panel's edge at the chip's row (crossing none of
             * the panel's text), round by the gap to the card. */
            int sy = g->chip[k].y + g->chip[k].h / 2, sx = l->objects.x;
            SDL_Point q[4] = { { sx, sy } };
            int n = to_card(q[0], &c->r, gap_x(l), q, 1);
            /* A tick on the panel's edge: "this row". */
            SDL_Color sc = state_colour('S', false);
            viz_fill(r, (SDL_Rect){ sx - 3, sy - 1, 6, 3 }, sc);
            /* Dashed, in the sleeping colour: "waits on this". */
            ink(r, sc);
            for (int j = 0; j + 1 < n; j++) {
                double dx = q[j + 1].x - q[j].x, dy = q[j + 1].y - q[j].y;
                double len = sqrt(dx * dx + dy * dy);
                for (double p = 0; p < len; p += 9) {
                    double e = p + 5 < len ? p + 5 : len;
                    SDL_RenderDrawLine(r, q[j].x + (int)(dx * p / len), q[j].y + (int)(dy * p / len),
                                       q[j].x + (int)(dx * e / len), q[j].y + (int)(dy * e / len));
                }
            }
        }
    }
    /* This tick's flows, under the cards too (their heads stop at a
     * card's edge; their labels go over everything, draw_flows). */
    struct flow fl[32];
    int n = flows_at(v, fl, 32);
    for (int i = 0; i < n; i++) {
        const struct chan_geom *g = geom_of(v, fl[i].chan);
        const struct card *c = layout_card(l, fl[i].tid);
        if (!g || (!c && !fl[i].feed))
            continue;
        struct path p;
        flow_path(g, &fl[i], c ? &c->r : NULL, gap_x(l), &p);
        draw_path(r, &p, fl[i].alarm ? VIZ_ACCENT : VIZ_INK);
    }
}

void draw_flows(struct viz *v, SDL_Renderer *r, SDL_Rect *taken, int *ntaken, int max_taken)
{
    struct flow fl[32];
    int n = flows_at(v, fl, 32);
    float t = progress(v);
    const struct layout *l = &v->layout;
    for (int i = 0; i < n; i++) {
        const struct flow *f = &fl[i];
        const struct chan_geom *g = geom_of(v, f->chan);
        const struct card *c = layout_card(l, f->tid);
        if (!g || (!c && !f->feed))
            continue;
        struct path p;
        flow_path(g, f, c ? &c->r : NULL, gap_x(l), &p);
        /* The label: while moving, riding the path; at rest, where it
         * covers no card and no other label, along the path's stretch
         * over the board. */
        int lw = font_width(&v->font, FONT_SMALL, f->label) + 8, lh = v->font.small_line + 2;
        SDL_Color bg = f->alarm ? VIZ_ALARM : f->from > 0 ? pid_colour(f->from) : VIZ_PANEL;
        SDL_Rect spot;
        int cs = f->into ? 0 : p.n - 2;             /* the card's stretch */
        if (f->feed && t >= 1.0f)
            continue;                  /* the next tick shows it in the pipe */
        if (t < 1.0f) {
            SDL_Point at = along(&p, t);
            spot = (SDL_Rect){ at.x - lw / 2, at.y - lh / 2, lw, lh };
        } else if (!(*ntaken < max_taken &&
                     viz_label_spot(l, p.p[cs].x, p.p[cs].y, p.p[cs + 1].x, p.p[cs + 1].y, lw,
                                    lh, taken, *ntaken, &spot))) {
            continue;
        } else {
            taken[(*ntaken)++] = spot;
        }
        viz_fill(r, spot, bg);
        ink(r, f->alarm ? VIZ_ACCENT : VIZ_CARD_EDGE);
        SDL_RenderDrawRect(r, &spot);
        font_draw(&v->font, r, FONT_SMALL, f->label, f->alarm ? VIZ_ACCENT : VIZ_INK,
                  spot.x + 4, spot.y + 1, 0);
    }
}

bool flow_leaves_head(const struct viz *v, int chan, int lane)
{
    struct flow fl[32];
    int n = flows_at(v, fl, 32);
    for (int i = 0; i < n; i++)
        if (fl[i].chan == chan && fl[i].lane == lane && fl[i].head && !fl[i].into &&
            !fl[i].alarm)
            return true;
    return false;
}

/* For pools.c: the same routes, arrows and timing as the messages'. */
int path_to_card(SDL_Point from, const SDL_Rect *card, int gap, SDL_Point *q, int n)
{
    return to_card(from, card, gap, q, n);
}

void path_draw(SDL_Renderer *r, const struct path *p, SDL_Color c)
{
    draw_path(r, p, c);
}

SDL_Point path_along(const struct path *p, float t)
{
    return along(p, t);
}

float flow_progress(const struct viz *v)
{
    return progress(v);
}

int flow_gap_x(const struct layout *l)
{
    return gap_x(l);
}
