/*
 * layout.c - where everything goes, as a pure function of the snapshot and
 * the window size (no drawing here, so tests can check it directly).
 *
 *  +-------------------------------------------------------------+
 *  | header: title, tick, speed, legend                          |
 *  +--------------------------------------+----------------------+
 *  | CPU lanes (one timeline per CPU)     | notes (describe)     |
 *  | process lanes (state over time)      | process tree/objects |
 *  +--------------------------------------+ events               |
 *  | board: running | queue | sleeping |  | inspector            |
 *  |        disk I/O | stopped | zombie   |                      |
 *  +--------------------------------------+----------------------+
 */
#include <string.h>

#include "viz.h"

enum group group_of(const struct snap_task *t)
{
    switch (t->state) {
    case 'R': return t->cpu >= 0 ? G_RUNNING : G_QUEUE;
    case 'D': return G_DISK;
    case 'T': return G_STOPPED;
    case 'Z': return G_ZOMBIE;
    default:  return G_SLEEPING;
    }
}

void viz_layout(const struct snapshot *s, int w, int h, int line, int lanes, const int *scroll,
                struct layout *out)
{
    memset(out, 0, sizeof *out);
    out->w = w;
    out->h = h;
    int u = line / 2 > 4 ? line / 2 : 4;
    out->unit = u;
    out->lane_h = line + 4;
    out->label_w = line * 8;

    int header_h = 2 * line + u;
    int right_w = w * 32 / 100 > line * 20 ? w * 32 / 100 : line * 20;
    if (right_w > w / 2)
        right_w = w / 2;
    int left_w = w - right_w;
    out->header = (SDL_Rect){ 0, 0, w, header_h };

    /* Left: CPU lanes, then process lanes, then the board. */
    int y = header_h + u;
    int ncpus = s->ncpus > 0 ? s->ncpus : 1;
    out->cpu_lanes = (SDL_Rect){ u, y, left_w - 2 * u, line + ncpus * out->lane_h };
    y += out->cpu_lanes.h + u;
    int rest = h - y - u;
    int rows = lanes > 0 ? lanes : 1;
    int max_rows = (rest * 45 / 100 - line) / out->lane_h;
    if (max_rows < 1)
        max_rows = 1;
    if (rows > max_rows)
        rows = max_rows;
    out->proc_lanes = (SDL_Rect){ u, y, left_w - 2 * u, line + rows * out->lane_h };
    y += out->proc_lanes.h + u;
    out->board = (SDL_Rect){ u, y, left_w - 2 * u, h - y - u };

    int gw = out->board.w / G_COUNT;
    for (int g = 0; g < G_COUNT; g++)
        out->groups[g] = (SDL_Rect){ out->board.x + g * gw, out->board.y, gw - u / 2,
                                     out->board.h };

    /* Right: notes, tree, events, inspector. */
    int rx = left_w, ry = header_h + u, rw = right_w - u;
    int rh = h - ry - u;
    out->notes = (SDL_Rect){ rx, ry, rw, line * 8 };
    ry += out->notes.h + u;
    rh -= out->notes.h + u;
    out->tree = (SDL_Rect){ rx, ry, rw, rh * 27 / 100 };
    ry += out->tree.h + u;
    out->events = (SDL_Rect){ rx, ry, rw, rh * 36 / 100 };
    ry += out->events.h + u;
    out->inspector = (SDL_Rect){ rx, ry, rw, h - ry - u };

    /* Cards: one per task in view, in its group's column, stacked. A
     * column that overflows shows what fits (the drawing adds "+N more"). */
    layout_cards(s, line, scroll, out);
}
