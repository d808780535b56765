/*
 * pyevent.h - a Python run's events in Python's words (issue 14).
 *
 * A run translated from a .py file records, on each event a statement
 * caused, the statement's position in the .py file (event.by, event.pos).
 * The event's line then quotes that statement: `pid 3: q.put((2, 5))`,
 * `pid 2: os.wait() → (3, 0)`, `pid 4: time.sleep(0.003): sleeps 3 ticks`.
 * `procsim run` and the window print the same text (event_format calls
 * py_event_format for a Python run).
 */
#ifndef PROCSIM_PYEVENT_H
#define PROCSIM_PYEVENT_H

#include <stddef.h>

struct scenario;
struct trace;
struct event;

/* Line `line` (1-based) of the .py source without its newline, *len its
 * length; "" with *len 0 when there is no such line (or no .py source). */
const char *py_source_line(const struct scenario *s, int line, size_t *len);

/* The statement that starts at line:col of the .py source, as one line:
 * from its column, its comment dropped, trimmed, a statement that goes on
 * over the next lines (open brackets) joined with single spaces; cut with
 * "..." past size. Returns its length (0: no such line). */
size_t py_statement(const struct scenario *s, int line, int col, char *buf, size_t size);

/* The Python text of event e when its cause is known and the event is
 * one a Python statement does (a fork, a wait, a put...): writes it and
 * returns its length; otherwise returns 0 and writes nothing, and the
 * kernel's words stand. `words` is the kernel's sentence for e. */
size_t py_event_format(const struct trace *t, const struct scenario *s, const struct event *e,
                       const char *words, char *buf, size_t size);

#endif
