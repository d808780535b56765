/*
 * machine.h - the simulated kernel, one tick at a time.
 *
 * A machine is created from a loaded scenario and a configuration, then
 * advanced tick by tick:
 *
 *     while (machine_begin_tick(m)) {     // steps 1-3 of tick T
 *         ... observe: machine_snapshot(m, &snap) shows "the state during T"
 *         machine_end_tick(m);            // step 4: each running task runs
 *     }
 *
 * machine_begin_tick() returns false once the run has ended (only init is
 * left and nothing is still to come, the tick limit, a runtime error, or no
 * task can ever run again); machine_tick() is then the tick it ended at.
 *
 * The machine never prints. It reports through its trace (optional), its
 * snapshots and its status. It holds no global state: any number of
 * machines can exist at once, and machine_clone() makes an independent copy
 * (the checkpoints of a recorded run).
 */
#ifndef PROCSIM_MACHINE_H
#define PROCSIM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "scenario.h"
#include "snapshot.h"
#include "trace.h"

struct machine;

enum machine_status {
    MS_RUNNING,                /* more ticks to run */
    MS_EMPTY,                  /* only init is left, nothing still to come */
    MS_TICK_LIMIT,             /* `ticks` ticks have run */
    MS_STUCK,                  /* nothing can ever run again */
    MS_DEADLOCK,               /* ... because tasks wait on locks in a cycle */
    MS_ERROR,                  /* a runtime error stopped the run */
};

/* A new machine at tick 0, before anything has run. `cfg` is the config to
 * use (the scenario's, possibly with command-line overrides). `trace` may be
 * NULL; when given it must outlive the machine. Returns NULL when out of
 * memory. */
struct machine *machine_new(const struct scenario *s, const struct config *cfg,
                            struct trace *trace);
void machine_free(struct machine *m);

/* An independent copy of m, writing to `trace` (may be NULL). */
struct machine *machine_clone(const struct machine *m, struct trace *trace);

/* Steps 1-3 of the current tick. False when the run is over (and nothing
 * was done). */
bool machine_begin_tick(struct machine *m);

/* Step 4 of the current tick, then advance to the next tick. */
void machine_end_tick(struct machine *m);

/* Run a fresh machine until tick T has begun (steps 1-3 done), so that it
 * shows the state during T. False when the run ended before T; the machine
 * then shows its final state. */
bool machine_advance_to(struct machine *m, int64_t tick);

/* The current tick: the one begun, or the one the run ended at. */
int64_t machine_tick(const struct machine *m);

enum machine_status machine_status(const struct machine *m);

/* The runtime error that stopped the run (valid when MS_ERROR). */
const struct diag *machine_error(const struct machine *m);

/* Fill *out with the current state (see snapshot.h). */
void machine_snapshot(const struct machine *m, struct snapshot *out);

/* The value of a shared object (issue 5); 0 for other objects. */
int64_t machine_shared_value(const struct machine *m, int obj);
/* Length of array object obj (0 for other objects), and its item i (0
 * when out of range). */
int machine_array_len(const struct machine *m, int obj);
int64_t machine_array_item(const struct machine *m, int obj, int i);

/* Copy the accounting of live processes into their trace records, so the
 * records are complete at the end of a run. */
void machine_sync_records(struct machine *m);

/* Tasks that exist (running, runnable, sleeping, zombie). */
int machine_task_count(const struct machine *m);

/* Bytes the machine's state takes (what a copy of it costs). */
size_t machine_memory(const struct machine *m);

/* Bytes the machine uses per live process (PCB, task, variables), for the
 * memory benchmark. */
size_t machine_bytes_per_process(const struct machine *m);

#endif
