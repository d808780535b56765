/*
 * snapshot.h - the whole simulated machine at one tick, as plain data.
 *
 * This is what front ends draw and print: the command line's `ps`, the
 * window's cards and inspector, the tests. A snapshot shows the state after
 * step 3 of its tick (the CPUs have picked their tasks), which is what the
 * contract calls "the state during tick T".
 *
 * A snapshot owns its arrays; strings point into the scenario, which must
 * outlive it. Fill one with machine_snapshot() or run_state_at().
 */
#ifndef PROCSIM_SNAPSHOT_H
#define PROCSIM_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario.h"

/* vruntime is kept in fixed point: VR_UNIT units per tick of CPU time at
 * nice 0 (the kernel's nanoseconds, with one tick = 1 ms). */
#define VR_UNIT 1000000LL

#define SNAP_CALLS 8
/* A thread's name, with its NUL (CPython's "Thread-12 (worker)"; Linux's
 * comm keeps 15 bytes, but the window and ps show the whole Python name). */
#define TASK_NAME_LEN 48

struct snap_task {
    /* identity */
    int tid;                   /* thread id; the main thread's tid == pid */
    int pid, ppid, pgid;       /* process, parent, process group */
    int sid;                   /* session (0: the terminal's) */
    const char *comm;          /* the program it runs (its name) */
    char name[TASK_NAME_LEN];  /* a thread's name (Thread.name) when it was
                                  given one, else "": see snap_task_name */
    bool main_thread;          /* tid == pid */
    int nthreads;              /* threads in its process (1 until issue 5) */
    /* state */
    char state;                /* 'R','S','D','T','Z' */
    int cpu;                   /* CPU it is running on, -1 when not */
    const char *wchan;         /* wait channel ("sleep", "disk", "wait"...),
                                  "" when not waiting */
    int64_t wake_at;           /* tick a timed sleep/disk ends, -1 if none */
    int rq_pos;                /* 0-based place in the run queue's pick
                                  order, -1 when not queued */
    /* scheduling */
    int nice;                  /* -20..19 */
    int weight;                /* CFS load weight for that nice */
    int64_t vruntime;          /* CFS virtual runtime, VR_UNIT per tick */
    int slice;                 /* cfs: its current ideal slice; rr: ticks
                                  left of its quantum; fifo: 0 */
    int ran;                   /* ticks run since it was last picked */
    /* program */
    int prog;                  /* program index (into scenario.programs), or
                                  nprograms + h while handler h runs */
    int pc;                    /* instruction about to run */
    int line;                  /* source line of that instruction */
    /* issue 14: the calls under way (`call`, a def's frames): each
     * caller's program and the line of its call, outermost first; the
     * innermost frame is prog and line above. Only the innermost
     * SNAP_CALLS callers are kept; ncalls counts them all. */
    int ncalls;
    struct snap_call { int prog, line; } calls[SNAP_CALLS];
    int64_t left;              /* ticks left of a `compute` under way */
    /* accounting */
    int64_t cpu_ticks;         /* ticks it ran */
    int64_t proc_cpu_ticks;    /* ticks its process ran: every thread's,
                                  ended ones too (what `ps` shows) */
    int64_t wait_ticks;        /* ticks runnable but not running */
    int64_t created;           /* tick it came into existence */
    int64_t first_run;         /* first tick on a CPU, -1 if never */
    int nvcsw, nivcsw;         /* voluntary / involuntary switches */
    int nchildren;             /* live and zombie children */
    int exit_status;           /* for Z: code, or -SIG if killed */
    /* signals */
    uint32_t pending;          /* process's pending signals (bit n = sig n) */
    uint32_t blocked;          /* this thread's mask */
    int16_t sigact[NSIG_MAX];  /* -1 default, -2 ignore, else handler index */
    int handler_sig;           /* signal whose handler runs now, 0 none */
    int64_t alarm_at;          /* tick SIGALRM is due, -1 none */
    bool subreaper;
    /* threads, the GIL, shared objects */
    int wait_obj;              /* object it waits on (lock, ...), -1 */
    int join_tid;              /* the thread it joins, 0 */
    bool daemon;               /* a daemon thread */
    bool holds_gil;            /* holds its process's GIL */
    int gil_holder;            /* tid holding its process's GIL, 0 none */
    bool gil_drop_request;     /* its process's GIL drop request is set */
    int64_t gil_since;         /* waiting for the GIL since this tick, -1 */
    bool storing;              /* between the load and store of an update */
    int wait_chan;             /* the pipe or queue it waits on (index into
                                  snapshot.chans), -1 */
};

/* What to call task t: a process's main thread, its comm; another thread,
 * the name it was given (Python's Thread.name), else the program it runs. */
static inline const char *snap_task_name(const struct scenario *s, const struct snap_task *t)
{
    if (t->main_thread)
        return t->comm;
    if (t->name[0])
        return t->name;
    if (t->prog >= 0 && t->prog < s->nprograms)
        return s->programs[t->prog].name;
    return t->comm;
}

#define SNAP_MAX_WAITERS 8

/* A scenario object (index as in scenario.objects). */
struct snap_object {
    int64_t value;             /* shared value, semaphore count, event 0/1 */
    int owner_tid;             /* lock/rlock holder; 0 free, -1 a thread that
                                  ended while holding it */
    int count;                 /* rlock: how many times it is held */
    int nwaiting;              /* tasks waiting on it */
    int waiting[SNAP_MAX_WAITERS];  /* the first of them, in wake order */
    int last_writer;           /* shared: tid of the last store, 0 none */
    int64_t last_write;        /* shared: tick of the last store */
    int64_t lost_at;           /* shared: tick of the last lost update, -1 */
    int first_item, nitems;    /* array: its items in snapshot.items */
};

/* A pipe or queue (issue 11): its messages in order and who uses it. Filled
 * by the pipe and queue code (sim/objects); drawn by the window, printed by
 * ps --json. */
#define SNAP_MAX_MSGS 12       /* messages listed per channel */
#define SNAP_MAX_HOLDERS 8     /* holders listed per pipe end */
#define SNAP_MSG_TEXT 40       /* repr of a message, cut with "..." */

struct snap_msg {
    char text[SNAP_MSG_TEXT];  /* repr(message) */
    int from;                  /* pid that sent it, 0 unknown */
    uint32_t size;             /* bytes (v_msg_size); a part of a message
                                  larger than PIPE_BUF: its bytes */
    int end;                   /* pipes: the end that will read it (a
                                  duplex pipe carries both ways) */
};

enum snap_chan_kind { CHAN_PIPE, CHAN_QUEUE, CHAN_JOINABLE, CHAN_THREADQ };

struct snap_chan {
    enum snap_chan_kind kind;
    int obj;                   /* scenario object index; -1: a pipe made at
                                  run time (`pipe -> a, b`) */
    char name[32];             /* the object's name, or "pipe#N" */
    bool duplex;               /* pipe */
    int64_t bytes, capacity;   /* bytes in the pipe (a queue's: its pipe) */
    int nmsgs;                 /* messages in the pipe */
    struct snap_msg msgs[SNAP_MAX_MSGS];   /* the first of them, in order */
    /* pipes: the pids holding each end (both ends of a duplex pipe read and
     * write; a simplex pipe's end 0 reads, end 1 writes) */
    int nholders[2];
    int holders[2][SNAP_MAX_HOLDERS];
    /* waiting tasks (tids), in wake order */
    int nreaders, nwriters;
    int readers[SNAP_MAX_WAITERS], writers[SNAP_MAX_WAITERS];
    /* queues */
    int64_t maxsize;           /* <= 0 unbounded */
    int qsize;                 /* items put, not yet got (qsize()) */
    int nbuffered;             /* multiprocessing.Queue: items still in the
                                  putters' feeder buffers */
    int feeders[SNAP_MAX_HOLDERS]; /* tids of its feeder threads */
    int nfeeders;
    int unfinished;            /* JoinableQueue: items not yet task_done */
};

/* One open file descriptor of a process: a pipe end (its channel and
 * end), a socket or an epoll instance. */
enum snap_fd_kind { SFD_PIPE, SFD_SOCK, SFD_EPOLL };
struct snap_fd {
    int pid;                   /* the process holding it */
    int fd;                    /* its number (3, 4, ...) */
    uint8_t kind;              /* enum snap_fd_kind */
    int chan;                  /* pipe: index into snapshot.chans, else -1 */
    int end;                   /* pipe: 0 or 1 */
    char mode;                 /* 'r', 'w' or 'b' (both: duplex, sockets) */
    int sock;                  /* socket: its id (snap_sock.id), else 0 */
};

/* A process or thread pool (issue 12): multiprocessing.Pool,
 * ThreadPoolExecutor or ProcessPoolExecutor, with its workers, the tasks
 * waiting for a free worker (in order) and the last results. Filled by
 * sim/objects/pool.c; drawn by the window, printed by `procsim run`/stats. */
#define SNAP_MAX_POOL_WORKERS 64   /* workers listed per pool */
#define SNAP_MAX_JOBS 16           /* pending tasks listed per pool */
#define SNAP_MAX_DONE 8            /* finished tasks listed per pool */

enum snap_pool_kind { POOLK_MP, POOLK_THREADS, POOLK_PROCESSES };
enum snap_job_state { JOB_PENDING, JOB_RUNNING, JOB_DONE, JOB_FAILED,
                      JOB_CANCELLED };

struct snap_job {
    int id;                    /* task number in its pool: 0, 1, 2, ...
                                  (a map's chunk: its first item's) */
    char func[24];             /* the program it calls */
    char args[SNAP_MSG_TEXT];  /* repr of its arguments ("(4,)"); a chunk
                                  of a map: "chunk 2: items 6..8" */
    char result[SNAP_MSG_TEXT];/* repr of its result, or "ValueError: x" */
    uint8_t state;             /* enum snap_job_state */
    int worker;                /* pid (tid for threads) running or that ran
                                  it, 0 none yet */
};

struct snap_pool_worker {
    int pid, tid;              /* a process worker: its pid and main tid;
                                  a thread worker: its process and tid */
    int job;                   /* the task it runs (snap_job.id), -1 idle */
    int64_t tasks_done;        /* tasks it has finished (stats) */
};

struct snap_pool {
    enum snap_pool_kind kind;
    char name[32];             /* the name in the scenario */
    int owner;                 /* pid of the process that made it */
    char state;                /* 'R' running, 'C' closed (close/shutdown
                                  without wait), 'T' terminated, 'J' joined
                                  (all workers gone) */
    int handler_tid;           /* the owner's thread that takes results and
                                  runs callbacks, 0 none */
    int size;                  /* the workers it was made with (Pool(4): 4;
                                  an executor's max_workers) */
    int nworkers;
    struct snap_pool_worker workers[SNAP_MAX_POOL_WORKERS];
    int npending;              /* tasks waiting for a worker (all of them) */
    struct snap_job pending[SNAP_MAX_JOBS];    /* the first, in order */
    int ndone;
    struct snap_job done[SNAP_MAX_DONE];       /* the last, newest first */
    int64_t submitted, completed;
};

/* Sockets, the loopback network, multiplexing and greenlets (issue 13).
 * Filled by sim/net, sim/mux and sim/coro; drawn by the window, printed by
 * `procsim ss` and ps --json. */
#define SNAP_MAX_SOCK_FDS 8        /* (pid, fd) pairs listed per socket */
#define SNAP_MAX_MUX_FDS 32        /* fds listed per select/poll/epoll */

enum snap_sock_type { SOCKT_TCP, SOCKT_UDP, SOCKT_UNIX_STREAM, SOCKT_UNIX_DGRAM };
/* TCP's states as ss prints them; UNCONN for a datagram socket or a
 * stream socket that is neither listening nor connected. */
enum snap_sock_state { SOCKS_UNCONN, SOCKS_LISTEN, SOCKS_SYN_SENT, SOCKS_SYN_RECV,
                       SOCKS_ESTAB, SOCKS_FIN_WAIT1, SOCKS_FIN_WAIT2,
                       SOCKS_CLOSE_WAIT, SOCKS_LAST_ACK, SOCKS_CLOSING,
                       SOCKS_TIME_WAIT, SOCKS_CLOSED };

struct snap_sock {
    int id;                    /* the socket's number for the whole run */
    uint8_t type;              /* enum snap_sock_type */
    uint8_t state;             /* enum snap_sock_state */
    char local[48], peer[48];  /* "127.0.0.1:8080", "/tmp/s", "" none */
    int peer_id;               /* the socket at the other end, 0 none */
    int listener_id;           /* accepted from (or queued on) this
                                  listening socket, 0 none */
    int nholders;              /* (pid, fd) pairs that name it */
    int holder_pid[SNAP_MAX_SOCK_FDS], holder_fd[SNAP_MAX_SOCK_FDS];
    int64_t snd_bytes, snd_cap;    /* send buffer: bytes in it (not yet
                                      acknowledged), SO_SNDBUF */
    int64_t rcv_bytes, rcv_cap;    /* receive buffer: bytes to read, SO_RCVBUF */
    int rcv_sends;             /* the sends (or datagrams) those bytes
                                  came from: 2 means a recv may merge two */
    char rcv_text[SNAP_MSG_TEXT];  /* the first bytes waiting, repr */
    int backlog, backlog_max;  /* listening: connections waiting for
                                  accept, and listen's limit */
    bool nonblocking;          /* setblocking(False) */
    int64_t timeout;           /* settimeout: ticks, -1 none */
    bool shut_rd, shut_wr;     /* shutdown, or the peer's FIN (shut_rd:
                                  nothing more will come) */
    int nwaiting;              /* tasks blocked on it (accept, connect,
                                  send, recv) */
    int waiting[SNAP_MAX_WAITERS];     /* their tids */
};

enum snap_packet_kind { PKT_SYN, PKT_SYNACK, PKT_ACK, PKT_DATA, PKT_FIN, PKT_RST,
                        PKT_DGRAM };

/* A segment or datagram on the network, between two sockets. */
struct snap_packet {
    int from, to;              /* socket ids (to: 0 when nobody gets it) */
    uint8_t kind;              /* enum snap_packet_kind */
    bool lost;                 /* a datagram that will be dropped */
    int bytes;                 /* payload */
    int64_t sent, arrives;     /* ticks */
    char text[24];             /* the first bytes, repr */
};

enum snap_mux_kind { MUXK_SELECT, MUXK_POLL, MUXK_EPOLL };

/* A task's select, poll or epoll_wait: under way, or its last one. */
struct snap_mux {
    int pid, tid;
    uint8_t kind;              /* enum snap_mux_kind */
    bool waiting;              /* blocked in it now */
    int epfd;                  /* epoll: the instance's fd, -1 */
    int64_t called;            /* tick of the call */
    int64_t cost;              /* ticks of CPU the call cost */
    int nwatched;              /* fds it watches (select/poll: the sets
                                  given; epoll: the interest list) */
    int watched[SNAP_MAX_MUX_FDS];
    uint32_t watched_events[SNAP_MAX_MUX_FDS];   /* POLL_* asked for */
    int nready;                /* fds it returned ready (-1: not yet) */
    int ready[SNAP_MAX_MUX_FDS];
    uint32_t ready_events[SNAP_MAX_MUX_FDS];     /* POLL_* returned */
};

enum snap_green_state { GREEN_RUNNING, GREEN_READY, GREEN_WAIT_FD, GREEN_SLEEP,
                        GREEN_JOIN, GREEN_DEAD };

/* A greenlet (gevent) or a task of an asyncio loop: a lane in its thread. */
struct snap_green {
    int pid, tid;              /* the thread it runs in */
    int id;                    /* its number in that thread: 1, 2, ... */
    char name[24];             /* its function (program) */
    uint8_t state;             /* enum snap_green_state */
    int line;                  /* its current source line, 0 none */
    int wait_fd;               /* GREEN_WAIT_FD: the fd, -1 */
    int64_t wake_at;           /* GREEN_SLEEP: the tick, -1 */
    int64_t switches;          /* times it was switched to */
};

struct snapshot {
    int64_t tick;              /* the tick shown */
    bool done;                 /* the run ended at or before this tick */
    int ncpus;
    int cpu_task[MAX_CPUS];    /* index into tasks[] of each CPU's task, -1 idle */
    struct snap_task *tasks;   /* every existing task, by pid then tid */
    int ntasks;
    int *runqueue;             /* indices into tasks[], in pick order */
    int nrunqueue;
    int64_t min_vruntime;      /* cfs: the run queue's min_vruntime */
    int nr_running;            /* tasks in state R (running or queued) */
    int cap;                   /* allocated length of tasks and runqueue */
    int fg_pgid;               /* the terminal's foreground process group,
                                  0 before the foreground job starts */
    struct snap_object *objects;   /* scenario objects' state */
    int nobjects, objcap;
    struct snap_chan *chans;   /* pipes and queues (issue 11) */
    int nchans, chancap;
    struct snap_fd *fds;       /* open pipe fds of every process, by pid
                                  then fd */
    int nfds, fdcap;
    int64_t *items;            /* every array's items (snap_object.first_item) */
    int nitems, itemcap;
    struct snap_pool *pools;   /* pools and executors (issue 12) */
    int npools, poolcap;
    /* issue 13 */
    struct snap_sock *socks;   /* every socket, by id */
    int nsocks, sockcap;
    struct snap_packet *packets;   /* on the network, by arrival tick */
    int npackets, packetcap;
    struct snap_mux *muxes;    /* select/poll/epoll_wait calls, by tid */
    int nmuxes, muxcap;
    struct snap_green *greens; /* greenlets, by tid then id */
    int ngreens, greencap;
};

void snapshot_init(struct snapshot *s);

/* Make *arr (of *cap elements of elem bytes) hold at least `need`,
 * doubling; false when out of memory (then *arr is unchanged). For the
 * code that fills a snapshot's arrays. */
bool snapshot_grow(void **arr, int *cap, int need, size_t elem);
void snapshot_free(struct snapshot *s);

/* The main thread of process `pid`, or NULL when it does not exist. */
const struct snap_task *snapshot_find(const struct snapshot *s, int pid);

#endif
