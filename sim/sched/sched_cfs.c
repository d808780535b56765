/*
 * sched_cfs.c - the Completely Fair Scheduler, as Linux had it before 6.6.
 *
 * Every runnable task has a virtual runtime: the CPU time it has had, scaled
 * by 1024 / its weight, so a heavier (lower nice) task's clock runs slower.
 * The queue is ordered by vruntime and the CPU always goes to the task that
 * is furthest behind. Each task may run for a slice of the target latency in
 * proportion to its weight before the one behind it gets a turn.
 *
 * Units: vruntime in VR_UNIT per tick (nanoseconds if a tick is 1 ms). All
 * arithmetic is integer, so every run is the same on every machine.
 * Config (in ticks): latency, min_granularity, wakeup_granularity.
 */
#include "sched.h"

/* ---- the queue: a heap ordered by (vruntime, tid) ----------------------
 * A queued task's vruntime does not change (only a running task's does),
 * so the heap keeps a copy of each key and never reads the tasks. */

static void cfs_moved(void *ctx, int x, int pos)
{
    struct machine *m = ctx;
    m->rq_pos[x] = pos;
}

static void queue_push(struct machine *m, int slot)
{
    const struct task *t = &m->tasks[slot];
    kheap_push(&m->rq_heap, slot, t->vruntime, t->tid, cfs_moved, m);
}

static struct task *leftmost(struct machine *m)
{
    int s = kheap_top(&m->rq_heap);
    return s >= 0 ? &m->tasks[s] : NULL;
}

/* The vruntime of the leftmost task, from the heap (INT64_MAX: empty). */
static int64_t leftmost_vruntime(const struct machine *m)
{
    return m->rq_heap.n ? m->rq_heap.a[0].key : INT64_MAX;
}

/* ---- time arithmetic ---------------------------------------------------- */

/* delta of real time -> virtual time for a task of weight w
 * (calc_delta_fair). */
static int64_t to_virtual(int64_t delta, int w)
{
    return delta * 1024 / w;
}

/* The period within which every runnable task should run once
 * (__sched_period): the target latency, stretched when there are more
 * tasks than latency / min_granularity. */
static int64_t period(const struct machine *m, int nr)
{
    int64_t lat = (int64_t)m->cfg.latency * VR_UNIT;
    int64_t gran = (int64_t)m->cfg.min_granularity * VR_UNIT;
    if ((int64_t)nr * gran > lat)
        return (int64_t)nr * gran;
    return lat;
}

/* A task's fair share of the period, in real time (sched_slice), never
 * below min_granularity. `extra` counts a task not yet in the totals. */
static int64_t slice_real(const struct machine *m, const struct task *t,
                          int extra)
{
    int64_t load = m->load + (extra ? t->weight : 0);
    int64_t s = load ? period(m, m->nr_running + extra) * t->weight / load
                     : period(m, 1);
    int64_t gran = (int64_t)m->cfg.min_granularity * VR_UNIT;
    return s < gran ? gran : s;
}

/* The smallest vruntime among the tasks on a CPU (INT64_MAX: none). Only
 * a running task's vruntime changes, so while the same tasks run, the task
 * that just ran (`ran`) updates its leaf of the tree and its parents; when
 * a CPU changed tasks the tree is built again: O(cpus) a tick, where
 * looking at every CPU after each CPU's tick was O(cpus^2). */
static int64_t curr_min_vruntime(struct machine *m, const struct task *ran)
{
    int64_t *tree = m->cpu_tree;
    int n = m->cpu_tree_n;
    if (n == 0 || m->cpu_tree_gen != m->curr_gen) {
        for (n = 1; n < m->cfg.cpus; n *= 2)
            ;
        for (int c = 0; c < n; c++) {
            int s = c < m->cfg.cpus ? m->cpu_curr[c] : -1;
            tree[n + c] = s >= 0 ? m->tasks[s].vruntime : INT64_MAX;
        }
        for (int i = n - 1; i >= 1; i--)
            tree[i] = tree[2 * i] < tree[2 * i + 1] ? tree[2 * i] : tree[2 * i + 1];
        m->cpu_tree_n = n;
        m->cpu_tree_gen = m->curr_gen;
    } else if (ran && ran->cpu >= 0) {
        int i = n + ran->cpu;
        tree[i] = ran->vruntime;
        for (i /= 2; i >= 1; i /= 2)
            tree[i] = tree[2 * i] < tree[2 * i + 1] ? tree[2 * i] : tree[2 * i + 1];
    }
    return tree[1];            /* the root (the leaf itself on one CPU) */
}

/* min_vruntime follows the smallest vruntime among the running and queued
 * tasks, and never goes back (update_min_vruntime). `ran` is the task whose
 * vruntime just grew, if any. */
static void update_min_vruntime(struct machine *m, const struct task *ran)
{
    int64_t v = curr_min_vruntime(m, ran);
    int64_t l = leftmost_vruntime(m);
    if (l < v)
        v = l;
    if (v != INT64_MAX && v > m->min_vruntime)
        m->min_vruntime = v;
}

/* ---- the policy --------------------------------------------------------- */

static void cfs_enqueue(struct machine *m, struct task *t, enum enqueue_how how)
{
    if (how == ENQ_WAKEUP) {
        /* A sleeper comes back at most half a latency behind, so it gets
         * the CPU soon without having banked its whole sleep
         * (place_entity, GENTLE_FAIR_SLEEPERS). */
        int64_t floor = m->min_vruntime - (int64_t)m->cfg.latency * VR_UNIT / 2;
        if (t->vruntime < floor)
            t->vruntime = floor;
    } else if (how == ENQ_NEW) {
        /* Started from outside: no parent to inherit a vruntime from. */
        if (t->vruntime < m->min_vruntime)
            t->vruntime = m->min_vruntime;
    } else if (how == ENQ_YIELD) {
        m->skip = (int)(t - m->tasks);
    }
    queue_push(m, (int)(t - m->tasks));
}

static void cfs_dequeue(struct machine *m, struct task *t)
{
    kheap_remove(&m->rq_heap, m->rq_pos[t - m->tasks], cfs_moved, m);
    update_min_vruntime(m, NULL);
}

static struct task *cfs_pick_next(struct machine *m)
{
    struct task *t = leftmost(m);
    if (!t)
        return NULL;
    /* A task that yielded is passed over once if anyone else is waiting
     * (the skip buddy of yield_task_fair). */
    if (m->skip >= 0 && t == &m->tasks[m->skip] && m->rq_heap.n > 1) {
        kheap_remove(&m->rq_heap, 0, cfs_moved, m);
        struct task *next = leftmost(m);
        queue_push(m, m->skip);
        t = next;
    }
    m->skip = -1;
    kheap_remove(&m->rq_heap, m->rq_pos[t - m->tasks], cfs_moved, m);
    return t;
}

static void cfs_update_curr(struct machine *m, struct task *t)
{
    if (t->vr_weight != t->weight) {
        t->vr_tick = to_virtual(VR_UNIT, t->weight);
        t->vr_weight = t->weight;
    }
    t->vruntime += t->vr_tick;
    update_min_vruntime(m, t);
}

/* check_preempt_tick: give way after the slice, never before
 * min_granularity, or when far enough ahead of the leftmost task. */
static int cfs_task_tick(struct machine *m, struct task *t)
{
    /* The slice changes only with the load, the number of runnable tasks
     * and its weight: work it out again only when one of them did. */
    if (t->slice_load != m->load || t->slice_nr != m->nr_running ||
        t->slice_weight != t->weight) {
        t->slice = slice_real(m, t, 0);
        t->slice_load = m->load;
        t->slice_nr = m->nr_running;
        t->slice_weight = t->weight;
    }
    int64_t ideal = t->slice;
    int64_t ran = (int64_t)t->ran * VR_UNIT;
    if (ran >= ideal)
        return m->nr_queued ? PRE_SLICE + 1 : 0;
    if (ran < (int64_t)m->cfg.min_granularity * VR_UNIT)
        return 0;
    int64_t l = leftmost_vruntime(m);
    if (l != INT64_MAX && t->vruntime - l > ideal)
        return PRE_VRUNTIME + 1;
    return 0;
}

/* A child starts one virtual slice after min_vruntime, and never before its
 * parent, so forking cannot be used to get ahead (START_DEBIT). */
static void cfs_task_fork(struct machine *m, struct task *parent,
                          struct task *child)
{
    int64_t v = m->min_vruntime + to_virtual(slice_real(m, child, 1),
                                             child->weight);
    child->vruntime = parent->vruntime > v ? parent->vruntime : v;
}

static bool cfs_check_preempt_wakeup(struct machine *m, struct task *curr,
                                     struct task *woken)
{
    int64_t gran = to_virtual((int64_t)m->cfg.wakeup_granularity * VR_UNIT,
                              woken->weight);
    return curr->vruntime - woken->vruntime > gran;
}


/* Does queued slot x come before y? (vruntime, tid) */
static bool queued_before(const struct machine *m, int x, int y)
{
    const struct task *a = &m->tasks[x], *b = &m->tasks[y];
    if (a->vruntime != b->vruntime)
        return a->vruntime < b->vruntime;
    return a->tid < b->tid;
}

/* The queue in pick order: (vruntime, tid), sorted from a copy of the heap;
 * only used for snapshots. */
static int cfs_queue_order(const struct machine *m, int *out)
{
    int n = m->rq_heap.n;
    for (int i = 0; i < n; i++)
        out[i] = m->rq_heap.a[i].x;
    /* heap order -> sorted order; shell sort keeps this allocation-free */
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++)
            for (int j = i; j >= gap &&
                 queued_before(m, out[j], out[j - gap]); j -= gap) {
                int x = out[j];
                out[j] = out[j - gap];
                out[j - gap] = x;
            }
    return n;
}

static int cfs_slice_of(const struct machine *m, const struct task *t)
{
    int64_t s = slice_real(m, t, t->state == 'R' ? 0 : 1);
    return (int)((s + VR_UNIT - 1) / VR_UNIT);
}

const struct sched_policy sched_cfs = {
    .name = "cfs",
    .enqueue = cfs_enqueue,
    .dequeue = cfs_dequeue,
    .pick_next = cfs_pick_next,
    .update_curr = cfs_update_curr,
    .task_tick = cfs_task_tick,
    .task_fork = cfs_task_fork,
    .check_preempt_wakeup = cfs_check_preempt_wakeup,
    .queue_order = cfs_queue_order,
    .slice_of = cfs_slice_of,
};

/* ---- shared by all policies -------------------------------------------- */

static const int prio_to_weight[40] = {
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
    9548,  7620,  6100,  4904,  3906,  3121,  2501,  1991,  1586,  1277,
    1024,  820,   655,   526,   423,   335,   272,   215,   172,   137,
    110,   87,    70,    56,    45,    36,    29,    23,    18,    15,
};

int sched_weight(int nice)
{
    if (nice < -20)
        nice = -20;
    if (nice > 19)
        nice = 19;
    return prio_to_weight[nice + 20];
}

const struct sched_policy *sched_policy_for(enum policy p)
{
    switch (p) {
    case POLICY_RR:   return &sched_rr;
    case POLICY_FIFO: return &sched_fifo;
    default:          return &sched_cfs;
    }
}
