/*
 * test_pools.c - pools and executors (sim/objects/pool*.c, issue 12):
 * multiprocessing.Pool's workers, task queue, result handler thread,
 * apply/map/callbacks/close/join/terminate/maxtasksperchild, the handles
 * (AsyncResult, Future) and their collection, ThreadPoolExecutor and
 * ProcessPoolExecutor, snapshots, clones, and the parser's pool statements.
 */
#include "helpers.h"

#include <stdio.h>

#include "kernel.h"

static void reject(const char *src, const char *msg)
{
    struct diag d;
    struct scenario *s = scenario_parse("t.scn", src, strlen(src), &d);
    if (s) {
        scenario_free(s);
        fail_msg("parsed, expected: %s", msg);
    }
    if (!strstr(d.msg, msg))
        fail_msg("got \"%s\", expected \"%s\"", d.msg, msg);
}

/* The n-th (0-based) EV_POOL event of this reason, or NULL. */
static const struct event *pev(const struct sim *x, int reason, int nth)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_POOL && x->tr.ev[i].reason == reason && nth-- == 0)
            return &x->tr.ev[i];
    return NULL;
}

static int npev(const struct sim *x, int reason)
{
    int n = 0;
    while (pev(x, reason, n))
        n++;
    return n;
}

/* The line printed by any task (tid) in order: the n-th, or NULL; *tid
 * gets who printed it. */
static const char *said(const struct sim *x, int n, int *tid)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_PRINT && n-- == 0) {
            if (tid)
                *tid = x->tr.ev[i].tid;
            return trace_text(&x->tr, &x->tr.ev[i]);
        }
    return NULL;
}

static void expect_said(const struct sim *x, int n, const char *text)
{
    const char *s = said(x, n, NULL);
    if (!s || strcmp(s, text))
        fail_msg("line %d: got \"%s\", expected \"%s\"", n, s ? s : "(none)", text);
}

#define F_SQUARE "program f(x) {\n  compute 3\n  return x * x\n}\n"

/* ------------------------------------------------------------ Pool */

static void test_pool_forks_its_workers_one_a_tick(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n" F_SQUARE
                  "program main {\n  pool p 3\n  sleep 20\n}\nspawn main\n");
    sim_at(&x, 1);
    assert_int_equal(x.snap.npools, 1);
    assert_int_equal(x.snap.pools[0].nworkers, 1);       /* worker 3 from tick 1 */
    assert_int_equal(task_of(&x, 3)->ppid, 2);
    assert_string_equal(task_of(&x, 3)->comm, "PoolWorker");
    sim_at(&x, 3);
    assert_int_equal(x.snap.pools[0].nworkers, 3);
    assert_int_equal(x.snap.pools[0].owner, 2);
    assert_string_equal(x.snap.pools[0].name, "p");
    assert_int_equal(x.snap.pools[0].kind, POOLK_MP);
    assert_int_equal(x.snap.pools[0].state, 'R');
    /* the result handler: a daemon thread of the owner, made with the last fork */
    int h = x.snap.pools[0].handler_tid;
    assert_true(h > 5);
    sim_at(&x, 6);
    int seen = 0;
    for (int i = 0; i < x.snap.ntasks; i++)
        if (x.snap.tasks[i].tid == h) {
            assert_int_equal(x.snap.tasks[i].pid, 2);
            assert_true(x.snap.tasks[i].daemon);
            assert_string_equal(x.s->programs[x.snap.tasks[i].prog].name, "_handle_results");
            assert_string_equal(x.snap.tasks[i].wchan, "p");
            seen++;
        }
    assert_int_equal(seen, 1);
    /* idle workers sleep on the pool */
    assert_int_equal(state_of(&x, 3), 'S');
    assert_string_equal(task_of(&x, 3)->wchan, "p");
    assert_int_equal(npev(&x, PL_FORK_WORKER), 3);
    sim_free(&x);
}

/* The notes' Pool(4) with 5 tasks: 0-3 start at once, 4 waits for the
 * first worker to come free; with Pool(5) all start at once. */
static void test_four_workers_five_tasks(void **state)
{
    (void)state;
    for (int n = 4; n <= 5; n++) {
        char src[600];
        snprintf(src, sizeof src, "config cpus=8\n"
                 "program f(x) {\n  compute 10\n  return x * x\n}\n"
                 "program main {\n  pool p %d\n  sleep 10\n  repeat 5 {\n"
                 "    p.apply_async f(1)\n  }\n  p.close\n  p.join\n}\nspawn main\n", n);
        struct sim x;
        sim_start(&x, src);
        sim_finish(&x);
        assert_int_equal(npev(&x, PL_TAKE), 5);
        int64_t first = pev(&x, PL_TAKE, 0)->tick;
        int late = 0;
        for (int i = 0; i < 5; i++)
            late += pev(&x, PL_TAKE, i)->tick > first + 4;   /* the submits: a tick each */
        assert_int_equal(late, n == 4 ? 1 : 0);
        if (n == 4) {
            const struct event *w = pev(&x, PL_WAITS, 0);
            assert_non_null(w);
            assert_int_equal(w->a, 4);                        /* task 4 waits */
            assert_int_equal(w->b, 4);                        /* all 4 busy */
            assert_int_equal(pev(&x, PL_TAKE, 4)->a, 4);
            /* it goes to a worker that finished a task */
            assert_true(pev(&x, PL_TAKE, 4)->tick >= pev(&x, PL_RESULT, 0)->tick);
        } else {
            assert_null(pev(&x, PL_WAITS, 0));
        }
        assert_int_equal(machine_status(x.m), MS_EMPTY);
        sim_free(&x);
    }
}

static void test_apply_map_and_results(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n" F_SQUARE
                  "program main {\n  pool p 2\n  p.apply f(7) -> a\n  print a\n"
                  "  p.apply_async f(3) -> r\n  print r r == r r.ready()\n  r.wait\n"
                  "  print r.ready() r.successful()\n  r.get -> v\n  print v\n"
                  "  p.map f [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] -> L\n  print L\n"
                  "  p.map f [] -> E\n  print E\n"
                  "  p.starmap g [(1, 2), (3, 4)] -> S\n  print S\n"
                  "  p.close\n  p.join\n}\n"
                  "program g(a, b) {\n  return a + b\n}\nspawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "49");
    expect_said(&x, 1, "<AsyncResult 2> True False");
    expect_said(&x, 2, "True True");
    expect_said(&x, 3, "9");
    expect_said(&x, 4, "[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]");
    expect_said(&x, 5, "[]");
    expect_said(&x, 6, "[3, 7]");
    /* map's chunks: ceil(10 / (4 x 2)) = 2 items each: 5 tasks, numbered
     * by their first item */
    int chunks = 0;
    for (int i = 0; pev(&x, PL_SUBMIT, i); i++)
        if (pev(&x, PL_SUBMIT, i)->b == 2) {
            assert_int_equal(pev(&x, PL_SUBMIT, i)->a, 2 + 2 * chunks);
            chunks++;
        }
    assert_int_equal(chunks, 5);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

static void test_chunksize_option_and_map_async(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n" F_SQUARE
                  "program cb(L) {\n  print \"cb\" L\n}\n"
                  "program main {\n  pool p 4\n"
                  "  p.map_async f [1, 2, 3, 4, 5, 6, 7] chunksize=3 callback=cb -> r\n"
                  "  r.get -> L\n  print L\n  p.terminate\n}\nspawn main\n");
    sim_finish(&x);
    /* chunks of 3, 3, 1: tasks 0, 3, 6 */
    assert_int_equal(npev(&x, PL_SUBMIT), 3);
    assert_int_equal(pev(&x, PL_SUBMIT, 1)->a, 3);
    assert_int_equal(pev(&x, PL_SUBMIT, 2)->b, 1);
    int cbtid;
    assert_string_equal(said(&x, 0, &cbtid), "cb [1, 4, 9, 16, 25, 36, 49]");
    assert_int_equal(cbtid, 7);            /* the handler thread (workers 3-6) */
    expect_said(&x, 1, "[1, 4, 9, 16, 25, 36, 49]");
    sim_free(&x);
}

/* A task that raises: get raises the same in the caller; the worker
 * lives on; error_callback runs in the handler thread; a map raises the
 * first failure after all its chunks are back. */
static void test_failing_tasks(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\n"
                  "program f(x) {\n  compute 1\n  if x == 2 {\n    raise ValueError \"bad\"\n"
                  "  }\n  return x\n}\n"
                  "program ecb(e) {\n  print \"ecb\" e\n}\n"
                  "program main {\n  pool p 1\n  p.apply_async f(2) error_callback=ecb -> r\n"
                  "  try {\n    r.get\n  } except ValueError as e {\n    print \"get:\" e\n  }\n"
                  "  print r.ready() r.successful()\n"
                  "  p.apply f(5) -> v\n  print v\n"
                  "  try {\n    p.map f [1, 2, 3] chunksize=1\n"
                  "  } except ValueError as e {\n    print \"map:\" e\n  }\n"
                  "  p.close\n  p.join\n}\nspawn main\n");
    sim_finish(&x);
    int tid;
    assert_string_equal(said(&x, 0, &tid), "ecb bad");
    assert_int_equal(tid, 4);
    expect_said(&x, 1, "get: bad");
    expect_said(&x, 2, "True False");
    expect_said(&x, 3, "5");
    expect_said(&x, 4, "map: bad");
    /* one worker did everything: it survived the failures */
    for (int i = 0; pev(&x, PL_TAKE, i); i++)
        assert_int_equal(pev(&x, PL_TAKE, i)->b, 3);
    assert_int_equal(npev(&x, PL_TAKE), 5);
    assert_int_equal(npev(&x, PL_RAISED), 2);
    sim_free(&x);
}

static void test_misuse_raises_what_python_raises(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, F_SQUARE
                  "program main {\n  pool p 1\n"
                  "  try {\n    p.join\n  } except ValueError as e {\n    print e\n  }\n"
                  "  p.apply_async f(1) -> r\n"
                  "  try {\n    print r.successful()\n  } except ValueError as e {\n"
                  "    print e\n  }\n"
                  "  p.close\n"
                  "  try {\n    p.apply_async f(1)\n  } except ValueError as e {\n    print e\n  }\n"
                  "  x = 3\n  try {\n    x.get\n  } except TypeError {\n    print \"not a handle\"\n  }\n"
                  "  try {\n    r.result\n  } except TypeError {\n    print \"not a future\"\n  }\n"
                  "  p.join\n"
                  "  pool q 0\n}\nspawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "Pool is still running");
    expect_said(&x, 1, "<AsyncResult> not ready");
    expect_said(&x, 2, "Pool not running");
    expect_said(&x, 3, "not a handle");
    expect_said(&x, 4, "not a future");
    const char *tb = said(&x, 5, NULL);
    assert_non_null(tb);
    assert_non_null(strstr(tb, "ValueError: Number of processes must be at least 1"));
    sim_free(&x);
}

/* A worker's fork fails (max_procs): OSError, as Process.start raises; the
 * workers made so far are terminated. */
static void test_fork_failure_raises_oserror(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config max_procs=4\n" F_SQUARE
                  "program main {\n  try {\n    pool p 5\n  } except OSError as e {\n"
                  "    print \"OSError\" e\n  }\n}\nspawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "OSError [Errno 11] Resource temporarily unavailable");
    assert_int_equal(npev(&x, PL_FORK_WORKER), 2);
    assert_int_equal(trace_find_proc(&x.tr, 3)->exit_status, -SIG_TERM);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* After close, an idle worker stays until every task of the pool is done
 * (CPython's worker handler sends the sentinels once the cache is empty);
 * a thread executor's idle worker leaves at shutdown at once. */
static void test_close_keeps_idle_workers_until_done(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n"
                  "program f(x) {\n  compute x\n  return x\n}\n"
                  "program main {\n  pool p 2\n  sleep 5\n  p.apply_async f(30)\n"
                  "  sleep 5\n  p.close\n  sleep 5\n  p.join\n}\nspawn main\n");
    sim_at(&x, 18);
    /* worker 4 is idle (3 took the task), and still there after close */
    assert_int_equal(state_of(&x, 4), 'S');
    sim_finish(&x);
    const struct event *e = pev(&x, PL_WORKER_EXIT, 0);
    assert_non_null(e);
    assert_true(e->tick > pev(&x, PL_RESULT, 0)->tick);
    sim_free(&x);
    sim_start(&x, "config cpus=4\n"
                  "program f(x) {\n  compute x\n  return x\n}\n"
                  "program main {\n  threadpool ex 2\n  ex.submit f(30)\n  ex.submit f(1)\n"
                  "  sleep 5\n  ex.shutdown wait=False\n  sleep 5\n}\nspawn main\n");
    sim_finish(&x);
    e = pev(&x, PL_WORKER_EXIT, 0);
    assert_non_null(e);
    assert_true(e->tick < pev(&x, PL_RESULT, 1)->tick);   /* before f(30) ends */
    sim_free(&x);
}

/* terminate: SIGTERM to every worker, pending tasks never run; the `with`
 * pitfall is the same; a get on such a task times out. */
static void test_terminate_and_the_with_pitfall(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n" F_SQUARE
                  "program main {\n  with pool p 2 {\n    p.apply_async f(1) -> r\n"
                  "    p.apply_async f(2)\n    p.apply_async f(3)\n    p.apply_async f(4)\n  }\n"
                  "  try {\n    r.get timeout=5 -> v\n  } except PoolTimeoutError {\n"
                  "    print \"never\"\n  }\n  try {\n    r.get timeout=5 -> v\n"
                  "  } except TimeoutError {\n    print \"wrong\"\n  } except Exception {\n"
                  "    print \"not the builtin TimeoutError\"\n  }\n}\nspawn main\n");
    sim_finish(&x);
    const struct event *t = pev(&x, PL_TERMINATE, 0);
    assert_non_null(t);
    assert_int_equal(t->a, 2);             /* 2 queued never run */
    assert_int_equal(t->b, 2);             /* 2 running are killed */
    assert_int_equal(npev(&x, PL_TAKE), 2);
    assert_int_equal(npev(&x, PL_HANDLED), 0);
    expect_said(&x, 0, "never");
    expect_said(&x, 1, "not the builtin TimeoutError");
    /* the workers died of SIGTERM and were reaped by the owner */
    const struct proc_record *w = trace_find_proc(&x.tr, 3);
    assert_non_null(w);
    assert_int_equal(w->exit_status, -SIG_TERM);
    assert_true(w->reaped >= 0);
    sim_free(&x);
}

static void test_maxtasksperchild_replaces_workers(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n" F_SQUARE
                  "program main {\n  pool p 2 maxtasksperchild=2\n"
                  "  p.map f [1, 2, 3, 4, 5, 6, 7, 8] chunksize=1 -> L\n  print L\n"
                  "  p.close\n  p.join\n}\nspawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "[1, 4, 9, 16, 25, 36, 49, 64]");
    /* 8 tasks, 2 each: 4 workers did them; 3 replacements (the last
     * worker to do its 2 exits at close instead) */
    int per[64] = { 0 };
    for (int i = 0; pev(&x, PL_TAKE, i); i++)
        per[pev(&x, PL_TAKE, i)->b]++;
    int workers = 0;
    for (int p = 0; p < 64; p++) {
        assert_true(per[p] <= 2);
        workers += per[p] > 0;
    }
    assert_int_equal(workers, 4);
    assert_true(npev(&x, PL_REPLACE) >= 2);
    const struct event *r = pev(&x, PL_REPLACE, 0);
    assert_true(r->b > r->a);              /* a new pid */
    assert_int_equal(trace_find_proc(&x.tr, (int)r->b)->ppid, 2);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* Callbacks run in the owner's result handler thread, in the order the
 * results come back. */
static void test_callbacks_in_result_order(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n"
                  "program f(x) {\n  compute x\n  return x\n}\n"
                  "program cb(r) {\n  print \"cb\" r\n}\n"
                  "program main {\n  pool p 3\n"
                  "  p.apply_async f(9) callback=cb\n  p.apply_async f(1) callback=cb\n"
                  "  p.apply_async f(5) callback=cb -> r\n  sleep 30\n  p.close\n  p.join\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    int tid;
    assert_string_equal(said(&x, 0, &tid), "cb 1");
    assert_int_equal(tid, 6);
    expect_said(&x, 1, "cb 5");
    expect_said(&x, 2, "cb 9");
    sim_free(&x);
}

/* A done callback that raises is logged and the worker goes on
 * (Future._invoke_callbacks); a Pool callback that raises ends the result
 * handler thread: later results are never handled (get times out; CPython
 * 3.11's join would then wait for ever, and its terminate fails). */
static void test_callbacks_that_raise(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n" F_SQUARE
                  "program bad(r) {\n  raise ValueError \"oops\"\n}\n"
                  "program main {\n  threadpool ex 1\n  ex.submit f(2) -> a\n"
                  "  a.add_done_callback bad\n  a.result -> v\n  ex.submit f(3) -> b\n"
                  "  b.result -> w\n  print v w\n  ex.shutdown\n"
                  "  pool p 1\n  p.apply_async f(1) callback=bad -> r\n  p.apply_async f(2) -> s\n"
                  "  try {\n    s.get timeout=30\n  } except PoolTimeoutError {\n"
                  "    print \"never handled\"\n  }\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    int tid;
    assert_string_equal(said(&x, 0, &tid), "exception calling callback for <Future 1>: "
                        "ValueError: oops");
    assert_int_equal(tid, 3);
    expect_said(&x, 1, "4 9");
    const char *tb = said(&x, 2, &tid);
    assert_non_null(strstr(tb, "Exception in thread"));
    assert_non_null(strstr(tb, "in bad: ValueError: oops"));
    expect_said(&x, 3, "never handled");
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* Handles nobody holds are collected: a million tasks do not keep a
 * million records; a held handle keeps its result. */
static void test_unreferenced_jobs_are_collected(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=8\nprogram f(x) {\n  return x\n}\n"
                  "program main {\n  pool p 4\n  p.apply_async f(42) -> keep\n  i = 0\n"
                  "  repeat 5000 {\n    p.apply_async f(i) -> r\n    i = i + 1\n  }\n"
                  "  keep.get -> v\n  print v\n  p.close\n  p.join\n}\nspawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "42");
    machine_collect(x.m);
    assert_true(x.m->npjobs <= 2);         /* keep, and the last r */
    sim_free(&x);
}

/* imap gives the items in order as their tasks come back, imap_unordered as
 * they come; a failed item raises at its place; StopIteration after the
 * last; with chunks of 2 a failure ends the iterator. */
static void test_imap(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n"
                  "program f(x) {\n  compute 10 - x * 2\n  if x == 3 {\n    raise ValueError \"three\"\n"
                  "  }\n  return x * x\n}\n"
                  "program main {\n  pool p 4\n  p.imap f [1, 2, 3, 4] -> it\n"
                  "  p.imap_unordered f [1, 2, 4] -> u\n"
                  "  repeat 5 {\n    try {\n      it.next -> x\n      print \"imap\" x\n"
                  "    } except ValueError as e {\n      print \"raised\" e\n"
                  "    } except StopIteration {\n      print \"done\"\n    }\n  }\n"
                  "  u.next -> a\n  u.next -> b\n  u.next -> c\n  print a b c\n"
                  "  p.imap f [1, 2, 3, 4] chunksize=2 -> k\n  k.next -> a\n  k.next -> b\n"
                  "  try {\n    k.next\n  } except ValueError {\n    print \"chunk raised\"\n  }\n"
                  "  try {\n    k.next\n  } except StopIteration {\n    print \"ended\" a b\n  }\n"
                  "  try {\n    p.imap f [1] chunksize=0\n  } except ValueError as e {\n    print e\n  }\n"
                  "  try {\n    it.get\n  } except TypeError {\n    print \"no get\" it\n  }\n"
                  "  p.close\n  p.join\n}\nspawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "imap 1");
    expect_said(&x, 1, "imap 4");
    expect_said(&x, 2, "raised three");
    expect_said(&x, 3, "imap 16");
    expect_said(&x, 4, "done");
    expect_said(&x, 5, "16 4 1");          /* f(4) is the quickest */
    expect_said(&x, 6, "chunk raised");
    expect_said(&x, 7, "ended 1 4");
    expect_said(&x, 8, "Chunksize must be 1+");
    expect_said(&x, 9, "no get <IMapIterator 1>");
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* A handle kept only inside a list keeps its record through collections
 * (the asan build collects every tick). */
static void test_handle_in_a_list_is_kept(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\nprogram f(x) {\n  return x\n}\n"
                  "program main {\n  pool p 2\n  p.apply_async f(7) -> r\n  L = [1, (r, 2)]\n"
                  "  r = 0\n  i = 0\n  repeat 3000 {\n    p.apply_async f(i) -> s\n"
                  "    i = i + 1\n  }\n  h = L[1][0]\n  h.get -> v\n  print v h == L[1][0]\n"
                  "  p.close\n  p.join\n}\nspawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "7 True");
    sim_free(&x);
}

/* The workers' forks pay fork_cost, one after another, in the owner; a
 * worker's exit pays exit_cost. */
static void test_creation_costs(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4 fork_cost=3 exit_cost=2\n" F_SQUARE
                  "program main {\n  pool p 2\n  p.close\n  p.join\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(pev(&x, PL_FORK_WORKER, 0)->tick, 2);   /* the third tick */
    assert_int_equal(pev(&x, PL_FORK_WORKER, 1)->tick, 5);
    const struct proc_record *w = trace_find_proc(&x.tr, 3);
    assert_non_null(w);
    assert_true(w->cpu_ticks >= 2);        /* its exit's 2 ticks */
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* A clone taken mid-run goes on exactly as the original. */
static void test_clone_goes_on_the_same(void **state)
{
    (void)state;
    const char *src = "config cpus=3\n" F_SQUARE
                      "program cb(r) {\n  print \"cb\" r\n}\n"
                      "program main {\n  pool p 2 maxtasksperchild=1\n"
                      "  p.map_async f [1, 2, 3, 4, 5] chunksize=2 callback=cb -> r\n"
                      "  p.apply_async f(6) -> s\n  r.get -> L\n  s.get -> v\n  print L v\n"
                      "  p.close\n  p.join\n}\nspawn main\n";
    struct sim a, b;
    sim_start(&a, src);
    sim_start(&b, src);
    sim_at(&a, 12);
    /* the clone goes on writing to the same trace (as run.c's checkpoints) */
    struct machine *c = machine_clone(a.m, &a.tr);
    assert_non_null(c);
    machine_free(a.m);
    a.m = c;
    sim_finish(&a);
    sim_finish(&b);
    assert_int_equal(machine_tick(a.m), machine_tick(b.m));
    assert_int_equal(a.snap.npools, b.snap.npools);
    int n = 0;
    for (const char *sa; (sa = said(&a, n, NULL)); n++) {
        const char *sb = said(&b, n, NULL);
        assert_non_null(sb);
        assert_string_equal(sa, sb);
    }
    assert_null(said(&b, n, NULL));
    assert_int_equal(n, 2);
    expect_said(&a, 0, "cb [1, 4, 9, 16, 25]");
    expect_said(&a, 1, "[1, 4, 9, 16, 25] 36");
    sim_free(&a);
    sim_free(&b);
}

static void test_snapshot_shows_queue_workers_and_results(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n"
                  "program f(x) {\n  compute 20\n  return x\n}\n"
                  "program main {\n  pool p 2\n  p.apply_async f(1)\n  p.apply_async f(2)\n"
                  "  p.apply_async f(3)\n  p.apply_async f(4)\n  sleep 100\n}\nspawn main\n");
    sim_at(&x, 10);
    const struct snap_pool *p = &x.snap.pools[0];
    assert_int_equal(p->npending, 2);
    assert_int_equal(p->pending[0].id, 2);
    assert_string_equal(p->pending[0].func, "f");
    assert_string_equal(p->pending[0].args, "(3,)");
    assert_int_equal(p->pending[0].state, JOB_PENDING);
    assert_int_equal(p->workers[0].job + p->workers[1].job, 0 + 1);
    assert_int_equal(p->submitted, 4);
    sim_at(&x, 60);
    p = &x.snap.pools[0];
    assert_int_equal(p->completed, 4);
    assert_int_equal(p->ndone, 4);
    assert_int_equal(p->done[0].id, 3);    /* newest first */
    assert_string_equal(p->done[0].result, "4");
    assert_int_equal(p->done[0].state, JOB_DONE);
    assert_int_equal(p->workers[0].tasks_done + p->workers[1].tasks_done, 4);
    sim_free(&x);
}

/* ------------------------------------------------------------ executors */

static void test_thread_pool_executor(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\n"
                  "program f(x) {\n  compute 3\n  return x + 100\n}\n"
                  "program done(fu) {\n  print \"done\" fu.done() gettid()\n}\n"
                  "program main {\n  threadpool ex 2\n  ex.submit f(1) -> a\n"
                  "  ex.submit f(2) -> b\n  ex.submit f(3) -> c\n  ex.submit f(4) -> d\n"
                  "  d.cancel -> ok\n  a.cancel -> ok2\n  print ok ok2 d.cancelled() a.running()\n"
                  "  a.add_done_callback done\n  a.result -> v\n  print v\n"
                  "  try {\n    d.result\n  } except CancelledError {\n    print \"cancelled\"\n  }\n"
                  "  ex.map f [5, 6] -> L\n  print L\n  ex.shutdown\n"
                  "  try {\n    ex.submit f(9)\n  } except RuntimeError as e {\n    print e\n  }\n"
                  "  a.add_done_callback done\n}\nspawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "True False True True");
    int tid;
    assert_string_equal(said(&x, 1, &tid), "done True 3");
    assert_int_equal(tid, 3);              /* in the worker thread that ran it */
    expect_said(&x, 2, "101");
    expect_said(&x, 3, "cancelled");
    expect_said(&x, 4, "[105, 106]");
    expect_said(&x, 5, "cannot schedule new futures after shutdown");
    assert_string_equal(said(&x, 6, &tid), "done True 2");   /* at once, in the caller */
    /* workers are threads of the owner, made on submit, at most 2 */
    assert_int_equal(count_events(&x, EV_THREAD_START, 2), 2);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* The snapshot gives a pool's size and shows a cancelled future among the
 * last results, for the window. */
static void test_snapshot_shows_size_and_cancelled_futures(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program f(x) {\n  compute 30\n  return x\n}\n"
                  "program main {\n  threadpool ex 1\n  ex.submit f(1) -> a\n"
                  "  ex.submit f(2) -> b\n  b.cancel -> ok\n  sleep 10\n  a.result\n}\n"
                  "spawn main\n");
    sim_at(&x, 8);
    assert_int_equal(x.snap.npools, 1);
    const struct snap_pool *p = &x.snap.pools[0];
    assert_int_equal(p->size, 1);
    assert_int_equal(p->npending, 0);
    assert_int_equal(p->ndone, 1);
    assert_int_equal(p->done[0].state, JOB_CANCELLED);
    assert_string_equal(p->done[0].func, "f");
    sim_finish(&x);
    sim_free(&x);
}

/* Future.cancel runs the future's done callbacks in the canceller, before
 * it returns; one that raises is logged and the next still runs. */
static void test_cancel_runs_done_callbacks(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=2\n" F_SQUARE
                  "program cb(fu) {\n  compute 2\n  print \"cb\" fu.cancelled() gettid()\n}\n"
                  "program bad(fu) {\n  raise ValueError \"no\"\n}\n"
                  "program main {\n  threadpool ex 1\n  ex.submit f(1) -> a\n  ex.submit f(2) -> b\n"
                  "  b.add_done_callback bad\n  b.add_done_callback cb\n"
                  "  b.cancel -> ok\n  print \"cancel\" ok\n  ex.shutdown\n}\nspawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "exception calling callback for <Future 2>: ValueError: no");
    int tid;
    assert_string_equal(said(&x, 1, &tid), "cb True 2");
    assert_int_equal(tid, 2);
    expect_said(&x, 2, "cancel True");
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
    /* shutdown cancel_futures=True: the same, for each future it cancels,
     * in the order they were submitted */
    sim_start(&x, "config cpus=2\n" F_SQUARE
                  "program cb(fu) {\n  print \"cb\" fu fu.cancelled()\n}\n"
                  "program main {\n  threadpool ex 1\n  ex.submit f(1) -> a\n  ex.submit f(2) -> b\n"
                  "  ex.submit f(3) -> c\n  c.add_done_callback cb\n  b.add_done_callback cb\n"
                  "  ex.shutdown cancel_futures=True\n  print \"shut\" a.done() b.cancelled()\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    expect_said(&x, 0, "cb <Future 2> True");
    expect_said(&x, 1, "cb <Future 3> True");
    expect_said(&x, 2, "shut True True");
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

static void test_process_pool_executor(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\n"
                  "program f(x) {\n  compute 20\n  return x * 2\n}\n"
                  "program main {\n  processpool ex 2\n  sleep 3\n  ex.submit f(1) -> a\n"
                  "  ex.submit f(2) -> b\n  ex.submit f(3) -> c\n  ex.submit f(4) -> d\n"
                  "  ex.submit f(5) -> e\n  ex.submit f(6) -> g\n  g.cancel -> ok\n"
                  "  e.cancel -> ok2\n  print ok ok2\n"
                  "  try {\n    a.result timeout=1\n  } except TimeoutError {\n    print \"timeout\"\n  }\n"
                  "  b.result -> v\n  print v\n  ex.shutdown\n}\nspawn main\n");
    sim_at(&x, 3);
    assert_int_equal(x.snap.npools, 1);
    assert_int_equal(x.snap.pools[0].nworkers, 0);   /* none before the first submit */
    sim_finish(&x);
    /* a and b run; the call queue of max_workers + 1 = 3 holds c, d, e,
     * which count as running: only the 6th item can be cancelled */
    expect_said(&x, 0, "True False");
    expect_said(&x, 1, "timeout");
    expect_said(&x, 2, "4");
    assert_int_equal(npev(&x, PL_FORK_WORKER), 2);
    assert_int_equal(pev(&x, PL_FORK_WORKER, 0)->tick, 5);   /* the first submit */
    assert_int_equal(pev(&x, PL_FORK_WORKER, 1)->tick, 6);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* ------------------------------------------------------------ parsing */

static void test_parse_pool_statements(void **state)
{
    (void)state;
    struct scenario *s = load(F_SQUARE "program cb(r) {\n  print r\n}\n"
                              "program main {\n  pool p 4 maxtasksperchild=2\n"
                              "  p.apply f(1) -> v\n  p.map_async f [1] chunksize=2 callback=cb "
                              "error_callback=cb -> r\n  with threadpool ex {\n"
                              "    ex.submit f(2) -> fu\n  }\n  print fu.done()\n}\n"
                              "spawn main\n");
    assert_int_equal(s->npools, 2);
    assert_string_equal(s->pools[0].name, "p");
    assert_int_equal(s->pools[1].kind, PK_THREADS);
    const struct program *m = &s->programs[2];
    assert_int_equal(m->code[0].op, OP_POOL);
    assert_int_equal(m->code[0].method, PM_NEW);
    assert_non_null(m->code[0].e2);                      /* maxtasksperchild */
    /* apply = apply_async then get */
    assert_int_equal(m->code[1].method, PM_APPLY_ASYNC);
    assert_int_equal(m->code[2].method, PM_GET);
    assert_int_equal(m->code[3].method, PM_MAP_ASYNC);
    assert_int_equal(m->code[3].cb, 1);
    assert_int_equal(m->code[3].ecb, 1);
    assert_int_equal(m->code[6].method, PM_SHUTDOWN);    /* the with block's end */
    /* hidden programs: the workers of both kinds, Pool's result handler */
    assert_true(s->pool_worker_prog[PK_POOL] >= 0);
    assert_true(s->pool_handler_prog[PK_POOL] >= 0);
    assert_true(s->pool_worker_prog[PK_THREADS] >= 0);
    assert_int_equal(s->pool_handler_prog[PK_THREADS], -1);
    assert_int_equal(s->pool_worker_prog[PK_PROCESSES], -1);
    assert_string_equal(s->programs[s->pool_worker_prog[PK_POOL]].name, "PoolWorker");
    scenario_free(s);
}

static void test_parse_errors(void **state)
{
    (void)state;
    reject("pool p 2\n", "'pool' must be inside a program or handler");
    reject(F_SQUARE "program main {\n  pool p\n  p.mapp f [1]\n}\n",
           "Pool 'p' has no method 'mapp'");
    reject(F_SQUARE "program main {\n  pool p\n  p.apply_async f(1) callback=f2\n}\n"
           "program f2(a, b) {\n  print a\n}\n", "callback program f2 must take 1 argument");
    reject(F_SQUARE "program main {\n  pool p\n  p.apply_async f(1) error_callback=f2\n}\n"
           "program f2 {\n  print 1\n}\n", "error_callback program f2 must take 1 argument");
    reject(F_SQUARE "program main {\n  pool p\n  p.map f [1] chunksize\n}\n",
           "expected '=' after 'chunksize'");
    reject(F_SQUARE "program main {\n  pool p\n  p.map f [1] timeout=3\n}\n",
           "unknown option 'timeout' for p.map");
    reject(F_SQUARE "program main {\n  threadpool p\n  p.submit f(1) callback=f\n}\n",
           "unknown option 'callback' for p.submit; it takes none");
    reject(F_SQUARE "program main {\n  pool p\n  processpool p\n}\n",
           "'p' is a Pool (line 6)");
    reject("program main {\n  with pool p 2\n  print 1\n}\n", "expected '{'");
    reject(F_SQUARE "program main {\n  p.apply f(1)\n  pool p\n}\n", "unknown object 'p'");
    reject(F_SQUARE "program main {\n  pool p\n  p.apply f\n}\n",
           "program f takes 1 argument: write f(...)");
    reject(F_SQUARE "program main {\n  threadpool ex\n  ex.submit f(1) -> fu\n"
           "  print fu.done(1)\n}\n", "done() takes no arguments");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_forks_its_workers_one_a_tick),
        cmocka_unit_test(test_four_workers_five_tasks),
        cmocka_unit_test(test_apply_map_and_results),
        cmocka_unit_test(test_chunksize_option_and_map_async),
        cmocka_unit_test(test_failing_tasks),
        cmocka_unit_test(test_misuse_raises_what_python_raises),
        cmocka_unit_test(test_fork_failure_raises_oserror),
        cmocka_unit_test(test_close_keeps_idle_workers_until_done),
        cmocka_unit_test(test_terminate_and_the_with_pitfall),
        cmocka_unit_test(test_maxtasksperchild_replaces_workers),
        cmocka_unit_test(test_callbacks_in_result_order),
        cmocka_unit_test(test_callbacks_that_raise),
        cmocka_unit_test(test_unreferenced_jobs_are_collected),
        cmocka_unit_test(test_imap),
        cmocka_unit_test(test_handle_in_a_list_is_kept),
        cmocka_unit_test(test_creation_costs),
        cmocka_unit_test(test_clone_goes_on_the_same),
        cmocka_unit_test(test_snapshot_shows_queue_workers_and_results),
        cmocka_unit_test(test_thread_pool_executor),
        cmocka_unit_test(test_snapshot_shows_size_and_cancelled_futures),
        cmocka_unit_test(test_cancel_runs_done_callbacks),
        cmocka_unit_test(test_process_pool_executor),
        cmocka_unit_test(test_parse_pool_statements),
        cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
