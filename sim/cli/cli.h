/*
 * cli.h - the `procsim` command: shared pieces of its sub-commands.
 *
 * The command is a thin front end: it loads a scenario, asks the core for
 * runs, snapshots and check results, and prints them. Nothing here changes
 * what the simulation does.
 */
#ifndef PROCSIM_CLI_H
#define PROCSIM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

#define PROCSIM_VERSION "0.1.0"

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_INVALID = 2 };

struct cli_opts {
    const char *command;
    const char *files[256];
    int nfiles;
    int64_t at;                /* --at T, -1 when absent */
    bool json, changes, threads, help;
    bool all;                  /* run: the whole table, however large */
    bool stderr_too;           /* output: stderr's lines too (--stderr) */
    /* overrides, applied in order after the scenario's own config */
    const char *sets[64][2];   /* -c KEY=VALUE, --ticks, --seed */
    int nsets;
    char keybuf[64][64];       /* storage for the -c keys */
};

/* Load a scenario file; on error print it (FILE:LINE:COL ...) and return
 * NULL. `cfg` gets the scenario's config with the command-line overrides. */
struct scenario *cli_load(const char *path, const struct cli_opts *o,
                          struct config *cfg);

/* Print a diagnostic the contract's way on stderr. */
void cli_print_diag(const struct diag *d);

/* "1 ms" etc. for the run header. */
const char *cli_tick_unit(const struct config *c);
/* Print s as a JSON string, quotes and escapes included (cmd_ps.c). */
void cli_json_string(const char *s);

int cmd_run(const struct cli_opts *o);
int cmd_check(const struct cli_opts *o);
int cmd_ps(const struct cli_opts *o);
int cmd_pstree(const struct cli_opts *o);
int cmd_output(const struct cli_opts *o);
int cmd_stats(const struct cli_opts *o);
int cmd_fds(const struct cli_opts *o);
int cmd_ss(const struct cli_opts *o);
int cmd_compile(const struct cli_opts *o);
/* ss's name of a socket state (SOCKS_*): "ESTAB", "LISTEN" ... */
const char *ss_state_name(int state);

struct snapshot;
/* The state during tick --at T of the file (cmd_ps.c): the loaded
 * scenario (NULL after an error, printed), *snap filled; *failed when a
 * runtime error stopped the run at or before T (printed). */
struct scenario *cli_state_at(const struct cli_opts *o, struct snapshot *snap,
                              bool *failed);

#endif
