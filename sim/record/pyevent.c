/*
 * pyevent.c - a Python run's events in Python's words (see pyevent.h).
 *
 * Which events quote their statement: those the statement itself does
 * (its task ran it: event.by == event.tid), of the kinds a Python call
 * causes — fork, wait, exit, sleep, signals sent, threads started, locks,
 * events, queues, pipes, sockets, pools — and a reap, which the reaper's
 * wait does (event.by is the reaper). Wakeups, preemption, the GIL and
 * signal deliveries are the kernel's doing and keep the kernel's words,
 * and so do prints (their text says more than `print(...)`).
 */
#include "pyevent.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "trace.h"

const char *py_source_line(const struct scenario *s, int line, size_t *len)
{
    *len = 0;
    if (!s || !s->python || !s->py_text || line < 1)
        return "";
    const char *p = s->py_text, *end = s->py_text + s->py_len;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return "";
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((nl ? nl : end) - p);
    if (n && p[n - 1] == '\r')
        n--;
    *len = n;
    return p;
}

size_t py_statement(const struct scenario *s, int line, int col, char *buf, size_t size)
{
    if (size)
        *buf = '\0';
    size_t len;
    const char *l = py_source_line(s, line, &len);
    if (!len || size < 8)
        return 0;
    size_t i = col >= 1 && (size_t)col - 1 < len ? (size_t)col - 1 : 0;
    size_t n = 0;
    int depth = 0;
    char quote = 0;
    bool space = false, cut = false, done = false;
    /* At most 6 physical lines: enough for a call split over lines. */
    for (int k = 0; k < 6 && !done; k++) {
        bool backslash = false;
        for (; i < len; i++) {
            char c = l[i];
            if (!quote && c == '#')
                break;                           /* a comment */
            if (!quote && depth <= 0 && c == ';') {
                done = true;                     /* the next statement */
                break;
            }
            backslash = !quote && c == '\\' && i + 1 == len;
            if (backslash)
                break;
            if (quote) {
                if (c == '\\' && i + 1 < len) {
                    if (n + 2 < size - 4) {
                        buf[n++] = c;
                        buf[n++] = l[++i];
                    } else {
                        cut = true;
                    }
                    continue;
                }
                if (c == quote)
                    quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            if (!quote && (c == ' ' || c == '\t')) {
                space = n > 0;
                continue;
            }
            if (space && n + 1 < size - 4)
                buf[n++] = ' ';
            space = false;
            if (n + 1 < size - 4)
                buf[n++] = c;
            else
                cut = true;
        }
        quote = 0;                               /* strings end with their line */
        if (done || (depth <= 0 && !backslash))
            break;
        l = py_source_line(s, ++line, &len);
        if (!len)
            break;
        i = 0;
        space = n > 0;
    }
    if (cut)
        n += (size_t)snprintf(buf + n, size - n, "...");
    buf[n] = '\0';
    return n;
}

/* The right-hand side of `target = call(...)`, or the whole statement. */
static const char *call_part(const char *st)
{
    int depth = 0;
    char quote = 0;
    for (const char *p = st; *p; p++) {
        char c = *p;
        if (quote) {
            if (c == '\\' && p[1])
                p++;
            else if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            depth--;
        } else if (c == '=' && depth == 0 && p[1] != '=' && p > st &&
                   !strchr("=!<>:+-*/%&|^@", p[-1])) {
            while (p[1] == ' ')
                p++;
            return p + 1;
        }
    }
    return st;
}

/* "pid 2", or "thread 5 (pid 2)" for a thread other than the main one. */
static void who_of(int tid, int pid, char *buf, size_t n)
{
    if (tid && tid != pid)
        snprintf(buf, n, "thread %d (pid %d)", tid, pid);
    else
        snprintf(buf, n, "pid %d", pid);
}

/* The kernel's words without their subject ("pid 2 waits for a child" ->
 * "waits for a child"). */
static const char *predicate(const char *words, const char *who)
{
    size_t n = strlen(who);
    if (strncmp(words, who, n) == 0 && (words[n] == ' ' || words[n] == ':')) {
        words += n;
        while (*words == ' ' || *words == ':')
            words++;
    }
    return words;
}

/* Kinds a statement does: the event then quotes it. Not what hidden
 * threads do (a queue's feeder, a pool's workers, a timer firing) nor
 * what happens at an exit (a feeder's flush, daemons terminated). */
static bool quotes(const struct event *e)
{
    switch (e->kind) {
    case EV_FORK: case EV_FORK_FAIL: case EV_EXEC: case EV_EXIT: case EV_BLOCK:
    case EV_YIELD: case EV_NICE: case EV_WAIT_NONE: case EV_SIG_SEND:
    case EV_THREAD_START: case EV_OBJ: case EV_SETPGID: case EV_TCSETPGRP:
    case EV_WAIT_JOB: case EV_SETSID: case EV_RAISE: case EV_MUX:
        return true;
    case EV_QUEUE:
        return e->reason != QE_FEED && e->reason != QE_FEED_WAIT &&
               e->reason != QE_FLUSH_WAIT && e->reason != QE_FEEDER_END &&
               e->reason != QE_LOST && e->reason != QE_STUCK && e->reason != QE_ALL_DONE;
    case EV_PROCOBJ:
        return e->reason != PO_DAEMON_TERM;
    case EV_PIPE:
        return e->reason != PIPE_STUCK;
    case EV_TIMER:
        return e->reason == TM_START || e->reason == TM_CANCEL || e->reason == TM_CANCEL_LATE;
    case EV_POOL:
        return e->reason == PL_SUBMIT || e->reason == PL_CLOSE || e->reason == PL_TERMINATE ||
               e->reason == PL_JOINED || e->reason == PL_CANCEL;
    case EV_SOCK:
        return e->reason != SK_NET;
    default:
        return false;
    }
}

size_t py_event_format(const struct trace *t, const struct scenario *s, const struct event *e,
                       const char *words, char *buf, size_t size)
{
    if (!s || !s->python)
        return 0;
    /* A traceback's lines go to stderr. */
    if (e->kind == EV_PRINT && e->reason == PRINT_STDERR) {
        char w[48];
        who_of(e->tid, e->pid, w, sizeof w);
        return (size_t)snprintf(buf, size, "%s prints to stderr \"%s\"", w, trace_text(t, e));
    }
    if (!e->pos || !e->by)
        return 0;
    bool reap = e->kind == EV_REAP;
    if (!reap && (e->by != e->tid || !quotes(e)))
        return 0;
    char st[160];
    if (!py_statement(s, EVENT_LINE(e), EVENT_COL(e), st, sizeof st))
        return 0;
    /* A normal exit quotes its sys.exit() / os._exit(); falling off the
     * end of a function or the module is no statement of its own. */
    if (e->kind == EV_EXIT && (e->a < 0 || !strstr(st, "exit(")))
        return 0;
    char w[48];
    const char *call = call_part(st);
    if (reap) {
        /* The reaper's wait; a reaped child's status as os.wait() returns
         * it (the exit code in the high byte, or the signal number). */
        int pid = (int)e->a;
        who_of(e->by, pid, w, sizeof w);
        long long raw = e->b >= 0 ? (e->b & 0xff) << 8 : -e->b;
        if (strstr(call, "wait"))
            return (size_t)snprintf(buf, size, "%s: %s → (%d, %lld)", w, call, e->pid, raw);
        if (e->b >= 0)
            return (size_t)snprintf(buf, size, "%s: %s — reaps %d (exit code %lld)", w, call,
                                    e->pid, (long long)e->b);
        const char *sig = signal_name((int)-e->b);
        return (size_t)snprintf(buf, size, "%s: %s — reaps %d (killed by %s)", w, call, e->pid,
                                sig ? sig : "a signal");
    }
    who_of(e->tid, e->pid, w, sizeof w);
    switch (e->kind) {
    case EV_FORK:
        if (strstr(call, "fork("))
            return (size_t)snprintf(buf, size, "%s: %s → %lld", w, call, (long long)e->a);
        break;
    case EV_WAIT_NONE:
        if (e->a < 0 && strstr(call, "wait"))
            return (size_t)snprintf(buf, size, "%s: %s → ChildProcessError: [Errno 10] "
                                    "No child processes", w, call);
        if (e->a == 0 && strstr(call, "wait"))
            return (size_t)snprintf(buf, size, "%s: %s → (0, 0)", w, call);
        break;
    case EV_BLOCK:
        switch (e->reason) {
        case WHY_SLEEP:
            return (size_t)snprintf(buf, size, "%s: %s — sleeps %lld %s", w, call, (long long)e->a,
                                    e->a == 1 ? "tick" : "ticks");
        case WHY_DISK:
            return (size_t)snprintf(buf, size, "%s: %s — disk I/O, %lld %s", w, call,
                                    (long long)e->a, e->a == 1 ? "tick" : "ticks");
        default:
            break;
        }
        break;
    case EV_RAISE:          /* the line is the statement's, quoted */
        return (size_t)snprintf(buf, size, "%s: %s — raises %s", w, call, exc_name((int)e->a));
    case EV_QUEUE:
        if (e->reason == QE_PUT)
            return (size_t)snprintf(buf, size, "%s: %s", w, call);
        if (e->reason == QE_GET && strstr(call, ".get("))
            return (size_t)snprintf(buf, size, "%s: %s → %s", w, call, trace_text(t, e));
        break;
    default:
        break;
    }
    return (size_t)snprintf(buf, size, "%s: %s — %s", w, call, predicate(words, w));
}
