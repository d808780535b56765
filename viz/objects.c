/*
 * objects.c - the objects panel: one line per shared object (and per
 * multi-threaded process's GIL), and the wait-for graph.
 *
 * The wait-for graph shows who waits for whom as a graph, not as arrows
 * over the board: tasks (filled in their state colour) and locks (outlined)
 * are nodes; "waits for" runs from a task to the lock it waits on, "held
 * by" from a lock to its holder. A deadlock is a cycle: its nodes are laid
 * out on a circle in cycle order and its edges drawn in red, and a line per
 * task under the graph says the same in words.
 *
 * This panel is where the object views of later issues go (pipes and
 * queues with their messages, a pool's workers and task queue, sockets
 * and their buffers, a select call's watched sets): each kind of object a
 * block of the panel, stacked under the previous.
 */
#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <string.h>

#include "viz.h"

static void fill(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(r, &rc);
}

static void frame(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_RenderDrawRect(r, &rc);
}

static const struct snap_task *task_by_tid(const struct snapshot *s, int tid)
{
    for (int i = 0; i < s->ntasks; i++)
        if (s->tasks[i].tid == tid)
            return &s->tasks[i];
    return NULL;
}

/* Draw s wrapped at spaces to w pixels from (x, y), lines below maxy left
 * out; returns the y under it. */
static int wrapped(struct viz *v, SDL_Renderer *r, const char *s, int x, int y, int w, int maxy,
                   SDL_Color c)
{
    int per = w / (v->font.small_advance > 0 ? v->font.small_advance : 8);
    per = per < 10 ? 10 : per;
    while (*s) {
        int k = wrap_cut(s, per);
        char buf[161];
        snprintf(buf, sizeof buf, "%.*s", k < 160 ? k : 160, s);
        if (y + v->font.small_line <= maxy)
            font_draw(&v->font, r, FONT_SMALL, buf, c, x, y, 0);
        y += v->font.small_line;
        s += k;
        while (*s == ' ')
            s++;
    }
    return y;
}

/* Object obj's declaration: the scenario's, or for an object made at run
 * time (issue 14, `new`) the one it is like, as the trace says; NULL. */
static const struct object *obj_decl(const struct viz *v, int obj)
{
    return trace_object(v->run ? run_trace(v->run) : NULL, v->scn, obj);
}

/* The tid holding the lock t waits for, 0 when t waits for no lock. */
static int lock_holder(const struct viz *v, const struct snap_task *t)
{
    if (t->wait_obj < 0 || t->wait_obj >= v->snap.nobjects || !obj_decl(v, t->wait_obj))
        return 0;
    enum object_kind k = obj_decl(v, t->wait_obj)->kind;
    if (k != OBJ_LOCK && k != OBJ_RLOCK)
        return 0;
    return v->snap.objects[t->wait_obj].owner_tid;
}

/* Is tid on a cycle of the wait-for graph (waits for a lock held by one
 * that waits ... for a lock it holds)? */
bool viz_in_cycle(const struct viz *v, int tid)
{
    int cur = tid;
    for (int steps = 0; steps <= v->snap.nobjects; steps++) {
        const struct snap_task *t = task_by_tid(&v->snap, cur);
        int next = t ? lock_holder(v, t) : 0;
        if (next <= 0)
            return false;
        if (next == tid)
            return true;
        cur = next;
    }
    return false;
}

/* " 4 5 +2": the first waiters of an object, in wake order. */
static void waiters(const struct snap_object *so, char *buf, size_t n)
{
    int shown = so->nwaiting < SNAP_MAX_WAITERS ? so->nwaiting : SNAP_MAX_WAITERS;
    snprintf(buf, n, "%s", so->nwaiting ? ", waiting" : "");
    for (int k = 0; k < shown; k++)
        snprintf(buf + strlen(buf), n - strlen(buf), " %d", so->waiting[k]);
    if (so->nwaiting > shown)
        snprintf(buf + strlen(buf), n - strlen(buf), " +%d", so->nwaiting - shown);
}

/* A pipe or queue: drawn as a block with its messages, not as a line. */
static bool is_chan(const struct viz *v, int obj)
{
    const struct object *o = obj_decl(v, obj);
    enum object_kind k = o ? o->kind : OBJ_LOCK;
    if (k == OBJ_PIPE || k == OBJ_QUEUE)
        return true;
    for (int c = 0; c < v->snap.nchans; c++)
        if (v->snap.chans[c].obj == obj)
            return true;
    return false;
}

/* One line per shared object, and per multi-threaded process's GIL when
 * the GIL is on: who holds it, who waits and for how long against the
 * switch interval. Returns the number of lines; `hot` marks lines to draw
 * in red (a lost update this tick, a drop request). */
#define MAX_OBJECT_LINES 64
static int object_lines(const struct viz *v, char lines[][160], bool *hot)
{
    int n = 0;
    for (int i = 0; i < v->snap.ntasks && v->cfg.gil && n < MAX_OBJECT_LINES; i++) {
        const struct snap_task *m = &v->snap.tasks[i];
        if (!m->main_thread || m->nthreads < 2 || m->state == 'Z')
            continue;
        char *b = lines[n];
        snprintf(b, 160, "GIL of %d: %s", m->pid, m->gil_holder ? "held by " : "free");
        if (m->gil_holder)
            snprintf(b + strlen(b), 160 - strlen(b), "%d", m->gil_holder);
        for (int k = 0; k < v->snap.ntasks; k++) {
            const struct snap_task *w = &v->snap.tasks[k];
            if (w->pid == m->pid && w->gil_since >= 0)
                snprintf(b + strlen(b), 160 - strlen(b), ", %d waits %lld/%d", w->tid,
                         (long long)(v->tick - w->gil_since), v->cfg.switch_interval);
        }
        if (m->gil_drop_request)
            snprintf(b + strlen(b), 160 - strlen(b), ", drop requested");
        hot[n++] = m->gil_drop_request;
    }
    for (int i = 0; i < v->snap.nobjects && n < MAX_OBJECT_LINES; i++) {
        const struct object *o = obj_decl(v, i);
        const struct snap_object *so = &v->snap.objects[i];
        if (!o || is_chan(v, i) || o->kind == OBJ_ARRAY)
            continue;                  /* drawn as blocks (chans.c, arrays.c) */
        char wq[96];
        waiters(so, wq, sizeof wq);
        char *b = lines[n];
        hot[n] = false;
        switch (o->kind) {
        case OBJ_SHARED:
            /* A store in tick T shows in the state from T + 1. */
            hot[n] = so->lost_at >= 0 && so->lost_at >= v->tick - 1;
            if (so->lost_at >= 0)
                snprintf(b, 160, hot[n] ? "%s = %lld  LOST UPDATE at tick %lld"
                                        : "%s = %lld  (last lost update: tick %lld)",
                         o->name, (long long)so->value, (long long)so->lost_at);
            else
                snprintf(b, 160, "%s = %lld", o->name, (long long)so->value);
            if (so->owner_tid > 0)             /* its built-in lock */
                snprintf(b + strlen(b), 160 - strlen(b), "  lock held by %d%s",
                         so->owner_tid, wq);
            break;
        case OBJ_SEMAPHORE:
            snprintf(b, 160, "semaphore %s = %lld%s", o->name, (long long)so->value, wq);
            break;
        case OBJ_EVENT:
            snprintf(b, 160, "event %s: %s%s", o->name, so->value ? "set" : "clear", wq);
            break;
        default: {
            const char *kind = o->kind == OBJ_RLOCK ? "rlock" : "lock";
            if (so->owner_tid > 0 && so->count > 1)
                snprintf(b, 160, "%s %s: held by %d (count %d)%s", kind, o->name,
                         so->owner_tid, so->count, wq);
            else if (so->owner_tid > 0)
                snprintf(b, 160, "%s %s: held by %d%s", kind, o->name, so->owner_tid, wq);
            else if (so->owner_tid < 0)
                snprintf(b, 160, "%s %s: held by an ended thread%s", kind, o->name, wq);
            else
                snprintf(b, 160, "%s %s: free%s", kind, o->name, wq);
            break;
        }
        }
        n++;
    }
    return n;
}


/* ------------------------------------------------------ wait-for graph */

#define MAX_NODES 24

struct node {
    int tid;                   /* a task, or 0 */
    int obj;                   /* a lock (object index), or -1 */
    SDL_Rect r;
    char label[48];
};

static int find_node(const struct node *n, int nn, int tid, int obj)
{
    for (int i = 0; i < nn; i++)
        if ((tid && n[i].tid == tid) || (obj >= 0 && n[i].obj == obj))
            return i;
    return -1;
}

static int add_node(struct node *n, int *nn, int tid, int obj)
{
    int i = find_node(n, *nn, tid, obj);
    if (i >= 0 || *nn == MAX_NODES)
        return i;
    n[*nn] = (struct node){ .tid = tid, .obj = obj };
    return (*nn)++;
}

/* The nodes in chain order: from each task that waits for a held lock,
 * the lock, its holder, the lock that one waits for... A cycle comes out
 * as consecutive nodes. */
static int wait_nodes(const struct viz *v, struct node *n)
{
    int nn = 0;
    /* Start from tasks on a cycle, so the ring is laid out in order. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < v->snap.ntasks; i++) {
            const struct snap_task *t = &v->snap.tasks[i];
            if (lock_holder(v, t) <= 0 || viz_in_cycle(v, t->tid) != (pass == 0))
                continue;
            const struct snap_task *cur = t;
            for (int steps = 0; cur && steps < MAX_NODES; steps++) {
                if (find_node(n, nn, cur->tid, -1) >= 0 && steps > 0)
                    break;
                add_node(n, &nn, cur->tid, -1);
                int holder = lock_holder(v, cur);
                if (holder <= 0)
                    break;
                add_node(n, &nn, 0, cur->wait_obj);
                if (find_node(n, nn, holder, -1) >= 0) {
                    break;
                }
                cur = task_by_tid(&v->snap, holder);
            }
            if (cur && find_node(n, nn, cur->tid, -1) < 0)
                add_node(n, &nn, cur->tid, -1);
        }
    return nn;
}

/* Where the line from the centre of rc towards (dx, dy) leaves it. */
static void edge_point(const SDL_Rect *rc, double dx, double dy, int *x, int *y)
{
    double hw = rc->w / 2.0 + 2, hh = rc->h / 2.0 + 2;
    double t = 1e9;
    if (fabs(dx) > 1e-9)
        t = hw / fabs(dx);
    if (fabs(dy) > 1e-9 && hh / fabs(dy) < t)
        t = hh / fabs(dy);
    *x = rc->x + rc->w / 2 + (int)(dx * t);
    *y = rc->y + rc->h / 2 + (int)(dy * t);
}

static void graph_edge(SDL_Renderer *r, const SDL_Rect *a, const SDL_Rect *b, SDL_Color c,
                       bool dashed)
{
    double dx = (b->x + b->w / 2.0) - (a->x + a->w / 2.0), dy = (b->y + b->h / 2.0) - (a->y + a->h / 2.0);
    double len = sqrt(dx * dx + dy * dy);
    if (len < 1)
        return;
    dx /= len;
    dy /= len;
    int x1, y1, x2, y2;
    edge_point(a, dx, dy, &x1, &y1);
    edge_point(b, -dx, -dy, &x2, &y2);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, 255);
    double seg = sqrt((double)(x2 - x1) * (x2 - x1) + (double)(y2 - y1) * (y2 - y1));
    for (double s = 0; s < seg; s += dashed ? 10 : seg) {
        double e = dashed ? s + 6 : seg;
        if (e > seg)
            e = seg;
        for (int d = -1; d <= 1; d++)
            SDL_RenderDrawLine(r, x1 + (int)(dx * s) + (d && fabs(dy) > 0.5 ? d : 0),
                               y1 + (int)(dy * s) + (d && fabs(dy) <= 0.5 ? d : 0),
                               x1 + (int)(dx * e) + (d && fabs(dy) > 0.5 ? d : 0),
                               y1 + (int)(dy * e) + (d && fabs(dy) <= 0.5 ? d : 0));
    }
    int hx = x2 - (int)(dx * 11), hy = y2 - (int)(dy * 11);
    SDL_RenderDrawLine(r, x2, y2, hx + (int)(dy * 6), hy - (int)(dx * 6));
    SDL_RenderDrawLine(r, x2, y2, hx - (int)(dy * 6), hy + (int)(dx * 6));
}

/* The graph in `area`, its sentences under it; returns the y under them. */
static void draw_wait_graph(struct viz *v, SDL_Renderer *r, SDL_Rect area)
{
    struct node n[MAX_NODES];
    int nn = wait_nodes(v, n);
    if (!nn)
        return;
    int sl = v->font.small_line, x = area.x + 6, w = area.w - 12;
    bool cycle = false;
    for (int i = 0; i < nn; i++)
        cycle |= n[i].tid && viz_in_cycle(v, n[i].tid);
    const char *title = cycle ? "wait-for graph: a cycle" : "wait-for graph";
    if (font_width(&v->font, FONT_BOLD, title) > w)
        title = cycle ? "a cycle" : "waits";
    font_draw(&v->font, r, FONT_BOLD, title, cycle ? VIZ_ACCENT : VIZ_MUTED, x, area.y, w);
    int y = area.y + v->font.line;
    /* The sentences: one per waiting task, at the bottom. */
    char lines[MAX_NODES][160];
    int nl = 0;
    for (int i = 0; i < nn; i++) {
        const struct snap_task *t = n[i].tid ? task_by_tid(&v->snap, n[i].tid) : NULL;
        int holder = t ? lock_holder(v, t) : 0;
        if (holder <= 0)
            continue;
        snprintf(lines[nl++], 160, "%d waits for %s, held by %d", t->tid,
                 obj_decl(v, t->wait_obj)->name, holder);
    }
    int per = w / (v->font.small_advance > 0 ? v->font.small_advance : 8);
    int text_h = 2 * sl;
    for (int i = 0; i < nl; i++)
        text_h += wrap_count(lines[i], per) * sl;
    int gh = area.y + area.h - text_h - y - 4;
    /* Node labels. */
    int maxw = 0;
    for (int i = 0; i < nn; i++) {
        const struct snap_task *t = n[i].tid ? task_by_tid(&v->snap, n[i].tid) : NULL;
        if (t)
            snprintf(n[i].label, sizeof n[i].label, "%d %s", t->tid, t->comm);
        else
            snprintf(n[i].label, sizeof n[i].label, "%s",
                     obj_decl(v, n[i].obj) ? obj_decl(v, n[i].obj)->name : "?");
        int lw = font_width(&v->font, FONT_SMALL, n[i].label) + 10;
        maxw = lw > maxw ? lw : maxw;
    }
    int nh = sl + 6;
    if (gh >= 3 * nh && w >= 2 * maxw) {
        /* A circle, in chain order: a cycle reads round the ring. */
        int cx = x + w / 2, cy = y + gh / 2;
        double rx = (w - maxw) / 2.0, ry = (gh - nh) / 2.0;
        for (int i = 0; i < nn; i++) {
            double ang = -M_PI / 2 + 2 * M_PI * i / nn;
            int lw = font_width(&v->font, FONT_SMALL, n[i].label) + 10;
            n[i].r = (SDL_Rect){ cx + (int)(rx * cos(ang)) - lw / 2,
                                 cy + (int)(ry * sin(ang)) - nh / 2, lw, nh };
        }
        for (int i = 0; i < nn; i++) {
            const struct snap_task *t = n[i].tid ? task_by_tid(&v->snap, n[i].tid) : NULL;
            if (t && lock_holder(v, t) > 0) {         /* task -> lock: waits for */
                int j = find_node(n, nn, 0, t->wait_obj);
                if (j >= 0)
                    graph_edge(r, &n[i].r, &n[j].r, viz_in_cycle(v, t->tid) ? VIZ_ACCENT : VIZ_INK,
                               true);
            }
            if (!t) {                                 /* lock -> holder: held by */
                int h = v->snap.objects[n[i].obj].owner_tid;
                int j = h > 0 ? find_node(n, nn, h, -1) : -1;
                if (j >= 0)
                    graph_edge(r, &n[i].r, &n[j].r, viz_in_cycle(v, h) ? VIZ_ACCENT : VIZ_INK,
                               false);
            }
        }
        for (int i = 0; i < nn; i++) {
            const struct snap_task *t = n[i].tid ? task_by_tid(&v->snap, n[i].tid) : NULL;
            SDL_Color bg = t ? state_colour(t->state, t->cpu >= 0) : VIZ_PANEL;
            bool hot = t ? viz_in_cycle(v, t->tid) : false;
            fill(r, n[i].r, bg);
            frame(r, n[i].r, hot ? VIZ_ACCENT : VIZ_INK);
            if (hot)
                frame(r, (SDL_Rect){ n[i].r.x + 1, n[i].r.y + 1, n[i].r.w - 2, n[i].r.h - 2 },
                      VIZ_ACCENT);
            font_draw(&v->font, r, FONT_SMALL, n[i].label, text_on(bg), n[i].r.x + 5,
                      n[i].r.y + 3, 0);
        }
        y += gh + 4;
    }
    if (y >= area.y + v->font.line + 4 * sl)   /* a key when the graph is drawn */
        y = wrapped(v, r, "- - > waits for   ---> held by", x, y, w, area.y + area.h, VIZ_MUTED);
    for (int i = 0; i < nl; i++)
        y = wrapped(v, r, lines[i], x, y, w, area.y + area.h, cycle ? VIZ_ACCENT : VIZ_INK);
}

void draw_objects(struct viz *v, SDL_Renderer *r)
{
    const SDL_Rect *a = &v->layout.objects;
    fill(r, *a, VIZ_PANEL);
    frame(r, *a, VIZ_RULE);
    font_draw(&v->font, r, FONT_BOLD, "shared objects", VIZ_MUTED, a->x + 6, a->y + 2, a->w - 12);
    char lines[MAX_OBJECT_LINES][160];
    bool hot[MAX_OBJECT_LINES];
    int n = object_lines(v, lines, hot);
    int y = a->y + v->font.line + 2, sl = v->font.small_line;
    int per = (a->w - 12) / (v->font.small_advance > 0 ? v->font.small_advance : 8);
    struct node nodes[MAX_NODES];
    bool graph = wait_nodes(v, nodes) > 0;
    /* The object lines wrap; with a graph they keep to the top half. */
    int maxy = graph ? a->y + a->h / 2 : a->y + a->h - 2;
    if (!n && !v->snap.nchans && !v->snap.npools && !array_lines(v) && !net_any(&v->snap) && y + sl <= a->y + a->h)   /* a GIL before the threads start */
        font_draw(&v->font, r, FONT_SMALL, "none at this tick", VIZ_MUTED, a->x + 6, y, a->w - 12);
    for (int i = 0; i < n; i++) {
        const char *s = lines[i];
        int need = wrap_count(s, per) * sl;
        if (y + need > maxy) {
            char more[48];
            snprintf(more, sizeof more, "... and %d more", n - i);
            if (y + sl <= a->y + a->h)
                font_draw(&v->font, r, FONT_SMALL, more, VIZ_MUTED, a->x + 6, y, a->w - 12);
            y += sl;
            break;
        }
        y = wrapped(v, r, s, a->x + 6, y, a->w - 12, a->y + a->h, hot[i] ? VIZ_ACCENT : VIZ_INK);
    }
    /* The arrays, a row of cells each (arrays.c), then the pipes and
     * queues, a block each (chans.c); with a graph they keep to the top
     * two thirds. */
    int bottom = graph ? a->y + a->h * 2 / 3 : a->y + a->h - 2;
    if (array_lines(v) && bottom > y) {
        if (n)
            y += sl / 2;
        y = draw_arrays(v, r, (SDL_Rect){ a->x + 2, y, a->w - 4, bottom - y });
    }
    /* Sockets, the network and select/poll/epoll calls (net.c), before
     * the pipes: 10,000 pipes watched by one epoll must leave room for
     * the epoll's row. */
    v->net_drawn = false;
    if (net_any(&v->snap)) {
        if (n || array_lines(v))
            y += sl / 2;
        if (bottom > y)
            y = draw_net(v, r, (SDL_Rect){ a->x + 2, y, a->w - 4, bottom - y });
    }
    v->nchan_geom = 0;
    if (v->snap.nchans) {
        if (v->net_drawn)
            y += sl / 2;
        if (n)
            y += sl / 2;
        if (bottom > y)
            y = draw_chans(v, r, (SDL_Rect){ a->x + 2, y, a->w - 4, bottom - y });
    }
    v->npool_geom = 0;
    if (v->snap.npools) {
        if (n || v->nchan_geom || array_lines(v) || v->net_drawn)
            y += sl / 2;
        if (bottom > y)
            y = draw_pools(v, r, (SDL_Rect){ a->x + 2, y, a->w - 4, bottom - y });
    }
    if (graph && a->y + a->h - (y + sl / 2) >= v->font.line + sl) {
        y += sl / 2;
        fill(r, (SDL_Rect){ a->x + 1, y - 2, a->w - 2, 1 }, VIZ_RULE);
        draw_wait_graph(v, r, (SDL_Rect){ a->x, y, a->w, a->y + a->h - y - 2 });
    }
}
