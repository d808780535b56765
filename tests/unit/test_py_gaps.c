/*
 * test_py_gaps.c - issue 14's second session (the corpus-pending programs):
 * what the core does for every scenario, not only for translated Python:
 * an attribute named `value` (or a method named like an object's query)
 * is looked up by the receiver's run-time type; a shared array reads as a
 * list where Python reads a SynchronizedArray as a sequence (slices,
 * `in`, list(), sum() ...); a pool worker's exception keeps its message
 * made at run time; `except SystemExit as e` holds the exit code.
 * Expected texts were checked against python3 (3.11).
 */
#include "helpers.h"

/* ----------------------------------------------------- attribute `value` */

/* class C: def __init__(self): self.value = 10 ... c.value += 5 */
static void test_an_instance_attribute_named_value_is_the_instance_s(void **state)
{
    (void)state;
    static const char *const want[] = { "15 16", "'C' object has no attribute 'value'",
                                        "'list' object has no attribute 'empty'", NULL };
    expect_output("program main {\n  c = new(\"C\")\n  c.value = 10\n"
                  "  c.value = c.value + 5\n  d = new(\"C\")\n  d.value = c.value + 1\n"
                  "  print c.value d.value\n  e = new(\"C\")\n"
                  "  try {\n    print e.value\n  } except AttributeError as x {\n"
                  "    print x\n  }\n  l = []\n"
                  "  try {\n    print l.empty()\n  } except AttributeError as x {\n"
                  "    print x\n  }\n}\nspawn main\n", 2, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_instance_attribute_named_value_is_the_instance_s),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
