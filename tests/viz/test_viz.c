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

static struct text_log *draw_logged(struct fixture *fx);

static void wheel_at(struct viz *v, int x, int y, int dy)
{
    SDL_Event e = { .type = SDL_MOUSEMOTION };
    e.motion.x = x;
    e.motion.y = y;
    viz_handle_event(v, &e);
    e = (SDL_Event){ .type = SDL_MOUSEWHEEL };
    e.wheel.y = dy;
    viz_handle_event(v, &e);
}

/* The wheel over a board column scrolls its cards (wheel down: the first
 * card leaves, the next takes its place); clicking a process lane's label
 * selects that task. */
static void test_wheel_scrolls_a_column_and_lane_labels_select(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    struct viz *v = &fx->v;
    viz_seek(v, 7);
    SDL_Rect q = v->layout.groups[G_QUEUE];
    SDL_Rect top = card_of(v, 6)->r;
    wheel_at(v, q.x + 5, q.y + q.h / 2, -1);
    assert_null(layout_card(&v->layout, 6));
    assert_int_equal(card_of(v, 4)->r.y, top.y);
    assert_int_equal(card_of(v, 4)->order, 1);
    wheel_at(v, q.x + 5, q.y + q.h / 2, -5);        /* clamped: one card stays */
    assert_non_null(layout_card(&v->layout, 4));
    wheel_at(v, q.x + 5, q.y + q.h / 2, 10);
    assert_int_equal(card_of(v, 6)->r.y, top.y);
    /* Other columns did not move. */
    assert_int_equal(v->board_scroll[G_SLEEPING], 0);

    const SDL_Rect *lanes = &v->layout.proc_lanes;
    draw_logged(fx);                                /* the lanes as drawn */
    int row = 2;                                    /* lanes sorted by pid: 1, 2, 3 ... */
    click(v, lanes->x + 6, lanes->y + v->font.line + row * v->layout.lane_h + 3);
    assert_int_equal(v->selected_tid, 3);
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

/* ------------------------------------- reading text back from a frame */

/* Draw the current tick with a text log; returns the log (owned by fx). */
static struct text_log *draw_logged(struct fixture *fx)
{
    static struct text_log log;
    log.n = 0;
    fx->v.font.log = &log;
    viz_draw(fx->r, &fx->v);
    fx->v.font.log = NULL;
    return &log;
}

static bool rect_inside(SDL_Rect in, SDL_Rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

/* The first string drawn inside `area` that contains `needle`, or NULL. */
static const struct text_drawn *drawn_in(const struct text_log *log, SDL_Rect area,
                                         const char *needle)
{
    for (int i = 0; i < log->n; i++)
        if (strstr(log->e[i].text, needle) && rect_inside(log->e[i].r, area))
            return &log->e[i];
    return NULL;
}

static void assert_drawn_in(const struct text_log *log, SDL_Rect area, const char *needle)
{
    if (!drawn_in(log, area, needle)) {
        for (int i = 0; i < log->n; i++)
            if (rect_inside(log->e[i].r, area))
                print_message("  drawn there: \"%s\"\n", log->e[i].text);
        fail_msg("\"%s\" was not drawn in the area (%d,%d %dx%d)", needle, area.x, area.y,
                 area.w, area.h);
    }
}

/* The first tick whose events include one of `kind` from `pid` (0: any). */
static int64_t tick_of_event(const struct viz *v, enum event_kind kind, int pid)
{
    const struct trace *tr = run_trace(v->run);
    for (size_t i = 0; i < tr->nev; i++)
        if (tr->ev[i].kind == kind && (!pid || tr->ev[i].pid == pid))
            return tr->ev[i].tick;
    fail_msg("no such event");
    return -1;
}

static const struct snap_task *snap_task_of(const struct viz *v, int tid)
{
    for (int i = 0; i < v->snap.ntasks; i++)
        if (v->snap.tasks[i].tid == tid)
            return &v->snap.tasks[i];
    fail_msg("tid %d not in the snapshot at tick %lld", tid, (long long)v->tick);
    return NULL;
}

static const char sig_src[] =
    "title \"signals\"\nconfig cpus=2\n"
    "handler onusr {\n  compute 3\n  print \"handled\"\n}\n"
    "program worker {\n  signal SIGUSR1 onusr\n  block SIGUSR1\n  compute 10\n"
    "  unblock SIGUSR1\n  compute 5\n}\n"
    "program sender {\n  compute 3\n  kill 2 SIGUSR1\n  compute 20\n}\n"
    "spawn worker\nspawn sender\n"
    "at 16 kill 3 SIGTERM\n";

/* A signal sent by a process is an arrow from the sender's card to the
 * receiver's, labelled with the signal; one from outside starts at the
 * terminal box. */
static void test_signal_arrows_in_frames(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(sig_src);
    struct viz *v = &fx->v;
    viz_seek(v, tick_of_event(v, EV_SIG_SEND, 3));
    const struct text_log *log = draw_logged(fx);
    const struct card *from = card_of(v, 3), *to = card_of(v, 2);
    int x1 = from->r.x + from->r.w / 2, y1 = from->r.y + from->r.h / 2;
    int x2 = to->r.x + to->r.w / 2, y2 = to->r.y + to->r.h;
    SDL_Color mid = pixel(fx->surf, (x1 + x2) / 2, (y1 + y2) / 2);
    SDL_Color red = VIZ_ACCENT;
    if (!same(mid, red))
        fail_msg("arrow midpoint is %d,%d,%d", mid.r, mid.g, mid.b);
    /* The label is on the board, over no card (test_layout checks that for
     * every scenario). */
    assert_drawn_in(log, v->layout.board, "SIGUSR1");
    for (int i = 0; i < v->layout.ncards; i++)
        assert_null(drawn_in(log, v->layout.cards[i].r, "SIGUSR1"));
    assert_null(drawn_in(log, v->layout.board, "terminal"));

    /* The outside kill at 16 is someone's kill command, not the terminal
     * (a terminal sends only SIGINT, SIGTSTP and SIGQUIT) ... */
    viz_seek(v, 16);
    log = draw_logged(fx);
    /* ... a box at the foot of the receiver's column, naming the sender
     * and the signal. */
    to = card_of(v, 3);
    SDL_Rect col = v->layout.groups[to->group];
    SDL_Rect foot = { col.x, col.y + col.h - v->layout.foot_h, col.w, v->layout.foot_h };
    assert_drawn_in(log, foot, "kill command: SIG");
    assert_null(drawn_in(log, v->layout.board, "terminal"));
    /* A tick without a signal has no arrow label. */
    viz_seek(v, 1);
    log = draw_logged(fx);
    assert_null(drawn_in(log, v->layout.board, "SIGUSR1"));
    close_fixture(fx);
}

/* The inspector shows pending and blocked sets and dispositions, and
 * highlights the handler's line (in red) while the handler runs. */
static void test_inspector_signal_fields_and_handler_line(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(sig_src);
    struct viz *v = &fx->v;
    viz_seek(v, tick_of_event(v, EV_SIG_SEND, 3) + 1);
    assert_true(snap_task_of(v, 2)->pending & (1u << 10));
    v->selected_tid = 2;
    const struct text_log *log = draw_logged(fx);
    SDL_Rect ins = v->layout.inspector;
    assert_drawn_in(log, ins, "pid 2  tid 2  ppid 1");
    assert_drawn_in(log, ins, "pgid 2 (foreground)  session 0");
    assert_drawn_in(log, ins, "pending USR1");
    assert_drawn_in(log, ins, "blocked USR1");
    assert_drawn_in(log, ins, "USR1:onusr");
    /* Before the block, nothing is pending or blocked. */
    viz_seek(v, 0);
    log = draw_logged(fx);
    assert_drawn_in(log, ins, "pending -  blocked -");

    int64_t t = 0;
    for (t = 0; t <= viz_end_tick(v); t++) {
        viz_seek(v, t);
        if (snap_task_of(v, 2)->handler_sig == 10 && snap_task_of(v, 2)->cpu >= 0)
            break;
    }
    assert_true(t <= viz_end_tick(v));
    log = draw_logged(fx);
    const struct text_drawn *line = drawn_in(log, ins, "compute 3");
    assert_non_null(line);
    SDL_Color bg = pixel(fx->surf, line->r.x - 1, line->r.y + 1);
    if (!same(bg, VIZ_ALARM))
        fail_msg("handler line background %d,%d,%d", bg.r, bg.g, bg.b);
    close_fixture(fx);
}

static const char gil_src[] =
    "title \"gil\"\nconfig cpus=2 gil=on switch_interval=5\n"
    "program work {\n  compute 30\n}\n"
    "program main {\n  thread work -> a\n  thread work -> b\n  join a\n  join b\n}\n"
    "spawn main\n";

/* The GIL holder's card says GIL; the objects panel names the holder and
 * the waiter with how long it has waited against the switch interval. */
static void test_frame_shows_gil_holder_and_waiter(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(gil_src);
    struct viz *v = &fx->v;
    int holder = 0, waiter = 0;
    int64_t since = -1;
    for (int64_t t = 0; t < viz_end_tick(v) && !(holder && waiter); t++) {
        viz_seek(v, t);
        holder = waiter = 0;
        for (int i = 0; i < v->snap.ntasks; i++) {
            const struct snap_task *k = &v->snap.tasks[i];
            if (k->holds_gil && k->cpu >= 0)
                holder = k->tid;
            if (k->gil_since >= 0 && k->gil_since < t)
                waiter = k->tid, since = k->gil_since;
        }
    }
    assert_true(holder && waiter);
    const struct text_log *log = draw_logged(fx);
    assert_drawn_in(log, card_of(v, holder)->r, "GIL");
    char want[64];
    snprintf(want, sizeof want, "gil %lld/5", (long long)(v->tick - since));
    assert_drawn_in(log, card_of(v, waiter)->r, want);
    snprintf(want, sizeof want, "GIL of 2: held by %d, %d waits %lld/5", holder, waiter,
             (long long)(v->tick - since));
    assert_drawn_in(log, v->layout.objects, want);
    assert_null(drawn_in(log, card_of(v, waiter)->r, " GIL"));
    close_fixture(fx);
}

static const char lock_src[] =
    "title \"lock\"\nconfig cpus=1 policy=rr slice=2\nlock m\n"
    "program p {\n  m.acquire\n  compute 6\n  m.release\n}\n"
    "spawn p\nspawn p\nspawn p\n";

/* A lock's owner and its queue in wake order, and the wait-for graph. */
static void test_frame_shows_lock_owner_waiters_and_arrows(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(lock_src);
    struct viz *v = &fx->v;
    int64_t t;
    for (t = 0; t < viz_end_tick(v); t++) {
        viz_seek(v, t);
        if (v->snap.objects[0].nwaiting == 2)
            break;
    }
    assert_int_equal(v->snap.objects[0].nwaiting, 2);
    int owner = v->snap.objects[0].owner_tid;
    int w1 = v->snap.objects[0].waiting[0], w2 = v->snap.objects[0].waiting[1];
    assert_true(owner > 0 && w1 > 0 && w2 > 0);
    const struct text_log *log = draw_logged(fx);
    char want[64];
    snprintf(want, sizeof want, "lock m: held by %d, waiting %d %d", owner, w1, w2);
    assert_drawn_in(log, v->layout.objects, want);
    /* The wait-for graph: the lock and the tasks are nodes; a line per
     * waiter says whom it waits for; no cycle, so nothing in red. */
    for (int i = 0; i < 2; i++) {
        snprintf(want, sizeof want, "%d waits for m, held by %d", i ? w2 : w1, owner);
        assert_drawn_in(log, v->layout.objects, want);
        assert_false(same(drawn_in(log, v->layout.objects, want)->c, VIZ_ACCENT));
    }
    assert_drawn_in(log, v->layout.objects, "wait-for graph");
    assert_null(drawn_in(log, v->layout.objects, "a cycle"));
    snprintf(want, sizeof want, "%d ", owner);
    assert_drawn_in(log, v->layout.objects, want);
    /* When the lock is free, it says so and no arrow is drawn. */
    viz_seek(v, viz_end_tick(v));
    log = draw_logged(fx);
    assert_drawn_in(log, v->layout.objects, "lock m: free");
    close_fixture(fx);
}

static const char orphan_src[] =
    "title \"orphan\"\n"
    "program worker {\n  compute 10\n}\n"
    "program middle {\n  fork worker\n  compute 2\n}\n"
    "program main {\n  fork middle\n  wait\n  compute 20\n}\n"
    "spawn main\n";

/* When an orphan is adopted, the tree says so and its edge swings from
 * where the old parent's row was to init: half way through the swing, the
 * red edge is on the straight line from the old parent to the orphan. */
static void test_tree_edge_swings_to_the_new_parent(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(orphan_src);
    struct viz *v = &fx->v;
    int64_t t = tick_of_event(v, EV_REPARENT, 4);
    viz_seek(v, t);
    assert_int_equal(snap_task_of(v, 4)->ppid, 3);
    draw_logged(fx);                          /* the rows as the student saw them */
    const struct tree_row *old = NULL;
    for (int i = 0; i < v->ntree_rows; i++)
        if (v->tree_rows[i].pid == 3)
            old = &v->tree_rows[i];
    assert_non_null(old);
    int ox = old->x, oy = old->y;
    v->animate = true;
    viz_seek(v, t + 1);
    assert_int_equal(snap_task_of(v, 4)->ppid, 1);
    assert_int_equal(v->nswings, 1);
    assert_int_equal(v->swings[0].pid, 4);
    assert_int_equal(v->swings[0].from_x, ox);
    assert_int_equal(v->swings[0].from_y, oy);
    const struct text_log *log = draw_logged(fx);   /* now == start: from the old parent */
    assert_drawn_in(log, v->layout.tree, "adopted (parent 3 gone)");
    const struct tree_row *child = NULL;
    for (int i = 0; i < v->ntree_rows; i++)
        if (v->tree_rows[i].pid == 4)
            child = &v->tree_rows[i];
    assert_non_null(child);
    int m = v->font.line - 6;
    int ax = ox + m / 2, ay = oy + m, cx = child->x, cy = child->y + m / 2;
    SDL_Color got = pixel(fx->surf, (ax + cx) / 2, (ay + cy) / 2);
    if (!same(got, VIZ_ACCENT))
        fail_msg("no swinging edge at %d,%d: %d,%d,%d", (ax + cx) / 2, (ay + cy) / 2, got.r,
                 got.g, got.b);
    /* After the swing the edge is a plain connector and the swing is gone. */
    v->now += SWING_MS + 1;
    viz_seek(v, t + 2);
    assert_int_equal(v->nswings, 0);
    close_fixture(fx);
}

static const char race_src[] =
    "title \"race\"\nconfig cpus=2\nshared money = 100\n"
    "program boy {\n  repeat 5 {\n    money += 10\n    compute 1\n  }\n}\n"
    "program girl {\n  repeat 5 {\n    money -= 10\n    compute 1\n  }\n}\n"
    "spawn boy\nspawn girl\n";

/* A shared value shows its current value, marked in red from the tick
 * its update was lost; later it names the last lost update's tick. */
static void test_frame_marks_a_lost_update(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(race_src);
    struct viz *v = &fx->v;
    int64_t t = tick_of_event(v, EV_LOST_UPDATE, 0);
    viz_seek(v, t);
    const struct text_log *log = draw_logged(fx);
    assert_drawn_in(log, v->layout.objects, "money = ");
    assert_null(drawn_in(log, v->layout.objects, "LOST UPDATE"));
    viz_seek(v, t + 1);
    log = draw_logged(fx);
    char want[64];
    snprintf(want, sizeof want, "money = %lld  LOST UPDATE at tick %lld",
             (long long)v->snap.objects[0].value, (long long)t);
    assert_drawn_in(log, v->layout.objects, want);
    const struct text_drawn *d = drawn_in(log, v->layout.objects, want);
    assert_true(same(d->c, VIZ_ACCENT));
    close_fixture(fx);
}

/* Signals sent from the window stay listed in the header until undone. */
static void test_sent_signals_are_listed_until_undone(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    struct viz *v = &fx->v;
    viz_seek(v, 5);
    v->selected_tid = 4;
    key(v, SDLK_t, 0);                    /* SIGTERM to hog 4, at tick 6 */
    const struct text_log *log = draw_logged(fx);
    assert_drawn_in(log, v->layout.bar, "sent: at 6 kill 4 SIGTERM");
    key(v, SDLK_u, 0);
    assert_int_equal(v->tick, 5);         /* back to just before it */
    log = draw_logged(fx);
    assert_null(drawn_in(log, v->layout.bar, "sent:"));
    close_fixture(fx);
}

/* A process that has exited and been reaped keeps its lane (its name
 * greyed): the timeline still shows its history. Selecting it says when
 * it lived. */
static void test_reaped_process_keeps_its_lane(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(orphan_src);
    struct viz *v = &fx->v;
    int64_t reaped = tick_of_event(v, EV_REAP, 0);
    viz_seek(v, viz_end_tick(v));
    assert_true(v->tick > reaped);
    assert_null(snapshot_find(&v->snap, 3));
    const struct text_log *log = draw_logged(fx);
    const struct text_drawn *d = drawn_in(log, v->layout.proc_lanes, "3 middle");
    assert_non_null(d);
    assert_true(same(d->c, VIZ_MUTED));      /* greyed */
    /* Its lane has its states: the running colour appears on its row. */
    int y = d->r.y + d->r.h / 2;
    int found = 0;
    SDL_Color run = state_colour('R', true);
    for (int x = v->layout.proc_lanes.x + v->layout.label_w; x < v->layout.proc_lanes.x +
         v->layout.proc_lanes.w; x++)
        found += same(pixel(fx->surf, x, y), run);
    assert_true(found > 0);
    click(v, d->r.x + 2, d->r.y + 3);
    assert_int_equal(v->selected_tid, 3);
    log = draw_logged(fx);
    /* Forked in tick F it shows from F + 1; reaped in tick R, gone from R + 1. */
    char want[96];
    snprintf(want, sizeof want, "Process 3 (middle) exists from tick %lld until tick %lld.",
             (long long)tick_of_event(v, EV_FORK, 2) + 1, (long long)reaped + 1);
    assert_drawn_in(log, v->layout.inspector, want);
    close_fixture(fx);
}

/* pid_max=4 leaves pids 2 and 3: `first` (2) forks a child (3), both end
 * and are reaped, then `second` takes pid 2 again. Each life's lane is
 * named by its own program, not by the pid's latest one. */
static const char reuse_src[] =
    "config pid_max=4\n"
    "program kid {\n  compute 1\n}\n"
    "program first {\n  fork kid\n  wait\n}\n"
    "program second {\n  compute 2\n}\n"
    "spawn first\n"
    "spawn second at=8\n";

static void test_reused_pid_lanes_name_their_own_program(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(reuse_src);
    struct viz *v = &fx->v;
    viz_seek(v, 9);
    const struct text_log *log = draw_logged(fx);
    assert_non_null(drawn_in(log, v->layout.proc_lanes, "2 first"));
    assert_non_null(drawn_in(log, v->layout.proc_lanes, "2 second"));
    close_fixture(fx);
}

/* A card that changes group glides there: drawn where it was at the start
 * of the animation, 7/8 of the way after 125 ms (eased), in its new place
 * after 250. */
static void test_card_glides_to_its_new_group(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(rr_src);
    struct viz *v = &fx->v;
    v->animate = true;
    viz_seek(v, 5);
    v->now += 1000;                       /* the cards have settled */
    assert_int_equal(card_of(v, 4)->group, G_RUNNING);
    SDL_Rect was = card_of(v, 4)->r;
    key(v, SDLK_RIGHT, 0);
    assert_int_equal(v->tick, 6);
    assert_int_equal(card_of(v, 4)->group, G_QUEUE);
    SDL_Rect now = card_of(v, 4)->r;
    SDL_Color queued = state_colour('R', false);
    /* At the start: the card (in its new colour) is still where it was. */
    viz_draw(fx->r, v);
    assert_true(same(pixel(fx->surf, was.x + was.w - 4, was.y + was.h - 3), queued));
    /* Half the time: ease-out, 1 - (1 - 0.5)^3 = 7/8 of the way. */
    v->now += 125;
    viz_draw(fx->r, v);
    int mx = was.x + (now.x - was.x) * 7 / 8 + now.w - 4;
    int my = was.y + (now.y - was.y) * 7 / 8 + now.h - 3;
    assert_true(same(pixel(fx->surf, mx, my), queued));
    assert_true(now.x - was.x > now.w / 2);   /* far enough apart to tell */
    /* Done: in its new place, and its old place shows the column again. */
    v->now += 200;
    viz_draw(fx->r, v);
    assert_true(same(pixel(fx->surf, now.x + now.w - 4, now.y + now.h - 3), queued));
    assert_false(same(pixel(fx->surf, was.x + was.w - 4, was.y + was.h - 3), queued));
    close_fixture(fx);
}

/* Find the text drawn in `area` that starts with `prefix`, or fail. */
static const struct text_drawn *drawn_starting(const struct text_log *log, SDL_Rect area,
                                               const char *prefix)
{
    for (int i = 0; i < log->n; i++)
        if (!strncmp(log->e[i].text, prefix, strlen(prefix)) && rect_inside(log->e[i].r, area))
            return &log->e[i];
    fail_msg("nothing drawn starting \"%s\"", prefix);
    return NULL;
}

static const char threads_src[] =
    "title \"threads\"\nconfig cpus=2\n"
    "program work {\n  compute 20\n}\n"
    "program main {\n  thread work -> a\n  compute 5\n  join a\n}\n"
    "spawn main\n";

/* A process's CPU time is the sum of its threads' (ps TIME); the inspector
 * and the hover line show that for the process, and a thread's own for a
 * thread. */
static void test_process_cpu_time_is_its_threads_sum(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(threads_src);
    struct viz *v = &fx->v;
    viz_seek(v, 15);
    const struct snap_task *main_t = snap_task_of(v, 2);
    int worker = 0;
    for (int i = 0; i < v->snap.ntasks; i++)
        if (v->snap.tasks[i].pid == 2 && !v->snap.tasks[i].main_thread)
            worker = v->snap.tasks[i].tid;
    assert_true(worker > 0);
    const struct snap_task *w = snap_task_of(v, worker);
    /* The case that tells them apart: main ran less than the process. */
    assert_true(main_t->proc_cpu_ticks > main_t->cpu_ticks);
    v->selected_tid = 2;
    const struct text_log *log = draw_logged(fx);
    SDL_Rect ins = v->layout.inspector;
    char want[64];
    snprintf(want, sizeof want, "cpu ticks %lld ", (long long)main_t->proc_cpu_ticks);
    drawn_starting(log, ins, want);
    snprintf(want, sizeof want, "main thread's own %lld", (long long)main_t->cpu_ticks);
    assert_drawn_in(log, ins, want);
    /* The hover line over the process's card says the same. */
    v->hover_tid = 2;
    v->mouse_x = card_of(v, 2)->r.x + 4;
    log = draw_logged(fx);
    snprintf(want, sizeof want, "cpu %lld", (long long)main_t->proc_cpu_ticks);
    assert_drawn_in(log, v->layout.board, want);
    v->hover_tid = 0;
    /* A thread shows its own. */
    v->selected_tid = worker;
    log = draw_logged(fx);
    snprintf(want, sizeof want, "thread cpu ticks %lld ", (long long)w->cpu_ticks);
    drawn_starting(log, ins, want);
    close_fixture(fx);
}

static const char pgrp_orphan_src[] =
    "title \"orphan\"\n"
    "program worker {\n  kill getpid() SIGTSTP\n  compute 10\n}\n"
    "program middle {\n  setpgid 0 0\n  fork worker -> w\n  waitpid w untraced -> p, st\n}\n"
    "program main {\n  fork middle\n  wait\n  sleep 20\n}\n"
    "spawn main\n";

/* What the kernel sends itself (an orphaned group's SIGHUP and SIGCONT)
 * comes from a "kernel" box, never the terminal's. */
static void test_kernel_sent_signals_are_not_the_terminals(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(pgrp_orphan_src);
    struct viz *v = &fx->v;
    int64_t t = -1;
    const struct trace *tr = run_trace(v->run);
    for (size_t i = 0; i < tr->nev && t < 0; i++)
        if (tr->ev[i].kind == EV_SIG_SEND && tr->ev[i].reason == SEND_KERNEL)
            t = tr->ev[i].tick;
    assert_true(t >= 0);
    viz_seek(v, t);
    const struct text_log *log = draw_logged(fx);
    SDL_Rect col = v->layout.groups[card_of(v, 4)->group];
    assert_drawn_in(log, col, "kernel: SIGHUP");
    assert_drawn_in(log, col, "kernel: SIGCONT");
    assert_null(drawn_in(log, v->layout.board, "terminal"));
    close_fixture(fx);
}

static const char job_src[] =
    "title \"jobs\"\n"
    "program job {\n  compute 30\n}\n"
    "program shell {\n  signal SIGTTOU ignore\n  fork job -> j\n  setpgid j j\n"
    "  tcsetpgrp j\n  waitpid j untraced -> p, st\n  tcsetpgrp getpgrp()\n  sleep 3\n}\n"
    "spawn shell\n"
    "at 10 ctrl-z\n";

/* The terminal's foreground group: '+' on its cards (as ps STAT) and
 * named in the inspector with the session; Ctrl-Z comes from the
 * terminal. */
static void test_foreground_group_is_shown(void **state)
{
    (void)state;
    struct fixture *fx = open_fixture(job_src);
    struct viz *v = &fx->v;
    viz_seek(v, 6);
    assert_int_equal(v->snap.fg_pgid, 3);
    v->selected_tid = 3;
    const struct text_log *log = draw_logged(fx);
    assert_drawn_in(log, card_of(v, 3)->r, "3 job +");
    assert_null(drawn_in(log, card_of(v, 2)->r, "+"));
    assert_drawn_in(log, v->layout.inspector, "pgid 3 (foreground)  session 0");
    v->selected_tid = 2;
    log = draw_logged(fx);
    assert_drawn_in(log, v->layout.inspector, "pgid 2 (background)");
    /* Ctrl-Z reaches the job from the terminal's box. */
    viz_seek(v, 10);
    log = draw_logged(fx);
    assert_drawn_in(log, v->layout.groups[card_of(v, 3)->group], "terminal: ");
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
        cmocka_unit_test(test_wheel_scrolls_a_column_and_lane_labels_select),
        cmocka_unit_test(test_frame_shows_state_colours_where_layout_says),
        cmocka_unit_test(test_frames_at_two_ticks_differ),
        cmocka_unit_test(test_screenshot_is_a_png_of_the_requested_size),
        cmocka_unit_test(test_reload_of_broken_file_keeps_last_good_run),
        cmocka_unit_test(test_first_load_error_shows_no_run),
        cmocka_unit_test(test_keys_step_jump_play_and_speed),
        cmocka_unit_test(test_click_selects_a_card_and_the_timeline_jumps),
        cmocka_unit_test(test_signal_keys_recompute_and_undo),
        cmocka_unit_test(test_signal_arrows_in_frames),
        cmocka_unit_test(test_inspector_signal_fields_and_handler_line),
        cmocka_unit_test(test_frame_shows_gil_holder_and_waiter),
        cmocka_unit_test(test_frame_shows_lock_owner_waiters_and_arrows),
        cmocka_unit_test(test_tree_edge_swings_to_the_new_parent),
        cmocka_unit_test(test_frame_marks_a_lost_update),
        cmocka_unit_test(test_sent_signals_are_listed_until_undone),
        cmocka_unit_test(test_reaped_process_keeps_its_lane),
        cmocka_unit_test(test_reused_pid_lanes_name_their_own_program),
        cmocka_unit_test(test_card_glides_to_its_new_group),
        cmocka_unit_test(test_process_cpu_time_is_its_threads_sum),
        cmocka_unit_test(test_kernel_sent_signals_are_not_the_terminals),
        cmocka_unit_test(test_foreground_group_is_shown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
