/*
 * mux.h - select, poll, epoll and selectors (issue 13): the state sim/mux
 * keeps, private to its files.
 *
 *   select.c       select(2): the sets given on each call
 *   poll.c         select.poll() objects: a registered set, scanned per call
 *   epoll.c        epoll instances: an interest list of FW_EPOLL watches and
 *                  a ready list, filled by the watches as events come
 *   epoll_wait.c   epoll_wait (ep.poll) and the selector's select
 *   muxcost.c      what a call costs (scan_cost, ready_cost)
 *   muxstate.c     the state below: made, copied, freed; per-task records
 *   mux_exec.c     OP_MUX's dispatch and the wait channel names
 *   mux_snapshot.c what front ends see (snap_mux, snap_fd SFD_EPOLL)
 *
 * A poll object and an epoll instance are both a `struct kmux` with a list
 * of entries (struct muxent: fd, events asked); an epoll instance's
 * entries each have a readiness watch on their file (file.h) that puts
 * them on its ready list when it fires, and the instance is a file (an fd,
 * FK_EPOLL) which is readable while its ready list is not empty, so a task
 * in epoll_wait waits with an FW_TASK watch on the instance itself.
 */
#ifndef PROCSIM_MUX_H
#define PROCSIM_MUX_H

#include "kernel.h"
#include "snapshot.h"

enum mux_kind { MK_POLL, MK_EPOLL, MK_SELECTOR };

/* An entry: a registered fd of a poll object or an epoll instance. */
struct muxent {
    bool used;
    int mux;                   /* its instance */
    int fd;                    /* the fd registered */
    int32_t key;               /* the file it named then */
    uint32_t events;           /* asked: POLL_* | EPOLL_ET | EPOLL_ONESHOT */
    int w;                     /* epoll: its FW_EPOLL watch, -1 (a
                                  selector's entry whose file closed: kept,
                                  as CPython's map keeps its key) */
    bool ready;                /* epoll: on the ready list */
    bool disabled;             /* EPOLLONESHOT reported: silent until modify */
    int rdnext;                /* the next on the ready list, -1 */
    int next, prev;            /* the instance's list (registration order);
                                  free ones: next = the next free */
    struct value data;         /* a selector's data (None) */
};

/* A poll object (no fd) or an epoll instance (an fd, FK_EPOLL). */
struct kmux {
    bool used;
    uint8_t kind;              /* enum mux_kind */
    int id;                    /* its number for the run: 1, 2, ... */
    int refs;                  /* epoll: fds naming it */
    int owner;                 /* poll object: the pid that made it */
    int watch;                 /* watches on the epoll fd (its waiters) */
    int head, tail, n;         /* its entries, in registration order */
    int rdhead, rdtail, nready;    /* epoll: the ready list */
    int next_free;
    int *byfd;                 /* poll, selector: entry + 1 by fd, 0 none
                                  (malloc'd; epoll finds its entries on
                                  their files) */
    int byfd_cap;
};

/* A task's last select, poll or epoll_wait (or the one under way). */
struct muxrec {
    int tid;                   /* whose (a slot used again is reset) */
    bool used;
    uint8_t kind;              /* enum snap_mux_kind */
    bool waiting;
    int epfd;                  /* epoll: the fd, -1 */
    int mux;                   /* poll/epoll: the instance, -1 */
    int64_t called;            /* tick the call (its last pass) began */
    int64_t cost;              /* ticks of CPU the last pass cost */
    int64_t carry_ns;          /* cost not yet a whole tick (muxcost.c) */
    int64_t calls;             /* calls made */
    bool eintr;                /* a handler interrupted it (eintr=return):
                                  it fails with EINTR when it runs again */
    int nwatched;
    int watched[SNAP_MAX_MUX_FDS];
    uint32_t watched_events[SNAP_MAX_MUX_FDS];
    int nready;                /* -1: not returned yet */
    int ready[SNAP_MAX_MUX_FDS];
    uint32_t ready_events[SNAP_MAX_MUX_FDS];
};

struct muxstate {
    struct kmux *mux;          int mux_cap, mux_free, mux_serial;
    struct muxent *ent;        int ent_cap, ent_free;
    struct muxrec *rec;        int rec_cap;       /* by task slot */
};

/* muxstate.c */
/* The state, made on first use; NULL when out of memory (the run is
 * stopped). */
struct muxstate *mux_state(struct machine *m);
int mux_new(struct machine *m, enum mux_kind kind);
int muxent_new(struct machine *m, int mux);
void muxent_free(struct machine *m, int e);
/* t's record, reset if the slot had another task's; NULL out of memory. */
struct muxrec *mux_rec(struct machine *m, const struct task *t);
/* The entry of instance mx for fd (naming file `key` now, 0 if none), -1
 * none. */
int mux_find(struct machine *m, int mx, int fd, int32_t key);
/* A poll object's or selector's entry e is now the one for fd (-1: none);
 * false out of memory. */
bool mux_index(struct machine *m, int mx, int fd, int e);

/* epoll.c */
extern const struct file_ops epoll_file_ops;
/* Take entry e off its instance's ready list, if it is on it. */
void epoll_unready(struct machine *m, int e);
/* Put entry e at the end of its instance's ready list (not twice); the
 * instance's waiters wake. */
void epoll_ready(struct machine *m, int e);
/* The same without waking anyone (epoll_wait puts a level-triggered entry
 * back: its caller is the one that would wake). */
void epoll_requeue(struct machine *m, int e);

/* The methods (mux_exec.c calls them); each returns as mux_exec does. */
bool mux_select(struct machine *m, struct task *t, const struct insn *in);
bool mux_poll_new(struct machine *m, struct task *t, const struct insn *in);
bool mux_epoll_new(struct machine *m, struct task *t, const struct insn *in);
bool mux_register(struct machine *m, struct task *t, const struct insn *in, int mx,
                  int epfd);
bool mux_poll_wait(struct machine *m, struct task *t, const struct insn *in, int mx);
bool mux_epoll_wait(struct machine *m, struct task *t, const struct insn *in, int mx,
                    int epfd);

/* muxcost.c */
/* A new pass of a call (its record r) watching (select/poll) or returning
 * (epoll) n items of cost `which` (COST_SCAN, COST_READY): the ticks it
 * takes, 1 (the statement's own) plus the whole ticks of its cost so far
 * (the fraction left is carried in r). */
int64_t mux_cost(const struct machine *m, struct muxrec *r, int which, int64_t n);

/* Shared by the methods */
/* Evaluate a timeout in ticks: None or absent = -1 (forever); false after
 * an exception. */
bool mux_timeout(struct machine *m, struct task *t, const struct expr *e,
                 int64_t *ticks);
/* A new pass of t's call: false when it must fail with EINTR instead
 * (raised; a handler interrupted it, eintr=return). */
bool mux_pass(struct machine *m, struct task *t, struct muxrec *r, const struct insn *in);
/* Block t in WC_POLL until a watch fires or `left` ticks (-1: forever). */
void mux_block(struct machine *m, struct task *t, struct muxrec *r, int64_t left);
/* Remember a watched fd / a ready fd in r (the first SNAP_MAX_MUX_FDS). */
void muxrec_watch(struct muxrec *r, int fd, uint32_t events);
void muxrec_ready(struct muxrec *r, int fd, uint32_t events);
/* " (fd 5, 7)": r's ready fds for an event's text, "" none */
void muxrec_words(const struct muxrec *r, char *buf, size_t size);
/* A list of (fd, mask) or (fd, mask, data) tuples, into var; false out of
 * memory (the run is stopped). */
bool mux_result(struct machine *m, struct task *t, int var, const int *fds,
                const uint32_t *evs, const struct value *data, int n);
/* The pid of t, for events */
int mux_pid(const struct machine *m, const struct task *t);

#endif
