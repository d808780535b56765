/*
 * test_pools.c - pools and executors in the window (issue 12), off-screen.
 *
 * The pool code fills snapshot.pools; here a run of sleeping processes
 * gets hand-made pool data put into its snapshots (a Pool(4) with three
 * busy workers, three tasks queued and a failed result, a
 * ThreadPoolExecutor with a cancelled future, a Pool(64)), so the drawing
 * is judged apart from the kernel code: each block stays in the objects
 * panel, every worker has its card (or its cell of a grid) with its pid
 * and task, the queue's chips keep the order (the next task out at the
 * right), the results are there (a failure in red), no text is cut or
 * drawn over another at the classroom sizes and presenting, the inspector
 * says a worker's pool and task and an owner's pools, and what changes
 * between two ticks moves: a task from the queue to the worker that takes
 * it, a result to the owner, a new task into the queue.
 *
 * PROCSIM_VIZ_SHOTS=DIR saves each frame checked as a PNG there, to look at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"

static const char fake_src[] =
    "title \"pools\"\n"
    "describe \"Fake pool data, filled in by the test.\"\n"
    "program worker {\n  sleep 40\n}\n"
    "program main {\n  fork worker\n  fork worker\n  fork worker\n  fork worker\n"
    "  sleep 30\n  wait\n  wait\n  wait\n  wait\n}\n"
    "spawn main\n";

static const int sizes[][2] = { { 1024, 768 }, { 1280, 800 }, { 1920, 1080 }, { 800, 500 } };

static struct snap_job job(int id, const char *func, const char *args, int state, int worker,
                           const char *result)
{
    struct snap_job j = { .id = id, .state = (uint8_t)state, .worker = worker };
    snprintf(j.func, sizeof j.func, "%s", func);
    snprintf(j.args, sizeof j.args, "%s", args);
    snprintf(j.result, sizeof j.result, "%s", result);
    return j;
}

/* What the test puts in: which pools, and whether the snapshot is the
 * tick after (the moves between them). */
struct fake {
    int npools;                /* 1: Pool(4); 2: + a ThreadPoolExecutor; 3: + Pool(64) */
    int64_t moved_at;          /* from this tick on: task 4 taken, 2's result back, 7 queued */
};

/* Pids in the run: main 2, workers 3 4 5 6 (all sleeping at tick 8). */
static void fake_pools(struct snapshot *s, void *arg)
{
    const struct fake *fk = arg;
    bool moved = s->tick >= fk->moved_at;
    free(s->pools);
    s->pools = calloc(4, sizeof *s->pools);
    s->poolcap = 4;
    s->npools = fk->npools;
    struct snap_pool *p = &s->pools[0];
    p->kind = POOLK_MP;
    snprintf(p->name, sizeof p->name, "p");
    p->owner = 2;
    p->state = 'R';
    p->nworkers = 4;
    const int jobs[4] = { 0, 1, moved ? 4 : -1, 3 };
    const int done[4] = { 1, 0, 2, 0 };
    for (int k = 0; k < 4; k++)
        p->workers[k] = (struct snap_pool_worker){ .pid = 3 + k, .tid = 3 + k, .job = jobs[k],
                                                   .tasks_done = done[k] + (moved && k == 2) };
    int first = moved ? 5 : 4;
    for (int id = first; id <= (moved ? 7 : 6); id++) {
        char a[16];
        snprintf(a, sizeof a, "(%d,)", id);
        p->pending[p->npending++] = job(id, "f", a, JOB_PENDING, 0, "");
    }
    if (moved)
        p->done[p->ndone++] = job(2, "f", "(2,)", JOB_DONE, 5, "4");
    p->done[p->ndone++] = job(9, "g", "(1,)", JOB_FAILED, 4, "ValueError: bad");
    p->done[p->ndone++] = job(8, "f", "(8,)", JOB_DONE, 3, "64");
    p->submitted = 8 + moved;
    p->completed = 2 + moved;
    if (fk->npools >= 2) {
        p = &s->pools[1];
        p->kind = POOLK_THREADS;
        snprintf(p->name, sizeof p->name, "ex");
        p->owner = 2;
        p->state = 'C';
        p->nworkers = 2;
        p->workers[0] = (struct snap_pool_worker){ .pid = 2, .tid = 7, .job = 1, .tasks_done = 0 };
        p->workers[1] = (struct snap_pool_worker){ .pid = 2, .tid = 8, .job = -1, .tasks_done = 1 };
        p->pending[p->npending++] = job(2, "fetch", "('http://example.com/a-long-path',)",
                                        JOB_PENDING, 0, "");
        p->done[p->ndone++] = job(3, "fetch", "('x',)", JOB_CANCELLED, 0, "");
        p->done[p->ndone++] = job(0, "fetch", "('y',)", JOB_DONE, 8, "200");
        p->submitted = 4;
        p->completed = 1;
    }
    if (fk->npools >= 3) {
        p = &s->pools[2];
        p->kind = POOLK_MP;
        snprintf(p->name, sizeof p->name, "big");
        p->owner = 2;
        p->state = 'R';
        p->nworkers = 64;
        for (int k = 0; k < 64; k++)
            p->workers[k] = (struct snap_pool_worker){ .pid = 100 + k, .tid = 100 + k,
                                                       .job = k % 5 ? 1000 + k : -1,
                                                       .tasks_done = 15600 + k };
        for (int k = 0; k < 20; k++) {
            char a[16];
            snprintf(a, sizeof a, "(%d,)", 2000 + k);
            if (p->npending < SNAP_MAX_JOBS)
                p->pending[p->npending] = job(2000 + k, "square", a, JOB_PENDING, 0, "");
            p->npending++;
        }
        p->submitted = 1000000;
        p->completed = 999000;
    }
}

static void shot(struct frame *f, const char *tag)
{
    const char *dir = getenv("PROCSIM_VIZ_SHOTS");
    if (dir && *dir) {
        static int n;
        char path[512], m[256];
        snprintf(path, sizeof path, "%s/pools-%02d-%s-%dx%d%s.png", dir, n++, tag, f->v.w, f->v.h,
                 f->v.present ? "-present" : "");
        viz_save_png(f->r, path, m, sizeof m);
    }
}

static void draw_logged(struct frame *f, const char *tag)
{
    f->log.n = 0;
    f->v.font.log = &f->log;
    viz_draw(f->r, &f->v);
    f->v.font.log = NULL;
    shot(f, tag);
}

/* Presenting: the font of presentation mode, laid out again. */
static void present(struct frame *f)
{
    char msg[256];
    font_flush(&f->v.font);
    font_close(&f->v.font);
    f->v.present = true;
    assert_true(font_open(&f->v.font, NULL, viz_font_px(f->v.w, f->v.h, 1.0f, true), msg,
                          sizeof msg));
    viz_relayout(&f->v);
}

static bool intersects(SDL_Rect a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static const struct text_drawn *drawn_in(const struct frame *f, const char *text, SDL_Rect rc)
{
    for (int i = 0; i < f->log.n; i++)
        if (!strcmp(f->log.e[i].text, text) && inside(f->log.e[i].r, rc))
            return &f->log.e[i];
    return NULL;
}

/* No text cut, over another or outside the window; each block in the
 * panel and apart from the others; chips in the tube, the head's first;
 * cards apart and inside their block. */
static void check(struct frame *f, const char *what)
{
    const struct layout *l = &f->v.layout;
    SDL_Rect win = { 0, 0, f->v.w, f->v.h };
    for (int i = 0; i < f->log.n; i++) {
        const struct text_drawn *a = &f->log.e[i];
        if (a->clipped)
            fail_msg("%s: text cut: \"%s\"", what, a->text);
        if (!inside(a->r, win))
            fail_msg("%s: text off the window: \"%s\"", what, a->text);
        for (int j = i + 1; j < f->log.n; j++)
            if (intersects(a->r, f->log.e[j].r))
                fail_msg("%s: texts overlap: \"%s\" and \"%s\"", what, a->text, f->log.e[j].text);
    }
    assert_true(l->objects.w > 0);
    if (f->v.npool_geom < 1)
        fail_msg("%s: no pool drawn", what);
    for (int i = 0; i < f->v.npool_geom; i++) {
        const struct pool_geom *g = &f->v.pool_geom[i];
        const struct snap_pool *p = &f->v.snap.pools[g->pool];
        if (!inside(g->box, l->objects))
            fail_msg("%s: block of pool %s leaves the objects panel", what, p->name);
        for (int j = i + 1; j < f->v.npool_geom; j++)
            if (intersects(g->box, f->v.pool_geom[j].box))
                fail_msg("%s: blocks of %s and %s overlap", what, p->name,
                         f->v.snap.pools[f->v.pool_geom[j].pool].name);
        if (!drawn_in(f, g->title, g->box))
            fail_msg("%s: title \"%s\" not drawn", what, g->title);
        assert_true(inside(g->tube, g->box));
        for (int k = 0; k < g->nchips; k++) {
            assert_true(inside(g->chip[k], g->tube));
            assert_int_equal(g->chip_job[k], k);              /* in queue order */
            if (k > 0)
                assert_true(g->chip[k].x + g->chip[k].w <= g->chip[k - 1].x);
            if (!drawn_in(f, g->chip_text[k], g->chip[k]))
                fail_msg("%s: chip \"%s\" not drawn in it", what, g->chip_text[k]);
        }
        if (p->npending)
            assert_true(g->nchips >= 1);        /* the next task out is always shown */
        for (int k = 0; k < g->ncards; k++) {
            if (!inside(g->card[k], g->box))
                fail_msg("%s: worker %d of %s leaves its block", what, k, p->name);
            for (int m = k + 1; m < g->ncards; m++)
                assert_false(intersects(g->card[k], g->card[m]));
            for (int c = 0; c < g->nchips; c++)
                assert_false(intersects(g->card[k], g->chip[c]));
        }
        for (int k = 0; k < g->nres; k++) {
            assert_true(inside(g->res[k], g->box));
            if (!drawn_in(f, g->res_text[k], g->res[k]))
                fail_msg("%s: result \"%s\" not drawn in it", what, g->res_text[k]);
        }
    }
}

/* The text of worker k's card in block g, line `line`. */
static const char *card_text(const struct pool_geom *g, int worker, int line)
{
    for (int k = 0; k < g->ncards; k++)
        if (g->card_worker[k] == worker)
            return g->card_text[k][line];
    return NULL;
}

static void test_pool_drawn_at_classroom_sizes(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int np = 1; np <= 3; np++)
            for (int pres = 0; pres <= 1; pres++) {
                struct frame *f = open_frame("pools", fake_src, sizes[s][0], sizes[s][1]);
                struct fake fk = { np, 1000 };
                f->v.snap_hook = fake_pools;
                f->v.snap_hook_arg = &fk;
                if (pres)
                    present(f);
                viz_seek(&f->v, 8);
                char what[96];
                snprintf(what, sizeof what, "%dx%d%s, %d pools", sizes[s][0], sizes[s][1],
                         pres ? " presenting" : "", np);
                draw_logged(f, "classroom");
                check(f, what);
                if (sizes[s][1] < 768 && np > 1)
                    goto next;             /* a small window: as much as fits, checked above */
                if (f->v.npool_geom < np)
                    fail_msg("%s: %d of %d pools drawn", what, f->v.npool_geom, np);
                const struct pool_geom *g = &f->v.pool_geom[0];
                assert_string_equal(g->title, sizes[s][0] >= 1024 ? "Pool(4) p  (pid 2)" : g->title);
                assert_non_null(strstr(g->title, "Pool(4) p"));
                /* The queue: task 4 at the head, the next a free worker takes. */
                assert_string_equal(g->chip_text[0], "4: f(4)");
                assert_false(g->grid);
                assert_int_equal(g->ncards, 4);
                if (g->card_lines >= 2) {
                    assert_string_equal(card_text(g, 0, 0), "pid 3");
                    assert_string_equal(card_text(g, 2, 1), "idle");
                    assert_string_equal(card_text(g, 0, 1), "task 0");
                }
                if (g->nres >= 2) {
                    /* The failure, in red on pink. */
                    const struct text_drawn *d = drawn_in(f, g->res_text[0], g->res[0]);
                    assert_non_null(d);
                    assert_non_null(strstr(g->res_text[0], "9 \xe2\x86\x92 "));
                    assert_memory_equal(&d->c, &VIZ_ACCENT, 3);
                    assert_string_equal(g->res_text[1], "8 \xe2\x86\x92 64");
                }
                if (np >= 2) {
                    const struct pool_geom *e = &f->v.pool_geom[1];
                    assert_non_null(strstr(e->title, "ThreadPoolExecutor(2) ex"));
                    if (e->ncards)
                        assert_string_equal(card_text(e, 0, 0), "t7");
                    else                   /* its workers in a line of counts */
                        assert_non_null(strstr(e->workers_text, "1 busy, 1 idle"));
                }
                if (np >= 3 && f->v.npool_geom >= 3) {
                    const struct pool_geom *b = &f->v.pool_geom[2];
                    if (sizes[s][0] >= 1920 && !pres)
                        assert_true(b->ncards > 0);    /* room for its cells */
                    if (b->ncards) {               /* 64 workers: a grid of cells */
                        assert_true(b->grid);
                        assert_int_equal(b->ncards, 64);
                    }
                    assert_non_null(drawn_in(f, b->workers_text, b->box));
                    assert_non_null(strstr(b->workers_text, "51 busy, 13 idle"));
                }
            next:
                close_frame(f);
            }
}

/* The levels of detail: in a tall panel all of it; the counts left when a
 * pool must fit in little room. Straight from pools_layout. */
static void test_layout_gives_way(void **state)
{
    (void)state;
    struct frame *f = open_frame("pools", fake_src, 1280, 800);
    struct fake fk = { 3, 1000 };
    f->v.snap_hook = fake_pools;
    f->v.snap_hook_arg = &fk;
    viz_seek(&f->v, 8);
    struct pool_geom g[VIZ_MAX_POOLS];
    int sl = 13, adv = 7;
    int n = pools_layout(&f->v.snap, f->v.scn, (SDL_Rect){ 0, 0, 500, 2000 }, sl, adv, NULL, g,
                         VIZ_MAX_POOLS);
    assert_int_equal(n, 3);
    assert_int_equal(g[0].card_lines, 3);
    assert_string_equal(g[0].card_text[0][2], "1 done");
    assert_int_equal(g[0].nres, 2);
    for (int i = 0; i + 1 < n; i++)
        assert_true(g[i].box.y + g[i].box.h <= g[i + 1].box.y);
    /* Short: no results, then a line of counts for the workers. */
    n = pools_layout(&f->v.snap, f->v.scn, (SDL_Rect){ 0, 0, 500, 190 }, sl, adv, NULL, g,
                     VIZ_MAX_POOLS);
    assert_true(n >= 1);
    for (int i = 0; i < n; i++)
        assert_true(g[i].box.y + g[i].box.h <= 190);
    assert_int_equal(g[0].nres, 0);
    /* Narrow: the 4 cards still fit, cut by whole characters. */
    n = pools_layout(&f->v.snap, f->v.scn, (SDL_Rect){ 0, 0, 240, 2000 }, sl, adv, NULL, g, 1);
    assert_int_equal(n, 1);
    assert_false(g[0].grid);
    for (int k = 0; k < g[0].ncards; k++)
        assert_true(g[0].card[k].x + g[0].card[k].w <= 240);
    close_frame(f);
}

/* Between tick 8 and 9 task 4 goes from the queue to worker 5 (the idle
 * one), task 2's result comes back, task 7 is submitted: three moves,
 * each from where it starts to where it ends. */
static void test_moves_between_ticks(void **state)
{
    (void)state;
    struct frame *f = open_frame("pools", fake_src, 1280, 800);
    struct fake fk = { 1, 9 };
    f->v.snap_hook = fake_pools;
    f->v.snap_hook_arg = &fk;
    viz_seek(&f->v, 8);
    draw_logged(f, "moves");
    check(f, "moves");
    struct pool_flow fl[16];
    int n = pool_flows_at(&f->v, fl, 16);
    assert_int_equal(n, 3);
    bool take = false, result = false, submit = false;
    for (int i = 0; i < n; i++) {
        if (fl[i].kind == PF_TAKE) {
            take = true;
            assert_int_equal(fl[i].job, 4);
            assert_int_equal(fl[i].worker, 2);      /* pid 5 */
            assert_string_equal(fl[i].label, "4: f(4)");
        } else if (fl[i].kind == PF_RESULT) {
            result = true;
            assert_int_equal(fl[i].job, 2);
            assert_int_equal(fl[i].worker, 2);
            assert_int_equal(fl[i].tid, 2);         /* to the owner: no handler thread */
            assert_string_equal(fl[i].label, "2 \xe2\x86\x92 4");
        } else {
            submit = true;
            assert_int_equal(fl[i].job, 7);
            assert_string_equal(fl[i].label, "7: f(7)");
        }
    }
    assert_true(take && result && submit);
    assert_true(pool_flow_leaves(&f->v, 0, 4));
    assert_false(pool_flow_leaves(&f->v, 0, 5));
    /* The take's chip, framed in red, is the head's. */
    assert_int_equal(f->v.snap.pools[0].pending[f->v.pool_geom[0].chip_job[0]].id, 4);
    /* At rest the result's label is on the board, by the owner's card. */
    assert_non_null(drawn_in(f, "2 \xe2\x86\x92 4", f->v.layout.board));
    /* Moving: the take's chip rides from the queue down to the card. */
    f->v.animate = true;
    f->v.now = 1000;
    f->v.flow_start = 1000 - 100;
    draw_logged(f, "moving");
    const struct text_drawn *d = NULL;
    for (int i = 0; i < f->log.n; i++)
        if (!strcmp(f->log.e[i].text, "4: f(4)") &&
            !inside(f->log.e[i].r, f->v.pool_geom[0].chip[0]))
            d = &f->log.e[i];
    assert_non_null(d);
    assert_true(d->r.y > f->v.pool_geom[0].tube.y);
    assert_true(d->r.y < f->v.pool_geom[0].card[2].y + f->v.pool_geom[0].card[2].h);
    f->v.animate = false;
    /* The next tick: the worker runs it, the result is in the row. */
    viz_seek(&f->v, 9);
    draw_logged(f, "after");
    const struct pool_geom *g = &f->v.pool_geom[0];
    assert_string_equal(card_text(g, 2, 1), "task 4");
    assert_string_equal(g->res_text[0], "2 \xe2\x86\x92 4");
    assert_string_equal(g->chip_text[0], "5: f(5)");
    close_frame(f);
}

/* The inspector: a worker's pool and task; the owner's pools. */
static void test_inspector(void **state)
{
    (void)state;
    struct fake fk = { 2, 1000 };
    const struct { int tid; const char *want; } cases[] = {
        { 3, "worker of Pool(4) p (pid 2): runs task 0, 1 done" },
        { 5, "worker of Pool(4) p (pid 2): idle, 2 done" },
        { 2, "owns Pool(4) p: 3 of 4 workers busy, 3 waiting, 2 of 8 done" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct frame *f = open_frame("pools", fake_src, 1280, 800);
        f->v.snap_hook = fake_pools;
        f->v.snap_hook_arg = &fk;
        f->v.selected_tid = cases[c].tid;
        viz_seek(&f->v, 8);
        viz_relayout(&f->v);
        draw_logged(f, "inspector");
        /* The inspector's lines, joined (a long one wraps). */
        char all[4096] = "";
        for (int i = 0; i < f->log.n; i++)
            if (inside(f->log.e[i].r, f->v.layout.inspector))
                snprintf(all + strlen(all), sizeof all - strlen(all), "%s ", f->log.e[i].text);
        if (!strstr(all, cases[c].want))
            fail_msg("\"%s\" not in the inspector: %s", cases[c].want, all);
        close_frame(f);
    }
    /* Clicking a worker's card in the pool selects that worker. */
    {
        struct frame *f = open_frame("pools", fake_src, 1280, 800);
        f->v.snap_hook = fake_pools;
        f->v.snap_hook_arg = &fk;
        viz_seek(&f->v, 8);
        draw_logged(f, "click");
        const struct pool_geom *g = &f->v.pool_geom[0];
        SDL_Rect c = g->card[1];
        SDL_Event e = { .type = SDL_MOUSEBUTTONDOWN };
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = c.x + c.w / 2;
        e.button.y = c.y + c.h / 2;
        viz_handle_event(&f->v, &e);
        assert_int_equal(f->v.selected_tid, 4);
        close_frame(f);
    }
    /* Its executor too: pid 2 owns both. */
    char lines[8][FD_LINE];
    struct frame *f = open_frame("pools", fake_src, 1280, 800);
    f->v.snap_hook = fake_pools;
    f->v.snap_hook_arg = &fk;
    viz_seek(&f->v, 8);
    assert_int_equal(pool_inspector_lines(&f->v.snap, f->v.scn, NULL, 2, lines, 8), 2);
    assert_string_equal(lines[1], "owns ThreadPoolExecutor(2) ex: 1 of 2 workers busy, 1 waiting, "
                                  "1 of 4 done");
    assert_int_equal(pool_inspector_lines(&f->v.snap, f->v.scn, NULL, 4, lines, 8), 1);
    close_frame(f);
}

/* How tasks read: the call as Python writes it. */
static void test_job_text(void **state)
{
    (void)state;
    char out[64];
    struct snap_job j = job(4, "f", "(4,)", JOB_PENDING, 0, "");
    pool_job_text(&j, out, sizeof out);
    assert_string_equal(out, "4: f(4)");
    j = job(2, "add", "(1, 2)", JOB_PENDING, 0, "");
    pool_job_text(&j, out, sizeof out);
    assert_string_equal(out, "2: add(1, 2)");
    j = job(0, "tick", "()", JOB_PENDING, 0, "");
    pool_job_text(&j, out, sizeof out);
    assert_string_equal(out, "0: tick()");
    j = job(6, "sq", "chunk: items 6..8", JOB_PENDING, 0, "");
    pool_job_text(&j, out, sizeof out);
    assert_string_equal(out, "6: sq on items 6..8");
    /* Short of room, a chunk keeps its items. */
    struct frame *f = open_frame("pools", fake_src, 1280, 800);
    struct fake fk = { 1, 1000 };
    f->v.snap_hook = fake_pools;
    f->v.snap_hook_arg = &fk;
    viz_seek(&f->v, 8);
    struct snap_pool *p = &f->v.snap.pools[0];
    for (int k = 0; k < p->npending; k++)
        p->pending[k] = job(3 * k, "sq", "chunk: items 30..32", JOB_PENDING, 0, "");
    snprintf(p->pending[0].args, sizeof p->pending[0].args, "chunk: items %d..%d", 0, 2);
    struct pool_geom g[1];
    assert_int_equal(pools_layout(&f->v.snap, f->v.scn, (SDL_Rect){ 0, 0, 300, 400 }, 13, 7,
                                  NULL, g, 1), 1);
    /* One form for all: "3: sq 30..32" does not fit, so none has its number. */
    assert_string_equal(g[0].chip_text[0], "sq 0..2");
    assert_string_equal(g[0].chip_text[1], "sq 30..32");
    close_frame(f);
}

/* A real pool (sim/objects/pool.c fills the snapshot): Pool(2,
 * maxtasksperchild=1) with three tasks. Each worker's card names its task
 * as the trace said it, the queued task is a chip, a task taken flies to
 * the worker that takes it, a new worker says whom it replaces, a result
 * comes back. The ticks come from the run's events, not from here. */
static const char real_src[] =
    "title \"a real pool\"\nconfig cpus=2\n"
    "program f(x) {\n  sleep 5\n  return x * x\n}\n"
    "program main {\n  pool p 2 maxtasksperchild=1\n  p.apply_async f(1)\n"
    "  p.apply_async f(2)\n  p.apply_async f(3) -> r\n  r.get\n  p.close\n  p.join\n}\n"
    "spawn main\n";

/* The first EV_POOL event of this reason (and task a, when a >= 0). */
static const struct event *pool_event(const struct frame *f, int reason, int a)
{
    const struct trace *tr = run_trace(f->v.run);
    for (size_t i = 0; i < tr->nev; i++)
        if (tr->ev[i].kind == EV_POOL && tr->ev[i].reason == reason && (a < 0 || tr->ev[i].a == a))
            return &tr->ev[i];
    return NULL;
}

static void test_real_pool(void **state)
{
    (void)state;
    for (size_t s = 0; s < 3; s++) {
        struct frame *f = open_frame("pools-real", real_src, sizes[s][0], sizes[s][1]);
        /* Task 2 waits (both workers busy): a chip in the queue, named
         * as submitted; the busy workers' cards say their tasks, as the
         * takes said them. */
        assert_non_null(pool_event(f, PL_WAITS, 2));
        const struct event *t0 = pool_event(f, PL_TAKE, 0), *t1 = pool_event(f, PL_TAKE, 1);
        assert_non_null(t0);
        assert_non_null(t1);
        viz_seek(&f->v, t1->tick + 1);
        draw_logged(f, "real");
        check(f, "real pool, task 2 waiting");
        const struct pool_geom *g = &f->v.pool_geom[0];
        assert_non_null(strstr(g->title, "Pool(2) p"));
        assert_int_equal(g->nchips, 1);
        assert_string_equal(g->chip_text[0], "2: f(3)");
        const struct snap_pool *p = &f->v.snap.pools[0];
        assert_int_equal(g->ncards, 2);
        assert_true(t0->b != t1->b);
        for (int k = 0; k < g->ncards; k++) {
            int pid = p->workers[g->card_worker[k]].pid;
            assert_true(pid == t0->b || pid == t1->b);
            if (pid == t0->b)
                assert_string_equal(g->card_text[k][1], "0: f(1)");
            else if (pid == t1->b)
                assert_string_equal(g->card_text[k][1], "1: f(2)");
        }
        /* Task 2 is taken by a worker that replaced one: it flies there,
         * and the next tick the card says it and whom it replaced. */
        const struct event *t2 = pool_event(f, PL_TAKE, 2), *rep = pool_event(f, PL_REPLACE, -1);
        assert_non_null(t2);
        assert_non_null(rep);
        assert_int_equal(t2->b, rep->b);
        viz_seek(&f->v, t2->tick);
        draw_logged(f, "real");
        check(f, "real pool, task 2 taken");
        struct pool_flow fl[8];
        int n = pool_flows_at(&f->v, fl, 8), take = -1;
        for (int i = 0; i < n; i++)
            if (fl[i].kind == PF_TAKE)
                take = i;
        assert_true(take >= 0);
        assert_int_equal(fl[take].job, 2);
        assert_int_equal(f->v.snap.pools[0].workers[fl[take].worker].pid, t2->b);
        assert_true(pool_flow_leaves(&f->v, 0, 2));
        viz_seek(&f->v, t2->tick + 1);
        draw_logged(f, "real");
        g = &f->v.pool_geom[0];
        p = &f->v.snap.pools[0];
        bool seen = false;
        for (int k = 0; k < g->ncards; k++)
            if (p->workers[g->card_worker[k]].pid == t2->b) {
                seen = true;
                assert_string_equal(g->card_text[k][1], "2: f(3)");
                if (g->card_lines > 2) {
                    char want[32];
                    snprintf(want, sizeof want, "replaces %d", (int)rep->a);
                    assert_string_equal(g->card_text[k][2], want);
                }
            }
        assert_true(seen);
        /* Task 0's result, once the handler has taken it. */
        const struct event *h0 = pool_event(f, PL_HANDLED, 0);
        assert_non_null(h0);
        viz_seek(&f->v, h0->tick + 1);
        draw_logged(f, "real");
        g = &f->v.pool_geom[0];
        bool result = false;
        for (int k = 0; k < g->nres; k++)
            result |= !strcmp(g->res_text[k], "0 \xe2\x86\x92 1");
        assert_true(result);
        close_frame(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_text),
        cmocka_unit_test(test_pool_drawn_at_classroom_sizes),
        cmocka_unit_test(test_layout_gives_way),
        cmocka_unit_test(test_moves_between_ticks),
        cmocka_unit_test(test_inspector),
        cmocka_unit_test(test_real_pool),
    };
    return RUN_VIZ_TESTS(tests);
}
