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
#include <string.h>

#include "viz.h"

#define FLOW_MS 450            /* how long a message takes to travel */

enum flow_end { AT_TAIL, AT_HEAD };

struct flow_style {
    int kind;                  /* EV_*; -1 ends the table */
    int reason;                /* the event's reason, or -1 for any */
    enum flow_end end;         /* the tube's end the arrow meets */
    bool into;                 /* card -> tube (else tube -> card) */
    const char *word;          /* the label; NULL: the message itself */
    bool alarm;                /* a failure: red */
};

/* The IPC events and how each is drawn. */
static const struct flow_style styles[] = {
    { -1, -1, AT_TAIL, false, NULL, false },
};

static const struct flow_style *flow_style_of(const struct event *e)
{
    for (int i = 0; styles[i].kind >= 0; i++)
        if (styles[i].kind == e->kind && (styles[i].reason < 0 || styles[i].reason == e->reason))
            return &styles[i];
    return NULL;
}

/* The snapshot's channel an event is about, or -1. */
static int flow_chan(const struct viz *v, const struct event *e)
{
    for (int i = 0; i < v->snap.nchans; i++)
        if (v->snap.chans[i].obj >= 0 && v->snap.chans[i].obj == e->a)
            return i;
    return -1;
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
        int c = flow_chan(v, e);
        if (c < 0)
            continue;
        struct flow *f = &out[k++];
        memset(f, 0, sizeof *f);
        f->chan = c;
        f->tid = e->tid ? e->tid : e->pid;
        f->into = st->into;
        f->head = st->end == AT_HEAD;
        f->alarm = st->alarm;
        f->from = st->word ? 0 : e->pid;
        const char *t = st->word ? st->word : trace_text(tr, e);
        chan_cut(*t ? t : "message", 16, f->label, sizeof f->label);
    }
    return k;
}

bool flows_moving(const struct viz *v)
{
    if (!v->animate || v->now - v->flow_start >= FLOW_MS)
        return false;
    struct flow f[1];
    return flows_at(v, f, 1) > 0;
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

static void arrow(SDL_Renderer *r, int x1, int y1, int x2, int y2, SDL_Color c, bool thick)
{
    ink(r, c);
    for (int d = thick ? -1 : 0; d <= (thick ? 1 : 0); d++) {
        SDL_RenderDrawLine(r, x1 + d, y1, x2 + d, y2);
        SDL_RenderDrawLine(r, x1, y1 + d, x2, y2 + d);
    }
    double dx = x2 - x1, dy = y2 - y1, len = sqrt(dx * dx + dy * dy);
    if (len < 1)
        return;
    dx /= len;
    dy /= len;
    int hx = x2 - (int)(dx * 11), hy = y2 - (int)(dy * 11);
    SDL_RenderDrawLine(r, x2, y2, hx + (int)(dy * 6), hy - (int)(dx * 6));
    SDL_RenderDrawLine(r, x2, y2, hx - (int)(dy * 6), hy + (int)(dx * 6));
}

/* Where a line from the tube at (tx, ty) meets the card: the middle of
 * its edge that faces the tube. */
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

/* The tube's point for a flow: its tail's mark for what goes in (or fails
 * to), the bottom of the head's message (or the head's mark) for what
 * comes out. */
static void tube_point(const struct chan_geom *g, int lane, bool head, int *x, int *y)
{
    const struct chan_lane *ln = &g->lane[lane < g->nlanes ? lane : 0];
    if (!head) {
        *x = ln->tail.x + (ln->leftward ? ln->tail.w - 1 : 1);
        *y = ln->tail.y + ln->tail.h / 2;
    } else if (ln->ncells) {
        *x = ln->cell[0].x + ln->cell[0].w / 2;
        *y = ln->cell[0].y + ln->cell[0].h;
    } else {
        *x = ln->head.x + ln->head.w / 2;
        *y = ln->head.y + ln->head.h;
    }
}

static void fill_rect(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
    ink(r, c);
    SDL_RenderFillRect(r, &rc);
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
            /* From the panel's edge at the chip's row, so that the line
             * crosses none of the panel's text. */
            int sy = g->chip[k].y + g->chip[k].h / 2, x, y;
            int sx = l->objects.x;
            card_point(&c->r, sx, sy, &x, &y);
            if (x > sx)                    /* a card right of the panel */
                sx = l->objects.x + l->objects.w - 1;
            /* A tick on the panel's edge: "this row". */
            fill_rect(r, (SDL_Rect){ sx - 3, sy - 1, 6, 3 }, state_colour('S', false));
            /* Dashed, in the sleeping colour: "waits on this". */
            SDL_Color s = state_colour('S', false);
            ink(r, s);
            double dx = x - sx, dy = y - sy, len = sqrt(dx * dx + dy * dy);
            for (double p = 0; p < len; p += 9) {
                double q = p + 5 < len ? p + 5 : len;
                SDL_RenderDrawLine(r, sx + (int)(dx * p / len), sy + (int)(dy * p / len),
                                   sx + (int)(dx * q / len), sy + (int)(dy * q / len));
            }
        }
    }
}

void draw_flows(struct viz *v, SDL_Renderer *r, SDL_Rect *taken, int *ntaken, int max_taken)
{
    struct flow fl[32];
    int n = flows_at(v, fl, 32);
    float p = progress(v);
    const struct layout *l = &v->layout;
    for (int i = 0; i < n; i++) {
        const struct flow *f = &fl[i];
        const struct chan_geom *g = geom_of(v, f->chan);
        const struct card *c = layout_card(l, f->tid);
        if (!g || !c)
            continue;
        int tx, ty, cx, cy;
        tube_point(g, f->lane, f->head, &tx, &ty);
        card_point(&c->r, tx, ty, &cx, &cy);
        int x1 = f->into ? cx : tx, y1 = f->into ? cy : ty;
        int x2 = f->into ? tx : cx, y2 = f->into ? ty : cy;
        SDL_Color col = f->alarm ? VIZ_ACCENT : VIZ_INK;
        arrow(r, x1, y1, x2, y2, col, f->alarm);
        /* The label: while moving, riding the arrow; at rest, where it
         * covers no card and no other label, along the arrow. */
        int lw = font_width(&v->font, FONT_SMALL, f->label) + 8, lh = v->font.small_line + 2;
        SDL_Color bg = f->alarm ? VIZ_ALARM : f->from > 0 ? pid_colour(f->from) : VIZ_PANEL;
        SDL_Rect spot;
        if (p < 1.0f) {
            spot = (SDL_Rect){ x1 + (int)((float)(x2 - x1) * p) - lw / 2,
                               y1 + (int)((float)(y2 - y1) * p) - lh / 2, lw, lh };
        } else if (!(*ntaken < max_taken &&
                     viz_label_spot(l, x1, y1, x2, y2, lw, lh, taken, *ntaken, &spot))) {
            continue;
        } else {
            taken[(*ntaken)++] = spot;
        }
        ink(r, bg);
        SDL_RenderFillRect(r, &spot);
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
