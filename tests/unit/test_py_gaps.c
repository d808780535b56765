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

/* ------------------------------------------------- an array as a sequence */

/* a = Array("i", [5, 1, 4, 2]): a[1:3] [1, 4], a[::-1] ..., 4 in a ... */
static void test_a_shared_array_reads_as_a_sequence(void **state)
{
    (void)state;
    static const char *const want[] = {
        "[1, 4] [2, 4, 1, 5] [5, 1, 4, 2]", "[5, 1, 4, 2] 12 [1, 2, 4, 5] 5 1 (5, 1, 4, 2)",
        "True False True", "[0, 5, 1, 4, 2, 5, 1, 4, 2] [(5, 'x'), (1, 'y')]", "[8, 9]",
        "5 9", NULL };
    expect_output("program main {\n  new array [5, 1, 4, 2] -> a\n"
                  "  print a[1:3] a[::-1] a[:]\n"
                  "  print list(a) sum(a) sorted(a) max(a) min(a) tuple(a)\n"
                  "  print (4 in a) (7 in a) (7 not in a)\n"
                  "  l = [0]\n  eval l.extend(a)\n  l = iadd(l, a)\n"
                  "  print l list(zip(a, \"xy\"))\n"
                  "  s = []\n  for x in a {\n    if x > 3 {\n      eval s.append(x + 4)\n"
                  "    }\n  }\n  print s[::-1]\n"
                  "  b = a[:]\n  b[0] = 9\n  print a[0] b[0]\n}\nspawn main\n", 2, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_instance_attribute_named_value_is_the_instance_s),
        cmocka_unit_test(test_a_shared_array_reads_as_a_sequence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
