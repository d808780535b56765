/*
 * gen.h - random valid scenarios over the whole language, from a seed.
 *
 * The same seed always gives the same text. A scenario has random config
 * (several CPUs, every policy, the GIL, small max_procs and pid_max so
 * that forks fail and pids wrap), shared objects, signal handlers, programs
 * built from every statement of the language, spawns and outside events.
 * It is valid: it parses, though it may still stop with a runtime error
 * (a division by zero, a lock released by a stranger), as real programs do.
 */
#ifndef PROCSIM_FUZZ_GEN_H
#define PROCSIM_FUZZ_GEN_H

#include <stddef.h>
#include <stdint.h>

/* A scenario's text for `seed` (malloc'd, NUL-terminated; *len gets its
 * length). `known_bug_cases` is a mask of (1 << KB_*) bits: the generator
 * cases of known_bugs.h to include. NULL when out of memory. */
char *gen_scenario(uint64_t seed, unsigned known_bug_cases, size_t *len);

#endif
