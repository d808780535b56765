/*
 * check.h - running a scenario's `expect` lines.
 *
 * check_scenario() runs the scenario once and judges every expectation: at
 * its tick (state during T, parent during T) or at the end (exit statuses,
 * parents at exit, output, shared values, the tick the run ended). It
 * returns the failures as data; the front end words and prints them.
 */
#ifndef PROCSIM_CHECK_H
#define PROCSIM_CHECK_H

#include "machine.h"

struct check_failure {
    const struct expect *exp;  /* the line that failed */
    char what[256];            /* "expected state Z at tick 7, got S" */
};

struct check_result {
    int total;                 /* expectations judged */
    int failed;
    struct check_failure *fails;   /* `failed` of them, in file order */
    enum machine_status status;    /* how the run ended */
    struct diag error;         /* when status == MS_ERROR */
    int64_t end_tick;
};

/* Returns false when out of memory. */
bool check_scenario(const struct scenario *s, const struct config *cfg,
                    struct check_result *out);
void check_result_free(struct check_result *r);

#endif
