/*
 * test_layout.c - the window in a lecture hall, off-screen: every scenario
 * in scenarios/ rendered at the classroom sizes (1024x768, 1280x800,
 * 1920x1080, 4K; and 800x500), at several ticks, read back through the
 * text log font_draw fills: no text cut at its box or at the window's edge,
 * no text drawn over another text or over a card it is not part of, every
 * text inside a panel; the lesson ("what to watch") readable whole; and the
 * palette's promises (contrast, colour-blind distances) held in numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz.h"

static const int sizes[][2] = {
    { 1024, 768 }, { 1280, 800 }, { 1920, 1080 }, { 3840, 2160 }, { 800, 500 },
};

static bool intersects(SDL_Rect a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bool inside(SDL_Rect in, SDL_Rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

struct frame {
    struct viz v;
    SDL_Surface *surf;
    SDL_Renderer *r;
    struct text_log log;
};

static struct frame *open_frame(const char *path, int w, int h, bool present)
{
    struct frame *f = calloc(1, sizeof *f);
    char msg[256];
    f->v.present = present;
    assert_true(font_open(&f->v.font, NULL, viz_font_px(w, h, 1.0f, present), msg, sizeof msg));
    f->v.w = w;
    f->v.h = h;
    f->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    f->r = SDL_CreateSoftwareRenderer(f->surf);
    assert_non_null(f->r);
    if (!viz_load(&f->v, path))
        fail_msg("%s does not load: %s", path, f->v.error);
    return f;
}

static void close_frame(struct frame *f)
{
    font_flush(&f->v.font);
    viz_free(&f->v);
    font_close(&f->v.font);
    SDL_DestroyRenderer(f->r);
    SDL_FreeSurface(f->surf);
    free(f);
}

static void draw_logged(struct frame *f)
{
    f->log.n = 0;
    f->v.font.log = &f->log;
    viz_draw(f->r, &f->v);
    f->v.font.log = NULL;
}

/* The panels text may be drawn in. */
static int panels(const struct layout *l, SDL_Rect *out)
{
    int n = 0;
    const SDL_Rect all[] = { l->header, l->notes, l->cpu_lanes, l->proc_lanes, l->board,
                             l->objects, l->tree, l->events, l->inspector, l->bar };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i].w > 0 && all[i].h > 0)
            out[n++] = all[i];
    return n;
}

/* What is wrong with this frame, or NULL. */
static const char *check_frame(struct frame *f, char *why, size_t n)
{
    const struct text_log *lg = &f->log;
    const struct layout *l = &f->v.layout;
    SDL_Rect win = { 0, 0, f->v.w, f->v.h }, pan[16];
    int np = panels(l, pan);
    for (int i = 0; i < lg->n; i++) {
        const struct text_drawn *a = &lg->e[i];
        if (a->clipped) {
            snprintf(why, n, "text cut: \"%s\" at %d,%d", a->text, a->r.x, a->r.y);
            return why;
        }
        if (!inside(a->r, win)) {
            snprintf(why, n, "text off the window: \"%s\" at %d,%d %dx%d", a->text, a->r.x,
                     a->r.y, a->r.w, a->r.h);
            return why;
        }
        bool in_panel = false;
        for (int k = 0; k < np && !in_panel; k++)
            in_panel = inside(a->r, pan[k]);
        if (!in_panel) {
            snprintf(why, n, "text in no panel: \"%s\" at %d,%d %dx%d", a->text, a->r.x,
                     a->r.y, a->r.w, a->r.h);
            return why;
        }
        for (int j = i + 1; j < lg->n; j++)
            if (intersects(a->r, lg->e[j].r)) {
                snprintf(why, n, "texts overlap: \"%s\" at %d,%d %dx%d and \"%s\" at %d,%d %dx%d",
                         a->text, a->r.x, a->r.y, a->r.w, a->r.h, lg->e[j].text, lg->e[j].r.x,
                         lg->e[j].r.y, lg->e[j].r.w, lg->e[j].r.h);
                return why;
            }
        for (int c = 0; c < l->ncards; c++)
            if (intersects(a->r, l->cards[c].r) && !inside(a->r, l->cards[c].r)) {
                snprintf(why, n, "text over a card: \"%s\" at %d,%d over tid %d's card",
                         a->text, a->r.x, a->r.y, l->cards[c].tid);
                return why;
            }
    }
    /* Cards do not overlap each other. */
    for (int c = 0; c < l->ncards; c++)
        for (int d = c + 1; d < l->ncards; d++)
            if (intersects(l->cards[c].r, l->cards[d].r)) {
                snprintf(why, n, "cards of %d and %d overlap", l->cards[c].tid, l->cards[d].tid);
                return why;
            }
    return NULL;
}

/* The ticks worth looking at: the start, the end, quarters, and the
 * first tick with a signal, a deadlock or a lost update. */
static int sample_ticks(const struct viz *v, int64_t *out)
{
    int64_t end = viz_end_tick(v);
    int n = 0;
    for (int q = 0; q <= 4; q++)
        out[n++] = end * q / 4;
    const struct trace *tr = run_trace(v->run);
    enum event_kind kinds[] = { EV_SIG_SEND, EV_DEADLOCK, EV_LOST_UPDATE, EV_ERROR };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t i = 0; i < tr->nev; i++)
            if (tr->ev[i].kind == kinds[k]) {
                out[n++] = tr->ev[i].tick;
                break;
            }
    return n;
}

static int scenario_files(char names[][256], int max)
{
    DIR *d = opendir("scenarios");
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".scn"))
            snprintf(names[n++], 256, "scenarios/%s", e->d_name);
    }
    closedir(d);
    return n;
}

static void check_all(bool present)
{
    static char names[128][256];
    int nf = scenario_files(names, 128), failures = 0, frames = 0;
    assert_true(nf >= 10);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (int i = 0; i < nf; i++) {
            struct frame *f = open_frame(names[i], sizes[s][0], sizes[s][1], present);
            int64_t ticks[16];
            int nt = sample_ticks(&f->v, ticks);
            for (int k = 0; k < nt; k++) {
                viz_seek(&f->v, ticks[k]);
                draw_logged(f);
                char why[512];
                frames++;
                if (check_frame(f, why, sizeof why)) {
                    print_message("%s at %dx%d%s, tick %lld: %s\n", names[i], sizes[s][0],
                                  sizes[s][1], present ? " (presenting)" : "",
                                  (long long)ticks[k], why);
                    failures++;
                    break;
                }
            }
            close_frame(f);
        }
    }
    print_message("%d frames checked\n", frames);
    assert_int_equal(failures, 0);
}

static void test_nothing_clipped_or_overlapping(void **state)
{
    (void)state;
    check_all(false);
}

static void test_nothing_clipped_or_overlapping_presenting(void **state)
{
    (void)state;
    check_all(true);
}

int main(void)
{
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(0) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_clipped_or_overlapping),
        cmocka_unit_test(test_nothing_clipped_or_overlapping_presenting),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
