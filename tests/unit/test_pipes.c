/* test_pipes.c - pipes and file descriptors (sim/objects/pipe.c). */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

static int exit_of(struct sim *x, int pid)
{
    const struct proc_record *r = trace_find_proc(&x->tr, pid);
    assert_non_null(r);
    assert_true(r->exited >= 0);
    return r->exit_status;
}

/* Does some pipe event's text contain `part`? */
static bool pipe_event_says(const struct sim *x, const char *part)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_PIPE && strstr(trace_text(&x->tr, &x->tr.ev[i]), part))
            return true;
    return false;
}

static void test_fd_numbers_lowest_free_and_fork_copies(void **state)
{
    (void)state;
    const char *src =
        "pipe p\n"
        "pipe r, w simplex\n"
        "program child {\n  pipe -> e, f\n  print e f\n  sleep 30\n}\n"
        "program main {\n"
        "  pipe -> a, b simplex\n  print a b\n"
        "  r.close\n  pipe -> c, d\n  print c d\n"
        "  fork child -> k\n  sleep 10\n"
        "}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){ "7 8", "5 9", NULL });
    expect_output(src, 3, (const char *const[]){ "10 11", NULL });

    /* The snapshot lists the fds by pid then number, with their ends. */
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 12);
    int nfds2 = 0, nfds3 = 0;
    for (int i = 0; i < x.snap.nfds; i++) {
        const struct snap_fd *f = &x.snap.fds[i];
        if (i > 0)
            assert_true(f->pid > x.snap.fds[i - 1].pid ||
                        (f->pid == x.snap.fds[i - 1].pid && f->fd > x.snap.fds[i - 1].fd));
        nfds2 += f->pid == 2;
        nfds3 += f->pid == 3;
        if (f->pid == 2 && f->fd == 6) {
            assert_string_equal(x.snap.chans[f->chan].name, "r, w");
            assert_int_equal(f->end, 1);
            assert_int_equal(f->mode, 'w');
        }
        if (f->pid == 2 && f->fd == 3) {
            assert_string_equal(x.snap.chans[f->chan].name, "p");
            assert_int_equal(f->mode, 'b');
        }
    }
    assert_int_equal(nfds2, 7);            /* 3 4 6 7 8 5 9 */
    assert_int_equal(nfds3, 9);            /* the same, and 10 11 */
    sim_free(&x);
}

static void test_wrong_end_closed_end_and_bad_fd_raise_oserror(void **state)
{
    (void)state;
    expect_output(
        "pipe r, w simplex\n"
        "pipe p\n"
        "program main {\n"
        "  try {\n    r.send 1\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    w.recv\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    print w.poll()\n  } except OSError as e {\n    print e\n  }\n"
        "  p.close\n  p.close\n"
        "  try {\n    p.send 1\n  } except OSError as e {\n    print e\n  }\n"
        "  x = 40\n"
        "  try {\n    x.send 1\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    x.close\n  } except OSError as e {\n    print e\n  }\n"
        "  pipe -> a, b simplex\n  b.close\n"
        "  try {\n    b.send 1\n  } except OSError as e {\n    print e\n  }\n"
        "}\nspawn main\n", 2,
        (const char *const[]){ "connection is read-only", "connection is write-only",
                               "connection is write-only", "handle is closed",
                               "[Errno 9] Bad file descriptor",
                               "[Errno 9] Bad file descriptor",
                               "[Errno 9] Bad file descriptor", NULL });

    /* Uncaught: a traceback line and exit code 1. */
    struct sim x;
    sim_start(&x, "pipe r, w simplex\nprogram main {\n  w.recv\n  print \"never\"\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), 1);
    assert_non_null(strstr(printed(&x, 2, 0), "OSError: connection is write-only"));
    assert_null(printed(&x, 2, 1));
    sim_free(&x);
}

static void test_eof_only_when_every_write_copy_is_closed(void **state)
{
    (void)state;
    const char *src =
        "config sigpipe=ignore\n"
        "pipe r, w simplex\n"
        "program child {\n  r.close\n  w.send \"hi\"\n  sleep 20\n}\n"
        "program main {\n"
        "  fork child -> c\n"
        "  r.recv -> m\n  print m r.poll()\n"
        "  w.close\n  print r.poll()\n"
        "  wait\n  print r.poll()\n"
        "  try {\n    r.recv\n  } except EOFError {\n    print \"EOF\"\n  }\n"
        "}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){ "hi False", "False", "True", "EOF", NULL });

    /* The reader sleeps on the empty pipe (S, wait channel r) while the
     * child holds w, and gets EOF when the child's exit closes it. */
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 12);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "wait");
    sim_free(&x);

    sim_start(&x, "config sigpipe=ignore\npipe r, w simplex\n"
                  "program child {\n  sleep 10\n  w.close\n  r.close\n}\n"
                  "program main {\n  fork child\n  w.close\n"
                  "  try {\n    r.recv\n  } except EOFError {\n    print now()\n  }\n}\n"
                  "spawn main\n");
    sim_at(&x, 5);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "r");
    assert_int_equal(x.snap.chans[task_of(&x, 2)->wait_chan].nreaders, 1);
    assert_int_equal(x.snap.chans[0].readers[0], 2);
    sim_finish(&x);
    /* The child sleeps 3..13 and closes w at 14, which wakes the reader:
     * its recv raises EOFError at 15 and the handler prints at 16. */
    assert_int_equal(atoi(printed(&x, 2, 0)), 16);
    assert_true(pipe_event_says(&x, "pid 2 gets EOF on r (fd 3): no writer left"));
    sim_free(&x);
}

static void test_sigpipe_kills_or_epipe_raises(void **state)
{
    (void)state;
    const char *src =
        "pipe r, w simplex\n"
        "program main {\n  r.close\n"
        "  try {\n    w.send 1\n  } except BrokenPipeError as e {\n    print e\n  }\n"
        "  print \"after\"\n}\nspawn main\n";
    struct sim x;
    sim_start(&x, src);                    /* sigpipe=default: killed, -13 */
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), -SIG_PIPE);
    assert_null(printed(&x, 2, 0));
    assert_true(pipe_event_says(&x, "pid 2 writes to w (fd 4) with no reader: SIGPIPE"));
    sim_free(&x);

    char buf[400];
    snprintf(buf, sizeof buf, "config sigpipe=ignore\n%s", src);
    expect_output(buf, 2, (const char *const[]){ "[Errno 32] Broken pipe", "after", NULL });

    /* Ignored by the program itself, and as an OSError. */
    expect_output("pipe a, b\nprogram main {\n  signal SIGPIPE ignore\n  b.close\n"
                  "  try {\n    a.send 1\n  } except OSError as e {\n    print e\n  }\n"
                  "  try {\n    a.recv\n  } except EOFError {\n    print \"EOF\"\n  }\n}\n"
                  "spawn main\n", 2,
                  (const char *const[]){ "[Errno 32] Broken pipe", "EOF", NULL });
}

static void test_full_pipe_blocks_the_writer_until_a_read(void **state)
{
    (void)state;
    /* 1 is 5 bytes (repr "1" + 4): three fit in 15, the fourth waits. */
    struct sim x;
    sim_start(&x, "config pipe_size=15\nconfig sigpipe=ignore\npipe r, w simplex\n"
                  "program child {\n  repeat 4 {\n    w.send 1\n  }\n  print now()\n}\n"
                  "program main {\n  fork child\n  sleep 20\n  r.recv\n  sleep 5\n}\n"
                  "spawn main\n");
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 3), 'S');
    assert_string_equal(task_of(&x, 3)->wchan, "w");
    const struct snap_chan *c = &x.snap.chans[0];
    assert_int_equal(c->bytes, 15);
    assert_int_equal(c->capacity, 15);
    assert_int_equal(c->nmsgs, 3);
    assert_int_equal(c->nwriters, 1);
    assert_int_equal(c->writers[0], 3);
    assert_int_equal(c->msgs[0].size, 5);
    assert_string_equal(c->msgs[0].text, "1");
    assert_int_equal(c->msgs[0].from, 3);
    assert_int_equal(c->nholders[0], 2);
    assert_int_equal(c->nholders[1], 2);
    sim_finish(&x);
    /* main reads at 22 (after its sleep) and sleeps again at 23; the
     * child's fourth send, handed its room at 22, completes when it runs
     * at 24, and it prints at 25. */
    assert_int_equal(atoi(printed(&x, 3, 0)), 25);
    sim_free(&x);
}

static void test_waiting_readers_are_served_in_order(void **state)
{
    (void)state;
    /* Three children wait in turn; each message goes to the one that has
     * waited longest. */
    struct sim x;
    sim_start(&x, "config sigpipe=ignore\npipe r, w simplex\n"
                  "program kid {\n  r.recv -> m\n  print m\n}\n"
                  "program main {\n  fork kid\n  sleep 2\n  fork kid\n  sleep 2\n"
                  "  fork kid\n  sleep 5\n  w.send \"a\"\n  w.send \"b\"\n  w.send \"c\"\n"
                  "  wait\n  wait\n  wait\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 3, 0), "a");
    assert_string_equal(printed(&x, 4, 0), "b");
    assert_string_equal(printed(&x, 5, 0), "c");
    sim_free(&x);
}

static void test_large_messages_go_in_parts_and_may_tear(void **state)
{
    (void)state;
    /* Two writers of 20,004-byte messages into an 8 KiB pipe: their parts
     * alternate and the reader cannot unpickle them; the small messages
     * after them (at most PIPE_BUF) arrive whole. */
    const char *src =
        "config sigpipe=ignore\nconfig pipe_size=8192\npipe r, w simplex\n"
        "program writer(k) {\n  r.close\n  w.send (k, \"x\" * 19985)\n  w.send (k, \"small\")\n}\n"
        "program main {\n  fork writer(1)\n  fork writer(2)\n  w.close\n  sleep 20\n"
        "  try {\n    while True {\n      try {\n        r.recv -> m\n"
        "        print m[0] len(m[1])\n"
        "      } except UnpicklingError {\n        print \"torn\"\n      }\n    }\n"
        "  } except EOFError {\n    print \"EOF\"\n  }\n}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){ "torn", "torn", "2 5", "1 5", "EOF", NULL });

    /* One writer alone: a message four times the capacity goes through
     * whole, the reader reading as it comes. */
    expect_output("config sigpipe=ignore\nconfig pipe_size=5000\npipe r, w simplex\n"
                  "program writer {\n  w.send \"y\" * 19994\n}\n"
                  "program main {\n  fork writer\n  w.close\n  r.recv -> m\n  print len(m)\n"
                  "  try {\n    r.recv\n  } except EOFError {\n    print \"EOF\"\n  }\n}\n"
                  "spawn main\n", 2, (const char *const[]){ "19994", "EOF", NULL });

    /* A writer killed in the middle of a large message: the reader gets
     * OSError, as Connection.recv raises it. */
    expect_output("config sigpipe=ignore\nconfig pipe_size=5000\npipe r, w simplex\n"
                  "program writer {\n  w.send \"y\" * 19994\n}\n"
                  "program main {\n  fork writer -> c\n  w.close\n  sleep 5\n  kill c SIGKILL\n"
                  "  try {\n    r.recv\n  } except OSError as e {\n    print e\n  }\n}\n"
                  "spawn main\n", 2,
                  (const char *const[]){ "got end of file during message", NULL });
}

static void test_emfile_at_64_descriptors(void **state)
{
    (void)state;
    expect_output("config nofile=64\nprogram main {\n  n = 0\n  last = 0\n  try {\n    while True {\n"
                  "      pipe -> a, b\n      n += 1\n      last = b\n    }\n"
                  "  } except OSError as e {\n    print n last e\n  }\n"
                  "  x = 3\n  x.close\n  pipe -> c, d\n  print c d\n}\nspawn main\n", 2,
                  (const char *const[]){ "30 62 [Errno 24] Too many open files", "3 63", NULL });
}

static void test_exec_keeps_fds_threads_share_them(void **state)
{
    (void)state;
    expect_output("config sigpipe=ignore\npipe r, w simplex\n"
                  "program after {\n  w.send \"from after exec\"\n  r.recv -> m\n  print m\n}\n"
                  "program closer {\n  w.close\n}\n"
                  "program main {\n  thread closer -> t\n  join t\n"
                  "  try {\n    w.send 1\n  } except OSError as e {\n    print e\n  }\n"
                  "}\nspawn main\n", 2,
                  (const char *const[]){ "handle is closed", NULL });
    /* exec: the fds stay open in the new program */
    expect_output("config sigpipe=ignore\npipe r, w simplex\n"
                  "program after {\n  w.send \"kept\"\n  r.recv -> m\n  print m\n  x = 5\n  print x.poll()\n}\n"
                  "program main {\n  pipe -> a, b\n  exec after\n}\nspawn main\n", 2,
                  (const char *const[]){ "kept", "False", NULL });
}

static void test_stuck_reader_holding_its_own_write_end_is_explained(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "pipe r, w simplex\nprogram main {\n  r.recv\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_STUCK);
    assert_true(pipe_event_says(&x, "pid 2 waits forever to read r: it is empty, and the "
                                    "other end is still open, held by pid 2 - itself"));
    sim_free(&x);
}

static void test_spawns_to_come_hold_the_top_level_pipe(void **state)
{
    (void)state;
    /* The first spawn closes both its ends; the reader spawned later still
     * gets the message of the writer spawned after it. */
    expect_output("config sigpipe=ignore\npipe r, w simplex\n"
                  "program reader {\n  w.close\n  r.recv -> m\n  print m\n}\n"
                  "program writer {\n  r.close\n  w.send \"late\"\n}\n"
                  "spawn reader\nspawn writer at=30\n", 2,
                  (const char *const[]){ "late", NULL });
}

static void test_clone_mid_run_goes_on_the_same(void **state)
{
    (void)state;
    const char *src =
        "config sigpipe=ignore\nconfig pipe_size=8192\npipe r, w simplex\n"
        "program writer(k) {\n  r.close\n  w.send (k, \"x\" * 19985)\n  w.send (k, \"small\")\n}\n"
        "program main {\n  fork writer(1)\n  fork writer(2)\n  w.close\n  sleep 20\n"
        "  try {\n    while True {\n      try {\n        r.recv -> m\n"
        "        print m[0] len(m[1])\n"
        "      } except UnpicklingError {\n        print \"torn\"\n      }\n    }\n"
        "  } except EOFError {\n    print \"EOF\"\n  }\n}\nspawn main\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 10);                        /* writers waiting with parts in */
    struct machine *c = machine_clone(x.m, NULL);
    assert_non_null(c);
    struct snapshot cs;
    snapshot_init(&cs);
    for (int64_t T = 11; T < 40; T++) {
        sim_at(&x, T);
        machine_end_tick(c);
        machine_begin_tick(c);
        machine_snapshot(c, &cs);
        assert_int_equal(cs.tick, x.snap.tick);
        assert_int_equal(cs.ntasks, x.snap.ntasks);
        for (int i = 0; i < cs.ntasks; i++)
            assert_int_equal(cs.tasks[i].state, x.snap.tasks[i].state);
        assert_int_equal(cs.nchans, x.snap.nchans);
        assert_int_equal(cs.nfds, x.snap.nfds);
        for (int i = 0; i < cs.nchans; i++) {
            assert_int_equal(cs.chans[i].bytes, x.snap.chans[i].bytes);
            assert_int_equal(cs.chans[i].nmsgs, x.snap.chans[i].nmsgs);
            for (int k = 0; k < cs.chans[i].nmsgs && k < SNAP_MAX_MSGS; k++)
                assert_string_equal(cs.chans[i].msgs[k].text, x.snap.chans[i].msgs[k].text);
        }
    }
    snapshot_free(&cs);
    machine_free(c);
    sim_free(&x);
}

/* The window goes back in time through checkpoints (machine_clone) and
 * replay: every tick's pipes and fds must be what a straight run shows. */
static void test_recorded_run_shows_the_same_pipes_at_every_tick(void **state)
{
    (void)state;
    struct scenario *s = load(
        "config sigpipe=ignore pipe_size=8192\npipe r, w simplex\n"
        "program writer(k) {\n  r.close\n  repeat 1500 {\n    w.send (k, \"x\" * 3000)\n  }\n"
        "  w.send (k, \"y\" * 9000)\n}\n"
        "program main {\n  fork writer(1)\n  fork writer(2)\n  w.close\n  pipe -> a, b\n"
        "  try {\n    while True {\n      try {\n        r.recv -> m\n        b.send m[0]\n"
        "        a.recv\n      } except UnpicklingError {\n        sleep 1\n      }\n    }\n"
        "  } except EOFError {\n    print \"EOF\"\n  }\n}\nspawn main\n");
    struct run *r = run_record(s, &s->config);
    assert_non_null(r);
    assert_true(run_checkpoint_count(r) >= 2);   /* one mid-run at least */
    struct machine *m = machine_new(s, &s->config, NULL);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    int64_t end = run_end_tick(r);
    /* backwards, so that each state comes from a checkpoint and a replay */
    for (int64_t T = end; T >= 0; T -= end / 25 + 1) {
        run_state_at(r, T, &a);
        machine_free(m);
        m = machine_new(s, &s->config, NULL);
        machine_advance_to(m, T);
        machine_snapshot(m, &b);
        assert_int_equal(a.nchans, b.nchans);
        assert_int_equal(a.nfds, b.nfds);
        for (int i = 0; i < a.nchans; i++) {
            assert_int_equal(a.chans[i].bytes, b.chans[i].bytes);
            assert_int_equal(a.chans[i].nmsgs, b.chans[i].nmsgs);
            assert_int_equal(a.chans[i].nreaders, b.chans[i].nreaders);
            assert_int_equal(a.chans[i].nwriters, b.chans[i].nwriters);
        }
        for (int i = 0; i < a.nfds; i++) {
            assert_int_equal(a.fds[i].pid, b.fds[i].pid);
            assert_int_equal(a.fds[i].fd, b.fds[i].fd);
            assert_int_equal(a.fds[i].chan, b.fds[i].chan);
            assert_int_equal(a.fds[i].end, b.fds[i].end);
            assert_int_equal(a.fds[i].mode, b.fds[i].mode);
        }
        for (int i = 0; i < a.ntasks; i++)
            assert_int_equal(a.tasks[i].wait_chan, b.tasks[i].wait_chan);
    }
    snapshot_free(&a);
    snapshot_free(&b);
    machine_free(m);
    run_free(r);
    scenario_free(s);
}

static void test_pipe_syntax_errors(void **state)
{
    (void)state;
    static const struct { const char *src, *msg; } bad[] = {
        { "pipe p both\n", "expected duplex or simplex after 'pipe p'" },
        { "pipe a, \n", "expected the name of the second end after ','" },
        { "pipe a, a\n", "duplicate name 'a'" },
        { "program main {\n  pipe -> a\n}\n", "expected ',' and a second variable" },
        { "program main {\n  pipe -> a, b both\n}\n",
          "expected duplex or simplex after 'pipe -> a, b'" },
        { "pipe p\nprogram main {\n  pipe -> p, b\n}\n", "'p' is a pipe, not a variable" },
        { "pipe p\nprogram main {\n  print p.poll(1)\n}\n", "poll() takes no arguments" },
        { "pipe p\nprogram main {\n  print p.send()\n}\n", "expected poll() after 'p.'" },
        { "program main {\n  x.recv\n}\n", "unknown variable 'x'" },
        { "program main {\n  x = 3\n  x.frob 1\n}\n", "unknown object 'x'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct diag d;
        struct scenario *s = scenario_parse("t.scn", bad[i].src, strlen(bad[i].src), &d);
        if (s)
            fail_msg("accepted: %s", bad[i].src);
        if (!strstr(d.msg, bad[i].msg))
            fail_msg("%s: got \"%s\", expected \"%s\"", bad[i].src, d.msg, bad[i].msg);
    }
    /* 30 top-level pipes take fds 3..62; a 31st cannot fit. */
    char src[2000] = "";
    for (int i = 0; i < 31; i++)
        snprintf(src + strlen(src), sizeof src - strlen(src), "pipe p%d\n", i);
    struct diag d;
    assert_null(scenario_parse("t.scn", src, strlen(src), &d));
    assert_non_null(strstr(d.msg, "too many top-level pipes"));
    assert_int_equal(d.line, 31);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fd_numbers_lowest_free_and_fork_copies),
        cmocka_unit_test(test_wrong_end_closed_end_and_bad_fd_raise_oserror),
        cmocka_unit_test(test_eof_only_when_every_write_copy_is_closed),
        cmocka_unit_test(test_sigpipe_kills_or_epipe_raises),
        cmocka_unit_test(test_full_pipe_blocks_the_writer_until_a_read),
        cmocka_unit_test(test_waiting_readers_are_served_in_order),
        cmocka_unit_test(test_large_messages_go_in_parts_and_may_tear),
        cmocka_unit_test(test_emfile_at_64_descriptors),
        cmocka_unit_test(test_exec_keeps_fds_threads_share_them),
        cmocka_unit_test(test_stuck_reader_holding_its_own_write_end_is_explained),
        cmocka_unit_test(test_spawns_to_come_hold_the_top_level_pipe),
        cmocka_unit_test(test_clone_mid_run_goes_on_the_same),
        cmocka_unit_test(test_recorded_run_shows_the_same_pipes_at_every_tick),
        cmocka_unit_test(test_pipe_syntax_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
