/* config.c - the `config` keys (contract section 5): defaults and checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    c->cpus = 1;
    c->policy = POLICY_CFS;
    c->preempt = true;
    c->slice = 4;
    c->latency = 12;
    c->min_granularity = 2;
    c->wakeup_granularity = 2;
    c->gil = false;
    c->switch_interval = 5;
    c->max_procs = 1024;
    c->pid_max = 32768;
    c->ticks = 100000;
    c->seed = 1;
    c->tick_count = 1;
    c->tick_unit = TICK_MS;
    c->pipe_size = 65536;
    /* Linux's defaults (net.ipv4.tcp_wmem/tcp_rmem's middle values,
     * net.core.wmem_default/rmem_default, somaxconn, `ulimit -n`). */
    c->nofile = 1024;
    c->net_latency = 1;
    c->tcp_sndbuf = 16384;
    c->tcp_rcvbuf = 131072;
    c->udp_sndbuf = 212992;
    c->udp_rcvbuf = 212992;
    c->somaxconn = 4096;
    c->udp_loss = 0;
    /* What fork, exec, pthread_create and exit cost the calling task on the
     * machine procsim was built on (bench/creation-cost.c, `make bench`;
     * docs/scenario-language.md, "What creating a process costs"): each
     * rounds up to 1 tick at the default tick=1ms, the contract's timing. */
    c->cost_ns[COST_FORK] = 43000;       /* the parent's CPU in fork() */
    c->cost_ns[COST_EXEC] = 475000;      /* execve to the new main */
    c->cost_ns[COST_THREAD] = 8000;      /* the creator's CPU in pthread_create() */
    c->cost_ns[COST_EXIT] = 62000;       /* a forked child's CPU, fork to _exit */
    /* select/poll scan every fd they watch on each call; epoll_wait costs
     * per event it returns (measured by bench/mux-cost.c: select and poll
     * 29 ns more per idle fd, epoll_wait returning 1 event 400 ns; docs §9
     * "What multiplexing costs") */
    c->cost_ns[COST_SCAN] = 29;
    c->cost_ns[COST_READY] = 400;
    c->first_pid = 2;
}

/* A whole decimal number in lo..hi. */
static bool number(const char *v, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi)
        return false;
    *out = n;
    return true;
}

static bool on_off(const char *v, bool *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "1")) {
        *out = true;
        return true;
    }
    if (!strcmp(v, "off") || !strcmp(v, "0")) {
        *out = false;
        return true;
    }
    return false;
}

/* tick=[N]us|ms|s */
static bool tick_value(const char *v, struct config *c)
{
    long long n = 1;
    const char *u = v;
    while (*u >= '0' && *u <= '9')
        u++;
    if (u != v) {
        char digits[16];
        if ((size_t)(u - v) >= sizeof digits)
            return false;
        memcpy(digits, v, (size_t)(u - v));
        digits[u - v] = '\0';
        if (!number(digits, 1, 1000000, &n))
            return false;
    }
    enum tick_unit unit;
    if (!strcmp(u, "us"))
        unit = TICK_US;
    else if (!strcmp(u, "ms"))
        unit = TICK_MS;
    else if (!strcmp(u, "s"))
        unit = TICK_S;
    else
        return false;
    c->tick_count = (int)n;
    c->tick_unit = unit;
    return true;
}

/* N, or N with a unit ns, us, ms or s: *n, and *scale the unit in ns (0
 * with no unit); false unless N is from lo to 999999999999 and the unit is
 * one of those. */
static bool amount(const char *v, long long lo, long long *n, long long *scale)
{
    const char *u = v;
    while (*u >= '0' && *u <= '9')
        u++;
    if (u == v || u - v > 12)
        return false;
    char digits[16];
    memcpy(digits, v, (size_t)(u - v));
    digits[u - v] = '\0';
    if (!number(digits, lo, 999999999999LL, n))
        return false;
    *scale = !*u ? 0 : !strcmp(u, "ns") ? 1 : !strcmp(u, "us") ? 1000
           : !strcmp(u, "ms") ? 1000000 : !strcmp(u, "s") ? 1000000000 : -1;
    return *scale >= 0;
}

/* fork_cost=N (ticks) or N with a unit ns, us, ms or s: a duration,
 * rounded up to whole ticks of `tick` only when asked for
 * (config_cost_ticks), so `tick` may be set after it. */
static bool cost_value(const char *v, int which, struct config *c)
{
    long long n, scale;
    if (!amount(v, 1, &n, &scale))
        return false;
    if (!scale) {
        if (n > COST_MAX_TICKS)
            return false;
        c->cost_ticks[which] = n;
        c->cost_ns[which] = 0;
        return true;
    }
    if (n > COST_MAX_NS / scale)
        return false;
    c->cost_ns[which] = n * scale;
    c->cost_ticks[which] = 0;
    return true;
}

/* N with a unit ns, us, ms or s (at most a day), in ns; false otherwise.
 * zero_ok: 0 (with or without a unit) is allowed. */
static bool duration_ns(const char *v, bool zero_ok, int64_t *out)
{
    long long n, scale;
    if (!amount(v, zero_ok ? 0 : 1, &n, &scale))
        return false;
    if (!scale) {                       /* a bare number: only 0 */
        *out = 0;
        return n == 0;
    }
    if (n > COST_MAX_NS / scale)
        return false;
    *out = n * scale;
    return true;
}

int64_t config_tick_ns(const struct config *c)
{
    static const int64_t unit[] = { [TICK_US] = 1000, [TICK_MS] = 1000000,
                                    [TICK_S] = 1000000000 };
    return (int64_t)c->tick_count * unit[c->tick_unit];
}

/* The cost `which` in ticks (see scenario.h). */
int64_t config_cost_ticks(const struct config *c, int which)
{
    if (which < 0 || which >= COST_COUNT)
        return 1;
    if (c->cost_ticks[which] > 0)
        return c->cost_ticks[which];
    int64_t ns = c->cost_ns[which], per = config_tick_ns(c);
    if (ns <= 0)
        return 1;
    int64_t n = ns / per + (ns % per != 0);
    return n < 1 ? 1 : n;
}

int config_switch_interval(const struct config *c)
{
    if (c->switch_interval_ns <= 0)
        return c->switch_interval;
    int64_t per = config_tick_ns(c);
    int64_t n = (c->switch_interval_ns + per / 2) / per;
    return n < 1 ? 1 : n > 1000000 ? 1000000 : (int)n;
}

int config_pid_max(const struct config *c)
{
    if (c->first_pid < c->pid_max)
        return c->pid_max;
    return c->first_pid > 4194304 - 32768 ? 4194304 : c->first_pid + 32768;
}

/* python=on: what CPython 3.11 is (docs §8 "Python mode"). */
static void python_mode(struct config *c)
{
    c->python = true;
    c->stmt_cost_ns = 26;          /* for i in range(10**6): pass, per turn */
    c->shared_cost_ns = 250;       /* v.value: 247 ns (bench/stmt-cost.py) */
    c->gil = true;
    c->switch_interval = 5;
    c->switch_interval_ns = 5000000;   /* sys.getswitchinterval() */
    c->sigpipe_ignore = true;
    c->eintr_retry = true;         /* PEP 475 */
}

#define COST(key, which)                                                 \
    if (!strcmp(k, key))                                                 \
        return cost_value(v, which, c) ? NULL                            \
            : key " must be a number of ticks from 1 to 1000000, or a "  \
              "duration: a whole number and ns, us, ms or s, at most a " \
              "day (80us, 2ms)";

/* key=0 or a duration, into field (ns) */
#define DURATION(key, field, zero_means, example)                        \
    if (!strcmp(k, key)) {                                               \
        int64_t ns;                                                      \
        if (!duration_ns(v, true, &ns))                                  \
            return key " must be 0" zero_means " or a duration: a whole " \
                   "number and ns, us, ms or s, at most a day (" example ")"; \
        c->field = ns;                                                   \
        return NULL;                                                     \
    }

#define RANGE(key, field, lo, hi)                                        \
    if (!strcmp(k, key)) {                                               \
        if (!number(v, lo, hi, &n))                                      \
            return key " must be a number from " #lo " to " #hi;         \
        c->field = n;                                                    \
        return NULL;                                                     \
    }

const char *config_set(struct config *c, const char *k, const char *v)
{
    long long n;
    RANGE("cpus", cpus, 1, 64)
    RANGE("slice", slice, 1, 1000000)
    RANGE("latency", latency, 1, 1000000)
    RANGE("min_granularity", min_granularity, 1, 1000000)
    RANGE("wakeup_granularity", wakeup_granularity, 1, 1000000)
    if (!strcmp(k, "switch_interval")) {
        if (number(v, 1, 1000000, &n)) {
            c->switch_interval = (int)n;
            c->switch_interval_ns = 0;
            return NULL;
        }
        int64_t ns;
        if (!duration_ns(v, false, &ns))
            return "switch_interval must be a number of ticks from 1 to 1000000, or a "
                   "duration: a whole number and ns, us, ms or s (5ms)";
        c->switch_interval_ns = ns;
        return NULL;
    }
    DURATION("stmt_cost", stmt_cost_ns, " (off)", "26ns")
    DURATION("shared_cost", shared_cost_ns, "", "250ns")
    if (!strcmp(k, "python")) {
        bool on;
        if (!on_off(v, &on))
            return "python must be on or off";
        if (on)
            python_mode(c);
        else
            c->python = false;
        return NULL;
    }
    RANGE("first_pid", first_pid, 2, 4194303)
    RANGE("max_procs", max_procs, 2, 4194304)
    RANGE("pid_max", pid_max, 3, 4194304)
    RANGE("ticks", ticks, 1, 10000000000)
    RANGE("pipe_size", pipe_size, 1, 1073741824)
    RANGE("nofile", nofile, 4, 1048576)
    RANGE("net_latency", net_latency, 0, 1000000)
    RANGE("tcp_sndbuf", tcp_sndbuf, 1, 1073741824)
    RANGE("tcp_rcvbuf", tcp_rcvbuf, 1, 1073741824)
    RANGE("udp_sndbuf", udp_sndbuf, 1, 1073741824)
    RANGE("udp_rcvbuf", udp_rcvbuf, 1, 1073741824)
    RANGE("somaxconn", somaxconn, 1, 65535)
    RANGE("udp_loss", udp_loss, 0, 100)
    COST("scan_cost", COST_SCAN)
    COST("ready_cost", COST_READY)
    COST("fork_cost", COST_FORK)
    COST("exec_cost", COST_EXEC)
    COST("thread_cost", COST_THREAD)
    COST("exit_cost", COST_EXIT)
    if (!strcmp(k, "sigpipe")) {
        if (strcmp(v, "default") && strcmp(v, "ignore"))
            return "sigpipe must be default (C: a write with no reader kills) or "
                   "ignore (Python: it raises BrokenPipeError)";
        c->sigpipe_ignore = !strcmp(v, "ignore");
        return NULL;
    }
    if (!strcmp(k, "seed")) {
        if (!number(v, 0, INT64_MAX, &n))
            return "seed must be a number from 0 to 9223372036854775807";
        c->seed = (uint64_t)n;
        return NULL;
    }
    if (!strcmp(k, "policy")) {
        if (!strcmp(v, "cfs"))
            c->policy = POLICY_CFS;
        else if (!strcmp(v, "rr"))
            c->policy = POLICY_RR;
        else if (!strcmp(v, "fifo"))
            c->policy = POLICY_FIFO;
        else
            return "policy must be cfs, rr or fifo";
        return NULL;
    }
    if (!strcmp(k, "preempt"))
        return on_off(v, &c->preempt) ? NULL : "preempt must be on or off";
    if (!strcmp(k, "gil"))
        return on_off(v, &c->gil) ? NULL : "gil must be on or off";
    if (!strcmp(k, "eintr")) {
        if (strcmp(v, "return") && strcmp(v, "retry"))
            return "eintr must be return (C: a handler ends sleep and wait early) "
                   "or retry (Python 3.5+, PEP 475: they go on after it)";
        c->eintr_retry = !strcmp(v, "retry");
        return NULL;
    }
    if (!strcmp(k, "tick"))
        return tick_value(v, c) ? NULL
                                : "tick must be a unit us, ms or s, with an optional "
                                  "count first (1ms, 10us)";
    return "unknown config key; keys are: cpus, policy, preempt, slice, latency, "
           "min_granularity, wakeup_granularity, gil, switch_interval, max_procs, "
           "pid_max, ticks, seed, tick, eintr, pipe_size, sigpipe, fork_cost, exec_cost, "
           "thread_cost, exit_cost, nofile, net_latency, tcp_sndbuf, tcp_rcvbuf, "
           "udp_sndbuf, udp_rcvbuf, somaxconn, udp_loss, scan_cost, ready_cost, "
           "stmt_cost, shared_cost, python, first_pid";
}
