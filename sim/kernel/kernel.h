/*
 * kernel.h - the simulated kernel's own data: processes, tasks, CPUs and the
 * run queue. Private to sim/; front ends see snapshots (snapshot.h).
 *
 * Everything lives in flat arrays and refers to other objects by slot index,
 * never by pointer, so that a whole machine can be copied with a few memcpy
 * calls (machine_clone, the checkpoints of a recorded run).
 *
 * A process (struct proc) owns the things Linux keeps per thread group: pid,
 * parent, children, process group, nice, variables, exit status. A task
 * (struct task) is what the scheduler runs: one per thread. Until threads
 * exist every process has exactly one task, its main thread (tid == pid).
 */
#ifndef PROCSIM_KERNEL_H
#define PROCSIM_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "heap.h"
#include "machine.h"
#include "msgq.h"
#include "net.h"
#include "pipes.h"
#include "pool.h"
#include "value.h"

struct sched_policy;

/* What a sleeping task waits for (its wait channel). */
enum wchan { WC_NONE, WC_SLEEP, WC_DISK, WC_WAIT, WC_PAUSE,
             WC_GIL,       /* waiting for its process's GIL */
             WC_OBJ,       /* waiting on a lock, semaphore or event (wobj) */
             WC_JOIN,      /* join: waiting for thread join_tid to end */
             WC_THREADS,   /* main thread done: waiting for non-daemon threads */
             WC_QUEUE,     /* a queue (wobj): get, put, join, or a feeder
                              thread (task.qwait says which); pc is past
                              the statement, as for WC_OBJ */
             WC_FLUSH,     /* exiting: waiting for its feeder threads to
                              flush queue wobj (pc stays on the exit) */
             WC_PIPE,      /* reading or writing a pipe (wobj: pipe * 2 + dir) */
             WC_TIMER,     /* a threading.Timer's wait (timer.c) */
             WC_POOL,
             WC_POLL,      /* select, poll, epoll_wait, a coroutine hub:
                              woken by a readiness watch (file.h); pc
                              stays on the statement, which runs again */
             WC_SOCK,      /* a socket call: accept, connect, send, recv
                              (socket.c; wobj: the socket) */
             WC_HUB };     /* a thread whose greenlets all wait: its hub
                              waits for a watch or a timer (sim/coro) */    /* a pool (pool.c): a worker waiting for a task,
                              a result handler for a result, a join; or a
                              get on a job (task.qwait says which: PW_*;
                              wobj: the pool or job slot). pc stays on
                              the statement, which runs again */

/* A signal disposition (sigaction): default, ignore, or a handler index. */
#define SIGACT_DEFAULT (-1)
#define SIGACT_IGNORE  (-2)
/* Python mode's SIGINT at the start (issue 14): CPython's
 * default_int_handler, which raises KeyboardInterrupt in the main thread */
#define SIGACT_KBINT   (-3)

/* Where a task was when a signal handler interrupted it (the kernel's
 * signal frame on the user stack); handlers may nest this deep. Frames live
 * in one pool per machine (machine.frames), linked from the innermost
 * outwards, so a task that runs no handler pays for none (an inline array
 * of eight cost 256 bytes a task). */
#define MAX_SIGFRAMES 8
struct sigframe {
    int next;                  /* the frame below (pool index), -1 none;
                                  free frames: the next free one */
    int prog, pc;              /* where to resume */
    int64_t left;              /* ticks left of a compute under way */
    uint32_t blocked;          /* the mask to restore */
    int sig;                   /* the signal being handled */
    int64_t sleep_until;       /* the interrupted task's sleep_until */
};

/* What a task needs only once it enters a try block or returns a value
 * (exc.c). Kept in a pool (machine.taskx) rather than in every task, so the
 * many tasks that never do pay 4 bytes for it, not 80. */
struct taskx {
    int next;                  /* free ones: the next free, -1 */
    /* the try blocks it is in, innermost last, each with the handler depth
     * (nframes) it was entered at */
    uint8_t ntry;
    uint8_t try_level[MAX_TRY];
    int8_t exc;                /* the exception being handled (EXC_*), -1 */
    int try_call[MAX_TRY];     /* and the call depth (ncall) it was in */
    int ncall;                 /* calls under way (call.c), innermost last */
    int try_at[MAX_TRY];       /* pc of the block's first `except` */
    int exc_line;              /* where it was raised */
    const char *exc_msg;       /* its message (static text), or NULL */
    bool exc_dyn;              /* its message is exc_val instead (issue 14:
                                  `raise E EXPR`, messages made at run time) */
    struct value exc_val;
    /* the exception the last matching `except` took (a bare `raise`
     * raises it again), -1 none; its message as exc_msg/exc_dyn/exc_val */
    int8_t cur_exc;
    bool cur_dyn;
    const char *cur_msg;
    struct value cur_val;
    struct value result;       /* what its program returned (`return`) */
    struct callframe {         /* where each call returns to */
        int prog, pc;          /* the caller's program and next pc */
        int var;               /* the variable that gets the result, -1 */
        int lbase;             /* the caller's frame locals (lbase) */
        uint8_t nframes;       /* the handler depth it was called at */
    } *call;                   /* call_cap of them (call.c grows it) */
    int call_cap;
    /* the locals of `def` programs (issue 14): the frames' variables one
     * after another; the current frame's start at lbase. Kept (with call)
     * when the taskx is freed, for its next user; copied by fork and by
     * machine_clone. */
    struct value *lv;
    int nlv, lv_cap, lbase;
};

struct task {
    /* identity: set at creation, never changed */
    int tid;                   /* thread id (== pid for the main thread) */
    int proc;                  /* slot of its process */
    char name[TASK_NAME_LEN];  /* a thread's name (`thread @F ARGS name E`:
                                  CPython's Thread.name), "" for its
                                  program's; cut to fit */

    /* state: changed only through task_set_state() so the trace sees it */
    char state;                /* 'R','S','D','T','Z'; 0 = free slot */
    uint8_t wchan;             /* enum wchan while S or D */
    uint8_t pipe_op;           /* a pipe send or recv under way (PIPE_OP_*;
                                  the rest in machine.ptasks, pipe.c) */
    uint8_t qwait;             /* WC_QUEUE: what it waits for (QW_*, queue.c;
                                  a timed one's deadline is timeout_at) */
    int cpu;                   /* CPU running it, -1 when not on a CPU */
    int last_cpu;              /* CPU it ran on last, -1 never ran */
    int64_t wake_at;           /* tick its timer fires, -1 when none */
    int timer_pos;             /* place in the timer heap, -1 when none */
    int wait_pid;              /* the pid spec a blocked wait waits for */
    int wait_flags;            /* and its INSN_UNTRACED / INSN_CONTINUED */
    char resume;               /* T only: state to go back to on SIGCONT
                                  ('S' a timed sleep still running, else 'R') */
    uint8_t stop_wchan;        /* T only: the wait it was stopped in */
    bool daemon;               /* a daemon thread: ends with its process */
    bool qgrant;               /* woken with a queue slot (put) or the pipe
                                  (feeder) handed to it: its retry takes it */
    int wobj;                  /* WC_OBJ, WC_QUEUE, WC_FLUSH: the object */
    int pool_at;               /* a pool's worker or result handler: its
                                  pool's slot + 1; 0 none (pool.c) */
    int pool_wi;               /* a worker: its index in the pool's list */
    int join_tid;              /* WC_JOIN: the thread it waits for */
    int wq_next;               /* next task slot in the wait queue it is on
                                  (GIL or object), -1 */
    int next_thread;           /* next task slot of the same process, -1 */
    int64_t gil_since;         /* WC_GIL: tick it began waiting */
    int64_t gil_switches;      /* WC_GIL: its process's GIL switch count then */

    /* a shared-memory update under way (load in one tick, store the next) */
    bool storing;              /* the load is done, the store comes next */
    int store_index;           /* an array update: the item it stores to */
    int64_t store_value;       /* the value to store */
    int64_t store_version;     /* the shared value's version at the load */
    int64_t load_tick;         /* when it loaded */
    /* a wait with a timeout (join, acquire, event wait, a queue's put or
     * get): the tick it gives up, kept when a signal or a stop makes it run
     * the statement again; 0 none (procobj.c, queue.c) */
    int64_t timeout_at;

    /* where it is in its program */
    int prog;                  /* program index; PROG_INIT for init */
    int pc;                    /* next instruction */
    struct srcpos last_pos;    /* the statement it ran last (the one it
                                  waits in): the cause its events record */
    int64_t left;              /* ticks left of a compute under way, 0 none */
    int64_t acc_ns;            /* stmt_cost > 0: the statements' cost run
                                  so far and not yet a whole tick (exec.c) */

    int x;                     /* its try blocks, exception and result
                                  (machine.taskx, exc.c), -1: none yet */

    /* signals: the mask is per thread, as in Linux */
    uint32_t blocked;          /* signals it blocks (bit n = signal n) */
    bool sigpending;           /* TIF_SIGPENDING: it acts on its process's
                                  pending signals as it is about to run
                                  (it was chosen for one, or may take one) */
    int64_t sleep_until;       /* eintr=retry: the `sleep` at pc resumes
                                  with this deadline (wake_at); 0 none */
    int frame_top;             /* innermost handler frame (pool index), -1 */
    int nframes;               /* handlers under way */

    /* scheduling entity (the policy's fields) */
    int64_t vruntime;          /* cfs: virtual runtime, VR_UNIT per tick */
    int weight;                /* cfs: load weight from its nice */
    /* cfs: results kept from the last tick, so a tick needs no division */
    int vr_weight;             /* the weight vr_tick was worked out for */
    int64_t vr_tick;           /* vruntime a tick adds at that weight */
    int64_t slice_load;        /* the load and number of runnable tasks */
    int slice_nr;              /*   slice was worked out for, */
    int slice_weight;          /*   and its weight then */
    int64_t slice;             /* its slice then (sched_slice), VR units */
    int ran;                   /* ticks run since last picked */
    int rr_left;               /* rr: ticks left of the quantum */
    int rq_next, rq_prev;      /* rr/fifo: run-queue list links, -1 */
    bool queued;               /* in the run queue (R, not running) */
    int64_t queued_since;      /* tick it entered the run queue */

    /* accounting */
    int64_t cpu_ticks;         /* ticks on a CPU */
    int64_t wait_ticks;        /* ticks queued, up to queued_since */
    int64_t first_run;         /* first tick it ran, -1 */
    int nvcsw, nivcsw;         /* voluntary / involuntary switches */
};

struct proc {
    /* identity and family: changed by fork, exit, reparenting */
    int pid;                   /* 0 = free slot */
    int ppid;                  /* parent's pid (init: 0) */
    int pgid;                  /* process group */
    int sid;                   /* session: TTY_SID (the terminal's), or the
                                  pid of the process that called setsid */
    int first_child, last_child;   /* child list (slots), creation order */
    int next_sib, prev_sib;    /* links in the parent's child list */
    int nchildren;             /* live and zombie children */
    int nzombies;              /* children that are zombies */

    /* threads: a list of task slots through task.next_thread */
    int main_task;             /* slot of the main thread (list head) */
    int nthreads;              /* live tasks */
    int nworkers;              /* live non-daemon threads besides main */

    /* the GIL (config gil=on): CPython's "new GIL", one per process */
    int gil_holder;            /* task slot holding it, -1 free */
    int gil_head, gil_tail;    /* waiting task slots, FIFO (wq_next) */
    bool gil_drop_request;     /* a waiter has waited a whole interval */
    bool gil_switch_early;     /* ... made before that tick's timers fired */
    int64_t gil_switches;      /* hand-overs so far */
    int64_t gil_switch_tick;   /* tick of the last hand-over */
    int64_t gil_timer_at;      /* the waiters' one timer: the tick the next
                                  drop request may come, -1 none (gil.c) */
    int gil_timer_tid;         /* the waiter asking then (0: not known yet,
                                  look when it fires) */
    int gil_timer_slot;        /* its task slot, -1 */
    int gil_timer_pos;         /* place in the machine's gil_timers, -1 */

    /* signals: set by `signal`, kill, alarm, subreaper; see signal.c */
    int16_t sigact[NSIG_MAX];  /* SIGACT_DEFAULT, SIGACT_IGNORE or handler */
    uint32_t pending;          /* generated, not yet acted on (one bit each:
                                  standard signals do not queue) */
    uint32_t tripped;          /* gil=on: signals a worker took whose Python
                                  handler the main thread runs, whatever
                                  its mask (CPython's Handlers[].tripped) */
    int group_exit;            /* SIGNAL_GROUP_EXIT: the fatal signal the
                                  process dies of at its next return to
                                  user mode (later signals are dropped);
                                  0 none */
    int64_t alarm_at;          /* tick SIGALRM is due, -1 none */
    int alarm_pos;             /* place in the alarm heap, -1 */
    bool subreaper;            /* adopts orphaned descendants */
    bool stopped;              /* stopped by a stop signal (T) */
    bool job_leader;           /* spawned from the terminal (a job) */

    /* job control: what waitpid untraced/continued reports (proc.c) */
    bool execed;               /* exec'd since its fork: its parent may no
                                  longer move it to a group (EACCES) */
    int stop_sig;              /* the signal that stopped it (WSTOPSIG) */
    bool stop_unreported;      /* stopped, not yet reported (WUNTRACED) */
    bool cont_unreported;      /* continued, not yet reported (WCONTINUED) */
    int64_t jobctl_since;      /* first tick the change can be reported */

    /* the rest of its life */
    int prog;                  /* the program it runs (its comm) */
    int nice;                  /* -20..19 */
    bool zombie;               /* exited, not yet reaped */
    bool exiting;              /* exited while a thread was in D: it ends
                                  when its I/O completes, and the process
                                  becomes a zombie (exit_status) when the
                                  last such thread has ended */
    uint8_t end_code;          /* the code its main thread's end exits with:
                                  0, or 1 after an uncaught exception */
    int exit_status;           /* code, or -SIG */
    int64_t zombie_since;      /* first tick it is visibly a zombie; it can
                                  be reaped from then on, not before */
    int64_t created;           /* first tick it exists */
    int64_t ended_cpu_ticks;   /* CPU time of its threads that have ended:
                                  its CPU time is this plus its live
                                  threads' (Linux: signal->sum_exec_runtime) */
    int record;                /* its index in trace.procs, -1 untraced */

    /* the Process object (procobj.c) */
    bool daemon;               /* started by `fork PROG daemon`: its parent
                                  sends it SIGTERM when it ends normally */
    bool daemonic;             /* may not start Process children (a daemon,
                                  or a plain fork of one) */
    int exitrecs;              /* statuses of children it reaped through
                                  join/is_alive/exitcode: first record in
                                  machine.exitrecs, -1 none */
    int fdt;                   /* its fd table (machine.fdtabs) + 1; 0: it
                                  holds no pipe end, only 0, 1 and 2 */
    /* issue 14: stdout as a terminal's line buffer (pyout.c) */
    struct value outbuf;       /* the partial line printed (a str), or 0 */
    struct value errbuf;       /* the same on stderr (print file=stderr) */
    bool quick_exit;           /* os._exit: the partial line is lost */
};

/* What a process keeps of a child or thread that has gone: a reaped
 * child's exit status, for exitcode() (CPython's Popen.returncode), or an
 * ended thread's return value, for a later `join TID -> R`. Records of one
 * process are linked through `next`, free ones too. */
struct exitrec {
    struct value v;            /* the status (an int), or the result */
    int id;                    /* the child's pid, or the thread's tid */
    int next;                  /* the process's next record, -1 */
    bool thread;               /* a thread's result */
};

/* One item of a shared array (multiprocessing.Array): its value and what
 * lost-update detection needs, as a `shared` value has (objstate). */
struct array_item {
    int64_t value;
    int64_t version;           /* stores so far */
    int last_writer;           /* tid of the last store, 0 none */
};

/* The live state of a scenario object: shared value, lock, rlock,
 * semaphore or event. Shared by every process (created before any fork). */
struct objstate {
    int64_t value;             /* shared: value; semaphore: count; event: 0/1 */
    int owner;                 /* lock/rlock: owner task slot, -1 free */
    int count;                 /* rlock: how many times the owner holds it */
    int head, tail;            /* waiting task slots, FIFO (task.wq_next) */
    int nwaiting;
    int64_t version;           /* shared: stores so far */
    int last_writer;           /* shared: tid of the last store, 0 none */
    int64_t last_write;        /* shared: tick of the last store */
    int64_t lost_at;           /* shared: tick of the last lost update, -1 */
    bool made;                 /* a `new` statement's object: made already */
    struct qstate {            /* queues (queue.c) */
        int64_t maxsize;       /* slots: maxsize, SEM_VALUE_MAX unbounded */
        int64_t sem;           /* slots free (the BoundedSemaphore) */
        int64_t unfinished;    /* joinable/thread: puts not yet task_done */
        struct msgq items;     /* multiprocessing: the pipe's messages;
                                  thread queue: the items, in get order */
        int64_t cap;           /* multiprocessing: the pipe's capacity */
        int owner;             /* thread queue: the pid whose memory holds
                                  it (its first user), 0 none yet */
        int nbuffered;         /* items in feeder buffers */
        int nfeeders;          /* live feeder threads */
        /* waiters, FIFO through task.wq_next */
        int get_head, get_tail, nget;      /* get */
        int put_head, put_tail, nput;      /* put: no slot free */
        int wr_head, wr_tail, nwr;         /* feeders: the pipe is full */
        int join_head, join_tail, njoin;   /* join */
    } q;
};

/* What a task in WC_QUEUE waits for. */
enum { QW_GET, QW_PUT, QW_WRITE, QW_IDLE, QW_JOIN };

/* A process's side of a multiprocessing queue it has put on or closed:
 * its buffer, which its feeder thread empties into the queue's pipe. */
struct qfeeder {
    int queue;                 /* object index */
    int proc;                  /* process slot */
    int task;                  /* feeder thread's slot, -1 none (yet) */
    int tid;                   /* its tid */
    struct msgq buf;           /* items put, not yet in the pipe */
    bool closed;               /* this process called close() */
    bool orphan;               /* inherited through a bare fork (os.fork)
                                  from a parent whose feeder had started:
                                  the thread stayed there, so what this
                                  process puts is never sent */
    int next;                  /* next record of the process, or of the
                                  free list; -1 */
};

#define OWNER_GONE (-2)        /* a lock held by a thread that has ended */

/* The terminal's session: every process but init starts in it. Its leader,
 * the user's login shell, is not simulated, so it has no pid: 0 stands for
 * it. Only this session has the terminal. */
#define TTY_SID 0

/* init's program is not in the scenario: a wait loop that never gives up. */
#define PROG_INIT (-1)

struct machine {
    /* what runs: fixed at creation */
    const struct scenario *scn;
    struct config cfg;
    int64_t stmt_ns;           /* config stmt_cost, ns; 0 off */
    int64_t shared_ns;         /* config shared_cost in stmt_cost mode, else 0 */
    int64_t tick_ns;           /* one tick, ns */
    const struct sched_policy *pol;
    struct trace *trace;       /* NULL: record nothing */
    int nproc_vars, ntask_vars;    /* sizes of the two variable pools */
    int *var_slot;             /* per scenario variable: its pool index */
    int *spawn_order;          /* spawn indices sorted by tick */
    int fg_spawn;              /* the spawn that is the foreground job: the
                                  last marked `fg`, else the first */

    /* time */
    int64_t tick;              /* the current tick */
    int phase;                 /* 0 in steps 1-3, 1 in step 4 */
    enum machine_status status;
    struct diag error;         /* when status == MS_ERROR */
    uint64_t rng;              /* rand() state */
    int next_spawn;            /* next entry of spawn_order to start */
    int next_outside;          /* next outside event */

    /* processes and tasks */
    struct proc *procs;        int proc_cap, proc_free, nfree_procs;
    struct task *tasks;        int task_cap, task_free, nfree_tasks;
    struct value *proc_vars;   /* nproc_vars per proc slot */
    struct value *task_vars;   /* ntask_vars per task slot */
    struct vheap heap;         /* the strings, tuples and lists they hold */
    int32_t *pid_slot;         /* pid -> proc slot, -1 free (-2: a reaped
                                  leader's, see proc_alloc_pid); pid_max entries */
    int nprocs;                /* existing processes, init and zombies too */
    int last_pid;              /* last pid handed out */
    int fg_pgid;               /* the terminal's foreground process group */
    int nstopped;              /* processes stopped (T): when 0, no exit
                                  needs to look for orphaned stopped groups */

    /* CPUs */
    int cpu_curr[MAX_CPUS];    /* task slot running, -1 idle */
    bool cpu_resched[MAX_CPUS];    /* pick again at the next step 3 */
    uint8_t cpu_why[MAX_CPUS];     /* PRE_* reason for the resched */
    int cpu_by[MAX_CPUS];      /* the waker that caused it, 0 */
    int cpu_waker[MAX_CPUS];   /* PRE_WAKEUP: the waker's task slot */
    uint8_t cpu_tick_why[MAX_CPUS];    /* PRE_WAKEUP: the task's own reason
                                  (PRE_* + 1) to give way too, 0 none */
    int64_t cpu_busy[MAX_CPUS];    /* ticks each CPU ran a task */
    int nr_busy;               /* CPUs running a task */
    uint32_t curr_gen;         /* changes whenever a CPU's task changes */

    /* run queue (one, shared by all CPUs; an idle CPU always takes from it
     * first, so a task never waits while a CPU idles) */
    struct kheap rq_heap;      /* cfs: queued tasks by (vruntime, tid) */
    int32_t *rq_pos;           /* cfs: per task slot, its place in rq_heap,
                                  -1 (apart from the tasks: a heap move
                                  writes here, not into a 400-byte task) */
    int rq_head, rq_tail;      /* rr/fifo: queued tasks in order */
    int nr_queued;             /* tasks in the queue */
    int nr_running;            /* tasks in R: queued plus on a CPU */
    int64_t load;              /* cfs: sum of the weights of R tasks */
    int64_t min_vruntime;      /* cfs: never decreases */
    /* cfs: the least vruntime among the tasks on CPUs, as a tree of minima
     * (leaf cpu_tree_n + c: CPU c's task, INT64_MAX idle; node i: the
     * least of 2i and 2i+1), so a tick changes one leaf and its parents */
    int64_t cpu_tree[2 * MAX_CPUS];
    int cpu_tree_n;            /* leaves: a power of two >= cpus; 0 unbuilt */
    uint32_t cpu_tree_gen;     /* curr_gen when it was built */
    int skip;                  /* cfs: slot that yielded, skipped once */

    /* timers: tasks in timed sleep or disk I/O, by (wake_at, tid) */
    struct heap timers;
    /* alarms: processes with an alarm set, by (alarm_at, pid) */
    struct heap alarms;
    /* GIL timers: processes with GIL waiters, by (gil_timer_at, its tid) */
    struct heap gil_timers;
    bool timers_fired;         /* step 2 of this tick has run its timers */

    /* shared objects, one per scenario object (objects.c) */
    struct objstate *objs;
    int exec_slot;             /* the task running its tick now (machine.c),
                                  -1: what a Lock's repr calls "mine" */
    int objs_cap;              /* objs' length (nobjects + 1 at least) */
    /* Objects made at run time (`new`, issue 14; objref.c): the machine's
     * own copy of the scenario, whose object table grows; scn points to
     * it then. NULL until a `new` statement runs a second time. */
    struct scenario *own_scn;
    int own_objcap;
    /* the messages in every pipe and queue (msgq.h) */
    struct msgpool msgs;
    /* queue feeder records (queue.c), with a free list */
    struct qfeeder *qfeeders;  int qfeeder_cap, qfeeder_free;
    int *qf_head;              int qf_head_cap;   /* by process slot */
    /* every array's items, one after another (array.c; an array's objstate
     * .value is where its items start); fixed at load */
    struct array_item *items;  int nitems;
    /* reaped children's statuses kept for exitcode() (procobj.c) */
    struct exitrec *exitrecs;  int exitrec_cap, exitrec_free;
    /* pipes and fd tables (pipes.h); the first scn->npipes pipes are the
     * top-level ones, kept for the whole run */
    struct kpipe *pipes;       int pipe_cap, pipe_free, pipe_serial;
    struct fdtab *fdtabs;      int fdt_cap, fdt_free;     /* file.c */
    /* readiness watches (file.h), and each task slot's first one */
    struct fwatch *fw;         int fw_cap, fw_free;
    int32_t *twatch;           int twatch_cap;
    /* select, poll, epoll (sim/mux/mux.h); NULL until first used */
    struct muxstate *muxst;
    struct pipe_task *ptasks;  int ptask_cap;  /* by task slot */
    /* sockets and the loopback network (sim/net/net.h) */
    struct knet net;

    /* pools and executors (pool.c, pool.h) */
    struct kpool *pools;       int pool_cap;
    struct pool_job *pjobs;    int pjob_cap, pjob_free, npjobs, pjobs_at_gc;
    struct pool_task *ptk;     int ptk_cap, ptk_free;
    int64_t pjob_serial;       /* ids handed out to jobs */
    int thread_pools_made;     /* thread executors that made a worker */

    /* signal frames of handlers under way, all tasks' (task.c) */
    struct sigframe *frames;   int frame_cap, frame_free;
    /* try blocks, exceptions and results of the tasks that have them */
    struct taskx *taskx;       int taskx_cap, taskx_free;
    /* greenlets' hubs (sim/coro/green.h), NULL until a gevent statement */
    struct coro *coro;
    /* the message value of the exception being raised (task_raise_value) */
    bool raise_dyn;
    struct value raise_val;
};

/* ------------------------------------------------------------------------
 * Primitives (task.c) shared by the kernel's files; the tick loop
 * (machine.c) is above them all
 * --------------------------------------------------------------------- */

static inline struct task *task_at(struct machine *m, int slot)
{
    return &m->tasks[slot];
}

static inline struct proc *proc_of(struct machine *m, const struct task *t)
{
    return &m->procs[t->proc];
}

/* A process stops or goes on; keeps m->nstopped. */
static inline void proc_set_stopped(struct machine *m, struct proc *p, bool on)
{
    m->nstopped += (int)on - (int)p->stopped;
    p->stopped = on;
}

/* The slot of the process with this pid, or -1. */
int proc_slot(const struct machine *m, int pid);

/* Variables of slot `slot` in a pool of `per` per slot (NULL when per is
 * 0: a scenario without variables allocates no pool). */
static inline struct value *vars_of(struct value *pool, int per, int slot)
{
    return per ? pool + (size_t)slot * (size_t)per : NULL;
}

/* Set the variables of one slot to 0 / copy them between slots. */
static inline void vars_clear(struct value *pool, int per, int slot)
{
    if (per)
        memset(vars_of(pool, per, slot), 0, (size_t)per * sizeof *pool);
}

static inline void vars_copy(struct value *pool, int per, int to, int from)
{
    if (per)
        memcpy(vars_of(pool, per, to), vars_of(pool, per, from),
               (size_t)per * sizeof *pool);
}

/* The lowest CPU in a set of CPUs (bit c = CPU c), which must not be
 * empty: walking a set this way costs its size, not MAX_CPUS. */
static inline int cpu_first(uint64_t cpus)
{
#if defined(__GNUC__)
    return __builtin_ctzll(cpus);
#else
    int c = 0;
    while (!(cpus >> c & 1))
        c++;
    return c;
#endif
}

/* One read or one write of a shared Value or Array element. In CPython it
 * takes the object's lock and goes through ctypes (v.value costs 247 ns,
 * ten plain statements), and that time is what lets another process write
 * between an update's read and its write: a lost update. */
static inline void charge_shared(struct machine *m, struct task *t)
{
    t->acc_ns += m->shared_ns;
}

/* The tick at which a change made now becomes visible: now in steps 1-3,
 * the next tick in step 4. */
static inline int64_t visible_tick(const struct machine *m)
{
    return m->tick + m->phase;
}

/* The tick `ticks` after `tick`, saturated at INT64_MAX: a sleep, disk
 * read or alarm of INT64_MAX ticks is "forever", which the `ticks` limit
 * ends first. */
static inline int64_t tick_after(int64_t tick, int64_t ticks)
{
    return ticks > INT64_MAX - tick ? INT64_MAX : tick + ticks;
}

void task_set_state(struct machine *m, struct task *t, char state);
void task_block(struct machine *m, struct task *t, char state, enum wchan wc,
                int64_t ticks);
/* The same, its event saying it sleeps `shown` ticks (a Python-mode sleep:
 * exec.c). */
void task_block_shown(struct machine *m, struct task *t, char state, enum wchan wc,
                      int64_t ticks, int64_t shown);
void task_wake(struct machine *m, struct task *t, int why, int64_t arg);
void task_leave_cpu(struct machine *m, struct task *t);
void task_set_nice(struct machine *m, struct task *t, int nice);
/* A task that was not runnable (stopped) becomes runnable: R, queued. */
void task_make_runnable(struct machine *m, struct task *t);
/* Take a queued task out of the run queue. */
void task_dequeue(struct machine *m, struct task *t);
/* The running task t gives up its CPU but stays runnable (`yield`). */
void task_yield(struct machine *m, struct task *t);

/* Emit an event (no-op without a trace). */
void emit(struct machine *m, int kind, int reason, const struct task *t,
          int64_t a, int64_t b);
/* An event about a pid that may have no task (0: the terminal). */
void emit_pid(struct machine *m, int kind, int reason, int pid, int64_t a,
              int64_t b);
void emit_text(struct machine *m, int kind, const struct task *t,
               const char *text, size_t len);
/* A line of output (EV_PRINT) on stdout, or stderr (err). */
void emit_output(struct machine *m, const struct task *t, const char *text, size_t len,
                 bool err);
/* An event whose text is formatted (only when the trace keeps the kind),
 * with its reason and a and b. */
void emit_textf(struct machine *m, int kind, int reason, const struct task *t,
                int64_t a, int64_t b, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Stop the run with a runtime error at `pos`. */
void machine_fail(struct machine *m, struct srcpos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* task.c: slots and task start-up, for proc.c.
 * Slot arrays only grow inside machine_reserve(), which runs before each
 * step that may create processes, so task and proc pointers stay valid
 * within a step. Fails (and stops the run) when out of memory. */
bool machine_reserve(struct machine *m, int n);
/* Grow *p (of *cap elements of elem bytes) to hold `need`, doubling, the
 * new elements zeroed; and a pool of `per` values per slot from oldcap
 * slots to cap. False out of memory (nothing changed). */
bool array_grow(void **p, int *cap, int need, size_t elem);
bool var_pool_grow(struct value **pool, int per, int oldcap, int cap);
int machine_alloc_proc(struct machine *m);
void machine_free_proc(struct machine *m, int slot);
int machine_alloc_task(struct machine *m, int proc_slot, int tid);
void machine_free_task(struct machine *m, struct task *t);
/* A new task becomes runnable: placed by the policy (as a child of `parent`
 * when given), then queued. */
void machine_start_task(struct machine *m, struct task *t, struct task *parent);
/* task.c: signal frames. Push a frame for t (NULL when out of memory: the
 * run is stopped), pop t's innermost frame into *out, drop all of t's, and
 * give `to` a copy of `from`'s (fork). */
struct sigframe *frame_push(struct machine *m, struct task *t);
void frame_pop(struct machine *m, struct task *t, struct sigframe *out);
void frames_drop(struct machine *m, struct task *t);
bool frames_copy(struct machine *m, struct task *to, const struct task *from);
/* The innermost frame of t; t must have one. */
static inline const struct sigframe *frame_top(const struct machine *m,
                                               const struct task *t)
{
    return &m->frames[t->frame_top];
}

/* Copy a process's accounting into its trace record. */
void machine_sync_record(struct machine *m, const struct proc *p);
/* A process's CPU time: every thread's, ended ones included. */
int64_t proc_cpu_ticks(const struct machine *m, const struct proc *p);

/* proc.c */
int proc_spawn(struct machine *m, int prog, int nice);
int proc_fork(struct machine *m, struct task *parent, int prog);
void proc_exec(struct machine *m, struct task *t, int prog);
void proc_exit(struct machine *m, struct task *t, int status);
/* Try to reap for `t` (wait/waitpid; flags: INSN_UNTRACED/INSN_CONTINUED
 * also report a stop/continue, the child staying). Returns the pid reported
 * with *status set, 0 when there are matching children but nothing to
 * report, -1 when there are none. */
int proc_reap(struct machine *m, struct task *t, int pid_spec, int flags,
              int *status);
/* Has a child matching pid_spec exited (or, with flags, stopped or
 * continued) during this tick, so that it can be reported only from the
 * next? */
bool proc_fresh_change(struct machine *m, struct task *t, int pid_spec,
                       int flags);
/* Process slot ps stopped (sig > 0) or continued (sig == 0): remember it
 * for waitpid untraced/continued and wake a parent waiting for it. */
void proc_job_changed(struct machine *m, int ps, int sig);
/* The slot of a process (zombies too) in group pgid, or -1 if none. */
int proc_group_member(const struct machine *m, int pgid);
/* setpgid(2) by t; returns 0 or -errno. */
int proc_setpgid(struct machine *m, struct task *t, int64_t pid, int64_t pgid);
/* setsid(2) by t; returns the new session id or -errno. */
int proc_setsid(struct machine *m, struct task *t);

/* signal.c */
/* Send sig to process slot `to`; `from` is the sending task, NULL for the
 * terminal or the kernel (from_pid 0). */
void signal_send(struct machine *m, int from_pid, int to, int sig);
/* A task that has just gone to sleep in S with a signal pending that would
 * wake it is woken at once (Linux looks before it sleeps). */
void signal_check_sleep(struct machine *m, struct task *t);
/* kill(2): pid > 0 one process, 0 the sender's group, -1 everyone but init
 * and the sender, < -1 a group. Returns 0, or -1 when nobody matched. */
int signal_kill(struct machine *m, const struct task *from, int pid, int sig);
/* Step 3: act on t's deliverable signals as it is about to run (when
 * t->sigpending). False when it can no longer run (it died or stopped). */
bool signal_act(struct machine *m, struct task *t);
/* recalc_sigpending: t's mask changed (unblock, sigreturn) or it was
 * continued; it takes the pending signals it no longer blocks. */
void signal_recalc(struct machine *m, struct task *t);
/* A thread that was to take pending signals is ending: hand them to
 * another thread of process slot ps that wants them. */
void signal_retarget(struct machine *m, int ps);
/* A stop signal pending for the sleeping task t: stop it now. */
void signal_act_now(struct machine *m, struct task *t);
/* t's disk I/O completes while its process is exiting: t ends, and the
 * exit completes if no other thread is in D. False if it is not exiting. */
bool proc_exit_after_io(struct machine *m, struct task *t);
/* End every thread of process slot ps except its main one and those in D. */
void thread_end_others_not_in_d(struct machine *m, int ps);
/* t's disk I/O completes while its process is stopped: it stops (T) before
 * returning to user mode instead of running on. False if its process is
 * not stopped (it wakes as usual). */
bool signal_stop_on_wake(struct machine *m, struct task *t);
/* Step 2: raise SIGALRM for every alarm due now. */
void signal_alarms(struct machine *m);
void signal_set_alarm(struct machine *m, struct proc *p, int64_t ticks);
/* Step 1: an outside event (`at T ...`). */
void signal_outside(struct machine *m, const struct outside *o);
/* A handler's program ended: back to where the signal interrupted. */
void signal_return(struct machine *m, struct task *t);
/* Where orphans of process slot ps go: nearest living subreaper ancestor,
 * else init (find_new_reaper). */
int signal_reaper_for(struct machine *m, int ps);
/* kill_orphaned_pgrp: if the exit of process slot `father` orphans the
 * group of process slot ps (its child, just given a new parent), or the exit
 * of ps (father -1) orphans its own group, and that group has a stopped
 * member, every member gets SIGHUP and then SIGCONT. */
void signal_orphaned_pgrp(struct machine *m, int ps, int father);
/* tcsetpgrp(2) by t; returns 0, -errno, or 1 when t's group was sent
 * SIGTTOU and the call must run again once it may go on. */
int signal_tcsetpgrp(struct machine *m, struct task *t, int64_t pgid);

/* The code of program index prog: a program, or nprograms + a handler. */
const struct program *program_code(const struct machine *m, int prog);

/* thread.c */
int thread_create(struct machine *m, struct task *t, int prog, bool daemon);
/* The same, naming the thread (NULL or "": its program's name). */
int thread_create_named(struct machine *m, struct task *t, int prog, bool daemon,
                        const char *name);
void thread_end(struct machine *m, struct task *t);
void thread_end_others(struct machine *m, int ps);
void task_detach(struct machine *m, struct task *t);

/* gil.c */
void gil_release(struct machine *m, struct proc *p);
bool gil_try_take(struct machine *m, struct task *t);
/* Step 2: process p's GIL timer is due. */
void gil_timer_fire(struct machine *m, struct proc *p);
/* The process in slot ps is freed: drop its GIL timer. */
void gil_timer_cancel(struct machine *m, struct proc *p);
/* Step 3, for the CPUs in `cpus` (bit c = CPU c). */
void gil_step(struct machine *m, uint64_t cpus);

/* procobj.c: multiprocessing's Process object on the kernel */
/* join X [timeout=N] [-> R]: a thread of t's process or a child process. */
void procobj_join(struct machine *m, struct task *t, const struct insn *in);
/* terminate X: SIGTERM to child X. */
void procobj_terminate(struct machine *m, struct task *t, const struct insn *in);
/* fork PROG [daemon]: false (an AssertionError raised) when t's process is
 * daemonic; else sets up the child's flags after proc_fork. */
bool procobj_may_fork(struct machine *m, struct task *t, const struct insn *in);
void procobj_forked(struct machine *m, struct task *parent, int child_pid,
                    const struct insn *in);
/* Process slot ps ends with `status`: a normal end (status >= 0) sends
 * SIGTERM to its daemon children (multiprocessing's atexit). */
void procobj_exiting(struct machine *m, int ps, int status);
/* Process slot ps is freed: its records go. */
void procobj_forget(struct machine *m, int ps);
/* Thread tid of p ended with `result`; `joined`: a join took it. Kept for
 * a later join when nobody did and some join of the scenario asks for a
 * result. */
void procobj_thread_ended(struct machine *m, struct proc *p, int tid, bool joined,
                          struct value result);
/* A new thread got tid: an old record of that tid goes. */
void procobj_thread_started(struct machine *m, struct proc *p, int tid);
/* Mark the values records hold (machine_collect). */
void procobj_mark(struct machine *m);
/* is_alive(x), exitcode(x); reap a zombie child as Popen.poll does. */
bool procobj_is_alive(struct machine *m, struct task *t, int64_t x);
/* *status = the exit status, or false for None (still running). */
bool procobj_exitcode(struct machine *m, struct task *t, int64_t x, int *status);
/* Step 2: t's timer is due; true when it was the end of a wait with a
 * timeout, now given up (and t woken). */
bool procobj_timed_out(struct machine *m, struct task *t);
/* t's timed wait ended (woken by what it waited for). */
static inline void procobj_wait_done(struct task *t) { t->timeout_at = 0; }
/* A wait with timeout=N (-1 none): the ticks left until its deadline (set
 * at the first try, kept for retries), -1 none, 0 when it has come. */
int64_t procobj_deadline(struct machine *m, struct task *t, int64_t timeout);
/* Store True/False in variable var (-1: none) of t. */
void procobj_set_bool(struct machine *m, struct task *t, int var, bool b);
bool procobj_copy(struct machine *dst, const struct machine *src);

/* is_alive(a), exitcode(a), NAME[a], len(NAME) (EX_IS_ALIVE ...
 * EX_ARRAY_LEN): false after an error or exception. */
bool procobj_eval(struct machine *m, struct task *t, const struct expr *e,
                  struct value *out);

/* array.c: multiprocessing.Array */
bool array_init(struct machine *m);
/* NAME[I] = / += / -= EXPR: a load, then a store. False after an error. */
bool array_set(struct machine *m, struct task *t, const struct insn *in);
/* NAME[i] in an expression: false after IndexError (raised). */
bool array_get(struct machine *m, struct task *t, const struct expr *e,
               int64_t i, int64_t *out);
int array_len(const struct machine *m, int obj);
/* The item i of array obj (0 <= i < len), for snapshots and checks. */
int64_t array_item(const struct machine *m, int obj, int i);

/* objref.c: objects as values (issue 14) */
struct value objref_value(const struct machine *m, int obj);
/* The heap's V_OBJ text hook is this machine's (new and cloned heaps). */
void objref_hook(struct machine *m);
/* OP_OBJ, OP_SHARED_SET, OP_ARRAY_SET with obj -1 (a receiver
 * expression): true when the step was untimed (go on this tick). */
bool objref_exec(struct machine *m, struct task *t, const struct insn *in);
/* EX_REF: ref(NAME) and V.value, V.qsize() ... (ROP_*) */
bool objref_eval(struct machine *m, struct task *t, const struct expr *e,
                 struct value *out);
/* Has object d method or attribute `name` (CPython's classes)? */
bool objref_has(const struct object *d, const char *name);
/* The AttributeError message of `in` (its parse-time table) for v. */
const char *objref_no_attr(const struct insn *in, struct value v);
/* a.NAME (nargs -1) or a.NAME() (nargs arguments) in an expression, a a
 * V_OBJ: value, qsize(), empty(), full(), is_set(), locked(), get_lock(). */
bool objref_attr(struct machine *m, struct task *t, const struct expr *e, struct value a,
                 const char *name, int nargs, struct value *out);
/* OP_SETATTR / OP_SETITEM whose receiver is an object (V.value = E,
 * V[I] += E): 1 when it is not (values' statement runs), else 0 (done: a
 * shared store, timed as `NAME = E` is) or -1 after an error. */
int objref_store(struct machine *m, struct task *t, const struct insn *in);
/* V[I] and len(V) of an array's V_OBJ a (expr.c) */
bool objref_item(struct machine *m, struct task *t, const struct expr *e,
                 struct value a, struct value i, struct value *out);
bool objref_len(struct machine *m, struct task *t, const struct expr *e,
                struct value a, struct value *out);
/* *v, a shared array's V_OBJ, becomes a list of its items (a[:], `in`,
 * list(a) ...); any other value stays. False after an exception. */
bool objref_as_list(struct machine *m, struct task *t, const struct expr *e,
                    struct value *v);
/* invoke.c: OP_INVOKE and OP_NEWOBJ; true when untimed (go on) */
bool invoke_exec(struct machine *m, struct task *t, const struct insn *in);
/* objref.c: a machine's own scenario copy (objects made at run time):
 * dst's becomes a copy of src's (false out of memory); freed. */
bool objref_clone(struct machine *dst, const struct machine *src);
void objref_free(struct machine *m);
/* queue.c: the state of queue object i, as the machine starts it */
void queue_init_one(struct machine *m, int i);
/* objref.c: OP_NEWOBJ, `new KIND ... -> V` */
bool newobj_exec(struct machine *m, struct task *t, const struct insn *in);

/* objects.c */
bool objects_init(struct machine *m);
bool objects_reads_shared(const struct expr *e);
void objects_task_gone(struct machine *m, int slot);
bool objects_shared_set(struct machine *m, struct task *t, const struct insn *in);
bool objects_op(struct machine *m, struct task *t, const struct insn *in);
int objects_deadlocked(const struct machine *m);
/* Take t off the GIL or object wait queue it is on; cancel its timer. */
void task_unwait(struct machine *m, struct task *t);

/* task.c: FIFO wait queues of task slots linked through task.wq_next (the
 * GIL's, objects', pipes', queues'): append, put first, take out (false
 * when s was not on it). */
void wq_push(struct machine *m, int *head, int *tail, int s);
void wq_push_front(struct machine *m, int *head, int *tail, int s);
bool wq_remove(struct machine *m, int *head, int *tail, int s);

/* task.c: timers and CPUs, for the files above */
void task_cancel_timer(struct machine *m, struct task *t);
/* Give CPU c to t, just taken from the run queue by the policy. */
void task_dispatch(struct machine *m, int c, struct task *t);
/* CPU c takes the next task from the run queue, if any. */
void machine_pick(struct machine *m, int c);
/* proc.c: the next free pid (tids come from the same space), -1 if none */
int proc_alloc_pid(struct machine *m);

/* exec.c: run task t for one tick (step 4). */
void exec_tick(struct machine *m, struct task *t);

/* expr.c: evaluate; false after a runtime error or an exception (already
 * reported or raised: the statement is over). expr_int also requires an
 * int (or bool): anything else raises TypeError. */
bool expr_value(struct machine *m, struct task *t, const struct expr *e,
                struct value *out);
bool expr_int(struct machine *m, struct task *t, const struct expr *e,
              int64_t *out);
struct value *var_ref(struct machine *m, struct task *t, int var);
/* valstmt.c (issue 14): OP_SETITEM, OP_SETATTR, OP_DELITEM, OP_EVAL, all
 * untimed; false after an error or exception. value_copy_for_fork: the
 * child's process variables copied deep (lists, dicts, instances are its
 * own from now on), when the scenario mutates values at all.
 * value_copy_message: a message as pickling gives it to the receiver. */
bool valstmt_exec(struct machine *m, struct task *t, const struct insn *in);
bool value_copy_for_fork(struct machine *m, int child_proc);
bool value_copy_message(struct machine *m, struct value *v);

/* The values of an instruction's arguments (`fork/thread/call PROG(args)`,
 * `invoke E.NAME(args)`), evaluated by t in order. False after an
 * exception in one. */
static inline bool eval_insn_args(struct machine *m, struct task *t, const struct insn *in,
                                  struct value *vals)
{
    for (int i = 0; i < in->argc; i++)
        if (!expr_value(m, t, in->argv[i], &vals[i]))
            return false;
    return true;
}

/* Store a result in variable `var` of t (-1: none). */
static inline void set_result_value(struct machine *m, struct task *t, int var,
                                    struct value v)
{
    if (var >= 0)
        *var_ref(m, t, var) = v;
}

static inline void set_result(struct machine *m, struct task *t, int var,
                              int64_t v)
{
    set_result_value(m, t, var, v_int(v));
}

/* exc.c: raise exception `exc` (EXC_*) in t, raised at `pos`, with a static
 * message or NULL. If a try block of t catches it, t goes on at its except
 * clause; else the exception is uncaught: a traceback line on the output,
 * then the thread ends (a main thread: the process exits 1, after its
 * other threads as CPython). Returns true when it was caught. Either way
 * the statement that raised is over: its caller returns. */
bool task_raise(struct machine *m, struct task *t, struct srcpos pos, int exc,
                const char *msg);
/* The same with a message made at run time: any value (str() of it is the
 * message; SystemExit's code), or text to copy. */
bool task_raise_value(struct machine *m, struct task *t, struct srcpos pos, int exc,
                      struct value msg);
bool task_raise_dyn(struct machine *m, struct task *t, struct srcpos pos, int exc,
                    const char *text);

/* dyncall.c (issue 14): `call/fork/thread @F ARGS`: F's program and the
 * arguments (at most MAX_PARAMS, into args) checked against its parameters
 * as CPython does (TypeError); *d becomes `in` as the static statement
 * (op, prog, argc). False after an exception. */
bool dyn_target(struct machine *m, struct task *t, const struct insn *in,
                struct insn *d, struct value *args);

/* pyout.c (issue 14): print with sep/end, stdout as a line buffer per
 * process, CPython's traceback, values as print shows them */
void out_print(struct machine *m, struct task *t, const struct insn *in);
/* Is t's process's partial line empty (print's fast path)? */
static inline bool out_empty(const struct machine *m, const struct task *t)
{
    return m->procs[t->proc].outbuf.type != V_STR;
}
/* A normal exit: the partial line is written out. */
void out_flush(struct machine *m, struct task *t);
void out_mark(struct machine *m);
/* str(v) / repr(v) into buf, functions by name (V_FUNC). */
size_t out_format(const struct machine *m, struct value v, bool repr, char *buf,
                  size_t size);
/* CPython's traceback of an uncaught exception, on stderr. */
void py_traceback(struct machine *m, struct task *t, int line, int exc, const char *msg);
/* t's try blocks, exception and result, made on first use; NULL when out
 * of memory (the run is stopped). The pointer is good until the next
 * taskx_of of another task. */
struct taskx *taskx_of(struct machine *m, struct task *t);
/* Drop t's (it ends, or exec starts a fresh program); give `to` a copy of
 * `from`'s (a plain fork goes on inside the parent's try blocks). */
void taskx_drop(struct machine *m, struct task *t);

/* call.c: function calls. task_call calls program `prog` in task t: it
 * pushes a frame that returns to t->pc as it is now (set it first), binds
 * args to prog's parameters and jumps to prog's first instruction; when prog
 * returns, `ret_var` (a variable index, or -1) gets its result. False when
 * the run failed instead (calls too deep, or recursion, which procsim does
 * not simulate: parameters are variables of the task, one per program), or
 * an exception was raised (RecursionError, or a default argument's): then
 * t must not go on this tick (it may have ended).
 * task_returns: is t's current program a call made at t's present handler
 * depth (so its end returns to the caller)? call_return pops that frame and
 * stores `result`. */
bool task_call(struct machine *m, struct task *t, int prog,
               const struct value *args, int nargs, int ret_var);
bool task_returns(const struct machine *m, const struct task *t);
void call_return(struct machine *m, struct task *t, struct value result);
/* Bind args to program prog's parameters, in task t, which starts
 * running prog (not through task_call): a `def` gets its frame of locals
 * first (the task's only one); missing trailing arguments take their
 * defaults. False when the run failed (out of memory). */
bool task_set_args(struct machine *m, struct task *t, int prog,
                   const struct value *vals, int n);
/* Calls deeper than this raise RecursionError (CPython's default
 * sys.getrecursionlimit()). */
#define MAX_RECURSION 1000
/* Unwind t's calls down to depth n (an exception caught by a try block
 * entered at that depth). */
void call_unwind(struct machine *m, struct task *t, struct taskx *x, int n);
/* taskx buffers: copied after machine_clone's copy of the pool (false out
 * of memory: the copies' pointers are then all NULL), freed. */
bool taskx_clone_bufs(struct machine *m);
void taskx_free_bufs(struct machine *m);
/* The frame locals of def programs: mark them (machine_collect). */
void taskx_mark(struct machine *m);
void taskx_copy(struct machine *m, struct task *to, const struct task *from);
/* What t's program returned: None when it returned nothing. */
struct value task_result(const struct machine *m, const struct task *t);
/* A value operation failed (value.h): raise its exception. */
bool task_raise_verr(struct machine *m, struct task *t, struct srcpos pos,
                     enum verr err, const char *msg);
/* Collect the value heap: mark what every task, process and object still
 * holds, free the rest (machine.c calls it between ticks). */
void machine_collect(struct machine *m);
/* objects.c: mark the values objects hold (pipes, queues). */
void objects_mark_values(struct machine *m);

struct snapshot;
/* pipe.c: pipes and fds (issue 11) */
void pipes_mark(struct machine *m);
void pipes_snapshot(const struct machine *m, struct snapshot *out);
bool pipes_init(struct machine *m);
void pipes_free(struct machine *m);
/* dst's pipes and fd tables become copies of src's; false out of memory */
bool pipes_clone(struct machine *dst, const struct machine *src);
/* A spawn started (pid > 0: it holds every top-level pipe) or failed (-1). */
void pipes_spawned(struct machine *m, int pid);
/* t stops waiting on a pipe (a signal, its end). */
void pipes_unwait(struct machine *m, struct task *t);
/* OP_PIPE, OP_FD, and OP_OBJ on a pipe's object: false after an error. */
bool pipes_op(struct machine *m, struct task *t, const struct insn *in);
/* END.poll(); false after an exception. */
bool pipes_poll(struct machine *m, struct task *t, const struct expr *e,
                struct value *out);
/* The run is stuck: explain the tasks waiting on pipes (events). */
void pipes_stuck(struct machine *m);
/* The name of pipe slot i ("p", or "pipe#3"), in buf. */
const char *pipe_name(const struct machine *m, int i, char *buf, size_t size);
/* The wait channel of t, waiting on a pipe (a name in the scenario). */
const char *pipe_wchan(const struct machine *m, const struct task *t);
/* queue.c: queues (issue 11) */
void queues_mark(struct machine *m);
void queues_snapshot(const struct machine *m, struct snapshot *out);
/* Set up the queues' state (objects_init has run); false out of memory. */
bool queues_init(struct machine *m);
/* NAME.put/get/close/task_done/join, and a feeder thread's step. */
void queue_op(struct machine *m, struct task *t, const struct insn *in);
/* empty(), full(), qsize() (EX_QEMPTY...); false after a runtime error. */
bool queue_eval(struct machine *m, struct task *t, const struct expr *e,
                struct value *out);
/* Take t off the queue wait list it is on (task_unwait). */
void queue_unwait(struct machine *m, struct task *t);
/* Task t is freed: a slot or turn handed to it goes to the next. */
void queue_task_gone(struct machine *m, struct task *t);
/* Step 2: t's timer is due; true when it was a queue op's deadline (t is
 * woken to raise Empty/Full). */
bool queue_timed_out(struct machine *m, struct task *t);
/* t's process is about to end normally: true when t must first wait (S)
 * for its feeder threads to flush their buffers (CPython joins them). */
bool queue_exit_waits(struct machine *m, struct task *t);
/* A bare fork (os.fork, not a Process): the child gets its parent's
 * queue state, feeder thread objects without their threads (CPython
 * resets them only in a Process child). False out of memory. */
bool queue_forked(struct machine *m, int parent_ps, int child_ps);
/* Process slot ps exits or execs: its feeder buffers are lost. */
void queue_proc_gone(struct machine *m, int ps);
/* The run is stuck: explain the tasks waiting on queues (events). */
void queues_stuck(struct machine *m);
/* Copy the feeder records (machine_clone); false out of memory. */
bool queues_clone(struct machine *dst, const struct machine *src);

/* cost.c: what creating and ending tasks costs (fork_cost ...; COST_*) */
/* The cost `which` in ticks of this run (config_cost_ticks). */
int64_t cost_ticks(const struct machine *m, int which);
/* A statement that costs `n` ticks of CPU runs its effect in the last of
 * them. Call at the top of the op: true = this tick is the last (do the
 * work now); false = this tick was spent paying (return; the op runs again
 * next tick). Uses t->left, so a signal handler in between resumes it
 * (the sigframe keeps left). An EV_COST event marks the start when n > 1. */
bool task_pay(struct machine *m, struct task *t, int64_t n);
/* task_pay(m, t, cost_ticks(m, which)), its event naming the cost. */
bool task_pay_cost(struct machine *m, struct task *t, int which);

/* timer.c: threading.Timer */
/* `timer` by t made thread `timer` (its arguments bound): give it its
 * interval and say so. */
void timer_started(struct machine *m, struct task *t, struct task *timer,
                   const struct insn *in, int64_t interval);
/* OP_TIMER_WAIT in timer thread t: true when it fires (t now runs its
 * program from the start, untimed so far this tick); false when the tick
 * was spent waiting. */
bool timer_wait(struct machine *m, struct task *t, const struct insn *in);
/* cancel TID by t: the timer stops waiting and ends without running. */
void timer_cancel(struct machine *m, struct task *t, int64_t tid);
/* pool.c: pools and executors (issue 12) */
/* OP_POOL; true when the statement took no tick (the tick goes on). */
bool pool_op(struct machine *m, struct task *t, const struct insn *in);
/* r.ready() and the like (EX_HANDLE_Q); false after an exception. */
bool pool_eval(struct machine *m, struct task *t, const struct expr *e,
               struct value *out);
/* Take t off the pool or job wait list it is on (task_unwait). */
void pool_unwait(struct machine *m, struct task *t);
/* Step 2: t's timer is due; true when it was a get/result's deadline. */
bool pool_timed_out(struct machine *m, struct task *t);
/* Process slot ps exits: its pools go (their workers are daemons, which
 * procobj_exiting terminated); a worker of some pool is gone. */
void pools_proc_exit(struct machine *m, int ps);
/* Thread t ends: a thread worker or a result handler is gone. */
void pools_thread_end(struct machine *m, struct task *t);
/* The main thread of process slot ps ends while other threads live: its
 * ThreadPoolExecutors shut down (CPython's _python_exit). */
void pools_main_ending(struct machine *m, int ps);
/* Marking (machine_collect): handles mark their jobs (vheap hook), values
 * the pools hold are marked; after marking, unreachable jobs go. */
void pools_mark(struct machine *m);
void pools_sweep(struct machine *m);
/* Enough jobs made since the last collection to collect now? */
bool pools_gc_due(const struct machine *m);
void pools_snapshot(const struct machine *m, struct snapshot *out);
void pools_free(struct machine *m);
bool pools_clone(struct machine *dst, const struct machine *src);
/* The wait channel of t in WC_POOL (the pool's name). */
const char *pool_wchan(const struct machine *m, const struct task *t);

/* issue 13: sockets (sim/net), select/poll/epoll (sim/mux), greenlets
 * (sim/coro). Each runs its statements (true when the statement took no
 * tick and the task goes on, as pool_op), fills its part of a snapshot
 * and names its waits. */
bool sock_exec(struct machine *m, struct task *t, const struct insn *in);
bool mux_exec(struct machine *m, struct task *t, const struct insn *in);
bool green_exec(struct machine *m, struct task *t, const struct insn *in);
void sockets_snapshot(const struct machine *m, struct snapshot *out);
void mux_snapshot(const struct machine *m, struct snapshot *out);
void green_snapshot(const struct machine *m, struct snapshot *out);
const char *sock_wchan(const struct machine *m, const struct task *t);
const char *mux_wchan(const struct machine *m, const struct task *t);
/* sim/mux: its state copied (machine_clone; false out of memory), freed,
 * and the values it holds marked (a selector's data). */
bool mux_clone(struct machine *dst, const struct machine *src);
void mux_free(struct machine *m);
void mux_mark(struct machine *m);
/* The run is stuck: explain the tasks waiting in select/poll/epoll_wait. */
void mux_stuck(struct machine *m);
/* A handler interrupted t's select/poll/epoll_wait with eintr=return: the
 * call, run again after the handler, fails with InterruptedError (EINTR). */
void mux_interrupted(struct machine *m, struct task *t);
const char *green_wchan(const struct machine *m, const struct task *t);
/* sim/coro: before each statement while m->coro: GH_GO (run it), or the
 * hub switched greenlets: GH_UNTIMED (go on this tick), GH_TIMED (the tick
 * is over). An uncaught exception in a spawned greenlet ends only it
 * (true). A task slot is freed or execs; values to mark; checkpoints. */
int green_hook(struct machine *m, struct task *t, const struct insn *in);
bool green_uncaught(struct machine *m, struct task *t);
/* ... or, in an asyncio task, is kept for its awaiter, unprinted (true). */
bool green_task_failed(struct machine *m, struct task *t, int exc, const char *msg);
void green_task_gone(struct machine *m, int slot);
/* The run is stuck: name what each waiting hub's greenlets wait for. */
void green_stuck(struct machine *m);
void green_mark(struct machine *m);
bool green_clone(struct machine *dst, const struct machine *src);
void green_free(struct machine *m);

/* rng.c */
uint64_t rng_next(uint64_t *state);

#endif
