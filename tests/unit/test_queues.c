/*
 * test_queues.c - queues (sim/objects/queue.c): multiprocessing.Queue with
 * its feeder threads, JoinableQueue, the thread queues, their waits,
 * timeouts, events and snapshots, and the parser's queue statements.
 */
#include "helpers.h"

#include <stdio.h>

/* The snapshot task with this tid, or NULL. */
static const struct snap_task *tid_of(const struct sim *x, int tid)
{
    for (int i = 0; i < x->snap.ntasks; i++)
        if (x->snap.tasks[i].tid == tid)
            return &x->snap.tasks[i];
    return NULL;
}

static const struct snap_chan *chan_of(const struct sim *x, const char *name)
{
    for (int i = 0; i < x->snap.nchans; i++)
        if (!strcmp(x->snap.chans[i].name, name))
            return &x->snap.chans[i];
    fail_msg("no channel %s", name);
    return NULL;
}

/* The first queue event with this reason, or NULL. */
static const struct event *qevent(const struct sim *x, int reason, int nth)
{
    for (size_t i = 0; i < x->tr.nev; i++)
        if (x->tr.ev[i].kind == EV_QUEUE && x->tr.ev[i].reason == reason && nth-- == 0)
            return &x->tr.ev[i];
    return NULL;
}

static void reject(const char *src, int line, int col, const char *msg)
{
    struct diag d;
    struct scenario *s = scenario_parse("t.scn", src, strlen(src), &d);
    if (s) {
        scenario_free(s);
        fail_msg("parsed, expected %d:%d: %s", line, col, msg);
    }
    if (d.line != line || d.col != col || strcmp(d.msg, msg))
        fail_msg("got %d:%d: %s\nexpected %d:%d: %s", d.line, d.col, d.msg, line, col, msg);
}

/* ------------------------------------------------------------ parsing */

static void test_declarations(void **state)
{
    (void)state;
    struct scenario *s = load("queue a\nqueue b 3\nqueue c -2\njoinablequeue d 5\n"
                              "threadqueue e\nthreadqueue f 2 lifo\nthreadqueue g 0 priority\n"
                              "threadqueue h fifo\n");
    assert_int_equal(s->nobjects, 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(s->objects[i].kind, OBJ_QUEUE);
    assert_int_equal(s->objects[1].init, 3);
    assert_int_equal(s->objects[2].init, -2);
    assert_int_equal(s->objects[3].qkind, QK_JOINABLE);
    assert_int_equal(s->objects[4].qkind, QK_THREAD);
    assert_int_equal(s->objects[5].qorder, QO_LIFO);
    assert_int_equal(s->objects[6].qorder, QO_PRIORITY);
    assert_int_equal(s->objects[7].qorder, QO_FIFO);
    /* Each multiprocessing queue gets its feeder program, after the
     * scenario's programs; thread queues none. */
    assert_int_equal(s->nprograms, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(s->objects[i].feeder_prog, i);
        assert_string_equal(s->programs[i].name, "QueueFeederThread");
        assert_int_equal(s->programs[i].code[0].method, METHOD_FEED);
        assert_int_equal(s->programs[i].code[0].obj, i);
    }
    assert_int_equal(s->objects[4].feeder_prog, -1);
    scenario_free(s);
    s = load(
        "queue q 2147483647\nprogram main {\n  print q.empty() q.full() q.qsize()\n}\n");
    assert_int_equal(s->programs[0].code[0].args[1].e->kind, EX_QFULL);
    scenario_free(s);
}

static void test_declaration_errors(void **state)
{
    (void)state;
    reject("queue q 2147483648\n", 1, 9, "a queue's maximum size must be at most 2147483647 "
           "(SEM_VALUE_MAX); 0 or less is unbounded");
    reject("threadqueue q 2 stack\n", 1, 17, "expected fifo, lifo or priority after "
           "'threadqueue q', found 'stack'");
    reject("queue q lifo\n", 1, 9, "unexpected 'lifo' after the statement");
    reject("joinablequeue\n", 1, 14, "expected a name after 'joinablequeue', found the end "
           "of the line");
}

static void test_method_errors(void **state)
{
    (void)state;
    reject("queue q\nprogram main {\n  q.task_done\n}\n", 3, 3,
           "queue 'q' (a multiprocessing.Queue) has no method 'task_done'; declare it as a "
           "joinablequeue (or a threadqueue)");
    reject("program main {\n  q.join\n}\nqueue q\n", 2, 3,
           "queue 'q' (a multiprocessing.Queue) has no method 'join'; declare it as a "
           "joinablequeue (or a threadqueue)");
    reject("threadqueue q\nprogram main {\n  q.close\n}\n", 3, 3,
           "threadqueue 'q' has no method 'close' (a queue.Queue has no pipe to close)");
    reject("queue q\nprogram main {\n  print q.size()\n}\n", 3, 11,
           "a queue has no value 'size' in expressions; use empty(), full() or qsize()");
    reject("queue q\nprogram main {\n  print q.empty\n}\n", 3, 16,
           "expected '()' after 'q.empty', found the end of the line");
    reject("queue q\nprogram main {\n  print q.qsize(1)\n}\n", 3, 17,
           "qsize() takes no arguments");
    reject("queue q\nprogram main {\n  x = q + 1\n}\n", 3, 7,
           "queue 'q' has no value to read; ask it q.empty(), q.full() or q.qsize()");
    reject("queue q\nprogram main {\n  q.put 1 timeout=x\n}\n", 3, 19,
           "expected a number of ticks after 'timeout=', found 'x'");
}

/* ----------------------------------------------- multiprocessing.Queue */

/* put hands the item to the process's feeder thread (started by the
 * first put: a daemon thread running QueueFeederThread): empty() is True
 * right after it, qsize() and full() count the slot. */
static void test_put_goes_through_the_feeder(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "queue q 1\nprogram main {\n  q.put 7\n"
                  "  print q.empty() q.full() q.qsize()\n  q.get -> v\n  print v q.empty()\n}\n"
                  "spawn main\n");
    sim_at(&x, 1);
    const struct snap_task *f = tid_of(&x, 3);
    assert_non_null(f);
    assert_int_equal(f->pid, 2);
    assert_true(f->daemon);
    assert_string_equal(x.s->programs[f->prog].name, "QueueFeederThread");
    const struct snap_chan *c = chan_of(&x, "q");
    assert_int_equal(c->kind, CHAN_QUEUE);
    assert_int_equal(c->nmsgs, 0);
    assert_int_equal(c->nbuffered, 1);
    assert_int_equal(c->qsize, 1);
    assert_int_equal(c->nfeeders, 1);
    assert_int_equal(c->feeders[0], 3);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "True True 1");
    assert_string_equal(printed(&x, 2, 1), "7 True");
    const struct event *put = qevent(&x, QE_PUT, 0);
    assert_non_null(put);
    assert_int_equal(put->b, 3);                    /* the feeder's tid */
    assert_string_equal(trace_text(&x.tr, put), "7");
    const struct event *feed = qevent(&x, QE_FEED, 0);
    const struct event *get = qevent(&x, QE_GET, 0);
    assert_non_null(feed);
    assert_non_null(get);
    assert_int_equal(feed->tid, 3);
    assert_true(feed->tick <= get->tick);
    char line[200];
    event_format(&x.tr, x.s, put, line, sizeof line);
    assert_string_equal(line, "pid 2 puts 7 on q: the feeder (tid 3) will flush it");
    event_format(&x.tr, x.s, feed, line, sizeof line);
    assert_string_equal(line, "feeder 3 (pid 2) moves 7 into q's pipe: 1 message in it");
    sim_free(&x);
}

/* Getters wait in S on the queue's name and are served first come, first
 * served, each the item that reaches the pipe while it is first. */
static void test_getters_are_served_in_order(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config cpus=4\nqueue q\n"
                  "program getter {\n  q.get -> v\n  print v\n}\n"
                  "program main {\n  fork getter\n  sleep 5\n  fork getter\n  sleep 5\n"
                  "  fork getter\n  sleep 20\n  q.put \"a\"\n  q.put \"b\"\n  q.put \"c\"\n"
                  "  wait\n  wait\n  wait\n}\nspawn main\n");
    sim_at(&x, 25);
    const struct snap_chan *c = chan_of(&x, "q");
    for (int pid = 3; pid <= 5; pid++) {
        assert_int_equal(state_of(&x, pid), 'S');
        assert_string_equal(task_of(&x, pid)->wchan, "q");
        assert_ptr_equal(&x.snap.chans[task_of(&x, pid)->wait_chan], c);   /* waits_on */
    }
    assert_int_equal(c->nreaders, 3);
    assert_int_equal(c->readers[0], 3);
    assert_int_equal(c->readers[2], 5);
    sim_finish(&x);
    assert_string_equal(printed(&x, 3, 0), "a");
    assert_string_equal(printed(&x, 4, 0), "b");
    assert_string_equal(printed(&x, 5, 0), "c");
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* A bounded queue: put waits for a slot, which a get hands to the first
 * waiting putter; nowait raises Full at once. */
static void test_bounded_put_waits_for_a_slot(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "queue q 2\nprogram main {\n  q.put 1\n  q.put 2\n"
                  "  try {\n    q.put 3 nowait\n  } except Full {\n    print \"Full\"\n  }\n"
                  "  fork -> c\n  if c == 0 {\n    sleep 50\n    q.get -> a\n    print \"got\" a\n"
                  "    exit\n  }\n  q.put 3\n  print \"put 3 at\" now()\n  wait\n}\nspawn main\n");
    sim_at(&x, 30);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_string_equal(task_of(&x, 2)->wchan, "q");
    const struct snap_chan *c = chan_of(&x, "q");
    assert_int_equal(c->qsize, 2);
    assert_int_equal(c->nwriters, 1);
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "Full");
    assert_string_equal(printed(&x, 4, 0), "got 1");
    const struct event *nowait = qevent(&x, QE_PUT_NOWAIT, 0);
    assert_non_null(nowait);
    const struct event *get = qevent(&x, QE_GET, 0);
    const struct event *waited = qevent(&x, QE_PUT, 2);
    assert_non_null(waited);
    assert_string_equal(trace_text(&x.tr, waited), "3");
    assert_true(waited->tick > get->tick);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    sim_free(&x);
}

/* timeout=N: Empty (Full) is raised at the deadline tick, N + 1 ticks
 * after the call, as a sleep of N wakes; timeout=0 and nowait at once. */
static void test_timeouts_raise_at_their_deadline(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "queue q 1\nprogram main {\n  sleep 9\n"
                  "  try {\n    q.get timeout=100\n  } except Empty {\n    print now()\n  }\n"
                  "  q.put 1\n  sleep 9\n"
                  "  try {\n    q.put 2 timeout=40\n  } except Full {\n    print now()\n  }\n"
                  "  try {\n    q.get -> v timeout=0\n    print \"got\" v\n  } except Empty {\n"
                  "    print \"Empty\"\n  }\n"
                  "  try {\n    q.get nowait\n  } except Empty {\n    print \"Empty nowait\"\n"
                  "  }\n}\nspawn main\n");
    sim_finish(&x);
    const struct event *w = qevent(&x, QE_WAIT_EMPTY, 0);
    const struct event *to = qevent(&x, QE_GET_TIMEOUT, 0);
    assert_non_null(w);
    assert_non_null(to);
    assert_int_equal(to->tick, w->tick + 101);
    const struct event *pw = qevent(&x, QE_WAIT_FULL, 0);
    const struct event *pto = qevent(&x, QE_PUT_TIMEOUT, 0);
    assert_non_null(pto);
    assert_int_equal(pto->tick, pw->tick + 41);
    assert_string_equal(printed(&x, 2, 2), "got 1");
    assert_string_equal(printed(&x, 2, 3), "Empty nowait");
    assert_non_null(qevent(&x, QE_GET_NOWAIT, 0));
    char line[120];
    event_format(&x.tr, x.s, to, line, sizeof line);
    assert_string_equal(line, "pid 2: q.get timed out: Empty");
    sim_free(&x);
}

/* A signal handler interrupts a timed get; the get goes on afterwards and
 * keeps its deadline (CPython retries with the time left). */
static void test_timed_get_keeps_its_deadline_across_a_handler(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "queue q\nhandler h {\n  print \"handler\"\n}\n"
                  "program main {\n  signal SIGUSR1 h\n"
                  "  try {\n    q.get timeout=100\n  } except Empty {\n    print now()\n  }\n"
                  "}\nspawn main\nat 40 kill 2 SIGUSR1\n");
    sim_finish(&x);
    const struct event *w = qevent(&x, QE_WAIT_EMPTY, 0);
    const struct event *to = qevent(&x, QE_GET_TIMEOUT, 0);
    assert_string_equal(printed(&x, 2, 0), "handler");
    assert_non_null(qevent(&x, QE_WAIT_EMPTY, 1));      /* it waited again */
    assert_int_equal(to->tick, w->tick + 101);
    sim_free(&x);
}

/* The feeder writes whole items while they fit in the pipe (64 KiB) and
 * then sleeps on it; the process, at its end, waits for the feeder, so a
 * parent that waits for it first never gets anything: stuck. */
static void test_exit_waits_for_the_feeder(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "queue q\nprogram child {\n  repeat 20 {\n    q.put \"x\" * 4090\n  }\n}\n"
                  "program main {\n  fork child\n  wait\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_STUCK);
    assert_int_equal(state_of(&x, 3), 'S');
    assert_string_equal(task_of(&x, 3)->wchan, "q");
    const struct snap_chan *c = chan_of(&x, "q");
    assert_int_equal(c->nmsgs, 16);
    assert_int_equal(c->bytes, 65536);
    assert_int_equal(c->capacity, 65536);
    assert_int_equal(c->nbuffered, 4);
    assert_int_equal(c->qsize, 20);
    assert_int_equal(c->nwriters, 2);         /* the feeder, then its process */
    assert_int_equal(c->writers[0], 4);
    assert_int_equal(c->writers[1], 3);
    assert_int_equal(tid_of(&x, 4)->state, 'S');
    const struct event *e = qevent(&x, QE_FLUSH_WAIT, 0);
    assert_non_null(e);
    assert_int_equal(e->pid, 3);
    /* the end of the run says why each waits */
    const struct event *why = qevent(&x, QE_STUCK, 0);
    assert_non_null(why);
    assert_int_equal(why->pid, 3);
    assert_non_null(strstr(trace_text(&x.tr, why), "pid 3 can never exit: its feeder thread"));
    why = qevent(&x, QE_STUCK, 1);
    assert_non_null(why);
    assert_int_equal(why->tid, 4);
    assert_null(qevent(&x, QE_STUCK, 2));
    sim_free(&x);
}

/* The queue's pipe holds `config pipe_size` bytes, as a pipe does. */
static void test_pipe_size_sets_the_queue_pipe(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "config pipe_size=8192\nqueue q\nprogram child {\n  repeat 5 {\n"
                  "    q.put \"x\" * 4090\n  }\n}\nprogram main {\n  fork child\n  wait\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_STUCK);
    const struct snap_chan *c = chan_of(&x, "q");
    assert_int_equal(c->capacity, 8192);
    assert_int_equal(c->nmsgs, 2);
    assert_int_equal(c->nbuffered, 3);
    sim_free(&x);
}

/* The fix: get first. The child's end then completes (exit 0), after its
 * feeder has flushed the last item. */
static void test_get_before_join_lets_the_child_exit(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "queue q\nprogram child {\n  repeat 20 {\n    q.put \"x\" * 4090\n  }\n"
                  "  exit 3\n}\nprogram main {\n  fork child\n  repeat 20 {\n    q.get\n  }\n"
                  "  wait -> p, st\n  print st\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    assert_string_equal(printed(&x, 2, 0), "3");
    const struct event *flush = qevent(&x, QE_FLUSH_WAIT, 0);
    const struct event *last = qevent(&x, QE_FEED, 19);
    assert_non_null(flush);
    assert_non_null(last);
    assert_true(last->tick > flush->tick);
    sim_free(&x);
}

/* A death by a signal does not wait: the buffered items are lost, and
 * their slots with them (qsize still counts them, as in CPython). */
static void test_killed_process_loses_its_buffer(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "queue q\nprogram child {\n  repeat 5 {\n    q.put 1\n  }\n  pause\n}\n"
                  "program main {\n  fork -> c\n  if c == 0 {\n    exec child\n  }\n"
                  "  sleep 3\n  kill c SIGKILL\n  wait\n  print q.qsize() q.empty()\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    const struct event *lost = qevent(&x, QE_LOST, 0);
    assert_non_null(lost);
    assert_int_equal(lost->pid, 3);
    /* two puts before the kill, neither flushed: both slots stay taken */
    assert_int_equal(lost->b, 2);
    assert_string_equal(printed(&x, 2, 0), "2 True");
    const struct snap_chan *c = chan_of(&x, "q");
    assert_int_equal(c->nbuffered, 0);
    assert_int_equal(c->nfeeders, 0);
    sim_free(&x);
}

/* close: put and get then raise ValueError; the feeder ends once it has
 * flushed. */
static void test_close_ends_the_feeder(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "queue q\nprogram main {\n  q.put 1\n  q.put 2\n  q.close\n"
                  "  try {\n    q.put 3\n  } except ValueError as e {\n    print e\n  }\n"
                  "  try {\n    q.get\n  } except ValueError {\n    print \"get\"\n  }\n"
                  "  sleep 20\n  print q.empty()\n}\nspawn main\n");
    sim_finish(&x);
    assert_string_equal(printed(&x, 2, 0), "Queue is closed");
    assert_string_equal(printed(&x, 2, 1), "get");
    assert_string_equal(printed(&x, 2, 2), "False");
    const struct event *end = qevent(&x, QE_FEEDER_END, 0);
    assert_non_null(end);
    assert_int_equal(end->tid, 3);
    assert_int_equal(qevent(&x, QE_FEED, 1)->tick < end->tick, 1);
    sim_free(&x);
}

/* A bare fork (os.fork) of a parent whose feeder has started: the child
 * inherits the feeder thread object, not the thread, so its puts are never
 * sent and its exit does not wait; a child of `fork PROG` (a Process), or
 * of a parent that never put, starts its own feeder. */
static void test_bare_fork_child_puts_are_never_sent(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "queue q\nqueue r\nprogram kid {\n  q.put \"process\"\n}\n"
                  "program main {\n  q.put 1\n  q.get\n  fork -> c\n  if c == 0 {\n"
                  "    q.put \"bare\"\n    r.put \"fresh\"\n    exit\n  }\n  wait\n"
                  "  fork kid\n  wait\n  q.get -> a\n  r.get -> b\n  print a b q.qsize()\n}\n"
                  "spawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_EMPTY);
    assert_string_equal(printed(&x, 2, 0), "process fresh 1");   /* the lost slot */
    const struct event *o = qevent(&x, QE_PUT_ORPHAN, 0);
    assert_non_null(o);
    assert_int_equal(o->pid, 4);
    assert_int_equal(o->b, 3);                 /* the parent's feeder */
    assert_string_equal(trace_text(&x.tr, o), "'bare'");
    assert_null(qevent(&x, QE_PUT_ORPHAN, 1));
    /* the bare child waits at its exit for its own feeder of r, not for q */
    for (int i = 0; qevent(&x, QE_FLUSH_WAIT, i); i++)
        if (qevent(&x, QE_FLUSH_WAIT, i)->pid == 4)
            assert_int_equal(qevent(&x, QE_FLUSH_WAIT, i)->a, 1);
    const struct event *lost = qevent(&x, QE_LOST, 0);
    assert_non_null(lost);
    assert_int_equal(lost->pid, 4);
    assert_int_equal(lost->b, 1);
    /* r: the bare child's own first put started its own feeder */
    assert_int_equal(count_events(&x, EV_THREAD_START, 0), 3);  /* main's, its r, kid's */
    sim_free(&x);
}

/* ------------------------------------------------------- JoinableQueue */

static void test_joinable_join_and_task_done(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "joinablequeue q\nprogram worker {\n  repeat 3 {\n    q.get\n    compute 10\n"
                  "    q.task_done\n  }\n}\n"
                  "program main {\n  fork worker\n  q.put 1\n  q.put 2\n  q.put 3\n  q.join\n"
                  "  print \"joined at\" now()\n  wait\n  q.task_done\n}\nspawn main\n");
    sim_at(&x, 10);
    assert_int_equal(state_of(&x, 2), 'S');
    assert_int_equal(chan_of(&x, "q")->unfinished, 3);
    sim_finish(&x);
    const struct event *done = qevent(&x, QE_ALL_DONE, 0);
    assert_non_null(done);
    assert_int_equal(done->pid, 3);
    assert_int_equal(done->b, 1);
    /* the uncaught ValueError ends main with a traceback and exit 1 */
    assert_string_equal(printed(&x, 2, 1), "Traceback (most recent call last): line 17, in "
                        "main: ValueError: task_done() called too many times");
    const struct proc_record *r = trace_find_proc(&x.tr, 2);
    assert_int_equal(r->exit_status, 1);
    sim_free(&x);
}

/* ------------------------------------------------------- thread queues */

static void test_thread_queue_orders(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "threadqueue f\nthreadqueue l 0 lifo\nthreadqueue p 0 priority\n"
                  "program main {\n  f.put 2\n  f.put 3\n  f.put 1\n  l.put 2\n  l.put 3\n"
                  "  l.put 1\n  p.put (2, \"b\")\n  p.put (3, \"c\")\n  p.put (1, \"a\")\n"
                  "  p.put (2, \"a\")\n  print f.empty() f.qsize() f.full()\n"
                  "  repeat 3 {\n    f.get -> a\n    l.get -> b\n    print a b\n  }\n"
                  "  repeat 4 {\n    p.get -> c\n    print c\n  }\n"
                  "  p.put 1\n  p.put \"s\"\n}\nspawn main\n");
    sim_finish(&x);
    /* no feeder: in the queue as soon as put returns */
    assert_string_equal(printed(&x, 2, 0), "False 3 False");
    assert_string_equal(printed(&x, 2, 1), "2 1");
    assert_string_equal(printed(&x, 2, 2), "3 3");
    assert_string_equal(printed(&x, 2, 3), "1 2");
    assert_string_equal(printed(&x, 2, 4), "(1, 'a')");
    assert_string_equal(printed(&x, 2, 5), "(2, 'a')");
    assert_string_equal(printed(&x, 2, 6), "(2, 'b')");
    assert_string_equal(printed(&x, 2, 7), "(3, 'c')");
    /* heappush compares: a str after an int is a TypeError */
    assert_string_equal(printed(&x, 2, 8), "Traceback (most recent call last): line 26, in "
                        "main: TypeError: '<' not supported between instances of 'str' and "
                        "'int'");
    assert_int_equal(count_events(&x, EV_THREAD_START, 0), 0);
    sim_free(&x);
}

static void test_thread_queue_in_a_second_process_is_an_error(void **state)
{
    (void)state;
    struct sim x;
    sim_start(&x, "threadqueue q 1\nprogram main {\n  q.put 1\n  print q.full()\n  fork -> c\n"
                  "  if c == 0 {\n    print q.qsize()\n  }\n}\nspawn main\n");
    sim_finish(&x);
    assert_int_equal(machine_status(x.m), MS_ERROR);
    const struct diag *d = machine_error(x.m);
    assert_int_equal(d->line, 7);
    assert_non_null(strstr(d->msg, "threadqueue 'q' is used by pid 3, but it lives in the "
                                   "memory of pid 2"));
    assert_string_equal(printed(&x, 2, 0), "True");
    sim_free(&x);
}

/* ------------------------------------------------------ copies, memory */

/* A recorded run's state at a tick (rebuilt from a checkpoint copy) is the
 * state of a machine run straight to it: queues, buffers and feeders are
 * copied whole. */
static void test_checkpoint_copies_hold_the_queues(void **state)
{
    (void)state;
    const char *src = "config cpus=2\nqueue q 3\n"
                      "program producer {\n  i = 0\n  repeat 3000 {\n    q.put (\"item\", i)\n"
                      "    i = i + 1\n  }\n}\n"
                      "program consumer {\n  repeat 3000 {\n    q.get -> x\n    compute 2\n  }\n}\n"
                      "spawn producer\nspawn consumer\n";
    struct scenario *s = load(src);
    struct run *r = run_record(s, &s->config);
    struct snapshot a;
    snapshot_init(&a);
    int64_t ticks[] = { 7, 4999, 12345 };
    for (int i = 0; i < 3; i++) {
        struct sim x;
        sim_start(&x, src);
        sim_at(&x, ticks[i]);
        run_state_at(r, ticks[i], &a);
        assert_int_equal(a.nchans, 1);
        const struct snap_chan *c = &a.chans[0], *d = &x.snap.chans[0];
        assert_int_equal(c->nmsgs, d->nmsgs);
        assert_int_equal(c->qsize, d->qsize);
        assert_int_equal(c->nbuffered, d->nbuffered);
        assert_int_equal(c->nreaders, d->nreaders);
        for (int k = 0; k < c->nmsgs && k < SNAP_MAX_MSGS; k++)
            assert_string_equal(c->msgs[k].text, d->msgs[k].text);
        sim_free(&x);
    }
    snapshot_free(&a);
    run_free(r);
    scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declarations),
        cmocka_unit_test(test_declaration_errors),
        cmocka_unit_test(test_method_errors),
        cmocka_unit_test(test_put_goes_through_the_feeder),
        cmocka_unit_test(test_getters_are_served_in_order),
        cmocka_unit_test(test_bounded_put_waits_for_a_slot),
        cmocka_unit_test(test_timeouts_raise_at_their_deadline),
        cmocka_unit_test(test_timed_get_keeps_its_deadline_across_a_handler),
        cmocka_unit_test(test_exit_waits_for_the_feeder),
        cmocka_unit_test(test_pipe_size_sets_the_queue_pipe),
        cmocka_unit_test(test_get_before_join_lets_the_child_exit),
        cmocka_unit_test(test_killed_process_loses_its_buffer),
        cmocka_unit_test(test_close_ends_the_feeder),
        cmocka_unit_test(test_bare_fork_child_puts_are_never_sent),
        cmocka_unit_test(test_joinable_join_and_task_done),
        cmocka_unit_test(test_thread_queue_orders),
        cmocka_unit_test(test_thread_queue_in_a_second_process_is_an_error),
        cmocka_unit_test(test_checkpoint_copies_hold_the_queues),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
