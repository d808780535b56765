/* test_mux.c - select, poll, epoll and selectors (sim/mux), and the
 * expression additions they brought (masks, |, &, in, for). */
#include "helpers.h"
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

static const struct snap_mux *mux_of(const struct sim *x, int tid)
{
    for (int i = 0; i < x->snap.nmuxes; i++)
        if (x->snap.muxes[i].tid == tid)
            return &x->snap.muxes[i];
    return NULL;
}

static int64_t cpu_of(const struct sim *x, int pid)
{
    const struct proc_record *r = trace_find_proc(&x->tr, pid);
    assert_non_null(r);
    return r->cpu_ticks;
}

static void test_select_waits_for_data_and_eof_is_readable(void **state)
{
    (void)state;
    expect_output(
        "program main {\n  pipe -> r, w simplex\n  select [r], [w], [r] timeout=0 -> a, b, c\n"
        "  print a b c\n}\nspawn main\n", 2, (const char *const[]){ "[] [4] []", NULL });
    struct sim x;
    sim_start(&x, "program writer(w) {\n  sleep 10\n  w.send 1\n}\n"
                  "program main {\n  pipe -> r, w simplex\n  fork writer(w)\n  w.close\n"
                  "  select [r], [], [] -> a, b, c\n  print a\n  r.recv\n"
                  "  select [r], [], [] -> a, b, c\n  print a\n}\nspawn main\n");
    sim_at(&x, 8);
    /* blocked in select: wchan "select", the set it watches, no result yet */
    const struct snap_task *t = task_of(&x, 2);
    assert_int_equal(t->state, 'S');
    assert_string_equal(t->wchan, "select");
    const struct snap_mux *mx = mux_of(&x, 2);
    assert_non_null(mx);
    assert_true(mx->waiting);
    assert_int_equal(mx->kind, MUXK_SELECT);
    assert_int_equal(mx->nwatched, 1);
    assert_int_equal(mx->watched[0], 3);
    assert_int_equal(mx->nready, -1);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "[3]");     /* the message */
    assert_string_equal(printed(&x, 2, 1), "[3]");     /* EOF: readable */
    sim_free(&x);
}

static void test_select_results_timeout_and_errors(void **state)
{
    (void)state;
    expect_output(
        "program writer(w) {\n  sleep 10\n  w.send 1\n  sleep 10\n}\n"
        "program main {\n  pipe -> r, w simplex\n  fork writer(w)\n  w.close\n"
        "  select [r], [], [] -> a, b, c\n  print now() a\n  r.recv -> m\n"
        "  select [r], [], [] timeout=3 -> t\n  print now() t\n"
        "  select [r], [], [] -> a, b, c\n  print now() a\n"
        "  try {\n    select [1024], [], []\n  } except ValueError as e {\n    print e\n  }\n"
        "  try {\n    select [50], [], []\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    select 3, [], []\n  } except TypeError as e {\n    print e\n  }\n"
        "}\nspawn main\n",
        2, (const char *const[]){ "17 [3]", "24 ([], [], [])", "33 [3]",
                                  "filedescriptor out of range in select()",
                                  "[Errno 9] Bad file descriptor",
                                  "arguments 1-3 must be sequences", NULL });
}

/* After a select returns, none of its watches is left (poll_freewait). */
static void test_select_leaves_no_watch_behind(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "program writer(w) {\n  sleep 5\n  w.send 1\n  sleep 20\n}\n"
                  "program main {\n  pipe -> r, w simplex\n  pipe -> r2, w2 simplex\n"
                  "  fork writer(w)\n  select [r, r2], [], [] -> a, b, c\n  sleep 10\n}\n"
                  "spawn main\n");
    sim_at(&x, 4);
    int s = x.m->procs[proc_slot(x.m, 2)].main_task;
    assert_true(fwatch_of_task(x.m, s) >= 0);
    sim_at(&x, 12);
    assert_int_equal(fwatch_of_task(x.m, s), -1);
    sim_free(&x);
}

/* select over N fds costs N x scan_cost: 1000 fds at 29 ns with tick=1us
 * is 29 us: 1 + 29 ticks; epoll_wait with one event costs ready_cost. */
static void test_select_costs_per_fd_epoll_per_event(void **state)
{
    (void)state;
    static const char *const body[2] = {
        "  select l, [], [] timeout=0 -> r, w, x\n  print len(r)\n",
        "  epoll -> ep\n  for fd in l {\n    ep.register fd EPOLLIN\n  }\n"
        "  b.send 1\n  ep.poll 0 -> ev\n  print ev\n",
    };
    int64_t cpu[2][2];
    for (int k = 0; k < 2; k++)
        for (int with = 0; with < 2; with++) {
            char src[1000];
            snprintf(src, sizeof src,
                     "config tick=1us nofile=2100\n"
                     "program main {\n  l = []\n  repeat 500 {\n    pipe -> a, b simplex\n"
                     "    l = l + [a, b]\n  }\n%s  sleep 1\n}\nspawn main\n",
                     with ? body[k] : "");
            struct sim x;
            sim_start(&x, src);
            sim_finish(&x);
            cpu[k][with] = cpu_of(&x, 2);
            if (with)
                assert_string_equal(printed(&x, 2, 0), k ? "[(1001, 1)]" : "0");
            sim_free(&x);
        }
    /* select: its tick + 1000 x 29 ns = 29 ticks of 1 us; the print 1 */
    assert_int_equal(cpu[0][1] - cpu[0][0], 1 + 29 + 1);
    /* epoll: 1000 registers, a send, the wait: 1 + 400 ns = 0.4 tick (carried,
     * not a tick yet); the print 1 */
    assert_int_equal(cpu[1][1] - cpu[1][0], 1000 + 1 + 1 + 1 + 1);
}

/* Fractions of a tick carry over: 5 calls of 0.4 tick cost 5 + 2 ticks. */
static void test_cost_fractions_add_up(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config scan_cost=400us\nprogram main {\n  pipe -> r, w simplex\n"
                  "  repeat 5 {\n    select [r], [], [] timeout=0\n  }\n}\nspawn main\n");
    sim_finish(&x);
    /* pipe 1 + 5 selects + 2 carried ticks + the end (exit) 1 */
    assert_int_equal(cpu_of(&x, 2), 1 + 5 + 2 + 1);
    sim_free(&x);
}

static void test_epoll_level_edge_oneshot_and_round_robin(void **state)
{
    (void)state;
    expect_output(
        "program main {\n  pipe -> r, w simplex\n  w.send 1\n  w.send 2\n"
        "  epoll -> lt\n  lt.register r\n  lt.poll 0 -> e\n  print e\n"
        "  r.recv\n  lt.poll 0 -> e\n  print e\n  r.recv\n  lt.poll 0 -> e\n  print e\n"
        "  w.send 3\n  w.send 4\n  epoll -> et\n  et.register r EPOLLIN | EPOLLET\n"
        "  et.poll 0 -> e\n  print e\n  r.recv\n  et.poll 5 -> e\n  print now() e\n"
        "  w.send 5\n  et.poll 0 -> e\n  print e\n"
        "  epoll -> os\n  os.register r EPOLLIN | EPOLLONESHOT\n  os.poll 0 -> e\n  print e\n"
        "  os.poll 0 -> e\n  print e\n  os.modify r EPOLLIN\n  os.poll 0 -> e\n  print e\n"
        "}\nspawn main\n",
        2, (const char *const[]){ "[(3, 1)]", "[(3, 1)]", "[]", "[(3, 1)]", "27 []",
                                  "[(3, 1)]", "[(3, 1)]", "[]", "[(3, 1)]", NULL });
    /* the edge-triggered reader that read one message of two and waits
     * again without a timeout waits forever (epoll(7)) */
    struct sim x;
    sim_start(&x, "program main {\n  pipe -> r, w simplex\n  w.send 1\n  w.send 2\n"
                  "  epoll -> et\n  et.register r EPOLLIN | EPOLLET\n  et.poll -> e\n"
                  "  r.recv\n  et.poll -> e\n  print \"never\"\n}\nspawn main\n");
    sim_finish(&x);
    assert_null(printed(&x, 2, 0));        /* waits forever: a message is left */
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "epoll_wait");
    sim_free(&x);
    /* three ready level-triggered fds, maxevents=2: the third comes first
     * next time, then the first again (ep_send_events puts them back last) */
    expect_output(
        "program main {\n  pipe -> a, b simplex\n  pipe -> c, d simplex\n"
        "  pipe -> e, f simplex\n  b.send 1\n  d.send 1\n  f.send 1\n  epoll -> ep\n"
        "  ep.register a EPOLLIN\n  ep.register c EPOLLIN\n  ep.register e EPOLLIN\n"
        "  ep.poll 0 maxevents=2 -> x\n  print x\n  ep.poll 0 maxevents=2 -> x\n  print x\n"
        "}\nspawn main\n",
        2, (const char *const[]){ "[(3, 1), (5, 1)]", "[(7, 1), (3, 1)]", NULL });
}

/* Closing the last fd of a file takes it off every interest list; closing
 * the epoll fd frees the instance; its fd appears in the snapshot. */
static void test_epoll_close_and_snapshot(void **state)
{
    (void)state;
    const char *src =
        "program main {\n  pipe -> r, w simplex\n  pipe -> r2, w2 simplex\n  epoll -> ep\n"
        "  ep.register r EPOLLIN\n  ep.register r2 EPOLLIN\n  ep.poll 5 -> e\n"
        "  r.close\n  ep.poll 0 -> e\n  print e\n  sleep 10\n  ep.close\n"
        "  try {\n    ep.poll 0 -> e\n  } except OSError as x {\n    print x\n  }\n"
        "}\nspawn main\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 8);
    const struct snap_mux *mx = mux_of(&x, 2);
    assert_non_null(mx);
    assert_int_equal(mx->kind, MUXK_EPOLL);
    assert_true(mx->waiting);
    assert_int_equal(mx->epfd, 7);
    assert_int_equal(mx->nwatched, 2);
    assert_string_equal(task_of(&x, 2)->wchan, "epoll_wait");
    bool seen = false;
    for (int i = 0; i < x.snap.nfds; i++) {
        if (i > 0)
            assert_true(x.snap.fds[i].pid > x.snap.fds[i - 1].pid ||
                        x.snap.fds[i].fd > x.snap.fds[i - 1].fd);
        if (x.snap.fds[i].fd == 7) {
            assert_int_equal(x.snap.fds[i].kind, SFD_EPOLL);
            seen = true;
        }
    }
    assert_true(seen);
    sim_at(&x, 16);
    mx = mux_of(&x, 2);
    assert_int_equal(mx->nwatched, 1);     /* r is gone from the interest list */
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "[]");
    assert_string_equal(printed(&x, 2, 1), "[Errno 9] Bad file descriptor");
    sim_free(&x);
}

static void test_epoll_and_poll_errors(void **state)
{
    (void)state;
    expect_output(
        "program main {\n  pipe -> r, w simplex\n  epoll -> ep\n  ep.register r\n"
        "  try {\n    ep.register r\n  } except FileExistsError as e {\n    print e\n  }\n"
        "  try {\n    ep.modify w EPOLLOUT\n  } except FileNotFoundError as e {\n    print e\n  }\n"
        "  try {\n    ep.register 40\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    ep.register ep\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    r.register w\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    ep.poll 0 maxevents=0\n  } except ValueError as e {\n    print e\n  }\n"
        "  poll -> p\n  p.register r\n  p.register r POLLIN\n  p.unregister r\n"
        "  try {\n    p.unregister r\n  } except KeyError {\n    print \"KeyError\"\n  }\n"
        "  print p\n"
        "}\nspawn main\n",
        2, (const char *const[]){ "[Errno 17] File exists", "[Errno 2] No such file or directory",
                                  "[Errno 9] Bad file descriptor", "[Errno 22] Invalid argument",
                                  "[Errno 22] Invalid argument",
                                  "maxevents must be greater than 0", "KeyError",
                                  "<select.poll 2>", NULL });
}

/* poll: registration order, POLLNVAL for a closed fd, blocking and waking */
static void test_poll_object(void **state)
{
    (void)state;
    expect_output(
        "program writer(w) {\n  sleep 10\n  w.send 1\n}\n"
        "program main {\n  pipe -> r, w simplex\n  pipe -> r2, w2 simplex\n"
        "  fork writer(w)\n  w.close\n  poll -> p\n  p.register r2 POLLOUT\n  p.register r\n"
        "  p.poll 0 -> e\n  print e\n  p.unregister r2\n  p.poll -> e\n  print now() e\n"
        "  p.register w2 POLLOUT\n  p.poll -> e\n  print e\n  w2.close\n  p.poll 0 -> e\n"
        "  print e\n}\nspawn main\n",
        2, (const char *const[]){ "[]", "25 [(3, 17)]", "[(3, 17), (6, 4)]",
                                  "[(3, 17), (6, 32)]",
                                  NULL });
}

static void test_selector_masks_and_data(void **state)
{
    (void)state;
    expect_output(
        "program main {\n  pipe -> r, w simplex\n  selector -> sel\n"
        "  sel.register r EVENT_READ (\"reader\", 1)\n  sel.register w EVENT_WRITE | EVENT_READ\n"
        "  sel.select 0 -> e\n  print e\n  w.send 1\n  sel.select 0 -> e\n  print e\n"
        "  sel.modify w EVENT_READ \"w\"\n  sel.select 0 -> e\n  print e\n"
        "  try {\n    sel.register 99 3\n  } except OSError as x {\n    print x\n  }\n"
        "  try {\n    sel.register r 4\n  } except ValueError {\n    print \"ValueError\"\n  }\n"
        "}\nspawn main\n",
        2, (const char *const[]){ "[(4, 2, None)]", "[(4, 2, None), (3, 1, ('reader', 1))]",
                                  "[(3, 1, ('reader', 1))]", "[Errno 9] Bad file descriptor",
                                  "ValueError", NULL });
}

/* Closing an fd before unregistering it: epoll forgets it (unregister of
 * the closed fd is EBADF), a selector keeps its key until unregister, which
 * then succeeds (CPython ignores the kernel's EBADF), as does registering
 * the fd number again before that (KeyError). */
static void test_close_before_unregister(void **state)
{
    (void)state;
    expect_output(
        "program main {\n  pipe -> r, w simplex\n  epoll -> ep\n  ep.register r EPOLLIN\n"
        "  selector -> sel\n  sel.register r EVENT_READ\n  r.close\n"
        "  try {\n    ep.unregister r\n  } except OSError as x {\n    print \"epoll:\" x\n  }\n"
        "  pipe -> r2, w2 simplex\n"
        "  try {\n    sel.register r2 EVENT_READ\n  } except KeyError {\n    print \"KeyError\"\n  }\n"
        "  sel.unregister r\n  sel.register r2 EVENT_READ \"new\"\n  w2.send 1\n"
        "  sel.select 0 -> e\n  print r2 e\n}\nspawn main\n",
        2, (const char *const[]){ "epoll: [Errno 9] Bad file descriptor", "KeyError", "3 [(3, 1, 'new')]", NULL });
}

/* A checkpoint taken while a task waits in epoll_wait goes on the same. */
static void test_clone_mid_wait_goes_on_the_same(void **state)
{
    (void)state;
    const char *src =
        "program writer(w) {\n  repeat 5 {\n    sleep 7\n    w.send 1\n  }\n}\n"
        "program main {\n  pipe -> r, w simplex\n  fork writer(w)\n  epoll -> ep\n"
        "  ep.register r EPOLLIN | EPOLLET\n  selector -> s\n  s.register r EVENT_READ 9\n"
        "  repeat 5 {\n    ep.poll -> e\n    r.recv\n    print now() e\n  }\n}\nspawn main\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 10);
    struct machine *c = machine_clone(x.m, NULL);
    assert_non_null(c);
    struct snapshot cs;
    snapshot_init(&cs);
    for (int64_t T = 11; T < 50; T++) {
        sim_at(&x, T);
        machine_end_tick(c);
        machine_begin_tick(c);
        machine_snapshot(c, &cs);
        assert_int_equal(cs.ntasks, x.snap.ntasks);
        for (int i = 0; i < cs.ntasks; i++)
            assert_int_equal(cs.tasks[i].state, x.snap.tasks[i].state);
        assert_int_equal(cs.nmuxes, x.snap.nmuxes);
        for (int i = 0; i < cs.nmuxes; i++) {
            assert_int_equal(cs.muxes[i].waiting, x.snap.muxes[i].waiting);
            assert_int_equal(cs.muxes[i].nready, x.snap.muxes[i].nready);
            assert_int_equal(cs.muxes[i].nwatched, x.snap.muxes[i].nwatched);
        }
    }
    snapshot_free(&cs);
    machine_free(c);
    sim_free(&x);
}

/* A handler interrupts a select. With eintr=return (C's way, the default)
 * the select fails with EINTR after the handler: InterruptedError. With
 * eintr=retry (CPython's, PEP 475) it goes on with its deadline: called at 2
 * with timeout=20, it returns at 23 as without the handler (its print is at
 * 24), not 20 ticks after the handler. */
static void test_select_after_a_handler_eintr_or_retry(void **state)
{
    (void)state;
    const char *body =
        "handler h {\n  print \"handler at\" now()\n}\n"
        "program main {\n  signal SIGUSR1 h\n  pipe -> r, w simplex\n"
        "  try {\n    select [r], [], [] timeout=20 -> t\n"
        "    print \"select returns\" t \"at\" now()\n"
        "  } except InterruptedError as e {\n    print e \"at\" now()\n  }\n"
        "}\nspawn main\nat 8 kill 2 SIGUSR1\n";
    char src[1000];
    snprintf(src, sizeof src, "%s", body);
    expect_output(src, 2, (const char *const[]){ "handler at 8",
                                                  "[Errno 4] Interrupted system call at 10",
                                                  NULL });
    snprintf(src, sizeof src, "config eintr=retry\n%s", body);
    expect_output(src, 2, (const char *const[]){ "handler at 8",
                                                  "select returns ([], [], []) at 24", NULL });
}

static void test_expressions_masks_bits_in_for(void **state)
{
    (void)state;
    expect_output(
        "program main {\n  print POLLIN | POLLOUT EPOLLET EPOLLONESHOT EVENT_WRITE\n"
        "  print 7 & 2 | 8 (POLLIN | POLLHUP) & POLLHUP == POLLHUP\n"
        "  print 3 in [1, 3] 4 in (1, 2) (\"el\" in \"hello\") not 2 in [1]\n"
        "  for c in \"abc\" {\n    print c\n  }\n  n = 0\n  for v in [] {\n    n = 1\n  }\n"
        "  for t in [(1, 2), (3, 4)] {\n    print t[0] + t[1]\n  }\n  print n\n}\nspawn main\n",
        2, (const char *const[]){ "5 2147483648 1073741824 2", "10 True",
                                  "True False True True", "a", "b", "c", "3", "7", "0", NULL });
}

static void test_mux_syntax_errors(void **state)
{
    (void)state;
    static const struct { const char *src, *msg; } bad[] = {
        { "program main {\n  select [1], []\n}\n", "select takes three lists" },
        { "program main {\n  select [1], [], [] -> a, b\n}\n", "select gives three lists" },
        { "program main {\n  epoll\n}\n", "expected '-> NAME' after 'epoll'" },
        { "program main {\n  epoll -> ep\n  ep.modify 3\n}\n", "expected an event mask" },
        { "program main {\n  for x [1] {\n  }\n}\n", "expected 'in' after 'for x'" },
        { "program main {\n  for x in [1]\n}\n", "expected '{'" },
        { "program main {\n  select [1], [], [] timeout 3\n}\n", "expected '=' after 'timeout'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct diag d;
        struct scenario *s = scenario_parse("t.scn", bad[i].src, strlen(bad[i].src), &d);
        if (s)
            fail_msg("accepted: %s", bad[i].src);
        if (!strstr(d.msg, bad[i].msg))
            fail_msg("%s: got \"%s\", expected \"%s\"", bad[i].src, d.msg, bad[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_waits_for_data_and_eof_is_readable),
        cmocka_unit_test(test_select_results_timeout_and_errors),
        cmocka_unit_test(test_select_leaves_no_watch_behind),
        cmocka_unit_test(test_select_costs_per_fd_epoll_per_event),
        cmocka_unit_test(test_cost_fractions_add_up),
        cmocka_unit_test(test_epoll_level_edge_oneshot_and_round_robin),
        cmocka_unit_test(test_epoll_close_and_snapshot),
        cmocka_unit_test(test_epoll_and_poll_errors),
        cmocka_unit_test(test_poll_object),
        cmocka_unit_test(test_selector_masks_and_data),
        cmocka_unit_test(test_close_before_unregister),
        cmocka_unit_test(test_clone_mid_wait_goes_on_the_same),
        cmocka_unit_test(test_select_after_a_handler_eintr_or_retry),
        cmocka_unit_test(test_expressions_masks_bits_in_for),
        cmocka_unit_test(test_mux_syntax_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
