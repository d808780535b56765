/*
 * arrays.c - shared arrays (multiprocessing.Array) in the objects panel: a
 * row of cells, one per item with its value and its index under it, the
 * built-in lock's holder and waiters on the title row.
 *
 * A lost update is per item (sim/objects/array.c names it: "lost update:
 * pid 4 stored 3 to unsafe[0] over 3 ..."): the item's cell is framed in
 * red with its index in red from then on, filled pink in the tick it shows
 * (as `shared` values turn red), and a line under the row names the item
 * and the tick. The items come from the snapshot; which of them lost an
 * update, from the run's lost-update events up to this tick.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz.h"

#define MAX_CELLS 64

int array_lines(const struct viz *v)
{
    int n = 0;
    for (int i = 0; v->scn && i < v->scn->nobjects; i++)
        if (v->scn->objects[i].kind == OBJ_ARRAY)
            n += 4;
    return n;
}

void array_lost_ticks(const struct viz *v, int obj, int64_t *last, int n)
{
    for (int k = 0; k < n; k++)
        last[k] = -1;
    if (!v->run)
        return;
    const struct trace *tr = run_trace(v->run);
    char key[80];
    snprintf(key, sizeof key, " to %.64s[", v->scn->objects[obj].name);
    size_t klen = strlen(key);
    /* A store in tick T shows in the state from T + 1: the events up to
     * the tick before this one. */
    for (size_t i = 0; i < tr->nev && tr->ev[i].tick < v->tick; i++) {
        const struct event *e = &tr->ev[i];
        if (e->kind != EV_LOST_UPDATE)
            continue;
        const char *at = strstr(trace_text(tr, e), key);
        if (!at)
            continue;
        int idx = atoi(at + klen);
        if (idx >= 0 && idx < n)
            last[idx] = e->tick;
    }
}

/* One array's block at y; returns the y under it. */
static int draw_array(struct viz *v, SDL_Renderer *r, int obj, SDL_Rect area, int y)
{
    const struct object *o = &v->scn->objects[obj];
    const struct snap_object *so = &v->snap.objects[obj];
    int sl = v->font.small_line, adv = v->font.small_advance > 0 ? v->font.small_advance : 8;
    int x = area.x + 4, w = area.w - 8;
    /* Title: the name and length; the lock on the right. */
    char title[96], lock[96] = "";
    snprintf(title, sizeof title, "array %.60s (%d item%s)", o->name, so->nitems,
             so->nitems == 1 ? "" : "s");
    if (so->owner_tid > 0)
        snprintf(lock, sizeof lock, "lock held by %d", so->owner_tid);
    if (so->nwaiting) {
        size_t k = strlen(lock);
        snprintf(lock + k, sizeof lock - k, "%swaiting", k ? ", " : "lock: ");
        for (int i = 0; i < so->nwaiting && i < SNAP_MAX_WAITERS && strlen(lock) < 80; i++)
            snprintf(lock + strlen(lock), sizeof lock - strlen(lock), " %d", so->waiting[i]);
    }
    int tw = font_width(&v->font, FONT_SMALL, title), lw = *lock ? font_width(&v->font, FONT_SMALL, lock) : 0;
    if (tw > w) {
        snprintf(title, sizeof title, "array %.60s", o->name);
        tw = font_width(&v->font, FONT_SMALL, title);
    }
    if (tw <= w)
        font_draw(&v->font, r, FONT_SMALL, title, VIZ_INK, x, y, 0);
    if (lw && tw + 2 * adv + lw <= w)
        font_draw(&v->font, r, FONT_SMALL, lock, VIZ_MUTED, x + w - lw, y, 0);
    y += sl;
    /* The cells: as many as fit, each as wide as the widest value shown. */
    int n = so->nitems < MAX_CELLS ? so->nitems : MAX_CELLS;
    int64_t last[MAX_CELLS];
    array_lost_ticks(v, obj, last, n);
    int maxc = 2;
    for (int k = 0; k < n; k++) {
        char num[32];
        int c = snprintf(num, sizeof num, "%lld", (long long)v->snap.items[so->first_item + k]);
        maxc = c > maxc ? c : maxc;
    }
    int cw = maxc * adv + 8, fit = (w - 4 * adv) / (cw + 2);
    int shown = n < fit ? n : fit;
    if (shown < 1)
        shown = 0;
    int lost_idx = -1;
    int64_t lost_tick = -1;
    for (int k = 0; k < shown; k++) {
        SDL_Rect c = { x + k * (cw + 2), y, cw, sl + 4 };
        int64_t val = v->snap.items[so->first_item + k];
        bool lost = last[k] >= 0, hot = lost && last[k] >= v->tick - 1;
        viz_fill(r, c, hot ? VIZ_ALARM : VIZ_PANEL);
        viz_frame(r, c, lost ? VIZ_ACCENT : VIZ_CARD_EDGE);
        if (lost)
            viz_frame(r, (SDL_Rect){ c.x + 1, c.y + 1, c.w - 2, c.h - 2 }, VIZ_ACCENT);
        char num[32], idx[16];
        snprintf(num, sizeof num, "%lld", (long long)val);
        int nw = font_width(&v->font, FONT_SMALL, num);
        font_draw(&v->font, r, FONT_SMALL, num, VIZ_INK, c.x + c.w - 4 - nw, c.y + 2, 0);
        snprintf(idx, sizeof idx, "%d", k);
        int iw = font_width(&v->font, FONT_SMALL, idx);
        if (iw <= cw)
            font_draw(&v->font, r, FONT_SMALL, idx, lost ? VIZ_ACCENT : VIZ_MUTED,
                      c.x + (c.w - iw) / 2, c.y + sl + 6, 0);
        if (lost && last[k] > lost_tick) {
            lost_tick = last[k];
            lost_idx = k;
        }
    }
    if (shown < so->nitems) {
        char more[24];
        snprintf(more, sizeof more, "+%d", so->nitems - shown);
        font_draw(&v->font, r, FONT_SMALL, more, VIZ_MUTED, x + shown * (cw + 2) + 4, y + 2, 0);
    }
    y += 2 * sl + 8;
    /* The latest lost update, as the shared values' line says it. */
    if (lost_idx >= 0) {
        bool hot = lost_tick >= v->tick - 1;
        char var[3][160];
        if (hot)
            snprintf(var[0], 160, "LOST UPDATE at tick %lld: %.60s[%d]", (long long)lost_tick,
                     o->name, lost_idx);
        else
            snprintf(var[0], 160, "(last lost update: %.60s[%d] at tick %lld)", o->name, lost_idx,
                     (long long)lost_tick);
        snprintf(var[1], 160, hot ? "LOST UPDATE: %.60s[%d]" : "(lost: %.60s[%d])", o->name,
                 lost_idx);
        snprintf(var[2], 160, hot ? "LOST UPDATE" : "(lost update)");
        const char *s = var[2];
        for (int k = 0; k < 3; k++)
            if (font_width(&v->font, FONT_SMALL, var[k]) <= w) {
                s = var[k];
                break;
            }
        if (font_width(&v->font, FONT_SMALL, s) <= w)
            font_draw(&v->font, r, FONT_SMALL, s, hot ? VIZ_ACCENT : VIZ_MUTED, x, y, 0);
        y += sl;
    }
    return y + sl / 2;
}

int draw_arrays(struct viz *v, SDL_Renderer *r, SDL_Rect area)
{
    int y = area.y, sl = v->font.small_line;
    for (int i = 0; v->scn && i < v->scn->nobjects; i++) {
        if (v->scn->objects[i].kind != OBJ_ARRAY)
            continue;
        if (y + 4 * sl + 12 > area.y + area.h)
            break;
        y = draw_array(v, r, i, area, y);
    }
    return y;
}
