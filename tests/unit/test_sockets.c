/* test_sockets.c - sockets and the loopback network (sim/net). */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

/* Run src to its end and check that pid printed exactly `lines`. */
static bool sock_event_says(const struct sim *x, const char *part)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_SOCK && strstr(trace_text(&x->tr, &x->tr.ev[i]), part))
            return true;
    return false;
}

static int exit_of(struct sim *x, int pid)
{
    const struct proc_record *r = trace_find_proc(&x->tr, pid);
    assert_non_null(r);
    assert_true(r->exited >= 0);
    return r->exit_status;
}

#define SERVER(body) \
    "program server {\n  socket -> s\n  s.bind 8080\n  s.listen 5\n" body "}\n"

static void test_handshake_takes_one_round_trip_and_sends_merge(void **state)
{
    (void)state;
    const char *src =
        "config net_latency=3\n"
        SERVER("  s.accept -> c, a\n  print \"from\" a\n  sleep 20\n"
               "  c.recv 100 -> d\n  print d\n  c.recv 100 -> d\n  print repr(d)\n")
        "program client {\n  sleep 2\n  socket -> s\n  s.connect 8080\n"
        "  print \"connected\" now()\n  s.send \"hello \" -> n\n  s.sendall \"world\"\n"
        "  print n\n  s.close\n}\n"
        "spawn server\nspawn client\n";
    /* (one CPU: the client runs from tick 4) connect in tick 8: the SYN
     * arrives in 11, the SYN-ACK in 14: connect returns in tick 14 (two
     * latencies), its print runs in 15. */
    expect_output(src, 3, (const char *const[]){ "connected 15", "6", NULL });
    expect_output(src, 2, (const char *const[]){ "from ('127.0.0.1', 40000)",
                                                 "hello world", "''", NULL });
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    assert_true(sock_event_says(&x, "11 bytes (2 sends merged)"));
    assert_true(sock_event_says(&x, "gets EOF on fd 4 (the peer closed)"));
    sim_free(&x);
}

static void test_connect_blocks_in_s_and_accept_waits(void **state)
{
    (void)state;
    const char *src =
        "config net_latency=5\n"
        SERVER("  s.accept -> c\n  sleep 50\n")
        "program client {\n  sleep 10\n  socket -> s\n  s.connect 8080\n  sleep 50\n}\n"
        "spawn server\nspawn client\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 6);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "accept");
    sim_at(&x, 20);                        /* connect at 16, SYN-ACK at 26 */
    assert_int_equal(state_of(&x, 3), 'S');
    assert_string_equal(task_of(&x, 3)->wchan, "connect");
    int syn = 0;
    for (int i = 0; i < x.snap.npackets; i++)
        syn += x.snap.packets[i].kind == PKT_SYN && x.snap.packets[i].arrives == 21;
    assert_int_equal(syn, 1);
    sim_at(&x, 25);
    assert_int_equal(state_of(&x, 3), 'S');
    sim_at(&x, 27);
    assert_int_not_equal(state_of(&x, 3), 'S');
    sim_free(&x);
}

static void test_epipe_kills_by_default_and_raises_when_ignored(void **state)
{
    (void)state;
    const char *body =
        SERVER("  s.accept -> c\n  c.close\n  sleep 50\n")
        "program client {\n  socket -> s\n  s.connect 8080\n  sleep 10\n"
        "  s.recv 10 -> d\n  print repr(d)\n  s.send \"x\" -> n\n  print \"first\" n\n"
        "  sleep 5\n  try {\n    s.send \"y\"\n  } except BrokenPipeError as e {\n"
        "    print e\n  }\n}\n"
        "spawn server\nspawn client\n";
    char src[2000];
    snprintf(src, sizeof src, "config sigpipe=ignore\n%s", body);
    expect_output(src, 3, (const char *const[]){ "''", "first 1", "[Errno 32] Broken pipe",
                                                 NULL });
    struct sim x;
    sim_start(&x, body);
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 3), -13);
    assert_null(printed(&x, 3, 2));
    sim_free(&x);
}

static void test_close_with_unread_data_resets(void **state)
{
    (void)state;
    const char *src =
        "config sigpipe=ignore\n"
        SERVER("  s.accept -> c\n  sleep 10\n  c.close\n  sleep 50\n")
        "program client {\n  socket -> s\n  s.connect 8080\n  s.send \"unread\"\n"
        "  sleep 20\n  try {\n    s.recv 10 -> d\n  } except ConnectionResetError as e {\n"
        "    print e\n  }\n  s.recv 10 -> d\n  print repr(d)\n  try {\n    s.send \"z\"\n"
        "  } except OSError as e {\n    print e\n  }\n}\n"
        "spawn server\nspawn client\n";
    expect_output(src, 3, (const char *const[]){ "[Errno 104] Connection reset by peer",
                                                 "''", "[Errno 32] Broken pipe", NULL });
}

static void test_refused_misuse_and_nonblocking_errors(void **state)
{
    (void)state;
    const char *src =
        "config sigpipe=ignore\nconfig net_latency=5\n"
        "program main {\n  socket -> s\n  s.bind 9000\n  s.listen 1\n  socket -> u\n"
        "  try {\n    s.recv 10 -> d\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    u.accept -> c\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    u.bind 9000\n  } except OSError as e {\n    print e\n  }\n"
        "  try {\n    u.connect 9001\n  } except ConnectionRefusedError as e {\n"
        "    print e\n  }\n"
        "  u.connect_ex 9001 -> err\n  print err\n  u.connect 9000\n"
        "  try {\n    u.connect 9000\n  } except OSError as e {\n    print e\n  }\n"
        "  socket -> w\n  w.setblocking False\n"
        "  try {\n    w.connect 9000\n  } except BlockingIOError as e {\n    print e\n  }\n"
        "  try {\n    w.connect 9000\n  } except BlockingIOError as e {\n    print e\n  }\n"
        "  try {\n    w.recv 5 -> d\n  } except BlockingIOError as e {\n    print e\n  }\n"
        "  u.close\n  try {\n    u.recv 1 -> d\n  } except OSError as e {\n    print e\n  }\n"
        "  w.settimeout 5\n  sleep 5\n"
        "  try {\n    w.recv 5 -> d\n  } except TimeoutError as e {\n    print e now()\n  }\n"
        "  w.getsockopt SO_SNDBUF -> a\n  w.setsockopt SO_SNDBUF 4096\n"
        "  w.getsockopt SO_SNDBUF -> b\n  print a b\n"
        "}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){
        "[Errno 107] Transport endpoint is not connected",
        "[Errno 22] Invalid argument",
        "[Errno 98] Address already in use",
        "[Errno 111] Connection refused",
        "111",
        "[Errno 106] Transport endpoint is already connected",
        "[Errno 115] Operation now in progress",
        "[Errno 114] Operation already in progress",
        "[Errno 11] Resource temporarily unavailable",
        "[Errno 9] Bad file descriptor",
        "timed out 72",
        "16384 8192", NULL });
}

static void test_backlog_queues_n_plus_one_then_syn_is_retransmitted(void **state)
{
    (void)state;
    const char *src =
        "config tick=100ms\n"
        "program server {\n  socket -> s\n  s.bind 8080\n  s.listen 1\n  sleep 100\n"
        "  s.accept -> a\n  s.accept -> b\n  s.accept -> c\n  sleep 100\n}\n"
        "program client {\n  sleep 2\n  socket -> s\n  s.connect 8080\n"
        "  print now()\n  sleep 200\n}\n"
        "spawn server\nspawn client\nspawn client\nspawn client\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 50);
    /* listen(1): two connections wait for accept, the third client's SYN
     * was dropped and it still waits in connect. */
    int listening = -1;
    for (int i = 0; i < x.snap.nsocks; i++)
        if (x.snap.socks[i].state == SOCKS_LISTEN)
            listening = i;
    assert_true(listening >= 0);
    assert_int_equal(x.snap.socks[listening].backlog, 2);
    assert_int_equal(x.snap.socks[listening].backlog_max, 1);
    assert_int_equal(state_of(&x, 5), 'S');
    assert_string_equal(task_of(&x, 5)->wchan, "connect");
    sim_finish(&x);
    assert_true(sock_event_says(&x, "is dropped"));
    assert_true(sock_event_says(&x, "sends its SYN again"));
    /* The SYN sent in tick 11 is sent again 1 s (10 ticks) later, then 2 s,
     * then 4 s later (tick 81): still full; the accepts at ~113 make room
     * before the fourth, in tick 161. */
    const char *p = printed(&x, 5, 0);
    assert_non_null(p);
    int at = atoi(p);
    assert_true(at > 161 && at < 170);
    sim_free(&x);
}

static void test_full_send_buffer_blocks_until_the_reader_reads(void **state)
{
    (void)state;
    const char *src =
        "config tcp_sndbuf=1000\nconfig tcp_rcvbuf=2000\n"
        SERVER("  s.accept -> c\n  sleep 40\n  c.recv 100000 -> d\n  print len(d)\n"
               "  c.recv 100000 -> d\n  print len(d)\n  c.recv 100000 -> d\n  print len(d)\n")
        "program client {\n  socket -> s\n  s.connect 8080\n  s.sendall \"x\" * 4000\n"
        "  print \"done\" now()\n  s.close\n}\n"
        "spawn server\nspawn client\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 30);
    assert_int_equal(state_of(&x, 3), 'S');
    assert_string_equal(task_of(&x, 3)->wchan, "sendall");
    int64_t rcv = -1, snd = -1;
    for (int i = 0; i < x.snap.nsocks; i++) {
        if (x.snap.socks[i].rcv_bytes > 0)
            rcv = x.snap.socks[i].rcv_bytes;
        if (x.snap.socks[i].snd_bytes > 0)
            snd = x.snap.socks[i].snd_bytes;
    }
    assert_int_equal(rcv, 2000);           /* the receiver's buffer is full */
    assert_int_equal(snd, 1000);           /* and then the sender's */
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "2000");
    assert_true(sock_event_says(&x, "the send buffer is full (1000/1000"));
    assert_non_null(printed(&x, 3, 0));
    sim_free(&x);
}

static void test_udp_keeps_boundaries_and_loss_is_seeded(void **state)
{
    (void)state;
    const char *src =
        "program main {\n  socket udp -> u\n  u.bind 7000\n  socket udp -> v\n"
        "  v.sendto \"one\", 7000\n  v.sendto \"two\", 7000\n"
        "  u.recvfrom 100 -> d, a\n  print d a\n  u.recv 2 -> d\n  print d\n}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){ "one ('127.0.0.1', 40000)", "tw", NULL });
    const char *lossy =
        "config udp_loss=50\n"
        "program main {\n  socket udp -> u\n  u.bind 7000\n  u.setblocking False\n"
        "  socket udp -> v\n  repeat 40 {\n    v.sendto \"d\", 7000\n  }\n  sleep 5\n"
        "  n = 0\n  repeat 40 {\n    try {\n      u.recv 10 -> d\n      n += 1\n"
        "    } except BlockingIOError {\n      n += 0\n    }\n  }\n  print n\n}\nspawn main\n";
    struct sim a, b;
    sim_start(&a, lossy);
    sim_finish(&a);
    sim_start(&b, lossy);
    sim_finish(&b);
    const char *na = printed(&a, 2, 0), *nb = printed(&b, 2, 0);
    assert_non_null(na);
    assert_non_null(nb);
    assert_string_equal(na, nb);
    assert_true(atoi(na) > 5 && atoi(na) < 35);
    assert_true(sock_event_says(&a, "lost on the way (udp_loss)"));
    sim_free(&a);
    sim_free(&b);
}

static void test_unix_sockets_and_socketpair(void **state)
{
    (void)state;
    const char *src =
        "program main {\n  socketpair -> x, y\n  x.send \"ping\"\n  y.recv 10 -> d\n"
        "  print d\n  socket unix -> l\n  l.bind \"/tmp/s.sock\"\n  l.listen\n"
        "  fork child -> pid\n  l.accept -> k\n  k.recv 10 -> d\n  print d\n  wait\n"
        "  socket unix -> m\n  try {\n    m.connect \"/tmp/none\"\n"
        "  } except FileNotFoundError as e {\n    print e\n  }\n}\n"
        "program child {\n  socket unix -> q\n  q.connect \"/tmp/s.sock\"\n"
        "  q.getpeername -> p\n  print p\n  q.sendall \"hi\"\n}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){ "ping", "hi",
                                                 "[Errno 2] No such file or directory",
                                                 NULL });
    expect_output(src, 3, (const char *const[]){ "/tmp/s.sock", NULL });
}

static void test_readiness_bits_and_watches(void **state)
{
    (void)state;
    const char *src =
        SERVER("  s.accept -> c\n  sleep 20\n  c.recv 10 -> d\n  sleep 20\n")
        "program client {\n  sleep 3\n  socket -> s\n  s.connect 8080\n  s.send \"hi\"\n"
        "  sleep 5\n  s.close\n  sleep 20\n}\n"
        "spawn server\nspawn client\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 2);
    struct proc *srv = &x.m->procs[proc_slot(x.m, 2)];
    int32_t lkey = fd_key(x.m, srv, 3);
    assert_int_equal(FILE_KIND(lkey), FK_SOCK);
    assert_int_equal(file_events(x.m, lkey) & POLL_IN, 0);
    sim_at(&x, 16);
    int32_t ckey = fd_key(x.m, &x.m->procs[proc_slot(x.m, 2)], 4);
    assert_int_equal(FILE_KIND(ckey), FK_SOCK);
    uint32_t ev = file_events(x.m, ckey);
    assert_true(ev & POLL_IN);             /* "hi" is in */
    assert_true(ev & POLL_OUT);
    assert_int_equal(ev & POLL_RDHUP, 0);
    assert_int_equal(ev & POLL_RDHUP, 0);
    sim_at(&x, 21);                        /* the FIN (close at 19) came */
    ev = file_events(x.m, ckey);
    assert_true(ev & POLL_RDHUP);
    assert_true(ev & POLL_IN);
    sim_free(&x);
}

static void test_clone_mid_run_goes_on_the_same(void **state)
{
    (void)state;
    const char *src =
        "config udp_loss=30\n"
        SERVER("  s.accept -> c\n  repeat 5 {\n    c.recv 3 -> d\n    print d\n  }\n")
        "program client {\n  socket -> s\n  s.connect 8080\n  s.sendall \"abcdefghijklmno\"\n"
        "  s.close\n}\n"
        "spawn server\nspawn client\n";
    struct sim x;
    sim_start(&x, src);
    sim_at(&x, 6);
    struct machine *c = machine_clone(x.m, NULL);
    assert_non_null(c);
    sim_finish(&x);
    struct snapshot s1;
    snapshot_init(&s1);
    while (machine_status(c) == MS_RUNNING) {
        machine_end_tick(c);
        if (!machine_begin_tick(c))
            break;
    }
    machine_snapshot(c, &s1);
    assert_int_equal(machine_tick(c), machine_tick(x.m));
    assert_int_equal(s1.nsocks, x.snap.nsocks);
    snapshot_free(&s1);
    machine_free(c);
    assert_string_equal(printed(&x, 2, 4), "mno");
    sim_free(&x);
}

static void test_many_connections_complete(void **state)
{
    (void)state;
    const char *src =
        "config ticks=20000\n"
        "program server {\n  socket -> s\n  s.bind 8080\n  s.listen 4096\n"
        "  repeat 500 {\n    s.accept -> c\n  }\n  sleep 10\n}\n"
        "program client {\n  sleep 3000\n  socket -> s\n  s.connect 8080\n  s.sendall \"x\"\n"
        "  sleep 3000\n}\n"
        "spawn server\n";
    char *big = malloc(strlen(src) + 500 * 16);
    strcpy(big, src);
    for (int i = 0; i < 500; i++)
        strcat(big, "spawn client\n");
    struct sim x;
    sim_start(&x, big);
    sim_finish(&x);
    assert_int_equal(exit_of(&x, 2), 0);
    int estab = 0;
    (void)estab;
    sim_free(&x);
    free(big);
}

static void test_fork_shares_and_the_last_close_sends_fin(void **state)
{
    (void)state;
    /* The child's copy keeps the connection open after the parent's
     * close; only the child's exit (the last close) ends it. */
    const char *src =
        SERVER("  s.accept -> c\n  c.recv 10 -> d\n  print now() repr(d)\n")
        "program kid {\n  sleep 30\n}\n"
        "program client {\n  socket -> s\n  s.connect 8080\n  fork kid -> k\n"
        "  s.close\n  sleep 50\n}\n"
        "spawn server\nspawn client\n";
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    const char *p = printed(&x, 2, 0);
    assert_non_null(p);
    assert_true(atoi(p) > 30);            /* EOF only after the kid's exit */
    assert_non_null(strstr(p, "''"));
    assert_true(sock_event_says(&x, "1 more fd name it, it stays open"));
    sim_free(&x);
}

static void test_a_handler_interrupts_recv_which_goes_on(void **state)
{
    (void)state;
    const char *src =
        "handler h {\n  print \"handler\"\n}\n"
        SERVER("  signal SIGUSR1 h\n  s.accept -> c\n  c.recv 10 -> d\n  print d\n")
        "program client {\n  socket -> s\n  s.connect 8080\n  sleep 10\n  kill 2 SIGUSR1\n"
        "  sleep 10\n  s.send \"late\"\n  sleep 5\n}\n"
        "spawn server\nspawn client\n";
    expect_output(src, 2, (const char *const[]){ "handler", "late", NULL });
}

static void test_waiters_are_served_in_order(void **state)
{
    (void)state;
    /* Two threads wait in accept: the first to wait takes the first
     * connection. */
    const char *src =
        "program acceptor {\n  s.accept -> c\n  print \"took\" gettid()\n}\n"
        "program server {\n  socket -> s\n  s.bind 8080\n  s.listen 5\n"
        "  thread acceptor -> a\n  sleep 3\n  thread acceptor -> b\n  join a\n  join b\n}\n"
        "program client {\n  sleep 20\n  socket -> s\n  s.connect 8080\n  sleep 30\n}\n"
        "spawn server\nspawn client\nspawn client\n";
    struct sim x;
    sim_start(&x, src);
    sim_finish(&x);
    const char *first = printed(&x, 2, 0), *second = printed(&x, 2, 1);
    assert_non_null(first);
    assert_non_null(second);
    assert_true(atoi(first + 5) < atoi(second + 5));
    sim_free(&x);
}

static void test_snapshot_shows_segments_buffers_and_merges(void **state)
{
    (void)state;
    const char *src =
        "config net_latency=4\n"
        SERVER("  s.accept -> c\n  sleep 60\n  c.recv 100 -> d\n")
        "program client {\n  socket -> s\n  s.connect 8080\n  s.send \"one\"\n"
        "  s.send \"two\"\n  sleep 60\n}\n"
        "spawn server\nspawn client\n";
    struct sim x;
    sim_start(&x, src);
    /* find the tick a DATA segment is on the way, and look at it */
    bool seen = false;
    for (int T = 1; T < 40 && !seen; T++) {
        sim_at(&x, T);
        for (int i = 0; i < x.snap.npackets; i++) {
            const struct snap_packet *pk = &x.snap.packets[i];
            if (pk->kind != PKT_DATA)
                continue;
            assert_int_equal(pk->bytes, 3);
            assert_true(pk->arrives - pk->sent == 4);
            assert_true(!strcmp(pk->text, "\"one\"") || !strcmp(pk->text, "\"two\""));
            seen = true;
        }
    }
    assert_true(seen);
    sim_at(&x, 45);
    bool merged = false;
    for (int i = 0; i < x.snap.nsocks; i++)
        if (x.snap.socks[i].rcv_bytes == 6) {
            assert_int_equal(x.snap.socks[i].rcv_sends, 2);
            assert_string_equal(x.snap.socks[i].rcv_text, "\"onetwo\"");
            merged = true;
        }
    assert_true(merged);
    sim_free(&x);
}

static void test_strings_take_cr_and_tab_escapes(void **state)
{
    (void)state;
    /* an HTTP request's line ends go over a socket whole */
    const char *src =
        "program main {\n  socketpair -> a, b\n  a.send \"GET / HTTP/1.0\\r\\n\\t\\r\\n\"\n"
        "  b.recv 100 -> d\n  print repr(d) len(d)\n}\nspawn main\n";
    expect_output(src, 2, (const char *const[]){ "'GET / HTTP/1.0\\r\\n\\t\\r\\n' 19", NULL });
}

static void test_socket_syntax_errors(void **state)
{
    (void)state;
    static const struct {
        const char *src, *msg;
    } cases[] = {
        { "program m {\n  socket raw -> s\n}\nspawn m\n", "unknown socket kind 'raw'" },
        { "program m {\n  socket\n}\nspawn m\n", "expected '->' and a variable after 'socket'" },
        { "program m {\n  socketpair -> a\n}\nspawn m\n", "a second variable" },
        { "program m {\n  socket -> s\n  s.shutdown BOTH\n}\nspawn m\n",
          "expected SHUT_RD, SHUT_WR or SHUT_RDWR" },
        { "program m {\n  socket -> s\n  s.setsockopt SO_FOO 1\n}\nspawn m\n",
          "expected an option" },
        { "program m {\n  socket udp -> s\n  s.sendto \"x\"\n}\nspawn m\n",
          "expected ',' and an address" },
        { "program m {\n  socket -> s\n  s.bind\n}\nspawn m\n", "expected an address" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct diag d;
        struct scenario *s = scenario_parse("t.scn", cases[i].src, strlen(cases[i].src), &d);
        if (s)
            fail_msg("case %zu parsed", i);
        if (!strstr(d.msg, cases[i].msg))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, d.msg, cases[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_takes_one_round_trip_and_sends_merge),
        cmocka_unit_test(test_connect_blocks_in_s_and_accept_waits),
        cmocka_unit_test(test_epipe_kills_by_default_and_raises_when_ignored),
        cmocka_unit_test(test_close_with_unread_data_resets),
        cmocka_unit_test(test_refused_misuse_and_nonblocking_errors),
        cmocka_unit_test(test_backlog_queues_n_plus_one_then_syn_is_retransmitted),
        cmocka_unit_test(test_full_send_buffer_blocks_until_the_reader_reads),
        cmocka_unit_test(test_udp_keeps_boundaries_and_loss_is_seeded),
        cmocka_unit_test(test_unix_sockets_and_socketpair),
        cmocka_unit_test(test_readiness_bits_and_watches),
        cmocka_unit_test(test_clone_mid_run_goes_on_the_same),
        cmocka_unit_test(test_many_connections_complete),
        cmocka_unit_test(test_fork_shares_and_the_last_close_sends_fin),
        cmocka_unit_test(test_a_handler_interrupts_recv_which_goes_on),
        cmocka_unit_test(test_waiters_are_served_in_order),
        cmocka_unit_test(test_snapshot_shows_segments_buffers_and_merges),
        cmocka_unit_test(test_strings_take_cr_and_tab_escapes),
        cmocka_unit_test(test_socket_syntax_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
