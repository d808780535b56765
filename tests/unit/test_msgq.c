/*
 * test_msgq.c - the message FIFOs every pipe and queue keeps its messages
 * in (sim/objects/msgq.h): order, sizes, one shared pool with a free list,
 * copies, and their values as garbage-collection roots.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "msgq.h"

/* The ints of q, front to back, into out; returns how many. */
static int ints(const struct msgpool *p, const struct msgq *q, int64_t *out, int max)
{
    int n = 0;
    for (const struct msgnode *m = msgq_peek(p, q); m && n < max; m = msgq_next(p, m))
        out[n++] = m->v.i;
    return n;
}

static void test_fifo_order_count_and_bytes(void **state)
{
    (void)state;
    struct msgpool p;
    struct msgq q;
    msgpool_init(&p);
    msgq_init(&q);
    assert_null(msgq_peek(&p, &q));
    for (int i = 1; i <= 5; i++)
        assert_true(msgq_push(&p, &q, v_int(i), (uint32_t)(10 * i), 100 + i));
    assert_int_equal(q.count, 5);
    assert_int_equal(q.bytes, 150);
    struct msgnode n;
    for (int i = 1; i <= 5; i++) {
        assert_true(msgq_pop(&p, &q, &n));
        assert_int_equal(n.v.i, i);
        assert_int_equal(n.size, 10 * i);
        assert_int_equal(n.from, 100 + i);
        assert_int_equal(q.count, 5 - i);
    }
    assert_int_equal(q.bytes, 0);
    assert_false(msgq_pop(&p, &q, &n));
    assert_int_equal(q.head, -1);
    assert_int_equal(q.tail, -1);
    assert_int_equal(p.used, 0);
    msgpool_free(&p);
}

static void test_push_front_and_insert_after(void **state)
{
    (void)state;
    struct msgpool p;
    struct msgq q;
    msgpool_init(&p);
    msgq_init(&q);
    assert_true(msgq_push(&p, &q, v_int(2), 1, 0));
    assert_true(msgq_push_front(&p, &q, v_int(1), 1, 0));   /* 1 2 */
    assert_true(msgq_insert_after(&p, &q, q.tail, v_int(4), 1, 0));   /* at the back */
    assert_true(msgq_insert_after(&p, &q, q.head, v_int(3), 1, 0));   /* 1 3 2 4 */
    assert_true(msgq_insert_after(&p, &q, -1, v_int(0), 1, 0));       /* at the front */
    int64_t got[8];
    assert_int_equal(ints(&p, &q, got, 8), 5);
    int64_t want[] = { 0, 1, 3, 2, 4 };
    for (int i = 0; i < 5; i++)
        assert_int_equal(got[i], want[i]);
    /* the tail moved with the insert at the back: push still appends */
    assert_true(msgq_push(&p, &q, v_int(5), 1, 0));
    assert_int_equal(p.node[q.tail].v.i, 5);
    assert_int_equal(q.count, 6);
    assert_int_equal(q.bytes, 6);
    /* push_front on an empty FIFO sets both ends */
    struct msgq e;
    msgq_init(&e);
    assert_true(msgq_push_front(&p, &e, v_int(9), 7, 0));
    assert_int_equal(e.head, e.tail);
    assert_int_equal(e.bytes, 7);
    msgpool_free(&p);
}

/* Several FIFOs share the pool; freed nodes are reused, so the pool grows
 * with what is in flight, not with what has passed through. */
static void test_pool_is_shared_and_reused(void **state)
{
    (void)state;
    struct msgpool p;
    struct msgq a, b;
    msgpool_init(&p);
    msgq_init(&a);
    msgq_init(&b);
    for (int round = 0; round < 1000; round++) {
        for (int i = 0; i < 10; i++) {
            assert_true(msgq_push(&p, &a, v_int(round * 10 + i), 4, 1));
            assert_true(msgq_push(&p, &b, v_int(-i), 4, 2));
        }
        struct msgnode n;
        for (int i = 0; i < 10; i++) {
            assert_true(msgq_pop(&p, &a, &n));
            assert_int_equal(n.v.i, round * 10 + i);
            assert_true(msgq_pop(&p, &b, &n));
            assert_int_equal(n.v.i, -i);
        }
    }
    assert_int_equal(p.used, 0);
    assert_true(p.cap <= 64);        /* 20 in flight at most: the first block */
    msgpool_free(&p);
}

static void test_clear_and_clone_are_independent(void **state)
{
    (void)state;
    struct msgpool p, c;
    struct msgq q;
    msgpool_init(&p);
    msgq_init(&q);
    for (int i = 0; i < 100; i++)
        assert_true(msgq_push(&p, &q, v_int(i), 3, 0));
    assert_true(msgpool_clone(&c, &p));
    struct msgq qc = q;                /* a FIFO is indices into its pool */
    msgq_clear(&p, &q);
    assert_int_equal(q.count, 0);
    assert_int_equal(q.bytes, 0);
    assert_int_equal(p.used, 0);
    int64_t got[100];
    assert_int_equal(ints(&c, &qc, got, 100), 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal(got[i], i);
    assert_int_equal(c.used, 100);
    msgpool_free(&p);
    msgpool_free(&c);
    struct msgpool empty, ec;
    msgpool_init(&empty);
    assert_true(msgpool_clone(&ec, &empty));
    assert_int_equal(ec.cap, 0);
    msgpool_free(&ec);
}

/* Values in a FIFO survive a collection when the FIFO is marked; those
 * popped and dropped do not. */
static void test_mark_keeps_the_values_in_flight(void **state)
{
    (void)state;
    struct vheap h;
    struct msgpool p;
    struct msgq q;
    vheap_init(&h);
    msgpool_init(&p);
    msgq_init(&q);
    char text[16];
    for (int i = 0; i < 20; i++) {
        struct value v;
        snprintf(text, sizeof text, "msg %d", i);
        assert_int_equal(v_str(&h, text, strlen(text), &v), VE_OK);
        assert_true(msgq_push(&p, &q, v, (uint32_t)v_msg_size(&h, v), 0));
    }
    struct msgnode n;
    for (int i = 0; i < 10; i++)
        assert_true(msgq_pop(&p, &q, &n));
    size_t before = h.bytes;
    vheap_gc_begin(&h);
    msgq_mark(&p, &q, &h);
    vheap_gc_end(&h);
    assert_true(h.bytes < before);     /* the ten popped ones are freed */
    int i = 10;
    for (const struct msgnode *m = msgq_peek(&p, &q); m; m = msgq_next(&p, m), i++) {
        char want[16], got[32];
        snprintf(want, sizeof want, "msg %d", i);
        v_format(&h, m->v, false, got, sizeof got);
        assert_string_equal(got, want);
    }
    assert_int_equal(i, 20);
    msgpool_free(&p);
    vheap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_order_count_and_bytes),
        cmocka_unit_test(test_push_front_and_insert_after),
        cmocka_unit_test(test_pool_is_shared_and_reused),
        cmocka_unit_test(test_clear_and_clone_are_independent),
        cmocka_unit_test(test_mark_keeps_the_values_in_flight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
