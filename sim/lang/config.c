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
    RANGE("switch_interval", switch_interval, 1, 1000000)
    RANGE("max_procs", max_procs, 2, 4194304)
    RANGE("pid_max", pid_max, 3, 4194304)
    RANGE("ticks", ticks, 1, 10000000000)
    RANGE("pipe_size", pipe_size, 1, 1073741824)
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
           "pid_max, ticks, seed, tick, eintr, pipe_size, sigpipe";
}
