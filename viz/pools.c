/*
 * pools.c - process and thread pools in the objects panel (issue 12):
 * multiprocessing.Pool, ThreadPoolExecutor and ProcessPoolExecutor.
 *
 * A pool is a block, like a pipe's (chans.c):
 *
 *   Pool(4) p  (pid 2)                running: 7 submitted, 2 completed
 *   > [queue      6: f(6)  5: f(5)  4: f(4)] >      the task queue, head right
 *   [pid 3   ] [pid 4   ] [pid 5   ] [pid 6   ]     the workers, a card each:
 *   [0: f(0) ] [1: f(1) ] [idle    ] [3: f(3) ]     its task or idle,
 *   [1 done  ] [0 done  ] [2 done  ] [0 done  ]     the tasks it finished
 *   results  2 → 4   1 → 1   0 → 0                  the last results, newest first
 *
 * Each card's top band is in its worker's state colour (running, runnable,
 * sleeping: an idle worker waits for a task), so a busy pool reads at a
 * glance. A pool with too many workers for cards (64) gets a grid of cells,
 * one per worker with its pid, in the same colours, and a line of counts.
 * A short panel drops the results, then the cards' lines, then the cards.
 *
 * What moves: between this tick's snapshot and the next, a task that went
 * from the queue to a worker flies there (its chip framed in red as it
 * leaves), a result flies from its worker to the owner's result-handler
 * thread (the owner's card when there is none), and a task submitted flies
 * from the owner's card into the tail of the queue. The snapshots say all
 * of that. What they do not say is read from the trace's EV_POOL events
 * (pool_trace_facts, by each seek): a running task's call as its take
 * said it ("4: f(4)"), a queued task's as its submission did, whom a new
 * worker replaces (maxtasksperchild), and that a pool whose workers are
 * gone was terminated rather than joined.
 *
 * pools_layout() places everything as plain rectangles and strings (no
 * drawing), so tests can check it; draw_pools() paints what it placed.
 */
#include <stdio.h>
#include <string.h>

#include "viz.h"

#define ARROW "\xe2\x86\x92"   /* → */

/* Characters (not bytes) in a UTF-8 string. */
static int chars(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The first of the variants that fits in `room` characters, else "". */
static const char *pick(int room, int n, char var[][96])
{
    for (int i = 0; i < n; i++)
        if (chars(var[i]) <= room)
            return var[i];
    return "";
}

/* The size the scenario's `pool NAME N` statements ask for: N when
 * written as a number (all of them the same), the default without one;
 * else -1. */
static int asked_size(const struct snapshot *s, const struct scenario *scn,
                      const struct snap_pool *p)
{
    int size = 0;
    for (int i = 0; scn && i < scn->nprograms; i++) {
        const struct program *pr = &scn->programs[i];
        for (int k = 0; k < pr->ncode; k++) {
            const struct insn *in = &pr->code[k];
            if (in->op != OP_POOL || in->method != PM_NEW || in->obj < 0 ||
                in->obj >= scn->npools || strcmp(scn->pools[in->obj].name, p->name))
                continue;
            int n = -1;
            if (!in->e1)
                n = p->kind == POOLK_THREADS ? (s->ncpus + 4 < 32 ? s->ncpus + 4 : 32) : s->ncpus;
            else if (in->e1->kind == EX_NUM)
                n = (int)in->e1->num;
            if (n < 0 || (size && size != n))
                return -1;
            size = n;
        }
    }
    return size > 0 ? size : -1;
}

void pool_kind_text(const struct snapshot *s, const struct scenario *scn,
                    const struct snap_pool *p, char *out, size_t n)
{
    const char *k = p->kind == POOLK_MP ? "Pool" : p->kind == POOLK_THREADS ? "ThreadPoolExecutor"
                                                                            : "ProcessPoolExecutor";
    int size = p->size > 0 ? p->size : asked_size(s, scn, p);
    snprintf(out, n, "%s(%d) %s", k, size > p->nworkers ? size : p->nworkers, p->name);
}

/* "f(4)" from "f" and "(4,)": the call as Python writes it; a map's chunk
 * "f on items 6..8", as the events say it. */
static void call_text(const struct snap_job *j, char *out, size_t n)
{
    const char *a = j->args;
    size_t len = strlen(a);
    if (a[0] == '(' && len >= 2 && a[len - 1] == ')') {
        int inner = (int)len - 2;
        if (inner >= 1 && a[len - 2] == ',')          /* a one-item tuple's comma */
            inner--;
        snprintf(out, n, "%.23s(%.*s)", j->func, inner, a + 1);
    } else if (!strncmp(a, "chunk", 5) && strstr(a, "items ")) {
        snprintf(out, n, "%.23s on %s", j->func, strstr(a, "items "));   /* as the events say */
    } else if (a[0]) {
        snprintf(out, n, "%.23s %s", j->func, a);
    } else {
        snprintf(out, n, "%.23s()", j->func);
    }
}

void pool_job_text(const struct snap_job *j, char *out, size_t n)
{
    char call[96];
    call_text(j, call, sizeof call);
    snprintf(out, n, "%d: %s", j->id, call);
}

/* A task's text in at most max characters, shortened `level` steps at
 * least: 0 whole; 1 a map's chunk "0: f on items 0..2" as "0: f 0..2";
 * 2 the call without its number ("f(4)", "f 0..2": a chunk's number is
 * its first item's); then cut with an ellipsis. Returns the level used. */
static int fit_task_at(const char *full, int max, int level, char *out, size_t n)
{
    char b[96];
    snprintf(b, sizeof b, "%s", full);
    int used = 0;
    const char *on = strstr(b, " on items ");
    if ((level >= 1 || chars(b) > max) && on) {
        size_t at = (size_t)(on - b);
        memmove(b + at + 1, b + at + 10, strlen(b + at + 10) + 1);
        used = 1;
    }
    const char *colon = strstr(b, ": ");
    if ((level >= 2 || chars(b) > max) && colon && (level >= 2 || chars(colon + 2) <= max)) {
        memmove(b, colon + 2, strlen(colon + 2) + 1);
        used = 2;
    }
    if (chars(b) > max)
        used = 3;
    chan_cut(b, max, out, n);
    return used;
}

static void fit_task(const char *full, int max, char *out, size_t n)
{
    fit_task_at(full, max, 0, out, n);
}

/* "2 → 49", "2 → ValueError: bad", "5 cancelled". */
static void result_text(const struct snap_job *j, char *out, size_t n)
{
    if (j->state == JOB_CANCELLED)
        snprintf(out, n, "%d cancelled", j->id);
    else
        snprintf(out, n, "%d " ARROW " %s", j->id, j->result);
}

/* The task a worker runs, as its card says it: "4: f(4)" when the
 * snapshot lists it, else "task 4". */
static void running_text(const struct snap_pool *p, int id, char *out, size_t n)
{
    for (int k = 0; k < p->npending && k < SNAP_MAX_JOBS; k++)
        if (p->pending[k].id == id) {
            pool_job_text(&p->pending[k], out, n);
            return;
        }
    for (int k = 0; k < p->ndone && k < SNAP_MAX_DONE; k++)
        if (p->done[k].id == id) {
            pool_job_text(&p->done[k], out, n);
            return;
        }
    snprintf(out, n, "task %d", id);
}

static bool threads_of(const struct snap_pool *p)
{
    return p->kind == POOLK_THREADS;
}

/* The worker's id as the board names it: a process's pid, a thread's tid. */
static int worker_id(const struct snap_pool *p, const struct snap_pool_worker *w)
{
    return threads_of(p) ? w->tid : w->pid;
}

static int listed_workers(const struct snap_pool *p)
{
    return p->nworkers < SNAP_MAX_POOL_WORKERS ? p->nworkers : SNAP_MAX_POOL_WORKERS;
}

/* The gap between the queue and the workers, where a task taken runs
 * down to its worker: tall enough for the arrow to be seen. */
#define TAKE_GAP(sl) ((sl) / 2 + 6)

/* A block's small line height, from its tube. */
static int sl_of(const struct pool_geom *g)
{
    return g->tube.h - 6;
}

/* How much of a block is drawn when the panel is short. */
enum { LV_FULL,          /* cards of 3 lines, the results */
       LV_TWO,           /* cards of 2 lines (no tasks-done line), the results */
       LV_NO_RESULTS,    /* cards of 2 lines */
       LV_SUMMARY,       /* the queue and a line of counts for the workers */
       LV_COUNT };

/* Rows of a grid of n cells of width cw in w pixels. */
static int grid_rows(int n, int cw, int w)
{
    int per = (w + 2) / (cw + 2);
    per = per < 1 ? 1 : per;
    return (n + per - 1) / per;
}

/* The widest worker id's characters. */
static int id_chars(const struct snap_pool *p)
{
    int m = 1;
    for (int k = 0; k < listed_workers(p); k++) {
        char b[16];
        snprintf(b, sizeof b, "%d", worker_id(p, &p->workers[k]));
        m = (int)strlen(b) > m ? (int)strlen(b) : m;
    }
    return m;
}

/* Do the workers get cards (else a grid) in w pixels? */
static bool cards_fit(const struct snap_pool *p, int w, int adv)
{
    int n = listed_workers(p);
    return n * (6 * adv + 8) + (n - 1) * 4 <= w;
}

/* The grid's cells: labelled with the pid when 6 rows or fewer do (3
 * short of room), else bare squares. */
static void grid_cell(const struct snap_pool *p, int w, int sl, int adv, int level, int *cw,
                      int *ch, bool *label)
{
    *cw = id_chars(p) * adv + 6;
    *ch = sl + 2;
    *label = true;
    if (grid_rows(listed_workers(p), *cw, w) > (level == 0 ? 6 : 3)) {
        *cw = *ch = sl / 2 > 6 ? sl / 2 : 6;
        *label = false;
    }
}

static int block_h(const struct snap_pool *p, int w, int sl, int adv, int level)
{
    int h = sl + (sl + 6) + TAKE_GAP(sl);     /* title, tube, the gap for take arrows */
    if (level == LV_SUMMARY || !listed_workers(p))
        return h + sl + 6 + (level <= LV_TWO && listed_workers(p) == 0 ? sl + 4 : 0) + sl / 2;
    if (cards_fit(p, w, adv)) {
        h += (level == LV_FULL ? 3 : 2) * sl + 6;
    } else {
        int cw, ch;
        bool label;
        grid_cell(p, w, sl, adv, level, &cw, &ch, &label);
        h += grid_rows(listed_workers(p), cw, w) * (ch + 2) + sl;
    }
    h += 6;                                   /* the route of result arrows */
    if (level <= LV_TWO)
        h += sl + 4;
    return h + sl / 2;
}

int pools_lines(const struct snapshot *s)
{
    int n = 0;
    for (int i = 0; i < s->npools; i++)
        n += 10 + (listed_workers(&s->pools[i]) > 8 ? listed_workers(&s->pools[i]) / 16 + 1 : 0);
    return n;
}

/* The state and counts, right of the title, in as many words as fit. */
static void status_text(const struct snap_pool *p, int never, int room, struct pool_geom *g)
{
    /* A terminated pool whose workers are gone is "joined" in the
     * snapshot; the trace knows it was terminated. */
    const char *st = p->state == 'R' ? "running"
                     : p->state == 'T' || never >= 0 ? "terminated"
                     : p->kind == POOLK_MP ? (p->state == 'J' ? "joined" : "closed")
                                           : "shut down";
    char v[5][96];
    g->status_alarm = false;
    int left = never > 0 ? never : p->state == 'T' ? p->npending : 0;
    if (left) {
        g->status_alarm = true;
        snprintf(v[0], 96, "%s: %d task%s never run%s", st, left, left == 1 ? "" : "s",
                 left == 1 ? "s" : "");
        snprintf(v[1], 96, "%s: %d never run", st, left);
        snprintf(v[2], 96, "%d never run", left);
    } else {
        snprintf(v[0], 96, "%s: %lld submitted, %lld completed", st, (long long)p->submitted,
                 (long long)p->completed);
        snprintf(v[1], 96, "%s, %lld of %lld done", st, (long long)p->completed,
                 (long long)p->submitted);
        snprintf(v[2], 96, "%s %lld/%lld", st, (long long)p->completed, (long long)p->submitted);
    }
    snprintf(v[3], 96, "%s", st);
    snprintf(v[4], 96, "%c", p->state);
    snprintf(g->status, sizeof g->status, "%.95s", pick(room, 5, v));
}

/* The queue's chips from the head (right) leftwards, then "+N". */
static void place_chips(const struct snap_pool *p, const struct pool_facts *facts,
                        struct pool_geom *g, int adv)
{
    SDL_Rect t = g->tube;
    int listed = p->npending < SNAP_MAX_JOBS ? p->npending : SNAP_MAX_JOBS;
    int maxc = (t.w - 4) / adv / 3 - 1;
    maxc = maxc < 4 ? 4 : maxc > 16 ? 16 : maxc;
    int edge = t.x + t.w - 2, room = t.w - 4;
    g->nchips = 0;
    g->more = (SDL_Rect){ 0, 0, 0, 0 };
    /* One form for all the chips: the shortest any of them needs. */
    char full[SNAP_MAX_JOBS][96], tmp[POOL_CHIP_TEXT];
    int level = 0;
    for (int k = 0; k < listed; k++) {
        if (facts && facts->pending[k][0])
            snprintf(full[k], sizeof full[k], "%s", facts->pending[k]);
        else
            pool_job_text(&p->pending[k], full[k], sizeof full[k]);
        int l = fit_task_at(full[k], maxc, 0, tmp, sizeof tmp);
        level = l > level && l < 3 ? l : level;
    }
    for (int k = 0; k < listed; k++) {
        char *txt = g->chip_text[g->nchips];
        fit_task_at(full[k], maxc, level, txt, POOL_CHIP_TEXT);
        int cw = chars(txt) * adv + 8, after = p->npending - k - 1;
        char more[16];
        snprintf(more, sizeof more, "+%d", after);
        if (cw + (after ? chars(more) * adv + 10 : 0) > room)
            break;
        g->chip[g->nchips] = (SDL_Rect){ edge - cw, t.y + 2, cw, t.h - 4 };
        g->chip_job[g->nchips++] = k;
        edge -= cw + 2;
        room -= cw + 2;
    }
    int rest = p->npending - g->nchips;
    if (rest > 0) {
        snprintf(g->more_text, sizeof g->more_text, "+%d", rest);
        int mw = chars(g->more_text) * adv + 8;
        if (mw <= room) {
            g->more = (SDL_Rect){ edge - mw, t.y + 2, mw, t.h - 4 };
            edge -= mw + 2;
            room -= mw + 2;
        }
    }
    /* The word, at the tail, where the chips leave room for it. */
    const char *word = g->nchips || g->more.w ? "queue" : "queue: no task waiting";
    if (!g->nchips && !g->more.w && chars(word) * adv + 8 > room)
        word = "queue: empty";
    if (chars(word) * adv + 8 > room)
        word = g->nchips || g->more.w ? "" : "empty";
    snprintf(g->empty_text, sizeof g->empty_text, "%s", chars(word) * adv + 8 <= room ? word : "");
}

/* A card's lines: its pid (tid), its task or idle, what it finished. */
static void card_lines(const struct snap_pool *p, const struct snap_pool_worker *w,
                       const char *known, int replaces, int per, int lines,
                       char out[][POOL_CHIP_TEXT])
{
    char a[96], b[96], c[96];
    if (per >= 6)
        snprintf(a, sizeof a, threads_of(p) ? "t%d" : "pid %d", worker_id(p, w));
    else
        snprintf(a, sizeof a, "%d", worker_id(p, w));
    if (w->job >= 0 && known && known[0])
        snprintf(b, sizeof b, "%s", known);
    else if (w->job >= 0)
        running_text(p, w->job, b, sizeof b);
    else
        snprintf(b, sizeof b, "idle");
    const char *colon = strstr(b, ": ");
    if (w->job >= 0 && chars(b) > per && !(colon && chars(colon + 2) <= per)) {
        char t[32];                                 /* "task 4" before "4: f(…" */
        snprintf(t, sizeof t, "%d", w->job);
        if (chars(t) + 5 <= per)
            snprintf(b, sizeof b, "task %d", w->job);
    }
    snprintf(c, sizeof c, per >= 7 ? "%lld done" : "%lld", (long long)w->tasks_done);
    if (replaces && !w->tasks_done)           /* maxtasksperchild: a new process */
        snprintf(c, sizeof c, per >= 10 ? "replaces %d" : "new", replaces);
    chan_cut(a, per, out[0], POOL_CHIP_TEXT);
    fit_task(b, per, out[1], POOL_CHIP_TEXT);
    if (lines > 2)
        chan_cut(c, per, out[2], POOL_CHIP_TEXT);
}

/* "4 workers: 3 busy, 1 idle, 12 tasks done", shortened to fit. */
static void workers_summary(const struct snap_pool *p, int room, char *out, size_t n)
{
    int busy = 0;
    long long done = 0;
    for (int k = 0; k < listed_workers(p); k++) {
        busy += p->workers[k].job >= 0;
        done += p->workers[k].tasks_done;
    }
    char v[3][96];
    snprintf(v[0], 96, "%d worker%s: %d busy, %d idle, %lld task%s done", p->nworkers,
             p->nworkers == 1 ? "" : "s", busy, p->nworkers - busy, done, done == 1 ? "" : "s");
    snprintf(v[1], 96, "%d workers: %d busy, %d idle", p->nworkers, busy, p->nworkers - busy);
    snprintf(v[2], 96, "%d busy, %d idle", busy, p->nworkers - busy);
    snprintf(out, n, "%.95s", pick(room, 3, v));
}

static void place_workers(const struct snap_pool *p, const struct pool_facts *facts,
                          struct pool_geom *g, int x, int y, int w, int sl, int adv, int level)
{
    int n = listed_workers(p);
    g->ncards = 0;
    g->workers_text[0] = '\0';
    g->grid = false;
    if (level == LV_SUMMARY || !n) {
        workers_summary(p, w / adv, g->workers_text, sizeof g->workers_text);
        if (!n)
            snprintf(g->workers_text, sizeof g->workers_text, "no workers");
        g->workers_y = y;
        return;
    }
    if (cards_fit(p, w, adv)) {
        int lines = level == LV_FULL ? 3 : 2;
        int cw = (w - (n - 1) * 4) / n;
        int maxw = 18 * adv + 8;
        cw = cw > maxw ? maxw : cw;
        g->card_lines = lines;
        for (int k = 0; k < n; k++) {
            g->card[k] = (SDL_Rect){ x + k * (cw + 4), y, cw, lines * sl + 6 };
            g->card_worker[k] = k;
            card_lines(p, &p->workers[k], facts ? facts->running[k] : "",
                       facts ? facts->replaces[k] : 0, (cw - 8) / adv, lines, g->card_text[k]);
        }
        g->ncards = n;
        return;
    }
    g->grid = true;
    int cw, ch;
    bool label;
    grid_cell(p, w, sl, adv, level, &cw, &ch, &label);
    int per = (w + 2) / (cw + 2);
    per = per < 1 ? 1 : per;
    g->card_lines = label ? 1 : 0;
    for (int k = 0; k < n; k++) {
        g->card[k] = (SDL_Rect){ x + (k % per) * (cw + 2), y + (k / per) * (ch + 2), cw, ch };
        g->card_worker[k] = k;
        snprintf(g->card_text[k][0], POOL_CHIP_TEXT, "%d", worker_id(p, &p->workers[k]));
    }
    g->ncards = n;
    g->workers_y = y + grid_rows(n, cw, w) * (ch + 2);
    workers_summary(p, w / adv, g->workers_text, sizeof g->workers_text);
}

static void place_results(const struct snap_pool *p, struct pool_geom *g, int x, int y, int w,
                          int sl, int adv)
{
    snprintf(g->rlabel_text, sizeof g->rlabel_text, "%s", w >= 30 * adv ? "results" : "");
    int lw = chars(g->rlabel_text) * adv;
    g->rlabel = (SDL_Rect){ x, y + 1, lw, sl };
    int cx = x + (lw ? lw + adv : 0), end = x + w;
    int listed = p->ndone < SNAP_MAX_DONE ? p->ndone : SNAP_MAX_DONE;
    int maxc = (w - lw) / adv / 2 - 1;
    maxc = maxc < 6 ? 6 : maxc > 20 ? 20 : maxc;
    g->nres = 0;
    for (int k = 0; k < listed; k++) {
        char full[96];
        result_text(&p->done[k], full, sizeof full);
        char *txt = g->res_text[g->nres];
        chan_cut(full, maxc, txt, POOL_CHIP_TEXT);
        int cw = chars(txt) * adv + 8;
        if (cx + cw > end)
            break;
        g->res[g->nres] = (SDL_Rect){ cx, y, cw, sl + 2 };
        g->res_job[g->nres++] = k;
        cx += cw + 4;
    }
    if (!listed) {
        const char *none = "none yet";
        if (cx + chars(none) * adv <= end)
            snprintf(g->res_text[0], POOL_CHIP_TEXT, "%s", none);
        else
            g->res_text[0][0] = '\0';
        g->res[0] = (SDL_Rect){ cx, y, chars(g->res_text[0]) * adv, sl + 2 };
    }
}

int pools_layout(const struct snapshot *s, const struct scenario *scn, SDL_Rect area, int sl,
                 int adv, const struct pool_facts *facts, struct pool_geom *out, int max)
{
    int w = area.w - 8, x = area.x + 4;
    /* Each pool's level: in turn, pools with workers first and then the
     * others (one shut down has little to show), the fullest that leaves
     * room for every pool not yet given one at its least. At the least,
     * as many as fit. */
    int lv[VIZ_MAX_POOLS], np = s->npools < max ? s->npools : max;
    np = np < VIZ_MAX_POOLS ? np : VIZ_MAX_POOLS;
    int used = 0;
    for (int i = 0; i < np; i++) {
        lv[i] = LV_SUMMARY;
        used += block_h(&s->pools[i], w, sl, adv, LV_SUMMARY);
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < np; i++) {
            const struct snap_pool *p = &s->pools[i];
            if ((listed_workers(p) > 0) != (pass == 0))
                continue;
            int least = block_h(p, w, sl, adv, LV_SUMMARY);
            while (lv[i] > LV_FULL &&
                   used - least + block_h(p, w, sl, adv, lv[i] - 1) <= area.h)
                lv[i]--;
            used += block_h(p, w, sl, adv, lv[i]) - least;
        }
    int y = area.y, n = 0;
    for (int i = 0; i < np; i++) {
        const struct snap_pool *p = &s->pools[i];
        int level = lv[i];
        int h = block_h(p, w, sl, adv, level);
        if (y + h - sl / 2 > area.y + area.h)
            break;
        struct pool_geom *g = &out[n++];
        memset(g, 0, sizeof *g);
        g->pool = i;
        g->box = (SDL_Rect){ area.x, y, area.w, h - sl / 2 };
        /* The title, and the state and counts right of it. */
        char kind[64], t[96];
        pool_kind_text(s, scn, p, kind, sizeof kind);
        snprintf(t, sizeof t, "%s  (pid %d)", kind, p->owner);
        if (chars(t) * adv > w * 2 / 3)
            snprintf(t, sizeof t, "%s", kind);
        chan_cut(t, w / adv, g->title, sizeof g->title);
        g->title_y = y;
        status_text(p, facts && i < VIZ_MAX_POOLS ? facts[i].never : -1,
                    (w - chars(g->title) * adv) / adv - 2, g);
        y += sl;
        /* The tube, its marks at both ends (tasks flow right). */
        g->tube = (SDL_Rect){ x + adv + 4, y, w - 2 * (adv + 4), sl + 6 };
        g->tail = (SDL_Rect){ x, y, adv + 4, sl + 6 };
        g->head = (SDL_Rect){ g->tube.x + g->tube.w, y, adv + 4, sl + 6 };
        place_chips(p, facts && i < VIZ_MAX_POOLS ? &facts[i] : NULL, g, adv);
        y += sl + 6 + TAKE_GAP(sl);
        place_workers(p, facts && i < VIZ_MAX_POOLS ? &facts[i] : NULL, g, x, y, w, sl, adv,
                      level);
        if (level == LV_SUMMARY) {
            y += sl;
        } else if (!g->grid && g->ncards) {
            y += g->card[0].h;
        } else {
            y = g->workers_y + sl;
        }
        g->route_y = y + 3;
        y += 6;
        if (level <= LV_TWO && level != LV_SUMMARY) {
            place_results(p, g, x, y, w, sl, adv);
            y += sl + 4;
        }
        g->box.h = y - g->box.y;
        y += sl / 2;
    }
    return n;
}

/* ------------------------------------------------------ running tasks */

/* How far back the trace is searched for the event of a worker taking its
 * task (events, not ticks): a task that has run longer shows "task N". */
#define TAKE_SEARCH 200000

/* "4: f(4)" from an event's text "... task 4 (f(4))<end>...": the words
 * between the first " (" and the last `end`; "task 4" without them. */
static void call_words(const char *text, const char *end, int id, char out[POOL_CHIP_TEXT])
{
    const char *open = strstr(text, " ("), *close = NULL;
    for (const char *q = open; q && (q = strstr(q + 1, end));)
        close = q;
    if (open && close && close > open + 2)
        snprintf(out, POOL_CHIP_TEXT, "%d: %.*s", id, (int)(close - (open + 2)), open + 2);
    else
        snprintf(out, POOL_CHIP_TEXT, "task %d", id);
}

/* Was pool p terminated before this tick? The tasks it left, else -1. */
static int terminated(const struct viz *v, const struct snap_pool *p, size_t first)
{
    const struct trace *tr = run_trace(v->run);
    char name[48];
    snprintf(name, sizeof name, "pool %s:", p->name);
    for (size_t e = first; e > 0 && first - e < TAKE_SEARCH; e--) {
        const struct event *ev = &tr->ev[e - 1];
        if (ev->kind == EV_POOL && ev->reason == PL_TERMINATE && ev->pid == p->owner &&
            strstr(trace_text(tr, ev), name))
            return (int)ev->a;
    }
    return -1;
}

void pool_trace_facts(struct viz *v)
{
    memset(v->pool_facts, 0, sizeof v->pool_facts);
    for (int i = 0; i < VIZ_MAX_POOLS; i++)
        v->pool_facts[i].never = -1;
    if (!v->run || !v->snap.npools)
        return;
    const struct trace *tr = run_trace(v->run);
    size_t first;
    trace_events_at(tr, v->tick, &first);      /* the snapshot is before these */
    for (int i = 0; i < v->snap.npools && i < VIZ_MAX_POOLS; i++) {
        const struct snap_pool *p = &v->snap.pools[i];
        if (p->state != 'R')
            v->pool_facts[i].never = terminated(v, p, first);
        char (*running)[POOL_CHIP_TEXT] = v->pool_facts[i].running;
        int *replaces = v->pool_facts[i].replaces;
        char (*pending)[POOL_CHIP_TEXT] = v->pool_facts[i].pending;
        int listed = p->npending < SNAP_MAX_JOBS ? p->npending : SNAP_MAX_JOBS;
        int want = listed;
        for (int k = 0; k < listed_workers(p); k++)
            want += (p->workers[k].job >= 0) + (p->workers[k].tasks_done == 0);
        for (size_t e = first; e > 0 && want > 0 && first - e < TAKE_SEARCH; e--) {
            const struct event *ev = &tr->ev[e - 1];
            if (ev->kind == EV_POOL && ev->reason == PL_REPLACE)
                for (int k = 0; k < listed_workers(p); k++)
                    if (!p->workers[k].tasks_done && p->workers[k].pid == ev->b &&
                        !replaces[k]) {
                        replaces[k] = (int)ev->a;
                        want--;
                    }
            if (ev->kind == EV_POOL && ev->reason == PL_SUBMIT && ev->pid == p->owner)
                for (int k = 0; k < listed; k++)
                    if (p->pending[k].id == ev->a && !pending[k][0]) {
                        /* "pid 2 submits task 3 (cpu(3)) to ex" */
                        call_words(trace_text(tr, ev), ") to ", (int)ev->a, pending[k]);
                        want--;
                    }
            if (ev->kind != EV_POOL || ev->reason != PL_TAKE)
                continue;
            for (int k = 0; k < listed_workers(p); k++) {
                const struct snap_pool_worker *w = &p->workers[k];
                if (w->job < 0 || w->job != ev->a || (ev->b != w->tid && ev->b != w->pid) ||
                    running[k][0])
                    continue;
                /* "worker 5 takes task 4 (f(4))" */
                call_words(trace_text(tr, ev), ")", w->job, running[k]);
                want--;
            }
        }
    }
}

/* ------------------------------------------------------------ inspector */

int pool_inspector_lines(const struct snapshot *s, const struct scenario *scn,
                         const struct pool_facts *facts, int tid, char lines[][FD_LINE],
                         int max)
{
    int n = 0, pid = 0;
    for (int i = 0; i < s->ntasks; i++)
        if (s->tasks[i].tid == tid)
            pid = s->tasks[i].pid;
    for (int i = 0; i < s->npools && n < max; i++) {
        const struct snap_pool *p = &s->pools[i];
        char kind[64];
        pool_kind_text(s, scn, p, kind, sizeof kind);
        for (int k = 0; k < listed_workers(p) && n < max; k++) {
            const struct snap_pool_worker *w = &p->workers[k];
            if (threads_of(p) ? w->tid != tid : w->pid != pid)
                continue;
            char task[96] = "";
            if (w->job >= 0 && facts && i < VIZ_MAX_POOLS && facts[i].running[k][0])
                snprintf(task, sizeof task, "%s", facts[i].running[k]);
            else if (w->job >= 0)
                running_text(p, w->job, task, sizeof task);
            snprintf(lines[n++], FD_LINE, "worker of %.40s (pid %d): %s%.40s, %lld done", kind,
                     p->owner, w->job >= 0 ? "runs " : "idle", w->job >= 0 ? task : "",
                     (long long)w->tasks_done);
        }
        if (p->handler_tid && p->handler_tid == tid && n < max)
            snprintf(lines[n++], FD_LINE, "result handler of %.60s: takes results, runs callbacks",
                     kind);
        if (p->owner == pid && n < max) {
            int busy = 0;
            for (int k = 0; k < listed_workers(p); k++)
                busy += p->workers[k].job >= 0;
            snprintf(lines[n++], FD_LINE, "owns %.60s: %d of %d workers busy, %d waiting, %lld of %lld done",
                     kind, busy, p->nworkers, p->npending, (long long)p->completed,
                     (long long)p->submitted);
        }
    }
    return n;
}

/* ---------------------------------------------------------------- flows */

static const struct snap_pool *same_pool(const struct snapshot *s, const struct snap_pool *p)
{
    for (int i = 0; i < s->npools; i++)
        if (s->pools[i].owner == p->owner && !strcmp(s->pools[i].name, p->name))
            return &s->pools[i];
    return NULL;
}

static int pending_at(const struct snap_pool *p, int id)
{
    for (int k = 0; k < p->npending && k < SNAP_MAX_JOBS; k++)
        if (p->pending[k].id == id)
            return k;
    return -1;
}

static bool done_has(const struct snap_pool *p, int id)
{
    for (int k = 0; k < p->ndone && k < SNAP_MAX_DONE; k++)
        if (p->done[k].id == id)
            return true;
    return false;
}

static bool running_has(const struct snap_pool *p, int id)
{
    for (int k = 0; k < listed_workers(p); k++)
        if (p->workers[k].job == id)
            return true;
    return false;
}

/* The worker of p with this id (pid, or tid for threads), or -1. */
static int worker_index(const struct snap_pool *p, int id)
{
    for (int k = 0; k < listed_workers(p); k++)
        if (worker_id(p, &p->workers[k]) == id || p->workers[k].pid == id)
            return k;
    return -1;
}

int pool_flows_at(const struct viz *v, struct pool_flow *out, int max)
{
    if (!v->has_next)
        return 0;
    int n = 0;
    for (int i = 0; i < v->snap.npools && n < max; i++) {
        const struct snap_pool *p = &v->snap.pools[i], *q = same_pool(&v->next, p);
        if (!q)
            continue;
        /* Submitted: in the next queue, unknown now. */
        for (int k = 0; k < q->npending && k < SNAP_MAX_JOBS && n < max; k++) {
            int id = q->pending[k].id;
            if (pending_at(p, id) >= 0 || done_has(p, id) || running_has(p, id))
                continue;
            struct pool_flow *f = &out[n++];
            *f = (struct pool_flow){ .pool = i, .kind = PF_SUBMIT, .job = id, .worker = -1,
                                     .tid = p->owner };
            pool_job_text(&q->pending[k], f->label, sizeof f->label);
        }
        /* Taken: from the queue now to a worker next. */
        int first_take = n;
        for (int k = 0; k < listed_workers(q) && n < max; k++) {
            int id = q->workers[k].job, at = id >= 0 ? pending_at(p, id) : -1;
            int wk = worker_index(p, worker_id(q, &q->workers[k]));
            if (at < 0 || wk < 0)
                continue;
            struct pool_flow *f = &out[n++];
            *f = (struct pool_flow){ .pool = i, .kind = PF_TAKE, .job = id, .worker = wk,
                                     .row = at };
            pool_job_text(&p->pending[at], f->label, sizeof f->label);
        }
        /* The takes' rows: the one from the chip furthest left (the
         * latest in the queue) runs highest, so that takes going left
         * to their workers do not cross. */
        int rank[SNAP_MAX_POOL_WORKERS];
        for (int a = first_take; a < n && a - first_take < SNAP_MAX_POOL_WORKERS; a++) {
            rank[a - first_take] = 0;
            for (int b = first_take; b < n; b++)
                rank[a - first_take] += out[b].row > out[a].row;
        }
        for (int a = first_take; a < n && a - first_take < SNAP_MAX_POOL_WORKERS; a++)
            out[a].row = rank[a - first_take];
        /* Results: done next, not done now, from the worker that ran it. */
        for (int k = 0; k < q->ndone && k < SNAP_MAX_DONE && n < max; k++) {
            const struct snap_job *j = &q->done[k];
            if (done_has(p, j->id) || j->state == JOB_CANCELLED || !j->worker)
                continue;
            int wk = worker_index(p, j->worker);     /* -1: it has exited since */
            struct pool_flow *f = &out[n++];
            *f = (struct pool_flow){ .pool = i, .kind = PF_RESULT, .job = j->id, .worker = wk,
                                     .tid = p->handler_tid ? p->handler_tid : p->owner,
                                     .alarm = j->state == JOB_FAILED };
            result_text(j, f->label, sizeof f->label);
        }
    }
    return n;
}

bool pool_flow_leaves(const struct viz *v, int pool, int job)
{
    struct pool_flow f[64];
    int n = pool_flows_at(v, f, 64);
    for (int i = 0; i < n; i++)
        if (f[i].pool == pool && f[i].job == job && f[i].kind == PF_TAKE)
            return true;
    return false;
}

int pool_worker_at(const struct viz *v, int x, int y)
{
    SDL_Point pt = { x, y };
    for (int i = 0; i < v->npool_geom; i++) {
        const struct pool_geom *g = &v->pool_geom[i];
        const struct snap_pool *p = &v->snap.pools[g->pool];
        for (int k = 0; k < g->ncards; k++)
            if (SDL_PointInRect(&pt, &g->card[k])) {
                const struct snap_pool_worker *w = &p->workers[g->card_worker[k]];
                return w->tid ? w->tid : w->pid;
            }
    }
    return 0;
}

static const struct pool_geom *geom_of(const struct viz *v, int pool)
{
    for (int i = 0; i < v->npool_geom; i++)
        if (v->pool_geom[i].pool == pool)
            return &v->pool_geom[i];
    return NULL;
}

/* The card (or cell) of worker k in g, or NULL. */
static const SDL_Rect *worker_rect(const struct pool_geom *g, int k)
{
    for (int c = 0; c < g->ncards; c++)
        if (g->card_worker[c] == k)
            return &g->card[c];
    return NULL;
}

/* The way a flow goes. False when one of its ends is not on screen. */
static bool pool_path(const struct viz *v, const struct pool_flow *f, struct path *out)
{
    const struct pool_geom *g = geom_of(v, f->pool);
    if (!g)
        return false;
    const struct layout *l = &v->layout;
    const struct snap_pool *p = &v->snap.pools[f->pool];
    int mid = g->tube.y + g->tube.h / 2;
    if (f->kind == PF_TAKE) {
        const SDL_Rect *w = worker_rect(g, f->worker);
        if (!w)
            return false;
        SDL_Rect from = g->head;
        int at = pending_at(p, f->job);
        for (int c = 0; c < g->nchips; c++)
            if (g->chip_job[c] == at)
                from = g->chip[c];
        int x1 = from.x + from.w / 2, y1 = g->tube.y + g->tube.h;
        int rows = TAKE_GAP(sl_of(g)) / 4, gy = y1 + 2 + 4 * (f->row % (rows > 1 ? rows : 1));
        int x2 = w->x + w->w / 2;
        out->n = 0;
        out->p[out->n++] = (SDL_Point){ x1, y1 };
        if (x1 > w->x + 4 && x1 < w->x + w->w - 4) {     /* right above it: straight down */
            out->p[out->n++] = (SDL_Point){ x1, w->y };
            return true;
        }
        out->p[out->n++] = (SDL_Point){ x1, gy };
        out->p[out->n++] = (SDL_Point){ x2, gy };
        out->p[out->n++] = (SDL_Point){ x2, w->y };
        return true;
    }
    const struct card *c = layout_card(l, f->tid);
    if (!c && f->tid != p->owner)
        c = layout_card(l, p->owner);
    if (!c)
        return false;
    SDL_Point q[PATH_MAX_POINTS];
    int n = 0;
    if (f->kind == PF_SUBMIT) {
        q[n++] = (SDL_Point){ g->tail.x + 1, mid };
    } else {
        /* From its worker's card; from the block's edge when the worker
         * has exited (or has no card of its own) since. */
        const SDL_Rect *w = f->worker >= 0 ? worker_rect(g, f->worker) : NULL;
        if (w && !g->grid) {
            q[n++] = (SDL_Point){ w->x + w->w / 2, w->y + w->h };
            q[n++] = (SDL_Point){ w->x + w->w / 2, g->route_y };
        }
        q[n++] = (SDL_Point){ g->box.x, g->route_y };
    }
    /* A submission leaves the upper half of the card, a result comes
     * into the lower half, so two moves in one tick stay apart. */
    SDL_Rect half = c->r;
    half.h = c->r.h / 2;
    if (f->kind == PF_RESULT)
        half.y += c->r.h - half.h;
    n = path_to_card(q[n - 1], &half, flow_gap_x(l), q, n);
    out->n = n;
    bool into = f->kind == PF_SUBMIT;              /* card -> queue */
    for (int i = 0; i < n; i++)
        out->p[i] = into ? q[n - 1 - i] : q[i];
    return true;
}

void draw_pool_paths(struct viz *v, SDL_Renderer *r)
{
    struct pool_flow f[64];
    int n = pool_flows_at(v, f, 64);
    for (int i = 0; i < n; i++) {
        struct path p;
        if (pool_path(v, &f[i], &p))
            path_draw(r, &p, f[i].alarm ? VIZ_ACCENT : VIZ_INK);
    }
}

/* Where a result's or a submission's label goes at rest: along the
 * stretch of its path by the card, else under the last card of the
 * card's column (the stretch is carried on into the card, so that its
 * end is in that column). */
static bool label_spot(const struct viz *v, const struct pool_flow *f, const struct path *p,
                       int cs, int lw, int lh, const SDL_Rect *taken, int ntaken, SDL_Rect *out)
{
    int x1 = p->p[cs].x, y1 = p->p[cs].y, x2 = p->p[cs + 1].x, y2 = p->p[cs + 1].y;
    const struct card *c = layout_card(&v->layout, f->tid);
    if (!c)
        c = layout_card(&v->layout, v->snap.pools[f->pool].owner);
    if (c && f->kind == PF_SUBMIT) {
        x1 = c->r.x + c->r.w / 2;
    } else if (c) {
        x2 = c->r.x + c->r.w / 2;
    }
    return viz_label_spot(&v->layout, x1, y1, x2, y2, lw, lh, taken, ntaken, out);
}

void draw_pool_flows(struct viz *v, SDL_Renderer *r, SDL_Rect *taken, int *ntaken, int max_taken)
{
    struct pool_flow f[64];
    int n = pool_flows_at(v, f, 64);
    float t = flow_progress(v);
    for (int i = 0; i < n; i++) {
        struct path p;
        if (!pool_path(v, &f[i], &p))
            continue;
        /* Moving, the chip rides the path; at rest a take is the arrow
         * and the chip framed in the queue, and a result or submission
         * is labelled where it covers no card, along its stretch over
         * the board. */
        int lw = font_width(&v->font, FONT_SMALL, f[i].label) + 8, lh = v->font.small_line + 2;
        SDL_Rect spot;
        int cs = f[i].kind == PF_SUBMIT ? 0 : p.n - 2;
        if (t < 1.0f) {
            SDL_Point at = path_along(&p, t);
            spot = (SDL_Rect){ at.x - lw / 2, at.y - lh / 2, lw, lh };
        } else if (f[i].kind == PF_TAKE) {
            continue;
        } else if (*ntaken < max_taken &&
                   label_spot(v, &f[i], &p, cs, lw, lh, taken, *ntaken, &spot)) {
            taken[(*ntaken)++] = spot;
        } else {
            continue;
        }
        viz_fill(r, spot, f[i].alarm ? VIZ_ALARM : VIZ_PANEL);
        viz_frame(r, spot, f[i].alarm ? VIZ_ACCENT : VIZ_CARD_EDGE);
        font_draw(&v->font, r, FONT_SMALL, f[i].label, f[i].alarm ? VIZ_ACCENT : VIZ_INK,
                  spot.x + 4, spot.y + 1, 0);
    }
}

/* ------------------------------------------------------------- drawing */

/* A small solid triangle in rc pointing right: the way tasks flow. */
static void flow_mark(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, 255);
    int h = rc.h / 3, cx = rc.x + rc.w / 2 - h / 2, cy = rc.y + rc.h / 2;
    for (int d = 0; d <= h; d++)
        SDL_RenderDrawLine(r, cx + d, cy - (h - d), cx + d, cy + (h - d));
}

static void draw_block(struct viz *v, SDL_Renderer *r, const struct snap_pool *p,
                       const struct pool_geom *g)
{
    int sl = v->font.small_line, x = g->box.x + 4;
    font_draw(&v->font, r, FONT_SMALL, g->title, VIZ_INK, x, g->title_y, 0);
    if (g->status[0]) {
        int sw = font_width(&v->font, FONT_SMALL, g->status);
        font_draw(&v->font, r, FONT_SMALL, g->status, g->status_alarm ? VIZ_ACCENT : VIZ_MUTED,
                  g->box.x + g->box.w - 4 - sw, g->title_y, 0);
    }
    /* The task queue. */
    SDL_Rect t = g->tube;
    viz_fill(r, t, VIZ_BOARD);
    viz_fill(r, (SDL_Rect){ t.x, t.y, t.w, 1 }, VIZ_INK);
    viz_fill(r, (SDL_Rect){ t.x, t.y + t.h - 1, t.w, 1 }, VIZ_INK);
    flow_mark(r, g->tail, VIZ_INK);
    flow_mark(r, g->head, VIZ_INK);
    bool dead = p->state == 'T';                /* terminated: they never run */
    for (int k = 0; k < g->nchips; k++) {
        int j = g->chip_job[k];
        bool leaves = pool_flow_leaves(v, g->pool, p->pending[j].id);
        viz_fill(r, g->chip[k], VIZ_PANEL);
        viz_frame(r, g->chip[k], leaves ? VIZ_ACCENT : VIZ_CARD_EDGE);
        if (leaves)
            viz_frame(r, (SDL_Rect){ g->chip[k].x + 1, g->chip[k].y + 1, g->chip[k].w - 2,
                                 g->chip[k].h - 2 }, VIZ_ACCENT);
        font_draw(&v->font, r, FONT_SMALL, g->chip_text[k], dead ? VIZ_MUTED : VIZ_INK,
                  g->chip[k].x + 4, g->chip[k].y + (g->chip[k].h - sl) / 2, 0);
    }
    if (g->more.w) {
        viz_frame(r, g->more, VIZ_CARD_EDGE);
        font_draw(&v->font, r, FONT_SMALL, g->more_text, VIZ_MUTED, g->more.x + 4,
                  g->more.y + (g->more.h - sl) / 2, 0);
    }
    if (g->empty_text[0])
        font_draw(&v->font, r, FONT_SMALL, g->empty_text, VIZ_MUTED, t.x + 4,
                  t.y + (t.h - sl) / 2, 0);
    /* The workers: a card each, its top band in the worker's state colour. */
    for (int k = 0; k < g->ncards; k++) {
        const struct snap_pool_worker *w = &p->workers[g->card_worker[k]];
        const struct snap_task *tk = viz_task(v, w->tid ? w->tid : w->pid);
        SDL_Color sc = tk ? state_colour(tk->state, tk->cpu >= 0) : VIZ_CARD_EDGE;
        SDL_Rect c = g->card[k];
        if (g->grid) {
            viz_fill(r, c, sc);
            if (g->card_lines)
                font_draw(&v->font, r, FONT_SMALL, g->card_text[k][0], text_on(sc), c.x + 3,
                          c.y + 1, 0);
            continue;
        }
        viz_fill(r, c, VIZ_PANEL);
        viz_fill(r, (SDL_Rect){ c.x, c.y, c.w, sl + 2 }, sc);
        viz_frame(r, c, VIZ_CARD_EDGE);
        font_draw(&v->font, r, FONT_SMALL, g->card_text[k][0], text_on(sc), c.x + 4, c.y + 1, 0);
        font_draw(&v->font, r, FONT_SMALL, g->card_text[k][1], w->job >= 0 ? VIZ_INK : VIZ_MUTED,
                  c.x + 4, c.y + 3 + sl, 0);
        if (g->card_lines > 2)
            font_draw(&v->font, r, FONT_SMALL, g->card_text[k][2], VIZ_MUTED, c.x + 4,
                      c.y + 3 + 2 * sl, 0);
    }
    if (g->workers_text[0])
        font_draw(&v->font, r, FONT_SMALL, g->workers_text, VIZ_MUTED, x, g->workers_y, 0);
    /* The results, newest first. */
    if (g->rlabel_text[0])
        font_draw(&v->font, r, FONT_SMALL, g->rlabel_text, VIZ_MUTED, g->rlabel.x, g->rlabel.y, 0);
    for (int k = 0; k < g->nres; k++) {
        const struct snap_job *j = &p->done[g->res_job[k]];
        bool failed = j->state == JOB_FAILED, cancelled = j->state == JOB_CANCELLED;
        viz_fill(r, g->res[k], failed ? VIZ_ALARM : cancelled ? VIZ_BOARD : VIZ_PANEL);
        viz_frame(r, g->res[k], failed ? VIZ_ACCENT : VIZ_CARD_EDGE);
        font_draw(&v->font, r, FONT_SMALL, g->res_text[k],
                  failed ? VIZ_ACCENT : cancelled ? VIZ_MUTED : VIZ_INK, g->res[k].x + 4,
                  g->res[k].y + 1, 0);
    }
    if (!g->nres && g->res[0].w && g->res_text[0][0])
        font_draw(&v->font, r, FONT_SMALL, g->res_text[0], VIZ_MUTED, g->res[0].x,
                  g->res[0].y + 1, 0);
}

int draw_pools(struct viz *v, SDL_Renderer *r, SDL_Rect area)
{
    v->npool_geom = 0;
    if (!v->snap.npools)
        return area.y;
    struct pool_geom *g = v->pool_geom;
    int n = pools_layout(&v->snap, v->scn, area, v->font.small_line, v->font.small_advance,
                         v->pool_facts, g, VIZ_MAX_POOLS);
    v->npool_geom = n;
    int y = area.y;
    for (int i = 0; i < n; i++) {
        draw_block(v, r, &v->snap.pools[g[i].pool], &g[i]);
        y = g[i].box.y + g[i].box.h + v->font.small_line / 2;
        if (i + 1 < n)
            viz_fill(r, (SDL_Rect){ area.x + 4, y - v->font.small_line / 4 - 1, area.w - 8, 1 },
                 VIZ_RULE);
    }
    if (n < v->snap.npools && y + v->font.small_line <= area.y + area.h) {
        char more[64];
        snprintf(more, sizeof more, "... and %d more pool%s", v->snap.npools - n,
                 v->snap.npools - n == 1 ? "" : "s");
        font_draw(&v->font, r, FONT_SMALL, more, VIZ_MUTED, area.x + 4, y, area.w - 8);
        y += v->font.small_line;
    }
    return y;
}
