/*
 * pool.h - the kernel's pools and executors (pool.c, issue 12):
 * multiprocessing.Pool, ThreadPoolExecutor, ProcessPoolExecutor.
 *
 * Three kinds of record, each in one machine-wide array linked by index (so
 * machine_clone copies them with a memcpy each, plus the few per-record
 * arrays):
 *   - a pool (struct kpool): its owner, its workers, its task queue (tasks
 *     not yet taken, FIFO) and its result queue (tasks back from a worker,
 *     not yet taken by the owner's result handler thread);
 *   - a task (struct pool_task): one call of the function (apply, submit)
 *     or one chunk of a map, from the task queue to a worker and back;
 *   - a job (struct pool_job): what a handle (V_HANDLE) names, CPython's
 *     ApplyResult / MapResult / Future: its state, its result or exception,
 *     its callbacks and the tasks waiting in get/result on it. A job lives
 *     while a handle to it is reachable or a task of it is still in flight;
 *     the collection (machine_collect) frees the others.
 */
#ifndef PROCSIM_POOL_H
#define PROCSIM_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "value.h"

#define POOL_MAX_DONE_CB 4     /* add_done_callback per future */
#define POOL_RECENT 8          /* finished tasks kept for the snapshot */

struct pool_task {
    int job;                   /* its job (machine.pjobs slot) */
    int id;                    /* task number in its pool (a chunk: its
                                  first item's) */
    int first, n;              /* a map's chunk: items first .. first+n-1
                                  of the job's list; a call: 0, 1 */
    int done;                  /* items called and back so far */
    struct value args;         /* a call: its arguments (a tuple); a map:
                                  the job's whole item list */
    struct value result;       /* a call: what it returned; failed: the
                                  message made at run time (a str), None */
    int8_t exc;                /* -1, or the EXC_* it raised */
    const char *msg;           /* and its static message (or NULL) */
    int worker;                /* pid (tid for threads) that ran it, 0 */
    int func;                  /* the program it calls (its job's) */
    bool map;                  /* a chunk of a map */
    bool cancelled;            /* a future cancelled before it ran (kept
                                  among the pool's recent ones to show) */
    int next;                  /* next in its queue, or free list; -1 */
};

struct pool_job {
    int64_t id;                /* the handles' id; 0: a free slot */
    int pool;                  /* its pool's slot, -1 once that is gone */
    uint8_t kind;              /* HK_* */
    uint8_t state;             /* enum snap_job_state */
    bool marked;               /* reachable, during a collection */
    bool star;                 /* starmap: each item is an argument tuple */
    bool executor;             /* an executor's (its timeouts raise the
                                  builtin TimeoutError) */
    int func, cb, ecb;         /* programs; callbacks -1 */
    int task0;                 /* task number of its first item */
    int nitems, chunks_left;   /* a map: items, chunks not back yet */
    struct value *results;     /* a map: its items' results (malloc'd) */
    /* an imap: which items have come back (their chunk was handled), with
     * the exception of a failed one; in what order (imap_unordered: the
     * order they came; imap: their own); and where `next` is */
    uint8_t *arrived;
    int8_t *iexc;
    const char **imsg;
    int *order;                /* imap_unordered: item indices as they came */
    int narrived, next_i;
    int chunksize;
    bool unordered;
    struct value value;        /* the result (a map's list once done);
                                  failed: as pool_task.result */
    int8_t exc;                /* -1, or the exception it failed with */
    const char *msg;
    int inflight;              /* tasks of it not back, and a callback
                                  under way */
    int wait_head, wait_tail;  /* tasks waiting in get/wait/result */
    int dcb[POOL_MAX_DONE_CB]; /* a future's done callbacks */
    int ndcb, dcb_next;        /* how many, and the next to run */
    int cancel_tid;            /* the task running its done callbacks in
                                  its `cancel`, 0 */
    int next;                  /* free list, -1 */
};

struct pool_worker {
    int pid, tid;              /* a process worker: pid and its tid; a
                                  thread worker: its process's pid, its tid */
    int slot;                  /* its task slot, -1 once it is gone */
    int task;                  /* the pool_task it runs, -1 idle */
    int cb_job;                /* a thread worker: the job whose done
                                  callbacks it runs, -1 */
    int64_t done;              /* tasks it finished */
    bool gone;                 /* exited (a process: maybe not reaped yet) */
    bool reaped;
    int record;                /* its trace record, -1 */
};

struct kpool {
    int decl;                  /* scenario.pools index, -1: a free slot */
    int kind;                  /* enum pool_kind */
    int owner;                 /* the owner's pid */
    int owner_slot;            /* and its process slot */
    char state;                /* 'R' running, 'C' closed / shut down,
                                  'T' terminated */
    bool creating;             /* its statement is still forking workers */
    bool retired;              /* replaced by a new pool of the same name */
    int nwant;                 /* processes / max_workers */
    int64_t maxtasks;          /* maxtasksperchild, 0 none */
    int nstarted;              /* workers its statement forked so far */
    int init;                  /* initializer=: a program each worker process
                                  calls first, with initargs' items; -1 */
    struct value initargs;     /* initargs= (a tuple or list), None */
    int counter;               /* counter=: a variable of the owner that
                                  counts its forks (multiprocessing's
                                  _process_counter), -1 */
    struct pool_worker *w;     /* every worker it had, in creation order */
    int nw, wcap;
    int nlive;                 /* workers not gone */
    int nbusy;                 /* workers running a task */
    int nunreaped;             /* worker processes gone, not yet reaped */
    int q_head, q_tail, nq;    /* the task queue (pool_task slots) */
    int r_head, r_tail, nr;    /* the result queue */
    int idle_head, idle_tail;  /* workers waiting for a task (task slots) */
    int h_slot, h_tid;         /* the result handler thread, -1 / 0 */
    bool h_waiting;            /* it waits for a result */
    int h_task;                /* the result whose callback runs, -1 */
    int join_head, join_tail;  /* tasks in join / terminate / shutdown */
    int ntasks;                /* task numbers handed out */
    int64_t submitted, completed;
    int recent[POOL_RECENT];   /* finished tasks' slots (pool_task, kept
                                  for the snapshot), newest first, -1 */
    int record;                /* its trace record, -1 */
};

#endif
