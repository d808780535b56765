/*
 * support.h - what this version of procsim can simulate.
 *
 * The parser reads the whole contract; the parts the kernel does not model
 * yet are rejected here, in one place, with a clear message at their line.
 */
#ifndef PROCSIM_SUPPORT_H
#define PROCSIM_SUPPORT_H

#include "scenario.h"

/* NULL when everything in s can be simulated; otherwise a message and, in
 * *where, the position of the first construct that cannot. */
const char *support_check(const struct scenario *s, struct srcpos *where);

#endif
