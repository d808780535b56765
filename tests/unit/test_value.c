/*
 * test_value.c - Python-like values (sim/value): text as Python writes it,
 * operations and their Python error messages, and the heap's handles,
 * accounting and collection. Expected strings and messages were checked
 * against python3 (3.11) when written; the comments show the Python.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

/* ------------------------------------------------------------ builders */

static struct value SN(struct vheap *h, const char *s, size_t n)
{
    struct value v;
    assert_int_equal(v_str(h, s, n, &v), VE_OK);
    return v;
}

static struct value S(struct vheap *h, const char *s)
{
    return SN(h, s, strlen(s));
}

static struct value seq(struct vheap *h, enum vtype type, int n, va_list ap)
{
    struct value items[16], v;
    assert_true(n <= 16);
    for (int k = 0; k < n; k++)
        items[k] = va_arg(ap, struct value);
    assert_int_equal(v_seq(h, type, items, (uint32_t)n, &v), VE_OK);
    return v;
}

/* A tuple of n items. */
static struct value T(struct vheap *h, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    struct value v = seq(h, V_TUPLE, n, ap);
    va_end(ap);
    return v;
}

/* A list of n items. */
static struct value L(struct vheap *h, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    struct value v = seq(h, V_LIST, n, ap);
    va_end(ap);
    return v;
}

/* repr(v) or str(v) in a buffer large enough for the tests' values. Each
 * repr also checks the length the heap keeps for messages. */
static const char *text(const struct vheap *h, struct value v, bool repr)
{
    static char buf[4096];
    size_t n = v_format(h, v, repr, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    if (repr && n < sizeof buf - 1)
        assert_int_equal(v_msg_size(h, v), n + 4);
    return buf;
}

/* The string value s must hold exactly `want`. */
static void assert_str_value(const struct vheap *h, struct value s,
                             const char *want)
{
    assert_int_equal(s.type, V_STR);
    size_t n;
    const char *d = v_str_data(h, s, &n);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(d, want, n);
}

static int setup(void **state)
{
    struct vheap *h = malloc(sizeof *h);
    if (!h)
        return -1;
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

/* ------------------------------------------------------------ text */

/* str() and repr() of each kind, as python3 prints them. */
static void test_format_matches_python(void **state)
{
    struct vheap *h = *state;
    struct { struct value v; const char *str, *repr; } cases[] = {
        { v_int(0), "0", "0" },
        { v_int(-5), "-5", "-5" },
        { v_int(INT64_MIN), "-9223372036854775808", "-9223372036854775808" },
        { v_int(INT64_MAX), "9223372036854775807", "9223372036854775807" },
        { v_bool(true), "True", "True" },
        { v_bool(false), "False", "False" },
        { v_none(), "None", "None" },
        { S(h, ""), "", "''" },
        { S(h, "hi"), "hi", "'hi'" },
        /* repr("it's") == "\"it's\"": a ' and no " switches the quotes */
        { S(h, "it's"), "it's", "\"it's\"" },
        { S(h, "say \"x\""), "say \"x\"", "'say \"x\"'" },
        /* repr("both'\"") == "'both\\'\"'": both quotes: ' escaped */
        { S(h, "both'\""), "both'\"", "'both\\'\"'" },
        { S(h, "back\\slash"), "back\\slash", "'back\\\\slash'" },
        { S(h, "a\nb\rc\td"), "a\nb\rc\td", "'a\\nb\\rc\\td'" },
        { S(h, "\x01\x1f\x7f"), "\x01\x1f\x7f", "'\\x01\\x1f\\x7f'" },
        { S(h, "h\xc3\xa9llo \xe2\x82\xac"), "h\xc3\xa9llo \xe2\x82\xac",
          "'h\xc3\xa9llo \xe2\x82\xac'" },
        { T(h, 0), "()", "()" },
        { T(h, 1, v_int(1)), "(1,)", "(1,)" },
        { T(h, 2, v_int(1), S(h, "a")), "(1, 'a')", "(1, 'a')" },
        { T(h, 1, T(h, 0)), "((),)", "((),)" },
        { L(h, 0), "[]", "[]" },
        { L(h, 2, v_int(1), S(h, "a")), "[1, 'a']", "[1, 'a']" },
        { L(h, 3, T(h, 1, v_int(1)), L(h, 0), v_none()), "[(1,), [], None]",
          "[(1,), [], None]" },
        { T(h, 2, S(h, "it's"), L(h, 1, v_bool(true))), "(\"it's\", [True])",
          "(\"it's\", [True])" },
        { T(h, 3, S(h, "x\ny"), T(h, 1, T(h, 1, v_int(-1))), v_bool(false)),
          "('x\\ny', ((-1,),), False)", "('x\\ny', ((-1,),), False)" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        assert_string_equal(text(h, cases[k].v, false), cases[k].str);
        assert_string_equal(text(h, cases[k].v, true), cases[k].repr);
        /* v_to_str makes the same text as a string value. */
        struct value s;
        const char *msg = NULL;
        assert_int_equal(v_to_str(h, cases[k].v, false, &s, &msg), VE_OK);
        assert_str_value(h, s, cases[k].str);
        assert_int_equal(v_to_str(h, cases[k].v, true, &s, &msg), VE_OK);
        assert_str_value(h, s, cases[k].repr);
        assert_int_equal(v_msg_size(h, cases[k].v), strlen(cases[k].repr) + 4);
    }
}

/* A NUL byte in a string: repr("\0a") == "'\\x00a'" and str() keeps it. */
static void test_nul_byte_is_escaped_in_repr_and_kept_in_str(void **state)
{
    struct vheap *h = *state;
    struct value v = SN(h, "\0a", 2);
    assert_string_equal(text(h, v, true), "'\\x00a'");
    struct value s;
    const char *msg;
    assert_int_equal(v_to_str(h, v, false, &s, &msg), VE_OK);
    size_t n;
    const char *d = v_str_data(h, s, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(d, "\0a", 2);
}

/* str(s) is s itself (immutable), repr is a new string. */
static void test_str_of_a_string_is_the_same_value(void **state)
{
    struct vheap *h = *state;
    struct value a = S(h, "x"), s;
    const char *msg;
    assert_int_equal(v_to_str(h, a, false, &s, &msg), VE_OK);
    assert_int_equal(s.ref, a.ref);
    assert_int_equal(v_to_str(h, a, true, &s, &msg), VE_OK);
    assert_int_not_equal(s.ref, a.ref);
}

static void test_format_cuts_with_dots_and_always_terminates(void **state)
{
    struct vheap *h = *state;
    struct value v = S(h, "abcdefgh");          /* repr: 'abcdefgh' (10) */
    char buf[16];
    memset(buf, 'Z', sizeof buf);
    assert_int_equal(v_format(h, v, true, buf, 11), 10);
    assert_string_equal(buf, "'abcdefgh'");
    assert_int_equal(v_format(h, v, true, buf, 10), 9);
    assert_string_equal(buf, "'abcde...");
    assert_int_equal(v_format(h, v, true, buf, 4), 3);
    assert_string_equal(buf, "...");
    assert_int_equal(v_format(h, v, true, buf, 3), 2);
    assert_string_equal(buf, "..");
    assert_int_equal(v_format(h, v, true, buf, 1), 0);
    assert_string_equal(buf, "");
    buf[0] = 'Z';
    assert_int_equal(v_format(h, v, true, buf, 0), 0);
    assert_int_equal(buf[0], 'Z');              /* size 0: nothing written */
    /* A container is cut the same way. */
    struct value t = T(h, 3, v_int(100), v_int(200), v_int(300));
    assert_int_equal(v_format(h, t, false, buf, 10), 9);
    assert_string_equal(buf, "(100, ...");
}

/* The cut never splits a UTF-8 character: "éé" is c3 a9 c3 a9. */
static void test_format_cut_keeps_utf8_characters_whole(void **state)
{
    struct vheap *h = *state;
    struct value v = S(h, "\xc3\xa9\xc3\xa9\xc3\xa9");
    char buf[8];
    assert_int_equal(v_format(h, v, false, buf, 6), 5);
    assert_string_equal(buf, "\xc3\xa9...");
    assert_int_equal(v_format(h, v, false, buf, 5), 3);   /* "é" + ... > 4 */
    assert_string_equal(buf, "...");
}

/* The message size counts the whole repr, however long. */
static void test_msg_size_is_the_full_repr_plus_header(void **state)
{
    struct vheap *h = *state;
    enum { N = 100000 };
    char *big = malloc(N);
    assert_non_null(big);
    memset(big, 'a', N);
    big[10] = '\n';                             /* escaped: 2 bytes */
    struct value v = SN(h, big, N);
    free(big);
    assert_int_equal(v_msg_size(h, v), N + 1 + 2 + 4);
    /* len(repr((2, 'hi'))) == 9 */
    assert_int_equal(v_msg_size(h, T(h, 2, v_int(2), S(h, "hi"))), 9 + 4);
    assert_int_equal(v_msg_size(h, v_int(-12)), 3 + 4);
}

/* ------------------------------------------------------------ comparing */

static void test_equality_is_pythons(void **state)
{
    struct vheap *h = *state;
    assert_true(v_equal(h, v_int(1), v_bool(true)));        /* 1 == True */
    assert_true(v_equal(h, v_int(0), v_bool(false)));
    assert_false(v_equal(h, v_int(2), v_bool(true)));
    assert_false(v_equal(h, v_int(1), S(h, "1")));          /* no TypeError */
    assert_false(v_equal(h, v_none(), v_int(0)));
    assert_true(v_equal(h, v_none(), v_none()));
    assert_true(v_equal(h, S(h, "ab"), S(h, "ab")));
    assert_false(v_equal(h, S(h, "ab"), S(h, "abc")));
    assert_false(v_equal(h, T(h, 1, v_int(1)), L(h, 1, v_int(1))));   /* (1,) != [1] */
    assert_true(v_equal(h, T(h, 2, v_int(1), S(h, "a")), T(h, 2, v_bool(true), S(h, "a"))));
    assert_false(v_equal(h, T(h, 2, v_int(1), S(h, "a")), T(h, 2, v_int(1), S(h, "b"))));
    assert_false(v_equal(h, T(h, 1, v_int(1)), T(h, 2, v_int(1), v_int(2))));
    assert_true(v_equal(h, L(h, 2, T(h, 0), L(h, 1, v_none())),
                        L(h, 2, T(h, 0), L(h, 1, v_none()))));
    assert_false(v_equal(h, L(h, 1, L(h, 1, v_none())), L(h, 1, T(h, 1, v_none()))));
    assert_true(v_equal(h, T(h, 0), T(h, 0)));
    assert_false(v_equal(h, T(h, 0), L(h, 0)));
}

static int cmp_ok(struct vheap *h, struct value a, struct value b)
{
    int c = 99;
    const char *msg = NULL;
    assert_int_equal(v_compare(h, a, b, "<", &c, &msg), VE_OK);
    return c;
}

static const char *cmp_err(struct vheap *h, struct value a, struct value b,
                           const char *op)
{
    int c;
    const char *msg = NULL;
    assert_int_equal(v_compare(h, a, b, op, &c, &msg), VE_TYPE);
    assert_non_null(msg);
    return msg;
}

static void test_ordering_is_pythons(void **state)
{
    struct vheap *h = *state;
    assert_true(cmp_ok(h, v_int(-3), v_int(2)) < 0);
    assert_true(cmp_ok(h, v_bool(true), v_int(0)) > 0);
    assert_int_equal(cmp_ok(h, v_bool(true), v_int(1)), 0);
    assert_true(cmp_ok(h, v_int(INT64_MIN), v_int(INT64_MAX)) < 0);
    assert_true(cmp_ok(h, S(h, "a"), S(h, "b")) < 0);
    assert_true(cmp_ok(h, S(h, "ab"), S(h, "a")) > 0);
    assert_true(cmp_ok(h, S(h, "B"), S(h, "a")) < 0);
    assert_true(cmp_ok(h, S(h, "\xc3\xa9"), S(h, "z")) > 0);   /* 'é' > 'z' */
    assert_int_equal(cmp_ok(h, S(h, "x"), S(h, "x")), 0);
    /* (1, 2) < (1, 3); (1, 2) < (1, 2, 0); [] < [0] */
    assert_true(cmp_ok(h, T(h, 2, v_int(1), v_int(2)), T(h, 2, v_int(1), v_int(3))) < 0);
    assert_true(cmp_ok(h, T(h, 2, v_int(1), v_int(2)), T(h, 3, v_int(1), v_int(2), v_int(0))) < 0);
    assert_true(cmp_ok(h, L(h, 0), L(h, 1, v_int(0))) < 0);
    assert_int_equal(cmp_ok(h, L(h, 1, S(h, "a")), L(h, 1, S(h, "a"))), 0);
    /* The first unequal items decide: (1, 'a') < (2, 'b') never compares
     * 'a' with 2; ((1, 2), 5) > ((1, 2), 3) looks inside the equal tuple. */
    assert_true(cmp_ok(h, T(h, 2, v_int(1), S(h, "a")), T(h, 2, v_int(2), v_int(0))) < 0);
    assert_true(cmp_ok(h, T(h, 2, T(h, 2, v_int(1), v_int(2)), v_int(5)),
                          T(h, 2, T(h, 2, v_int(1), v_int(2)), v_int(3))) > 0);
    assert_true(cmp_ok(h, T(h, 2, T(h, 2, v_int(1), v_int(2)), v_int(5)),
                          T(h, 2, T(h, 2, v_int(1), v_int(3)), S(h, "x"))) < 0);
    /* (None, 1) < (None, 2): equal items are passed over, even None. */
    assert_true(cmp_ok(h, T(h, 2, v_none(), v_int(1)), T(h, 2, v_none(), v_int(2))) < 0);
}

static void test_ordering_errors_name_the_types_like_python(void **state)
{
    struct vheap *h = *state;
    assert_string_equal(cmp_err(h, v_none(), v_none(), "<"),
        "'<' not supported between instances of 'NoneType' and 'NoneType'");
    assert_string_equal(cmp_err(h, v_int(1), S(h, "a"), "<"),
        "'<' not supported between instances of 'int' and 'str'");
    /* (1, 'a') < (1, 2): the items that differ are named */
    assert_string_equal(cmp_err(h, T(h, 2, v_int(1), S(h, "a")), T(h, 2, v_int(1), v_int(2)), "<"),
        "'<' not supported between instances of 'str' and 'int'");
    /* ((1,),) < ([1],) */
    assert_string_equal(cmp_err(h, T(h, 1, T(h, 1, v_int(1))), T(h, 1, L(h, 1, v_int(1))), "<"),
        "'<' not supported between instances of 'tuple' and 'list'");
    assert_string_equal(cmp_err(h, S(h, "a"), v_none(), ">="),
        "'>=' not supported between instances of 'str' and 'NoneType'");
    assert_string_equal(cmp_err(h, L(h, 1, v_int(1)), T(h, 1, v_int(1)), "<"),
        "'<' not supported between instances of 'list' and 'tuple'");
    assert_string_equal(cmp_err(h, v_bool(true), v_none(), ">"),
        "'>' not supported between instances of 'bool' and 'NoneType'");
    assert_string_equal(cmp_err(h, v_int(1), T(h, 0), "<="),
        "'<=' not supported between instances of 'int' and 'tuple'");
    /* An operator the table does not know still gets a message. */
    assert_true(strlen(cmp_err(h, v_int(1), S(h, "a"), "?")) > 0);
    assert_true(strlen(cmp_err(h, v_int(1), S(h, "a"), NULL)) > 0);
}

/* ------------------------------------------------------------ arithmetic */

static void test_add_wraps_ints_and_concatenates_sequences(void **state)
{
    struct vheap *h = *state;
    struct value r;
    const char *msg;
    assert_int_equal(v_add(h, v_int(INT64_MAX), v_int(1), &r, &msg), VE_OK);
    assert_int_equal(r.type, V_INT);
    assert_true(r.i == INT64_MIN);
    assert_int_equal(v_add(h, v_bool(true), v_bool(true), &r, &msg), VE_OK);
    assert_int_equal(r.type, V_INT);                    /* True + True == 2 */
    assert_int_equal(r.i, 2);
    assert_int_equal(v_add(h, S(h, "ab"), S(h, "c"), &r, &msg), VE_OK);
    assert_str_value(h, r, "abc");
    assert_int_equal(v_add(h, S(h, ""), S(h, ""), &r, &msg), VE_OK);
    assert_str_value(h, r, "");
    assert_int_equal(v_add(h, T(h, 1, v_int(1)), T(h, 1, S(h, "a")), &r, &msg), VE_OK);
    assert_string_equal(text(h, r, true), "(1, 'a')");
    struct value l = L(h, 1, v_int(1));
    assert_int_equal(v_add(h, l, l, &r, &msg), VE_OK);
    assert_string_equal(text(h, r, true), "[1, 1]");
    assert_string_equal(text(h, l, true), "[1]");      /* operands unchanged */
}

static const char *add_err(struct vheap *h, struct value a, struct value b)
{
    struct value r;
    const char *msg = NULL;
    assert_int_equal(v_add(h, a, b, &r, &msg), VE_TYPE);
    return msg;
}

static void test_add_errors_are_pythons(void **state)
{
    struct vheap *h = *state;
    assert_string_equal(add_err(h, S(h, "a"), v_int(1)),
                        "can only concatenate str (not \"int\") to str");
    assert_string_equal(add_err(h, T(h, 0), v_int(1)),
                        "can only concatenate tuple (not \"int\") to tuple");
    assert_string_equal(add_err(h, L(h, 0), v_int(1)),
                        "can only concatenate list (not \"int\") to list");
    assert_string_equal(add_err(h, T(h, 0), L(h, 0)),
                        "can only concatenate tuple (not \"list\") to tuple");
    assert_string_equal(add_err(h, S(h, "a"), v_none()),
                        "can only concatenate str (not \"NoneType\") to str");
    assert_string_equal(add_err(h, v_int(1), S(h, "a")),
                        "unsupported operand type(s) for +: 'int' and 'str'");
    assert_string_equal(add_err(h, v_none(), v_int(1)),
                        "unsupported operand type(s) for +: 'NoneType' and 'int'");
    assert_string_equal(add_err(h, v_bool(true), S(h, "a")),
                        "unsupported operand type(s) for +: 'bool' and 'str'");
    assert_string_equal(add_err(h, v_none(), v_none()),
                        "unsupported operand type(s) for +: 'NoneType' and 'NoneType'");
}

static void test_mul_wraps_ints_and_repeats_sequences(void **state)
{
    struct vheap *h = *state;
    struct value r;
    const char *msg;
    assert_int_equal(v_mul(h, v_int(INT64_MAX), v_int(2), &r, &msg), VE_OK);
    assert_true(r.i == -2);
    assert_int_equal(v_mul(h, v_int(3), v_bool(true), &r, &msg), VE_OK);
    assert_int_equal(r.type, V_INT);
    assert_int_equal(r.i, 3);
    assert_int_equal(v_mul(h, S(h, "ab"), v_int(3), &r, &msg), VE_OK);
    assert_str_value(h, r, "ababab");
    assert_int_equal(v_mul(h, v_int(2), S(h, "ab"), &r, &msg), VE_OK);
    assert_str_value(h, r, "abab");
    assert_int_equal(v_mul(h, v_bool(true), S(h, "ab"), &r, &msg), VE_OK);
    assert_str_value(h, r, "ab");
    assert_int_equal(v_mul(h, S(h, "ab"), v_int(-5), &r, &msg), VE_OK);
    assert_str_value(h, r, "");
    assert_int_equal(v_mul(h, T(h, 2, v_int(1), S(h, "a")), v_int(2), &r, &msg), VE_OK);
    assert_string_equal(text(h, r, true), "(1, 'a', 1, 'a')");
    assert_int_equal(v_mul(h, L(h, 1, v_int(1)), v_int(0), &r, &msg), VE_OK);
    assert_string_equal(text(h, r, true), "[]");
    assert_int_equal(v_mul(h, v_int(INT64_MIN), T(h, 1, v_int(1)), &r, &msg), VE_OK);
    assert_string_equal(text(h, r, true), "()");
    /* '' * huge is '' (nothing to allocate) */
    assert_int_equal(v_mul(h, S(h, ""), v_int(INT64_MAX), &r, &msg), VE_OK);
    assert_str_value(h, r, "");
}

static const char *mul_err(struct vheap *h, struct value a, struct value b)
{
    struct value r;
    const char *msg = NULL;
    assert_int_equal(v_mul(h, a, b, &r, &msg), VE_TYPE);
    return msg;
}

static void test_mul_errors_are_pythons(void **state)
{
    struct vheap *h = *state;
    assert_string_equal(mul_err(h, S(h, "a"), S(h, "b")),
                        "can't multiply sequence by non-int of type 'str'");
    assert_string_equal(mul_err(h, S(h, "a"), v_none()),
                        "can't multiply sequence by non-int of type 'NoneType'");
    assert_string_equal(mul_err(h, L(h, 0), T(h, 0)),
                        "can't multiply sequence by non-int of type 'tuple'");
    assert_string_equal(mul_err(h, v_none(), S(h, "a")),
                        "can't multiply sequence by non-int of type 'NoneType'");
    assert_string_equal(mul_err(h, T(h, 0), L(h, 0)),
                        "can't multiply sequence by non-int of type 'list'");
    assert_string_equal(mul_err(h, v_none(), v_int(2)),
                        "unsupported operand type(s) for *: 'NoneType' and 'int'");
    assert_string_equal(mul_err(h, v_int(2), v_none()),
                        "unsupported operand type(s) for *: 'int' and 'NoneType'");
}

/* Too big is refused before anything is allocated, and nothing changes. */
static void test_oversized_results_are_memory_errors(void **state)
{
    struct vheap *h = *state;
    struct value r, x = S(h, "x"), t = T(h, 2, v_int(1), v_int(2));
    const char *msg = NULL;
    size_t bytes = h->bytes;
    uint32_t nobj = h->nobj;
    assert_int_equal(v_mul(h, x, v_int(VALUE_MAX_OBJECT + 1), &r, &msg), VE_MEMORY);
    assert_non_null(msg);
    assert_int_equal(v_mul(h, x, v_int(INT64_MAX), &r, &msg), VE_MEMORY);
    assert_int_equal(v_mul(h, t, v_int((int64_t)1 << 62), &r, &msg), VE_MEMORY);
    assert_int_equal(v_mul(h, v_int(INT64_MAX), t, &r, &msg), VE_MEMORY);
    /* 16 MiB of items: 16 bytes each */
    assert_int_equal(v_mul(h, t, v_int(VALUE_MAX_OBJECT / 32 + 1), &r, &msg), VE_MEMORY);
    assert_int_equal(v_str(h, "", VALUE_MAX_OBJECT + 1, &r), VE_MEMORY);
    assert_int_equal(h->bytes, bytes);
    assert_int_equal(h->nobj, nobj);
    /* Exactly the limit is allowed. */
    assert_int_equal(v_mul(h, x, v_int(VALUE_MAX_OBJECT), &r, &msg), VE_OK);
    size_t n;
    const char *d = v_str_data(h, r, &n);
    assert_int_equal(n, VALUE_MAX_OBJECT);
    assert_int_equal(d[n - 1], 'x');
    /* Concatenating two halves past the limit fails the same way. */
    struct value big = r;
    assert_int_equal(v_add(h, big, x, &r, &msg), VE_MEMORY);
    assert_int_equal(v_to_str(h, big, true, &r, &msg), VE_MEMORY);
}

/* The heap as a whole: a request that would take it over VALUE_MAX_HEAP
 * fails (the accounting is set by hand so the test needs no 256 MiB). */
static void test_full_heap_is_a_memory_error(void **state)
{
    struct vheap *h = *state;
    struct value r;
    const char *msg = NULL;
    size_t real = h->bytes;
    h->bytes = VALUE_MAX_HEAP - 40;
    assert_int_equal(v_str(h, "0123456789012345678901234567890123456789", 40, &r), VE_MEMORY);
    assert_int_equal(v_add(h, v_int(1), v_int(2), &r, &msg), VE_OK);   /* ints need no heap */
    h->bytes = VALUE_MAX_HEAP - 64;
    assert_int_equal(v_str(h, "ab", 2, &r), VE_OK);
    h->bytes = real + (h->bytes - (VALUE_MAX_HEAP - 64));
}

/* ------------------------------------------------------------ indexing */

static void test_index_counts_from_either_end(void **state)
{
    struct vheap *h = *state;
    struct value r, t = T(h, 3, v_int(10), S(h, "b"), v_none());
    const char *msg;
    assert_int_equal(v_index(h, t, v_int(0), &r, &msg), VE_OK);
    assert_true(v_equal(h, r, v_int(10)));
    assert_int_equal(v_index(h, t, v_int(-1), &r, &msg), VE_OK);
    assert_int_equal(r.type, V_NONE);
    assert_int_equal(v_index(h, t, v_bool(true), &r, &msg), VE_OK);   /* t[True] */
    assert_str_value(h, r, "b");
    assert_int_equal(v_index(h, L(h, 2, v_int(1), v_int(2)), v_int(-2), &r, &msg), VE_OK);
    assert_int_equal(r.i, 1);
    /* "héllo"[1] == "é", [-1] == "o", len == 5 (characters, not bytes) */
    struct value s = S(h, "h\xc3\xa9llo");
    assert_int_equal(v_index(h, s, v_int(1), &r, &msg), VE_OK);
    assert_str_value(h, r, "\xc3\xa9");
    assert_int_equal(v_index(h, s, v_int(-1), &r, &msg), VE_OK);
    assert_str_value(h, r, "o");
    assert_int_equal(v_index(h, S(h, "abc"), v_int(-3), &r, &msg), VE_OK);
    assert_str_value(h, r, "a");
    int64_t n;
    assert_int_equal(v_len(h, s, &n, &msg), VE_OK);
    assert_int_equal(n, 5);
    assert_int_equal(v_len(h, t, &n, &msg), VE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(v_len(h, L(h, 0), &n, &msg), VE_OK);
    assert_int_equal(n, 0);
}

static const char *index_err(struct vheap *h, struct value a, struct value i,
                             enum verr want)
{
    struct value r;
    const char *msg = NULL;
    assert_int_equal(v_index(h, a, i, &r, &msg), want);
    return msg;
}

static void test_index_errors_are_pythons(void **state)
{
    struct vheap *h = *state;
    struct value s = S(h, "abc"), t = T(h, 1, v_int(1)), l = L(h, 1, v_int(1));
    assert_string_equal(index_err(h, s, v_int(3), VE_INDEX), "string index out of range");
    assert_string_equal(index_err(h, s, v_int(-4), VE_INDEX), "string index out of range");
    assert_string_equal(index_err(h, t, v_int(1), VE_INDEX), "tuple index out of range");
    assert_string_equal(index_err(h, l, v_int(INT64_MIN), VE_INDEX), "list index out of range");
    assert_string_equal(index_err(h, l, v_int(INT64_MAX), VE_INDEX), "list index out of range");
    assert_string_equal(index_err(h, S(h, ""), v_int(0), VE_INDEX), "string index out of range");
    assert_string_equal(index_err(h, s, S(h, "a"), VE_TYPE),
                        "string indices must be integers, not 'str'");
    assert_string_equal(index_err(h, s, v_none(), VE_TYPE),
                        "string indices must be integers, not 'NoneType'");
    assert_string_equal(index_err(h, t, S(h, "a"), VE_TYPE),
                        "tuple indices must be integers or slices, not str");
    assert_string_equal(index_err(h, t, v_none(), VE_TYPE),
                        "tuple indices must be integers or slices, not NoneType");
    assert_string_equal(index_err(h, l, l, VE_TYPE),
                        "list indices must be integers or slices, not list");
    assert_string_equal(index_err(h, v_int(5), v_int(0), VE_TYPE),
                        "'int' object is not subscriptable");
    assert_string_equal(index_err(h, v_none(), v_int(0), VE_TYPE),
                        "'NoneType' object is not subscriptable");
    assert_string_equal(index_err(h, v_bool(true), v_int(0), VE_TYPE),
                        "'bool' object is not subscriptable");
    int64_t n;
    const char *msg = NULL;
    assert_int_equal(v_len(h, v_int(5), &n, &msg), VE_TYPE);
    assert_string_equal(msg, "object of type 'int' has no len()");
    assert_int_equal(v_len(h, v_none(), &n, &msg), VE_TYPE);
    assert_string_equal(msg, "object of type 'NoneType' has no len()");
    assert_int_equal(v_len(h, v_bool(false), &n, &msg), VE_TYPE);
    assert_string_equal(msg, "object of type 'bool' has no len()");
}

/* ------------------------------------------------------------ int(), truth */

/* int(s) as python3 parses base 10: strip whitespace, one sign, digits
 * with single underscores between them. */
static void test_to_int_parses_like_python(void **state)
{
    struct vheap *h = *state;
    struct { const char *s; enum verr e; int64_t want; } cases[] = {
        { " 42 ", VE_OK, 42 },
        { "+5", VE_OK, 5 },
        { "-5", VE_OK, -5 },
        { "-0", VE_OK, 0 },
        { "0042", VE_OK, 42 },
        { "4_2", VE_OK, 42 },
        { "1_000_000", VE_OK, 1000000 },
        { "\v7\f", VE_OK, 7 },
        { "\t\n-12\r\n", VE_OK, -12 },
        { "9223372036854775807", VE_OK, INT64_MAX },
        { "-9223372036854775808", VE_OK, INT64_MIN },
        { "9223372036854775808", VE_VALUE, 0 },     /* procsim ints are 64-bit */
        { "-9223372036854775809", VE_VALUE, 0 },
        { "184467440737095516160", VE_VALUE, 0 },
        { "_42", VE_VALUE, 0 },
        { "42_", VE_VALUE, 0 },
        { "4__2", VE_VALUE, 0 },
        { "- 5", VE_VALUE, 0 },
        { "+", VE_VALUE, 0 },
        { "-", VE_VALUE, 0 },
        { "", VE_VALUE, 0 },
        { "   ", VE_VALUE, 0 },
        { "abc", VE_VALUE, 0 },
        { "12a", VE_VALUE, 0 },
        { "1 2", VE_VALUE, 0 },
        { "\x1c" "5", VE_VALUE, 0 },                /* not whitespace to int() */
        { "0x10", VE_VALUE, 0 },
        { "++1", VE_VALUE, 0 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int64_t got = 12345;
        const char *msg = NULL;
        enum verr e = v_to_int(h, S(h, cases[k].s), &got, &msg);
        if (e != cases[k].e)
            fail_msg("int(%s): %d, want %d", cases[k].s, e, cases[k].e);
        if (e == VE_OK)
            assert_true(got == cases[k].want);
        else
            assert_non_null(msg);
    }
    const char *msg = NULL;
    int64_t got;
    assert_int_equal(v_to_int(h, S(h, "abc"), &got, &msg), VE_VALUE);
    assert_string_equal(msg, "invalid literal for int() with base 10: 'abc'");
    assert_int_equal(v_to_int(h, v_bool(true), &got, &msg), VE_OK);
    assert_int_equal(got, 1);
    assert_int_equal(v_to_int(h, v_int(-7), &got, &msg), VE_OK);
    assert_int_equal(got, -7);
    assert_int_equal(v_to_int(h, v_none(), &got, &msg), VE_TYPE);
    assert_string_equal(msg, "int() argument must be a string, a bytes-like object "
                             "or a real number, not 'NoneType'");
    assert_int_equal(v_to_int(h, T(h, 1, v_int(1)), &got, &msg), VE_TYPE);
    assert_string_equal(msg, "int() argument must be a string, a bytes-like object "
                             "or a real number, not 'tuple'");
}

static void test_truth_and_type_names(void **state)
{
    struct vheap *h = *state;
    assert_false(v_truthy(h, v_int(0)));
    assert_true(v_truthy(h, v_int(-1)));
    assert_false(v_truthy(h, v_bool(false)));
    assert_true(v_truthy(h, v_bool(true)));
    assert_false(v_truthy(h, v_none()));
    assert_false(v_truthy(h, S(h, "")));
    assert_true(v_truthy(h, S(h, "0")));
    assert_false(v_truthy(h, T(h, 0)));
    assert_true(v_truthy(h, T(h, 1, v_int(0))));
    assert_false(v_truthy(h, L(h, 0)));
    assert_true(v_truthy(h, L(h, 1, v_none())));
    assert_string_equal(v_type_name(v_int(1)), "int");
    assert_string_equal(v_type_name(v_bool(true)), "bool");
    assert_string_equal(v_type_name(v_none()), "NoneType");
    assert_string_equal(v_type_name(S(h, "")), "str");
    assert_string_equal(v_type_name(T(h, 0)), "tuple");
    assert_string_equal(v_type_name(L(h, 0)), "list");
    /* Zeroed memory is the integer 0 (an unassigned variable). */
    struct value z;
    memset(&z, 0, sizeof z);
    assert_true(v_equal(h, z, v_int(0)));
    assert_int_equal(sizeof(struct value), 16);
}

/* ------------------------------------------------------------ the heap */

static void test_handles_start_at_one_and_are_reused_lowest_first(void **state)
{
    struct vheap *h = *state;
    struct value v[6];
    for (int k = 0; k < 6; k++)
        v[k] = S(h, "abc");
    for (int k = 0; k < 6; k++)
        assert_int_equal(v[k].ref, k + 1);
    /* Keep 1, 3 and 6; 2, 4 and 5 are freed. */
    vheap_gc_begin(h);
    vheap_mark(h, v[0]);
    vheap_mark(h, v[2]);
    vheap_mark(h, v[5]);
    vheap_gc_end(h);
    assert_int_equal(S(h, "x").ref, 2);
    assert_int_equal(S(h, "x").ref, 4);
    assert_int_equal(S(h, "x").ref, 5);
    assert_int_equal(S(h, "x").ref, 7);
    /* The survivors are untouched. */
    assert_str_value(h, v[0], "abc");
    assert_str_value(h, v[5], "abc");
}

/* The same operations give the same handles, whatever came before in
 * another heap. */
static void test_same_operations_give_same_handles(void **state)
{
    (void)state;
    uint32_t refs[2][40];
    for (int run = 0; run < 2; run++) {
        struct vheap h;
        vheap_init(&h);
        struct value keep[40];
        int n = 0;
        for (int k = 0; k < 40; k++) {
            struct value v = k % 3 ? S(&h, "ab") : T(&h, 1, v_int(k));
            keep[k] = v;
            if (k % 10 == 9) {
                vheap_gc_begin(&h);
                for (int j = 0; j <= k; j += 4)
                    vheap_mark(&h, keep[j]);
                vheap_gc_end(&h);
            }
            refs[run][n++] = v.ref;
        }
        vheap_free(&h);
    }
    assert_memory_equal(refs[0], refs[1], sizeof refs[0]);
}

static void test_bytes_are_accounted_and_gc_is_due_past_the_rule(void **state)
{
    struct vheap *h = *state;
    assert_int_equal(h->bytes, 0);
    assert_false(vheap_gc_due(h));
    struct value a = S(h, "abcd");
    size_t one = h->bytes;
    assert_true(one >= 4);
    assert_int_equal(h->since_gc, one);
    S(h, "abcd");
    assert_int_equal(h->bytes, 2 * one);
    vheap_gc_begin(h);
    vheap_mark(h, a);
    vheap_gc_end(h);
    assert_int_equal(h->bytes, one);
    assert_int_equal(h->since_gc, 0);
    /* Due once more than max(1 MiB, what survived the last collection)
     * was allocated since. */
    struct value r;
    const char *msg;
    assert_int_equal(v_mul(h, S(h, "x"), v_int(1 << 19), &r, &msg), VE_OK);
    assert_false(vheap_gc_due(h));
    assert_int_equal(v_mul(h, S(h, "x"), v_int(1 << 19), &r, &msg), VE_OK);
    assert_true(vheap_gc_due(h));               /* > 1 MiB since */
    /* With 4 MiB held, 1.x MiB more is not yet due; 4.x MiB more is. */
    vheap_gc_begin(h);
    vheap_gc_end(h);
    struct value big;
    assert_int_equal(v_mul(h, S(h, "x"), v_int(4 << 20), &big, &msg), VE_OK);
    vheap_gc_begin(h);
    vheap_mark(h, big);
    vheap_gc_end(h);
    assert_true(h->bytes > (4u << 20));
    assert_int_equal(v_mul(h, S(h, "x"), v_int(3 << 19), &r, &msg), VE_OK);
    assert_false(vheap_gc_due(h));
    assert_int_equal(v_mul(h, S(h, "x"), v_int(3 << 20), &r, &msg), VE_OK);
    assert_true(vheap_gc_due(h));
    /* Nothing marked: everything goes, handles start over at 1. */
    vheap_gc_begin(h);
    vheap_gc_end(h);
    assert_int_equal(h->bytes, 0);
    assert_int_equal(S(h, "again").ref, 1);
}

/* Marking follows tuples and lists (and shared items) to every object. */
static void test_mark_keeps_everything_reachable(void **state)
{
    struct vheap *h = *state;
    struct value shared = S(h, "shared");
    struct value inner = L(h, 2, shared, S(h, "in"));
    struct value root = T(h, 3, inner, shared, v_int(5));
    struct value garbage = T(h, 1, S(h, "garbage"));
    (void)garbage;
    vheap_gc_begin(h);
    vheap_mark(h, root);
    vheap_mark(h, root);                         /* twice is harmless */
    vheap_gc_end(h);
    assert_string_equal(text(h, root, true), "(['shared', 'in'], 'shared', 5)");
    /* garbage and its string were freed: their handles come back. */
    assert_int_equal(S(h, "x").ref, 5);
    assert_int_equal(S(h, "x").ref, 6);
    assert_int_equal(S(h, "x").ref, 7);
}

/* t = (t,) 100,000 times: marking, printing, comparing and freeing must
 * not recurse on the C stack. */
static void test_deep_nesting_needs_no_c_stack(void **state)
{
    struct vheap *h = *state;
    enum { DEPTH = 100000 };
    struct value a = T(h, 0), b = T(h, 0);
    for (int k = 0; k < DEPTH; k++) {
        a = T(h, 1, a);
        b = T(h, 2, b, v_int(k));               /* b = (b, k): not a tail */
    }
    vheap_gc_begin(h);
    vheap_mark(h, a);
    vheap_mark(h, b);
    vheap_gc_end(h);
    assert_int_equal(h->nobj, 2 * DEPTH + 3);   /* nothing was freed */
    /* len(repr(a)) == 2 + 3 * depth */
    assert_int_equal(v_msg_size(h, a), 2 + 3 * (size_t)DEPTH + 4);
    char buf[16];
    v_format(h, a, true, buf, sizeof buf);
    assert_string_equal(buf, "((((((((((((...");
    /* An equal copy built separately, and one that differs at the bottom. */
    struct value c = T(h, 0), d = L(h, 0), e = T(h, 0), f = T(h, 0);
    for (int k = 0; k < DEPTH; k++) {
        c = T(h, 2, c, v_int(k));
        d = T(h, 2, d, v_int(k));
        e = T(h, 2, e, v_int(k + (k == 0)));
        f = T(h, 2, f, v_int(k));
    }
    assert_true(v_equal(h, b, c));
    assert_false(v_equal(h, b, d));
    assert_false(v_equal(h, b, e));
    int cmp = 99;
    const char *msg = NULL;
    assert_int_equal(v_compare(h, b, e, "<", &cmp, &msg), VE_OK);
    assert_true(cmp < 0);                        /* 0 < 1 at the bottom */
    assert_int_equal(v_compare(h, b, f, "<", &cmp, &msg), VE_OK);
    assert_int_equal(cmp, 0);
    assert_int_equal(v_compare(h, b, d, "<", &cmp, &msg), VE_TYPE);
    assert_string_equal(msg, "'<' not supported between instances of 'tuple' and 'list'");
    struct value s;
    assert_int_equal(v_to_str(h, a, false, &s, &msg), VE_OK);
    size_t n;
    const char *data = v_str_data(h, s, &n);
    assert_int_equal(n, 2 + 3 * (size_t)DEPTH);
    assert_memory_equal(data + DEPTH - 1, "(()", 3);
    /* Everything goes at once. */
    vheap_gc_begin(h);
    vheap_gc_end(h);
    assert_int_equal(h->bytes, 0);
    assert_int_equal(h->nobj, 1);
}

/* t = (t, t) 64 times: 65 small objects whose repr would not fit in any
 * memory. Its size saturates, str() refuses at once, printing is cut. */
static void test_shared_items_do_not_blow_up(void **state)
{
    struct vheap *h = *state;
    struct value t = S(h, "ab"), r;
    for (int k = 0; k < 64; k++)
        t = T(h, 2, t, t);
    assert_int_equal(v_msg_size(h, t), SIZE_MAX);
    const char *msg = NULL;
    assert_int_equal(v_to_str(h, t, false, &r, &msg), VE_MEMORY);
    assert_non_null(msg);
    char buf[12];
    assert_int_equal(v_format(h, t, true, buf, sizeof buf), 11);
    assert_string_equal(buf, "((((((((...");
    /* 2^20 leaves of "ab": repr is within limits and exact. */
    t = S(h, "ab");
    for (int k = 0; k < 20; k++)
        t = T(h, 2, t, t);
    /* len(repr(t)) == 8388604 in python3 */
    assert_int_equal(v_msg_size(h, t), 8388604 + 4);
    assert_int_equal(v_to_str(h, t, true, &r, &msg), VE_OK);
    size_t n;
    const char *d = v_str_data(h, r, &n);
    assert_int_equal(n, 8388604);
    assert_memory_equal(d, "(((((((((((((((((((('ab', 'ab'), (", 34);
    assert_memory_equal(d + n - 30, "'ab', 'ab'))))))))))))))))))))", 30);
}

/* An object made between gc_begin and gc_end is not swept by that end. */
static void test_object_made_during_collection_survives(void **state)
{
    struct vheap *h = *state;
    S(h, "old");
    vheap_gc_begin(h);
    struct value fresh = S(h, "fresh");
    vheap_gc_end(h);
    assert_str_value(h, fresh, "fresh");
    assert_int_equal(fresh.ref, 2);
}

/* A clone holds the same objects under the same handles, and the two then
 * live apart. */
static void test_clone_is_deep_and_keeps_handles(void **state)
{
    struct vheap *h = *state;
    struct value a = S(h, "a"), t = T(h, 2, S(h, "x"), L(h, 1, v_int(3)));
    S(h, "garbage");
    vheap_gc_begin(h);
    vheap_mark(h, a);
    vheap_mark(h, t);
    vheap_gc_end(h);                             /* handle 5 now free */
    struct vheap c;
    assert_true(vheap_clone(&c, h));
    assert_int_equal(c.bytes, h->bytes);
    assert_string_equal(text(&c, t, true), "('x', [3])");
    assert_str_value(&c, a, "a");
    /* The same next handles on both. */
    assert_int_equal(S(&c, "n").ref, S(h, "n").ref);
    assert_int_equal(S(&c, "m").ref, S(h, "m").ref);
    /* Collecting the clone leaves the original as it was. */
    vheap_gc_begin(&c);
    vheap_gc_end(&c);
    assert_int_equal(c.bytes, 0);
    assert_string_equal(text(h, t, true), "('x', [3])");
    vheap_free(&c);
    /* A clone of an empty heap, and of a zeroed one, work too. */
    struct vheap e, z, ze;
    vheap_init(&e);
    assert_true(vheap_clone(&c, &e));
    assert_int_equal(S(&c, "q").ref, 1);
    vheap_free(&c);
    vheap_free(&e);
    memset(&z, 0, sizeof z);
    assert_true(vheap_clone(&ze, &z));
    vheap_free(&ze);
    assert_int_equal(S(&z, "q").ref, 1);
    vheap_free(&z);
}

/* A value whose handle was freed (a kernel bug) reads as empty, no crash. */
static void test_stale_handle_reads_as_empty(void **state)
{
    struct vheap *h = *state;
    struct value s = S(h, "gone"), t = T(h, 1, v_int(1));
    vheap_gc_begin(h);
    vheap_gc_end(h);
    size_t n = 9;
    v_str_data(h, s, &n);
    assert_int_equal(n, 0);
    uint32_t items = 9;
    assert_null(v_items(h, t, &items));
    assert_int_equal(items, 0);
    assert_string_equal(text(h, t, true), "()");
    assert_false(v_truthy(h, s));
    struct value bad = { .ref = 12345, .type = V_LIST };
    assert_string_equal(text(h, bad, false), "[]");
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_format_matches_python),
        T_(test_nul_byte_is_escaped_in_repr_and_kept_in_str),
        T_(test_str_of_a_string_is_the_same_value),
        T_(test_format_cuts_with_dots_and_always_terminates),
        T_(test_format_cut_keeps_utf8_characters_whole),
        T_(test_msg_size_is_the_full_repr_plus_header),
        T_(test_equality_is_pythons),
        T_(test_ordering_is_pythons),
        T_(test_ordering_errors_name_the_types_like_python),
        T_(test_add_wraps_ints_and_concatenates_sequences),
        T_(test_add_errors_are_pythons),
        T_(test_mul_wraps_ints_and_repeats_sequences),
        T_(test_mul_errors_are_pythons),
        T_(test_oversized_results_are_memory_errors),
        T_(test_full_heap_is_a_memory_error),
        T_(test_index_counts_from_either_end),
        T_(test_index_errors_are_pythons),
        T_(test_to_int_parses_like_python),
        T_(test_truth_and_type_names),
        T_(test_handles_start_at_one_and_are_reused_lowest_first),
        T_(test_same_operations_give_same_handles),
        T_(test_bytes_are_accounted_and_gc_is_due_past_the_rule),
        T_(test_mark_keeps_everything_reachable),
        T_(test_deep_nesting_needs_no_c_stack),
        T_(test_shared_items_do_not_blow_up),
        T_(test_object_made_during_collection_survives),
        T_(test_clone_is_deep_and_keeps_handles),
        T_(test_stale_handle_reads_as_empty),
    };
#undef T_
    return cmocka_run_group_tests(tests, NULL, NULL);
}
