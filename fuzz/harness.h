/*
 * harness.h - one fuzz input: parse it and, if it is a valid scenario, run
 * it for a short while with small limits. Shared by the libFuzzer harness
 * (fuzz_parse.c) and the regression replay test (tests/unit/test_fuzz_replay.c).
 */
#ifndef PROCSIM_FUZZ_HARNESS_H
#define PROCSIM_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "machine.h"

/* Does the input have a position line `@0:0` (code with no place in the
 * .py file: the translator's prelude)? An error there is `FILE: error:
 * MESSAGE`, with no line, by design (sim/lang/lex.c). */
static inline bool fuzz_has_nowhere(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i + 4 <= size; i++)
        if ((i == 0 || data[i - 1] == '\n') && !memcmp(data + i, "@0:0", 4))
            return true;
    return false;
}

/* Returns 1 when the input parsed, 0 when it was rejected with a message;
 * -1 when a rejection had no position or message (a bug). */
static inline int fuzz_one(const uint8_t *data, size_t size)
{
    struct diag err;
    struct scenario *s = scenario_parse("fuzz.scn", (const char *)data, size, &err);
    if (!s)
        return err.msg[0] && (err.line >= 1 || fuzz_has_nowhere(data, size)) ? 0 : -1;
    struct config cfg = s->config;
    if (cfg.ticks > 2000)
        cfg.ticks = 2000;
    if (cfg.max_procs > 64)
        cfg.max_procs = 64;
    if (cfg.pid_max > 4096)
        cfg.pid_max = 4096;
    if (cfg.cpus > 8)
        cfg.cpus = 8;
    /* With stmt_cost (Python mode: 26ns) a tick holds thousands of
     * statements: an endless loop ran 77 million in 2000 ticks, over
     * libFuzzer's 10 s. At most some 4 million statements a run. */
    if (cfg.stmt_cost_ns > 0) {
        int64_t most = 4000000 * cfg.stmt_cost_ns / config_tick_ns(&cfg);
        if (most < 20)
            most = 20;
        if (cfg.ticks > most)
            cfg.ticks = most;
    }
    struct trace tr;
    trace_init(&tr, cfg.cpus);
    struct machine *m = machine_new(s, &cfg, &tr);
    if (m) {
        struct snapshot snap;
        snapshot_init(&snap);
        while (machine_begin_tick(m)) {
            if (machine_tick(m) % 97 == 0)
                machine_snapshot(m, &snap);
            machine_end_tick(m);
        }
        machine_snapshot(m, &snap);
        for (size_t i = 0; i < tr.nev; i++) {
            char buf[256];
            event_format(&tr, s, &tr.ev[i], buf, sizeof buf);
        }
        snapshot_free(&snap);
        machine_free(m);
    }
    trace_free(&tr);
    scenario_free(s);
    return 1;
}

#endif
