/*
 * pipes.h - the kernel's pipes and file descriptor tables (pipe.c).
 *
 * A pipe is a slot in one machine-wide array; a file descriptor table is a
 * slot in another, which a process points to only once it holds a pipe end
 * (a process with nothing but 0, 1 and 2 pays for one int). Both are flat
 * arrays linked by index, so machine_clone copies them with one memcpy each.
 *
 * A duplex pipe is Python's socketpair: two byte streams, one each way. A
 * simplex pipe (os.pipe, Pipe(False)) has only the first: written at end 1,
 * read at end 0. dir[e] holds what is read at end e, written at end 1 - e.
 */
#ifndef PROCSIM_PIPES_H
#define PROCSIM_PIPES_H

#include <stdbool.h>
#include <stdint.h>

#include "file.h"
#include "msgq.h"

#define FD_FIRST 3             /* 0, 1, 2 are the terminal */
#define PIPE_BUF 4096          /* writes up to this are atomic (pipe(7)) */
#define MAX_TOP_PIPES 30      /* top-level pipes: fds 3..62 */

struct pipe_dir {
    struct msgq q;             /* the bytes in it, as messages or parts */
    int rhead, rtail;          /* readers waiting (task slots, wq_next) */
    int whead, wtail;          /* writers waiting */
    int nreaders, nwriters;
};

struct kpipe {
    struct pipe_dir dir[2];    /* dir[e]: read at end e */
    int refs[2];               /* fds naming each end, every process's */
    int watch[2];              /* readiness watches on each end (file.h) */
    int obj;                   /* its first scenario object, -1 run time */
    int serial;                /* run-time pipes: the N of "pipe#N" */
    bool duplex;
    bool used;                 /* false: a free slot (next_free chains) */
    int next_free;
};


/* A send or recv under way: the message, and for one larger than PIPE_BUF
 * the bytes still to move. Kept beside the tasks (machine.ptasks, by task
 * slot, as far as the slots of tasks that used a pipe) so that a task that
 * never does pays nothing; valid while its task.pipe_op is not NONE. */
struct pipe_task {
    struct value msg;
    int32_t left;
    int from;                  /* reading: the pid that sent it */
};

/* What a task is doing with a pipe (task.pipe_op). */
enum { PIPE_OP_NONE, PIPE_OP_READING, PIPE_OP_READING_TORN, PIPE_OP_GOT,
       PIPE_OP_TORN, PIPE_OP_WRITING, PIPE_OP_WRITING_PARTS, PIPE_OP_SENT };

#endif
