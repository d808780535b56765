/*
 * trace.h - what happened during a run, kept as append-only history.
 *
 * The machine writes here while a run is recorded (and writes nothing when
 * it is given no trace, as when it replays from a checkpoint):
 *   - events with their causes ("pid 4 preempted: slice used up"),
 *   - one record per process ever created (for stats and `expect end`),
 *   - the history the window's timelines need: which task each CPU ran
 *     (kept as the ticks where that changed, so an idle or steady stretch
 *     costs nothing however long), and every change of a task's visible
 *     state.
 */
#ifndef PROCSIM_TRACE_H
#define PROCSIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scenario;

enum event_kind {
    EV_SPAWN,        /* init spawned pid (a = program)                     */
    EV_FORK,         /* pid forked child a                                 */
    EV_FORK_FAIL,    /* fork by pid failed; reason FAIL_*                  */
    EV_EXEC,         /* pid exec'd program a                               */
    EV_EXIT,         /* pid exited with status a (code, or -SIG)           */
    EV_REAP,         /* pid reaped by a, status b                          */
    EV_REPARENT,     /* pid reparented from a to b                         */
    EV_BLOCK,        /* pid left the CPU to wait; reason WHY_*, a = ticks  */
    EV_WAKE,         /* pid woken; reason WHY_*, a = the child for a wait  */
    EV_PREEMPT,      /* pid preempted on cpu b; reason PRE_*, a = by whom  */
    EV_YIELD,        /* pid yielded the CPU                                */
    EV_NICE,         /* pid's nice is now a (weight b)                     */
    EV_PRINT,        /* pid printed `text` (a line; reason: PRINT_STDOUT, or
                        PRINT_STDERR for a Python-mode traceback's lines)  */
    EV_WAIT_NONE,    /* wait by pid returned at once with a (-1 ECHILD,
                        0 nohang with nothing to report)                   */
    EV_ERROR,        /* runtime error in pid: text                         */
    EV_END,          /* the run ended; reason END_*                        */
    /* signals: a = signal number */
    EV_SIG_SEND,     /* pid (0 terminal) sends a to b (> 0 pid, < 0 group);
                        reason SEND_KERNEL: the kernel itself sends it      */
    EV_SIG_PENDING,  /* a became pending for pid; reason SIGP_*            */
    EV_SIG_IGNORED,  /* a discarded: ignored by pid (reason SIGI_*)        */
    EV_SIG_HANDLER,  /* pid runs handler b for a                           */
    EV_SIG_RETURN,   /* pid's handler for a finished                       */
    EV_SIG_DEFAULT,  /* pid takes a's default action, reason ACT_*         */
    EV_SIG_CONT,     /* pid continued by a                                 */
    EV_SIG_EINTR,    /* pid's sleep/wait/pause cut short by a; reason
                        WHY_*; b = ticks of sleep left                     */
    EV_SIG_RESTART,  /* tid's sleep/wait/join/lock wait interrupted by a to
                        run a handler; it goes back to it after the handler
                        (reason WHY_*; b = ticks of sleep left)            */
    EV_AUTO_REAP,    /* pid reaped at exit: its parent ignores SIGCHLD     */
    EV_ALARM,        /* pid's alarm rang                                   */
    /* threads, the GIL, shared objects */
    EV_THREAD_START, /* pid started thread a (program b); reason 1 daemon  */
    EV_THREAD_END,   /* thread a ended                                     */
    EV_GIL_TAKE,     /* tid took its process's GIL after waiting a ticks   */
    EV_GIL_WAIT,     /* tid waits for the GIL, held by tid a               */
    EV_GIL_DROP_REQUEST, /* tid asks holder a to drop the GIL              */
    EV_GIL_DROP,     /* tid drops the GIL for waiter a                     */
    EV_OBJ,          /* tid and object a; reason OBJ_*; b: count/value/owner */
    EV_LOST_UPDATE,  /* text                                               */
    EV_DEADLOCK,     /* text                                               */
    /* job control */
    EV_SETPGID,      /* pid moved process a to group b; reason 0, or the
                        errno (ERR_*) it failed with                      */
    EV_TCSETPGRP,    /* pid made group a the terminal's foreground; reason
                        0, or ERR_*; or JOB_TTOU: it is in the background,
                        so its group gets SIGTTOU                          */
    EV_ORPHANED,     /* group a became orphaned with a stopped member:
                        SIGHUP, then SIGCONT to every member               */
    EV_WAIT_JOB,     /* pid's waitpid reports child a stopped by signal
                        `reason` (0: continued); b = the status            */
    EV_SETSID,       /* pid leads new session a; reason 0, or ERR_*       */
    EV_RAISE,        /* tid raises exception a (EXC_*) at line b           */
    EV_QUEUE,        /* queue a; reason QE_*; b see there; text: repr of
                        the item, or ""                                   */
    /* the Process object (procobj.c) */
    EV_PROCOBJ,      /* reason PO_*: a = the thread or child; b = timeout  */
    EV_PIPE,         /* tid did something with a pipe: reason PIPE_*, a =
                        the pipe's slot, b = its fd or -1; text says it   */
    /* issue 12 */
    EV_COST,         /* tid starts paying a ticks of CPU for a statement;
                        reason 0, or COST_* + 1: which cost (fork_cost...) */
    EV_TIMER,        /* threading.Timer: reason TM_*, a = the timer's tid,
                        b = its interval (TM_START); text says it          */
    EV_POOL,         /* a pool or executor (issue 12): reason PL_*; a, b
                        see there; text: the whole sentence               */
    EV_SOCK,         /* a socket or the network (issue 13): reason SK_*;
                        a = the socket's id, b = an fd or bytes; text     */
    /* issue 13 */
    EV_MUX,          /* select, poll, epoll (sim/mux): reason MX_*; a =
                        fds watched, b = ready; text: the whole sentence  */
    EV_GREEN,        /* greenlets (issue 13, sim/coro): reason GR_*; a = the
                        greenlet, b = the one switched to (-1 none);
                        text: the whole sentence                          */
    EV_KIND_COUNT
};
/* EV_MUX reasons */
enum { MX_CALL,          /* a select/poll/epoll_wait returns (a, b) */
       MX_WAIT,          /* nothing ready: it waits */
       MX_COST,          /* its scan costs a ticks of CPU */
       MX_CTL,           /* register, modify, unregister, a new instance */
};
/* EV_TIMER reasons */
enum { TM_START,         /* pid starts timer a: PROG in b ticks */
       TM_FIRE,          /* timer a fires: PROG runs */
       TM_CANCEL,        /* pid cancels timer a while it waits: PROG never runs */
       TM_CANCEL_LATE }; /* pid cancels timer a after it fired: nothing */

enum { FAIL_PROC_LIMIT, FAIL_NO_PID };
enum { WHY_SLEEP, WHY_DISK, WHY_WAIT, WHY_CHILD_EXIT, WHY_PAUSE, WHY_SIGNAL,
       WHY_GIL, WHY_OBJ, WHY_JOIN, WHY_CHILD_STOP, WHY_CHILD_CONT,
       WHY_TIMEOUT,
       WHY_QUEUE,        /* its queue op can go on (a = the queue) */
       WHY_QTIMEOUT,     /* its queue op's timeout came (a = the queue) */
       WHY_SOCK,         /* its socket call can go on (a = the socket's id) */
       WHY_STIMEOUT };   /* its socket call's timeout came (a = the id) */
/* EV_QUEUE reasons (b in brackets) */
enum { QE_PUT,           /* put item (mp: feeder tid; else items in it) */
       QE_FEED,          /* a feeder moves item into the pipe (messages in it) */
       QE_GET,           /* get item (items left: pipe or queue) */
       QE_WAIT_EMPTY,    /* get waits: empty */
       QE_WAIT_FULL,     /* put waits: no free slot (maxsize) */
       QE_FEED_WAIT,     /* a feeder waits: the pipe is full (bytes in it) */
       QE_GET_TIMEOUT, QE_PUT_TIMEOUT,   /* timed out: Empty / Full raised */
       QE_GET_NOWAIT, QE_PUT_NOWAIT,     /* nowait: Empty / Full raised */
       QE_FLUSH_WAIT,    /* exiting: waits for its feeder (tid) to flush */
       QE_TASK_DONE,     /* task_done (unfinished left) */
       QE_JOIN_WAIT,     /* join waits (unfinished) */
       QE_ALL_DONE,      /* the last task_done: joiners woken (how many) */
       QE_CLOSE,         /* close */
       QE_FEEDER_END,    /* a feeder ends: closed and flushed */
       QE_LOST,          /* a process ends with items in its buffer (how many) */
       QE_STUCK,         /* the run is stuck: why this task waits (the text) */
       QE_PUT_ORPHAN };  /* put item after a bare fork: never sent (the
                            parent's feeder tid) */
enum { PO_JOIN_TIMEOUT,     /* join of a gives up after b ticks */
       PO_DAEMON_TERM,      /* pid ends: its daemon child a gets SIGTERM */
       PO_TERMINATE_NONE,   /* terminate a: not a child (or reaped): nothing */
       PO_TERMINATE };      /* terminate a: SIGTERM to child a */
/* errno values (Linux x86) that job-control calls fail with */
enum { SEND_BY_SENDER, SEND_KERNEL };
enum { ERR_EPERM = 1, ERR_ESRCH = 3, ERR_EACCES = 13, ERR_EINVAL = 22,
       ERR_ENOTTY = 25, JOB_TTOU = 255 };
enum { OBJ_ACQUIRED, OBJ_WAITS, OBJ_RELEASED, OBJ_SET, OBJ_CLEARED,
       OBJ_TIMED_OUT,       /* an acquire or wait gave up after b ticks */
       OBJ_BUSY };          /* acquire nowait (or timeout=0) found it taken */
enum { PRE_SLICE, PRE_WAKEUP, PRE_VRUNTIME };
enum { END_EMPTY, END_TICKS, END_STUCK, END_ERROR, END_DEADLOCK };
enum { SIGP_NEW, SIGP_BLOCKED, SIGP_MERGED, SIGP_IN_D, SIGP_STOPPED };
enum { SIGI_IGNORED, SIGI_DEFAULT_IGN, SIGI_INIT, SIGI_ORPHANED,
       SIGI_DYING };    /* SIGI_DYING: b = the fatal signal it dies of */
enum { ACT_TERM, ACT_CORE, ACT_IGN, ACT_STOP, ACT_CONT };
/* EV_POOL reasons, with what a and b hold (task numbers are per pool) */
enum { PL_FORK_WORKER,   /* the owner made worker a (b: its number, 1..) */
       PL_SUBMIT,        /* task a submitted (b: items) */
       PL_WAITS,         /* task a waits for a free worker (b: busy) */
       PL_TAKE,          /* worker b takes task a */
       PL_RESULT,        /* worker b: task a returned */
       PL_RAISED,        /* worker b: task a raised */
       PL_HANDLED,       /* the owner's handler (b: tid) took task a's result */
       PL_REPLACE,       /* worker a exits (maxtasksperchild); b replaces it */
       PL_WORKER_EXIT,   /* worker a exits (the pool closed / shut down) */
       PL_CLOSE,         /* the owner closes / shuts down the pool */
       PL_TERMINATE,     /* the owner terminates it: a tasks never run */
       PL_JOINED,        /* the owner's join / shutdown returns */
       PL_CANCEL,        /* future of task a cancelled (b: 1) or not (0) */
       PL_CALLBACK };    /* a done callback of task a runs in tid b */

/* EV_SOCK reasons */
enum { SK_NEW, SK_BIND, SK_LISTEN, SK_CONNECT, SK_ACCEPT, SK_SEND, SK_RECV, SK_WAIT,
       SK_EOF, SK_CLOSE, SK_RST, SK_ERROR, SK_NET, SK_OPT };

/* EV_GREEN reasons */
enum { GR_PATCH, GR_SPAWN, GR_SLEEP, GR_WAIT_FD, GR_JOIN, GR_END, GR_RESUME,
       GR_BLOCKS };

/* EV_PIPE reasons */
enum { PIPE_NEW, PIPE_SEND, PIPE_RECV, PIPE_WAIT_READ, PIPE_WAIT_WRITE,
       PIPE_EOF, PIPE_EPIPE, PIPE_CLOSE, PIPE_TORN, PIPE_STUCK };

/* The stream of an EV_PRINT line (its reason). */
enum { PRINT_STDOUT = 0, PRINT_STDERR = 1 };

struct event {                 /* fields ordered so it packs into 48 bytes */
    int64_t tick;              /* the tick it happened in */
    int64_t a, b;              /* see enum event_kind */
    int pid;                   /* the process it is about */
    int tid;                   /* the task it is about */
    uint32_t text;             /* offset into trace.strings, for print/error */
    /* Its cause (issue 14: a Python run's events quote the .py line):
     * the task whose statement it was — the task it is about, at the
     * statement it ran last (or waits in); for a zombie (a reap) or no
     * task, the task running its statements now; 0 none (init) — and
     * that statement's position, EVENT_POS(line, col) (0: unknown). */
    int by;
    uint32_t pos;
    uint8_t kind;              /* enum event_kind */
    uint8_t reason;            /* FAIL_*, WHY_*, PRE_*, END_* */
};
/* An event's position packed: the line above 12 bits, the column (1 to
 * 4095) in them; a position that does not fit is 0 (unknown). */
#define EVENT_POS(line, col) \
    ((line) > 0 && (line) < (1 << 20) && (col) > 0 && (col) < (1 << 12) \
         ? (uint32_t)(line) << 12 | (uint32_t)(col) : 0u)
#define EVENT_LINE(e) ((int)((e)->pos >> 12))
#define EVENT_COL(e) ((int)((e)->pos & 0xfff))

/* One per process ever created, in creation order (the wide fields
 * first, so a record packs into 72 bytes). */
struct proc_record {
    int64_t created;           /* tick it came into existence */
    int64_t first_run;         /* -1 if it never ran */
    int64_t exited;            /* first tick as a zombie, -1 if alive */
    int64_t reaped;            /* tick it was reaped, -1 if not */
    int64_t cpu_ticks, wait_ticks;
    int pid;
    int prog;                  /* program at exit (or now) */
    int ppid;                  /* parent at exit (or now) */
    int exit_status;           /* valid when exited >= 0 */
    int nvcsw, nivcsw;
};

/* One per pool or executor made, and one per worker a pool ever had, for
 * `procsim stats` (issue 12; always kept, as the process records). */
struct pool_record {
    const char *name;          /* its name (in the scenario) */
    int owner;                 /* the pid that made it */
    int kind;                  /* enum pool_kind */
    int64_t submitted, completed;  /* tasks */
};
struct pool_worker_record {
    int pool;                  /* index into trace.pools */
    int pid, tid;              /* a thread worker: its process and tid */
    int64_t tasks;             /* tasks it finished */
};

/* A task's visible state changed: from `tick` on it is `state`
 * ('R','S','D','T','Z', or 'X' once it is gone). */
struct state_change {
    int64_t tick;
    int tid;
    char state;
};

/* What a trace keeps, so that a command records only what it prints
 * (`stats` the process records, `output` the print events, the window
 * everything). The process records, the end of the run and runtime errors
 * are always kept. */
enum {
    TRACE_PRINTS = 1 << 0,     /* EV_PRINT events and their text */
    TRACE_EVENTS = 1 << 1,     /* every event (implies TRACE_PRINTS) */
    TRACE_STATES = 1 << 2,     /* the state changes (timelines) */
    TRACE_CPUS   = 1 << 3,     /* each CPU's task in each tick */
    TRACE_ALL    = TRACE_PRINTS | TRACE_EVENTS | TRACE_STATES | TRACE_CPUS,
};

/* Events of one tick that a trace with a per-tick limit did not keep. */
struct dropped_events {
    int64_t tick;
    size_t n;
};

struct trace {
    unsigned keep;             /* TRACE_* */
    bool oom;                  /* something could not be kept: out of memory */
    /* At most max_tick_events events a tick (0: no limit; the end of the
     * run and errors always): `procsim run` prints no more than that in a
     * row, and 100,000 spawns in one tick need not be held. */
    size_t max_tick_events;
    int64_t limit_tick;        /* the tick being counted */
    size_t limit_count;        /* events kept in it */
    struct dropped_events *dropped; size_t ndropped, droppedcap;
    struct event *ev;            size_t nev, evcap;
    char *strings;               size_t nstr, strcap;
    struct proc_record *procs;   size_t nprocs, proccap;
    struct pool_record *pools;   size_t npools, poolcap;
    struct pool_worker_record *pworkers; size_t npworkers, pworkercap;
    struct state_change *states; size_t nstates, statecap;
    /* Which task each CPU ran: from tick cpu_from[i] on (until the next
     * entry), CPU c ran cpu_hist[i * ncpus + c] (0 idle). */
    int64_t *cpu_from;           size_t ncpu_from, cpu_fromcap;
    int32_t *cpu_hist;
    int64_t cpu_end;           /* ticks before this one are recorded */
    int ncpus;
    /* Creation costs (issue 12), by COST_* (scenario.h): ticks of CPU paid
     * for forks, execs, thread starts and exits, and how many statements
     * paid; always kept, as the process records are. */
    int64_t cost_ticks[4], cost_count[4];
    /* Objects made at run time (issue 14, `new`): made_site[obj] is the
     * `new` statement's own object that object obj is like (-1 for the
     * scenario's), so its events name it; see trace_object. */
    int *made_site;              size_t nmade;
};

/* A trace that keeps everything (trace_init) or only `keep` (TRACE_*). */
void trace_init(struct trace *t, int ncpus);
void trace_init_keeping(struct trace *t, int ncpus, unsigned keep);
void trace_free(struct trace *t);

struct scenario;
struct object;
/* Object obj was made at run time like object `site` (the kernel says). */
void trace_object_made(struct trace *t, int obj, int site);
/* Object obj's declaration: the scenario's, or the one a made object is
 * like; NULL when unknown. */
const struct object *trace_object(const struct trace *t, const struct scenario *s, int obj);

/* Whether t keeps events of this kind. */
static inline bool trace_keeps_event(const struct trace *t, int kind)
{
    return (t->keep & TRACE_EVENTS) || kind == EV_END || kind == EV_ERROR ||
           (kind == EV_PRINT && (t->keep & TRACE_PRINTS));
}

/* Whether t keeps an event of this kind in `tick`, counting it against the
 * per-tick limit (the machine asks before it writes one). */
bool trace_admit_event(struct trace *t, int64_t tick, int kind);

/* How many events of `tick` the per-tick limit left out. */
size_t trace_dropped_at(const struct trace *t, int64_t tick);

/* Forget the history before `tick` (events, state changes, CPU history)
 * but not the process records: `procsim run` prints its rows as the run
 * goes, so its trace never holds more than the rows it is about to print. */
void trace_forget_before(struct trace *t, int64_t tick);

/* Record that CPU c runs tids[c] (0 idle) during `tick`, for c < ncpus;
 * ticks are recorded in order. Sets t->oom when out of memory. */
void trace_add_cpus(struct trace *t, int64_t tick, const int32_t *tids);

/* Events of tick `tick`: returns how many and sets *first to the index of
 * the first one (events are in tick order). */
size_t trace_events_at(const struct trace *t, int64_t tick, size_t *first);

/* The tid CPU `cpu` ran during `tick`, 0 if idle or out of range. */
int trace_cpu_at(const struct trace *t, int64_t tick, int cpu);

/* Append a pool's or a pool worker's record: its index, or -1 (out of
 * memory: t->oom is set). */
int trace_add_pool(struct trace *t, const char *name, int owner, int kind);
int trace_add_pool_worker(struct trace *t, int pool, int pid, int tid);

/* The record of the most recent process with this pid, or NULL. */
const struct proc_record *trace_find_proc(const struct trace *t, int pid);

/* The text of an event (print, error), or "". */
const char *trace_text(const struct trace *t, const struct event *e);

/* One line describing e ("pid 4 preempted on cpu0: slice used up").
 * Returns the length it needed; buf is always NUL-terminated. */
size_t event_format(const struct trace *t, const struct scenario *s,
                    const struct event *e, char *buf, size_t size);

#endif
