/*
 * clip.c - a span of the run as an animated GIF or a video, for slides.
 *
 * The frames are the window's own, drawn off-screen with the card glides
 * running on a clock that advances 1/CLIP_FPS s a frame, and piped as raw
 * RGBA to the ffmpeg command (Debian package ffmpeg), which does all the
 * encoding: libvpx-vp9 for .webm, libx264 for .mp4, and for .gif its
 * palettegen/paletteuse pair. A GIF is rendered twice (one pass to choose
 * the 256 colours, one to encode), so ffmpeg never holds the whole clip.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "viz.h"

#define CLIP_MAX_FRAMES (CLIP_FPS * 60 * 30)   /* half an hour */

/* ------------------------------------------------------------ planning */

enum clip_kind { CLIP_UNKNOWN, CLIP_GIF, CLIP_WEBM, CLIP_MP4 };

static enum clip_kind kind_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return CLIP_UNKNOWN;
    if (!strcasecmp(dot, ".gif"))
        return CLIP_GIF;
    if (!strcasecmp(dot, ".webm"))
        return CLIP_WEBM;
    if (!strcasecmp(dot, ".mp4"))
        return CLIP_MP4;
    return CLIP_UNKNOWN;
}

int64_t clip_frames(int64_t from, int64_t to, int speed)
{
    /* Every tick of [from, to] shows for 1/speed s. */
    return ((to - from + 1) * CLIP_FPS + speed - 1) / speed;
}

/* The tick frame k shows. */
static int64_t tick_of_frame(const struct clip_opts *o, int64_t k)
{
    int64_t t = o->from + k * o->speed / CLIP_FPS;
    return t < o->to ? t : o->to;
}

/* Check the options against the run; fill in the defaults. */
static int plan(const struct viz *v, struct clip_opts *o, char *msg, size_t n)
{
    int64_t end = viz_end_tick(v);
    if (kind_of(o->out) == CLIP_UNKNOWN) {
        snprintf(msg, n, "--record %s: the file name must end in .gif, .webm or .mp4 "
                 "(it chooses the format)", o->out);
        return 2;
    }
    if (o->to < 0)
        o->to = end;
    if (o->from < 0 || o->from > end || o->to > end || o->to < o->from) {
        snprintf(msg, n, "--from %lld --to %lld: the span must lie within the run's ticks "
                 "0 to %lld, with --from at or before --to", (long long)o->from,
                 (long long)o->to, (long long)end);
        return 2;
    }
    if (o->speed < 1 || o->speed > 1000) {
        snprintf(msg, n, "--speed %d: ticks per second from 1 to 1000", o->speed);
        return 2;
    }
    if (clip_frames(o->from, o->to, o->speed) > CLIP_MAX_FRAMES) {
        snprintf(msg, n, "ticks %lld to %lld at %d ticks/s would last %lld s; the limit is "
                 "%d s (raise --speed or shorten the span)", (long long)o->from,
                 (long long)o->to, o->speed,
                 (long long)(clip_frames(o->from, o->to, o->speed) / CLIP_FPS),
                 CLIP_MAX_FRAMES / CLIP_FPS);
        return 2;
    }
    return 0;
}

/* ------------------------------------------------------------- ffmpeg */

/* Is there an executable `name` on PATH? */
static bool on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        return false;
    while (*path) {
        size_t len = strcspn(path, ":");
        char file[1024];
        snprintf(file, sizeof file, "%.*s/%s", (int)(len ? len : 1), len ? path : ".", name);
        if (access(file, X_OK) == 0)
            return true;
        path += len + (path[len] == ':');
    }
    return false;
}

struct encoder {
    pid_t pid;
    int fd;                    /* the frames go here (ffmpeg's stdin) */
    char log[64];              /* ffmpeg's stderr, a temporary file */
};

/* Start `ffmpeg ARGS` reading raw frames on its stdin, its output thrown
 * away and its errors kept in a temporary file. */
static bool encoder_start(struct encoder *e, char *const argv[], char *msg, size_t n)
{
    snprintf(e->log, sizeof e->log, "/tmp/procsim-ffmpeg-XXXXXX");
    int logfd = mkstemp(e->log);
    int fds[2];
    if (logfd < 0 || pipe(fds) != 0) {
        snprintf(msg, n, "cannot start ffmpeg: %s", strerror(errno));
        if (logfd >= 0) {
            close(logfd);
            unlink(e->log);
        }
        return false;
    }
    e->pid = fork();
    if (e->pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(fds[0], 0);
        dup2(null, 1);
        dup2(logfd, 2);
        close(fds[0]);
        close(fds[1]);
        execvp("ffmpeg", argv);
        _exit(127);
    }
    close(fds[0]);
    close(logfd);
    if (e->pid < 0) {
        close(fds[1]);
        unlink(e->log);
        snprintf(msg, n, "cannot start ffmpeg: %s", strerror(errno));
        return false;
    }
    e->fd = fds[1];
    return true;
}

static bool write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        len -= (size_t)w;
    }
    return true;
}

/* Close ffmpeg's input and wait for it. On failure msg gets the last
 * lines it wrote. */
static bool encoder_finish(struct encoder *e, char *msg, size_t n)
{
    if (e->fd >= 0)
        close(e->fd);
    e->fd = -1;
    int status = 0;
    while (waitpid(e->pid, &status, 0) < 0 && errno == EINTR)
        ;
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
        char tail[600] = "";
        FILE *f = fopen(e->log, "r");
        if (f) {
            /* The last few hundred bytes say what went wrong. */
            fseek(f, 0, SEEK_END);
            long size = ftell(f);
            fseek(f, size > (long)sizeof tail - 1 ? size - (long)sizeof tail + 1 : 0, SEEK_SET);
            size_t got = fread(tail, 1, sizeof tail - 1, f);
            tail[got] = '\0';
            fclose(f);
            while (got && (tail[got - 1] == '\n' || tail[got - 1] == '\r'))
                tail[--got] = '\0';
        }
        if (WIFEXITED(status))
            snprintf(msg, n, "ffmpeg failed (exit status %d)%s%s", WEXITSTATUS(status),
                     *tail ? ":\n" : "", tail);
        else
            snprintf(msg, n, "ffmpeg was killed by signal %d", WTERMSIG(status));
    }
    unlink(e->log);
    return ok;
}

/* -------------------------------------------------------------- frames */

/* Draw every frame of the clip and hand it to ffmpeg. */
static bool render_frames(struct viz *v, SDL_Renderer *r, const struct clip_opts *o,
                          struct encoder *e, char *msg, size_t n)
{
    size_t pitch = (size_t)o->w * 4;
    unsigned char *buf = malloc(pitch * (size_t)o->h);
    if (!buf) {
        snprintf(msg, n, "out of memory");
        return false;
    }
    /* Start at `from` with every card in place (no glide in from the
     * parent), then let the glides run on the clip's own clock. */
    v->animate = false;
    v->nanims = 0;
    v->nswings = 0;
    v->now = 0;
    v->status[0] = '\0';
    viz_seek(v, o->from);
    v->animate = true;
    v->now = 10000;
    v->playing = true;
    v->speed = o->speed;
    int64_t frames = clip_frames(o->from, o->to, o->speed);
    bool ok = true;
    for (int64_t k = 0; k < frames && ok; k++) {
        v->now = 10000 + (uint32_t)(k * 1000 / CLIP_FPS);
        int64_t t = tick_of_frame(o, k);
        /* Within a tick only the cards move: the still part is reused. */
        v->reuse_layer = k > 0 && t == v->tick;
        if (t != v->tick)
            viz_seek(v, t);
        viz_draw(r, v);
        ok = SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_RGBA32, buf, (int)pitch) == 0 &&
             write_all(e->fd, buf, pitch * (size_t)o->h);
    }
    v->playing = false;
    v->reuse_layer = false;
    free(buf);
    return ok;
}

/* One ffmpeg run over the whole clip with these output arguments. */
static bool encode(struct viz *v, SDL_Renderer *r, const struct clip_opts *o,
                   const char *const *out_args, char *msg, size_t n)
{
    char size[32];
    snprintf(size, sizeof size, "%dx%d", o->w, o->h);
    char rate[16];
    snprintf(rate, sizeof rate, "%d", CLIP_FPS);
    const char *argv[40] = { "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                             "-f", "rawvideo", "-pix_fmt", "rgba", "-s", size,
                             "-framerate", rate, "-i", "pipe:0" };
    int k = 15;
    for (int i = 0; out_args[i] && k < 39; i++)
        argv[k++] = out_args[i];
    argv[k] = NULL;
    struct encoder e = { .fd = -1 };
    if (!encoder_start(&e, (char *const *)argv, msg, n))
        return false;
    bool wrote = render_frames(v, r, o, &e, msg, n);
    bool ok = encoder_finish(&e, msg, n);
    if (ok && !wrote)
        snprintf(msg, n, "could not hand the frames to ffmpeg");
    return ok && wrote;
}

int clip_record(struct viz *v, struct clip_opts *o, char *msg, size_t n)
{
    int rc = plan(v, o, msg, n);
    if (rc)
        return rc;
    if (!on_path("ffmpeg")) {
        snprintf(msg, n, "--record needs the ffmpeg command, which is not on PATH; install "
                 "the Debian package ffmpeg (make deps does)");
        return 1;
    }
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, o->w, o->h, 32,
                                                       SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!r) {
        snprintf(msg, n, "cannot create an off-screen renderer: %s", SDL_GetError());
        SDL_FreeSurface(surf);
        return 1;
    }
    /* A reader that has gone (ffmpeg failed) must give EPIPE, not kill us. */
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
    v->w = o->w;
    v->h = o->h;
    /* Video wants even sizes (4:2:0 chroma): an odd one gets a pixel of padding. */
    static const char *const even = "pad=ceil(iw/2)*2:ceil(ih/2)*2";
    bool ok;
    switch (kind_of(o->out)) {
    case CLIP_GIF: {
        /* Pass 1 chooses the 256 colours for the whole clip, pass 2 maps
         * every frame to them; flat colours stay flat (no dithering). */
        char pal[64];
        snprintf(pal, sizeof pal, "/tmp/procsim-palette-%d.png", (int)getpid());
        const char *pass1[] = { "-vf", "palettegen=stats_mode=full", "-update", "1",
                                "-frames:v", "1", pal, NULL };
        char filter[128];
        snprintf(filter, sizeof filter, "[0:v][1:v]paletteuse=dither=none:diff_mode=rectangle");
        const char *pass2[] = { "-i", pal, "-lavfi", filter, "-loop", "0", "-f", "gif",
                                o->out, NULL };
        ok = encode(v, r, o, pass1, msg, n) && encode(v, r, o, pass2, msg, n);
        unlink(pal);
        break;
    }
    case CLIP_WEBM: {
        const char *args[] = { "-vf", even, "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p",
                               "-crf", "30", "-b:v", "0", "-deadline", "good", "-cpu-used", "4",
                               "-row-mt", "1", "-f", "webm", o->out, NULL };
        ok = encode(v, r, o, args, msg, n);
        break;
    }
    default: {
        const char *args[] = { "-vf", even, "-c:v", "libx264", "-preset", "medium", "-tune",
                               "animation", "-crf", "18", "-pix_fmt", "yuv420p", "-movflags",
                               "+faststart", "-f", "mp4", o->out, NULL };
        ok = encode(v, r, o, args, msg, n);
        break;
    }
    }
    signal(SIGPIPE, old_pipe);
    font_flush(&v->font);
    layer_free(v);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    return ok ? 0 : 1;
}
