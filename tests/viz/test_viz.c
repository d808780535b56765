/*
 * test_viz.c - the window, off-screen: the layout is a function of the
 * snapshot, frames show the state colours where the layout says, keys and
 * clicks go through the same path SDL feeds, reloads keep the last good
 * run, screenshots are PNGs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viz.h"

static const char rr_src[] =
    "title \"rr\"\nconfig policy=rr slice=4\n"
    "program hog {\n  compute 20\n}\n"
    "program napper {\n  sleep 30\n}\n"
    "program reader {\n  disk 30\n}\n"
    "spawn napper\nspawn reader\nspawn hog\nspawn hog\nspawn hog\n";

struct fixture {
    struct viz v;
    SDL_Surface *surf;
    SDL_Renderer *r;
    char path[64];
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static struct fixture *open_fixture(const char *src)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    char msg[256];
    snprintf(fx->path, sizeof fx->path, "/tmp/procsim-viz-test-%d.scn", (int)getpid());
    write_file(fx->path, src);
    assert_true(font_open(&fx->v.font, NULL, 15, msg, sizeof msg));
    fx->v.w = 1280;
    fx->v.h = 800;
    fx->surf = SDL_CreateRGBSurfaceWithFormat(0, 1280, 800, 32, SDL_PIXELFORMAT_ARGB8888);
    fx->r = SDL_CreateSoftwareRenderer(fx->surf);
    assert_non_null(fx->r);
    viz_load(&fx->v, fx->path);
    return fx;
}

static void close_fixture(struct fixture *fx)
{
    font_flush(&fx->v.font);
    viz_free(&fx->v);
    font_close(&fx->v.font);
    SDL_DestroyRenderer(fx->r);
    SDL_FreeSurface(fx->surf);
    unlink(fx->path);
    free(fx);
}

static const struct card *card_of(const struct viz *v, int tid)
{
    const struct card *c = layout_card(&v->layout, tid);
    if (!c)
        fail_msg("no card for tid %d at tick %lld", tid, (long long)v->tick);
    return c;
}

static SDL_Color pixel(SDL_Surface *s, int x, int y)
{
    uint32_t p = ((uint32_t *)s->pixels)[y * (s->pitch / 4) + x];
    SDL_Color c;
    SDL_GetRGB(p, s->format, &c.r, &c.g, &c.b);
    return c;
}

static void key(struct viz *v, SDL_Keycode k, Uint16 mod)
{
    SDL_Event e = { .type = SDL_KEYDOWN };
    e.key.keysym.sym = k;
    e.key.keysym.mod = mod;
    viz_handle_event(v, &e);
}

static void click(struct viz *v, int x, int y)
{
    SDL_Event e = { .type = SDL_MOUSEBUTTONDOWN };
    e.button.x = x;
    e.button.y = y;
    e.button.button = SDL_BUTTON_LEFT;
    viz_handle_event(v, &e);
    e.type = SDL_MOUSEBUTTONUP;
    viz_handle_event(v, &e);
}

/* Under rr (slice 4): napper (2) sleeps from tick 1, reader (3) is in D
 * from tick 2; hog 4 runs 2-5, hog 5 runs 6-9, so at tick 7 hog 6 (queued
 * since 0) is next and hog 4 (preempted at 6) after it. */
static void test_layout_puts_cards_in_their_groups(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    viz_seek(&fx->v, 7);
    assert_int_equal(card_of(&fx->v, 5)->group, G_RUNNING);
    assert_int_equal(card_of(&fx->v, 2)->group, G_SLEEPING);
    assert_int_equal(card_of(&fx->v, 3)->group, G_DISK);
    assert_int_equal(card_of(&fx->v, 1)->group, G_SLEEPING);
    const struct card *a = card_of(&fx->v, 6), *b = card_of(&fx->v, 4);
    assert_int_equal(a->group, G_QUEUE);
    assert_int_equal(b->group, G_QUEUE);
    assert_int_equal(a->order, 0);
    assert_int_equal(b->order, 1);
    assert_true(a->r.y < b->r.y);
    /* Cards stay inside their group's column. */
    for (int i = 0; i < fx->v.layout.ncards; i++) {
        const struct card *c = &fx->v.layout.cards[i];
        SDL_Rect g = fx->v.layout.groups[c->group];
        assert_true(c->r.x >= g.x && c->r.x + c->r.w <= g.x + g.w);
        assert_true(c->r.y >= g.y && c->r.y + c->r.h <= g.y + g.h);
    }
    close_fixture(fx);
}

/* A zombie's card goes to the zombie column. */
static void test_layout_zombie_group(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(
        "program kid {\n  compute 1\n}\nprogram p {\n  fork kid\n  compute 30\n  wait\n}\n"
        "spawn p\n");
    viz_seek(&fx->v, 20);
    assert_int_equal(card_of(&fx->v, 3)->group, G_ZOMBIE);
    close_fixture(fx);
}

static bool same(SDL_Color a, SDL_Color b)
{
    return abs(a.r - b.r) + abs(a.g - b.g) + abs(a.b - b.b) < 12;
}

/* The pixels at the bottom-right corner of each card (away from its text)
 * have the card's state colour. */
static void test_frame_shows_state_colours_where_layout_says(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    viz_seek(&fx->v, 5);
    viz_draw(fx->r, &fx->v);
    SDL_RenderPresent(fx->r);
    int checked = 0;
    for (int i = 0; i < fx->v.layout.ncards; i++) {
        const struct card *c = &fx->v.layout.cards[i];
        const struct snap_task *t = &fx->v.snap.tasks[c->task];
        SDL_Color want = state_colour(t->state, t->cpu >= 0);
        SDL_Color got = pixel(fx->surf, c->r.x + c->r.w - 4, c->r.y + c->r.h - 3);
        if (!same(want, got))
            fail_msg("tid %d: card colour %d,%d,%d, wanted %d,%d,%d", c->tid, got.r, got.g,
                     got.b, want.r, want.g, want.b);
        checked++;
    }
    assert_true(checked >= 6);
    close_fixture(fx);
}

static void test_frames_at_two_ticks_differ(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    size_t n = (size_t)fx->surf->pitch * (size_t)fx->surf->h;
    unsigned char *a = malloc(n);
    viz_seek(&fx->v, 2);
    viz_draw(fx->r, &fx->v);
    memcpy(a, fx->surf->pixels, n);
    viz_seek(&fx->v, 9);
    viz_draw(fx->r, &fx->v);
    assert_true(memcmp(a, fx->surf->pixels, n) != 0);
    free(a);
    close_fixture(fx);
}

static void test_screenshot_is_a_png_of_the_requested_size(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    viz_seek(&fx->v, 3);
    viz_draw(fx->r, &fx->v);
    char msg[256], png[80];
    snprintf(png, sizeof png, "/tmp/procsim-viz-test-%d.png", (int)getpid());
    assert_true(viz_save_png(fx->r, png, msg, sizeof msg));
    SDL_Surface *img = IMG_Load(png);
    assert_non_null(img);
    assert_int_equal(img->w, 1280);
    assert_int_equal(img->h, 800);
    SDL_FreeSurface(img);
    unlink(png);
    close_fixture(fx);
}

static void test_reload_of_broken_file_keeps_last_good_run(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    viz_seek(&fx->v, 7);
    int64_t end = viz_end_tick(&fx->v);
    write_file(fx->path, "program hog {\n  compute\n}\n");
    assert_false(viz_reload(&fx->v));
    assert_non_null(fx->v.run);
    assert_int_equal(viz_end_tick(&fx->v), end);
    assert_int_equal(fx->v.tick, 7);
    assert_non_null(strstr(fx->v.error, ":2:10: error: expected a number of ticks"));
    assert_true(fx->v.error_is_reload);
    viz_draw(fx->r, &fx->v);             /* draws the banner without trouble */
    write_file(fx->path, rr_src);
    assert_true(viz_reload(&fx->v));
    assert_string_equal(fx->v.error, "");
    close_fixture(fx);
}

static void test_first_load_error_shows_no_run(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture("spawn nosuch\n");
    assert_null(fx->v.run);
    assert_non_null(strstr(fx->v.error, "unknown program 'nosuch'"));
    viz_draw(fx->r, &fx->v);
    close_fixture(fx);
}

/* Keys go through viz_handle_event, as the window loop feeds them. */
static void test_keys_step_jump_play_and_speed(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    struct viz *v = &fx->v;
    key(v, SDLK_RIGHT, 0);
    key(v, SDLK_RIGHT, 0);
    assert_int_equal(v->tick, 2);
    key(v, SDLK_LEFT, 0);
    assert_int_equal(v->tick, 1);
    key(v, SDLK_END, 0);
    assert_int_equal(v->tick, viz_end_tick(v));
    key(v, SDLK_HOME, 0);
    assert_int_equal(v->tick, 0);
    key(v, SDLK_RIGHT, KMOD_SHIFT);        /* next tick with events */
    size_t first;
    assert_true(v->tick > 0);
    assert_true(trace_events_at(run_trace(v->run), v->tick, &first) > 0);
    int speed = v->speed;
    key(v, SDLK_PLUS, 0);
    assert_int_equal(v->speed, speed * 2);
    key(v, SDLK_MINUS, 0);
    assert_int_equal(v->speed, speed);
    key(v, SDLK_SPACE, 0);
    assert_true(v->playing);
    int64_t before = v->tick;
    viz_update(v, 1000);                   /* a second at `speed` ticks/s */
    assert_int_equal(v->tick, before + speed);
    key(v, SDLK_SPACE, 0);
    assert_false(v->playing);
    key(v, SDLK_F1, 0);
    assert_true(v->help);
    key(v, SDLK_ESCAPE, 0);
    assert_false(v->help);
    assert_false(v->quit);
    key(v, SDLK_q, 0);
    assert_true(v->quit);
    close_fixture(fx);
}

static void test_click_selects_a_card_and_the_timeline_jumps(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    struct viz *v = &fx->v;
    viz_seek(v, 5);
    const struct card *c = card_of(v, 3);
    click(v, c->r.x + c->r.w / 2, c->r.y + c->r.h / 2);
    assert_int_equal(v->selected_tid, 3);
    viz_draw(fx->r, v);                   /* the inspector shows it */
    const SDL_Rect *lanes = &v->layout.cpu_lanes;
    int64_t t0;
    double px;
    viz_timeline_span(v, lanes, &t0, &px);
    click(v, lanes->x + v->layout.label_w + (int)(px * 12.5), lanes->y + lanes->h - 4);
    assert_int_equal(v->tick, t0 + 12);
    close_fixture(fx);
}

/* A signal sent from the window recomputes the run; U undoes it. */
static void test_signal_keys_recompute_and_undo(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    struct viz *v = &fx->v;
    viz_seek(v, 5);
    v->selected_tid = 4;
    key(v, SDLK_k, 0);                    /* SIGKILL to hog 4 */
    assert_int_equal(v->nadded, 1);
    assert_int_equal(v->tick, 6);
    const struct proc_record *p = trace_find_proc(run_trace(v->run), 4);
    assert_int_equal(p->exit_status, -9);
    key(v, SDLK_u, 0);
    assert_int_equal(v->nadded, 0);
    p = trace_find_proc(run_trace(v->run), 4);
    assert_int_equal(p->exit_status, 0);
    close_fixture(fx);
}

int main(void)
{
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(0) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_puts_cards_in_their_groups),
        cmocka_unit_test(test_layout_zombie_group),
        cmocka_unit_test(test_frame_shows_state_colours_where_layout_says),
        cmocka_unit_test(test_frames_at_two_ticks_differ),
        cmocka_unit_test(test_screenshot_is_a_png_of_the_requested_size),
        cmocka_unit_test(test_reload_of_broken_file_keeps_last_good_run),
        cmocka_unit_test(test_first_load_error_shows_no_run),
        cmocka_unit_test(test_keys_step_jump_play_and_speed),
        cmocka_unit_test(test_click_selects_a_card_and_the_timeline_jumps),
        cmocka_unit_test(test_signal_keys_recompute_and_undo),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
