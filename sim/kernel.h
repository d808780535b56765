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

#include "heap.h"
#include "machine.h"

struct sched_policy;

/* What a sleeping task waits for (its wait channel). */
enum wchan { WC_NONE, WC_SLEEP, WC_DISK, WC_WAIT };

struct task {
    /* identity: set at creation, never changed */
    int tid;                   /* thread id (== pid for the main thread) */
    int proc;                  /* slot of its process */

    /* state: changed only through task_set_state() so the trace sees it */
    char state;                /* 'R','S','D','T','Z'; 0 = free slot */
    uint8_t wchan;             /* enum wchan while S or D */
    int cpu;                   /* CPU running it, -1 when not on a CPU */
    int64_t wake_at;           /* tick its timer fires, -1 when none */
    int timer_pos;             /* place in the timer heap, -1 when none */
    int wait_pid;              /* the pid spec a blocked wait waits for */

    /* where it is in its program */
    int prog;                  /* program index; PROG_INIT for init */
    int pc;                    /* next instruction */
    int64_t left;              /* ticks left of a compute under way, 0 none */

    /* scheduling entity (the policy's fields) */
    int64_t vruntime;          /* cfs: virtual runtime, VR_UNIT per tick */
    int weight;                /* cfs: load weight from its nice */
    int ran;                   /* ticks run since last picked */
    int rr_left;               /* rr: ticks left of the quantum */
    int rq_pos;                /* cfs: place in the run-queue heap, -1 */
    int rq_next, rq_prev;      /* rr/fifo: run-queue list links, -1 */
    bool queued;               /* in the run queue (R, not running) */
    int64_t queued_since;      /* tick it entered the run queue */

    /* accounting */
    int64_t cpu_ticks;         /* ticks on a CPU */
    int64_t wait_ticks;        /* ticks queued, up to queued_since */
    int64_t first_run;         /* first tick on a CPU, -1 */
    int nvcsw, nivcsw;         /* voluntary / involuntary switches */
};

struct proc {
    /* identity and family: changed by fork, exit, reparenting */
    int pid;                   /* 0 = free slot */
    int ppid;                  /* parent's pid (init: 0) */
    int pgid;                  /* process group */
    int first_child, last_child;   /* child list (slots), creation order */
    int next_sib, prev_sib;    /* links in the parent's child list */
    int nchildren;             /* live and zombie children */
    int nzombies;              /* children that are zombies */

    /* threads */
    int main_task;             /* slot of the main thread */
    int nthreads;              /* live tasks */

    /* the rest of its life */
    int nice;                  /* -20..19 */
    bool zombie;               /* exited, not yet reaped */
    int exit_status;           /* code, or -SIG */
    int64_t created;           /* first tick it exists */
    int record;                /* its index in trace.procs, -1 untraced */
};

/* init's program is not in the scenario: a wait loop that never gives up. */
#define PROG_INIT (-1)

struct machine {
    /* what runs: fixed at creation */
    const struct scenario *scn;
    struct config cfg;
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
    int64_t *proc_vars;        /* nproc_vars per proc slot */
    int64_t *task_vars;        /* ntask_vars per task slot */
    int32_t *pid_slot;         /* pid -> proc slot, -1; pid_max entries */
    int nprocs;                /* existing processes, init and zombies too */
    int last_pid;              /* last pid handed out */
    int fg_pgid;               /* the terminal's foreground process group */

    /* CPUs */
    int cpu_curr[MAX_CPUS];    /* task slot running, -1 idle */
    bool cpu_resched[MAX_CPUS];    /* pick again at the next step 3 */
    uint8_t cpu_why[MAX_CPUS];     /* PRE_* reason for the resched */
    int cpu_by[MAX_CPUS];      /* the waker that caused it, 0 */
    int64_t cpu_busy[MAX_CPUS];    /* ticks each CPU ran a task */

    /* run queue (one, shared by all CPUs) */
    struct heap rq_heap;       /* cfs: queued tasks by (vruntime, tid) */
    int rq_head, rq_tail;      /* rr/fifo: queued tasks in order */
    int nr_queued;             /* tasks in the queue */
    int nr_running;            /* tasks in R: queued plus on a CPU */
    int64_t load;              /* cfs: sum of the weights of R tasks */
    int64_t min_vruntime;      /* cfs: never decreases */
    int skip;                  /* cfs: slot that yielded, skipped once */

    /* timers: tasks in timed sleep or disk I/O, by (wake_at, tid) */
    struct heap timers;
};

/* ------------------------------------------------------------------------
 * Helpers shared by the kernel's files (machine.c, proc.c, exec.c)
 * --------------------------------------------------------------------- */

static inline struct task *task_at(struct machine *m, int slot)
{
    return &m->tasks[slot];
}

static inline struct proc *proc_of(struct machine *m, const struct task *t)
{
    return &m->procs[t->proc];
}

/* The slot of the process with this pid, or -1. */
int proc_slot(const struct machine *m, int pid);

/* The tick at which a change made now becomes visible: now in steps 1-3,
 * the next tick in step 4. */
static inline int64_t visible_tick(const struct machine *m)
{
    return m->tick + m->phase;
}

void task_set_state(struct machine *m, struct task *t, char state);
void task_block(struct machine *m, struct task *t, char state, enum wchan wc,
                int64_t ticks);
void task_wake(struct machine *m, struct task *t, int why, int64_t arg);
void task_leave_cpu(struct machine *m, struct task *t);
void task_set_nice(struct machine *m, struct task *t, int nice);
/* The running task t gives up its CPU but stays runnable (`yield`). */
void task_yield(struct machine *m, struct task *t);

/* Emit an event (no-op without a trace). */
void emit(struct machine *m, int kind, int reason, const struct task *t,
          int64_t a, int64_t b);
void emit_text(struct machine *m, int kind, const struct task *t,
               const char *text, size_t len);

/* Stop the run with a runtime error at `pos`. */
void machine_fail(struct machine *m, struct srcpos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* machine.c: slots and task start-up, for proc.c.
 * Slot arrays only grow inside machine_reserve(), which runs before each
 * step that may create processes, so task and proc pointers stay valid
 * within a step. Fails (and stops the run) when out of memory. */
bool machine_reserve(struct machine *m, int n);
int machine_alloc_proc(struct machine *m);
void machine_free_proc(struct machine *m, int slot);
int machine_alloc_task(struct machine *m, int proc_slot, int tid);
void machine_free_task(struct machine *m, struct task *t);
/* A new task becomes runnable: placed by the policy (as a child of `parent`
 * when given), then queued. */
void machine_start_task(struct machine *m, struct task *t, struct task *parent);
/* Copy a process's accounting into its trace record. */
void machine_sync_record(struct machine *m, const struct proc *p);

/* proc.c */
int proc_spawn(struct machine *m, int prog, int nice);
int proc_fork(struct machine *m, struct task *parent, int prog);
void proc_exec(struct machine *m, struct task *t, int prog);
void proc_exit(struct machine *m, struct task *t, int status);
/* Try to reap for `t` (wait/waitpid). Returns the reaped pid, 0 when there
 * are matching children but no zombie, -1 when there are none. */
int proc_reap(struct machine *m, struct task *t, int pid_spec, int *status);

/* exec.c: run task t for one tick (step 4). */
void exec_tick(struct machine *m, struct task *t);

/* expr.c: evaluate; false after a runtime error (already reported). */
bool expr_eval(struct machine *m, struct task *t, const struct expr *e,
               int64_t *out);
int64_t *var_ref(struct machine *m, struct task *t, int var);

/* rng.c */
uint64_t rng_next(uint64_t *state);

#endif
