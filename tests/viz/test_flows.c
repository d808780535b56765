/*
 * test_flows.c - messages moving in and out of pipes and queues, and their
 * failures, drawn from real runs (viz/flows.c): each IPC event of a tick is
 * an arrow between the task's card and the right end of the right tube,
 * labelled with the message or the failure's word; a read's message is
 * framed at the head; while the tick is new the label travels along the
 * arrow and the window keeps redrawing, then it rests.
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

/* A child sends 'first' and closes; the parent reads it, then gets EOF;
 * then a pipe with no reader: the send fails with EPIPE (SIGPIPE ignored). */
static const char pipe_src[] =
    "config sigpipe=ignore\n"
    "pipe r, w simplex\n"
    "program child {\n  r.close\n  w.send \"first\"\n  w.close\n}\n"
    "program main {\n  fork child\n  w.close\n  sleep 5\n  r.recv -> m\n"
    "  try {\n    r.recv -> m\n  } except EOFError {\n    print \"eof\"\n  }\n  wait\n"
    "  pipe -> a, b simplex\n  a.close\n"
    "  try {\n    b.send 1\n  } except OSError as e {\n    print e\n  }\n}\n"
    "spawn main\n";

static void draw_logged(struct frame *f)
{
    f->log.n = 0;
    f->v.font.log = &f->log;
    viz_draw(f->r, &f->v);
    f->v.font.log = NULL;
}

/* The tick of the first event of this kind and reason, or -1. */
static int64_t tick_of(const struct viz *v, int kind, int reason)
{
    const struct trace *tr = run_trace(v->run);
    for (size_t i = 0; i < tr->nev; i++)
        if (tr->ev[i].kind == kind && tr->ev[i].reason == reason)
            return tr->ev[i].tick;
    return -1;
}

/* The drawn text equal to s, or NULL. */
static const struct text_drawn *drawn(const struct frame *f, const char *s)
{
    for (int i = 0; i < f->log.n; i++)
        if (!strcmp(f->log.e[i].text, s))
            return &f->log.e[i];
    return NULL;
}

static void test_pipe_flows(void **state)
{
    (void)state;
    static const struct {
        int reason;
        bool into, head, alarm;
        const char *label;
        int tid;
    } want[] = {
        { PIPE_SEND, true, false, false, "'first'", 3 },
        { PIPE_RECV, false, true, false, "'first'", 2 },
        { PIPE_EOF, false, true, true, "EOF", 2 },
        { PIPE_EPIPE, false, false, true, "no reader: EPIPE", 2 },
    };
    const int sizes[][2] = { { 1024, 768 }, { 1280, 800 }, { 1920, 1080 } };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        struct frame *f = open_frame("flows", pipe_src, sizes[s][0], sizes[s][1]);
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
            int64_t t = tick_of(&f->v, EV_PIPE, want[k].reason);
            assert_true(t >= 0);
            viz_seek(&f->v, t);
            draw_logged(f);
            struct flow fl[8];
            int n = flows_at(&f->v, fl, 8);
            assert_int_equal(n, 1);
            assert_int_equal(fl[0].into, want[k].into);
            assert_int_equal(fl[0].head, want[k].head);
            assert_int_equal(fl[0].alarm, want[k].alarm);
            assert_int_equal(fl[0].tid, want[k].tid);
            assert_string_equal(fl[0].label, want[k].label);
            if (want[k].reason == PIPE_RECV) {       /* tinted as its sender, framed at the head */
                assert_int_equal(fl[0].from, 3);
                assert_true(flow_leaves_head(&f->v, fl[0].chan, 0));
            }
            /* The label is drawn on the board, in red for a failure. */
            const struct text_drawn *d = drawn(f, want[k].label);
            bool in_cell = false;                    /* a message is also in its cell */
            for (int i = 0; i < f->log.n; i++)
                in_cell |= !strcmp(f->log.e[i].text, want[k].label) &&
                           inside(f->log.e[i].r, f->v.layout.objects);
            if (!d || (!inside(d->r, f->v.layout.board) && !in_cell))
                fail_msg("%dx%d tick %lld: label \"%s\" not on the board", sizes[s][0],
                         sizes[s][1], (long long)t, want[k].label);
            if (want[k].alarm)
                assert_memory_equal(&d->c, &VIZ_ACCENT, 3);
        }
        close_frame(f);
    }
}

/* A multiprocessing.Queue q (maxsize 1) and a thread queue tq (maxsize 1):
 * puts, a feeder's move, gets, and each failure: nowait and timeouts. */
static const char queue_src[] =
    "queue q 1\nthreadqueue tq 1\n"
    "program main {\n  q.put \"a\"\n"
    "  try {\n    q.put \"b\" nowait\n  } except Full {\n    print \"full\"\n  }\n"
    "  sleep 3\n  q.get -> x\n"
    "  try {\n    q.get -> x timeout=3\n  } except Empty {\n    print \"empty\"\n  }\n"
    "  tq.put 1\n"
    "  try {\n    tq.put 2 timeout=2\n  } except Full {\n    print \"tfull\"\n  }\n"
    "  tq.get -> y\n"
    "  try {\n    tq.get -> y nowait\n  } except Empty {\n    print \"tempty\"\n  }\n}\n"
    "spawn main\n";

/* The tick of the first event of this kind and reason about object a. */
static int64_t tick_of_obj(const struct viz *v, int kind, int reason, int64_t a)
{
    const struct trace *tr = run_trace(v->run);
    for (size_t i = 0; i < tr->nev; i++)
        if (tr->ev[i].kind == kind && tr->ev[i].reason == reason && tr->ev[i].a == a)
            return tr->ev[i].tick;
    return -1;
}

static void test_queue_flows(void **state)
{
    (void)state;
    static const struct {
        int obj, reason;
        bool into, head, alarm, buffer, feed;
        const char *label;
    } want[] = {
        { 0, QE_PUT, true, false, false, true, false, "'a'" },
        { 0, QE_PUT_NOWAIT, false, false, true, false, false, "Full" },
        { 0, QE_FEED, true, false, false, false, true, "'a'" },
        { 0, QE_GET, false, true, false, false, false, "'a'" },
        { 0, QE_GET_TIMEOUT, false, true, true, false, false, "timeout: Empty" },
        { 1, QE_PUT, true, false, false, true, false, "1" },
        { 1, QE_PUT_TIMEOUT, false, false, true, false, false, "timeout: Full" },
        { 1, QE_GET, false, true, false, false, false, "1" },
        { 1, QE_GET_NOWAIT, false, true, true, false, false, "Empty" },
    };
    const int sizes[][2] = { { 1024, 768 }, { 1280, 800 }, { 1920, 1080 } };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        struct frame *f = open_frame("flows", queue_src, sizes[s][0], sizes[s][1]);
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
            int64_t t = tick_of_obj(&f->v, EV_QUEUE, want[k].reason, want[k].obj);
            assert_true(t >= 0);
            viz_seek(&f->v, t);
            draw_logged(f);
            struct flow fl[8];
            int n = flows_at(&f->v, fl, 8), m = -1;
            for (int i = 0; i < n; i++)
                if (f->v.snap.chans[fl[i].chan].obj == want[k].obj &&
                    !strcmp(fl[i].label, want[k].label))
                    m = i;
            if (m < 0)
                fail_msg("tick %lld: no flow \"%s\" on object %d", (long long)t, want[k].label,
                         want[k].obj);
            assert_int_equal(fl[m].into, want[k].into);
            assert_int_equal(fl[m].head, want[k].head);
            assert_int_equal(fl[m].alarm, want[k].alarm);
            assert_int_equal(fl[m].buffer, want[k].buffer);
            assert_int_equal(fl[m].feed, want[k].feed);
            assert_int_equal(fl[m].tid, want[k].feed ? 3 : 2);
            if (want[k].alarm) {                      /* a failure's word, in red, on the board */
                const struct text_drawn *d = drawn(f, want[k].label);
                assert_non_null(d);
                assert_true(inside(d->r, f->v.layout.board));
                assert_memory_equal(&d->c, &VIZ_ACCENT, 3);
            }
        }
        close_frame(f);
    }
}

/* Stepping to a tick with a message sets it off: the label starts at the
 * sender's card, moves along the arrow while the window keeps redrawing,
 * and comes to rest; a screenshot (no animation) shows it at rest. */
static void test_a_message_travels(void **state)
{
    (void)state;
    struct frame *f = open_frame("flows", pipe_src, 1280, 800);
    int64_t t = tick_of(&f->v, EV_PIPE, PIPE_SEND);
    f->v.animate = true;
    f->v.now = 1000;
    viz_seek(&f->v, t - 1);
    f->v.now = 5000;
    viz_seek(&f->v, t);
    assert_true(viz_busy(&f->v));
    int xs[3];
    for (int k = 0; k < 3; k++) {
        f->v.now = 5000 + (uint32_t)k * 100;
        draw_logged(f);
        const struct text_drawn *d = NULL;
        for (int i = 0; i < f->log.n; i++)            /* the last one drawn: over the cards */
            if (!strcmp(f->log.e[i].text, "'first'"))
                d = &f->log.e[i];
        assert_non_null(d);
        xs[k] = d->r.x;
    }
    /* A send goes from the card on the left to the tube on the right. */
    assert_true(xs[0] < xs[1] && xs[1] < xs[2]);
    const struct card *c = layout_card(&f->v.layout, 3);
    assert_non_null(c);
    assert_true(xs[0] <= c->r.x + c->r.w + 40);
    f->v.now = 5000 + 5000;
    assert_false(viz_busy(&f->v));
    close_frame(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipe_flows),
        cmocka_unit_test(test_queue_flows),
        cmocka_unit_test(test_a_message_travels),
    };
    return RUN_VIZ_TESTS(tests);
}
