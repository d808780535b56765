/*
 * file.h - open files: what a file descriptor names, whatever kind of
 * object it is (a pipe end, a socket, an epoll instance); the per-process
 * fd tables; and readiness watches, the model of poll(2)'s wait queues on
 * which select, poll, epoll and the coroutine hub wait (file.c).
 *
 * An fd table entry holds a file key: the kind of object in its top byte,
 * its index + 1 below, so 0 means "not open". A pipe end's key is
 * FILE_KEY(FK_PIPE, pipe * 2 + end), which is what pipes.h always stored.
 *
 * Each kind provides its file_ops (pipe.c, socket.c, epoll.c): taking one
 * more reference (fork), dropping one (close), and its readiness now as
 * POLL* bits. The object calls file_changed() whenever something happens
 * that may make it readable or writable (bytes arrive, room frees, the
 * other end closes, a connection comes): the watches on it fire. As in
 * Linux, a watch fires on an event, not on a level: an edge-triggered
 * epoll entry that is not fired again waits forever.
 */
#ifndef PROCSIM_FILE_H
#define PROCSIM_FILE_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct proc;
struct task;
struct insn;

enum file_kind { FK_PIPE = 0, FK_SOCK = 1, FK_EPOLL = 2, FK_COUNT };

#define FILE_KEY(kind, idx) ((int32_t)(((int32_t)(kind) << 24) | ((idx) + 1)))
#define FILE_KIND(key) ((int)((key) >> 24))
#define FILE_INDEX(key) ((int)((key) & 0xffffff) - 1)
#define FILE_INDEX_MAX 0xfffffe

/* poll(2)'s bits, Linux's values (epoll uses the same for its EPOLL*). */
enum {
    POLL_IN = 0x001, POLL_PRI = 0x002, POLL_OUT = 0x004, POLL_ERR = 0x008,
    POLL_HUP = 0x010, POLL_NVAL = 0x020, POLL_RDHUP = 0x2000,
};
#define EPOLL_ONESHOT (1u << 30)
#define EPOLL_ET (1u << 31)

/* RLIMIT_NOFILE: `config nofile`, default 1024 (Linux's soft limit); a
 * process's fds are 0 .. nofile - 1. Tables grow as fds are opened. */
#define NOFILE_DEFAULT 1024
#define NOFILE_MAX 1048576

struct file_ops {
    const char *name;                  /* "pipe", "socket", "epoll" */
    /* One more fd names object idx (fork copies a table, dup). */
    void (*ref)(struct machine *m, int idx);
    /* Process slot ps closed its fd `fd` naming idx (the entry is already
     * cleared); t did it, or it is ps's exit (at_exit). */
    void (*close)(struct machine *m, int ps, const struct task *t, int idx, int fd,
                  bool at_exit);
    /* Its readiness now: POLL_* bits. */
    uint32_t (*events)(const struct machine *m, int idx);
    /* The head of its watch list (an fwatch index, -1 empty). */
    int *(*watch_head)(struct machine *m, int idx);
    /* A statement on an fd naming it (OP_FD with a method this kind has:
     * see scenario.h); false after an error or exception. NULL: the kind
     * has no such statements (then Python's error is raised). */
    bool (*op)(struct machine *m, struct task *t, const struct insn *in, int idx,
               int fd);
};

extern const struct file_ops pipe_file_ops, sock_file_ops, epoll_file_ops;
const struct file_ops *file_ops_of(int32_t key);

/* An fd table: fd[n] is the file key fd n names, 0 when not open (0, 1, 2,
 * the terminal, stay 0 here). Threads share their process's. */
struct fdtab {
    int32_t *fd;               /* cap entries (malloc'd) */
    int cap;
    int nopen;
    int next_free;             /* free tables: the next free one, -1 */
    bool used;
};

/* A readiness watch: task `owner` (FW_TASK: select, poll, a hub) or epoll
 * instance `owner` (FW_EPOLL: an interest-list entry) watching a file. */
enum { FW_TASK, FW_EPOLL };
struct fwatch {
    int32_t key;               /* the file watched */
    int fd;                    /* the fd it was named by */
    uint32_t events;           /* what it asks for (POLL_* and EPOLL_*) */
    uint8_t kind;              /* FW_* */
    bool used;
    int owner;                 /* task slot, or epoll index */
    int prev, next;            /* on the file's list, -1 */
    int onext;                 /* the owner's next watch, -1; free ones:
                                  the next free */
    int64_t data;              /* the owner's (epoll: its data/fd; a
                                  greenlet's index) */
};

/* ------------------------------------------------------------- fd tables */
/* A new machine has no tables and no watches. */
void files_init(struct machine *m);
/* What fd names in process p: a file key, 0 when it is not open. */
int32_t fd_key(const struct machine *m, const struct proc *p, int64_t fd);
/* The lowest fd of p from `from` on that is free (below nofile), -1 none. */
int fd_lowest_free(const struct machine *m, const struct proc *p, int from);
/* fd (free, < nofile) of p names `key`, and the object gets one more
 * reference; false out of memory (the run is stopped). */
bool fd_install(struct machine *m, struct proc *p, int fd, int32_t key);
/* Open `key` at p's lowest free fd: the fd, or -24 (EMFILE) at the limit,
 * or -12 (ENOMEM: the run is stopped). */
int fd_open(struct machine *m, struct proc *p, int32_t key);
/* Close p's open fd: the entry goes, then its kind's close runs. */
void fd_close(struct machine *m, struct proc *p, const struct task *t, int fd,
              bool at_exit);
/* Call f(m, p, fd, key, arg) for every open fd of p, in fd order. */
void fd_each(const struct machine *m, const struct proc *p,
             void (*f)(const struct machine *m, const struct proc *p, int fd,
                       int32_t key, void *arg), void *arg);
/* The highest open fd of p + 1 (0: none): the bound of a walk over it. */
int fd_bound(const struct machine *m, const struct proc *p);

/* fork: the child's table is a copy of the parent's (every object one
 * more reference); false out of memory. */
bool fds_fork(struct machine *m, int parent_slot, int child_slot);
/* Process slot ps exits: every fd it holds closes, lowest first. */
void fds_exit(struct machine *m, int ps);
bool fds_clone(struct machine *dst, const struct machine *src);
void fds_free(struct machine *m);

/* ---------------------------------------------------------------- watches */
/* Readiness of `key` now (POLL_* bits); POLL_NVAL for a key that names
 * nothing. */
uint32_t file_events(const struct machine *m, int32_t key);
/* Something happened to `key`: every watch asking for one of its present
 * events (or ERR/HUP) fires: a waiting task wakes (it runs its statement
 * again), an epoll entry goes on its ready list (epoll_fired). */
void file_changed(struct machine *m, int32_t key);
/* The same, saying what happened (Linux's wake-up key): only watches that
 * ask for one of `what` fire (ep_poll_callback, pollwake). Reading from a
 * pipe makes room (POLL_OUT): an EPOLLIN entry does not fire then, so an
 * edge-triggered reader that read part of the data is not woken by its own
 * read. file_changed is what = every event. */
void file_changed_mask(struct machine *m, int32_t key, uint32_t what);
/* A new watch; its index, or -1 out of memory (the run is stopped). An
 * FW_TASK watch goes on the task's list (fwatch_drop_task removes them
 * all); an FW_EPOLL one is the caller's to keep. */
int fwatch_add(struct machine *m, int32_t key, int fd, uint32_t events, int kind,
               int owner, int64_t data);
void fwatch_remove(struct machine *m, int w);
/* Task slot s stops watching: all its FW_TASK watches go. */
void fwatch_drop_task(struct machine *m, int s);
/* The file `key` is gone: every watch on it goes (tasks watching it wake
 * to find out; epoll entries leave their interest lists: epoll_dropped). */
void fwatch_drop_file(struct machine *m, int32_t key);
/* The first watch of task slot s, -1 none (walk on with .onext). */
int fwatch_of_task(const struct machine *m, int s);
bool fwatch_clone(struct machine *dst, const struct machine *src);
void fwatch_free(struct machine *m);

/* epoll.c: an FW_EPOLL watch fired (put its entry on the ready list), or
 * its file is gone (take it off the interest list). */
void epoll_fired(struct machine *m, int w);
void epoll_dropped(struct machine *m, int w);

#endif
