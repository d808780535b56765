/*
 * test_fuzz_found.c - bugs the runtime campaign (fuzz/gen.c) found in the
 * values of issue 14, each pinned by what CPython 3.11 gives (comments show
 * python3's output). The campaign's own replay files are in
 * fuzz/runtime-regressions/; these check the exact results.
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

/* (0).decode() -> AttributeError: 'int' object has no attribute 'decode'.
 * The message named the type from a buffer that only an instance's class
 * name fills: stack garbage for every other type (runs differed). */
static void test_missing_method_names_the_type(void **state)
{
    struct vheap *h = *state;
    static const struct { struct value v; const char *want; } cases[] = {
        { { .type = V_INT, .i = 0 }, "'int' object has no attribute 'decode'" },
        { { .type = V_NONE }, "'NoneType' object has no attribute 'decode'" },
        { { .type = V_BOOL, .i = 1 }, "'bool' object has no attribute 'decode'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct value out;
        const char *msg = NULL;
        bool found;
        assert_int_equal(v_method(h, cases[i].v, "decode", NULL, 0, &out, &msg, &found),
                         VE_ATTRIBUTE);
        assert_false(found);
        assert_non_null(msg);
        assert_string_equal(msg, cases[i].want);
    }
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_missing_method_names_the_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
