/* test_green.c - gevent-style greenlets in one kernel task (sim/coro). */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

/* The tick of pid's n-th print, -1 none. */
static int64_t print_tick(const struct sim *x, int pid, int n)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_PRINT && x->tr.ev[i].pid == pid && n-- == 0)
            return x->tr.ev[i].tick;
    return -1;
}

static bool green_event_says(const struct sim *x, const char *part)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_GREEN && strstr(trace_text(&x->tr, &x->tr.ev[i]), part))
            return true;
    return false;
}

static const struct snap_green *green_of(const struct sim *x, int id)
{
    for (int i = 0; i < x->snap.ngreens; i++)
        if (x->snap.greens[i].id == id)
            return &x->snap.greens[i];
    return NULL;
}

static const char *const two_sleepers =
    "program worker(n) {\n"
    "  repeat 3 {\n    print \"w\" n\n    gevent.sleep n\n  }\n"
    "  return n\n}\n"
    "program main {\n"
    "  gevent.spawn worker(1) -> a\n  gevent.spawn worker(2) -> b\n"
    "  gevent.joinall [a, b] -> done\n  print \"done\" done\n}\n"
    "spawn main\n";

/* gevent.sleep N parks for N ticks as `sleep N` would (executed in tick T,
 * runnable again at T+N+1), and the others run meanwhile, in the order
 * they became ready. */
static void test_sleep_interleaves_greenlets(void **state)
{
    (void)state;
    expect_output(two_sleepers, 2, (const char *const[]){
        "w 1", "w 2", "w 1", "w 2", "w 1", "w 2", "done [1, 2]", NULL });
    struct sim x;
    sim_start(&x, two_sleepers);
    sim_finish(&x);
    /* spawn 0, 1; joinall parks at 2; w1 prints at 3, sleeps 1 at 4
     * (ready at 6); w2 prints at 5, sleeps 2 at 6 (ready at 9); w1 again
     * at 7, sleeps at 8 (ready at 10); nothing is ready at 8: the hub
     * waits until 9. */
    assert_int_equal(print_tick(&x, 2, 0), 3);
    assert_int_equal(print_tick(&x, 2, 1), 5);
    assert_int_equal(print_tick(&x, 2, 2), 7);
    assert_int_equal(print_tick(&x, 2, 3), 9);
    assert_true(green_event_says(&x, "pid 2: greenlet 1 (worker) sleeps 1 tick; "
                                     "switch to greenlet 2 (worker)"));
    assert_true(green_event_says(&x, "no greenlet is ready: the hub waits"));
    sim_free(&x);
}

/* The kernel sees one task: switching between ready greenlets is no
 * context switch, and the task sleeps (in the hub) only when none is
 * ready. */
static void test_kernel_sees_one_task_that_rarely_sleeps(void **state)
{
    (void)state;
    const char *src =
        "program worker(n) {\n  repeat 5 {\n    compute 2\n    gevent.sleep 1\n  }\n}\n"
        "program main {\n"
        "  gevent.spawn worker(1) -> a\n  gevent.spawn worker(2) -> b\n"
        "  gevent.spawn worker(3) -> c\n  gevent.joinall [a, b, c]\n}\n"
        "spawn main\n";
    struct sim x;
    sim_start(&x, src);
    /* 3 greenlets x 5 x (2 ticks of compute + 1 of sleep): while one
     * sleeps another computes, so the thread stays R ... */
    for (int64_t T = 1; T < 49; T++) {
        sim_at(&x, T);
        assert_int_equal(state_of(&x, 2), 'R');
    }
    sim_finish(&x);
    const struct proc_record *r = trace_find_proc(&x.tr, 2);
    assert_int_equal(r->exit_status, 0);
    /* ... until the end, when the last one's sleep 1 is all there is: the
     * hub's one sleep (and the exit's) are its only voluntary switches */
    int hub_sleeps = 0;
    for (size_t i = 0; i < x.tr.nev; i++)
        hub_sleeps += x.tr.ev[i].kind == EV_GREEN &&
                      strstr(trace_text(&x.tr, &x.tr.ev[i]), "the hub waits") != NULL;
    assert_int_equal(hub_sleeps, 1);
    assert_true(r->nvcsw <= 2);
    assert_int_equal(x.snap.ngreens, 0);       /* gone with its thread */
    sim_free(&x);
}

static const char *const readers =
    "program reader(fd, name) {\n  fd.recv -> msg\n  print name msg\n}\n"
    "program ticker {\n  repeat 4 {\n    print \"tick\"\n    gevent.sleep 2\n  }\n}\n"
    "program writer(w) {\n  sleep 12\n  w.send \"hi\"\n}\n"
    "program main {\n"
    "  PATCH\n"
    "  pipe -> r, w\n  fork writer(w)\n"
    "  gevent.spawn ticker -> t\n  gevent.spawn reader(r, \"got\") -> g\n"
    "  gevent.joinall [t, g]\n  wait\n}\n"
    "spawn main\n";

static char *with_patch(const char *patch)
{
    char *s = malloc(strlen(readers) + 32);
    const char *at = strstr(readers, "PATCH");
    sprintf(s, "%.*s%s%s", (int)(at - readers), readers, patch, at + 5);
    return s;
}

/* Patched, a recv that would block parks its greenlet on the fd and the
 * ticker goes on; unpatched, the recv blocks the whole thread, so the
 * ticker stops until the message comes. */
static void test_patched_recv_parks_unpatched_blocks_the_thread(void **state)
{
    (void)state;
    char *patched = with_patch("monkey.patch_all");
    char *unpatched = with_patch("x = 0");
    struct sim x;
    sim_start(&x, patched);
    sim_at(&x, 10);
    const struct snap_green *g = green_of(&x, 2);
    assert_non_null(g);
    assert_int_equal(g->state, GREEN_WAIT_FD);
    assert_int_equal(g->wait_fd, 3);
    assert_string_equal(g->name, "reader");
    sim_finish(&x);
    /* the ticker printed 4 times before the message came at 12+ */
    assert_string_equal(printed(&x, 2, 4), "got hi");
    assert_true(green_event_says(&x, "greenlet 2 (reader) waits for fd 3 (recv would block)"));
    sim_free(&x);

    sim_start(&x, unpatched);
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "pipe");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 1), "got hi");     /* the ticker waited */
    assert_true(print_tick(&x, 2, 2) > 12);
    sim_free(&x);
    free(patched);
    free(unpatched);
}

/* With every greenlet waiting, the task sleeps in the hub (wchan "hub");
 * the write wakes it through its readiness watch. */
static void test_hub_blocks_until_a_watch_fires(void **state)
{
    (void)state;
    const char *src =
        "program reader(fd) {\n  fd.recv -> msg\n  print \"got\" msg\n}\n"
        "program writer(w) {\n  sleep 8\n  w.send \"x\"\n}\n"
        "program main {\n  monkey.patch_all\n  pipe -> r, w\n  fork writer(w)\n"
        "  gevent.spawn reader(r) -> g\n  g.join\n  wait\n}\n"
        "spawn main\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 7);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "hub");
    assert_int_equal(x.snap.ngreens, 2);
    assert_int_equal(x.snap.greens[0].id, 0);
    assert_string_equal(x.snap.greens[0].name, "main");
    assert_int_equal(x.snap.greens[0].state, GREEN_JOIN);
    assert_int_equal(x.snap.greens[1].state, GREEN_WAIT_FD);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "got x");
    const struct proc_record *r = trace_find_proc(&x.tr, 2);
    assert_int_equal(r->exit_status, 0);
    assert_true(green_event_says(&x, "hub wakes: switch to greenlet 1 (reader)"));
    sim_free(&x);
}

/* A run stuck with a hub waiting names what each greenlet waits for. */
static void test_stuck_hub_is_explained(void **state)
{
    (void)state;
    const char *src =
        "program reader(r) {\n  r.recv -> m\n}\n"
        "program main {\n  monkey.patch_all\n  pipe -> r, w\n"
        "  gevent.spawn reader(r) -> g\n  g.join\n}\nspawn main\n";
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_STUCK);
    assert_true(green_event_says(&x, "pid 2's hub waits forever: the main greenlet waits for "
                                     "greenlet 1 (reader); greenlet 1 (reader) waits for fd 3"));
    sim_free(&x);
}

/* Patched `sleep` is gevent.sleep; snapshots show the wake tick. */
static void test_patched_sleep_switches(void **state)
{
    (void)state;
    const char *src =
        "program napper {\n  sleep 5\n  print \"napped\"\n}\n"
        "program main {\n  monkey.patch_all\n  gevent.spawn napper -> a\n"
        "  gevent.sleep 0\n  print \"main runs\"\n  a.join\n}\n"
        "spawn main\n";
    expect_output(src, 2, (const char *const[]){ "main runs", "napped", NULL });
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 5);
    const struct snap_green *g = green_of(&x, 1);
    assert_non_null(g);
    assert_int_equal(g->state, GREEN_SLEEP);
    assert_int_equal(g->wake_at, 3 + 5 + 1);       /* slept in tick 3 */
    sim_free(&x);
}

/* An uncaught exception ends its greenlet only (gevent prints it and goes
 * on); try blocks and calls are per greenlet. */
static void test_exception_ends_only_its_greenlet(void **state)
{
    (void)state;
    struct sim x;
    const char *src2 =
        "program bad {\n  gevent.sleep 1\n  raise ValueError \"bad\"\n}\n"
        "program good {\n  try {\n    gevent.sleep 3\n    raise TypeError \"k\"\n"
        "  } except Exception {\n    print \"caught\"\n  }\n"
        "  call add(1) -> r\n  print r\n}\n"
        "program add(k) {\n  gevent.sleep 1\n  return k + 1\n}\n"
        "program main {\n  gevent.spawn bad -> a\n  gevent.spawn good -> b\n"
        "  gevent.joinall [a, b]\n  print \"main ends\"\n}\n"
        "spawn main\n";
    expect_output(src2, 2, (const char *const[]){
        "Traceback (most recent call last): line 3, in bad: ValueError: bad",
        "caught", "2", "main ends", NULL });
    sim_start(&x, src2);
    sim_finish(&x);
    assert_int_equal(trace_find_proc(&x.tr, 2)->exit_status, 0);
    sim_free(&x);
}

/* join timeout=N gives up; a joined greenlet that ended returns at once;
 * joinall's result lists those that ended, in the order they ended
 * (gevent.joinall returns gevent.wait's list). */
static void test_join_timeout_and_joinall_result(void **state)
{
    (void)state;
    const char *src =
        "program slow {\n  gevent.sleep 20\n}\n"
        "program quick {\n  gevent.sleep 1\n}\n"
        "program main {\n  gevent.spawn slow -> a\n  gevent.spawn quick -> b\n"
        "  a.join timeout=5\n  print \"timed out\"\n"
        "  gevent.joinall [a, b] timeout=2 -> done\n  print done\n"
        "  gevent.joinall [a, b] -> done\n  print done\n}\n"
        "spawn main\n";
    expect_output(src, 2, (const char *const[]){ "timed out", "[2]", "[2, 1]", NULL });
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    assert_true(green_event_says(&x, "join returns: greenlet 1 (slow) runs on (timeout)"));
    assert_true(green_event_says(&x, "join returns: 1 of 2 ended (timeout)"));
    sim_free(&x);
}

/* Joining what is not a greenlet, or itself, raises. */
static void test_join_errors_raise(void **state)
{
    (void)state;
    expect_output(
        "program main {\n  x = 5\n  try {\n    x.join\n  } except TypeError as e {\n"
        "    print e\n  }\n  gevent.joinall 3\n}\nspawn main\n",
        2, (const char *const[]){ "not a greenlet (a value from gevent.spawn)",
                                  "Traceback (most recent call last): line 8, in main: "
                                  "TypeError: gevent.joinall takes a list of greenlets",
                                  NULL });
}

/* Each greenlet has its own parameters and `local` variables; the
 * others are its process's, shared (Python's globals). */
static void test_variables_per_greenlet(void **state)
{
    (void)state;
    const char *src =
        "program w(name) {\n  local mine = name + \"!\"\n  common = name\n"
        "  gevent.sleep 1\n  print name mine common\n}\n"
        "program main {\n  gevent.spawn w(\"a\") -> a\n  gevent.spawn w(\"b\") -> b\n"
        "  gevent.joinall [a, b]\n}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){ "a a! b", "b b! b", NULL });
}

/* A checkpoint (machine_clone) with greenlets parked goes on the same. */
static void test_clone_mid_run_goes_on_the_same(void **state)
{
    (void)state;
    char *src = with_patch("monkey.patch_all");
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 6);
    struct machine *c = machine_clone(x.m, NULL);
    assert_non_null(c);
    struct snapshot cs;
    snapshot_init(&cs);
    for (int64_t T = 7; T < 30; T++) {
        sim_at(&x, T);
        machine_end_tick(c);
        machine_begin_tick(c);
        machine_snapshot(c, &cs);
        assert_int_equal(cs.ntasks, x.snap.ntasks);
        for (int i = 0; i < cs.ntasks; i++)
            assert_int_equal(cs.tasks[i].state, x.snap.tasks[i].state);
        assert_int_equal(cs.ngreens, x.snap.ngreens);
        for (int i = 0; i < cs.ngreens; i++) {
            assert_int_equal(cs.greens[i].state, x.snap.greens[i].state);
            assert_int_equal(cs.greens[i].line, x.snap.greens[i].line);
        }
    }
    snapshot_free(&cs);
    machine_free(c);
    sim_free(&x);
    free(src);
}

/* A patched socket's settimeout holds in its greenlet: TimeoutError "timed
 * out" after N ticks parked, while the other greenlets go on. */
static void test_socket_timeout_raises_in_the_greenlet(void **state)
{
    (void)state;
    const char *src =
        "program reader(c) {\n  c.settimeout 5\n  try {\n    c.recv 10 -> d\n"
        "    print \"got\" d\n  } except TimeoutError as e {\n    print \"reader:\" e\n  }\n}\n"
        "program other {\n  repeat 2 {\n    print \"other runs\"\n    gevent.sleep 2\n  }\n}\n"
        "program main {\n  monkey.patch_all\n  socketpair -> a, b\n"
        "  gevent.spawn reader(a) -> r\n  gevent.spawn other -> o\n"
        "  gevent.joinall [r, o]\n}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){
        "other runs", "reader: timed out", "other runs", NULL });
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    /* parked at 6 (after spawns, joinall, settimeout): raised at 6 + 5 */
    const struct event *e = find_event(&x, EV_RAISE, 2);
    assert_non_null(e);
    assert_int_equal(e->a, EXC_TIMEOUT);
    assert_int_equal(e->tick, 11);
    sim_free(&x);
}

/* The echo server: accept parks the main greenlet on the listening fd; the
 * handlers park on their connections; the thread serves both clients. */
static void test_patched_socket_server_serves_clients_in_turn(void **state)
{
    (void)state;
    const char *src =
        "program handler(c) {\n  c.recv 100 -> d\n  c.sendall d + \"!\"\n  c.close\n}\n"
        "program server {\n  monkey.patch_all\n  socket -> s\n  s.bind 9000\n  s.listen 5\n"
        "  repeat 2 {\n    s.accept -> c\n    gevent.spawn handler(c)\n  }\n  gevent.sleep 30\n}\n"
        "program client(name) {\n  sleep 5\n  socket -> s\n  s.connect 9000\n"
        "  s.send name -> n\n  s.recv 100 -> back\n  print back\n}\n"
        "spawn server\nspawn client(\"ann\") at=1\nspawn client(\"bob\") at=1\n"
        "config cpus=4\n";
    expect_output(src, 3, (const char *const[]){ "ann!", NULL });
    expect_output(src, 4, (const char *const[]){ "bob!", NULL });
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    assert_true(green_event_says(&x, "the main greenlet waits for fd 3 (accept would block)"));
    assert_true(green_event_says(&x, "greenlet 1 (handler) ends"));
    assert_true(green_event_says(&x, "greenlet 2 (handler) ends"));
    assert_int_equal(trace_find_proc(&x.tr, 2)->exit_status, 0);
    sim_free(&x);
}

/* asyncio on the same hub: await gives a task's result or raises its
 * exception (unprinted until then); gather keeps the order of its list;
 * a plain sleep in a task holds every task (the loop blocks). */
static void test_asyncio_await_gather_and_a_blocking_call(void **state)
{
    (void)state;
    const char *src =
        "program w(n) {\n  await asyncio.sleep n\n  return n * 10\n}\n"
        "program bad {\n  raise ValueError \"no\"\n}\n"
        "program hog {\n  sleep 10\n}\n"
        "program tick {\n  print \"tick\"\n}\n"
        "program main {\n  asyncio.create_task w(3) -> a\n  asyncio.create_task w(1) -> b\n"
        "  await asyncio.gather [a, b] -> rs\n  print rs\n"
        "  asyncio.create_task bad -> c\n  try {\n    await c -> r\n"
        "  } except ValueError as e {\n    print \"caught\" e\n  }\n"
        "  asyncio.create_task hog -> h\n  asyncio.create_task tick -> k\n"
        "  await h\n  await k\n}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){ "[30, 10]", "caught no", "tick", NULL });
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 25);
    /* the hog's plain sleep: the thread sleeps in `sleep`, not in the
     * loop, and the ready tick task waits */
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "sleep");
    const struct snap_green *k = green_of(&x, 5);
    assert_non_null(k);
    assert_int_equal(k->state, GREEN_READY);
    sim_finish(&x);
    assert_true(green_event_says(&x, "pid 2 creates task 1 (w)"));
    assert_true(green_event_says(&x, "no task is ready: the event loop waits"));
    sim_free(&x);
}

/* A hub is per thread: a thread's greenlets switch inside that thread
 * (events name its tid) while the main thread goes its own way. */
static void test_greenlets_in_a_thread(void **state)
{
    (void)state;
    const char *src =
        "program w(n) {\n  gevent.sleep n\n  print \"w\" n\n}\n"
        "program t {\n  gevent.spawn w(3) -> a\n  gevent.spawn w(1) -> b\n"
        "  gevent.joinall [a, b] -> d\n  print d\n}\n"
        "program main {\n  thread t -> k\n  join k\n  print \"joined\"\n}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){ "w 1", "w 3", "[2, 1]", "joined", NULL });
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    assert_true(green_event_says(&x, "tid 3 spawns greenlet 1 (w)"));
    assert_true(green_event_says(&x, "no greenlet is ready: the hub waits (tid 3 sleeps)"));
    sim_free(&x);
}

/* A patched connect sends its SYN and parks: the three greenlets' SYNs
 * all go before the first handshake is done; a refused one raises
 * ConnectionRefusedError when the RST comes. */
static void test_patched_connect_parks_until_connected(void **state)
{
    (void)state;
    const char *src =
        "program server {\n"
        "  socket -> s\n"
        "  s.bind 8080\n"
        "  s.listen 5\n"
        "  repeat 3 {\n"
        "    s.accept -> c, addr\n"
        "    c.recv 100 -> d\n"
        "    c.sendall d + \"!\"\n"
        "    c.close\n"
        "  }\n"
        "}\n"
        "program fetch(name) {\n"
        "  local s = 0\n"
        "  local back = \"\"\n"
        "  socket -> s\n"
        "  s.connect 8080\n"
        "  s.send name -> n\n"
        "  s.recv 100 -> back\n"
        "  print name \"got\" back\n"
        "  s.close\n"
        "}\n"
        "program crawler {\n"
        "  sleep 3\n"
        "  monkey.patch_all\n"
        "  gevent.spawn fetch(\"a\") -> a\n"
        "  gevent.spawn fetch(\"b\") -> b\n"
        "  gevent.spawn fetch(\"c\") -> c\n"
        "  gevent.joinall [a, b, c]\n"
        "  socket -> s\n"
        "  try {\n"
        "    s.connect 9999\n"
        "  } except ConnectionRefusedError as e {\n"
        "    print \"refused:\" e\n"
        "  }\n"
        "}\n"
        "spawn server\n"
        "spawn crawler\n"
;
    expect_output(src, 3, (const char *const[]){ "a got a!", "b got b!", "c got c!",
                                                 "refused: [Errno 111] Connection refused",
                                                 NULL });
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    assert_true(green_event_says(&x, "greenlet 3 (fetch) waits for fd 5 (connect would block)"));
    /* the third SYN (tick 20) went before the first connect returned */
    int64_t first_connected = -1;
    for (size_t i = 0; i < x.tr.nev && first_connected < 0; i++)
        if (x.tr.ev[i].kind == EV_SOCK && x.tr.ev[i].pid == 3 &&
            strstr(trace_text(&x.tr, &x.tr.ev[i]), "is connected"))
            first_connected = x.tr.ev[i].tick;
    assert_true(first_connected > 20);
    assert_int_equal(trace_find_proc(&x.tr, 3)->exit_status, 0);
    sim_free(&x);
}

static void expect_parse_error(const char *src, const char *part)
{
    struct diag d;
    struct scenario *s = scenario_parse("t.scn", src, strlen(src), &d);
    if (s)
        fail_msg("parsed: %s", src);
    if (!strstr(d.msg, part))
        fail_msg("message \"%s\" lacks \"%s\"", d.msg, part);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_parse_error("program main {\n  gevent.spwan main\n}\nspawn main\n",
                       "unknown gevent function 'spwan'");
    expect_parse_error("program main {\n  monkey.patch_socket\n}\nspawn main\n",
                       "patch_all only");
    expect_parse_error("program main {\n  gevent.spawn nosuch\n}\nspawn main\n",
                       "unknown program 'nosuch'");
    expect_parse_error("program w(a) {\n  compute 1\n}\nprogram main {\n  gevent.spawn w\n}\n"
                       "spawn main\n", "takes 1 argument");
    expect_parse_error("program main {\n  gevent.sleep \"x\"\n}\nspawn main\n",
                       "a number of ticks");
    expect_parse_error("program main {\n  gevent.joinall\n}\nspawn main\n",
                       "a list of greenlets");
    expect_parse_error("program main {\n  await asyncio.run\n}\nspawn main\n",
                       "procsim awaits asyncio.sleep and asyncio.gather");
    expect_parse_error("program main {\n  socket -> s\n  await s.bind 80\n}\nspawn main\n",
                       "procsim awaits a socket's recv");
    expect_parse_error("program main {\n  asyncio.gather [1]\n}\nspawn main\n",
                       "procsim has asyncio.create_task");
    expect_parse_error("program main {\n  await\n}\nspawn main\n",
                       "after 'await'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sleep_interleaves_greenlets),
        cmocka_unit_test(test_kernel_sees_one_task_that_rarely_sleeps),
        cmocka_unit_test(test_patched_recv_parks_unpatched_blocks_the_thread),
        cmocka_unit_test(test_hub_blocks_until_a_watch_fires),
        cmocka_unit_test(test_patched_sleep_switches),
        cmocka_unit_test(test_exception_ends_only_its_greenlet),
        cmocka_unit_test(test_join_timeout_and_joinall_result),
        cmocka_unit_test(test_join_errors_raise),
        cmocka_unit_test(test_variables_per_greenlet),
        cmocka_unit_test(test_clone_mid_run_goes_on_the_same),
        cmocka_unit_test(test_socket_timeout_raises_in_the_greenlet),
        cmocka_unit_test(test_patched_socket_server_serves_clients_in_turn),
        cmocka_unit_test(test_asyncio_await_gather_and_a_blocking_call),
        cmocka_unit_test(test_greenlets_in_a_thread),
        cmocka_unit_test(test_stuck_hub_is_explained),
        cmocka_unit_test(test_patched_connect_parks_until_connected),
        cmocka_unit_test(test_syntax_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
