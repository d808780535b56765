/*
 * cost.c - what creating and ending tasks costs (config fork_cost,
 * exec_cost, thread_cost, exit_cost; issue 12).
 *
 * A statement with a cost of N ticks keeps its task on the CPU (R) for N
 * ticks, as `compute N` would, and has its effect in the last of them: a
 * fork's child exists from the tick after that one. The ticks are the
 * task's CPU time. They are counted down in t->left, which a signal frame
 * saves and restores, so a handler that interrupts the paying runs with a
 * fresh count and the statement then goes on paying where it stopped; a
 * preemption between two ticks just delays the rest.
 *
 * A cost written as a duration (`fork_cost=80us`) is turned into ticks with
 * the `tick` setting when it is asked for, rounded up, at least 1; so at
 * the default tick=1ms every measured default is 1 tick, the contract's
 * timing.
 */
#include "kernel.h"

int64_t cost_ticks(const struct machine *m, int which)
{
    return config_cost_ticks(&m->cfg, which);
}

bool task_pay(struct machine *m, struct task *t, int64_t n)
{
    if (t->left == 0) {
        if (n <= 1)
            return true;
        t->left = n;
        emit(m, EV_COST, 0, t, n, 0);
    }
    return --t->left == 0;
}

_Static_assert(COST_COUNT == sizeof ((struct trace *)0)->cost_ticks / sizeof(int64_t),
               "trace.cost_ticks has one counter per cost");

bool task_pay_cost(struct machine *m, struct task *t, int which)
{
    /* Every call is a tick of t on a CPU: count it for `stats`. */
    if (m->trace) {
        m->trace->cost_ticks[which]++;
        m->trace->cost_count[which] += t->left == 0;
    }
    if (m->stmt_ns) {
        /* stmt_cost mode: the cost is run time like a statement's, in ns
         * (exec.c ends the tick when it fills one) */
        int64_t ns = m->cfg.cost_ticks[which] > 0
                   ? m->cfg.cost_ticks[which] * m->tick_ns : m->cfg.cost_ns[which];
        t->acc_ns += ns > 0 ? ns : m->tick_ns;
        return true;
    }
    if (t->left == 0) {
        int64_t n = cost_ticks(m, which);
        if (n <= 1)
            return true;
        t->left = n;
        emit(m, EV_COST, which + 1, t, n, 0);
    }
    return --t->left == 0;
}
