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

/* ------------------------------------------ a worker's exception message */

/* The text of pid's n-th EV_POOL event of kind `what` (PL_*), or NULL. */
static const char *pool_event(const struct sim *x, int what, int n)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_POOL && x->tr.ev[i].reason == what && n-- == 0)
            return trace_text(&x->tr, &x->tr.ev[i]);
    return NULL;
}

/* raise ValueError(f"bad input {x}") in a worker: get(), map(), imap's
 * next, error_callback, a future's result() and exception(), and a done
 * callback's failure all carry "bad input 3", as CPython's pickled
 * exception does; so does the event that tells it. */
static void test_a_worker_s_exception_keeps_its_message_made_at_run_time(void **state)
{
    (void)state;
    static const char *const want[] = {
        "ecb bad input 3", "get: bad input 3", "map: bad input 6", "imap: bad input 3",
        "result: bad input 9", "exception: bad input 9",
        "exception calling callback for <Future 5>: ValueError: cb 7", NULL };
    const char *src =
        "program f(x) {\n  compute 1\n  if mod(x, 3) == 0 {\n"
        "    raise ValueError \"bad input \" + str(x)\n  }\n  return x\n}\n"
        "program ecb(e) {\n  print \"ecb\" e\n}\n"
        "program cb(fu) {\n  raise ValueError \"cb \" + str(7)\n}\n"
        "program main {\n  pool p 1\n  p.apply_async f(3) error_callback=ecb -> r\n"
        "  try {\n    r.get\n  } except ValueError as e {\n    print \"get:\" e\n  }\n"
        "  try {\n    p.map f [1, 6, 4, 9] chunksize=1\n"
        "  } except ValueError as e {\n    print \"map:\" e\n  }\n"
        "  p.imap f [3] -> it\n"
        "  try {\n    it.next\n  } except ValueError as e {\n    print \"imap:\" e\n  }\n"
        "  p.close\n  p.join\n"
        "  threadpool ex 1\n  ex.submit f(9) -> a\n"
        "  try {\n    a.result\n  } except ValueError as e {\n    print \"result:\" e\n  }\n"
        "  a.exception -> w\n  print \"exception:\" w\n"
        "  ex.submit f(1) -> b\n  b.add_done_callback cb\n  b.result\n  ex.shutdown\n}\n"
        "spawn main\n";
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    assert_non_null(pool_event(&x, PL_RAISED, 0));
    assert_non_null(strstr(pool_event(&x, PL_RAISED, 0), "raised ValueError: bad input 3"));
    /* every line, whoever printed it (the handler thread prints ecb's) */
    int n = 0;
    for (size_t i = 0; i < x.tr.nev; i++) {
        if (x.tr.ev[i].kind != EV_PRINT)
            continue;
        assert_non_null(want[n]);
        assert_string_equal(trace_text(&x.tr, &x.tr.ev[i]), want[n]);
        n++;
    }
    assert_null(want[n]);
    sim_free(&x);
}

/* ------------------------------------------------------ SystemExit's code */

/* try: sys.exit(x) except SystemExit as e: e.code is x as it was (None, an
 * int, a str), so `exit c` exits with it; other exceptions still bind
 * str() of their message. */
static void test_except_system_exit_binds_the_code(void **state)
{
    (void)state;
    static const char *const want[] = {
        "3 True", "bye True", "None True", "None True", "[1] True", "boom True", "7", NULL };
    expect_output("program main {\n"
                  "  for v in [3, \"bye\", None] {\n"
                  "    try {\n      raise SystemExit (v)\n    } except SystemExit as c {\n"
                  "      print c (c == v)\n    }\n  }\n"
                  "  try {\n    raise SystemExit\n  } except BaseException as c {\n"
                  "    print c (c is None)\n  }\n"
                  "  try {\n    raise SystemExit ([1])\n  } except SystemExit as c {\n"
                  "    print c (c == [1])\n  }\n"
                  "  try {\n    raise ValueError \"boom\"\n  } except ValueError as c {\n"
                  "    print c (c == \"boom\")\n  }\n"
                  "  fork -> p\n  if p == 0 {\n"
                  "    try {\n      raise SystemExit (7)\n    } except SystemExit as c {\n"
                  "      exit c\n    }\n  }\n"
                  "  wait -> pid, st\n  print wexitstatus(st)\n}\nspawn main\n", 2, want);
}

/* ------------------------------------------ a pool's initializer, counter */

/* pool p 2 initializer=F initargs=(...) counter=V: each worker process
 * calls F(*initargs) before its first task, with its copy of the owner's
 * V counted up by its fork (multiprocessing's _process_counter: workers
 * ForkPoolWorker-2 and -3 after one Process); a replacement worker
 * (maxtasksperchild) is counted too. */
static void test_a_pool_s_initializer_and_counter(void **state)
{
    (void)state;
    static const char *const want[] = {
        "True True False 3", "['w4', 'w5', 'w6'] 7", NULL };   /* w7 replaced w6 */
    expect_output("def init(a, b) {\n  global tag\n  tag = a + str(count) + b\n}\n"
                  "def f(x) {\n  compute 3\n  return tag\n}\n"
                  "program main {\n  count = 1\n"
                  "  pool p 2 initializer=init initargs=(\"w\", \"\") counter=count\n"
                  "  p.map f [1, 2, 3] chunksize=1 -> r\n"
                  "  print (\"w2\" in r) (\"w3\" in r) (\"w4\" in r) count\n  p.terminate\n"
                  "  pool q 1 maxtasksperchild=1 initializer=init initargs=[\"w\", \"\"] "
                  "counter=count\n"
                  "  q.map f [1, 2, 3] chunksize=1 -> r\n  print r count\n  q.terminate\n"
                  "}\nspawn main\n", 2, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_instance_attribute_named_value_is_the_instance_s),
        cmocka_unit_test(test_a_shared_array_reads_as_a_sequence),
        cmocka_unit_test(test_a_worker_s_exception_keeps_its_message_made_at_run_time),
        cmocka_unit_test(test_except_system_exit_binds_the_code),
        cmocka_unit_test(test_a_pool_s_initializer_and_counter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
