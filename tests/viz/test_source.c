/*
 * test_source.c - a Python run in the window and in the events (issue 14):
 * the inspector shows the .py source with the current line of each thread
 * marked, and an event a statement caused quotes that statement.
 *
 * The runs are tests/viz/py/NAME.py, loaded through sim/pyfront as the
 * window loads any .py, with a stand-in translator (translate.py) that
 * gives NAME.scn, whose statements stand on the lines and columns of
 * NAME.py's, with `@L:C` lines as the translator writes them. So these
 * tests depend on positions only, not on how much Python the translator
 * knows.
 *
 * PROCSIM_SOURCE_SHOTS=DIR saves each frame checked as a PNG there, to
 * look at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "pyevent.h"

/* tests/viz/py/NAME.py, loaded as the window loads a .py (sim/pyfront),
 * translated by tests/viz/py/translate.py into NAME.scn with the .py's
 * positions. */
static struct frame *open_py(const char *name, int w, int h, bool present)
{
    setenv("PROCSIM_PY", "tests/viz/py/translate.py", 1);
    struct frame *f = calloc(1, sizeof *f);
    assert_non_null(f);
    char msg[256];
    snprintf(f->path, sizeof f->path, "/tmp/procsim-viz-source-%d.none", (int)getpid());
    assert_true(font_open(&f->v.font, NULL, viz_font_px(w, h, 1.0f, present), msg, sizeof msg));
    f->v.w = w;
    f->v.h = h;
    f->v.present = present;
    f->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    f->r = SDL_CreateSoftwareRenderer(f->surf);
    assert_non_null(f->r);
    char path[256];
    snprintf(path, sizeof path, "tests/viz/py/%s.py", name);
    if (!viz_load(&f->v, path))
        fail_msg("%s does not load: %s", path, f->v.error);
    assert_true(viz_python(&f->v));
    return f;
}

static void select_at(struct frame *f, int tid, int64_t tick)
{
    f->v.selected_tid = tid;
    viz_seek(&f->v, tick);
    viz_relayout(&f->v);
}

static void draw_logged(struct frame *f, const char *shot)
{
    f->log.n = 0;
    f->v.font.log = &f->log;
    viz_draw(f->r, &f->v);
    f->v.font.log = NULL;
    const char *dir = getenv("PROCSIM_SOURCE_SHOTS");
    if (dir && shot) {
        char path[512], msg[256];
        snprintf(path, sizeof path, "%s/%s-%dx%d.png", dir, shot, f->v.w, f->v.h);
        viz_save_png(f->r, path, msg, sizeof msg);
    }
}

/* The text event e of the run says. */
static const char *said(struct frame *f, const struct event *e, char *buf, size_t n)
{
    event_format(run_trace(f->v.run), f->v.scn, e, buf, n);
    return buf;
}

/* The first event of this kind (and reason, -1 any) by task tid. */
static const struct event *find_event(struct frame *f, int kind, int reason, int tid)
{
    const struct trace *tr = run_trace(f->v.run);
    for (size_t i = 0; i < tr->nev; i++) {
        const struct event *e = &tr->ev[i];
        if (e->kind == kind && (reason < 0 || e->reason == reason) && e->tid == tid)
            return e;
    }
    fail_msg("no event of kind %d by %d", kind, tid);
    return NULL;
}

static void test_statement_text(void **state)
{
    (void)state;
    struct frame *f = open_py("fork_wait", 1280, 800, false);
    char buf[200];
    /* From its column, trimmed, its comment dropped. */
    py_statement(f->v.scn, 10, 5, buf, sizeof buf);
    assert_string_equal(buf, "cpid, status = os.wait()");
    py_statement(f->v.scn, 6, 1, buf, sizeof buf);
    assert_string_equal(buf, "print(\"child\", os.getpid())");
    /* No such line: nothing. */
    assert_int_equal(py_statement(f->v.scn, 99, 1, buf, sizeof buf), 0);
    /* A call over several lines is joined; a '#' in a string is no comment. */
    const char *text = "x = 1\nq.put((1,\n       2))  # two\nprint('#', x); y = 2\n";
    free((char *)f->v.scn->py_text);
    f->v.scn->py_text = strdup(text);
    f->v.scn->py_len = strlen(text);
    py_statement(f->v.scn, 2, 1, buf, sizeof buf);
    assert_string_equal(buf, "q.put((1, 2))");
    py_statement(f->v.scn, 4, 1, buf, sizeof buf);
    assert_string_equal(buf, "print('#', x)");
    py_statement(f->v.scn, 4, 16, buf, sizeof buf);
    assert_string_equal(buf, "y = 2");
    /* Cut to the buffer, with "..." */
    py_statement(f->v.scn, 4, 1, buf, 12);
    assert_string_equal(buf, "print('...");
    close_frame(f);
}

static void test_events_quote_the_statement(void **state)
{
    (void)state;
    struct frame *f = open_py("fork_wait", 1280, 800, false);
    char buf[300];
    /* pid 2 forks 3, waits; 3 prints, sleeps 5 ticks, os._exit(3); 2 reaps it. */
    assert_string_equal(said(f, find_event(f, EV_FORK, -1, 2), buf, sizeof buf),
                        "pid 2: os.fork() → 3");
    assert_string_equal(said(f, find_event(f, EV_BLOCK, WHY_WAIT, 2), buf, sizeof buf),
                        "pid 2: os.wait() — waits for a child");
    assert_string_equal(said(f, find_event(f, EV_BLOCK, WHY_SLEEP, 3), buf, sizeof buf),
                        "pid 3: time.sleep(0.005) — sleeps 5 ticks");
    assert_string_equal(said(f, find_event(f, EV_EXIT, -1, 3), buf, sizeof buf),
                        "pid 3: os._exit(3) — exited 3");
    /* The reap is the parent's wait: (pid, status) as os.wait() returns it. */
    assert_string_equal(said(f, find_event(f, EV_REAP, -1, 3), buf, sizeof buf),
                        "pid 2: os.wait() → (3, 768)");
    /* Prints keep their text; the kernel's own doings keep its words. */
    assert_string_equal(said(f, find_event(f, EV_PRINT, -1, 3), buf, sizeof buf),
                        "pid 3 prints \"child 3\"");
    assert_string_equal(said(f, find_event(f, EV_WAKE, WHY_CHILD_EXIT, 2), buf, sizeof buf),
                        "pid 2 woken: child 3 exited");
    /* Falling off the end of the module is no statement: the kernel's words. */
    assert_string_equal(said(f, find_event(f, EV_EXIT, -1, 2), buf, sizeof buf),
                        "pid 2 exited 0");
    assert_string_equal(said(f, find_event(f, EV_REAP, -1, 2), buf, sizeof buf),
                        "pid 2 reaped by 1 (status 0)");
    /* The same run as a scenario: the kernel's words everywhere. */
    f->v.scn->python = false;
    assert_string_equal(said(f, find_event(f, EV_FORK, -1, 2), buf, sizeof buf),
                        "pid 2 forked 3");
    f->v.scn->python = true;
    close_frame(f);

    f = open_py("queue", 1280, 800, false);
    assert_string_equal(said(f, find_event(f, EV_QUEUE, QE_PUT, 3), buf, sizeof buf),
                        "pid 3: q.put((i, i * i))");
    assert_string_equal(said(f, find_event(f, EV_QUEUE, QE_GET, 4), buf, sizeof buf),
                        "pid 4: q.get() → (0, 0)");
    /* A feeder thread runs no line of the program: the kernel's words. */
    assert_string_equal(said(f, find_event(f, EV_QUEUE, QE_FEED, 5), buf, sizeof buf),
                        "feeder 5 (pid 3) moves (0, 0) into q's pipe: 1 message in it");
    close_frame(f);
}

static char procsim_bin[512];

/* `procsim run` prints the same text as the window's events. */
static void test_procsim_run_quotes_the_statement(void **state)
{
    (void)state;
    char cmd[1024], out[16384];
    snprintf(cmd, sizeof cmd, "PROCSIM_PY=tests/viz/py/translate.py timeout 20 %s run "
             "tests/viz/py/fork_wait.py 2>&1", procsim_bin);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t got = fread(out, 1, sizeof out - 1, p);
    out[got] = '\0';
    assert_int_equal(pclose(p), 0);
    struct frame *f = open_py("fork_wait", 1280, 800, false);
    const int kinds[][3] = { { EV_FORK, -1, 2 }, { EV_BLOCK, WHY_WAIT, 2 },
                             { EV_BLOCK, WHY_SLEEP, 3 }, { EV_EXIT, -1, 3 },
                             { EV_REAP, -1, 3 } };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char buf[300];
        said(f, find_event(f, kinds[k][0], kinds[k][1], kinds[k][2]), buf, sizeof buf);
        if (!strstr(out, buf))
            fail_msg("procsim run does not say \"%s\":\n%s", buf, out);
    }
    assert_non_null(strstr(out, "pid 2: os.wait() → (3, 768)"));
    close_frame(f);
}

/* Events record their cause in any run: the task whose statement it was
 * and the statement's position; the kernel's own steps record none. */
static void test_events_record_their_cause(void **state)
{
    (void)state;
    struct frame *f = open_frame("cause",
                                 "program child {\n  sleep 2\n}\n"
                                 "program main {\n  fork child\n    wait\n}\nspawn main\n",
                                 1280, 800);
    const struct event *e = find_event(f, EV_FORK, -1, 2);
    assert_int_equal(e->by, 2);
    assert_int_equal(EVENT_LINE(e), 5);
    assert_int_equal(EVENT_COL(e), 3);
    e = find_event(f, EV_BLOCK, WHY_SLEEP, 3);
    assert_int_equal(e->by, 3);
    assert_int_equal(EVENT_LINE(e), 2);
    /* The reap is the parent's wait, at line 6 column 5. */
    e = find_event(f, EV_REAP, -1, 3);
    assert_int_equal(e->by, 2);
    assert_int_equal(EVENT_LINE(e), 6);
    assert_int_equal(EVENT_COL(e), 5);
    /* A wakeup after a sleep is the kernel's (its timer), at no statement
     * of the woken task's but the one it slept in. */
    e = find_event(f, EV_WAKE, WHY_SLEEP, 3);
    assert_int_equal(e->by, 3);
    assert_int_equal(EVENT_LINE(e), 2);
    /* init's reap of main: init runs no statement of the file. */
    e = find_event(f, EV_REAP, -1, 2);
    assert_int_equal(e->by, 0);
    assert_int_equal(e->pos, 0);
    /* A scenario's events keep the kernel's words. */
    char buf[200];
    assert_string_equal(said(f, find_event(f, EV_FORK, -1, 2), buf, sizeof buf),
                        "pid 2 forked 3");
    close_frame(f);
}

/* Is the pixel at x, y of colour c? */
static bool pixel_is(struct frame *f, int x, int y, SDL_Color c)
{
    uint32_t px = ((uint32_t *)f->surf->pixels)[y * (f->surf->pitch / 4) + x];
    uint8_t r, g, b;
    SDL_GetRGB(px, f->surf->format, &r, &g, &b);
    return r == c.r && g == c.g && b == c.b;
}

/* The drawn text that is exactly s, or NULL. */
static const struct text_drawn *drawn(struct frame *f, const char *s)
{
    for (int i = 0; i < f->log.n; i++)
        if (!strcmp(f->log.e[i].text, s))
            return &f->log.e[i];
    return NULL;
}

static void test_current_line_is_marked(void **state)
{
    (void)state;
    struct frame *f = open_py("fork_wait", 1280, 800, false);
    /* Tick 4: pid 3 sleeps in line 7, pid 2 waits in line 10. */
    select_at(f, 3, 4);
    struct source_view sv;
    source_view(&f->v.snap, f->v.scn, 3, 3, 20, &sv);
    assert_int_equal(sv.nlines, 11);
    assert_int_equal(sv.nmarks, 1);              /* pid 3's threads only */
    assert_int_equal(sv.marks[0].line, 7);
    assert_int_equal(sv.sel_line, 7);
    assert_string_equal(sv.marks[0].label, "pid 3");
    /* Every process's line when none is selected. */
    source_view(&f->v.snap, f->v.scn, 0, 0, 20, &sv);
    assert_int_equal(sv.nmarks, 2);
    int lines = 0;
    for (int i = 0; i < sv.nmarks; i++)
        lines |= 1 << sv.marks[i].line;
    assert_int_equal(lines, 1 << 7 | 1 << 10);
    /* Four rows hold lines 7 to 10; three fold the lines between. */
    source_view(&f->v.snap, f->v.scn, 0, 0, 4, &sv);
    assert_int_equal(sv.nrows, 4);
    assert_int_equal(sv.line[0], 7);
    assert_int_equal(sv.line[3], 10);
    source_view(&f->v.snap, f->v.scn, 0, 0, 3, &sv);
    assert_int_equal(sv.nrows, 3);
    assert_int_equal(sv.line[0], 7);
    assert_int_equal(sv.line[1], 0);
    assert_int_equal(sv.line[2], 10);
    /* Five rows: 7 to 11, the marks centred. */
    source_view(&f->v.snap, f->v.scn, 0, 0, 5, &sv);
    assert_int_equal(sv.nrows, 5);
    assert_int_equal(sv.line[0], 7);
    assert_int_equal(sv.line[4], 11);
    /* Two rows: not both; the selected thread's line stays. */
    source_view(&f->v.snap, f->v.scn, 0, 2, 2, &sv);
    assert_true(source_shows(&sv, 10));

    draw_logged(f, "fork_wait-t4-pid3");
    const struct text_drawn *cur = drawn(f, "    time.sleep(0.005)");
    const struct text_drawn *other = drawn(f, "    os._exit(3)");
    assert_non_null(cur);
    assert_non_null(other);
    assert_true(inside(cur->r, f->v.layout.inspector));
    /* The current line is filled and has the red bar; the next is not. */
    SDL_Rect a = f->v.layout.inspector;
    assert_true(pixel_is(f, a.x + 2, cur->r.y + 2, VIZ_ACCENT));
    assert_true(pixel_is(f, cur->r.x + cur->r.w + 4, cur->r.y + 2, VIZ_HILITE));
    assert_false(pixel_is(f, other->r.x + other->r.w + 4, other->r.y + 2, VIZ_HILITE));
    /* Its chip names the process. */
    const struct text_drawn *chip = drawn(f, "pid 3");
    assert_non_null(chip);
    assert_true(chip->r.y >= cur->r.y && chip->r.y < cur->r.y + cur->r.h);
    assert_true(chip->r.x > cur->r.x + cur->r.w);
    close_frame(f);
}

static void test_threads_each_have_a_mark(void **state)
{
    (void)state;
    struct frame *f = open_py("lock", 1280, 800, false);
    /* Find a tick where both threads are alive, at different lines. */
    int64_t end = viz_end_tick(&f->v), at = -1;
    struct source_view sv;
    for (int64_t t = 0; t <= end && at < 0; t++) {
        select_at(f, 2, t);
        source_view(&f->v.snap, f->v.scn, 2, 2, 30, &sv);
        if (sv.nmarks == 3)
            at = t;
    }
    assert_true(at >= 0);
    const char *want[] = { "pid 2", "t3", "t4" };
    for (int k = 0; k < 3; k++) {
        bool found = false;
        for (int i = 0; i < sv.nmarks; i++) {
            if (strcmp(sv.marks[i].label, want[k]))
                continue;
            found = true;
            const struct snap_task *t = viz_task(&f->v, sv.marks[i].tid);
            assert_non_null(t);
            assert_int_equal(sv.marks[i].line, t->line);
            assert_true(source_shows(&sv, sv.marks[i].line));
        }
        assert_true(found);
    }
    draw_logged(f, "lock-threads");
    close_frame(f);
}

static bool overlap(SDL_Rect a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Nothing in the inspector is cut, leaves it or overlaps other text, and
 * the selected thread's line is on screen. */
static void check_inspector(struct frame *f, int sel_line, const char *what)
{
    SDL_Rect a = f->v.layout.inspector;
    assert_true(a.w > 0 && a.h > 0);
    int in_panel = 0;
    for (int i = 0; i < f->log.n; i++) {
        const struct text_drawn *t = &f->log.e[i];
        if (!overlap(t->r, a))
            continue;
        in_panel++;
        if (t->clipped || !inside(t->r, a))
            fail_msg("%s %dx%d: \"%s\" cut or out of the inspector", what, f->v.w, f->v.h,
                     t->text);
        for (int j = i + 1; j < f->log.n; j++)
            if (overlap(t->r, f->log.e[j].r))
                fail_msg("%s %dx%d: \"%s\" overlaps \"%s\"", what, f->v.w, f->v.h, t->text,
                         f->log.e[j].text);
    }
    assert_true(in_panel > 3);
    size_t blank;
    py_source_line(f->v.scn, sel_line, &blank);
    if (sel_line && blank) {
        /* The line whole, or at least its code without the comment. */
        size_t len;
        const char *l = py_source_line(f->v.scn, sel_line, &len);
        char want[200], code[200];
        snprintf(want, sizeof want, "%.*s", (int)len, l);
        snprintf(code, sizeof code, "%.*s", (int)len, l);
        char *hash = strchr(code, '#');
        if (hash) {
            while (hash > code && hash[-1] == ' ')
                hash--;
            *hash = '\0';
        }
        const struct text_drawn *d = drawn(f, want);
        if (!d)
            d = drawn(f, code);
        if (!d)
            fail_msg("%s %dx%d: line %d \"%s\" not drawn whole", what, f->v.w, f->v.h,
                     sel_line, want);
        assert_true(inside(d->r, a));
    }
}

static void test_layout_at_classroom_sizes(void **state)
{
    (void)state;
    static const int sizes[][2] = { { 1024, 768 }, { 1280, 800 }, { 1920, 1080 } };
    static const struct { const char *name; int tid; int64_t tick; } cases[] = {
        { "fork_wait", 3, 4 }, { "fork_wait", 2, 4 }, { "fork_wait", 0, 4 },
        { "queue", 4, 6 }, { "queue", 3, 2 }, { "queue", 4, 12 }, { "lock", 3, 1 },
        { "lock", 0, 1 },
    };
    for (int p = 0; p < 2; p++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
                struct frame *f = open_py(cases[c].name, sizes[s][0], sizes[s][1], p);
                select_at(f, cases[c].tid, cases[c].tick);
                char shot[96];
                snprintf(shot, sizeof shot, "%s-t%lld-sel%d%s", cases[c].name,
                         (long long)cases[c].tick, cases[c].tid, p ? "-present" : "");
                draw_logged(f, shot);
                const struct snap_task *t = viz_task(&f->v, cases[c].tid);
                check_inspector(f, t && t->state != 'Z' ? t->line : 0, shot);   /* a zombie
                                                                         has no line */
                close_frame(f);
            }
}

int main(int argc, char **argv)
{
    /* procsim is next to the directory this test binary is in. */
    snprintf(procsim_bin, sizeof procsim_bin, "%s", argc > 0 ? argv[0] : "build/vtests/x");
    char *slash = strrchr(procsim_bin, '/');
    if (slash)
        *slash = '\0';
    strncat(procsim_bin, "/../procsim", sizeof procsim_bin - strlen(procsim_bin) - 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statement_text),
        cmocka_unit_test(test_events_quote_the_statement),
        cmocka_unit_test(test_events_record_their_cause),
        cmocka_unit_test(test_procsim_run_quotes_the_statement),
        cmocka_unit_test(test_current_line_is_marked),
        cmocka_unit_test(test_threads_each_have_a_mark),
        cmocka_unit_test(test_layout_at_classroom_sizes),
    };
    return RUN_VIZ_TESTS(tests);
}
