/*
 * test_clip.c - clips and handouts, checked from the outside: ffprobe reads
 * back what --record wrote (container, codec, size, frame count), ffmpeg
 * decodes the frames, and the handout PNG is read pixel by pixel against
 * the recorded run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <SDL_image.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "viz.h"

/* rr, slice 4, two CPUs: the napper sleeps and the reader is in D from
 * tick 1, the three hogs take turns on the CPUs. */
static const char rr_src[] =
    "title \"rr\"\nconfig policy=rr slice=4 cpus=2\n"
    "program hog {\n  compute 12\n}\n"
    "program napper {\n  sleep 10\n}\n"
    "program reader {\n  disk 8\n}\n"
    "spawn napper\nspawn reader\nspawn hog\nspawn hog\nspawn hog\n";

struct fixture {
    struct viz v;
    char dir[64];              /* a temporary directory for the outputs */
    char scn[96];
};

static struct fixture *open_fixture(void)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/procsim-clip-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->scn, sizeof fx->scn, "%s/rr.scn", fx->dir);
    FILE *f = fopen(fx->scn, "w");
    assert_non_null(f);
    fputs(rr_src, f);
    fclose(f);
    char msg[256];
    assert_true(font_open(&fx->v.font, NULL, 15, msg, sizeof msg));
    assert_true(viz_load(&fx->v, fx->scn));
    return fx;
}

static void close_fixture(struct fixture *fx)
{
    font_flush(&fx->v.font);
    viz_free(&fx->v);
    font_close(&fx->v.font);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
}

/* The first line of a command's output (stderr included), and its status. */
static int run(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t n, const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t got = fread(out, 1, n - 1, p);
    out[got] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ffprobe's view of a file's video stream: "codec,width,height,frames"
 * and the container's format name. */
static void probe(const char *path, char *stream, char *format)
{
    char out[512];
    assert_int_equal(run(out, sizeof out, "ffprobe -v error -count_frames -select_streams v:0 "
                         "-show_entries stream=codec_name,width,height,nb_read_frames "
                         "-of csv=p=0 '%s' 2>&1", path), 0);
    out[strcspn(out, "\n")] = '\0';
    strcpy(stream, out);
    assert_int_equal(run(out, sizeof out, "ffprobe -v error -show_entries format=format_name "
                         "-of default=nw=1:nk=1 '%s' 2>&1", path), 0);
    out[strcspn(out, "\n")] = '\0';
    strcpy(format, out);
}

static struct clip_opts opts(struct fixture *fx, const char *name, int64_t from, int64_t to,
                             int speed, char *path)
{
    sprintf(path, "%s/%s", fx->dir, name);
    return (struct clip_opts){ .out = path, .from = from, .to = to, .speed = speed,
                               .w = 640, .h = 400 };
}

/* Ticks 2..5 at 5 ticks/s: 4 ticks of 1/5 s at 25 frames a second. */
static void test_gif_clip_has_its_frames_and_size_and_decodes(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture();
    char path[128], msg[512], stream[256], format[256], out[512];
    struct clip_opts o = opts(fx, "c.gif", 2, 5, 5, path);
    assert_int_equal(clip_frames(2, 5, 5), 20);
    assert_int_equal(clip_record(&fx->v, &o, msg, sizeof msg), 0);
    probe(path, stream, format);
    assert_string_equal(stream, "gif,640,400,20");
    assert_string_equal(format, "gif");
    /* Every frame decodes without a complaint. */
    assert_int_equal(run(out, sizeof out, "ffmpeg -v error -i '%s' -f null - 2>&1", path), 0);
    assert_string_equal(out, "");
    close_fixture(fx);
}

static void test_webm_and_mp4_clips(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture();
    char path[128], msg[512], stream[256], format[256];
    struct clip_opts o = opts(fx, "c.webm", 0, 3, 4, path);
    assert_int_equal(clip_record(&fx->v, &o, msg, sizeof msg), 0);
    probe(path, stream, format);
    assert_string_equal(stream, "vp9,640,400,25");
    assert_string_equal(format, "matroska,webm");
    /* An odd size is padded to even (4:2:0 video); the whole run by default. */
    o = opts(fx, "c.mp4", 0, -1, 25, path);
    o.w = 641;
    o.h = 401;
    assert_int_equal(clip_record(&fx->v, &o, msg, sizeof msg), 0);
    probe(path, stream, format);
    char want[64];
    snprintf(want, sizeof want, "h264,642,402,%lld", (long long)viz_end_tick(&fx->v) + 1);
    assert_string_equal(stream, want);
    assert_string_equal(format, "mov,mp4,m4a,3gp,3g2,mj2");
    close_fixture(fx);
}

static SDL_Surface *frame_of(struct fixture *fx, const char *clip, int k)
{
    char png[160], out[512];
    snprintf(png, sizeof png, "%s/f%d.png", fx->dir, k);
    assert_int_equal(run(out, sizeof out, "ffmpeg -v error -y -i '%s' -vf 'select=eq(n\\,%d)' "
                         "-vsync 0 -frames:v 1 '%s' 2>&1", clip, k, png), 0);
    SDL_Surface *s = IMG_Load(png);
    assert_non_null(s);
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    return c;
}

static bool same_pixels(SDL_Surface *a, SDL_Surface *b)
{
    for (int y = 0; y < a->h; y++)
        if (memcmp((char *)a->pixels + y * a->pitch, (char *)b->pixels + y * b->pitch,
                   (size_t)a->w * 4))
            return false;
    return true;
}

/* The glides are in the clip: at 1 tick/s a tick lasts 25 frames, and a
 * card that changed group is still moving in its tick's first frames
 * (250 ms, about 6 frames) and then stands still. */
static void test_clip_has_the_card_glides(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture();
    char path[128], msg[512];
    /* In tick 1 the napper and the reader have gone to sleep and to disk,
     * the hogs 4 and 5 to the CPUs. */
    struct clip_opts o = opts(fx, "g.gif", 0, 1, 1, path);
    assert_int_equal(clip_record(&fx->v, &o, msg, sizeof msg), 0);
    SDL_Surface *start = frame_of(fx, path, 25), *mid = frame_of(fx, path, 27),
                *done = frame_of(fx, path, 40), *later = frame_of(fx, path, 45),
                *before = frame_of(fx, path, 20), *before2 = frame_of(fx, path, 10);
    assert_false(same_pixels(start, mid));
    assert_false(same_pixels(mid, done));
    assert_true(same_pixels(done, later));
    assert_true(same_pixels(before, before2));     /* tick 0, standing still */
    SDL_FreeSurface(start);
    SDL_FreeSurface(mid);
    SDL_FreeSurface(done);
    SDL_FreeSurface(later);
    SDL_FreeSurface(before);
    SDL_FreeSurface(before2);
    close_fixture(fx);
}

/* Mistakes say what is wrong: 2 for options that do not fit, 1 when
 * ffmpeg is missing or fails; nothing waits forever. */
static void test_clip_errors_say_what_is_wrong(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture();
    char path[128], msg[512];
    struct clip_opts o = opts(fx, "c.avi", 0, 3, 2, path);
    assert_int_equal(clip_record(&fx->v, &o, msg, sizeof msg), 2);
    assert_non_null(strstr(msg, ".gif, .webm or .mp4"));
    o = opts(fx, "c.gif", 5, 3, 2, path);
    assert_int_equal(clip_record(&fx->v, &o, msg, sizeof msg), 2);
    assert_non_null(strstr(msg, "--from 5 --to 3"));
    o = opts(fx, "c.gif", 0, viz_end_tick(&fx->v) + 1, 2, path);
    assert_int_equal(clip_record(&fx->v, &o, msg, sizeof msg), 2);
    assert_non_null(strstr(msg, "within the run's ticks"));
    o = opts(fx, "nodir/c.mp4", 0, 2, 2, path);
    assert_int_equal(clip_record(&fx->v, &o, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "ffmpeg failed"));
    assert_non_null(strstr(msg, "No such file or directory"));
    char *old = strdup(getenv("PATH"));
    setenv("PATH", fx->dir, 1);
    o = opts(fx, "c.gif", 0, 2, 2, path);
    int rc = clip_record(&fx->v, &o, msg, sizeof msg);
    setenv("PATH", old, 1);
    free(old);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(msg, "Debian package ffmpeg"));
    assert_int_equal(access(path, F_OK), -1);
    close_fixture(fx);
}

/* The program itself: the messages and exit statuses. */
static void test_record_command_line(void **state)
{
    (void)state;
    char self[PATH_MAX], out[1024];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    *strrchr(self, '/') = '\0';                  /* BUILD/vtests */
    struct fixture *fx = open_fixture();
    assert_int_equal(run(out, sizeof out, "%s/../procsim-viz '%s' --record '%s/x.gif' --to 9999 "
                         "2>&1", self, fx->scn, fx->dir), 2);
    assert_non_null(strstr(out, "procsim-viz: --from 0 --to 9999: the span must lie within"));
    assert_int_equal(run(out, sizeof out, "%s/../procsim-viz '%s' --record '%s/x.mp4' --at 3 "
                         "2>&1", self, fx->scn, fx->dir), 2);
    assert_non_null(strstr(out, "--at goes with --screenshot"));
    assert_int_equal(run(out, sizeof out, "PATH=/nonexistent %s/../procsim-viz '%s' --record "
                         "'%s/x.webm' 2>&1", self, fx->scn, fx->dir), 1);
    assert_non_null(strstr(out, "install the Debian package ffmpeg"));
    assert_int_equal(run(out, sizeof out, "%s/../procsim-viz '%s' --record '%s/x.gif' --from 1 "
                         "--to 2 --speed 25 --size 320x240 2>&1", self, fx->scn, fx->dir), 0);
    assert_non_null(strstr(out, "ticks 1 to 2 at 25 ticks/s, 2 frames at 25 fps, 320x240"));
    close_fixture(fx);
}

static bool same(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static SDL_Color pixel(SDL_Surface *s, int x, int y)
{
    uint32_t p = ((uint32_t *)s->pixels)[y * (s->pitch / 4) + x];
    SDL_Color c;
    SDL_GetRGB(p, s->format, &c.r, &c.g, &c.b);
    return c;
}

/* The handout: as wide as asked, as tall as its lanes need, and every
 * lane shows in every tick the state the run recorded (white where the
 * task does not exist), every CPU lane its task's colour. */
static void test_handout_shows_every_lane_in_every_tick(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture();
    struct viz *v = &fx->v;
    char path[128], msg[512];
    snprintf(path, sizeof path, "%s/lanes.png", fx->dir);
    assert_int_equal(handout_lanes_png(v, path, 900, msg, sizeof msg), 0);
    SDL_Surface *img = IMG_Load(path), *s = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(img);
    int line = v->font.line, u = line / 2, lane_h = line + 4;
    assert_int_equal(v->nlanes, 6);                  /* init and five spawns */
    assert_int_equal(s->w, 900);
    assert_int_equal(s->h, u + line + v->font.small_line + u + line + 2 * lane_h + u + line +
                           6 * lane_h + u);
    struct handout g;
    handout_layout(v, 900, &g);
    const struct trace *tr = run_trace(v->run);
    int64_t end = viz_end_tick(v);
    assert_int_equal(g.nticks, end);
    for (int64_t t = 0; t < end; t++) {
        /* The middle column of tick t. */
        int x0 = 0;
        while (handout_tick_at(&g, x0) < t)
            x0++;
        int x1 = x0;
        while (x1 < g.lane_w && handout_tick_at(&g, x1) == t)
            x1++;
        int x = g.x0 + (x0 + x1 - 1) / 2;
        for (int c = 0; c < 2; c++) {
            int tid = trace_cpu_at(tr, t, c);
            SDL_Color want = tid ? pid_colour(tid) : (SDL_Color){ 255, 255, 255, 255 };
            SDL_Color got = pixel(s, x, g.cpu_y + c * g.lane_h + g.lane_h - 3);
            if (!same(got, want))
                fail_msg("cpu%d tick %lld: pixel %d,%d,%d", c, (long long)t, got.r, got.g, got.b);
        }
        for (int i = 0; i < v->nlanes; i++) {
            const struct lane *ln = &v->lanes[i];
            char st = viz_state_at(v, ln->tid, t);
            bool running = trace_cpu_at(tr, t, 0) == ln->tid || trace_cpu_at(tr, t, 1) == ln->tid;
            SDL_Color want = st ? state_colour(st, running) : (SDL_Color){ 255, 255, 255, 255 };
            SDL_Color got = pixel(s, x, g.proc_y + i * g.lane_h + g.lane_h / 2);
            if (!same(got, want))
                fail_msg("lane of %d tick %lld: pixel %d,%d,%d", ln->tid, (long long)t, got.r,
                         got.g, got.b);
        }
    }
    /* Not a blank lane among them. */
    for (int i = 0; i < v->nlanes; i++) {
        int coloured = 0;
        for (int x = g.x0; x < g.x0 + g.lane_w; x++)
            coloured += !same(pixel(s, x, g.proc_y + i * g.lane_h + g.lane_h / 2),
                              (SDL_Color){ 255, 255, 255, 255 });
        assert_true(coloured > g.lane_w / 4);
    }
    SDL_FreeSurface(s);
    close_fixture(fx);
}

/* A narrow picture: the legend moves under the title, on as many rows as
 * it needs, and no two strings overlap or leave the picture. */
static void test_handout_text_never_overlaps(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture();
    struct viz *v = &fx->v;
    char path[128], msg[512];
    snprintf(path, sizeof path, "%s/lanes.png", fx->dir);
    struct handout wide, narrow;
    handout_layout(v, 900, &wide);
    handout_layout(v, 420, &narrow);
    assert_int_equal(wide.legend_rows, 0);
    assert_true(narrow.legend_rows >= 2);
    assert_int_equal(narrow.h, wide.h + narrow.legend_rows * v->font.line);
    static struct text_log log;
    for (int w = 420; w <= 900; w += 480) {
        log.n = 0;
        v->font.log = &log;
        assert_int_equal(handout_lanes_png(v, path, w, msg, sizeof msg), 0);
        v->font.log = NULL;
        assert_true(log.n > 10);
        for (int i = 0; i < log.n; i++) {
            assert_true(log.e[i].r.x >= 0 && log.e[i].r.x + log.e[i].r.w <= w);
            for (int k = i + 1; k < log.n; k++)
                if (SDL_HasIntersection(&log.e[i].r, &log.e[k].r))
                    fail_msg("width %d: '%s' overlaps '%s'", w, log.e[i].text, log.e[k].text);
        }
    }
    close_fixture(fx);
}

int main(void)
{
    SDL_Init(0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gif_clip_has_its_frames_and_size_and_decodes),
        cmocka_unit_test(test_webm_and_mp4_clips),
        cmocka_unit_test(test_clip_has_the_card_glides),
        cmocka_unit_test(test_clip_errors_say_what_is_wrong),
        cmocka_unit_test(test_record_command_line),
        cmocka_unit_test(test_handout_shows_every_lane_in_every_tick),
        cmocka_unit_test(test_handout_text_never_overlaps),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
