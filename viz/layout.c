/*
 * layout.c - where everything goes, as a pure function of the snapshot,
 * the window size, the font's metrics and what the scenario has to show
 * (no drawing here, so tests can check it directly). The rules, also in
 * docs/window.md:
 *
 *  +-------------------------------------------------------------+
 *  | header: title and legend (the legend gets its own row when   |
 *  | they do not fit side by side); tick, speed, policy           |
 *  +------------------------------------------+------------------+
 *  | CPU lanes: one row per CPU               | what to watch:   |
 *  | process lanes: up to 40% of what is left | as tall as the   |
 *  +---------------------------+--------------+ lesson (<= 45%)  |
 *  | board: a column per state | objects:     | process tree     |
 *  | the run ever has; states  | locks, GILs, | events: the rest |
 *  | it never has are a narrow | semaphores,  | inspector: as    |
 *  | column with their letter  | the wait-for | tall as the PCB  |
 *  |                           | graph        | when one is      |
 *  +---------------------------+--------------+------------------+
 *  | bar: hints, "saved ...", signals sent; an error, wrapped     |
 *  +-------------------------------------------------------------+
 *
 * The objects panel exists when the scenario has shared objects (and is
 * where the object views of later issues go: pipes and queues with their
 * messages, pools, sockets, select sets). In presentation mode the text is
 * larger, the inspector is hidden unless a process is selected, and the
 * process tree when the scenario never forks.
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

int wrap_cut(const char *s, int per)
{
    int n = (int)strlen(s);
    if (n <= per)
        return n;
    /* Break at the last space that leaves the whole next word for the next
     * line; only a word longer than a line is cut inside. */
    for (int k = per; k > 0; k--)
        if (s[k] == ' ')
            return k;
    return per;
}

int wrap_count(const char *s, int per)
{
    if (per < 10)
        per = 10;
    int lines = 0;
    while (*s) {
        int n = wrap_cut(s, per);
        lines++;
        s += n;
        while (*s == ' ')
            s++;
    }
    return lines;
}

int note_paragraphs(const struct scenario *scn, char *buf, size_t n, const char **para, int max)
{
    int np = 0;
    size_t used = 0;
    bool open = false;
    for (int i = 0; scn && i < scn->ndescribe; i++) {
        const char *d = scn->describe[i];
        size_t len = strlen(d);
        if (used + len + 2 > n)
            break;
        if (open) {
            buf[used - 1] = ' ';           /* the paragraph's NUL becomes a space */
        } else {
            if (np == max)
                break;
            para[np++] = buf + used;
        }
        memcpy(buf + used, d, len);
        used += len;
        buf[used++] = '\0';
        open = len && !strchr(".!?", d[len - 1]);
    }
    return np;
}

static int clampi(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* The legend's width: a swatch and a name per state. */
int legend_width(const struct layout_in *in)
{
    static const char *const names[] = { "running", "runnable", "sleeping S", "disk D",
                                         "stopped T", "zombie Z" };
    int w = 0;
    for (int i = 0; i < 6; i++)
        w += (int)strlen(names[i]) * in->small_adv + in->line + in->line / 2;
    return w;
}

/* The height of "what to watch" showing the whole lesson in a panel w
 * pixels wide. */
static int notes_height(const struct layout_in *in, int w)
{
    int per = (w - 12) / (in->small_adv > 0 ? in->small_adv : 8);
    int n = 0;
    for (int i = 0; i < in->nnotes; i++)
        n += wrap_count(in->notes[i], per);
    return in->line + 4 + (n > 0 ? n : 1) * in->small_line;
}

void viz_layout_in(const struct layout_in *in, struct layout *out)
{
    const struct snapshot *s = in->snap;
    int w = in->w, h = in->h, line = in->line, sl = in->small_line;
    memset(out, 0, sizeof *out);
    out->w = w;
    out->h = h;
    out->selected = in->selected;
    out->present = in->present;
    int u = line / 2 > 4 ? line / 2 : 4;
    out->unit = u;
    out->lane_h = line + 4;
    out->label_w = line * 8;

    /* Header: the legend beside the title when both fit. */
    int title_w = in->title_chars * in->adv;
    out->legend_row = title_w + 3 * u + legend_width(in) > w ? 1 : 0;
    /* A title longer than the window wraps (at spaces, as wrap_count). */
    out->title_per = (w - 3 * u - legend_width(in)) / (in->adv > 0 ? in->adv : 8);
    out->title_rows = 1;
    if (out->legend_row && in->title) {
        out->title_rows = wrap_count(in->title, (w - 2 * u) / (in->adv > 0 ? in->adv : 8));
        out->title_rows = out->title_rows < 1 ? 1 : out->title_rows > 3 ? 3 : out->title_rows;
    }
    int header_h = (1 + out->title_rows + out->legend_row) * line + u;
    out->header = (SDL_Rect){ 0, 0, w, header_h };
    /* The bar at the bottom: one line, or the error's lines. */
    int bar_h = (in->bar_lines > 1 ? in->bar_lines : 1) * sl + 6;
    out->bar = (SDL_Rect){ 0, h - bar_h, w, bar_h };
    int bottom = h - bar_h - u;          /* the last row of pixels for panels */

    int right_w = clampi(w * 31 / 100, 42 * in->small_adv + 12, w * 45 / 100);
    /* A long lesson widens the column (up to 45% of the window, 50% when
     * presenting) until it
     * fits in its share of the column's height. */
    int rh0 = bottom - (header_h + u), cap = rh0 * (in->present ? 80 : 60) / 100;
    while (right_w < w * (in->present ? 50 : 45) / 100 &&
           notes_height(in, right_w - u) > cap)
        right_w += w / 50;
    /* A Python run's source is read in the inspector: the column widens
     * (up to 45%) until its lines fit beside a thread's chip. */
    while (in->src_chars > 0 && right_w < w * 45 / 100 &&
           (right_w - u - 12) / (in->adv > 0 ? in->adv : 8) < in->src_chars + 6)
        right_w += w / 50;
    if (right_w > w * 45 / 100 && in->src_chars > 0 && w * 45 / 100 >= 42 * in->small_adv + 12)
        right_w = w * 45 / 100;
    int left_w = w - right_w;

    /* Left: CPU lanes, then process lanes, then the board and objects. */
    int y = header_h + u;
    int ncpus = s->ncpus > 0 ? s->ncpus : 1;
    out->cpu_lanes = (SDL_Rect){ u, y, left_w - 2 * u, line + ncpus * out->lane_h };
    y += out->cpu_lanes.h + u;
    int rest = bottom - y;
    int rows = in->lanes > 0 ? in->lanes : 1;
    int max_rows = (rest * 40 / 100 - line) / out->lane_h;
    if (max_rows < 2)
        max_rows = 2;              /* a row of lanes, and one saying which */
    if (rows > max_rows)
        rows = max_rows;
    out->proc_lanes = (SDL_Rect){ u, y, left_w - 2 * u, line + rows * out->lane_h };
    y += out->proc_lanes.h + u;
    int bw = left_w - 2 * u;
    /* The objects beside the board when the board keeps room for its
     * columns (14 characters a wide one); otherwise, and when presenting,
     * in the right column. */
    int narrow = 3 * in->adv + 10 + u / 2, nwide = 0, nnarrow = 0;
    for (int g = 0; g < G_COUNT; g++) {
        if (in->groups & (1u << g))
            nwide++;
        else
            nnarrow++;
    }
    /* Pipes and queues draw their messages in a tube: the panel is wider
     * for them. */
    int ow = in->net     ? clampi(bw * 50 / 100, 44 * in->small_adv, bw / 2)
           : in->chans ? clampi(bw * 38 / 100, 36 * in->small_adv, bw / 2)
                       : clampi(bw * 34 / 100, 26 * in->small_adv, bw / 2);
    int col_chars = in->present ? 10 : 14;
    bool obj_right = in->objects > 0 &&
                     bw - ow - u < nwide * col_chars * in->adv + nnarrow * narrow;
    if (in->objects > 0 && !obj_right) {
        out->objects = (SDL_Rect){ u + bw - ow, y, ow, bottom - y };
        bw -= ow + u;
    }
    out->board = (SDL_Rect){ u, y, bw, bottom - y };

    /* The board's columns: a state the run never has gets a narrow column
     * with its letter; the others share the rest. */
    int wide = nwide ? (out->board.w - nnarrow * narrow) / nwide : 0;
    int gx = out->board.x;
    for (int g = 0; g < G_COUNT; g++) {
        int gw = in->groups & (1u << g) ? wide : narrow;
        out->groups[g] = (SDL_Rect){ gx, out->board.y, gw - u / 2, out->board.h };
        out->group_wide[g] = in->groups & (1u << g);
        gx += gw;
    }

    /* Right: what to watch (as tall as the lesson), the tree, the events,
     * the inspector (as tall as the PCB when a task is selected). */
    int rx = left_w, ry = header_h + u, rw = right_w - u;
    int rh = bottom - ry;
    int notes_h = notes_height(in, rw);
    /* Presenting a socket lesson, the network must be seen from the back
     * row: the lesson takes at most half the column and scrolls (its
     * "more: wheel" sign says so). */
    notes_h = clampi(notes_h, line + 4 + 2 * sl,
                     rh * (in->present ? (in->net ? 50 : 80) : 60) / 100);
    /* A student's Python program has no lesson: no empty panel for one. */
    bool notes = !(in->src_lines > 0 && in->nnotes == 0);
    if (!notes)
        notes_h = 0;
    /* Presenting, the tree shows only for a lesson about processes: one
     * that forks and has no shared objects to show instead. */
    bool tree = !in->present || (in->forks && !in->objects);
    int tree_h = tree ? clampi((in->tree_rows + 1) * line + 6, 3 * line, rh * 28 / 100) : 0;
    /* Presenting, the inspector waits for a selection, except a Python
     * run's: its source is the lesson. */
    bool insp = !in->present || in->selected || in->src_lines > 0;
    int insp_h = !insp ? 0 : in->selected ? clampi(line + 4 + in->inspector_lines * sl, 5 * sl, rh * 40 / 100)
                                          : line + 4 + 3 * sl;
    /* A Python run: its source (a heading and a line each) under the PCB,
     * or alone with no task selected. */
    if (insp && in->src_lines > 0)
        insp_h = in->selected
                     ? clampi(line + 4 + in->inspector_lines * sl + sl + in->src_lines * line,
                              5 * sl, rh * 50 / 100)
                     : clampi(line + 4 + 2 * sl + in->src_lines * line, 5 * sl, rh * 45 / 100);
    /* Presenting, the objects (and their wait-for graph) take the tree's
     * place, or share the column with it. */
    int obj_h = obj_right ? clampi(line + 8 + (in->objects + (in->graph ? 12 : 0)) * sl, 3 * line,
                                   rh * (in->net ? 62 : in->chans ? 55 : 42) / 100) : 0;
    if (obj_h && tree)
        tree_h = clampi(tree_h, 3 * line, rh * 18 / 100);
    int gaps = u * ((notes ? 1 : 0) + (tree ? 1 : 0) + (insp ? 1 : 0) + (obj_h ? 1 : 0));
    int events_h = rh - notes_h - tree_h - insp_h - obj_h - gaps;
    /* Not enough room: the tree (down to nothing), the inspector, the
     * objects and last the lesson (down to a few lines) give way so the
     * events keep four; with no room even then, the events go. */
    int *shrink[] = { &tree_h, &insp_h, &obj_h, &notes_h };
    /* Presenting a socket lesson, the lesson and the network stay and the
     * events give way first. */
    int insp_floor = !insp_h ? 0 : in->src_lines > 0 ? clampi(line + 4 + 2 * sl + 4 * line, 0, insp_h)
                                                    : line + 4 + 2 * sl;
    int floor_h[] = { 0, insp_floor, obj_h ? line + 4 + sl : 0,
                      in->present && in->net ? notes_h : notes ? line + 4 + 2 * sl : 0 };
    /* A Python run's source folds what it cannot show (viz/source.c): it
     * gives way before the tree, whose rows are the processes. */
    if (in->src_lines > 0) {
        shrink[0] = &insp_h;
        shrink[1] = &tree_h;
        floor_h[1] = floor_h[0];
        floor_h[0] = insp_floor;
    }
    for (int k = 0; k < 4 && events_h < line + 4 * sl; k++) {
        int give = *shrink[k] - floor_h[k];
        int want = line + 4 * sl - events_h;
        give = give < want ? give : want;
        if (give > 0) {
            *shrink[k] -= give;
            events_h += give;
        }
    }
    /* A tree squeezed below two rows is no use: it goes, and its room
     * goes to the events. */
    if (tree && tree_h < 2 * line + 4) {
        events_h += tree_h + u;
        tree_h = 0;
        tree = false;
    }
    bool events = events_h >= line + 2 * sl;
    if (!events && notes)
        notes_h += events_h + u;
    if (notes) {
        out->notes = (SDL_Rect){ rx, ry, rw, notes_h };
        ry += notes_h + u;
    }
    if (obj_h) {
        out->objects = (SDL_Rect){ rx, ry, rw, obj_h };
        ry += obj_h + u;
    }
    if (tree) {
        out->tree = (SDL_Rect){ rx, ry, rw, tree_h };
        ry += tree_h + u;
    }
    if (events) {
        out->events = (SDL_Rect){ rx, ry, rw, events_h };
        ry += events_h + u;
    }
    if (insp)
        out->inspector = (SDL_Rect){ rx, ry, rw, bottom - ry };

    /* Cards: one per task in view, in its group's column, stacked. A
     * column that overflows shows what fits (the drawing adds "+N more");
     * the foot of each column is kept for that line and for a terminal's
     * box. */
    out->foot_h = 2 * sl + 8;
    layout_cards(s, line, line + sl + u / 2 + 2, in->scroll, out);
    layout_green_cards(s, sl, out);      /* greenlets' lanes make cards taller */
}

void viz_layout(const struct snapshot *s, int w, int h, int line, int lanes, const int *scroll,
                struct layout *out)
{
    struct layout_in in = { .snap = s, .w = w, .h = h, .line = line,
                            .small_line = line * 5 / 6, .adv = line * 52 / 100,
                            .small_adv = line * 43 / 100, .lanes = lanes, .scroll = scroll,
                            .groups = (1u << G_COUNT) - 1, .tree_rows = 4 };
    viz_layout_in(&in, out);
}

int viz_font_px(int w, int h, float k, bool present)
{
    float s = (float)w / (1280.0f * k), t = (float)h / (800.0f * k);
    s = s < t ? s : t;
    s = s < 1.0f ? 1.0f : s > 3.0f ? 3.0f : s;
    /* Presenting enlarges the text where there is room for it (a window
     * smaller than a 1024x700 projector only hides panels). */
    if (present && w >= 1000 * k && h >= 700 * k)
        s *= 1.3f;
    return (int)(15 * k * s + 0.5f);
}
