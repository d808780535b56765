/*
 * green.h - gevent-style greenlets inside one kernel task (issue 13):
 * the hub's data, private to sim/coro.
 *
 * A greenlet is a saved execution context of a task: program, pc, compute
 * left, its try blocks and calls (a taskx: t->x is swapped), and its own
 * copy of the task-local variables (parameters, `local`, repeat counters).
 * The task's first flow is the main greenlet (id 0); `gevent.spawn` makes
 * greenlets 1, 2, ... (numbered across the run, never reused). Exactly one
 * of a hub's greenlets is loaded into its task at a time (`current`); the
 * others' contexts are here.
 *
 * Switching is cooperative: the running greenlet parks (gevent.sleep, a
 * join of an unfinished greenlet, and once monkey-patched a sleep or a
 * pipe/socket call that would block) and the hub loads the next ready
 * greenlet, FIFO. The kernel sees none of it: the task runs on. Only when
 * no greenlet is ready does the task block, in WC_HUB, woken by a
 * readiness watch on an fd a greenlet waits for or by a timer at the
 * earliest greenlet deadline. While it waits no greenlet is loaded
 * (current = -1) and the task's pc is that of the statement that parked
 * last; the first statement it runs when woken loads the next ready one
 * (green_hook).
 */
#ifndef PROCSIM_GREEN_H
#define PROCSIM_GREEN_H

#include "kernel.h"
#include "snapshot.h"
#include "trace.h"

/* A saved context, and what it waits for (state: enum snap_green_state). */
struct gctx {
    int prog, pc;
    int64_t left;
    int x;                     /* its taskx, -1 none */
    uint8_t state;
    int next;                  /* on the ready queue or the wait list: the
                                  next greenlet's id, -1 */
    int32_t wait_key;          /* GREEN_WAIT_FD: the file, its fd and the */
    int wait_fd;               /*   POLL_* bits it waits for */
    uint32_t wait_events;
    int64_t wake_at;           /* GREEN_SLEEP: the tick it is ready, -1 */
    int join_on;               /* GREEN_JOIN: the greenlet it waits for */
    int64_t deadline;          /* a join's timeout: the tick it gives up;
                                  0 none (kept while the join runs again) */
    int64_t switches;          /* times it was switched to */
};

struct greenlet {
    struct gctx c;
    int hub;                   /* its hub's index */
    int prog;                  /* the program it was spawned with */
    int hub_next;              /* the hub's next greenlet (spawn order) */
    struct value result;       /* what it returned, once dead */
    int64_t died;              /* its place in the order greenlets ended */
    bool task;                 /* an asyncio task (create_task), not a
                                  gevent greenlet: its uncaught exception
                                  is kept for whoever awaits it */
    int8_t exc;                /* a task's uncaught exception, -1 none */
    const char *exc_msg;       /* its message (static text), or NULL */
};

struct hub {
    int task, tid;             /* the thread it lives in */
    bool used;
    bool patched;              /* monkey.patch_all ran in this thread */
    bool asyncio;              /* asyncio tasks live here: the words of
                                  its events are asyncio's */
    int current;               /* the greenlet loaded: 0 main, > 0 an id,
                                  -1 none (the task waits in WC_HUB) */
    struct gctx main;          /* the main greenlet, when not loaded */
    int first, last;           /* spawned greenlets (ids), -1 */
    int ready_head, ready_tail;    /* ready greenlets, FIFO (ids) */
    int wait_head, wait_tail;      /* parked ones, in park order */
    int nwaiting;
};

struct coro {
    struct hub *hubs;          int nhubs, hubcap;
    struct greenlet *g;        int ng, gcap;      /* greenlet id i + 1 */
    int32_t *thub;             int thubcap;       /* task slot -> hub + 1 */
    struct value *gvars;       /* ntask_vars per greenlet */
    struct value *hvars;       /* ntask_vars per hub: its main greenlet's */
    int64_t ndied;             /* greenlets ended so far */
};

/* What green_hook tells exec_tick. */
enum { GH_GO, GH_UNTIMED, GH_TIMED };

/* hub.c */
struct hub *hub_of(const struct machine *m, const struct task *t);
/* t's hub, made on first use (NULL out of memory: the run is stopped). */
struct hub *hub_get(struct machine *m, struct task *t);
struct gctx *gctx_of(struct machine *m, struct hub *h, int id);
struct value *gvars_of(struct machine *m, struct hub *h, int id);
/* A new greenlet of h (its id; 0 out of memory: the run is stopped). */
int greenlet_new(struct machine *m, struct hub *h, int prog);
void ready_push(struct machine *m, struct hub *h, int id);
/* The loaded greenlet parks: its context is saved (resuming at `pc`),
 * in `state`; it goes on the wait list (or the ready queue when READY). */
void hub_park(struct machine *m, struct task *t, struct hub *h, int state, int pc);
/* After a park or a death: load the next ready greenlet, or block the
 * task in WC_HUB. `why` starts the event's text. */
int hub_switch(struct machine *m, struct task *t, struct hub *h, const char *why,
               int reason);
/* The task runs with no greenlet loaded (woken): load the next ready. */
int hub_resume(struct machine *m, struct task *t, struct hub *h);
/* The loaded spawned greenlet ends (returned, or an uncaught exception). */
int greenlet_die(struct machine *m, struct task *t, struct hub *h);
/* "greenlet 2 (handler)" or "the main greenlet" (asyncio: "task 2 ...",
 * "the main task"), in buf. */
const char *green_name(const struct machine *m, const struct hub *h, int id, char *buf,
                       size_t n);
/* "pid" for a main thread (its tid is the pid), else "tid". */
const char *green_who(const struct machine *m, const struct task *t);
/* "greenlet" / "hub", or asyncio's "task" / "event loop". */
const char *green_unit(const struct hub *h);
const char *green_loop(const struct hub *h);

/* green_io.c: monkey-patched calls that would block. */
int green_patched(struct machine *m, struct task *t, struct hub *h,
                  const struct insn *in);

#endif
