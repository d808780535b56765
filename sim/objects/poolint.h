/*
 * poolint.h - what the files of the pools (pool.c: records, jobs, life and
 * death, collection, snapshots; poolwork.c: the workers and the result
 * handler thread; poolops.c: the owner's statements and the handles) share.
 * Private to sim/objects.
 */
#ifndef PROCSIM_POOLINT_H
#define PROCSIM_POOLINT_H

#include "kernel.h"
#include "trace.h"

/* What a task in WC_POOL waits for (task.qwait). */
enum { PW_IDLE, PW_HANDLER, PW_JOIN, PW_GET };

/* The worker program's steps (parse.c pool_programs). */
enum { WPC_TRY, WPC_TAKE, WPC_DONE, WPC_FAIL, WPC_CB_DONE };

extern const char *const pool_kind_names[];

/* Does the run record EV_POOL events? Their texts (a value's repr) cost
 * more than the rest of a task's step, so they are made only then. */
static inline bool pool_tracing(const struct machine *m)
{
    return m->trace && trace_keeps_event(m->trace, EV_POOL);
}

/* pool.c: the records. A pool by slot (NULL: free), its name and slot; the
 * pool a worker or handler task works for (NULL: none); new and freed
 * slots of pools, tasks (pool_task) and jobs; the job a handle names (-1:
 * not a handle, or its job is gone). */
struct kpool *pool_at_slot(struct machine *m, int slot);
const char *pool_name(const struct machine *m, const struct kpool *p);
int pool_slot(const struct machine *m, const struct kpool *p);
struct kpool *pool_of_task(struct machine *m, const struct task *t);
int pool_new(struct machine *m);
int ptask_new(struct machine *m);
void ptask_free(struct machine *m, int s);
int pjob_new(struct machine *m);
void pjob_free_slot(struct machine *m, int s);
int pjob_of(const struct machine *m, struct value v);
bool pjob_ready(const struct pool_job *j);
/* The task and result queues: FIFO lists of pool_task slots. */
void plist_push(struct machine *m, int *head, int *tail, int *n, int s);
int plist_pop(struct machine *m, int *head, int *tail, int *n);
/* "f(4)" or "f on items 0..3": what a task calls, for events. */
void ptask_words(const struct machine *m, const struct pool_task *k, char *buf,
        size_t size);
/* Waiting (WC_POOL, task.qwait = PW_*): wake a whole list; block t on one;
 * wake the pool's join waiters (pool_changed) or idle workers. */
void pwake_list(struct machine *m, int *head, int *tail);
void pwait_on(struct machine *m, struct task *t, int *head, int *tail, int what,
        int wobj, int64_t ticks);
void pool_changed(struct machine *m, struct kpool *p);
void pool_wake_idle(struct machine *m, struct kpool *p);
void pool_wake_all_idle(struct machine *m, struct kpool *p);
/* Jobs: keep finished task ts for the snapshot; a job's last task is back;
 * a task's result is back (true: its job is complete); what a callback
 * gets. */
void pool_recent(struct machine *m, struct kpool *p, int ts);
void pjob_complete(struct machine *m, int js);
bool pjob_take_result(struct machine *m, int ts);
struct value pjob_callback_arg(struct machine *m, int js, bool failed);
/* poolwork.c: workers (the steps of their hidden program) and the result
 * handler thread's steps. */
struct pool_worker *pool_worker_of(struct machine *m, struct kpool *p, const struct task *t);
int pool_fork_worker(struct machine *m, struct kpool *p, struct task *by);
void pool_adjust_threads(struct machine *m, struct kpool *p, struct task *by);
void pool_fill_call_queue(struct machine *m, struct kpool *p);
void pool_worker_take(struct machine *m, struct task *t, const struct insn *in);
void pool_worker_done(struct machine *m, struct task *t);
void pool_worker_fail(struct machine *m, struct task *t);
void pool_worker_cb_done(struct machine *m, struct task *t);
bool pool_reap_workers(struct machine *m, struct kpool *p, struct task *t);
void pool_handler_take(struct machine *m, struct task *t);
void pool_handler_cb_done(struct machine *m, struct task *t);
/* poolops.c: the pool named decl in t's process (NULL: none); dropping
 * queued tasks; SIGTERM to the workers; the record goes; the owner forks
 * the next worker (true: all are there). */
struct kpool *pool_find(struct machine *m, const struct task *t, int decl);
int pool_drop_queue(struct machine *m, int *head, int *tail, int *n);
void pool_term_workers(struct machine *m, struct kpool *p, int from_pid);
void pool_release(struct machine *m, struct kpool *p);
bool pool_start_processes(struct machine *m, struct kpool *p, struct task *t);

/* Call done callback cb of future js in t, coming back to pc `back`, in a
 * try block whose except clause is `back` too; at `back`, end that try or
 * log the exception it caught (Future._invoke_callbacks). */
void pool_call_done_cb(struct machine *m, struct task *t, int js, int cb, int back);
void pool_done_cb_back(struct machine *m, struct task *t, int js);

/* A failed task's or job's message as text: the static one, or the str
 * made at run time (`raise ValueError(f"bad {x}")` in the worker) which
 * rides in its result; "" for none. */
const char *pfail_text(const struct machine *m, const char *msg, struct value v, char *buf,
                       size_t size);
/* Raise exc in t with a failed job's or item's message (static msg, or v
 * made at run time), as the worker raised it: get(), result(), next(). */
void pfail_raise(struct machine *m, struct task *t, struct srcpos pos, int exc,
                 const char *msg, struct value v);

/* A failed job's exception message as a string (what `except ... as e`
 * gives: the error callback's argument, fu.exception's result). */
struct value pjob_exc_text(struct machine *m, int js);
/* Job j is complete (or cancelled): idle workers of its closed pool look
 * again whether they may exit. */
void pool_job_settled(struct machine *m, const struct pool_job *j);
/* Has pool p jobs not yet complete (CPython's cache, pending work items)? */
bool pool_has_pending(const struct machine *m, const struct kpool *p);

/* A dropped pool (its name bound to a new one) whose workers have all
 * exited: the owner t reaps them (the old pool's finalizer joins them) and
 * the record goes. Called at the owner's pool statements. */
void pools_reap_retired(struct machine *m, struct task *t);

#endif
