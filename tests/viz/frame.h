/*
 * frame.h - an off-screen window for the viz tests: a scenario written to a
 * temporary file and loaded, a font, and a software renderer of w x h
 * whose drawn texts can be logged; and the main() of a viz test. For
 * test_chans.c, test_flows.c and test_pools.c.
 */
#ifndef PROCSIM_TEST_FRAME_H
#define PROCSIM_TEST_FRAME_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "viz.h"

struct frame {
    struct viz v;
    SDL_Surface *surf;
    SDL_Renderer *r;
    struct text_log log;
    char path[64];
};

/* src loaded into a w x h frame; `tag` names its temporary file. */
static inline struct frame *open_frame(const char *tag, const char *src, int w, int h)
{
    struct frame *f = calloc(1, sizeof *f);
    assert_non_null(f);
    char msg[256];
    snprintf(f->path, sizeof f->path, "/tmp/procsim-viz-%s-%d.scn", tag, (int)getpid());
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    fputs(src, fp);
    fclose(fp);
    assert_true(font_open(&f->v.font, NULL, viz_font_px(w, h, 1.0f, false), msg, sizeof msg));
    f->v.w = w;
    f->v.h = h;
    f->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    f->r = SDL_CreateSoftwareRenderer(f->surf);
    assert_non_null(f->r);
    if (!viz_load(&f->v, f->path))
        fail_msg("does not load: %s", f->v.error);
    return f;
}

static inline void close_frame(struct frame *f)
{
    font_flush(&f->v.font);
    viz_free(&f->v);
    font_close(&f->v.font);
    SDL_DestroyRenderer(f->r);
    SDL_FreeSurface(f->surf);
    unlink(f->path);
    free(f);
}

static inline bool inside(SDL_Rect in, SDL_Rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

/* A viz test's main(): SDL with the dummy video driver around a cmocka
 * group. */
static inline int run_viz_tests(const char *name, const struct CMUnitTest *tests, size_t n)
{
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(0) != 0)
        return 1;
    int rc = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
#define RUN_VIZ_TESTS(tests) \
    run_viz_tests(#tests, tests, sizeof tests / sizeof tests[0])

#endif
