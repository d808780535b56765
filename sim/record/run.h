/*
 * run.h - a whole recorded run, and the state at any tick of it.
 *
 * run_record() runs a scenario to its end once, keeping the trace (events,
 * process records, timelines) and a checkpoint of the machine every so
 * often. run_state_at() then rebuilds the state at any tick by copying the
 * nearest earlier checkpoint and replaying from there, so going back is as
 * quick as going forward. Checkpoints are spaced by the measured time a
 * replay takes, so a replay never has much to redo whatever the run's size.
 */
#ifndef PROCSIM_RUN_H
#define PROCSIM_RUN_H

#include "machine.h"

struct run;

/* Run s with cfg to the end, keeping everything. Returns NULL when out of
 * memory. */
struct run *run_record(const struct scenario *s, const struct config *cfg);

/* The same with extra outside events (`at T ...`) added to the scenario's
 * own, as when a student sends a signal from the window: the run keeps its
 * own copy of the merged event list, so `extra` may be freed afterwards. */
struct run *run_record_with(const struct scenario *s, const struct config *cfg,
                            const struct outside *extra, int nextra);
void run_free(struct run *r);

/* A run recorded for a command that prints from its end: no checkpoints
 * (run_state_at shows only the final state) and a trace that keeps only
 * `keep` (TRACE_*; the process records always). Returns NULL when out of
 * memory, rather than a run cut short. */
struct run *run_record_keeping(const struct scenario *s, const struct config *cfg,
                               unsigned keep);

/* The state during tick `tick` (clamped to 0 .. run_end_tick - 1; a tick
 * at or past the end shows the final state with snapshot.done set). */
void run_state_at(struct run *r, int64_t tick, struct snapshot *out);

/* The state at the end of tick `tick`, after its step 4: what the tasks
 * sent in that tick is on its way (the window draws the network's packets
 * from it: with a latency of one tick, a segment sent in tick T arrives in
 * step 2 of T + 1, so no state *during* a tick ever holds it). At or past
 * the end, the final state. Costs a copy of the machine. */
void run_state_after(struct run *r, int64_t tick, struct snapshot *out);

const struct trace *run_trace(const struct run *r);
int64_t run_end_tick(const struct run *r);          /* the tick it ended at */
enum machine_status run_status(const struct run *r);
const struct diag *run_error(const struct run *r);  /* when MS_ERROR */
const struct config *run_config(const struct run *r);
const struct scenario *run_scenario(const struct run *r);
int64_t run_shared_value(const struct run *r, int obj);  /* at the end */
size_t run_checkpoint_count(const struct run *r);

/* An outside event as the scenario line that would cause it
 * ("at 12 kill 3 SIGTERM", "at 5 ctrl-c"); returns the length needed. */
size_t outside_format(const struct outside *o, char *buf, size_t size);

#endif
