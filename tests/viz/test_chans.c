/*
 * test_chans.c - pipes, queues and arrays in the window (issue 11), off-screen.
 *
 * The kernel fills snapshot.chans and snapshot.fds; here a run of sleeping
 * processes gets fake but realistic channel data put into its snapshot
 * (a simplex pipe full of four children's greetings, a duplex pipe whose
 * reader hangs, a full bounded Queue with items in its feeder's buffer and
 * a blocked putter, a JoinableQueue, a thread queue), so the drawing can be
 * judged and checked before and apart from the kernel code: the blocks stay
 * inside the objects panel and do not overlap, each message's cell keeps
 * the order (head at the right), no text is cut or drawn over another at
 * the classroom sizes, the chips name the waiting tasks and the inspector
 * lists the selected process's fds.
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
    "title \"pipes and queues\"\n"
    "describe \"Fake channel data, filled in by the test.\"\n"
    "program worker {\n  sleep 40\n}\n"
    "program main {\n  fork worker\n  fork worker\n  fork worker\n  fork worker\n"
    "  sleep 30\n  wait\n  wait\n  wait\n  wait\n}\n"
    "spawn main\n";

static const int sizes[][2] = { { 1024, 768 }, { 1280, 800 }, { 1920, 1080 } };

static void msg(struct snap_chan *c, const char *text, int from)
{
    struct snap_msg *m = &c->msgs[c->nmsgs++];
    snprintf(m->text, sizeof m->text, "%s", text);
    m->from = from;
    m->size = (uint32_t)strlen(text) + 4;
    c->bytes += m->size;
}

static void fd(struct snapshot *s, int pid, int n, int chan, int end, char mode)
{
    s->fds[s->nfds++] = (struct snap_fd){ .pid = pid, .fd = n, .chan = chan, .end = end,
                                          .mode = mode };
}

/* Pids in the run: main 2, workers 3 4 5 6 (all sleeping at tick 5). */
static void inject(struct snapshot *s, int nchans)
{
    free(s->chans);
    free(s->fds);
    s->chans = calloc(8, sizeof *s->chans);
    s->fds = calloc(32, sizeof *s->fds);
    s->chancap = 8;
    s->fdcap = 32;
    s->nfds = 0;
    struct snap_chan *c = &s->chans[0];
    c->kind = CHAN_PIPE;
    c->obj = 0;
    snprintf(c->name, sizeof c->name, "p");
    c->capacity = 65536;
    msg(c, "'hello! alice'", 3);
    msg(c, "(2, 5)", 4);
    msg(c, "'hello! bob, how are you today? fine'", 5);
    msg(c, "[1, 2, 3]", 6);
    msg(c, "None", 3);
    msg(c, "'x'", 4);
    msg(c, "42", 5);
    c->nholders[0] = 1;
    c->holders[0][0] = 2;
    c->nholders[1] = 4;
    for (int k = 0; k < 4; k++)
        c->holders[1][k] = 3 + k;
    c->nwriters = 1;
    c->writers[0] = 6;
    fd(s, 2, 3, 0, 0, 'r');
    for (int p = 3; p <= 6; p++)
        fd(s, p, 4, 0, 1, 'w');
    c = &s->chans[1];
    c->kind = CHAN_PIPE;
    c->obj = -1;
    c->duplex = true;
    snprintf(c->name, sizeof c->name, "pipe#1");
    c->capacity = 65536;
    c->nholders[0] = 1;
    c->holders[0][0] = 2;
    c->nholders[1] = 1;
    c->holders[1][0] = 2;
    c->nreaders = 1;
    c->readers[0] = 2;
    fd(s, 2, 5, 1, 0, 'b');
    fd(s, 2, 6, 1, 1, 'b');
    c = &s->chans[2];
    c->kind = CHAN_QUEUE;
    c->obj = 1;
    snprintf(c->name, sizeof c->name, "q");
    c->capacity = 65536;
    c->maxsize = 3;
    c->qsize = 3;
    msg(c, "0", 3);
    c->nbuffered = 2;
    c->nfeeders = 1;
    c->feeders[0] = 7;
    c->nwriters = 2;
    c->writers[0] = 3;
    c->writers[1] = 4;
    c->nreaders = 0;
    c = &s->chans[3];
    c->kind = CHAN_JOINABLE;
    c->obj = 2;
    snprintf(c->name, sizeof c->name, "jobs");
    c->capacity = 65536;
    msg(c, "('job', 1)", 2);
    msg(c, "('job', 2)", 2);
    c->qsize = 2;
    c->unfinished = 3;
    c->nreaders = 0;
    c = &s->chans[4];
    c->kind = CHAN_THREADQ;
    c->obj = 3;
    snprintf(c->name, sizeof c->name, "tq");
    c->nreaders = 2;
    c->readers[0] = 5;
    c->readers[1] = 6;
    s->nchans = nchans;
    int kept = 0;
    for (int i = 0; i < s->nfds; i++)
        if (s->fds[i].chan < nchans)
            s->fds[kept++] = s->fds[i];
    s->nfds = kept;
}

static void inject_hook(struct snapshot *s, void *arg)
{
    inject(s, *(int *)arg);
}

static void draw_logged(struct frame *f)
{
    f->log.n = 0;
    f->v.font.log = &f->log;
    viz_draw(f->r, &f->v);
    f->v.font.log = NULL;
    const char *dir = getenv("PROCSIM_VIZ_SHOTS");
    if (dir && *dir) {
        static int shot;
        char path[512], m[256];
        snprintf(path, sizeof path, "%s/chans-%02d-%dx%d.png", dir, shot++, f->v.w, f->v.h);
        viz_save_png(f->r, path, m, sizeof m);
    }
}

static bool intersects(SDL_Rect a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* No text cut or over another; each block's parts inside the panel and
 * apart from other blocks; cells in the tube, head at the right. */
static void check_texts(struct frame *f, const char *what)
{
    const struct text_log *lg = &f->log;
    for (int i = 0; i < lg->n; i++) {
        if (lg->e[i].clipped)
            fail_msg("%s: text cut: \"%s\"", what, lg->e[i].text);
        for (int j = i + 1; j < lg->n; j++)
            if (intersects(lg->e[i].r, lg->e[j].r))
                fail_msg("%s: texts overlap: \"%s\" and \"%s\"", what, lg->e[i].text,
                         lg->e[j].text);
    }
}

static void check(struct frame *f, const char *what)
{
    const struct layout *l = &f->v.layout;
    check_texts(f, what);
    assert_true(l->objects.w > 0);
    int n = f->v.nchan_geom;
    if (n < 1)
        fail_msg("%s: no channel drawn", what);
    for (int i = 0; i < n; i++) {
        const struct chan_geom *g = &f->v.chan_geom[i];
        const struct snap_chan *c = &f->v.snap.chans[g->chan];
        if (!inside(g->box, l->objects))
            fail_msg("%s: block of %s leaves the objects panel", what, c->name);
        for (int j = i + 1; j < n; j++)
            if (intersects(g->box, f->v.chan_geom[j].box))
                fail_msg("%s: blocks of %s and %s overlap", what, c->name,
                         f->v.snap.chans[f->v.chan_geom[j].chan].name);
        int cells = 0;
        for (int li = 0; li < g->nlanes; li++) {
            const struct chan_lane *ln = &g->lane[li];
            assert_true(inside(ln->tube, g->box));
            cells += ln->ncells;
            for (int k = 0; k < ln->ncells; k++) {
                assert_true(inside(ln->cell[k], ln->tube));
                /* older ones further from the head */
                if (k > 0 && !ln->leftward)
                    assert_true(ln->cell[k].x + ln->cell[k].w <= ln->cell[k - 1].x);
                if (k > 0 && ln->leftward)
                    assert_true(ln->cell[k].x >= ln->cell[k - 1].x + ln->cell[k - 1].w);
                if (k > 0)
                    assert_true(ln->msg[k] > ln->msg[k - 1]);
            }
            if (ln->more.w) {
                assert_true(inside(ln->more, ln->tube));
                for (int k = 0; k < ln->ncells; k++)
                    assert_false(intersects(ln->more, ln->cell[k]));
            }
        }
        if (c->nmsgs)
            assert_true(cells >= 1);           /* the next message out is always shown */
        for (int k = 0; k < g->nchips; k++) {
            assert_true(inside(g->chip[k], g->box));
            for (int m = k + 1; m < g->nchips; m++)
                assert_false(intersects(g->chip[k], g->chip[m]));
        }
    }
}

/* Is `text` drawn inside rc? */
static bool drawn_in(const struct frame *f, const char *text, SDL_Rect rc)
{
    for (int i = 0; i < f->log.n; i++)
        if (!strcmp(f->log.e[i].text, text) && inside(f->log.e[i].r, rc))
            return true;
    return false;
}

static void test_channels_drawn_at_classroom_sizes(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int nchans = 1; nchans <= 5; nchans += 2) {
            struct frame *f = open_frame("chans", fake_src, sizes[s][0], sizes[s][1]);
            f->v.snap_hook = inject_hook;
            f->v.snap_hook_arg = &nchans;
            viz_seek(&f->v, 8);
            draw_logged(f);
            char what[64];
            snprintf(what, sizeof what, "%dx%d, %d channels", sizes[s][0], sizes[s][1], nchans);
            check(f, what);
            const struct chan_geom *g = &f->v.chan_geom[0];
            /* The head of p is the first message sent, drawn in its cell. */
            assert_int_equal(g->chan, 0);
            assert_true(drawn_in(f, g->lane[0].cell_text[0], g->lane[0].cell[0]));
            assert_true(!strncmp(g->lane[0].cell_text[0], "'hello! al", 10));
            /* The waiting writer's chip names pid 6 (a short panel may
             * leave the waiters out, never with a single pipe). */
            bool chip6 = false;
            for (int k = 0; k < g->nchips; k++)
                chip6 |= g->chip_tid[k] == 6 && !g->chip_reader[k];
            if (nchans == 1)
                assert_true(chip6);
            if (nchans >= 3 && f->v.nchan_geom >= 3) {
                const struct chan_geom *q = &f->v.chan_geom[2];
                assert_true(q->buffer.w > 0);        /* the feeder's buffer */
                assert_true(q->tail_alarm);          /* full: qsize 3 of 3 */
            }
            /* Those that do not fit are counted. */
            if (f->v.nchan_geom < nchans) {
                char more[64];
                snprintf(more, sizeof more, "... and %d more pipes and queues",
                         nchans - f->v.nchan_geom);
                assert_true(drawn_in(f, more, f->v.layout.objects));
            }
            close_frame(f);
        }
}

/* A long message is cut with an ellipsis, by characters, not bytes. */
static void test_cut(void **state)
{
    (void)state;
    char out[64];
    chan_cut("'hello! bob'", 8, out, sizeof out);
    assert_string_equal(out, "'hello!\xe2\x80\xa6");
    chan_cut("'hi'", 8, out, sizeof out);
    assert_string_equal(out, "'hi'");
    chan_cut("'\xc3\xa9t\xc3\xa9 ici'", 4, out, sizeof out);    /* 'été ici' */
    assert_string_equal(out, "'\xc3\xa9t\xe2\x80\xa6");
}

/* The inspector lists the selected process's fds: the terminal, then its
 * pipe ends with object, end and mode. */
static void test_inspector_fd_table(void **state)
{
    (void)state;
    struct frame *f = open_frame("chans", fake_src, 1280, 800);
    int two = 2;
    f->v.snap_hook = inject_hook;
    f->v.snap_hook_arg = &two;
    f->v.selected_tid = 2;
    viz_seek(&f->v, 8);
    viz_relayout(&f->v);
    draw_logged(f);
    SDL_Rect in = f->v.layout.inspector;
    const char *want[] = { "fd     open file", "0 1 2  the terminal (stdin, stdout, stderr)",
                           "3      pipe p: read end", "5      pipe pipe#1: end 0, read/write",
                           "6      pipe pipe#1: end 1, read/write" };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        if (!drawn_in(f, want[k], in))
            fail_msg("\"%s\" not in the inspector", want[k]);
    char lines[8][FD_LINE];
    assert_int_equal(fd_table_lines(&f->v.snap, f->v.scn, 4, lines, 8), 3);
    assert_string_equal(lines[2], "4      pipe p: write end");
    /* The fds come right after the state, above the scheduling fields. */
    int state_y = -1, fd_y = -1;
    for (int i = 0; i < f->log.n; i++) {
        if (!strncmp(f->log.e[i].text, "state ", 6))
            state_y = f->log.e[i].r.y;
        if (!strcmp(f->log.e[i].text, "fd     open file"))
            fd_y = f->log.e[i].r.y;
    }
    assert_true(state_y >= 0 && fd_y == state_y + f->v.font.small_line);
    close_frame(f);
}

/* The classic hang in words: a reader waiting on an empty simplex pipe
 * whose write end its own process holds; not when another process holds
 * it (a writer may still come). */
static void fake_hang(struct snapshot *s, void *arg)
{
    free(s->chans);
    s->chans = calloc(1, sizeof *s->chans);
    s->chancap = 1;
    s->nchans = 1;
    s->nfds = 0;
    struct snap_chan *c = &s->chans[0];
    c->kind = CHAN_PIPE;
    c->obj = -1;
    snprintf(c->name, sizeof c->name, "pipe#1");
    c->capacity = 65536;
    c->nholders[0] = c->nholders[1] = 1;
    c->holders[0][0] = 2;
    c->holders[1][0] = *(int *)arg;
    c->nreaders = 1;
    c->readers[0] = 2;
}

static void test_reader_holding_the_write_end_is_named(void **state)
{
    (void)state;
    for (int holder = 2; holder <= 3; holder++) {
        struct frame *f = open_frame("chans", fake_src, 1280, 800);
        f->v.snap_hook = fake_hang;
        f->v.snap_hook_arg = &holder;
        viz_seek(&f->v, 8);
        draw_logged(f);
        assert_int_equal(f->v.nchan_geom, 1);
        const struct chan_geom *g = &f->v.chan_geom[0];
        if (holder == 2) {
            assert_string_equal(g->note, "2 waits but holds the write end itself: no EOF");
            assert_true(drawn_in(f, g->note, f->v.layout.objects));
        } else {
            assert_string_equal(g->note, "");
        }
        close_frame(f);
    }
}

/* Arrays: a row of cells with the items' values and indices; an item
 * whose update was lost has its index in red from the tick it shows, and a
 * line names it; the other items stay black. */
static const char array_src[] =
    "title \"array cells\"\nconfig cpus=2\n"
    "array a [10, 20, 30, 40, 50, 60, 70, 80]\n"
    "program racer {\n  repeat 5 {\n    a[2] += 1\n  }\n}\n"
    "program careful {\n  repeat 5 {\n    a.acquire\n    a[5] += 100\n    a.release\n  }\n}\n"
    "program main {\n  fork racer\n  fork racer\n  fork careful\n  fork careful\n"
    "  wait\n  wait\n  wait\n  wait\n}\nspawn main\n";

static const struct text_drawn *drawn_text(const struct frame *f, const char *text, SDL_Rect in)
{
    for (int i = 0; i < f->log.n; i++)
        if (!strcmp(f->log.e[i].text, text) && inside(f->log.e[i].r, in))
            return &f->log.e[i];
    return NULL;
}

static void test_array_cells_and_lost_items(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        struct frame *f = open_frame("chans", array_src, sizes[s][0], sizes[s][1]);
        const struct trace *tr = run_trace(f->v.run);
        int64_t lost = -1;
        for (size_t i = 0; i < tr->nev && lost < 0; i++)
            if (tr->ev[i].kind == EV_LOST_UPDATE)
                lost = tr->ev[i].tick;
        assert_true(lost > 0);
        /* Before: all indices in grey, no lost line. */
        viz_seek(&f->v, lost);
        draw_logged(f);
        SDL_Rect o = f->v.layout.objects;
        assert_non_null(drawn_text(f, "array a (8 items)", o));
        for (int k = 0; k < 8; k++) {
            char idx[4];
            snprintf(idx, sizeof idx, "%d", k);
            const struct text_drawn *d = drawn_text(f, idx, o);
            assert_non_null(d);
            assert_memory_equal(&d->c, &VIZ_MUTED, 3);
        }
        /* The tick it shows: index 2 in red, its line in red; values are
         * the snapshot's. */
        viz_seek(&f->v, lost + 1);
        draw_logged(f);
        const struct text_drawn *two = drawn_text(f, "2", o);
        assert_non_null(two);
        assert_memory_equal(&two->c, &VIZ_ACCENT, 3);
        assert_memory_equal(&drawn_text(f, "3", o)->c, &VIZ_MUTED, 3);
        char line[64];
        snprintf(line, sizeof line, "LOST UPDATE at tick %lld: a[2]", (long long)lost);
        assert_non_null(drawn_text(f, line, o));
        const struct snap_object *so = &f->v.snap.objects[0];
        char val[24];
        snprintf(val, sizeof val, "%lld", (long long)f->v.snap.items[so->first_item + 2]);
        assert_non_null(drawn_text(f, val, o));
        check_texts(f, "array");
        /* Later: still marked, the line in grey. */
        viz_seek(&f->v, viz_end_tick(&f->v));
        draw_logged(f);
        assert_memory_equal(&drawn_text(f, "2", o)->c, &VIZ_ACCENT, 3);
        bool later = false;
        for (int i = 0; i < f->log.n; i++)
            later |= !strncmp(f->log.e[i].text, "(last lost update: a[2] at tick ", 32);
        assert_true(later);
        close_frame(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_channels_drawn_at_classroom_sizes),
        cmocka_unit_test(test_inspector_fd_table),
        cmocka_unit_test(test_reader_holding_the_write_end_is_named),
        cmocka_unit_test(test_array_cells_and_lost_items),
    };
    return RUN_VIZ_TESTS(tests);
}
