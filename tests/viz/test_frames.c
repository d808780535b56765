/*
 * test_frames.c - what makes frames cheap must not change what they show:
 * a frame whose still part comes from the layer is the frame drawn whole,
 * pixel for pixel; a layer is never used once the frame it came from is
 * gone; and the board finds its cards among any number of tasks.
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

#include "viz.h"

/* Two CPUs, rr: in tick 1 the napper and the reader leave for sleep and
 * disk and two hogs take the CPUs, so cards glide; at tick 5 the hogs'
 * slices end and cards glide again. */
static const char rr_src[] =
    "title \"rr\"\nconfig policy=rr slice=4 cpus=2\n"
    "describe \"Hogs take turns.\"\n"
    "program hog {\n  compute 12\n}\n"
    "program napper {\n  sleep 10\n}\n"
    "program reader {\n  disk 8\n}\n"
    "spawn napper\nspawn reader\nspawn hog\nspawn hog\nspawn hog\n";

struct fixture {
    struct viz v;
    SDL_Surface *surf;
    SDL_Renderer *r;
    char path[64];
};

static struct fixture *open_fixture(const char *src)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    char msg[256];
    snprintf(fx->path, sizeof fx->path, "/tmp/procsim-frames-test-%d.scn", (int)getpid());
    FILE *f = fopen(fx->path, "w");
    assert_non_null(f);
    fputs(src, f);
    fclose(f);
    assert_true(font_open(&fx->v.font, NULL, 15, msg, sizeof msg));
    fx->v.w = 1280;
    fx->v.h = 800;
    fx->surf = SDL_CreateRGBSurfaceWithFormat(0, 1280, 800, 32, SDL_PIXELFORMAT_ARGB8888);
    fx->r = SDL_CreateSoftwareRenderer(fx->surf);
    assert_non_null(fx->r);
    assert_true(viz_load(&fx->v, fx->path));
    return fx;
}

static void close_fixture(struct fixture *fx)
{
    font_flush(&fx->v.font);
    layer_free(&fx->v);
    viz_free(&fx->v);
    font_close(&fx->v.font);
    SDL_DestroyRenderer(fx->r);
    SDL_FreeSurface(fx->surf);
    unlink(fx->path);
    free(fx);
}

/* Draw the frame (reusing the layer or not) and return a copy of it. */
static uint32_t *frame(struct fixture *fx, bool reuse)
{
    fx->v.reuse_layer = reuse;
    viz_draw(fx->r, &fx->v);
    size_t n = (size_t)fx->surf->pitch * (size_t)fx->surf->h;
    uint32_t *copy = malloc(n);
    memcpy(copy, fx->surf->pixels, n);
    return copy;
}

static bool same_frame(const struct fixture *fx, const uint32_t *a, const uint32_t *b)
{
    return !memcmp(a, b, (size_t)fx->surf->pitch * (size_t)fx->surf->h);
}

/* How many strings a frame draws itself (a frame from the layer draws
 * only the cards' and the overlays'). */
static int strings_drawn(struct fixture *fx, bool reuse)
{
    static struct text_log log;
    log.n = 0;
    fx->v.font.log = &log;
    free(frame(fx, reuse));
    fx->v.font.log = NULL;
    return log.n;
}

/* Through a glide, each frame drawn from the layer equals the same frame
 * drawn whole; and the layer was really used. */
static void test_frames_from_the_layer_equal_frames_drawn_whole(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    struct viz *v = &fx->v;
    v->animate = true;
    v->now = 1000;
    for (int tick = 1; tick <= 5; tick += 4) {
        uint32_t base = v->now;
        viz_seek(v, tick);
        free(frame(fx, false));                  /* the glide's first frame */
        uint32_t *first = frame(fx, false);
        bool moved = false;
        for (int dt = 30; dt <= 330; dt += 60) {
            v->now = base + (uint32_t)dt;
            uint32_t *cached = frame(fx, true);
            uint32_t *whole = frame(fx, false);
            if (!same_frame(fx, cached, whole))
                fail_msg("tick %d, %d ms into the glide: the layer's frame differs", tick, dt);
            moved |= !same_frame(fx, first, whole);
            free(cached);
            free(whole);
        }
        assert_true(moved);                      /* the cards did glide */
        free(first);
        v->now += 1000;
    }
    /* While a card glides, a frame from the layer draws far fewer strings. */
    viz_seek(v, 9);
    int whole = strings_drawn(fx, false);
    v->now += 20;
    int cached = strings_drawn(fx, true);
    assert_true(cached > 0 && cached < whole / 2);
    close_fixture(fx);
}

/* A layer belongs to the frame it was drawn in: after a frame drawn
 * without one (nothing gliding), a request to reuse draws afresh. */
static void test_a_stale_layer_is_never_shown(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    struct viz *v = &fx->v;
    v->animate = true;
    v->now = 1000;
    viz_seek(v, 1);
    free(frame(fx, false));                      /* a layer of tick 1 */
    v->now += 1000;
    viz_seek(v, 3);                              /* nothing glides in tick 3 */
    v->now += 1000;
    free(frame(fx, false));
    v->selected_tid = 4;                         /* a change the caller missed */
    uint32_t *asked = frame(fx, true), *whole = frame(fx, false);
    assert_true(same_frame(fx, asked, whole));
    free(asked);
    free(whole);
    close_fixture(fx);
}

/* 600 sleepers, then a hog with pid 602: once they all sleep, the running
 * column shows it, though 600 tasks come before it. */
static void test_board_finds_its_cards_among_many_tasks(void **state)
{
    (void)state;
    size_t cap = 16384;
    char *src = malloc(cap);
    int n = snprintf(src, cap, "config max_procs=1000\nprogram nap {\n  sleep 1000\n}\n"
                     "program hog {\n  compute 1000\n}\n");
    for (int i = 0; i < 600; i++)
        n += snprintf(src + n, cap - (size_t)n, "spawn nap\n");
    snprintf(src + n, cap - (size_t)n, "spawn hog\n");
    struct fixture *fx = open_fixture(src);
    free(src);
    struct viz *v = &fx->v;
    viz_seek(v, 700);
    const struct card *c = layout_card(&v->layout, 602);
    assert_non_null(c);
    assert_int_equal(c->group, G_RUNNING);
    /* The sleeping column holds the first sleepers by channel and pid. */
    const struct card *s = layout_card(&v->layout, 2);
    assert_non_null(s);
    assert_int_equal(s->group, G_SLEEPING);
    /* Scrolled by 550 it shows the 551st sleeper on, in order. */
    v->board_scroll[G_SLEEPING] = 550;
    viz_seek(v, 700);
    int first = 0;
    for (int i = 0; i < v->layout.ncards; i++)
        if (v->layout.cards[i].group == G_SLEEPING && v->layout.cards[i].order == 550)
            first = v->layout.cards[i].tid;
    /* init (wait) sorts after the naps (sleep): pid 2 + 550. */
    assert_int_equal(first, 552);
    close_fixture(fx);
}

int main(void)
{
    SDL_Init(0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_from_the_layer_equal_frames_drawn_whole),
        cmocka_unit_test(test_a_stale_layer_is_never_shown),
        cmocka_unit_test(test_board_finds_its_cards_among_many_tasks),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
