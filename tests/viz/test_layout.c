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
#include <math.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
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

/* The ticks worth looking at: the start, the middle, the end, and the
 * first tick with a signal, a deadlock, a lost update, an error, a
 * pipe's send, receive, EOF and broken pipe, a queue's put, feed, get
 * and timeout, and a pool's waiting task, take, result and terminate. */
static int sample_ticks(const struct viz *v, int64_t *out)
{
    int64_t end = viz_end_tick(v);
    int n = 0;
    for (int q = 0; q <= 2; q++)
        out[n++] = end * q / 2;
    const struct trace *tr = run_trace(v->run);
    /* A kind and a reason (-1: any): the messages and failures of pipes
     * and queues are drawn as arrows with labels over the board. */
    static const struct { int kind, reason; } kinds[] = {
        { EV_SIG_SEND, -1 }, { EV_DEADLOCK, -1 }, { EV_LOST_UPDATE, -1 }, { EV_ERROR, -1 },
        { EV_PIPE, PIPE_SEND }, { EV_PIPE, PIPE_RECV }, { EV_PIPE, PIPE_EOF },
        { EV_PIPE, PIPE_EPIPE }, { EV_QUEUE, QE_PUT }, { EV_QUEUE, QE_FEED },
        { EV_QUEUE, QE_GET }, { EV_QUEUE, QE_GET_TIMEOUT },
        /* a pool: a task waiting for a worker, taken, its result back,
         * a terminate leaving tasks that never run */
        { EV_POOL, PL_WAITS }, { EV_POOL, PL_TAKE }, { EV_POOL, PL_HANDLED },
        { EV_POOL, PL_TERMINATE },
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t i = 0; i < tr->nev; i++)
            if (tr->ev[i].kind == kinds[k].kind &&
                (kinds[k].reason < 0 || tr->ev[i].reason == kinds[k].reason)) {
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
        if (present && sizes[s][0] > 2000)
            continue;              /* presenting at 4K: the 1920x1080 layout, larger */
        /* One renderer and font per size; each scenario loaded in turn. */
        struct frame *f = open_frame(names[0], sizes[s][0], sizes[s][1], present);
        for (int i = 0; i < nf; i++) {
            if (i > 0) {
                struct font keep = f->v.font;
                viz_free(&f->v);
                memset(&f->v, 0, sizeof f->v);
                f->v.font = keep;
                f->v.w = sizes[s][0];
                f->v.h = sizes[s][1];
                f->v.present = present;
                if (!viz_load(&f->v, names[i]))
                    fail_msg("%s does not load: %s", names[i], f->v.error);
            }
            int64_t ticks[24];
            int nt = sample_ticks(&f->v, ticks);
            if (sizes[s][0] > 2000) {      /* 4K frames are slow: the middle and the events */
                int kept = 0;
                for (int k = 1; k < nt; k++)
                    if (k != 2)
                        ticks[kept++] = ticks[k];
                nt = kept;
            }
            for (int k = 0; k < nt; k++) {
                viz_seek(&f->v, ticks[k]);
                draw_logged(f);
                char why[512];
                frames++;
                const char *bad = check_frame(f, why, sizeof why);
                /* The lesson is readable whole: nothing to scroll to (in
                 * a window at least as large as a 1024x768 projector);
                 * presenting a socket lesson, the network comes first and
                 * the lesson may scroll (viz_layout_in). */
                bool may_scroll = present && f->v.snap.nsocks > 0;
                for (int e = 0; !bad && !may_scroll && sizes[s][1] >= 768 && e < f->log.n; e++)
                    if (strstr(f->log.e[e].text, "wheel") &&
                        SDL_HasIntersection(&f->log.e[e].r, &f->v.layout.notes))
                        bad = "the lesson does not fit: \"what to watch\" scrolls";
                /* A card's tooltip stays on the board. */
                for (int c = 0; !bad && k == 1 && c < f->v.layout.ncards && c < 2; c++) {
                    const struct card *cd = &f->v.layout.cards[c];
                    f->v.hover_tid = cd->tid;
                    f->v.mouse_x = cd->r.x + cd->r.w - 2;
                    f->v.mouse_y = cd->r.y + 2;
                    draw_logged(f);
                    f->v.hover_tid = 0;
                    const struct text_drawn *tip = &f->log.e[f->log.n - 1];
                    if (!inside(tip->r, f->v.layout.board) || tip->clipped) {
                        snprintf(why, sizeof why, "tooltip \"%s\" leaves the board", tip->text);
                        bad = why;
                    }
                }
                if (bad) {
                    if (bad != why)
                        snprintf(why, sizeof why, "%s", bad);
                    print_message("%s at %dx%d%s, tick %lld: %s\n", names[i], sizes[s][0],
                                  sizes[s][1], present ? " (presenting)" : "",
                                  (long long)ticks[k], why);
                    failures++;
                    break;
                }
            }
        }
        close_frame(f);
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

/* ---------------------------------------------------------------- palette */

static const struct { char st; bool run; const char *name; } states[] = {
    { 'R', true, "running" }, { 'R', false, "runnable" }, { 'S', false, "S" },
    { 'D', false, "D" },      { 'T', false, "T" },        { 'Z', false, "Z" },
};
#define NSTATES 6

/* Every state colour stands out (WCAG 3:1) on every surface it is drawn
 * on, and the text written on a card (white or ink, whichever the card
 * gets) reads on it at 3:1 too. */
static void test_state_colours_contrast(void **state)
{
    (void)state;
    const SDL_Color surfaces[] = { VIZ_PANEL, VIZ_PAPER, VIZ_BOARD, VIZ_HEADER };
    for (int i = 0; i < NSTATES; i++) {
        SDL_Color c = state_colour(states[i].st, states[i].run);
        for (size_t k = 0; k < sizeof surfaces / sizeof surfaces[0]; k++) {
            double cr = colour_contrast(c, surfaces[k]);
            if (cr < 3.0)
                fail_msg("%s on surface %zu: contrast %.2f", states[i].name, k, cr);
        }
        double tc = colour_contrast(c, text_on(c));
        if (tc < 3.0)
            fail_msg("text on %s: contrast %.2f", states[i].name, tc);
    }
    /* The arithmetic itself: black on white is 21:1, a colour on itself 1:1. */
    assert_true(fabs(colour_contrast(VIZ_WHITE, (SDL_Color){ 0, 0, 0, 255 }) - 21.0) < 0.01);
    assert_true(fabs(colour_contrast(VIZ_INK, VIZ_INK) - 1.0) < 1e-9);
}

/* Each state colour is apart from each other one, and from every other
 * colour on screen and every process colour, for normal vision and as
 * simulated for deuteranopia and protanopia (CIE76 distance). */
static void test_state_colours_distinct_also_colour_blind(void **state)
{
    (void)state;
    const enum cvd kinds[] = { CVD_NONE, CVD_DEUTAN, CVD_PROTAN };
    const char *kname[] = { "normal", "deuteranopia", "protanopia" };
    SDL_Color others[40];
    int no = palette_others(others, 32);
    for (int p = 0; p < 8; p++)
        others[no++] = pid_colour(p);
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < NSTATES; i++) {
            SDL_Color a = state_colour(states[i].st, states[i].run);
            for (int j = i + 1; j < NSTATES; j++) {
                double d = colour_distance(a, state_colour(states[j].st, states[j].run), kinds[k]);
                if (d < 20.0)
                    fail_msg("%s and %s too close for %s: %.1f", states[i].name,
                             states[j].name, kname[k], d);
            }
            for (int j = 0; j < no; j++) {
                double d = colour_distance(a, others[j], kinds[k]);
                if (d < 15.0)
                    fail_msg("%s and other colour %d (%d,%d,%d) too close for %s: %.1f",
                             states[i].name, j, others[j].r, others[j].g, others[j].b,
                             kname[k], d);
            }
        }
    /* Process colours are pale: far lighter than any state colour. */
    for (int p = 0; p < 8; p++) {
        double lab[3];
        colour_lab(pid_colour(p), lab);
        assert_true(lab[0] >= 80.0);
    }
    /* The simulation does something: pure red and green, far apart for
     * normal vision, come close for a deuteranope; grey stays grey. */
    SDL_Color red = { 200, 60, 40, 255 }, green = { 90, 130, 40, 255 }, grey = { 128, 128, 128, 255 };
    assert_true(colour_distance(red, green, CVD_NONE) > 50.0);
    assert_true(colour_distance(red, green, CVD_DEUTAN) < 25.0);
    assert_true(colour_distance(grey, colour_simulate(grey, CVD_PROTAN), CVD_NONE) < 2.0);
}

/* --------------------------------------------------------- no display */

static char viz_bin[512];

/* Run procsim-viz with a shell line; its exit status and output. */
static int run_viz(const char *env, const char *args, char *out, size_t n)
{
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "%s timeout 20 %s %s 2>&1", env, viz_bin, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t got = fread(out, 1, n - 1, p);
    out[got] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Without a display SDL falls back to its offscreen driver; the window
 * must then say what to do and exit 1, not run forever (timeout would
 * make that 124). */
static void test_no_display_exits_with_a_message(void **state)
{
    (void)state;
    char out[4096];
    const char *envs[] = { "env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=offscreen",
                           "env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER",
                           "env -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER DISPLAY=:55" };
    for (size_t i = 0; i < sizeof envs / sizeof envs[0]; i++) {
        int rc = run_viz(envs[i], "scenarios/tour.scn", out, sizeof out);
        if (rc != 1 || !strstr(out, "no display") || !strstr(out, "--screenshot"))
            fail_msg("%s: exit %d, said: %s", envs[i], rc, out);
        rc = run_viz(envs[i], "--check-display", out, sizeof out);
        assert_int_equal(rc, 1);
    }
}

/* Command-line mistakes say what is wrong. */
static void test_command_line_messages(void **state)
{
    (void)state;
    char out[4096];
    static const struct { const char *args; int rc; const char *says; } cases[] = {
        { "scenarios/tour.scn --screenshot /tmp/x.png", 2, "--screenshot needs --at" },
        { "scenarios/tour.scn --screenshot /tmp/x.png --at 1 --size 12", 2, "--size wants" },
        { "scenarios/tour.scn --screenshot /tmp/x.png --at 1 --size 100x100", 2, "--size wants" },
        { "scenarios/tour.scn --screenshot /tmp/x.png --at x", 2, "--at wants a tick" },
        { "scenarios/tour.scn --screenshot /dev/null --at 1 --select 99", 2,
          "no process or thread 99" },
        { "scenarios/tour.scn --frob", 2, "unknown option '--frob'" },
        { "--version", 0, "procsim-viz " },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = run_viz("env", cases[i].args, out, sizeof out);
        if (rc != cases[i].rc || !strstr(out, cases[i].says))
            fail_msg("%s: exit %d (wanted %d), said: %s", cases[i].args, rc, cases[i].rc, out);
    }
    /* Past the end: clamped, with a note, and the picture is made. */
    char png[64];
    snprintf(png, sizeof png, "/tmp/procsim-viz-at-%d.png", (int)getpid());
    char args[128];
    snprintf(args, sizeof args, "scenarios/tour.scn --screenshot %s --at 9999", png);
    int rc = run_viz("env", args, out, sizeof out);
    if (rc != 0 || !strstr(out, "past the end of the run; showing its last tick"))
        fail_msg("--at 9999: exit %d, said: %s", rc, out);
    assert_int_equal(access(png, F_OK), 0);
    unlink(png);
}

/* K with nothing selected says so in the bar. */
static void test_signal_key_without_selection_says_so(void **state)
{
    (void)state;
    struct frame *f = open_frame("scenarios/tour.scn", 1280, 800, false);
    SDL_Event e = { .type = SDL_KEYDOWN };
    e.key.keysym.sym = SDLK_k;
    viz_handle_event(&f->v, &e);
    assert_int_equal(f->v.nadded, 0);
    draw_logged(f);
    bool said = false;
    for (int i = 0; i < f->log.n; i++)
        said |= strstr(f->log.e[i].text, "select a process first") &&
                inside(f->log.e[i].r, f->v.layout.bar);
    assert_true(said);
    close_frame(f);
}

/* The dining philosophers' deadlock is a graph: each philosopher and
 * fork a node, each wait a sentence, the cycle in red; the cards on the
 * cycle framed in red; and no lock arrows are drawn over the board. */
static void test_deadlock_is_a_wait_for_graph(void **state)
{
    (void)state;
    struct frame *f = open_frame("scenarios/philosophers.scn", 1280, 800, false);
    viz_seek(&f->v, viz_end_tick(&f->v));
    draw_logged(f);
    SDL_Rect o = f->v.layout.objects;
    assert_true(o.w > 0);
    const char *want[] = { "wait-for graph: a cycle", "2 p0", "3 p1", "4 p2", "fork0", "fork1",
                           "fork2", "2 waits for fork1, held by 3", "3 waits for fork2, held by 4",
                           "4 waits for fork0, held by 2" };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        bool found = false;
        for (int i = 0; i < f->log.n && !found; i++)
            found = !strcmp(f->log.e[i].text, want[k]) && inside(f->log.e[i].r, o);
        if (!found)
            fail_msg("\"%s\" not in the objects panel", want[k]);
    }
    for (int i = 0; i < f->log.n; i++)
        if ((strstr(f->log.e[i].text, "waits for fork") || strstr(f->log.e[i].text, "a cycle")) &&
            inside(f->log.e[i].r, o))
            assert_memory_equal(&f->log.e[i].c, &VIZ_ACCENT, 3);
    for (int tid = 2; tid <= 4; tid++)
        assert_true(viz_in_cycle(&f->v, tid));
    assert_false(viz_in_cycle(&f->v, 1));
    /* The ordered version never deadlocks: no cycle at any tick. */
    close_frame(f);
    f = open_frame("scenarios/philosophers-ordered.scn", 1280, 800, false);
    for (int64_t t = 0; t <= viz_end_tick(&f->v); t++) {
        viz_seek(&f->v, t);
        draw_logged(f);
        for (int i = 0; i < f->log.n; i++)
            assert_null(strstr(f->log.e[i].text, "a cycle"));
    }
    close_frame(f);
}

/* A reload that fails shows the error in the bar, wrapped to the window
 * (a long source line and all), with nothing cut or overlapping. */
static void test_error_bar_wraps(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/procsim-viz-bar-%d.scn", (int)getpid());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("program p {\n  compute 5\n}\nspawn p\n", fp);
    fclose(fp);
    struct frame *f = open_frame(path, 1024, 768, false);
    fp = fopen(path, "w");
    fputs("program p {\n  compute 5 # a comment long enough to run past the right edge of "
          "a 1024 pixel wide window when the error shows the line\n  frobnicate\n}\n"
          "spawn p\n", fp);
    fclose(fp);
    assert_false(viz_reload(&f->v));
    assert_true(f->v.error[0] != '\0');
    draw_logged(f);
    char why[512];
    const char *bad = check_frame(f, why, sizeof why);
    if (bad)
        fail_msg("%s", bad);
    int in_bar = 0;
    for (int i = 0; i < f->log.n; i++)
        in_bar += inside(f->log.e[i].r, f->v.layout.bar);
    assert_true(in_bar >= 3);          /* the message, the line, the caret */
    assert_true(f->v.layout.bar.h >= 3 * f->v.font.small_line);
    close_frame(f);
    unlink(path);
}

/* F5 toggles presentation mode: larger text, no inspector until a task is
 * selected. */
static void test_presentation_key(void **state)
{
    (void)state;
    struct frame *f = open_frame("scenarios/philosophers.scn", 1280, 800, false);
    draw_logged(f);
    assert_true(f->v.layout.inspector.w > 0);
    SDL_Event e = { .type = SDL_KEYDOWN };
    e.key.keysym.sym = SDLK_F5;
    viz_handle_event(&f->v, &e);
    assert_true(f->v.present);
    assert_true(viz_font_px(1280, 800, 1.0f, true) > viz_font_px(1280, 800, 1.0f, false));
    draw_logged(f);
    assert_int_equal(f->v.layout.inspector.w, 0);
    viz_handle_event(&f->v, &e);
    assert_false(f->v.present);
    close_frame(f);
}

int main(int argc, char **argv)
{
    /* procsim-viz is next to the directory this test binary is in. */
    snprintf(viz_bin, sizeof viz_bin, "%s", argc > 0 ? argv[0] : "build/vtests/x");
    char *slash = strrchr(viz_bin, '/');
    if (slash)
        *slash = '\0';
    strncat(viz_bin, "/../procsim-viz", sizeof viz_bin - strlen(viz_bin) - 1);
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(0) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_colours_contrast),
        cmocka_unit_test(test_state_colours_distinct_also_colour_blind),
        cmocka_unit_test(test_no_display_exits_with_a_message),
        cmocka_unit_test(test_command_line_messages),
        cmocka_unit_test(test_signal_key_without_selection_says_so),
        cmocka_unit_test(test_presentation_key),
        cmocka_unit_test(test_error_bar_wraps),
        cmocka_unit_test(test_deadlock_is_a_wait_for_graph),
        cmocka_unit_test(test_nothing_clipped_or_overlapping),
        cmocka_unit_test(test_nothing_clipped_or_overlapping_presenting),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
