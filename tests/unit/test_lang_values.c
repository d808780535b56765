/*
 * test_lang_values.c - values, exceptions and program parameters in the
 * language (issue 11 §1): what programs print, what they raise and catch,
 * and the load-time errors of the new forms.
 */
#include <stdio.h>

#include "helpers.h"

static int64_t exit_of(const struct sim *x, int pid)
{
    const struct proc_record *r = trace_find_proc(&x->tr, pid);
    if (!r || r->exited < 0)
        fail_msg("pid %d did not exit", pid);
    return r->exit_status;
}

/* Run src to its end; the caller frees. */
static void run(struct sim *x, const char *src)
{
    sim_start(x, src);
    sim_finish(x);
}

/* The first line pid 2 printed, after running src. */
static void expect_line(const char *src, const char *line)
{
    struct sim x;
    run(&x, src);
    const char *got = printed(&x, 2, 0);
    if (!got || strcmp(got, line))
        fail_msg("printed %s%s%s, expected \"%s\"\n--- source:\n%s", got ? "\"" : "",
                 got ? got : "nothing", got ? "\"" : "", line, src);
    sim_free(&x);
}

static void reject(const char *src, int line, int col, const char *msg)
{
    struct diag d;
    memset(&d, 0, sizeof d);
    struct scenario *s = scenario_parse("t.scn", src, strlen(src), &d);
    if (s) {
        scenario_free(s);
        fail_msg("accepted, expected %d:%d: %s\n--- source:\n%s", line, col, msg, src);
    }
    if (d.line != line || d.col != col || strcmp(d.msg, msg))
        fail_msg("got %d:%d: %s\nexpected %d:%d: %s", d.line, d.col, d.msg, line, col, msg);
}

#define MAIN(body) "program main {\n" body "}\nspawn main\n"

/* ------------------------------------------------------------ values */

static void test_print_shows_values_as_python_prints_them(void **state)
{
    (void)state;
    expect_line(MAIN("  print 1 \"a\" (2, \"hi\") [1, [2]] None True False (7,) ()\n"),
                "1 a (2, 'hi') [1, [2]] None True False (7,) ()");
    expect_line(MAIN("  print \"hello! \" + \"bob\"\n"), "hello! bob");
    expect_line(MAIN("  print \"ab\" * 3 (1, 2) + (3,) [0] * 2\n"), "ababab (1, 2, 3) [0, 0]");
    expect_line(MAIN("  print repr(\"it's\") repr(\"a\\nb\") str(12) + \"!\"\n"),
                "\"it's\" 'a\\nb' 12!");
    /* The contract's side-by-side form: a string, then a negative number. */
    expect_line(MAIN("  print \"n\" -1\n"), "n -1");
}

static void test_comparisons_and_truth_follow_python(void **state)
{
    (void)state;
    expect_line(MAIN("  print 1 == True (1, \"a\") == (1, \"a\") 1 == \"1\" (1,) == [1] "
                     "\"abc\" < \"abd\" (1, 2) < (1, 3) not \"\"\n"),
                "True True False False True True True");
    expect_line(MAIN("  print 0 or \"x\" \"\" and 5 [] or None 3 and 4\n"), "x  None 4");
    expect_line(MAIN("  if (0,) {\n    print \"non-empty tuple is true\"\n  }\n"),
                "non-empty tuple is true");
}

static void test_indexing_len_and_conversions(void **state)
{
    (void)state;
    expect_line(MAIN("  let t = (10, \"ab\", [3, 4])\n"
                     "  print t[0] t[-1] t[1][1] t[2][0] len(t) len(\"abc\") int(\"42\") + 1\n"),
                "10 [3, 4] b 3 3 3 43");
    expect_line(MAIN("  let a, b = (1, \"x\")\n  c, d = [a + 1, b * 2]\n  print a b c d\n"),
                "1 x 2 xx");
}

static void test_values_survive_fork_and_collection(void **state)
{
    (void)state;
    /* A string built in a loop: most of it is garbage by the end, which
     * the collector frees (run between ticks) while the live value stays. */
    struct sim x;
    run(&x, "program main {\n  let s = \"\"\n  repeat 200 {\n    s = s + \"x\"\n"
            "    compute 1\n  }\n  fork -> c\n  if c == 0 {\n    print len(s) s[0]\n"
            "    exit 0\n  }\n  wait\n  print len(s + s)\n}\nspawn main\n");
    assert_string_equal(printed(&x, 3, 0), "200 x");
    assert_string_equal(printed(&x, 2, 0), "400");
    sim_free(&x);
}

/* ------------------------------------------------------------ exceptions */

static void test_try_except_catches_by_class(void **state)
{
    (void)state;
    expect_line(MAIN("  try {\n    raise BrokenPipeError \"[Errno 32] Broken pipe\"\n"
                     "  } except EOFError {\n    print \"wrong\"\n"
                     "  } except OSError as e {\n    print \"OSError:\" e\n  }\n"),
                "OSError: [Errno 32] Broken pipe");
    expect_line(MAIN("  try {\n    let x = \"a\" + 1\n  } except {\n    print \"caught\"\n  }\n"),
                "caught");
    /* Nested: the inner clause does not match, the outer one does. */
    expect_line(MAIN("  try {\n    try {\n      let t = (1,)\n      print t[5]\n"
                     "    } except TypeError {\n      print \"inner\"\n    }\n"
                     "  } except IndexError as e {\n    print \"outer\" e\n  }\n"),
                "outer tuple index out of range");
}

static void test_uncaught_exception_ends_process_with_code_1(void **state)
{
    (void)state;
    struct sim x;
    run(&x, MAIN("  print \"before\"\n  raise Empty\n  print \"after\"\n"));
    assert_string_equal(printed(&x, 2, 0), "before");
    assert_string_equal(printed(&x, 2, 1),
                        "Traceback (most recent call last): line 3, in main: _queue.Empty");
    assert_null(printed(&x, 2, 2));
    assert_int_equal(exit_of(&x, 2), 1);
    assert_int_equal(count_events(&x, EV_RAISE, 2), 1);
    sim_free(&x);
}

static void test_uncaught_in_thread_ends_only_that_thread(void **state)
{
    (void)state;
    struct sim x;
    run(&x, "program bad {\n  raise ValueError \"no\"\n}\n"
            "program main {\n  thread bad -> t\n  join t\n  print \"main goes on\"\n}\n"
            "spawn main\n");
    assert_string_equal(printed(&x, 2, 0),
                        "Exception in thread 3: line 2, in bad: ValueError: no");
    assert_string_equal(printed(&x, 2, 1), "main goes on");
    assert_int_equal(exit_of(&x, 2), 0);
    sim_free(&x);
}

static void test_main_thread_exception_waits_for_workers_then_exits_1(void **state)
{
    (void)state;
    struct sim x;
    run(&x, "program w {\n  sleep 10\n  print \"worker done\"\n}\n"
            "program main {\n  thread w\n  raise ValueError\n}\nspawn main\n");
    assert_string_equal(printed(&x, 2, 1), "worker done");
    assert_int_equal(exit_of(&x, 2), 1);
    sim_free(&x);
}

static void test_forked_child_keeps_the_try_block(void **state)
{
    (void)state;
    struct sim x;
    run(&x, MAIN("  try {\n    fork -> c\n    raise EOFError\n"
                 "  } except EOFError {\n    print \"caught in\" getpid()\n  }\n"
                 "  if c > 0 {\n    wait\n  }\n"));
    assert_string_equal(printed(&x, 2, 0), "caught in 2");
    assert_string_equal(printed(&x, 3, 0), "caught in 3");
    assert_int_equal(exit_of(&x, 3), 0);
    sim_free(&x);
}

/* ------------------------------------------------------------ parameters */

static void test_programs_take_arguments(void **state)
{
    (void)state;
    struct sim x;
    run(&x, "program greet(name, n) {\n  print \"hello! \" + name n\n  return n * 2\n}\n"
            "program main {\n  fork greet(\"bob\", 3) -> p\n  thread greet(\"th\", 4) -> t\n"
            "  join t\n  wait\n  exec greet(\"me\", 5)\n}\n"
            "spawn main\nspawn greet(\"spawned\", (1, 2))\n");
    assert_string_equal(printed(&x, 2, 0), "hello! th 4");
    assert_string_equal(printed(&x, 2, 1), "hello! me 5");
    assert_string_equal(printed(&x, 3, 0), "hello! spawned (1, 2)");
    assert_string_equal(printed(&x, 4, 0), "hello! bob 3");
    sim_free(&x);
}

static void test_parameters_are_private_to_each_task(void **state)
{
    (void)state;
    /* Two threads of one process run the same program with different
     * arguments: each sees its own. */
    struct sim x;
    run(&x, "program w(k) {\n  sleep k * 3\n  print k\n}\n"
            "program main {\n  thread w(1)\n  thread w(2)\n}\nspawn main\n");
    assert_string_equal(printed(&x, 2, 0), "1");
    assert_string_equal(printed(&x, 2, 1), "2");
    sim_free(&x);
}

/* ------------------------------------------------------------ load errors */

static void test_new_forms_report_errors_at_load(void **state)
{
    (void)state;
    reject("program w(a) {\n}\nprogram main {\n  fork w\n}\n", 4, 8,
           "program w takes 1 argument: write w(...)");
    reject("program w(a) {\n}\nprogram main {\n  fork w(1, 2)\n}\n", 4, 8,
           "program w takes 1 argument, given 2");
    reject("program w(a, a) {\n}\n", 1, 14, "parameter 'a' is named twice");
    reject("program w(a) {\n}\nspawn w(x)\n", 3, 9,
           "a spawn's arguments must be written out (numbers, strings, None, True, False, "
           "tuples and lists of them)");
    reject(MAIN("  try {\n    compute 1\n  }\n"), 4, 4,
           "the try block opened at line 2 needs an except clause: } except NAME {");
    reject(MAIN("  try {\n    compute 1\n  } except Nope {\n  }\n"), 4, 12,
           "unknown exception 'Nope'; procsim raises: Exception, Empty, Full, EOFError, "
           "OSError, BrokenPipeError, TimeoutError, TypeError, IndexError, ValueError, "
           "AssertionError, MemoryError, UnpicklingError, RuntimeError, CancelledError, "
           "PoolTimeoutError, StopIteration, BlockingIOError, ConnectionError, "
           "ConnectionRefusedError, ConnectionResetError, ConnectionAbortedError, "
           "FileNotFoundError, InterruptedError, KeyError, FileExistsError, "
           "ZeroDivisionError, AttributeError, NameError, RecursionError, SystemExit, "
           "KeyboardInterrupt, NotImplementedError, ArithmeticError, LookupError, "
           "BaseException, ChildProcessError, ProcessLookupError");
    reject(MAIN("  try {\n    compute 1\n  } except {\n  } except EOFError {\n  }\n"), 5, 5,
           "a bare 'except' catches everything, so it must be the last clause");
    reject(MAIN("  except EOFError {\n  }\n"), 2, 3,
           "'except' must follow the '}' of a try block, on the same line: } except NAME {");
    reject(MAIN("  let x = (1, 2\n"), 2, 16, "expected ',' or ')' in a tuple, found the end "
           "of the line");
    reject(MAIN("  let a, b = \n"), 2, 14, "expected a tuple or list after '='");
    reject("handler h(x) {\n}\n", 1, 10, "a handler takes no parameters (it gets the signal only)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_print_shows_values_as_python_prints_them),
        cmocka_unit_test(test_comparisons_and_truth_follow_python),
        cmocka_unit_test(test_indexing_len_and_conversions),
        cmocka_unit_test(test_values_survive_fork_and_collection),
        cmocka_unit_test(test_try_except_catches_by_class),
        cmocka_unit_test(test_uncaught_exception_ends_process_with_code_1),
        cmocka_unit_test(test_uncaught_in_thread_ends_only_that_thread),
        cmocka_unit_test(test_main_thread_exception_waits_for_workers_then_exits_1),
        cmocka_unit_test(test_forked_child_keeps_the_try_block),
        cmocka_unit_test(test_programs_take_arguments),
        cmocka_unit_test(test_parameters_are_private_to_each_task),
        cmocka_unit_test(test_new_forms_report_errors_at_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
