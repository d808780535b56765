/*
 * handout.c - the whole run's lanes in one picture, for notes and
 * handouts: the CPU lanes (who ran where) and every process and thread's
 * state in every tick, from tick 0 to the end, in the window's colours.
 *
 *  +----------------------------------------------------------+
 *  | title                                     legend         |
 *  | ticks 0-N, policy, CPUs                                  |
 *  | CPUs        0    5    10 ...                             |
 *  | cpu0        [ 2 ][  3  ][ 2 ]                            |
 *  | processes   0    5    10 ...                             |
 *  | 2 main      ======------======                           |
 *  +----------------------------------------------------------+
 *
 * The picture is as wide as asked; a tick gets lane_w / nticks pixels (a
 * long run gives several ticks a pixel, each column showing the state at
 * its first tick). Its height follows from the number of lanes.
 */
#include <stdio.h>
#include <string.h>

#include "viz.h"

#define INK VIZ_INK
#define MUTED VIZ_MUTED
#define PANEL VIZ_PANEL
#define RULE VIZ_RULE

static int unit_of(const struct viz *v)
{
    return v->font.line / 2 > 4 ? v->font.line / 2 : 4;
}

static int rows_of(const struct viz *v)
{
    return v->nlanes < HANDOUT_MAX_ROWS ? v->nlanes : HANDOUT_MAX_ROWS;
}

static const struct { char st; bool run; const char *name; } keys[] = {
    { 'R', true, "running" }, { 'R', false, "runnable" }, { 'S', false, "sleeping S" },
    { 'D', false, "disk D" }, { 'T', false, "stopped T" }, { 'Z', false, "zombie Z" },
};

static int key_width(struct viz *v, int i)
{
    return font_width(&v->font, FONT_SMALL, keys[i].name) + v->font.line + unit_of(v);
}

static int keys_width(struct viz *v)
{
    int w = 0;
    for (int i = 0; i < 6; i++)
        w += key_width(v, i);
    return w;
}

/* Lay the legend out left to right from x = u on rows of their own,
 * wrapping at the picture's width; returns the rows (pos may be NULL). */
static int legend_flow(struct viz *v, int w, SDL_Point *pos)
{
    int u = unit_of(v), x = u, row = 0;
    for (int i = 0; i < 6; i++) {
        if (x > u && x + key_width(v, i) - u > w - u) {
            x = u;
            row++;
        }
        if (pos)
            pos[i] = (SDL_Point){ x, row };
        x += key_width(v, i);
    }
    return row + 1;
}

static const char *title_of(const struct viz *v)
{
    return v->scn->title ? v->scn->title : v->path;
}

void handout_layout(struct viz *v, int w, struct handout *g)
{
    int line = v->font.line, u = unit_of(v);
    memset(g, 0, sizeof *g);
    /* The legend beside the title when both fit, else on a row of its own. */
    bool beside = u + font_width(&v->font, FONT_BOLD, title_of(v)) + 2 * u + keys_width(v) <= w;
    g->legend_rows = beside ? 0 : legend_flow(v, w, NULL);
    g->w = w;
    g->lane_h = line + 4;
    g->x0 = u + line * 9;
    g->lane_w = w - g->x0 - u;
    g->nticks = viz_end_tick(v) > 0 ? viz_end_tick(v) : 1;
    g->nrows = rows_of(v);
    int y = u + line + v->font.small_line + u;     /* title, then what the run is */
    y += g->legend_rows * line;
    g->cpu_y = y + line;                           /* under the axis */
    y = g->cpu_y + v->cfg.cpus * g->lane_h + u;
    g->proc_y = y + line;
    y = g->proc_y + g->nrows * g->lane_h;
    if (v->nlanes > g->nrows)
        y += v->font.small_line + 2;               /* "first N of M lanes" */
    g->h = y + u;
}

int64_t handout_tick_at(const struct handout *g, int x)
{
    return (int64_t)x * g->nticks / g->lane_w;
}

static void fill(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(r, &rc);
}

static const char *prog_name(const struct viz *v, int prog)
{
    if (prog < 0)
        return "init";
    if (prog < v->scn->nprograms)
        return v->scn->programs[prog].name;
    return v->scn->handlers[prog - v->scn->nprograms].name;
}

/* Tick numbers above a block of lanes whose axis row starts at y, and a
 * light rule down through the lanes at each. */
static void axis(struct viz *v, SDL_Renderer *r, const struct handout *g, int y, int bottom)
{
    int64_t step = 5;
    double px = (double)g->lane_w / (double)g->nticks;
    while (step * px < font_width(&v->font, FONT_SMALL, "000000") + 8)
        step *= 2;
    for (int64_t t = 0; t < g->nticks; t += step) {
        int x = g->x0 + (int)((double)t * px);
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)t);
        font_draw(&v->font, r, FONT_SMALL, num, MUTED, x + 2, y + 2, 0);
        fill(r, (SDL_Rect){ x, y, 1, bottom - y }, RULE);
    }
}

/* The legend: right-aligned on the title's row, or flowing on rows of its
 * own from y. */
static void legend(struct viz *v, SDL_Renderer *r, const struct handout *g, int y)
{
    int line = v->font.line, right = g->w - unit_of(v);
    SDL_Point pos[6];
    legend_flow(v, g->w, pos);
    for (int i = 5; i >= 0; i--) {
        right -= key_width(v, i);
        int x = g->legend_rows ? pos[i].x : right, ky = y + (g->legend_rows ? pos[i].y * line : 0);
        SDL_Rect box = { x, ky + 2, line - 4, line - 4 };
        fill(r, box, state_colour(keys[i].st, keys[i].run));
        SDL_SetRenderDrawColor(r, RULE.r, RULE.g, RULE.b, 255);
        SDL_RenderDrawRect(r, &box);
        font_draw(&v->font, r, FONT_SMALL, keys[i].name, INK, x + line, ky + 2, 0);
    }
}

/* One CPU's lane: blocks of columns on the same task, its tid written in
 * blocks wide enough to hold it. */
static void cpu_lane(struct viz *v, SDL_Renderer *r, const struct handout *g, int cpu, int y)
{
    const struct trace *tr = run_trace(v->run);
    for (int x = 0; x < g->lane_w;) {
        int tid = trace_cpu_at(tr, handout_tick_at(g, x), cpu);
        int x1 = x + 1;
        while (x1 < g->lane_w && trace_cpu_at(tr, handout_tick_at(g, x1), cpu) == tid)
            x1++;
        if (tid) {
            const struct proc_record *p = trace_find_proc(tr, tid);
            SDL_Color c = pid_colour(p ? p->pid : tid);
            SDL_Rect b = { g->x0 + x, y + 1, x1 - x - (x1 - x > 3), g->lane_h - 2 };
            fill(r, b, c);
            SDL_SetRenderDrawColor(r, VIZ_CARD_EDGE.r, VIZ_CARD_EDGE.g, VIZ_CARD_EDGE.b, 255);
            SDL_RenderDrawRect(r, &b);          /* a pale tint needs an edge */
            char num[16];
            snprintf(num, sizeof num, "%d", tid);
            if (font_width(&v->font, FONT_SMALL, num) + 4 <= b.w)
                font_draw(&v->font, r, FONT_SMALL, num, INK, b.x + 2, b.y + 1, b.w - 2);
        }
        x = x1;
    }
}

/* A process lane's state in each column: running when a CPU ran it. */
static SDL_Color lane_colour(const struct viz *v, int tid, int64_t tick, bool *alive)
{
    char st = viz_state_at(v, tid, tick);
    *alive = st != 0;
    bool running = false;
    for (int c = 0; c < v->cfg.cpus && st == 'R'; c++)
        running |= trace_cpu_at(run_trace(v->run), tick, c) == tid;
    return state_colour(st, running);
}

static void proc_lane(struct viz *v, SDL_Renderer *r, const struct handout *g,
                      const struct lane *ln, int y)
{
    char label[96];
    if (ln->thread)
        snprintf(label, sizeof label, " t%d %s", ln->tid,
                 ln->name[0] ? ln->name : prog_name(v, ln->prog));
    else
        snprintf(label, sizeof label, "%d %s", ln->pid, scenario_comm(v->scn, ln->prog));
    font_draw(&v->font, r, FONT_REGULAR, label, INK, unit_of(v), y + 1,
              g->x0 - unit_of(v) - 4);
    for (int x = 0; x < g->lane_w;) {
        bool alive;
        SDL_Color c = lane_colour(v, ln->tid, handout_tick_at(g, x), &alive);
        int x1 = x + 1;
        for (bool a1; x1 < g->lane_w; x1++) {
            SDL_Color c1 = lane_colour(v, ln->tid, handout_tick_at(g, x1), &a1);
            if (a1 != alive || memcmp(&c1, &c, sizeof c))
                break;
        }
        if (alive)
            fill(r, (SDL_Rect){ g->x0 + x, y + 2, x1 - x, g->lane_h - 4 }, c);
        x = x1;
    }
}

static void draw(struct viz *v, SDL_Renderer *r, const struct handout *g)
{
    int u = unit_of(v), line = v->font.line;
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    fill(r, (SDL_Rect){ 0, 0, g->w, g->h }, PANEL);
    const struct config *c = &v->cfg;
    font_draw(&v->font, r, FONT_BOLD, title_of(v), INK, u, u,
              g->legend_rows ? g->w - 2 * u : g->w - keys_width(v) - 3 * u);
    char info[160];
    snprintf(info, sizeof info, "ticks 0-%lld, %s, %d CPU%s%s", (long long)(g->nticks - 1),
             c->policy == POLICY_CFS ? "cfs" : c->policy == POLICY_RR ? "rr" : "fifo", c->cpus,
             c->cpus == 1 ? "" : "s", c->gil ? ", GIL on" : "");
    font_draw(&v->font, r, FONT_SMALL, info, MUTED, u, u + line, 0);
    legend(v, r, g, g->legend_rows ? u + line + v->font.small_line : u);

    int cpu_bottom = g->cpu_y + c->cpus * g->lane_h;
    font_draw(&v->font, r, FONT_BOLD, "CPUs", MUTED, u, g->cpu_y - line, 0);
    axis(v, r, g, g->cpu_y - line, cpu_bottom);
    for (int k = 0; k < c->cpus; k++) {
        int y = g->cpu_y + k * g->lane_h;
        char name[16];
        snprintf(name, sizeof name, "cpu%d", k);
        font_draw(&v->font, r, FONT_REGULAR, name, INK, u, y + 1, 0);
        cpu_lane(v, r, g, k, y);
    }

    int proc_bottom = g->proc_y + g->nrows * g->lane_h;
    font_draw(&v->font, r, FONT_BOLD, "processes", MUTED, u, g->proc_y - line, 0);
    axis(v, r, g, g->proc_y - line, proc_bottom);
    for (int i = 0; i < g->nrows; i++)
        proc_lane(v, r, g, &v->lanes[i], g->proc_y + i * g->lane_h);
    if (v->nlanes > g->nrows) {
        char more[96];
        snprintf(more, sizeof more, "the first %d of %d lanes", g->nrows, v->nlanes);
        font_draw(&v->font, r, FONT_SMALL, more, MUTED, u, proc_bottom + 2, 0);
    }
}

int handout_lanes_png(struct viz *v, const char *path, int w, char *msg, size_t n)
{
    struct handout g;
    handout_layout(v, w, &g);
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, g.w, g.h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!r) {
        snprintf(msg, n, "cannot create a %dx%d picture: %s", g.w, g.h, SDL_GetError());
        SDL_FreeSurface(surf);
        return 1;
    }
    draw(v, r, &g);
    int rc = viz_save_png(r, path, msg, n) ? 0 : 1;
    font_flush(&v->font);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    return rc;
}
