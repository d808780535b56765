/*
 * main.c - procsim-viz: open a scenario in a window, or render it off-screen.
 *
 *   procsim-viz FILE [--font PATH]
 *   procsim-viz FILE --screenshot OUT.png --at T [--size WxH]
 *   procsim-viz FILE --bench [--size WxH]
 *   procsim-viz FILE --record OUT.gif|webm|mp4 [--from A] [--to B] [--speed S] [--size WxH]
 *   procsim-viz FILE --lanes-png OUT.png [--size WxH]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "viz.h"

#define BASE_FONT_PX 15

static const char usage[] =
    "usage: procsim-viz FILE [--font PATH]\n"
    "       procsim-viz FILE --screenshot OUT.png --at T [--size WxH] [--select PID] [--present]\n"
    "       procsim-viz FILE --bench [--size WxH]\n"
    "       procsim-viz FILE --record OUT.gif|.webm|.mp4 [--from A] [--to B] [--speed S]\n"
    "                   [--size WxH] [--select PID] [--present]\n"
    "       procsim-viz FILE --lanes-png OUT.png [--size WxH]\n"
    "       procsim-viz --version | --help\n"
    "\n"
    "Watch a procsim scenario run: pause, step, jump, click a process to read its\n"
    "PCB. Press F1 or ? in the window for the keys.\n"
    "  --screenshot OUT.png --at T   render tick T off-screen to a PNG and exit\n"
    "  --bench                       render every tick off-screen; print frame times\n"
    "  --record OUT                  a clip of ticks A to B (default: the whole run) as\n"
    "                                an animated GIF or a WebM/MP4 video, by ffmpeg\n"
    "  --speed S                     the clip's ticks per second (default 2)\n"
    "  --lanes-png OUT.png           the whole run's lanes in one picture, for a handout\n"
    "  --size WxH                    the off-screen size (default 1280x800; a handout\n"
    "                                uses the width)\n"
    "  --select PID                  show that process in the inspector\n"
    "  --present                     start in presentation mode (F5 in the window)\n"
    "  --font PATH                   a TrueType font instead of DejaVu Sans Mono\n"
    "  --check-display               exit 0 if a window can open here, else 1\n";

struct args {
    const char *file, *shot, *font;
    const char *record, *lanes_png;
    long long at, from, to;    /* --from, --to: the clip's span (-1: not given) */
    int speed;
    int select;                /* --select PID: inspect it in the screenshot */
    int w, h;
    bool bench, check_display, present;
};

/* Parse the command line; on a mistake write what is wrong into err. */
static bool parse_args(int argc, char **argv, struct args *a, char *err, size_t n)
{
    memset(a, 0, sizeof *a);
    a->w = 1280;
    a->h = 800;
    a->at = -1;
    a->from = -1;
    a->to = -1;
    a->speed = 2;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = !strcmp(s, "--screenshot") || !strcmp(s, "--at") ||
                     !strcmp(s, "--select") || !strcmp(s, "--font") || !strcmp(s, "--size") ||
                     !strcmp(s, "--record") || !strcmp(s, "--from") || !strcmp(s, "--to") ||
                     !strcmp(s, "--speed") || !strcmp(s, "--lanes-png");
        if (takes && !next) {
            snprintf(err, n, "%s needs a value", s);
            return false;
        }
        char *end = NULL;
        if (!strcmp(s, "--screenshot")) {
            a->shot = argv[++i];
        } else if (!strcmp(s, "--at")) {
            a->at = strtoll(argv[++i], &end, 10);
            if (*end || end == argv[i] || a->at < 0) {
                snprintf(err, n, "--at wants a tick (0 or more), not '%s'", argv[i]);
                return false;
            }
        } else if (!strcmp(s, "--record")) {
            a->record = argv[++i];
        } else if (!strcmp(s, "--lanes-png")) {
            a->lanes_png = argv[++i];
        } else if (!strcmp(s, "--from") || !strcmp(s, "--to")) {
            long long *t = !strcmp(s, "--from") ? &a->from : &a->to;
            *t = strtoll(argv[++i], &end, 10);
            if (*end || end == argv[i] || *t < 0) {
                snprintf(err, n, "%s wants a tick (0 or more), not '%s'", s, argv[i]);
                return false;
            }
        } else if (!strcmp(s, "--speed")) {
            a->speed = (int)strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || a->speed < 1 || a->speed > 1000) {
                snprintf(err, n, "--speed wants ticks per second from 1 to 1000, not '%s'",
                         argv[i]);
                return false;
            }
        } else if (!strcmp(s, "--select")) {
            a->select = (int)strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || a->select <= 0) {
                snprintf(err, n, "--select wants a pid (1 or more), not '%s'", argv[i]);
                return false;
            }
        } else if (!strcmp(s, "--font")) {
            a->font = argv[++i];
        } else if (!strcmp(s, "--size")) {
            char x;
            const char *v = argv[++i];
            if (sscanf(v, "%d%c%d", &a->w, &x, &a->h) != 3 || (x != 'x' && x != 'X') ||
                a->w < 320 || a->h < 240 || a->w > 8192 || a->h > 8192) {
                snprintf(err, n, "--size wants WIDTHxHEIGHT between 320x240 and 8192x8192 "
                         "(e.g. 1280x800), not '%s'", v);
                return false;
            }
        } else if (!strcmp(s, "--bench")) {
            a->bench = true;
        } else if (!strcmp(s, "--present")) {
            a->present = true;
        } else if (!strcmp(s, "--check-display")) {
            a->check_display = true;
        } else if (s[0] == '-') {
            snprintf(err, n, "unknown option '%s'", s);
            return false;
        } else if (a->file) {
            snprintf(err, n, "one scenario file at a time ('%s' and '%s')", a->file, s);
            return false;
        } else {
            a->file = s;
        }
    }
    if (a->check_display)
        return true;
    if (!a->file) {
        snprintf(err, n, "which scenario? give a .scn file");
        return false;
    }
    if (a->shot && a->at < 0) {
        snprintf(err, n, "--screenshot needs --at T: the tick to render");
        return false;
    }
    if (!!a->shot + a->bench + !!a->record + !!a->lanes_png > 1) {
        snprintf(err, n, "one of --screenshot, --bench, --record, --lanes-png at a time");
        return false;
    }
    if ((a->from >= 0 || a->to >= 0) && !a->record) {
        snprintf(err, n, "--from and --to go with --record");
        return false;
    }
    if (a->at >= 0 && (a->record || a->lanes_png)) {
        snprintf(err, n, "--at goes with --screenshot; a clip's span is --from A --to B");
        return false;
    }
    return true;
}

/* A software renderer drawing into a surface: no display needed. */
static SDL_Renderer *offscreen(int w, int h, SDL_Surface **surf)
{
    *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    return *surf ? SDL_CreateSoftwareRenderer(*surf) : NULL;
}

/* This process's CPU time in ms. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Reopen the font at px pixels if it is not that size already. */
static bool refont(struct viz *v, const char *path, int px)
{
    if (v->font.size == px)
        return true;
    char msg[256];
    font_close(&v->font);
    if (!font_open(&v->font, path, px, msg, sizeof msg)) {
        fprintf(stderr, "%s\n", msg);
        return false;
    }
    return true;
}

static int run_offscreen(struct viz *v, const struct args *a)
{
    SDL_Surface *surf;
    SDL_Renderer *r = offscreen(a->w, a->h, &surf);
    if (!r) {
        fprintf(stderr, "procsim-viz: cannot create an off-screen renderer: %s\n", SDL_GetError());
        return 1;
    }
    v->w = a->w;
    v->h = a->h;
    if (!refont(v, a->font, viz_font_px(a->w, a->h, 1.0f, v->present)))
        return 1;
    v->selected_tid = a->select;
    viz_seek(v, a->bench ? 0 : a->at);
    int rc = 0;
    if (a->shot) {
        viz_draw(r, v);
        char msg[256];
        if (!viz_save_png(r, a->shot, msg, sizeof msg)) {
            fprintf(stderr, "procsim-viz: %s\n", msg);
            rc = 1;
        }
    } else {
        int64_t n = viz_end_tick(v);
        if (n > 2000)
            n = 2000;
        double *ms = malloc((size_t)(n > 0 ? n : 1) * sizeof *ms);
        double *cpu = malloc((size_t)(n > 0 ? n : 1) * sizeof *cpu);
        for (int64_t t = 0; t < n; t++) {
            uint64_t t0 = SDL_GetPerformanceCounter();
            double c0 = cpu_ms();
            viz_seek(v, t);
            viz_draw(r, v);
            ms[t] = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                    (double)SDL_GetPerformanceFrequency();
            cpu[t] = cpu_ms() - c0;
        }
        qsort(ms, (size_t)n, sizeof *ms, cmp_double);
        qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
        /* CPU time is what a busy shared machine does not inflate. */
        printf("frame cpu ms: median %.2f p99 %.2f\n", n ? cpu[n / 2] : 0.0,
               n ? cpu[(size_t)((double)n * 0.99)] : 0.0);
        free(cpu);
        printf("frames: %lld at %dx%d, %d tasks at the start\n", (long long)n, a->w, a->h,
               v->snap.ntasks);
        /* Frames while cards glide (the window at 60 Hz between ticks):
         * the first draws the layer, the next 14 reuse it. */
        int ng = 0;
        double glide[15 * 20];
        v->animate = true;
        for (int64_t t = 1; t < n && ng + 15 <= 15 * 20; t += n / 20 > 0 ? n / 20 : 1) {
            viz_seek(v, t);
            for (int f = 0; f < 15; f++) {
                uint64_t t0 = SDL_GetPerformanceCounter();
                v->reuse_layer = f > 0;
                viz_draw(r, v);
                glide[ng++] = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                              (double)SDL_GetPerformanceFrequency();
                v->now += 16;
            }
        }
        v->animate = false;
        v->reuse_layer = false;
        qsort(glide, (size_t)ng, sizeof *glide, cmp_double);
        printf("glide frame ms (the still part from the layer): median %.2f p99 %.2f\n",
               ng ? glide[ng / 2] : 0.0, ng ? glide[(size_t)((double)ng * 0.99)] : 0.0);
        /* Stepping back (the Left key) from the end of the run: the state
         * of the previous tick comes from a checkpoint plus replay. */
        int64_t end = viz_end_tick(v), nb = end < 500 ? end : 500;
        double *back = malloc((size_t)(nb > 0 ? nb : 1) * sizeof *back);
        double *back_cpu = malloc((size_t)(nb > 0 ? nb : 1) * sizeof *back_cpu);
        viz_seek(v, end);
        for (int64_t k = 0; k < nb; k++) {
            uint64_t t0 = SDL_GetPerformanceCounter();
            double c0 = cpu_ms();
            viz_seek(v, end - k - 1);
            viz_draw(r, v);
            back[k] = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                      (double)SDL_GetPerformanceFrequency();
            back_cpu[k] = cpu_ms() - c0;
        }
        qsort(back, (size_t)nb, sizeof *back, cmp_double);
        qsort(back_cpu, (size_t)nb, sizeof *back_cpu, cmp_double);
        printf("cpu ms of a step back: median %.2f p99 %.2f\n", nb ? back_cpu[nb / 2] : 0.0,
               nb ? back_cpu[(size_t)((double)nb * 0.99)] : 0.0);
        free(back_cpu);
        printf("step back from tick %lld (seek + frame) ms: median %.2f p99 %.2f\n",
               (long long)end, nb ? back[nb / 2] : 0.0,
               nb ? back[(size_t)((double)nb * 0.99)] : 0.0);
        free(back);
        printf("frame ms: median %.2f p99 %.2f\n", n ? ms[n / 2] : 0.0,
               n ? ms[(size_t)((double)n * 0.99)] : 0.0);
        free(ms);
    }
    font_flush(&v->font);
    layer_free(v);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    return rc;
}

/* --record and --lanes-png: a clip or a handout, with the font the
 * window would use at that size. */
static int run_export(struct viz *v, const struct args *a)
{
    if (!refont(v, a->font, viz_font_px(a->w, a->h, 1.0f, v->present)))
        return 1;
    char msg[1024];
    int rc;
    v->selected_tid = a->select;
    if (a->record) {
        struct clip_opts o = { .out = a->record, .from = a->from < 0 ? 0 : a->from,
                               .to = a->to, .speed = a->speed, .w = a->w, .h = a->h };
        rc = clip_record(v, &o, msg, sizeof msg);
        if (!rc)
            printf("wrote %s: ticks %lld to %lld at %d ticks/s, %lld frames at %d fps, %dx%d\n",
                   a->record, (long long)o.from, (long long)o.to, o.speed,
                   (long long)clip_frames(o.from, o.to, o.speed), CLIP_FPS, a->w, a->h);
    } else {
        rc = handout_lanes_png(v, a->lanes_png, a->w, msg, sizeof msg);
        if (!rc)
            printf("wrote %s\n", a->lanes_png);
    }
    if (rc)
        fprintf(stderr, "procsim-viz: %s\n", msg);
    return rc;
}

/* Window pixels per window point (HiDPI). */
static float pixel_scale(SDL_Window *w, SDL_Renderer *r)
{
    int ww, wh, pw, ph;
    SDL_GetWindowSize(w, &ww, &wh);
    SDL_GetRendererOutputSize(r, &pw, &ph);
    return ww > 0 ? (float)pw / (float)ww : 1.0f;
}

static void to_pixels(SDL_Event *e, float k)
{
    if (e->type == SDL_MOUSEBUTTONDOWN || e->type == SDL_MOUSEBUTTONUP) {
        e->button.x = (int)((float)e->button.x * k);
        e->button.y = (int)((float)e->button.y * k);
    } else if (e->type == SDL_MOUSEMOTION) {
        e->motion.x = (int)((float)e->motion.x * k);
        e->motion.y = (int)((float)e->motion.y * k);
    }
}

/* Start SDL's video and make sure it reached a real display. With no
 * DISPLAY, or one that is gone, SDL 2.26 quietly falls back to its
 * "offscreen" driver: the window would open invisibly and the program
 * would run forever, so that counts as no display. */
static bool open_display(const char *file)
{
    const char *why = NULL;
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        why = SDL_GetError();
    } else {
        const char *drv = SDL_GetCurrentVideoDriver();
        if (!drv || !strcmp(drv, "offscreen") || !strcmp(drv, "dummy") ||
            !strcmp(drv, "evdev")) {
            why = drv ? drv : "none";
            SDL_QuitSubSystem(SDL_INIT_VIDEO);
        }
    }
    if (!why)
        return true;
    const char *d = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    fprintf(stderr, "procsim-viz: no display to open a window on (SDL video driver: %s; "
            "DISPLAY=%s%s%s).\n"
            "Run it on a desktop (or with a working DISPLAY), or render off-screen:\n"
            "  procsim-viz %s --screenshot out.png --at 0\n",
            why, d ? d : "(unset)", wl ? ", WAYLAND_DISPLAY=" : "", wl ? wl : "", file);
    return false;
}

/* Redraw only when something changed: an event came in, playback or an
 * animation is moving, a status message is due to disappear. Otherwise the
 * loop sleeps in SDL_WaitEventTimeout, waking twice a second to see whether
 * the file changed on disk. */
static int run_window(struct viz *v, const struct args *a)
{
    if (!open_display(a->file))
        return 1;
    SDL_Window *win = SDL_CreateWindow(v->scn && v->scn->title ? v->scn->title : "procsim-viz",
                                       SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800,
                                       SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    SDL_Renderer *r = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_PRESENTVSYNC) : NULL;
    if (!r && win)
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    if (!r) {
        fprintf(stderr, "procsim-viz: cannot open a window: %s\n", SDL_GetError());
        return 1;
    }
    float k = pixel_scale(win, r);   /* HiDPI: the same layout, sharper text */
    snprintf(v->shot_path, sizeof v->shot_path, "procsim-shot.png");
    SDL_StartTextInput();
    v->animate = true;
    v->selected_tid = a->select;
    if (a->at > 0)
        viz_seek(v, a->at);
    uint32_t last = SDL_GetTicks(), last_poll = last;
    bool dirty = true;
    int64_t drawn_tick = -1;
    while (!v->quit) {
        SDL_Event e;
        int pw, ph;
        SDL_GetRendererOutputSize(r, &pw, &ph);
        k = pixel_scale(win, r);
        if (pw != v->w || ph != v->h || v->font.size != viz_font_px(pw, ph, k, v->present)) {
            v->w = pw;
            v->h = ph;
            if (!refont(v, a->font, viz_font_px(pw, ph, k, v->present)))
                return 1;
            viz_seek(v, v->tick);
            dirty = true;
        }
        bool busy = viz_busy(v);
        /* Idle: block until an event (or the next file check). */
        if (!dirty && !busy && SDL_WaitEventTimeout(&e, 500)) {
            to_pixels(&e, k);
            viz_handle_event(v, &e);
            dirty = true;
        }
        while (SDL_PollEvent(&e)) {
            to_pixels(&e, k);
            viz_handle_event(v, &e);
            dirty = true;
        }
        uint32_t now = SDL_GetTicks();
        viz_update(v, now - last);
        last = now;
        if (now - last_poll > 500) {          /* reload when the file changes */
            struct stat st;
            last_poll = now;
            if (stat(v->path, &st) == 0 && (int64_t)st.st_mtime != v->mtime) {
                viz_reload(v);
                dirty = true;
            }
        }
        if (!dirty && !busy && !viz_busy(v))
            continue;
        /* No input, reload or new tick since the last frame: only the
         * gliding cards changed, the rest can come from the layer. */
        v->reuse_layer = !dirty && v->tick == drawn_tick;
        dirty = false;
        if (v->scn)
            SDL_SetWindowTitle(win, v->scn->title ? v->scn->title : v->path);
        viz_draw(r, v);
        drawn_tick = v->tick;
        if (v->want_shot) {
            char msg[256];
            v->want_shot = false;
            if (viz_save_png(r, v->shot_path, msg, sizeof msg))
                snprintf(v->status, sizeof v->status, "saved %s", v->shot_path);
            else
                snprintf(v->status, sizeof v->status, "%s", msg);
            v->status_until = v->now + 3000;
        }
        SDL_RenderPresent(r);
        SDL_Delay(busy ? 8 : 1);
    }
    font_flush(&v->font);
    layer_free(v);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    return 0;
}

/* Did the scenario's run ever have this task? (A pid typed wrong should
 * be an error, not a picture saying "not alive".) */
static bool ever_existed(const struct viz *v, int tid)
{
    for (int i = 0; i < v->nlanes; i++)
        if (v->lanes[i].tid == tid)
            return true;
    return false;
}

/* After loading: check --select and --at against the run. Returns 0 when
 * fine, else the exit status. */
static int check_against_run(struct viz *v, struct args *a)
{
    if (a->select && !ever_existed(v, a->select)) {
        int hi = 0;
        for (int i = 0; i < v->nlanes; i++)
            hi = v->lanes[i].tid > hi ? v->lanes[i].tid : hi;
        fprintf(stderr, "procsim-viz: --select %d: no process or thread %d ever exists in "
                "this run (its tids go up to %d)\n", a->select, a->select, hi);
        return 2;
    }
    int64_t end = viz_end_tick(v);
    if (a->at > end) {
        fprintf(stderr, "procsim-viz: note: --at %lld is past the end of the run; "
                "showing its last tick, %lld\n", a->at, (long long)end);
        a->at = end;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct args a;
    char err[300];
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        printf("procsim-viz %s\n", PROCSIM_VERSION);
        return 0;
    }
    if (!parse_args(argc, argv, &a, err, sizeof err)) {
        fprintf(stderr, "procsim-viz: %s\n%s", err, usage);
        return 2;
    }
    if (SDL_Init(0) != 0) {
        fprintf(stderr, "procsim-viz: SDL: %s\n", SDL_GetError());
        return 1;
    }
    if (a.check_display) {
        int rc = open_display(a.file ? a.file : "FILE.scn") ? 0 : 1;
        SDL_Quit();
        return rc;
    }
    static struct viz v;
    char msg[512];
    if (!font_open(&v.font, a.font, BASE_FONT_PX, msg, sizeof msg)) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    v.w = a.w;
    v.h = a.h;
    v.present = a.present;
    bool loaded = viz_load(&v, a.file);
    int rc = loaded ? check_against_run(&v, &a) : 0;
    if (rc) {
        /* an argument that does not fit the run */
    } else if (a.shot || a.bench || a.record || a.lanes_png) {
        if (!loaded) {
            fprintf(stderr, "%s", v.error);
            rc = 2;
        } else if (a.record || a.lanes_png) {
            rc = run_export(&v, &a);
        } else {
            rc = run_offscreen(&v, &a);
        }
    } else {
        rc = run_window(&v, &a);
    }
    viz_free(&v);
    font_close(&v.font);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
