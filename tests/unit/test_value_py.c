/*
 * test_value_py.c - issue 14's values (sim/value): CPython's float repr,
 * round half to even, floor division and modulo of negatives, dict order
 * after deletes and key equality (1 == 1.0 == True), mutable lists shared
 * by reference, deep copies keeping sharing, a list that holds itself.
 * Expected texts were checked against python3 (3.11); comments show it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

static int setup(void **state)
{
    struct vheap *h = calloc(1, sizeof *h);
    vheap_init(h);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    vheap_free(*state);
    free(*state);
    return 0;
}

static struct value S(struct vheap *h, const char *s)
{
    struct value v;
    assert_int_equal(v_str(h, s, strlen(s), &v), VE_OK);
    return v;
}

static void assert_text(struct vheap *h, struct value v, const char *want)
{
    char buf[400];
    v_format(h, v, true, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_float_repr_is_shortest_round_trip(void **state)
{
    (void)state;
    static const struct { double d; const char *want; } cases[] = {
        { 0.1, "0.1" }, { 0.1 + 0.2, "0.30000000000000004" }, { 1e16, "1e+16" },
        { 1e15, "1000000000000000.0" }, { 1e-5, "1e-05" }, { 1e-4, "0.0001" },
        { 3.0, "3.0" }, { -0.0, "-0.0" }, { 1.0 / 3, "0.3333333333333333" },
        { 123456789.125, "123456789.125" }, { 1e22, "1e+22" }, { 2.5e-7, "2.5e-07" },
        { 1.7976931348623157e308, "1.7976931348623157e+308" }, { 5e-324, "5e-324" },
        { 12345678901234567.0, "1.2345678901234568e+16" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char buf[32];
        v_float_repr(cases[k].d, buf);
        assert_string_equal(buf, cases[k].want);
    }
    char buf[32];
    v_float_repr(1.0 / 0.0, buf);
    assert_string_equal(buf, "inf");
    v_float_repr(-1.0 / 0.0, buf);
    assert_string_equal(buf, "-inf");
}

static struct value call(struct vheap *h, int id, int n, ...)
{
    struct value args[4], out;
    va_list ap;
    va_start(ap, n);
    for (int k = 0; k < n; k++)
        args[k] = va_arg(ap, struct value);
    va_end(ap);
    const char *msg = NULL;
    assert_int_equal(v_builtin(h, id, args, n, &out, &msg), VE_OK);
    return out;
}

static void test_round_is_half_to_even(void **state)
{
    struct vheap *h = *state;
    assert_text(h, call(h, VB_ROUND, 1, v_float(2.5)), "2");      /* round(2.5) */
    assert_text(h, call(h, VB_ROUND, 1, v_float(3.5)), "4");
    assert_text(h, call(h, VB_ROUND, 1, v_float(-2.5)), "-2");
    assert_text(h, call(h, VB_ROUND, 1, v_float(-0.5)), "0");
    assert_text(h, call(h, VB_ROUND, 2, v_float(0.125), v_int(2)), "0.12");
    assert_text(h, call(h, VB_ROUND, 2, v_float(2.675), v_int(2)), "2.67");  /* binary */
    assert_text(h, call(h, VB_ROUND, 2, v_int(1250), v_int(-2)), "1200");
    assert_text(h, call(h, VB_ROUND, 2, v_int(1350), v_int(-2)), "1400");
}

static struct value arith(struct vheap *h, int op, struct value a, struct value b)
{
    struct value out;
    const char *msg = NULL;
    assert_int_equal(v_arith(h, op, a, b, &out, &msg), VE_OK);
    return out;
}

static void test_floor_division_and_modulo_of_negatives(void **state)
{
    struct vheap *h = *state;
    assert_text(h, arith(h, VA_FLOORDIV, v_int(-7), v_int(2)), "-4");
    assert_text(h, arith(h, VA_MOD, v_int(-7), v_int(3)), "2");
    assert_text(h, arith(h, VA_MOD, v_int(7), v_int(-3)), "-2");
    assert_text(h, arith(h, VA_FLOORDIV, v_float(-7.5), v_int(2)), "-4.0");
    assert_text(h, arith(h, VA_MOD, v_float(7.5), v_int(-2)), "-0.5");
    assert_text(h, arith(h, VA_FLOORDIV, v_int(INT64_MIN), v_int(-1)), "-9223372036854775808");
    assert_text(h, arith(h, VA_POW, v_int(2), v_int(-1)), "0.5");
    assert_text(h, arith(h, VA_POW, v_int(3), v_int(41)), "-420491770248316829");  /* 3**41 wraps at 64 bits */
    struct value out;
    const char *msg = NULL;
    assert_int_equal(v_arith(h, VA_FLOORDIV, v_int(1), v_int(0), &out, &msg), VE_ZERO_DIV);
    assert_string_equal(msg, "integer division or modulo by zero");
    assert_int_equal(v_arith(h, VA_TRUEDIV, v_float(1), v_int(0), &out, &msg), VE_ZERO_DIV);
    assert_string_equal(msg, "float division by zero");
}

static void test_dict_order_after_delete_and_key_equality(void **state)
{
    struct vheap *h = *state;
    struct value d;
    const char *msg = NULL;
    assert_int_equal(v_dict_new(h, &d), VE_OK);
    for (int k = 0; k < 20; k++)           /* past the first capacity: grows */
        assert_int_equal(v_dict_set(h, d, v_int(k), v_int(k * k), &msg), VE_OK);
    for (int k = 0; k < 20; k += 2)
        assert_int_equal(v_dict_del(h, d, v_int(k), NULL, &msg), VE_OK);
    assert_int_equal(v_dict_del(h, d, v_int(0), NULL, &msg), VE_KEY);
    assert_int_equal(v_dict_set(h, d, v_int(0), S(h, "back"), &msg), VE_OK);
    assert_int_equal(v_dict_set(h, d, v_float(1.0), S(h, "float"), &msg), VE_OK);
    assert_int_equal(v_dict_set(h, d, v_bool(true), S(h, "true"), &msg), VE_OK);
    /* d[1.0] and d[True] replace d[1]'s value and keep the key 1, in place */
    assert_text(h, d, "{1: 'true', 3: 9, 5: 25, 7: 49, 9: 81, 11: 121, 13: 169, 15: 225, "
                      "17: 289, 19: 361, 0: 'back'}");
    assert_int_equal(v_dict_len(h, d), 11);
    struct value l;
    assert_int_equal(v_seq(h, V_LIST, NULL, 0, &l), VE_OK);
    assert_int_equal(v_dict_set(h, d, l, v_int(1), &msg), VE_TYPE);
    assert_string_equal(msg, "unhashable type: 'list'");
}

static void test_lists_are_shared_and_copies_keep_sharing(void **state)
{
    struct vheap *h = *state;
    struct value a, t, c;
    const char *msg = NULL;
    assert_int_equal(v_seq(h, V_LIST, NULL, 0, &a), VE_OK);
    struct value b = a;                    /* b = a */
    assert_int_equal(v_list_append(h, b, v_int(1), &msg), VE_OK);
    assert_text(h, a, "[1]");
    struct value two[2] = { a, a };
    assert_int_equal(v_seq(h, V_TUPLE, two, 2, &t), VE_OK);
    assert_true(v_deep_copy(h, t, &c, NULL));
    uint32_t n;
    const struct value *it = v_items(h, c, &n);
    assert_true(v_is(it[0], it[1]));       /* one copy, shared twice */
    assert_false(v_is(it[0], a));
    assert_int_equal(v_list_append(h, it[0], v_int(2), &msg), VE_OK);
    assert_text(h, c, "([1, 2], [1, 2])");
    assert_text(h, t, "([1], [1])");
    assert_int_equal(v_list_append(h, a, a, &msg), VE_OK);    /* a.append(a) */
    assert_text(h, a, "[1, [...]]");
    assert_true(v_deep_copy(h, a, &c, NULL));
    assert_text(h, c, "[1, [...]]");
    assert_false(v_is(c, a));
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_float_repr_is_shortest_round_trip),
        T_(test_round_is_half_to_even),
        T_(test_floor_division_and_modulo_of_negatives),
        T_(test_dict_order_after_delete_and_key_equality),
        T_(test_lists_are_shared_and_copies_keep_sharing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
