/*
 * draw.c - one frame of the window, from the run, the snapshot and the UI
 * state. Works on any renderer: the window's, or a software renderer on a
 * surface (screenshots, tests, the benchmark).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "viz.h"

#define INK VIZ_INK
#define MUTED VIZ_MUTED
#define PAPER VIZ_PAPER
#define PANEL VIZ_PANEL
#define RULE VIZ_RULE
#define WHITE VIZ_WHITE
#define ACCENT VIZ_ACCENT
#define HILITE VIZ_HILITE

static bool dark(SDL_Color c)
{
    return text_on(c).r == WHITE.r;
}

/* Set the colour to draw with, blending only when it is translucent: an
 * opaque colour blended still costs a read and a multiply per pixel (the
 * software renderer's blended fill is ~30 times slower than a plain one)
 * and gives the same pixels. */
static void ink(SDL_Renderer *r, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

void viz_fill(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
    ink(r, c);
    SDL_RenderFillRect(r, &rc);
}

void viz_frame(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
    ink(r, c);
    SDL_RenderDrawRect(r, &rc);
}

static int text(struct viz *v, SDL_Renderer *r, enum font_style st, SDL_Color c, int x,
                int y, int max_w, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static int text(struct viz *v, SDL_Renderer *r, enum font_style st, SDL_Color c, int x,
                int y, int max_w, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return font_draw(&v->font, r, st, buf, c, x, y, max_w);
}

static void panel(struct viz *v, SDL_Renderer *r, SDL_Rect rc, const char *title)
{
    viz_fill(r, rc, PANEL);
    viz_frame(r, rc, RULE);
    if (title)
        text(v, r, FONT_BOLD, MUTED, rc.x + 6, rc.y + 2, rc.w - 12, "%s", title);
}


static const char *prog_name(const struct viz *v, int prog)
{
    if (prog < 0)
        return "init";
    if (prog < v->scn->nprograms)
        return v->scn->programs[prog].name;
    return v->scn->handlers[prog - v->scn->nprograms].name;
}

/* A lane's name: a process's comm (python3 in Python mode), a thread's
 * name (Python's Thread.name) or else its program's. */
static const char *lane_name(const struct viz *v, const struct lane *ln)
{
    if (!ln->thread)
        return scenario_comm(v->scn, ln->prog);
    return ln->name[0] ? ln->name : prog_name(v, ln->prog);
}

/* A lane's label, "PID NAME" or " tTID PROGRAM", the name shortened with
 * ".." when the whole does not fit (QueueFeederThread, ProcessPoolWorker). */
static void lane_label(struct viz *v, SDL_Renderer *r, SDL_Color c, int x, int y, int max_w,
                       bool thread, int id, const char *prog)
{
    char buf[160];
    int n = (int)strlen(prog);
    const char *f = thread ? " t%d %.*s%s" : "%d %.*s%s";
    snprintf(buf, sizeof buf, f, id, n, prog, "");
    /* CPython's "Thread-1 (count)": "Thread-1" first, then cut */
    const char *paren = strstr(prog, " (");
    if (paren && paren > prog && font_width(&v->font, FONT_REGULAR, buf) > max_w) {
        n = (int)(paren - prog);
        snprintf(buf, sizeof buf, f, id, n, prog, "");
    }
    while (n > 1 && font_width(&v->font, FONT_REGULAR, buf) > max_w)
        snprintf(buf, sizeof buf, f, id, --n, prog, "..");
    text(v, r, FONT_REGULAR, c, x, y, max_w, "%s", buf);
}

/* ---------------------------------------------------------------- header */

/* The first of `n` variants of a text (longest first) that fits in max_w
 * pixels; the last one when none does. */
static const char *fit(struct viz *v, enum font_style st, int max_w, int n, char (*var)[160])
{
    for (int i = 0; i < n - 1; i++)
        if (font_width(&v->font, st, var[i]) <= max_w)
            return var[i];
    return var[n - 1];
}

/* "PREFIX NAME" in buf, NAME cut with ".." until it fits in max_w pixels
 * (a card's title: the name matters more than anything after it); false
 * when even two letters of it do not fit. */
static bool fit_name(struct viz *v, enum font_style st, int max_w, char *buf, size_t size,
                     const char *prefix, const char *name)
{
    int n = (int)strlen(name);
    snprintf(buf, size, "%s %s", prefix, name);
    /* CPython's "Thread-1 (count)": "Thread-1" first, then cut */
    const char *paren = strstr(name, " (");
    if (paren && paren > name && font_width(&v->font, st, buf) > max_w) {
        n = (int)(paren - name);
        snprintf(buf, size, "%s %.*s", prefix, n, name);
    }
    while (n > 2 && font_width(&v->font, st, buf) > max_w)
        snprintf(buf, size, "%s %.*s..", prefix, --n, name);
    return font_width(&v->font, st, buf) <= max_w;
}

static void draw_header(struct viz *v, SDL_Renderer *r)
{
    const struct layout *l = &v->layout;
    int u = l->unit, line = v->font.line;
    viz_fill(r, l->header, VIZ_HEADER);
    const char *title = v->scn->title ? v->scn->title : v->path;
    /* A title too long for its row wraps at spaces (the layout counted its
     * rows the same way). */
    int per = (l->w - 2 * u) / (v->font.advance > 0 ? v->font.advance : 8);
    if (!l->legend_row)
        per = l->title_per;
    for (int row = 0; *title && row < l->title_rows; row++) {
        int n = wrap_cut(title, per);
        text(v, r, FONT_BOLD, INK, u, u / 2 + row * line, l->w - 2 * u, "%.*s", n, title);
        title += n;
        while (*title == ' ')
            title++;
    }
    const struct config *c = &v->cfg;
    static const char *const ended[] = {
        [MS_RUNNING] = "", [MS_EMPTY] = "the run has ended", [MS_TICK_LIMIT] = "tick limit",
        [MS_STUCK] = "stuck: nothing can run", [MS_DEADLOCK] = "ended by a DEADLOCK",
        [MS_ERROR] = "stopped by an error",
    };
    const char *state = v->tick >= viz_end_tick(v) ? ended[run_status(v->run)]
                      : v->playing ? "playing" : "paused";
    char var[3][160];
    snprintf(var[0], 160, "tick %lld / %lld   %s, %d ticks/s   %s, %d CPU%s%s%s",
             (long long)v->tick, (long long)viz_end_tick(v), state, v->speed,
             c->policy == POLICY_CFS ? "cfs" : c->policy == POLICY_RR ? "rr" : "fifo",
             c->cpus, c->cpus == 1 ? "" : "s", c->preempt ? "" : ", preempt off",
             c->gil ? ", GIL on" : "");
    snprintf(var[1], 160, "tick %lld / %lld  %s  %s, %d CPU%s", (long long)v->tick,
             (long long)viz_end_tick(v), state,
             c->policy == POLICY_CFS ? "cfs" : c->policy == POLICY_RR ? "rr" : "fifo", c->cpus,
             c->gil ? ", GIL" : "");
    snprintf(var[2], 160, "tick %lld / %lld  %s", (long long)v->tick, (long long)viz_end_tick(v),
             state);
    int ty = u / 2 + line * (l->title_rows + l->legend_row);
    font_draw(&v->font, r, FONT_REGULAR, fit(v, FONT_REGULAR, l->w - 2 * u, 3, var),
              v->tick >= viz_end_tick(v) ? ACCENT : INK, u, ty, l->w - 2 * u);
    /* The legend, right-aligned on the title's row or on a row of its own. */
    static const struct { char st; bool run; const char *name; } keys[] = {
        { 'R', true, "running" }, { 'R', false, "runnable" }, { 'S', false, "sleeping S" },
        { 'D', false, "disk D" }, { 'T', false, "stopped T" }, { 'Z', false, "zombie Z" },
    };
    int x = l->w - u, ly = u / 2 + line * l->title_rows * l->legend_row +
                             (line - v->font.small_line) / 2;
    for (int i = 5; i >= 0; i--) {
        int w = font_width(&v->font, FONT_SMALL, keys[i].name);
        x -= w + line + line / 2;
        SDL_Rect sw = { x, ly + 2, line - 4, v->font.small_line - 4 };
        viz_fill(r, sw, state_colour(keys[i].st, keys[i].run));
        font_draw(&v->font, r, FONT_SMALL, keys[i].name, INK, x + line, ly, 0);
    }
}

/* The bottom bar: an error (wrapped, in red), or a status message, or the
 * keys to remember; the signals sent from the window on the right. */
static void draw_bar(struct viz *v, SDL_Renderer *r)
{
    const SDL_Rect *a = &v->layout.bar;
    int sl = v->font.small_line, y = a->y + 3;
    if (v->error[0]) {
        viz_fill(r, *a, ACCENT);
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", v->error);
        int per = (a->w - 20) / (v->font.small_advance > 0 ? v->font.small_advance : 8);
        per = per > 10 ? per : 10;
        for (char *ln = strtok(buf, "\n"); ln; ln = strtok(NULL, "\n")) {
            /* Cut long lines at the width, not at spaces: a caret line
             * must stay under its source line. */
            for (size_t off = 0, len = strlen(ln); off < len || off == 0; off += (size_t)per) {
                char part[256];
                snprintf(part, sizeof part, "%.*s", per < 255 ? per : 255, ln + off);
                if (y + sl <= a->y + a->h)
                    font_draw(&v->font, r, FONT_SMALL, part, WHITE, 10, y, 0);
                y += sl;
                if (len == 0)
                    break;
            }
        }
        return;
    }
    bool status = v->status[0] && v->now < v->status_until;
    viz_fill(r, *a, status ? VIZ_STATUS : VIZ_HEADER);
    char sent[512] = "";
    if (v->nadded) {
        snprintf(sent, sizeof sent, "sent:");
        for (int i = 0; i < v->nadded && strlen(sent) < sizeof sent - 80; i++) {
            char one[64];
            outside_format(&v->added[i], one, sizeof one);
            snprintf(sent + strlen(sent), sizeof sent - strlen(sent), "%s %s", i ? ";" : "", one);
        }
        snprintf(sent + strlen(sent), sizeof sent - strlen(sent), "  (U undo, W write)");
    }
    char var[2][160];
    snprintf(var[0], 160, "%.159s", sent);
    snprintf(var[1], 160, "sent: %d signal%s (U undo, W write)", v->nadded, v->nadded == 1 ? "" : "s");
    const char *right = v->nadded ? fit(v, FONT_SMALL, a->w / 2, 2, var) : "";
    int rw = *right ? font_width(&v->font, FONT_SMALL, right) : 0;
    if (rw)
        font_draw(&v->font, r, FONT_SMALL, right, status ? WHITE : ACCENT, a->w - 10 - rw, y, 0);
    char left[3][160];
    if (status) {
        snprintf(left[0], 160, "%.159s", v->status);
    } else {
        snprintf(left[0], 160, "F1 or ?: keys   F5: presentation mode%s   Space: play   "
                 "arrows: step", v->present ? " (on)" : "");
    }
    snprintf(left[1], 160, "%.159s", status ? v->status : "F1 or ?: keys   F5: present");
    snprintf(left[2], 160, "%.159s", status ? v->status : "F1: keys");
    int lw = a->w - 30 - rw;
    const char *msg = fit(v, FONT_SMALL, lw, 3, left);
    font_draw(&v->font, r, FONT_SMALL, msg, status ? WHITE : MUTED, 10, y, lw);
}

/* ------------------------------------------------------------ timelines */

static void draw_cursor(struct viz *v, SDL_Renderer *r, const SDL_Rect *area, int64_t t0,
                        double px)
{
    int x = area->x + v->layout.label_w + (int)((double)(v->tick - t0) * px);
    int w = (int)px > 2 ? (int)px : 2;
    if (x + w > area->x + area->w)          /* the end tick: keep inside the lanes */
        w = area->x + area->w - x;
    /* A frame around the tick's column, not a tint over it: a tint would
     * mix with the state colours into colours that mean nothing. */
    if (w > 0)                   /* as thick as the text is large: visible at 4K */
        for (int k = 1; k <= (v->font.line / 9 > 2 ? v->font.line / 9 : 2); k++)
            viz_frame(r, (SDL_Rect){ x - k, area->y, w + 2 * k, area->h }, ACCENT);
    /* Signals sent from the window: a red triangle on the axis at their tick. */
    for (int i = 0; i < v->nadded; i++) {
        int ax = area->x + v->layout.label_w + (int)((double)(v->added[i].at - t0) * px);
        if (ax < area->x + v->layout.label_w || ax > area->x + area->w)
            continue;
        for (int d = 0; d < 6; d++)
            SDL_RenderDrawLine(r, ax - 6 + d, area->y + d, ax + 6 - d, area->y + d);
    }
}

static void draw_axis(struct viz *v, SDL_Renderer *r, const SDL_Rect *area, int64_t t0,
                      double px)
{
    int lane_w = area->w - v->layout.label_w;
    int64_t step = 5;
    while (step * px < font_width(&v->font, FONT_SMALL, "00000") + 8)
        step *= 2;
    for (int64_t t = (t0 + step - 1) / step * step; (t - t0) * px < lane_w; t += step) {
        int x = area->x + v->layout.label_w + (int)((double)(t - t0) * px);
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)t);
        if (x + 2 + font_width(&v->font, FONT_SMALL, num) <= area->x + area->w)
            font_draw(&v->font, r, FONT_SMALL, num, MUTED, x + 2, area->y + 1, 0);
        ink(r, RULE);
        SDL_RenderDrawLine(r, x, area->y, x, area->y + area->h - 1);
    }
}

static void draw_cpu_lanes(struct viz *v, SDL_Renderer *r)
{
    const struct layout *l = &v->layout;
    const SDL_Rect *a = &l->cpu_lanes;
    const struct trace *tr = run_trace(v->run);
    int64_t t0, end = viz_end_tick(v);
    double px;
    viz_timeline_span(v, a, &t0, &px);
    panel(v, r, *a, NULL);
    text(v, r, FONT_BOLD, MUTED, a->x + 4, a->y + 1, l->label_w, "CPUs");
    draw_axis(v, r, a, t0, px);
    int lane_w = a->w - l->label_w;
    for (int c = 0; c < v->cfg.cpus; c++) {
        int y = a->y + v->font.line + c * l->lane_h;
        text(v, r, FONT_REGULAR, INK, a->x + 4, y + 1, l->label_w - 8, "cpu%d", c);
        /* Blocks of consecutive ticks on the same task, its pid written in
         * those wide enough to hold it. */
        for (int64_t t = t0; t < end && (t - t0) * px < lane_w;) {
            int tid = trace_cpu_at(tr, t, c);
            int64_t u = t + 1;
            while (u < end && (u - t0) * px < lane_w && trace_cpu_at(tr, u, c) == tid)
                u++;
            if (tid) {
                SDL_Color col = pid_colour(tid);
                SDL_Rect b = { a->x + l->label_w + (int)((double)(t - t0) * px), y + 1,
                               (int)((double)(u - t) * px) - 1, l->lane_h - 2 };
                if (b.x + b.w > a->x + a->w)
                    b.w = a->x + a->w - b.x;
                viz_fill(r, b, col);
                viz_frame(r, b, VIZ_CARD_EDGE);      /* a pale tint needs an edge */
                char num[16];
                snprintf(num, sizeof num, "%d", tid);
                if (font_width(&v->font, FONT_SMALL, num) + 4 <= b.w)
                    font_draw(&v->font, r, FONT_SMALL, num, INK, b.x + 2, b.y + 1, b.w - 2);
            }
            t = u;
        }
    }
    draw_cursor(v, r, a, t0, px);
}

static void draw_proc_lanes(struct viz *v, SDL_Renderer *r)
{
    const struct layout *l = &v->layout;
    const SDL_Rect *a = &l->proc_lanes;
    const struct trace *tr = run_trace(v->run);
    int64_t t0, end = viz_end_tick(v);
    double px;
    viz_timeline_span(v, a, &t0, &px);
    panel(v, r, *a, NULL);
    text(v, r, FONT_BOLD, MUTED, a->x + 4, a->y + 1, l->label_w, "processes");
    draw_axis(v, r, a, t0, px);
    int rows = (a->h - v->font.line) / l->lane_h;
    int lane_w = a->w - l->label_w;
    if (rows > LAYOUT_MAX_CARDS)
        rows = LAYOUT_MAX_CARDS;
    int64_t t1 = t0 + (int64_t)(lane_w / px);
    int total = lanes_in_view(v, t0, t1, 0, NULL, 0);
    if (total > rows && rows > 1)
        rows--;                    /* the last row says which lanes these are */
    if (v->lanes_scroll > total - rows)
        v->lanes_scroll = total > rows ? total - rows : 0;
    int first = v->lanes_scroll;
    v->nlane_rows = lanes_in_view(v, t0, t1, first, v->lane_rows, rows) - first;
    if (v->nlane_rows > rows)
        v->nlane_rows = rows;
    for (int i = 0; i < v->nlane_rows; i++) {
        const struct lane *ln = &v->lanes[v->lane_rows[i]];
        int y = a->y + v->font.line + i * l->lane_h;
        /* A task gone by this tick keeps its row, its name greyed. */
        const struct snap_task *t = viz_task(v, ln->tid);
        bool here = t && v->tick >= ln->from && (ln->to < 0 || v->tick < ln->to);
        SDL_Color lc = ln->tid == v->selected_tid && here ? ACCENT : here ? INK : MUTED;
        if (!ln->thread)
            lane_label(v, r, lc, a->x + 4, y + 1, l->label_w - 8, false, ln->pid,
                       here ? t->comm : lane_name(v, ln));
        else
            lane_label(v, r, lc, a->x + 4, y + 1, l->label_w - 8, true, ln->tid,
                       lane_name(v, ln));
        int64_t k0 = ln->from > t0 ? ln->from : t0;
        for (int64_t k = k0; k < end && (k - t0) * px < lane_w && (ln->to < 0 || k < ln->to); k++) {
            char st = viz_state_at(v, ln->tid, k);
            if (!st)
                continue;
            bool running = false;
            for (int c = 0; c < tr->ncpus && st == 'R'; c++)
                running |= trace_cpu_at(tr, k, c) == ln->tid;
            SDL_Rect b = { a->x + l->label_w + (int)((double)(k - t0) * px), y + 2,
                           (int)px + 1, l->lane_h - 4 };
            if (b.x + b.w > a->x + a->w)
                b.w = a->x + a->w - b.x;
            viz_fill(r, b, state_colour(st, running));
        }
    }
    if (total > rows)
        text(v, r, FONT_SMALL, MUTED, a->x + 4, a->y + a->h - v->font.small_line, 0,
             "rows %d-%d of %d (wheel)", first + 1, first + v->nlane_rows, total);
    draw_cursor(v, r, a, t0, px);
}

/* ---------------------------------------------------------------- board */

static const char *const group_names[G_COUNT] = {
    "running", "run queue", "sleeping (S)", "disk I/O (D)", "stopped (T)", "zombie (Z)",
};

/* In the terminal's foreground process group: its keys reach it, and ps
 * marks it '+' (cmd_ps.c). */
static bool is_foreground(const struct viz *v, const struct snap_task *t)
{
    return v->snap.fg_pgid && t->pgid == v->snap.fg_pgid;
}

/* The second line of a card: what matters about the task in its group. */
static void card_detail(const struct viz *v, const struct snap_task *t, char *buf, size_t n)
{
    switch (group_of(t)) {
    case G_RUNNING:
        snprintf(buf, n, "cpu%d  ran %d", t->cpu, t->ran);
        break;
    case G_QUEUE:
        if (v->cfg.policy == POLICY_CFS)
            snprintf(buf, n, "#%d vr %.1f", t->rq_pos + 1, (double)t->vruntime / VR_UNIT);
        else
            snprintf(buf, n, "#%d slice %d", t->rq_pos + 1, t->slice);
        break;
    case G_SLEEPING:
        if (t->gil_since >= 0)
            snprintf(buf, n, "gil %lld/%d", (long long)(v->tick - t->gil_since),
                     v->cfg.switch_interval);
        else if (t->wake_at >= 0)
            snprintf(buf, n, "%s, %lld left", t->wchan, (long long)(t->wake_at - v->tick));
        else
            snprintf(buf, n, "%s", t->wchan);
        break;
    case G_DISK:
        snprintf(buf, n, "disk, %lld left", (long long)(t->wake_at - v->tick));
        break;
    case G_ZOMBIE:
        snprintf(buf, n, "status %d", t->exit_status);
        break;
    default:
        snprintf(buf, n, "stopped");
        break;
    }
}

static void draw_card(struct viz *v, SDL_Renderer *r, const struct snap_task *t, SDL_Rect rc,
                      float alpha)
{
    SDL_Color bg = state_colour(t->state, t->cpu >= 0);
    bg.a = (Uint8)(255 * alpha);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    viz_fill(r, rc, bg);
    SDL_Color fg = dark(bg) ? WHITE : INK;
    bool mark = t->tid == v->selected_tid || viz_in_cycle(v, t->tid);
    viz_frame(r, rc, mark ? ACCENT : VIZ_CARD_EDGE);
    if (mark)
        viz_frame(r, (SDL_Rect){ rc.x + 1, rc.y + 1, rc.w - 2, rc.h - 2 }, ACCENT);
    int pad = 4;
    /* The threads of one process share a stripe in the process's colour,
     * so they read as a group wherever their states put them. */
    if (t->nthreads > 1) {
        SDL_Color pc = pid_colour(t->pid);
        pc.a = bg.a;
        viz_fill(r, (SDL_Rect){ rc.x + 1, rc.y + 1, 5, rc.h - 2 }, pc);
        pad = 9;
    }
    int tw = rc.w - pad - 4;
    char var[3][160], id[16];
    /* The title: "3 python3 +", "t5 Thread-1 (worker), pid 3"; when narrow,
     * what follows the name goes first, then the name is cut ("t5
     * Thread-1 (w.."), and only then the bare number is left. */
    if (t->main_thread) {
        /* '+': in the terminal's foreground group, as ps STAT marks it. */
        bool plus = is_foreground(v, t);
        snprintf(var[0], 160, "%d %s%s", t->pid, t->comm, plus ? " +" : "");
        snprintf(id, sizeof id, "%d", t->pid);
        if (!fit_name(v, FONT_BOLD, tw, var[1], 160, id, t->comm))
            snprintf(var[1], 160, "%d%s", t->pid, plus ? "+" : "");
        font_draw(&v->font, r, FONT_BOLD, fit(v, FONT_BOLD, tw, 2, var), fg, rc.x + pad, rc.y + 2, tw);
    } else {
        snprintf(var[0], 160, "t%d %s, pid %d", t->tid, snap_task_name(v->scn, t), t->pid);
        snprintf(id, sizeof id, "t%d", t->tid);
        if (!fit_name(v, FONT_BOLD, tw, var[1], 160, id, snap_task_name(v->scn, t)))
            snprintf(var[1], 160, "t%d", t->tid);
        font_draw(&v->font, r, FONT_BOLD, fit(v, FONT_BOLD, tw, 2, var), fg, rc.x + pad, rc.y + 2, tw);
    }
    char detail[64];
    card_detail(v, t, detail, sizeof detail);
    if (t->holds_gil && v->cfg.gil)
        strncat(detail, " GIL", sizeof detail - strlen(detail) - 1);
    snprintf(var[1], 160, "%s%s", detail, t->pending ? " sig!" : "");
    snprintf(var[0], 160, "%s", var[1]);
    if (t->main_thread && t->nthreads > 1)
        snprintf(var[0], 160, "%s, %d threads%s", detail, t->nthreads, t->pending ? " sig!" : "");
    /* Narrow: drop words from the end rather than cut one in half. */
    snprintf(var[2], 160, "%s", var[1]);
    while (font_width(&v->font, FONT_SMALL, var[2]) > tw && strchr(var[2], ' '))
        *strrchr(var[2], ' ') = '\0';
    const char *d = fit(v, FONT_SMALL, tw, 3, var);
    if (font_width(&v->font, FONT_SMALL, d) <= tw)  /* too narrow even for a word: hover says it */
        font_draw(&v->font, r, FONT_SMALL, d, fg, rc.x + pad, rc.y + 2 + v->font.line, tw);
    draw_green_lanes(v, r, t, rc, pad, alpha);       /* its greenlets (greens.c) */
}

static void draw_board(struct viz *v, SDL_Renderer *r)
{
    const struct layout *l = &v->layout;
    int count[G_COUNT] = { 0 }, shown[G_COUNT] = { 0 };
    for (int i = 0; i < v->snap.ntasks; i++)
        count[group_of(&v->snap.tasks[i])]++;
    for (int i = 0; i < l->ncards; i++)
        shown[l->cards[i].group]++;
    static const char *const letters[G_COUNT] = { "R", "Q", "S", "D", "T", "Z" };
    static const char *const shorter[G_COUNT] = { "running", "queue", "sleeping", "disk",
                                                  "stopped", "zombie" };
    for (int g = 0; g < G_COUNT; g++) {
        SDL_Rect rc = l->groups[g];
        viz_fill(r, rc, VIZ_BOARD);
        viz_frame(r, rc, RULE);
        char var[3][160];
        snprintf(var[0], 160, "%s %d", group_names[g], count[g]);
        snprintf(var[1], 160, "%s %d", shorter[g], count[g]);
        snprintf(var[2], 160, "%s %d", letters[g], count[g]);
        /* A state the run never has: its letter only (the legend says it). */
        const char *head = l->group_wide[g] ? fit(v, FONT_BOLD, rc.w - 8, 3, var) : var[2];
        font_draw(&v->font, r, FONT_BOLD, head, l->group_wide[g] ? INK : MUTED, rc.x + 4, rc.y + 2,
                  rc.w - 8);
        int above = count[g] ? (v->board_scroll[g] < count[g] ? v->board_scroll[g] : count[g] - 1) : 0;
        int below = count[g] - shown[g] - above;
        if (above > 0 || below > 0) {
            snprintf(var[0], 160, above ? "%d above, %d below" : "+%d more (wheel)",
                     above ? above : below, below);
            snprintf(var[1], 160, above ? "%d up, %d down" : "+%d more", above ? above : below, below);
            snprintf(var[2], 160, "+%d", above + below);
            font_draw(&v->font, r, FONT_SMALL, fit(v, FONT_SMALL, rc.w - 8, 3, var), MUTED,
                      rc.x + 4, rc.y + rc.h - l->foot_h + 2, rc.w - 8);
        }
    }
}

/* The cards, where their glides have got to. */
static void draw_cards(struct viz *v, SDL_Renderer *r)
{
    for (int k = 0; k < v->nanims; k++) {
        const struct anim *a = &v->anims[k];
        float t = viz_anim_progress(v, a);
        SDL_Rect rc = { a->from.x + (int)((float)(a->to.x - a->from.x) * t),
                        a->from.y + (int)((float)(a->to.y - a->from.y) * t),
                        a->to.w, a->to.h };
        float alpha = a->alpha_from + (a->alpha_to - a->alpha_from) * t;
        const struct snap_task *st = viz_task(v, a->tid);
        if (st && !a->fading) {
            draw_card(v, r, st, rc, alpha < 0.15f ? 0.15f : alpha);
        } else if (alpha > 0.02f) {
            /* Fading out: a reaped zombie says so; a card that only left
             * the view (its column overflowed, or was scrolled) fades
             * without text. */
            SDL_Color z = st ? state_colour(st->state, st->cpu >= 0) : state_colour('Z', false);
            z.a = (Uint8)(255 * alpha);
            SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
            viz_fill(r, rc, z);
            if (!st)
                text(v, r, FONT_SMALL, WHITE, rc.x + 4, rc.y + 2, rc.w - 8, "%d reaped", a->tid);
        }
    }
}

/* ---------------------------------------------- arrows: signals, locks */

static void arrow(SDL_Renderer *r, int x1, int y1, int x2, int y2, SDL_Color c)
{
    ink(r, c);
    for (int d = -1; d <= 1; d++) {
        SDL_RenderDrawLine(r, x1 + d, y1, x2 + d, y2);
        SDL_RenderDrawLine(r, x1, y1 + d, x2, y2 + d);
    }
    double dx = x2 - x1, dy = y2 - y1, len = SDL_sqrt(dx * dx + dy * dy);
    if (len < 1)
        return;
    dx /= len;
    dy /= len;
    int hx = x2 - (int)(dx * 12), hy = y2 - (int)(dy * 12);
    SDL_RenderDrawLine(r, x2, y2, hx + (int)(dy * 7), hy - (int)(dx * 7));
    SDL_RenderDrawLine(r, x2, y2, hx - (int)(dy * 7), hy + (int)(dx * 7));
}

static void centre(const SDL_Rect *rc, int *x, int *y)
{
    *x = rc->x + rc->w / 2;
    *y = rc->y + rc->h / 2;
}

/* A free place for a label of w x h pixels along the line (x1,y1)-(x2,y2):
 * inside the board, over no card and no label placed before. */
bool viz_label_spot(const struct layout *l, int x1, int y1, int x2, int y2, int w, int h,
                    const SDL_Rect *taken, int ntaken, SDL_Rect *out)
{
    /* Along the arrow; else under the last card of the receiver's column,
     * or of the sender's (an arrow between cards of one column crosses
     * only cards). */
    static const float at[] = { 0.5f, 0.35f, 0.65f, 0.2f, 0.8f, 0.1f, 0.9f };
    int n = (int)(sizeof at / sizeof at[0]);
    for (int i = 0; i < n + 2; i++) {
        SDL_Rect rc;
        if (i < n) {
            rc = (SDL_Rect){ x1 + (int)((float)(x2 - x1) * at[i]) + 4,
                             y1 + (int)((float)(y2 - y1) * at[i]) - h / 2, w, h };
        } else {
            int x = i == n ? x2 : x1, low = 0;
            for (int g = 0; g < G_COUNT; g++)
                if (x >= l->groups[g].x && x < l->groups[g].x + l->groups[g].w)
                    x = l->groups[g].x + 4;
            for (int c = 0; c < l->ncards; c++)
                if (l->cards[c].r.x + 4 == x && l->cards[c].r.y + l->cards[c].r.h > low)
                    low = l->cards[c].r.y + l->cards[c].r.h;
            rc = (SDL_Rect){ x, low + 3, w, h };
        }
        bool ok = rc.x >= l->board.x && rc.y >= l->board.y &&
                  rc.x + rc.w <= l->board.x + l->board.w &&
                  rc.y + rc.h <= l->board.y + l->board.h - l->foot_h;
        for (int c = 0; ok && c < l->ncards; c++)
            ok = !SDL_HasIntersection(&rc, &l->cards[c].r);
        for (int k = 0; ok && k < ntaken; k++)
            ok = !SDL_HasIntersection(&rc, &taken[k]);
        if (ok) {
            *out = rc;
            return true;
        }
    }
    return false;
}

/* Who sent a signal that has no sender's card, in the trace's words
 * (event_format): "terminal" only for the terminal's keys (Ctrl-C, Ctrl-Z,
 * Ctrl-\), "kernel" for what the kernel sends itself (an orphaned group's
 * SIGHUP and SIGCONT, SIGTTOU), else "kill command", "fg command" or
 * "bg command" for the scenario's outside lines. */
static const char *outside_sender(const struct viz *v, const struct event *e, char *buf,
                                  size_t n)
{
    if (e->reason == SEND_KERNEL)
        return "kernel";
    char line[256];
    event_format(run_trace(v->run), v->scn, e, line, sizeof line);
    const char *sends = strstr(line, " sends ");
    if (!sends)
        return "kill command";
    snprintf(buf, n, "%.*s", (int)(sends - line), line);
    return buf;
}

/* This tick's signals, from the sender's card (or from a box naming the
 * sender, the terminal, the kernel or a command, at the foot of the
 * receiver's column) to the receiver's, labelled where the label covers
 * nothing. Waits for locks are drawn as a graph in the
 * objects panel (objects.c), not as arrows over the board. */
static void draw_arrows(struct viz *v, SDL_Renderer *r)
{
    const struct layout *l = &v->layout;
    const struct trace *tr = run_trace(v->run);
    size_t first, n = trace_events_at(tr, v->tick, &first);
    SDL_Rect taken[32];
    int ntaken = 0;
    for (size_t k = 0; k < n; k++) {
        const struct event *e = &tr->ev[first + k];
        if (e->kind != EV_SIG_SEND || e->b <= 0)
            continue;
        const struct card *to = layout_card(l, (int)e->b);
        const struct card *from = e->pid ? layout_card(l, e->pid) : NULL;
        if (!to)
            continue;
        const char *sig = signal_name((int)e->a) ? signal_name((int)e->a) : "signal";
        SDL_Rect col = l->groups[to->group];
        int x1, y1, x2, y2;
        centre(&to->r, &x2, &y2);
        y2 = to->r.y + to->r.h;              /* arrive at the card's bottom edge */
        if (from) {
            centre(&from->r, &x1, &y1);
            arrow(r, x1, y1, x2, y2, ACCENT);
            int lw = font_width(&v->font, FONT_SMALL, sig) + 8, lh = v->font.small_line + 2;
            SDL_Rect spot;
            if (ntaken < 32 && viz_label_spot(l, x1, y1, x2, y2, lw, lh, taken, ntaken, &spot)) {
                taken[ntaken++] = spot;
                viz_fill(r, spot, PANEL);
                font_draw(&v->font, r, FONT_SMALL, sig, ACCENT, spot.x + 4, spot.y + 1, 0);
            }
            continue;
        }
        /* From the terminal (Ctrl-C, Ctrl-Z), the kernel or an outside
         * command: a box in the foot of the receiver's column, naming the
         * sender and the signal. Only the terminal's keys get the terminal's
         * colour. */
        char who[64];
        const char *sender = outside_sender(v, e, who, sizeof who);
        const char *bare = sig + (strncmp(sig, "SIG", 3) ? 0 : 3);
        bool terminal = strcmp(sender, "terminal") == 0;
        char var[4][160];
        snprintf(var[0], 160, "%s: %s", sender, sig);
        snprintf(var[1], 160, "%s: %s", sender, bare);
        snprintf(var[2], 160, "%s", sig);
        snprintf(var[3], 160, "%s", bare);
        const char *label = fit(v, FONT_SMALL, col.w - 14, 4, var);
        int tw = font_width(&v->font, FONT_SMALL, label) + 10;
        SDL_Rect term = { col.x + (col.w - tw) / 2, col.y + col.h - v->font.small_line - 6, tw,
                          v->font.small_line + 4 };
        for (int t = 0; t < ntaken; t++)     /* two signals into one column */
            if (SDL_HasIntersection(&term, &taken[t]))
                term.y = taken[t].y - term.h - 2;
        if (ntaken < 32)
            taken[ntaken++] = term;
        viz_fill(r, term, terminal ? VIZ_ALARM : PANEL);
        viz_frame(r, term, ACCENT);
        font_draw(&v->font, r, FONT_SMALL, label, ACCENT, term.x + 5, term.y + 2, 0);
        arrow(r, term.x + term.w / 2, term.y, x2, y2, ACCENT);
    }
    /* Messages into and out of pipes and queues, EOF, SIGPIPE... */
    draw_flows(v, r, taken, &ntaken, 32);
    draw_pool_flows(v, r, taken, &ntaken, 32);
}

/* ------------------------------------------------------------ right side */

static int wrap(struct viz *v, SDL_Renderer *r, const char *s, int x, int y, int w, int miny,
                int maxy, SDL_Color c)
{
    int cw = v->font.small_advance;
    int per = cw > 0 ? w / cw : 40;
    if (per < 10)
        per = 10;
    while (*s && y + v->font.small_line <= maxy) {
        int n = wrap_cut(s, per);
        char buf[256];
        snprintf(buf, sizeof buf, "%.*s", n < 255 ? n : 255, s);
        if (r && y >= miny)
            font_draw(&v->font, r, FONT_SMALL, buf, c, x, y, w);
        y += v->font.small_line;
        s += n;
        while (*s == ' ')
            s++;
    }
    return y;
}

static void draw_notes(struct viz *v, SDL_Renderer *r)
{
    const SDL_Rect *a = &v->layout.notes;
    panel(v, r, *a, "what to watch");
    int y = a->y + v->font.line + 2;
    int ln = v->font.small_line;
    int rows = (a->h - v->font.line - 2) / ln;
    /* Count the wrapped lines first (drawing below maxy draws nothing) to
     * clamp the scroll and say when there is more. */
    char buf[4096];
    const char *para[64];
    int np = note_paragraphs(v->scn, buf, sizeof buf, para, 64);
    int total = 0;
    for (int i = 0; i < np; i++)
        total += wrap(v, NULL, para[i], 0, 0, a->w - 12, 0, 1 << 30, INK) / ln;
    if (v->notes_scroll > total - rows)
        v->notes_scroll = total > rows ? total - rows : 0;
    y -= v->notes_scroll * ln;
    for (int i = 0; i < np; i++)
        y = wrap(v, r, para[i], a->x + 6, y, a->w - 12, a->y + v->font.line + 2, a->y + a->h,
                 INK);
    if (total > rows)
        font_draw(&v->font, r, FONT_SMALL, v->notes_scroll + rows < total ? "more: wheel" : "top: wheel",
                  MUTED, a->x + a->w - 6 - font_width(&v->font, FONT_SMALL, "more: wheel"),
                  a->y + 2, 0);
}

/* The parent a process was just adopted from, or 0: a reparent event at
 * this tick or the last whose new parent the snapshot already shows (an
 * exit at the end of tick T shows its orphans adopted from T + 1). */
static int adopted_from(const struct viz *v, const struct snap_task *t)
{
    const struct trace *tr = run_trace(v->run);
    for (int64_t tick = v->tick; tick >= v->tick - 1 && tick >= 0; tick--) {
        size_t first, n = trace_events_at(tr, tick, &first);
        for (size_t k = 0; k < n; k++) {
            const struct event *e = &tr->ev[first + k];
            if (e->kind == EV_REPARENT && e->pid == t->pid && e->b == t->ppid)
                return (int)e->a;
        }
    }
    return 0;
}

/* One row per process, children under their parent, each row's marker
 * position remembered for the edges (and the next frame's swings). */
static void tree_rows(struct viz *v, SDL_Renderer *r, int pid, int depth, int *y, int maxy)
{
    const SDL_Rect *a = &v->layout.tree;
    const struct snap_task *t = snapshot_find(&v->snap, pid);
    if (!t || *y + v->font.line > maxy)
        return;
    SDL_Color sc = state_colour(t->state, t->cpu >= 0);
    int x = a->x + 6 + depth * v->font.line, m = v->font.line - 6;
    viz_fill(r, (SDL_Rect){ x, *y + 3, m, m }, sc);
    viz_frame(r, (SDL_Rect){ x, *y + 3, m, m }, RULE);
    if (v->ntree_rows < VIZ_TREE_ROWS)
        v->tree_rows[v->ntree_rows++] = (struct tree_row){ pid, x, *y + 3 };
    int from = adopted_from(v, t);
    int w = text(v, r, FONT_REGULAR, t->tid == v->selected_tid ? ACCENT : INK, x + v->font.line,
                 *y, a->x + a->w - x - v->font.line - 4, "%s(%d) %c%s%s", t->comm, pid, t->state,
                 is_foreground(v, t) ? "+" : "", t->subreaper ? " subreaper" : "");
    if (from)
        text(v, r, FONT_SMALL, ACCENT, x + v->font.line + w + 6, *y + 2,
             a->x + a->w - (x + v->font.line + w + 6) - 4, "adopted (parent %d gone)", from);
    *y += v->font.line;
    /* Children in pid order, until the panel is full. */
    if (pid < v->index_n) {
        for (int c = v->first_child[pid]; c && *y + v->font.line <= maxy; c = v->next_sibling[c])
            tree_rows(v, r, c, depth + 1, y, maxy);
        return;
    }
    for (int i = 0; i < v->snap.ntasks; i++)
        if (v->snap.tasks[i].main_thread && v->snap.tasks[i].ppid == pid &&
            v->snap.tasks[i].pid != pid)
            tree_rows(v, r, v->snap.tasks[i].pid, depth + 1, y, maxy);
}

static const struct tree_row *tree_row_of(const struct viz *v, int pid)
{
    for (int i = 0; i < v->ntree_rows; i++)
        if (v->tree_rows[i].pid == pid)
            return &v->tree_rows[i];
    return NULL;
}

/* Parent-child edges: down from the parent's marker, across to the
 * child's. A just-reparented child's edge swings, as a straight red line,
 * from where its old parent was to its new parent. */
static void tree_edges(struct viz *v, SDL_Renderer *r)
{
    int m = v->font.line - 6;
    for (int i = 0; i < v->ntree_rows; i++) {
        const struct tree_row *c = &v->tree_rows[i];
        const struct snap_task *t = snapshot_find(&v->snap, c->pid);
        const struct tree_row *p = t ? tree_row_of(v, t->ppid) : NULL;
        if (!p || p == c)
            continue;
        int px = p->x + m / 2, py = p->y + m, cy = c->y + m / 2;
        const struct tree_swing *sw = NULL;
        for (int k = 0; k < v->nswings; k++)
            if (v->swings[k].pid == c->pid)
                sw = &v->swings[k];
        float f = 1.0f;
        if (sw && v->animate) {
            f = (float)(v->now - sw->start) / SWING_MS;
            f = f < 0 ? 0 : f > 1 ? 1 : 1 - (1 - f) * (1 - f);
        }
        if (sw && f < 1.0f) {
            int ax = sw->from_x + m / 2 + (int)((float)(px - sw->from_x - m / 2) * f);
            int ay = sw->from_y + m + (int)((float)(py - sw->from_y - m) * f);
            ink(r, ACCENT);
            for (int d = 0; d < 2; d++)
                SDL_RenderDrawLine(r, ax + d, ay, c->x + d, cy);
            continue;
        }
        viz_fill(r, (SDL_Rect){ px, py, 1, cy - py }, MUTED);
        viz_fill(r, (SDL_Rect){ px, cy, c->x - px - 1, 1 }, MUTED);
    }
}

static void draw_tree(struct viz *v, SDL_Renderer *r)
{
    const SDL_Rect *a = &v->layout.tree;
    panel(v, r, *a, "process tree");
    int y = a->y + v->font.line + 2;
    int maxy = a->y + a->h - 2;
    v->ntree_rows = 0;
    tree_rows(v, r, 1, 0, &y, maxy);
    tree_edges(v, r);
    int procs = 0;
    for (int i = 0; i < v->snap.ntasks; i++)
        procs += v->snap.tasks[i].main_thread;
    if (procs > v->ntree_rows) {
        char more[48];
        snprintf(more, sizeof more, "%d of %d shown", v->ntree_rows, procs);
        font_draw(&v->font, r, FONT_SMALL, more, MUTED,
                  a->x + a->w - 6 - font_width(&v->font, FONT_SMALL, more), a->y + 2, 0);
    }
}

static SDL_Color event_colour(const struct viz *v, const struct event *e)
{
    if (e->kind == EV_ERROR || e->kind == EV_DEADLOCK || e->kind == EV_LOST_UPDATE ||
        (e->kind == EV_PRINT && e->reason == PRINT_STDERR))     /* a traceback */
        return ACCENT;
    if (e->kind == EV_PRINT)
        return VIZ_PRINT;
    return e->tick == v->tick ? INK : MUTED;
}

static void draw_events(struct viz *v, SDL_Renderer *r)
{
    const SDL_Rect *a = &v->layout.events;
    const struct trace *tr = run_trace(v->run);
    panel(v, r, *a, "events (wheel scrolls back)");
    /* A log: the last events up to this tick, oldest at the top, so the
     * current tick's events read in the order they happened. Long events
     * wrap under their text, so a deadlock's whole cycle can be read. */
    size_t first;
    trace_events_at(tr, v->tick + 1, &first);
    int top = a->y + v->font.line + 2, bottom = a->y + a->h - 2;
    int ind = font_width(&v->font, FONT_SMALL, "00000  ");
    int tw = a->w - 12 - ind;
    size_t end = first > (size_t)v->event_scroll ? first - (size_t)v->event_scroll : 0;
    /* Walk back from the newest shown event until the panel is full. */
    size_t start = end;
    int need = 0;
    char buf[300];
    while (start > 0 && need < bottom - top) {
        event_format(tr, v->scn, &tr->ev[start - 1], buf, sizeof buf);
        need += wrap(v, NULL, buf, 0, 0, tw, 0, 1 << 30, INK);
        start--;
    }
    int y = need <= bottom - top ? top : bottom - need;
    for (size_t i = start; i < end; i++) {
        const struct event *e = &tr->ev[i];
        event_format(tr, v->scn, e, buf, sizeof buf);
        int h = wrap(v, NULL, buf, 0, 0, tw, 0, 1 << 30, INK);
        if (e->tick == v->tick) {
            int y0 = y < top ? top : y;
            viz_fill(r, (SDL_Rect){ a->x + 1, y0, a->w - 2, y + h - y0 }, HILITE);
        }
        SDL_Color c = event_colour(v, e);
        if (y >= top)
            text(v, r, FONT_SMALL, c, a->x + 6, y, ind, "%5lld", (long long)e->tick);
        y = wrap(v, r, buf, a->x + 6 + ind, y, tw, top, bottom, c);
    }
}

static void draw_inspector(struct viz *v, SDL_Renderer *r)
{
    const SDL_Rect *a = &v->layout.inspector;
    const struct snap_task *t = viz_task(v, v->selected_tid);
    panel(v, r, *a, "inspector");
    int x = a->x + 6, y = a->y + v->font.line + 2, w = a->w - 12, ln = v->font.small_line;
    if (!t && v->selected_tid) {
        /* Selected from its lane, but not alive at this tick. */
        char buf[200] = "";
        for (int i = 0; i < v->nlanes; i++) {
            const struct lane *life = &v->lanes[i];
            if (life->tid != v->selected_tid)
                continue;
            char to[32] = "the end";
            if (life->to >= 0)
                snprintf(to, sizeof to, "tick %lld", (long long)life->to);
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
                     "%s %d (%s) exists from tick %lld until %s. ", life->thread ? "Thread" : "Process",
                     life->tid, lane_name(v, life), (long long)life->from, to);
        }
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "It is not alive at tick %lld.",
                 (long long)v->tick);
        wrap(v, r, buf, x, y, w, y, a->y + a->h, MUTED);
        return;
    }
    if (!t && viz_python(v)) {
        /* A Python run: its source, with the line each process is on. */
        font_draw(&v->font, r, FONT_SMALL, "Click a card to read its PCB.", MUTED, x, y, w);
        y += ln;
        draw_source(v, r, (SDL_Rect){ x, y, w, a->y + a->h - 2 - y }, 0, 0);
        return;
    }
    if (!t) {
        wrap(v, r, "Click a card to read its PCB. Keys with a process selected: I SIGINT, "
             "T SIGTERM, K SIGKILL, P SIGSTOP, C SIGCONT.", x, y, w, y, a->y + a->h, MUTED);
        return;
    }
    char pend[128] = "", blk[128] = "", disp[200] = "";
    for (int s = 1; s < NSIG_MAX; s++) {
        const char *nm = signal_name(s);
        if (!nm)
            continue;
        if (t->pending & (1u << s))
            snprintf(pend + strlen(pend), sizeof pend - strlen(pend), "%s ", nm + 3);
        if (t->blocked & (1u << s))
            snprintf(blk + strlen(blk), sizeof blk - strlen(blk), "%s ", nm + 3);
        if (t->sigact[s] != -1 && strlen(disp) < sizeof disp - 24)
            snprintf(disp + strlen(disp), sizeof disp - strlen(disp), "%s:%s ", nm + 3,
                     t->sigact[s] == -2 ? "ign" : v->scn->handlers[t->sigact[s]].name);
    }
    const char *fields[12];
    char f[12][160];
    int k = 0;
    /* A Python run's PCB is shorter, to leave room for the source: no
     * job control or scheduler internals unless the program uses them,
     * no signal sets while they are empty, no dispositions while they
     * are CPython's own (SIGPIPE ignored). */
    bool py = viz_python(v);
    snprintf(f[k], sizeof f[k], "pid %d  tid %d  ppid %d", t->pid, t->tid, t->ppid);
    fields[k] = f[k], k++;
    /* Job control: the terminal's foreground group is the one its keys
     * reach (ps marks it '+'); session 0 is the terminal's. Before any
     * group takes the terminal there is no foreground to name. */
    if (!py || t->sid || (v->snap.fg_pgid && !is_foreground(v, t))) {
        snprintf(f[k], sizeof f[k], "pgid %d%s  session %d%s", t->pgid,
                 !v->snap.fg_pgid ? "" : is_foreground(v, t) ? " (foreground)" : " (background)",
                 t->sid, t->sid ? " (no terminal)" : " (the terminal's)");
        fields[k] = f[k], k++;
    }
    int state_field = k;       /* the fd table and the rest go after it */
    snprintf(f[k], sizeof f[k], "state %c%s%s  nice %d  weight %d", t->state,
             *t->wchan ? "  wchan " : "", t->wchan, t->nice, t->weight);
    fields[k] = f[k], k++;
    if (!py) {
        snprintf(f[k], sizeof f[k], "vruntime %.2f  slice %d  ran %d",
                 (double)t->vruntime / VR_UNIT, t->slice, t->ran);
        fields[k] = f[k], k++;
    }
    /* A process's CPU time is its threads' sum (ps TIME); a thread other
     * than the main one shows its own. */
    if (t->main_thread)
        snprintf(f[k], sizeof f[k], "cpu ticks %lld  waiting %lld  created %lld",
                 (long long)t->proc_cpu_ticks, (long long)t->wait_ticks, (long long)t->created);
    else
        snprintf(f[k], sizeof f[k], "thread cpu ticks %lld  waiting %lld  created %lld",
                 (long long)t->cpu_ticks, (long long)t->wait_ticks, (long long)t->created);
    fields[k] = f[k], k++;
    if (t->main_thread && t->nthreads > 1) {
        snprintf(f[k], sizeof f[k], "(all its threads'; main thread's own %lld)",
                 (long long)t->cpu_ticks);
        fields[k] = f[k], k++;
    }
    snprintf(f[k], sizeof f[k], "children %d  threads %d%s%s", t->nchildren, t->nthreads,
             t->state == 'Z' ? "  exit status " : "", "");
    if (t->state == 'Z')
        snprintf(f[k] + strlen(f[k]), sizeof f[k] - strlen(f[k]), "%d", t->exit_status);
    fields[k] = f[k], k++;
    if (!py || *pend || *blk) {
        snprintf(f[k], sizeof f[k], "pending %s  blocked %s", *pend ? pend : "-",
                 *blk ? blk : "-");
        fields[k] = f[k], k++;
    }
    if (py && !strcmp(disp, "PIPE:ign "))
        disp[0] = '\0';
    if (*disp || t->alarm_at >= 0) {
        snprintf(f[k], sizeof f[k], "signals %s%s", disp, t->alarm_at >= 0 ? " alarm" : "");
        fields[k] = f[k], k++;
    }
    if (v->cfg.gil) {
        snprintf(f[k], sizeof f[k], "GIL held by %d%s", t->gil_holder,
                 t->gil_drop_request ? " (drop requested)" : "");
        fields[k] = f[k], k++;
    }
    /* A Python run keeps room for its source under the PCB: at least
     * half the panel, or all of its lines. */
    int limit = a->y + a->h;
    if (viz_python(v)) {
        int n = source_nlines(v->scn), half = (a->h - v->font.line) / 2 / v->font.line;
        int keep = n < (half > 4 ? half : 4) ? n : (half > 4 ? half : 4);
        limit -= ln + keep * v->font.line + ln / 2;
    }
    for (int i = 0; i < k && y + ln <= limit; i++) {
        y = wrap(v, r, fields[i], x, y, w, y, limit, INK);   /* a narrow panel: wrapped */
        /* After its state: its open files, as ls -l /proc/PID/fd lists
         * them (threads share their process's), when the run has pipes
         * or queues. */
        if (i == state_field && (v->snap.nchans || v->snap.nfds)) {
            char fdl[FD_LINES_MAX][FD_LINE];
            int nf = fd_table_lines(&v->snap, v->scn, t->pid, fdl, FD_LINES_MAX);
            for (int j = 0; j < nf && y + ln <= limit; j++)   /* sockets: wrapped */
                y = wrap(v, r, fdl[j], x, y, w, y, limit, j ? INK : MUTED);
        }
        /* Its select/poll/epoll_wait and its greenlets (net.c). */
        if (i == state_field && (v->snap.nmuxes || v->snap.ngreens)) {
            char nl[FD_LINES_MAX][FD_LINE];
            int nn = net_inspector_lines(&v->snap, t->tid, v->tick, nl, FD_LINES_MAX);
            for (int j = 0; j < nn && y + ln <= limit; j++)
                y = wrap(v, r, nl[j], x, y, w, y, limit, INK);
        }
        /* Its pools: the one it works for, those it owns. */
        if (i == state_field && v->snap.npools) {
            char pl[FD_LINES_MAX][FD_LINE];
            int np = pool_inspector_lines(&v->snap, v->scn, v->pool_facts, t->tid, pl, FD_LINES_MAX);
            for (int j = 0; j < np && y + ln <= limit; j++)   /* long: wrapped */
                y = wrap(v, r, pl[j], x, y, w, y, limit, INK);
        }
    }
    /* A Python run: the .py source, the line of each of its threads
     * marked. */
    if (viz_python(v)) {
        y += ln / 2;
        draw_source(v, r, (SDL_Rect){ x, y, w, a->y + a->h - 2 - y }, t->pid, t->tid);
        return;
    }
    /* The program, its current line highlighted. */
    if (t->prog < 0)
        return;
    const struct program *p = t->prog < v->scn->nprograms ? &v->scn->programs[t->prog]
                                                          : &v->scn->handlers[t->prog - v->scn->nprograms];
    y += ln / 2;
    int from = p->pos.line, to = p->code[p->ncode - 1].pos.line;
    int room = (a->y + a->h - y) / ln;
    if (to - from + 1 > room && t->line > 0) {
        from = t->line - room / 2;
        if (from < p->pos.line)
            from = p->pos.line;
    }
    for (int lno = from; lno <= to && y + ln <= a->y + a->h; lno++) {
        size_t len;
        const char *s = scenario_line(v->scn, lno, &len);
        char buf[200];
        snprintf(buf, sizeof buf, "%3d %.*s", lno, (int)(len < 180 ? len : 180), s);
        if (lno == t->line) {
            viz_fill(r, (SDL_Rect){ x - 2, y, w + 4, ln }, t->handler_sig ? VIZ_ALARM : HILITE);
        }
        font_draw(&v->font, r, FONT_SMALL, buf, lno == t->line ? INK : MUTED, x, y, w);
        y += ln;
    }
}

/* --------------------------------------------------------------- overlays */

static const char *const help_lines[] = {
    "Space          play / pause",
    "Right, Left    one tick forward / back",
    "Shift+arrow    next / previous tick with events",
    "+ / -          faster / slower (ticks per second)",
    "Home, End      first / last tick",
    "click, drag    on a timeline: jump to that tick",
    "click          a card or a lane's name: inspect it (PCB, program)",
    "hover          a card: a one-line summary",
    "wheel          scroll what is under the mouse: notes, lanes,",
    "               a board column, the events",
    "R              reload the file (also when it changes on disk)",
    "S              save a PNG screenshot",
    "With a process selected:",
    "  I T K        send SIGINT, SIGTERM, SIGKILL",
    "  P C          send SIGSTOP, SIGCONT",
    "Ctrl-C Ctrl-Z  the terminal's keys, to the foreground job",
    "U              undo the signals you sent",
    "W              write them into the scenario as 'at' lines",
    "F5             presentation mode: larger, only the lesson's panels",
    "F1 or ?        this help;  Esc or Q  quit",
};

static void draw_help(struct viz *v, SDL_Renderer *r)
{
    int n = (int)(sizeof help_lines / sizeof help_lines[0]), w = 0;
    for (int i = 0; i < n; i++) {
        int lw = font_width(&v->font, FONT_REGULAR, help_lines[i]);
        w = lw > w ? lw : w;
    }
    w += 40;
    int h = (n + 2) * v->font.line + 20;
    SDL_Rect rc = { (v->layout.w - w) / 2, (v->layout.h - h) / 2, w, h };
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    viz_fill(r, (SDL_Rect){ 0, 0, v->layout.w, v->layout.h }, (SDL_Color){ 0, 0, 0, 110 });
    viz_fill(r, rc, PANEL);
    viz_frame(r, rc, INK);
    text(v, r, FONT_BOLD, INK, rc.x + 20, rc.y + 10, 0, "Keys");
    for (int i = 0; i < n; i++)
        font_draw(&v->font, r, FONT_REGULAR, help_lines[i], INK, rc.x + 20,
                  rc.y + 10 + (i + 1) * v->font.line + v->font.line / 2, 0);
}

/* The one-line summary of the card under the mouse: inside the board,
 * above the card (or below it when it is the top one), never over the
 * panels beside the board. */
static void draw_hover(struct viz *v, SDL_Renderer *r)
{
    const struct snap_task *t = viz_task(v, v->hover_tid);
    const struct card *c = layout_card(&v->layout, v->hover_tid);
    if (!t || !c) {
        draw_net_hover(v, r);          /* a socket's box under the mouse (netdraw.c) */
        return;
    }
    const SDL_Rect *b = &v->layout.board;
    char var[3][160];
    /* CPU time as ps shows it: a process's is its threads' sum. */
    long long cpu = t->main_thread ? (long long)t->proc_cpu_ticks : (long long)t->cpu_ticks;
    snprintf(var[0], 160, "%s %d %s: state %c%s%s%s, cpu %lld ticks, nice %d",
             t->main_thread ? "pid" : "thread", t->tid, t->comm, t->state,
             is_foreground(v, t) ? "+" : "", *t->wchan ? " on " : "", t->wchan, cpu, t->nice);
    snprintf(var[1], 160, "%d %s: %c%s%s, cpu %lld", t->tid, t->comm, t->state,
             *t->wchan ? " on " : "", t->wchan, cpu);
    snprintf(var[2], 160, "%d: %c %s", t->tid, t->state, t->wchan);
    const char *s = fit(v, FONT_SMALL, b->w - 12, 3, var);
    int w = font_width(&v->font, FONT_SMALL, s) + 12, h = v->font.small_line + 6;
    int x = v->mouse_x + 14, y = c->r.y - h - 2;
    if (y < b->y)
        y = c->r.y + c->r.h + 2;
    if (x + w > b->x + b->w)
        x = b->x + b->w - w;
    if (x < b->x)
        x = b->x;
    viz_fill(r, (SDL_Rect){ x, y, w, h }, VIZ_TIP);
    viz_frame(r, (SDL_Rect){ x, y, w, h }, INK);
    font_draw(&v->font, r, FONT_SMALL, s, INK, x + 6, y + 3, w - 12);
}

/* No run at all: the first load failed. Show the error where the run
 * would be. */
static void draw_error_screen(struct viz *v, SDL_Renderer *r)
{
    viz_fill(r, (SDL_Rect){ 0, 0, v->w, v->h }, PAPER);
    text(v, r, FONT_BOLD, ACCENT, 20, 20, 0, "procsim-viz could not load %s", v->path);
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", v->error);
    int y = 20 + 2 * v->font.line;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        font_draw(&v->font, r, FONT_REGULAR, line, INK, 20, y, v->w - 40);
        y += v->font.line;
    }
    font_draw(&v->font, r, FONT_REGULAR, "Fix the file and save it: the window reloads it (or press R).",
              MUTED, 20, y + v->font.line, 0);
}

void viz_draw(SDL_Renderer *r, struct viz *v)
{
    /* Selecting a task or presenting changes the right column's panels
     * (and so what the layer holds). */
    if (v->run && (v->layout.selected != (v->selected_tid != 0) ||
                   v->layout.present != v->present || v->layout.w != v->w ||
                   v->layout.h != v->h)) {
        viz_relayout(v);
        v->reuse_layer = false;
    }
    /* What stands still while cards glide may come from the layer
     * (layer.c); the cards, the arrows over them and the overlays are
     * drawn every frame. */
    if (!v->run || layer_begin(v, r)) {
        SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(r, PAPER.r, PAPER.g, PAPER.b, 255);
        SDL_RenderClear(r);
        if (!v->run) {
            draw_error_screen(v, r);
            return;
        }
        draw_header(v, r);
        draw_cpu_lanes(v, r);
        draw_proc_lanes(v, r);
        draw_board(v, r);
        if (v->layout.notes.w > 0)
            draw_notes(v, r);
        if (v->layout.tree.w > 0)
            draw_tree(v, r);
        if (v->layout.events.w > 0)
            draw_events(v, r);
        if (v->layout.inspector.w > 0)
            draw_inspector(v, r);
        if (v->layout.objects.w > 0)
            draw_objects(v, r);
        layer_end(v, r);
    }
    draw_waiter_lines(v, r);
    draw_pool_paths(v, r);
    draw_net_packets(v, r);
    draw_cards(v, r);
    draw_arrows(v, r);
    draw_bar(v, r);
    draw_hover(v, r);
    if (v->help)
        draw_help(v, r);
}
