/*
 * app.c - the window's state: loading and reloading the scenario, moving
 * through ticks, card animations, input, and signals sent from the window.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "viz.h"
#include "pyfront.h"

#define ANIM_MS 250

/* ------------------------------------------------------------- loading */

static char *read_file(const char *path, size_t *len, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: error: cannot read the file: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *b = realloc(buf, cap *= 2);
        if (!b)
            free(buf);
        buf = b;
    }
    fclose(f);
    *len = n;
    if (!buf)
        snprintf(err, errsize, "%s: error: out of memory", path);
    return buf;
}

static int64_t mtime_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_mtime : -1;
}

/* Per-tid index of the trace's state changes, for the lanes. */
static void index_states(struct viz *v)
{
    const struct trace *tr = run_trace(v->run);
    free(v->state_index);
    free(v->state_order);
    v->state_index_n = config_pid_max(&v->cfg) + 1;
    v->state_index = calloc((size_t)v->state_index_n + 1, sizeof *v->state_index);
    v->state_order = malloc((tr->nstates + 1) * sizeof *v->state_order);
    if (!v->state_index || !v->state_order) {
        v->state_index_n = 0;
        return;
    }
    for (size_t i = 0; i < tr->nstates; i++)
        if (tr->states[i].tid > 0 && tr->states[i].tid < v->state_index_n)
            v->state_index[tr->states[i].tid + 1]++;
    for (int t = 1; t <= v->state_index_n; t++)
        v->state_index[t] += v->state_index[t - 1];
    int *fill = calloc((size_t)v->state_index_n + 1, sizeof *fill);
    if (!fill)
        return;
    for (size_t i = 0; i < tr->nstates; i++) {
        int tid = tr->states[i].tid;
        if (tid > 0 && tid < v->state_index_n)
            v->state_order[v->state_index[tid] + fill[tid]++] = (int)i;
    }
    free(fill);
}

char viz_state_at(const struct viz *v, int tid, int64_t tick)
{
    if (!v->run || tid <= 0 || tid >= v->state_index_n)
        return 0;
    const struct trace *tr = run_trace(v->run);
    int lo = v->state_index[tid], hi = v->state_index[tid + 1];
    /* The last change at or before `tick`. */
    int found = -1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (tr->states[v->state_order[mid]].tick <= tick) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (found < 0)
        return 0;
    char st = tr->states[v->state_order[found]].state;
    return st == 'X' ? 0 : st;
}

/* Room for the snapshot's indexes: one entry per possible tid. */
static void alloc_task_index(struct viz *v)
{
    free(v->task_at);
    free(v->first_child);
    free(v->next_sibling);
    free(v->anim_at);
    v->index_n = config_pid_max(&v->cfg) + 1;
    v->task_at = calloc((size_t)v->index_n, sizeof *v->task_at);
    v->first_child = calloc((size_t)v->index_n, sizeof *v->first_child);
    v->next_sibling = calloc((size_t)v->index_n, sizeof *v->next_sibling);
    v->anim_at = calloc((size_t)v->index_n, sizeof *v->anim_at);
    if (!v->task_at || !v->first_child || !v->next_sibling || !v->anim_at)
        v->index_n = 0;
}

/* Fill (set) or clear the indexes for the tasks of the current snapshot.
 * Clearing touches only the entries this snapshot set, so a seek costs
 * O(tasks), not O(pid_max). Children are listed in pid order. */
static void index_snapshot(struct viz *v, bool set)
{
    int n = v->index_n;
    for (int i = v->snap.ntasks; i-- > 0;) {
        const struct snap_task *t = &v->snap.tasks[i];
        if (t->tid <= 0 || t->tid >= n || t->pid <= 0 || t->pid >= n)
            continue;
        v->task_at[t->tid] = set ? i + 1 : 0;
        if (!set) {
            v->first_child[t->pid] = v->next_sibling[t->pid] = 0;
        } else if (t->main_thread && t->ppid > 0 && t->ppid < n && t->ppid != t->pid) {
            v->next_sibling[t->pid] = v->first_child[t->ppid];
            v->first_child[t->ppid] = t->pid;
        }
    }
}

const struct snap_task *viz_task(const struct viz *v, int tid)
{
    if (tid > 0 && tid < v->index_n)
        return v->task_at[tid] ? &v->snap.tasks[v->task_at[tid] - 1] : NULL;
    for (int i = 0; i < v->snap.ntasks; i++)      /* no index (out of memory) */
        if (v->snap.tasks[i].tid == tid)
            return &v->snap.tasks[i];
    return NULL;
}

static unsigned run_groups(const struct viz *v);

/* Parse `path` and record its run; on success replace what is loaded. */
static bool load(struct viz *v, const char *path, bool reload)
{
    size_t len = 0;
    char err[1024];
    char *src = read_file(path, &len, err, sizeof err);
    struct diag d;
    char *msg = NULL;
    struct scenario *s = src ? pyfront_parse(path, src, len, &d, &msg) : NULL;
    if (src && !s && msg)
        snprintf(err, sizeof err, "%s", msg);   /* the Python translator's */
    else if (src && !s)
        diag_format(&d, err, sizeof err);
    free(msg);
    if (!s) {
        free(src);
        snprintf(v->error, sizeof v->error, "%s", err);
        v->error_is_reload = reload && v->run;
        if (v->error_is_reload)
            viz_relayout(v);           /* the bar grows to hold the error */
        return false;
    }
    struct run *r = run_record_with(s, &s->config, v->added, v->nadded);
    if (!r) {
        scenario_free(s);
        free(src);
        snprintf(v->error, sizeof v->error, "%s: error: out of memory", path);
        return false;
    }
    run_free(v->run);
    scenario_free(v->scn);
    free(v->src);
    v->src = src;
    v->scn = s;
    v->cfg = s->config;
    v->run = r;
    v->error[0] = '\0';
    if (run_status(r) == MS_ERROR)
        diag_format(run_error(r), v->error, sizeof v->error);
    if (path != v->path)
        snprintf(v->path, sizeof v->path, "%s", path);
    v->mtime = mtime_of(path);
    index_states(v);
    alloc_task_index(v);
    lanes_build(v);
    v->groups = run_groups(v);
    v->nanims = 0;
    viz_seek(v, reload ? v->tick : 0);
    return true;
}

bool viz_load(struct viz *v, const char *path)
{
    if (!v->speed)
        v->speed = 8;
    snprintf(v->path, sizeof v->path, "%s", path);
    return load(v, v->path, false);
}

bool viz_reload(struct viz *v)
{
    return load(v, v->path, true);
}

void viz_free(struct viz *v)
{
    run_free(v->run);
    scenario_free(v->scn);
    free(v->src);
    free(v->state_index);
    free(v->state_order);
    free(v->task_at);
    free(v->first_child);
    free(v->next_sibling);
    free(v->anim_at);
    v->task_at = v->first_child = v->next_sibling = v->anim_at = NULL;
    v->index_n = 0;
    free(v->lanes);
    v->lanes = NULL;
    v->nlanes = 0;
    snapshot_free(&v->snap);
    snapshot_free(&v->next);
    memset(&v->next, 0, sizeof v->next);
    v->has_next = false;
    snapshot_free(&v->wire);
    memset(&v->wire, 0, sizeof v->wire);
    v->has_wire = false;
    v->net_drawn = false;
    v->npool_geom = 0;
    v->run = NULL;
    v->scn = NULL;
    v->src = NULL;
}

/* ------------------------------------------------------------ moving */

int64_t viz_end_tick(const struct viz *v)
{
    return v->run ? run_end_tick(v->run) : 0;
}

static SDL_Rect lerp(SDL_Rect a, SDL_Rect b, float t)
{
    return (SDL_Rect){ a.x + (int)((float)(b.x - a.x) * t), a.y + (int)((float)(b.y - a.y) * t),
                       a.w + (int)((float)(b.w - a.w) * t), a.h + (int)((float)(b.h - a.h) * t) };
}

float viz_anim_progress(const struct viz *v, const struct anim *a)
{
    if (!v->animate)
        return 1.0f;
    float t = (float)(v->now - a->start) / ANIM_MS;
    if (t >= 1.0f)
        return 1.0f;
    if (t <= 0.0f)
        return 0.0f;
    float u = 1.0f - t;
    return 1.0f - u * u * u;          /* ease out */
}

/* Where card animations go after the layout changed: cards that moved
 * glide from where they were; new children come out of their parent's
 * card; reaped zombies fade where they stood. */
static void retarget(struct viz *v)
{
    struct anim next[VIZ_MAX_ANIMS];
    int n = 0;
    const struct layout *l = &v->layout;
    bool indexed = true;
    for (int k = 0; k < v->nanims; k++)
        if (!v->anims[k].fading) {
            int tid = v->anims[k].tid;
            indexed &= tid > 0 && tid < v->index_n;
            if (tid > 0 && tid < v->index_n)
                v->anim_at[tid] = k + 1;
        }
    for (int i = 0; i < l->ncards && n < VIZ_MAX_ANIMS; i++) {
        const struct card *c = &l->cards[i];
        struct anim *old = NULL;
        if (indexed && c->tid > 0 && c->tid < v->index_n) {
            old = v->anim_at[c->tid] ? &v->anims[v->anim_at[c->tid] - 1] : NULL;
        } else {
            for (int k = 0; k < v->nanims; k++)
                if (v->anims[k].tid == c->tid && !v->anims[k].fading)
                    old = &v->anims[k];
        }
        struct anim *a = &next[n++];
        memset(a, 0, sizeof *a);
        a->tid = c->tid;
        a->to = c->r;
        a->start = v->now;
        a->alpha_to = 1.0f;
        if (old) {
            float t = viz_anim_progress(v, old);
            a->from = lerp(old->from, old->to, t);
            a->alpha_from = old->alpha_from + (old->alpha_to - old->alpha_from) * t;
        } else {
            const struct snap_task *st = &v->snap.tasks[c->task];
            const struct card *parent = layout_card(l, st->main_thread ? st->ppid : st->pid);
            a->from = parent ? parent->r : c->r;
            a->alpha_from = 0.0f;
        }
    }
    for (int k = 0; k < v->nanims; k++)
        if (v->anims[k].tid > 0 && v->anims[k].tid < v->index_n)
            v->anim_at[v->anims[k].tid] = 0;
    for (int k = 0; k < v->nanims && n < VIZ_MAX_ANIMS; k++) {
        struct anim *old = &v->anims[k];
        if (layout_card(l, old->tid) || (old->fading && viz_anim_progress(v, old) >= 1.0f))
            continue;
        struct anim *a = &next[n++];
        *a = *old;
        if (!old->fading) {
            a->from = a->to = lerp(old->from, old->to, viz_anim_progress(v, old));
            a->alpha_from = 1.0f;
            a->alpha_to = 0.0f;
            a->start = v->now;
            a->fading = true;
        }
    }
    memcpy(v->anims, next, (size_t)n * sizeof *next);
    v->nanims = n;
}

/* The board groups the run ever has (running, the queue and sleeping
 * always: init sleeps and everything starts runnable). */
static unsigned run_groups(const struct viz *v)
{
    unsigned g = 1u << G_RUNNING | 1u << G_QUEUE | 1u << G_SLEEPING;
    const struct trace *tr = run_trace(v->run);
    for (size_t i = 0; i < tr->nstates; i++)
        switch (tr->states[i].state) {
        case 'D': g |= 1u << G_DISK; break;
        case 'T': g |= 1u << G_STOPPED; break;
        case 'Z': g |= 1u << G_ZOMBIE; break;
        default: break;
        }
    return g;
}

/* Lines of the inspector for the selected task: its PCB fields and its
 * program. */
static int inspector_lines(const struct viz *v)
{
    const struct snap_task *t = NULL;
    for (int i = 0; i < v->snap.ntasks; i++)
        if (v->snap.tasks[i].tid == v->selected_tid)
            t = &v->snap.tasks[i];
    if (!t)
        return 4;
    int n = 12;    /* up to 10 PCB fields (draw_inspector), a gap */
    if (v->snap.nchans || v->snap.nfds) {     /* the fd table */
        char lines[FD_LINES_MAX][FD_LINE];
        int nf = fd_table_lines(&v->snap, v->scn, t->pid, lines, FD_LINES_MAX);
        for (int j = 0; j < nf; j++)      /* socket lines wrap */
            n += wrap_count(lines[j], 40);
    }
    if (v->snap.nmuxes || v->snap.ngreens) {  /* its select, its greenlets */
        char lines[FD_LINES_MAX][FD_LINE];
        int nn = net_inspector_lines(&v->snap, t->tid, v->tick, lines, FD_LINES_MAX);
        for (int j = 0; j < nn; j++)
            n += wrap_count(lines[j], 40);
    }
    if (v->snap.npools) {                     /* its pools, as worker or owner */
        char lines[FD_LINES_MAX][FD_LINE];
        int np = pool_inspector_lines(&v->snap, v->scn, v->pool_facts, t->tid, lines, FD_LINES_MAX);
        for (int j = 0; j < np; j++)      /* wrapped at the inspector's width, about */
            n += wrap_count(lines[j], 40);
    }
    if (t->prog >= 0 && !viz_python(v)) {   /* a Python run's source: layout_in.src_lines */
        const struct program *p = t->prog < v->scn->nprograms
                                      ? &v->scn->programs[t->prog]
                                      : &v->scn->handlers[t->prog - v->scn->nprograms];
        if (p->ncode > 0)
            n += p->code[p->ncode - 1].pos.line - p->pos.line + 1;
    }
    return n;
}

/* Lay the window out for the current snapshot, with room for the lanes
 * the timeline's span shows (the span depends only on the width). */
void viz_relayout(struct viz *v)
{
    int line = v->font.line ? v->font.line : 16;
    char buf[4096];
    const char *para[64];
    struct layout_in in = {
        .snap = &v->snap, .w = v->w, .h = v->h, .line = line,
        .small_line = v->font.small_line ? v->font.small_line : line * 5 / 6,
        .adv = v->font.advance ? v->font.advance : line / 2,
        .small_adv = v->font.small_advance ? v->font.small_advance : line * 2 / 5,
        .lanes = v->nlanes, .scroll = v->board_scroll, .groups = v->groups,
        .title_chars = (int)strlen(v->scn && v->scn->title ? v->scn->title : v->path),
        .title = v->scn && v->scn->title ? v->scn->title : v->path,
        .notes = para, .nnotes = note_paragraphs(v->scn, buf, sizeof buf, para, 64),
        .present = v->present, .selected = v->selected_tid != 0,
    };
    for (int i = 0; i < v->snap.ntasks; i++)
        in.tree_rows += v->snap.tasks[i].main_thread;
    bool threads = false;
    int procs = 0;
    for (int i = 0; i < v->nlanes; i++) {
        threads |= v->lanes[i].thread;
        procs += !v->lanes[i].thread && v->lanes[i].tid != 1;
    }
    in.forks = procs > 1;
    in.objects = (v->scn ? v->scn->nobjects : 0) + (v->cfg.gil && threads ? 2 : 0) +
                 chans_lines(&v->snap) + array_lines(v) + pools_lines(&v->snap) +
                 net_lines(&v->snap);
    /* Room for the wait-for graph's sentences and a picture when tasks
     * wait for locks. */
    for (int i = 0; in.objects && i < v->snap.ntasks; i++)
        if (v->snap.tasks[i].wait_obj >= 0) {
            in.objects += 1;
            in.graph = true;
        }
    in.chans = v->snap.nchans + v->snap.npools +   /* tubes: a wider panel */
               (net_any(&v->snap) ? 1 : 0);
    in.net = net_any(&v->snap);
    in.inspector_lines = inspector_lines(v);
    if (viz_python(v)) {
        in.src_lines = source_nlines(v->scn);
        char num[16];
        in.src_chars = source_width(v->scn) + snprintf(num, sizeof num, "%d", in.src_lines) + 1;
    }
    /* The bar: an error's lines, each wrapped at the window's width. */
    in.bar_lines = 1;
    if (v->error[0] && v->run) {
        int per = (v->w - 20) / (in.small_adv > 0 ? in.small_adv : 8);
        char e[1024];
        snprintf(e, sizeof e, "%s", v->error);
        in.bar_lines = 0;
        for (char *ln = strtok(e, "\n"); ln; ln = strtok(NULL, "\n"))
            in.bar_lines += (int)strlen(ln) / (per > 10 ? per : 10) + 1;
    }
    v->bar_lines = in.bar_lines;
    viz_layout_in(&in, &v->layout);
    int64_t t0;
    double px;
    viz_timeline_span(v, &v->layout.proc_lanes, &t0, &px);
    int64_t t1 = t0 + (int64_t)((v->layout.proc_lanes.w - v->layout.label_w) / px);
    int n = lanes_in_view(v, t0, t1, 0, NULL, 0);
    if (n != in.lanes) {
        in.lanes = n;
        viz_layout_in(&in, &v->layout);
    }
}

/* A process whose parent changed since the last frame (an orphan adopted
 * by init or a subreaper, or the same change seen stepping back) gets its
 * tree edge swung from where its old parent's row was drawn. */
static void swing_orphans(struct viz *v, const int *pid, const int *ppid, int n)
{
    int kept = 0;
    for (int k = 0; k < v->nswings; k++)
        if (v->now - v->swings[k].start < SWING_MS)
            v->swings[kept++] = v->swings[k];
    v->nswings = kept;
    for (int i = 0; i < n; i++) {
        const struct snap_task *t = snapshot_find(&v->snap, pid[i]);
        if (!t || t->ppid == ppid[i] || v->nswings == VIZ_MAX_SWINGS)
            continue;
        for (int r = 0; r < v->ntree_rows; r++)
            if (v->tree_rows[r].pid == ppid[i]) {
                v->swings[v->nswings++] = (struct tree_swing){ pid[i], v->tree_rows[r].x,
                                                               v->tree_rows[r].y, v->now };
                break;
            }
    }
}

void viz_seek(struct viz *v, int64_t tick)
{
    /* The last stop is the end tick itself: the state after the run ended
     * (a deadlock's ring, the last zombies reaped). */
    int64_t end = viz_end_tick(v);
    if (tick > end)
        tick = end;
    if (tick < 0)
        tick = 0;
    if (tick != v->tick)
        v->flow_start = v->now;        /* this tick's messages set off */
    v->tick = tick;
    if (!v->run)
        return;
    /* Remember each process's parent to see who was reparented. */
    int old_n = 0, old_pid[VIZ_TREE_ROWS], old_ppid[VIZ_TREE_ROWS];
    for (int i = 0; i < v->snap.ntasks && old_n < VIZ_TREE_ROWS; i++)
        if (v->snap.tasks[i].main_thread) {
            old_pid[old_n] = v->snap.tasks[i].pid;
            old_ppid[old_n++] = v->snap.tasks[i].ppid;
        }
    index_snapshot(v, false);
    run_state_at(v->run, tick, &v->snap);
    if (v->snap_hook)
        v->snap_hook(&v->snap, v->snap_hook_arg);
    /* A pool's moves are what changes by the next tick (pools.c). */
    v->has_next = false;
    if (v->snap.npools && tick < end) {
        run_state_at(v->run, tick + 1, &v->next);
        if (v->snap_hook)
            v->snap_hook(&v->next, v->snap_hook_arg);
        v->has_next = true;
    }
    /* The packets sent in this tick are on the network at its end. */
    v->has_wire = false;
    if (v->snap.nsocks || v->snap.npackets) {
        run_state_after(v->run, tick, &v->wire);
        if (v->snap_hook)
            v->snap_hook(&v->wire, v->snap_hook_arg);
        v->has_wire = true;
    }
    pool_trace_facts(v);
    index_snapshot(v, true);
    swing_orphans(v, old_pid, old_ppid, old_n);
    viz_relayout(v);
    retarget(v);
}

int64_t viz_next_event_tick(const struct viz *v, int64_t from, int dir)
{
    if (!v->run)
        return -1;
    const struct trace *tr = run_trace(v->run);
    int64_t end = viz_end_tick(v);
    for (int64_t t = from + dir; t >= 0 && t <= end; t += dir) {
        size_t first;
        if (trace_events_at(tr, t, &first))
            return t;
    }
    return -1;
}

void viz_timeline_span(const struct viz *v, const SDL_Rect *area, int64_t *t0,
                       double *px_per_tick)
{
    int lane_w = area->w - v->layout.label_w;
    double px = v->font.line > 0 ? v->font.line * 0.6 : 8.0;
    /* A short run is stretched to fill the lane (up to a few font widths a
     * tick), so nothing is wasted on ticks that never happen. */
    int64_t run_len = viz_end_tick(v);
    if (run_len > 0 && lane_w / (double)run_len > px)
        px = lane_w / (double)run_len;
    if (px > v->font.line * 3.0 && v->font.line > 0)
        px = v->font.line * 3.0;
    int64_t visible = (int64_t)(lane_w / px);
    if (visible < 1)
        visible = 1;
    int64_t start = v->tick - visible * 2 / 3;     /* the cursor stays at 2/3 */
    int64_t end = viz_end_tick(v);
    if (start + visible > end)
        start = end - visible;
    if (start < 0)
        start = 0;
    *t0 = start;
    *px_per_tick = px;
}

bool viz_busy(const struct viz *v)
{
    if (v->playing || v->dragging)
        return true;
    /* A status line shows until status_until; one more frame clears it. */
    if (v->status[0] && v->now < v->status_until + 100)
        return true;
    if (!v->animate)
        return false;
    for (int k = 0; k < v->nanims; k++)
        if (viz_anim_progress(v, &v->anims[k]) < 1.0f)
            return true;
    for (int k = 0; k < v->nswings; k++)
        if (v->now - v->swings[k].start < SWING_MS)
            return true;
    return flows_moving(v);
}

void viz_update(struct viz *v, uint32_t dt_ms)
{
    v->now += dt_ms;
    if (!v->playing || !v->run)
        return;
    v->play_acc += (double)dt_ms * v->speed / 1000.0;
    if (v->play_acc < 1.0)
        return;
    int64_t step = (int64_t)v->play_acc;
    v->play_acc -= (double)step;
    if (v->tick + step >= viz_end_tick(v)) {
        step = viz_end_tick(v) - v->tick;
        v->playing = false;
    }
    viz_seek(v, v->tick + step);
}

/* ------------------------------------------------------ signals sent */

bool viz_send(struct viz *v, int kind, int sig)
{
    if (!v->run || v->nadded == VIZ_MAX_ADDED)
        return false;
    int pid = 0;
    if (kind == OUT_KILL) {
        const struct snap_task *t = NULL;
        for (int i = 0; i < v->snap.ntasks; i++)
            if (v->snap.tasks[i].tid == v->selected_tid)
                t = &v->snap.tasks[i];
        if (!t) {
            /* Say why nothing happens, rather than nothing. */
            const char *nm = signal_name(sig) ? signal_name(sig) : "signal";
            if (v->selected_tid)
                snprintf(v->status, sizeof v->status, "%s: task %d is not alive at tick %lld",
                         nm, v->selected_tid, (long long)v->tick);
            else
                snprintf(v->status, sizeof v->status, "%s: select a process first (click its "
                         "card or its lane's name)", nm);
            v->status_until = v->now + 3000;
            return false;
        }
        pid = t->pid;
    }
    /* The event happens in the next tick, so the student sees its effect
     * right after the state on screen. */
    struct outside o = { .kind = kind, .at = v->tick + 1, .pid = pid, .sig = sig };
    v->added[v->nadded++] = o;
    int64_t keep = v->tick;
    if (!load(v, v->path, true)) {
        v->nadded--;
        return false;
    }
    viz_seek(v, keep + 1);
    char line[64];
    outside_format(&o, line, sizeof line);
    snprintf(v->status, sizeof v->status, "added: %s   (U undo, W write to the file)", line);
    v->status_until = v->now + 4000;
    return true;
}

void viz_undo_sent(struct viz *v)
{
    if (!v->nadded)
        return;
    int64_t back = v->added[v->nadded - 1].at - 1;
    v->nadded--;
    if (load(v, v->path, true))
        viz_seek(v, back);
    snprintf(v->status, sizeof v->status, "undone: %d signal%s sent from the window remain%s",
             v->nadded, v->nadded == 1 ? "" : "s", v->nadded == 1 ? "s" : "");
    v->status_until = v->now + 3000;
}

bool viz_save_sent(struct viz *v)
{
    if (!v->nadded)
        return false;
    FILE *f = fopen(v->path, "a");
    if (!f)
        return false;
    fprintf(f, "\n# sent from procsim-viz\n");
    for (int i = 0; i < v->nadded; i++) {
        char line[64];
        outside_format(&v->added[i], line, sizeof line);
        fprintf(f, "%s\n", line);
    }
    fclose(f);
    v->nadded = 0;           /* now they are in the file itself */
    viz_reload(v);
    snprintf(v->status, sizeof v->status, "wrote the signals to %s", v->path);
    v->status_until = v->now + 3000;
    return true;
}

/* ---------------------------------------------------------------- input */

static bool inside(const SDL_Rect *r, int x, int y)
{
    return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

/* The tick under x on a timeline, or -1. */
static int64_t tick_at(const struct viz *v, const SDL_Rect *area, int x)
{
    int64_t t0;
    double px;
    viz_timeline_span(v, area, &t0, &px);
    int lx = x - area->x - v->layout.label_w;
    if (lx < 0)
        return -1;
    return t0 + (int64_t)(lx / px);
}

static int card_at(const struct viz *v, int x, int y)
{
    for (int i = 0; i < v->layout.ncards; i++)
        if (inside(&v->layout.cards[i].r, x, y))
            return v->layout.cards[i].tid;
    return 0;
}

/* The task whose process lane is at y, as last drawn (clicking a lane's
 * label selects it), or 0. */
static int lane_at(const struct viz *v, int y)
{
    const struct layout *l = &v->layout;
    int row = (y - l->proc_lanes.y - v->font.line) / l->lane_h;
    if (y < l->proc_lanes.y + v->font.line || row < 0 || row >= v->nlane_rows)
        return 0;
    return v->lanes[v->lane_rows[row]].tid;
}

static int clamp(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* The wheel scrolls whatever is under the mouse: the notes, the process
 * lanes, a board column, or (anywhere else) the event log. */
static void scroll(struct viz *v, int by)
{
    const struct layout *l = &v->layout;
    int x = v->mouse_x, y = v->mouse_y;
    if (inside(&l->notes, x, y)) {
        v->notes_scroll = clamp(v->notes_scroll + by, 0, 1000);   /* the drawing clamps */
        return;
    }
    if (inside(&l->proc_lanes, x, y)) {
        v->lanes_scroll = clamp(v->lanes_scroll + by, 0, v->nlanes);  /* the drawing clamps */
        return;
    }
    for (int g = 0; g < G_COUNT; g++)
        if (inside(&l->groups[g], x, y)) {
            int n = 0;
            for (int i = 0; i < v->snap.ntasks; i++)
                n += group_of(&v->snap.tasks[i]) == (enum group)g;
            v->board_scroll[g] = clamp(v->board_scroll[g] + by, 0, n > 0 ? n - 1 : 0);
            viz_seek(v, v->tick);            /* lay the cards out again */
            return;
        }
    v->event_scroll = clamp(v->event_scroll + by, 0, 1 << 30);
}

static void on_key(struct viz *v, const SDL_KeyboardEvent *k)
{
    bool shift = k->keysym.mod & KMOD_SHIFT, ctrl = k->keysym.mod & KMOD_CTRL;
    int64_t t;
    switch (k->keysym.sym) {
    case SDLK_SPACE:
        v->playing = !v->playing;
        if (v->playing && v->tick >= viz_end_tick(v))
            viz_seek(v, 0);
        break;
    case SDLK_RIGHT:
        t = shift ? viz_next_event_tick(v, v->tick, 1) : v->tick + 1;
        if (t >= 0)
            viz_seek(v, t);
        break;
    case SDLK_LEFT:
        t = shift ? viz_next_event_tick(v, v->tick, -1) : v->tick - 1;
        if (t >= 0)
            viz_seek(v, t);
        break;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS:
        v->speed = v->speed < 512 ? v->speed * 2 : 1024;
        break;
    case SDLK_MINUS: case SDLK_KP_MINUS:
        v->speed = v->speed > 1 ? v->speed / 2 : 1;
        break;
    case SDLK_HOME:
        viz_seek(v, 0);
        break;
    case SDLK_END:
        viz_seek(v, viz_end_tick(v));
        break;
    case SDLK_r:
        viz_reload(v);
        break;
    case SDLK_s:
        v->want_shot = true;
        break;
    case SDLK_F5:
        /* Presentation mode: larger text, only the lesson's panels. The
         * window loop reopens the font at the new size. */
        v->present = !v->present;
        viz_seek(v, v->tick);
        snprintf(v->status, sizeof v->status, v->present
                 ? "presentation mode: larger text, only the lesson's panels (F5 to leave)"
                 : "presentation mode off");
        v->status_until = v->now + 2500;
        break;
    case SDLK_F1: case SDLK_QUESTION:
        v->help = !v->help;
        break;
    case SDLK_SLASH:
        if (shift)
            v->help = !v->help;
        break;
    case SDLK_ESCAPE:
        if (v->help)
            v->help = false;
        else
            v->quit = true;
        break;
    case SDLK_q:
        v->quit = true;
        break;
    /* Signals: to the selected process, or the terminal's keys. */
    case SDLK_c:
        if (ctrl)
            viz_send(v, OUT_CTRL_C, SIG_INT);
        else
            viz_send(v, OUT_KILL, SIG_CONT);
        break;
    case SDLK_z:
        if (ctrl)
            viz_send(v, OUT_CTRL_Z, SIG_TSTP);
        break;
    case SDLK_i: viz_send(v, OUT_KILL, SIG_INT); break;
    case SDLK_t: viz_send(v, OUT_KILL, SIG_TERM); break;
    case SDLK_k: viz_send(v, OUT_KILL, SIG_KILL); break;
    case SDLK_p: viz_send(v, OUT_KILL, SIG_STOP); break;
    case SDLK_u: viz_undo_sent(v); break;
    case SDLK_w: viz_save_sent(v); break;
    default:
        break;
    }
}

void viz_handle_event(struct viz *v, const SDL_Event *e)
{
    const struct layout *l = &v->layout;
    int64_t t;
    switch (e->type) {
    case SDL_QUIT:
        v->quit = true;
        break;
    case SDL_KEYDOWN:
        on_key(v, &e->key);
        break;
    case SDL_TEXTINPUT:
        if (!strcmp(e->text.text, "?"))
            v->help = !v->help;
        break;
    case SDL_MOUSEBUTTONDOWN:
        v->mouse_x = e->button.x;
        v->mouse_y = e->button.y;
        if (inside(&l->cpu_lanes, e->button.x, e->button.y) ||
            inside(&l->proc_lanes, e->button.x, e->button.y)) {
            const SDL_Rect *area = inside(&l->cpu_lanes, e->button.x, e->button.y)
                                       ? &l->cpu_lanes : &l->proc_lanes;
            t = tick_at(v, area, e->button.x);
            if (t < 0 && area == &l->proc_lanes) {
                v->selected_tid = lane_at(v, e->button.y);
            } else if (t >= 0) {
                viz_seek(v, t);
                v->dragging = true;
            }
        } else {
            int tid = card_at(v, e->button.x, e->button.y);
            if (!tid)                  /* a pool's worker card selects the worker */
                tid = pool_worker_at(v, e->button.x, e->button.y);
            if (!tid)                  /* a socket's process, a task waiting on it */
                tid = net_task_at(v, e->button.x, e->button.y);
            if (tid || inside(&l->board, e->button.x, e->button.y))
                v->selected_tid = tid;
        }
        break;
    case SDL_MOUSEBUTTONUP:
        v->dragging = false;
        break;
    case SDL_MOUSEMOTION:
        v->mouse_x = e->motion.x;
        v->mouse_y = e->motion.y;
        v->hover_tid = card_at(v, e->motion.x, e->motion.y);
        if (v->dragging) {
            t = tick_at(v, &l->cpu_lanes, e->motion.x);
            if (t >= 0 && t != v->tick)
                viz_seek(v, t);
        }
        break;
    case SDL_MOUSEWHEEL:
        scroll(v, -e->wheel.y);
        break;
    default:
        break;
    }
}
