/*
 * greens.c - greenlets (gevent) as lanes inside their thread's card.
 *
 * The kernel sees one task; the greenlets are what runs inside it, one at
 * a time. A thread with greenlets gets a taller card: under its usual two
 * lines, one lane per greenlet with a marker in the state colour it would
 * have as a task (running dark green, ready the run queue's green,
 * waiting the sleeper's blue, finished slate) and what it is doing: "g2
 * handler: waits for fd 5", "g3 ticker: sleeps, 4 left". The running one's
 * lane is highlighted. Up to GREEN_MAX_ROWS lanes; then the last says how
 * many more there are.
 */
#include <stdio.h>
#include <string.h>

#include "viz.h"

/* The index of the first greenlet of tid in s->greens (by tid then id),
 * and how many it has. */
static int greens_of(const struct snapshot *s, int tid, int *count)
{
    int lo = 0, hi = s->ngreens;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (s->greens[mid].tid < tid)
            lo = mid + 1;
        else
            hi = mid;
    }
    int n = 0;
    while (lo + n < s->ngreens && s->greens[lo + n].tid == tid)
        n++;
    *count = n;
    return lo;
}

int green_rows(const struct snapshot *s, int tid)
{
    if (!s->ngreens)
        return 0;
    int n;
    greens_of(s, tid, &n);
    return n < GREEN_MAX_ROWS ? n : GREEN_MAX_ROWS;
}

/* The lane's words at three lengths: whole, without the verb's
 * trimmings, with only the number. */
static void lane_variants(const struct snap_green *g, int64_t tick, char v[3][96])
{
    char what[3][48];
    switch (g->state) {
    case GREEN_RUNNING:
        snprintf(what[0], 48, g->line > 0 ? "runs, line %d" : "runs", g->line);
        snprintf(what[1], 48, "runs");
        snprintf(what[2], 48, "runs");
        break;
    case GREEN_READY:
        for (int k = 0; k < 3; k++)
            snprintf(what[k], 48, "ready");
        break;
    case GREEN_WAIT_FD:
        snprintf(what[0], 48, "waits for fd %d", g->wait_fd);
        snprintf(what[1], 48, "fd %d", g->wait_fd);
        snprintf(what[2], 48, "fd %d", g->wait_fd);
        break;
    case GREEN_SLEEP:
        if (g->wake_at >= 0) {
            snprintf(what[0], 48, "sleeps, %lld left", (long long)(g->wake_at - tick));
            snprintf(what[1], 48, "%lld left", (long long)(g->wake_at - tick));
            snprintf(what[2], 48, "sleep %lld", (long long)(g->wake_at - tick));
        } else {
            for (int k = 0; k < 3; k++)
                snprintf(what[k], 48, "sleeps");
        }
        break;
    case GREEN_JOIN:
        for (int k = 0; k < 3; k++)
            snprintf(what[k], 48, "joins");
        break;
    default:
        for (int k = 0; k < 3; k++)
            snprintf(what[k], 48, "done");
        break;
    }
    snprintf(v[0], 96, "g%d %.23s: %s", g->id, g->name, what[0]);
    snprintf(v[1], 96, "g%d %.23s: %s", g->id, g->name, what[1]);
    snprintf(v[2], 96, "g%d: %s", g->id, what[2]);
}

void green_lane_text(const struct snap_green *g, int64_t tick, char *out, size_t n)
{
    char v[3][96];
    lane_variants(g, tick, v);
    snprintf(out, n, "%s", v[0]);
}

/* The colour a greenlet's marker has: the state it would have as a task. */
static SDL_Color green_colour(const struct snap_green *g)
{
    switch (g->state) {
    case GREEN_RUNNING: return state_colour('R', true);
    case GREEN_READY: return state_colour('R', false);
    case GREEN_DEAD: return state_colour('Z', false);
    default: return state_colour('S', false);
    }
}

/* Each column's cards, in order, grow by their lanes and push the ones
 * under them down; those pushed past the column's foot leave the board
 * (the column's "+N more" counts them). */
void layout_green_cards(const struct snapshot *s, int sl, struct layout *out)
{
    if (!s->ngreens)
        return;
    int shift[G_COUNT] = { 0 }, kept = 0;
    bool changed = false;
    for (int i = 0; i < out->ncards; i++) {
        struct card c = out->cards[i];
        int rows = green_rows(s, c.tid);
        c.r.y += shift[c.group];
        if (rows) {
            int extra = rows * sl + 4;
            c.r.h += extra;
            shift[c.group] += extra;
            changed = true;
        }
        SDL_Rect col = out->groups[c.group];
        if (c.r.y + c.r.h > col.y + col.h - out->foot_h && shift[c.group] && kept &&
            out->cards[kept - 1].group == c.group)
            continue;                  /* pushed off its column */
        out->cards[kept++] = c;
    }
    if (!changed)
        return;
    out->ncards = kept;
    layout_index_cards(out);
}

void draw_green_lanes(struct viz *v, SDL_Renderer *r, const struct snap_task *t, SDL_Rect rc,
                      int pad, float alpha)
{
    const struct snapshot *s = &v->snap;
    if (!s->ngreens)
        return;
    int n, first = greens_of(s, t->tid, &n);
    if (!n)
        return;
    int sl = v->font.small_line;
    int y = rc.y + rc.h - (n < GREEN_MAX_ROWS ? n : GREEN_MAX_ROWS) * sl - 3;
    int x = rc.x + pad, w = rc.w - pad - 3;
    Uint8 a = (Uint8)(255 * (alpha < 0 ? 0 : alpha > 1 ? 1 : alpha));
    for (int k = 0; k < n && k < GREEN_MAX_ROWS; k++) {
        const struct snap_green *g = &s->greens[first + k];
        SDL_Rect lane = { x, y + k * sl, w, sl - 1 };
        SDL_Color bg = g->state == GREEN_RUNNING ? VIZ_HILITE : VIZ_PANEL;
        bg.a = a;
        viz_fill(r, lane, bg);
        char text[128];
        if (k == GREEN_MAX_ROWS - 1 && n > GREEN_MAX_ROWS) {
            snprintf(text, sizeof text, "+%d more greenlets", n - k);
            if (font_width(&v->font, FONT_SMALL, text) > w - sl)
                snprintf(text, sizeof text, "+%d", n - k);
        } else {
            SDL_Color mc = green_colour(g);
            mc.a = a;
            viz_fill(r, (SDL_Rect){ lane.x + 2, lane.y + 2, sl - 5, sl - 5 }, mc);
            char var[3][96];
            lane_variants(g, v->tick, var);
            int k2 = 0;
            while (k2 < 2 && font_width(&v->font, FONT_SMALL, var[k2]) > w - sl)
                k2++;
            snprintf(text, sizeof text, "%.96s", var[k2]);
        }
        if (font_width(&v->font, FONT_SMALL, text) <= w - sl)
            font_draw(&v->font, r, FONT_SMALL, text, VIZ_INK, lane.x + sl, lane.y, 0);
    }
}
