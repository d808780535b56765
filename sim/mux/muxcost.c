/*
 * muxcost.c - what a select, poll or epoll_wait costs its caller in CPU
 * (docs/scenario-language.md, "What multiplexing costs").
 *
 * select and poll look at every fd they are given on every call (Linux's
 * do_select and do_poll call each file's poll method), so a call costs
 * scan_cost per fd watched; epoll_wait only takes entries off its ready
 * list, so it costs ready_cost per event returned, whatever the size of
 * its interest list. Both defaults were measured on this machine by
 * bench/mux-cost.c. A call takes its statement's tick, as every statement
 * does, plus its cost in whole ticks: each task carries the fraction of a
 * tick left over to its next call, so 20,000 calls of 0.05 ticks cost
 * 1,000 ticks, not 0 and not 20,000. The ticks are the caller's CPU time
 * (R, on a CPU), which `procsim stats` shows.
 */
#include "mux.h"

/* One item's cost in ns: a duration, or a number of ticks. */
static int64_t per_item_ns(const struct config *c, int which)
{
    int64_t tick_ns = config_tick_ns(c);
    if (c->cost_ticks[which] > 0)
        return c->cost_ticks[which] > INT64_MAX / tick_ns ? INT64_MAX
                                                         : c->cost_ticks[which] * tick_ns;
    return c->cost_ns[which];
}

int64_t mux_cost(const struct machine *m, struct muxrec *r, int which, int64_t n)
{
    int64_t per = per_item_ns(&m->cfg, which), tick_ns = config_tick_ns(&m->cfg);
    int64_t extra;
    if (per > 0 && n > (INT64_MAX - r->carry_ns) / per) {
        extra = COST_MAX_TICKS;
        r->carry_ns = 0;
    } else {
        int64_t total = r->carry_ns + n * per;
        extra = total / tick_ns;
        r->carry_ns = total % tick_ns;
        if (extra > COST_MAX_TICKS)
            extra = COST_MAX_TICKS;
    }
    r->cost = 1 + extra;
    return r->cost;
}
