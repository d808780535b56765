/*
 * pyfront.h - loading a student's Python file: the C side of the Python
 * front end (issue 14; the translator is py/procsim_py.py).
 *
 * A front end (sim/cli, viz), never the core, calls this: it runs python3
 * on the translator, which parses the .py with CPython's own `ast` and
 * prints scenario-language text with `@L:C` position lines; that text is
 * then parsed by scenario_parse_python(), so every message and every
 * instruction names the .py file's lines.
 *
 * A scenario file may also say `python "prog.py"` (a path relative to the
 * scenario file): the program is the translated file and the scenario's
 * own lines (config, at, expect, title, describe) come with it.
 */
#ifndef PROCSIM_PYFRONT_H
#define PROCSIM_PYFRONT_H

#include <stdbool.h>
#include <stddef.h>

struct scenario;
struct diag;

/* A message made like printf's, malloc'd (NULL when out of memory). */
char *pyfront_msgf(const char *fmt, ...);

/* Does the path name a Python file (ends in .py)? */
bool pyfront_is_python(const char *path);

/*
 * Run the translator on the .py file at `path`. On success returns the
 * scenario text (malloc'd, *len bytes, NUL-terminated). On failure returns
 * NULL and sets *msg to a malloc'd message ready to print: the
 * translator's own diagnostic (FILE:LINE:COL: error: ..., the line, a
 * caret) or why python3 could not be run.
 */
char *pyfront_translate(const char *path, size_t *len, char **msg);

/*
 * Parse the file at `path` whose contents are src[0..len): a .py file is
 * translated; a scenario with a `python "FILE"` line is combined with its
 * translated program; any other scenario is parsed as it is. Returns the
 * scenario, or NULL with either *d filled (a parse error: print it with
 * diag_format) and *msg NULL, or *msg set (malloc'd text, as above).
 */
struct scenario *pyfront_parse(const char *path, const char *src, size_t len,
                               struct diag *d, char **msg);

#endif
