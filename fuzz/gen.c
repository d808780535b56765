/*
 * gen.c - random valid scenarios over the whole language.
 *
 * A scenario is written top down: config, shared objects, handlers, defs
 * (issue 14: functions d0.. with frame locals, and a class C's method),
 * programs, spawns, outside events. Program bodies are drawn from the
 * statement table `stmts[]`: one row per statement of the language, with
 * its weight, what it needs to exist (a lock, a handler, room for one more
 * block) and the function that writes it. To cover a new statement (IPC,
 * sockets), add one function and one row.
 *
 * Validity is kept by construction: every variable read is assigned in the
 * first program's prologue (a def's own locals read None until assigned),
 * every name refers to something declared, and literal operands stay in
 * the ranges the parser accepts. Values of every type (issue 14: floats,
 * dicts, bytes, instances, functions, objects) go into the same variables,
 * so most type mismatches raise at run time, as in Python. Runtime errors
 * are allowed on purpose, but rare (division by zero, a lock released by a
 * task that does not hold it, an untimed loop).
 */
#include "gen.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "known_bugs.h"
#include "scenario.h"

#define NVARS   4              /* process variables v0..v3 */
#define NLOCALS 2              /* thread-local variables l0, l1 */
#define MAX_OBJS 6
#define MAX_DEPTH 3            /* nesting of blocks inside a program */

enum obj_kind { K_SHARED, K_LOCK, K_RLOCK, K_SEM, K_EVENT,
                K_QUEUE, K_JQUEUE, K_TQUEUE,    /* queue, joinablequeue, threadqueue */
                K_ARRAY, K_NKINDS };
static const char *const obj_prefix[K_NKINDS] = { "s", "mutex", "rl", "sem", "ev",
                                                  "q", "jq", "tq", "arr" };

struct gen {
    uint64_t rng;
    unsigned cases;            /* known-bug cases to include (1 << KB_*) */
    char *buf;                 /* the text so far */
    size_t len, cap;
    bool oom;
    int indent;                /* current block depth, for indentation */
    int budget;                /* statements left for this body */
    int nprogs, nhandlers;
    int cur;                   /* the program being written (p%d), -1 a handler */
    int nobjs;
    enum obj_kind obj[MAX_OBJS];
    int loops;                 /* while loops so far (fresh counters w0, w1...) */
    int npipes;                /* top-level pipes: c0 or ca0, cb0, ... */
    bool pipe_pair[2];         /* pipe ca%d, cb%d (else pipe c%d) */
    int max_pid;               /* pids literal operands are drawn from */
    /* issue 14 (Python's additions) */
    int ndefs;                 /* def d0 .. d{ndefs-1}, each (a0, a1=...) */
    bool cls;                  /* def C.m(self, a0) exists: new("C") has a method */
    int cur_def;               /* the def being written, or -1 */
    int loop_depth;            /* loops open around the statement (break/continue) */
    int fors;                  /* for loops so far (their loop variables f0, f1...) */
};

/* ------------------------------------------------------------ randomness */

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t next(struct gen *g)
{
    uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A number from lo to hi inclusive. */
static int64_t range(struct gen *g, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next(g) % (uint64_t)(hi - lo + 1));
}

/* True with probability pct %. */
static bool chance(struct gen *g, int pct) { return range(g, 0, 99) < pct; }

/* ------------------------------------------------------------ text */

static void put(struct gen *g, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if (g->len + (size_t)n < g->cap) {
            g->len += (size_t)n;
            return;
        }
        size_t cap = (g->cap + (size_t)n + 1) * 2;
        char *b = realloc(g->buf, cap);
        if (!b) {
            g->oom = true;
            return;
        }
        g->buf = b;
        g->cap = cap;
    }
}

/* Start a statement line at the current indentation. */
static void start(struct gen *g)
{
    for (int i = 0; i < g->indent + 1; i++)
        put(g, "  ");
}

/* ------------------------------------------------------------ operands */

/* Any signal 1..31 (all of Linux's, not only the contract's thirteen), as
 * a name, a name without SIG, or a number; half the time one of those
 * programs catch, so that handlers run. Returns its number. */
static int put_signal(struct gen *g, bool catchable)
{
    static const int common[] = { SIG_HUP, SIG_INT, SIG_USR1, SIG_USR2, SIG_ALRM,
                                  SIG_TERM, SIG_CHLD };
    for (;;) {
        int sig = chance(g, 50) ? common[range(g, 0, 6)]
                  : chance(g, 70) ? (int)range(g, 1, 20) : (int)range(g, 1, 31);
        if (catchable && (sig == SIG_KILL || sig == SIG_STOP))
            continue;
        const char *n = signal_name(sig);
        int form = (int)range(g, 0, 9);
        if (form == 0)
            put(g, "%s", n + 3);
        else if (form == 1)
            put(g, "%d", sig);
        else
            put(g, "%s", n);
        return sig;
    }
}

static bool has_obj(const struct gen *g, enum obj_kind k)
{
    for (int i = 0; i < g->nobjs; i++)
        if (g->obj[i] == k)
            return true;
    return false;
}

/* A random object of kind k (one must exist): its index. */
static int pick_obj(struct gen *g, enum obj_kind k)
{
    int n = 0, pick;
    for (int i = 0; i < g->nobjs; i++)
        n += g->obj[i] == k;
    pick = (int)range(g, 0, n - 1);
    for (int i = 0; i < g->nobjs; i++)
        if (g->obj[i] == k && pick-- == 0)
            return i;
    return 0;
}

static void put_obj(struct gen *g, enum obj_kind k)
{
    put(g, "%s%d", obj_prefix[k], pick_obj(g, k));
}

static void put_var(struct gen *g)
{
    if (g->cur_def >= 0 && chance(g, 30))     /* a def's parameters (C.m has a0) */
        put(g, "a%d", g->cur_def < g->ndefs ? (int)range(g, 0, 1) : 0);
    else if (chance(g, 25))
        put(g, "l%d", (int)range(g, 0, NLOCALS - 1));
    else
        put(g, "v%d", (int)range(g, 0, NVARS - 1));
}

static void put_expr(struct gen *g, int depth);
static void put_pid(struct gen *g);

/* A job-control built-in with an operand: a process's group or session,
 * or a wait-status macro applied to a variable (often a STATUSVAR) or to
 * one of the raw statuses of the manual's table. */
static void put_job_builtin(struct gen *g)
{
    static const char *const macro[] = { "wifexited", "wexitstatus", "wifsignaled", "wtermsig",
                                         "wifstopped", "wstopsig", "wifcontinued" };
    static const int status[] = { 0, 1, 255, -9, -15, 5247, 4991, 65535, 127 };
    int r = (int)range(g, 0, 3);
    if (r < 2) {
        put(g, "%s(", r == 0 ? "getpgid" : "getsid");
        if (chance(g, 20))
            put(g, "0");
        else
            put_pid(g);
        put(g, ")");
        return;
    }
    put(g, "%s(", macro[range(g, 0, 6)]);
    if (chance(g, 60))
        put_var(g);
    else
        put(g, "%d", status[range(g, 0, 8)]);
    put(g, ")");
}

/* A value that is not an integer (issue 11): strings, tuples, lists, None
 * and booleans, sometimes indexed, so that type errors and index errors
 * (exceptions) happen too. */
static void put_value(struct gen *g)
{
    static const char *const lit[] = { "\"ab\"", "\"\"", "None", "True", "False",
        "(1, \"x\")", "[2, 3]", "()", "(7,)", "\"caf\xc3\xa9\"", "[(1, 2), \"q\"]" };
    int r = (int)range(g, 0, 9);
    if (r < 6) {
        put(g, "%s", lit[range(g, 0, (int)(sizeof lit / sizeof lit[0]) - 1)]);
    } else if (r < 8) {
        put(g, "(\"abc\", 5, [0])[%d]", (int)range(g, -4, 3));
    } else if (r == 8) {
        put(g, "len(");
        put_var(g);
        put(g, ")");
    } else {
        put(g, "str(");
        put_var(g);
        put(g, ")");
    }
}

static void put_pyvalue(struct gen *g, int depth);

static void put_atom(struct gen *g)
{
    switch (range(g, 0, 16)) {
    case 11:
        put_value(g);
        break;
    case 14: case 15: case 16:
        put_pyvalue(g, 1);
        break;
    case 0: case 1: case 2:
        put(g, "%d", (int)range(g, -3, 12));
        break;
    case 3: case 4:
        put_var(g);
        break;
    case 5:
        if (has_obj(g, K_SHARED)) {
            put_obj(g, K_SHARED);
            break;
        }
        /* fall through */
    case 6: {
        static const char *const builtin[] = { "getpid()", "getppid()", "gettid()", "now()",
                                               "getpgrp()", "tcgetpgrp()" };
        put(g, "%s", builtin[range(g, 0, 5)]);
        break;
    }
    case 10:
        put_job_builtin(g);
        break;
    case 7:
        put(g, "rand(%d, %d)", (int)range(g, -2, 3), (int)range(g, 3, 20));
        break;
    case 8:
        put(g, "%s", chance(g, 50) ? "9223372036854775807" : "-9223372036854775807");
        break;
    default:
        put(g, "%d", (int)range(g, 0, 5));
        break;
    }
}

/* ------------------------------------------------------------ Python's values
 * (issue 14): floats, dicts, bytes, instances, functions and objects as
 * values, slices, methods and built-ins. Types mix freely, so TypeError,
 * KeyError, AttributeError, ZeroDivisionError... are raised often. */

static const char *const obj_kinds_new[] = { "queue", "joinablequeue", "threadqueue", "lock",
                                             "rlock", "event", "semaphore", "shared", "array" };

/* A function value: fn(NAME) of a def or program, or a def's name string. */
static void put_fn(struct gen *g)
{
    if (g->ndefs && chance(g, 75))
        put(g, "fn(d%d)", (int)range(g, 0, g->ndefs - 1));
    else
        put(g, "fn(p%d)", (int)range(g, 0, g->nprogs - 1));
}

static void put_pyvalue(struct gen *g, int depth)
{
    static const char *const lit[] = { "1.5", "1e-3", ".5", "-2.25", "1e16", "0.1",
        "float(\"inf\")", "float(\"nan\")", "{}", "{\"a\": 1, 2: [3]}", "dict()",
        "{(1, 2): None, 1.0: \"x\"}", "b\"abc\"", "b\"\\x00\\xff\"", "\"\\xe9\".encode()",
        "new(\"C\")", "new(\"D\")", "range(4)", "range(5, -3, -2)", "[1, [2, [3]]]",
        "\"a\\'b\"", "9223372036854775807 + 1", "(-9223372036854775807 - 1) // -1",
        "2 ** 63", "2 ** -1", "10 ** 400", "2.0 ** 1024", "cpu_count()", "exc_name()" };
    static const char *const builtin1[] = { "float", "abs", "round", "list", "tuple", "dict",
        "sorted", "reversed", "min", "max", "sum", "enumerate", "zip", "chr", "ord", "hex",
        "bin", "oct", "bool", "bytes", "any", "all", "type_name", "str", "len", "format",
        "repr", "int" };
    static const char *const builtin2[] = { "divmod", "pow", "truediv", "mod", "floordiv",
        "round", "format", "isinstance", "iadd", "range", "min", "max", "zip", "enumerate",
        "sum" };
    static const char *const methods[] = { "append(1)", "extend([2, 3])", "insert(0, 9)",
        "pop()", "pop(0)", "remove(1)", "index(1)", "count(1)", "sort()", "sort(True)",
        "reverse()", "copy()", "clear()", "get(1)", "get(\"a\", 0)", "keys()", "values()",
        "items()", "popitem()", "setdefault(\"z\", [])", "update({3: 4})", "upper()",
        "strip()", "split()", "split(\",\")", "join([\"a\", \"b\"])", "replace(\"a\", \"bb\")",
        "startswith(\"a\")", "find(\"b\")", "isdigit()", "zfill(5)", "center(7, \"*\")",
        "encode()", "decode()", "is_integer()", "__name__", "x", "y", "value", "qsize()",
        "empty()", "full()", "is_set()", "locked()", "get_lock()", "m(1)" };
    static const char *const types[] = { "\"int\"", "\"float\"", "\"str\"", "\"list\"",
        "\"dict\"", "(\"tuple\", \"bytes\")", "\"C\"", "\"NoneType\"", "\"bool\"" };
    static const char *const fmts[] = { "\"%5.2f|%-4d|%r|%x|%%\"", "\"%s\"", "\"%e %g\"",
        "\"%c%o\"", "\"%+08.3f\"", "\"%#x %a\"" };
    static const char *const specs[] = { "\">8.3f\"", "\"_\"", "\",d\"", "\"x\"", "\"^9s\"",
        "\"e\"", "\"%\"", "\"+#010b\"", "\"g\"", "\"\"" };
    int r = (int)range(g, 0, 14);
    if (depth <= 0 && r >= 6)
        r = (int)range(g, 0, 5);
    switch (r) {
    case 0: case 1: case 2:
        put(g, "%s", lit[range(g, 0, (int)(sizeof lit / sizeof lit[0]) - 1)]);
        break;
    case 3:
        put_fn(g);
        break;
    case 4:
        if (g->nobjs && chance(g, 80)) {
            int i = (int)range(g, 0, g->nobjs - 1);
            put(g, "ref(%s%d)", obj_prefix[g->obj[i]], i);
        } else
            put(g, "%d.%d", (int)range(g, 0, 99), (int)range(g, 0, 999));
        break;
    case 5:
        put(g, "{");
        for (int i = 0, n = (int)range(g, 0, 3); i < n; i++)
            put(g, "%s%d: %s", i ? ", " : "", (int)range(g, 0, 3),
                i % 2 ? "[]" : "\"v\"");
        put(g, "}");
        break;
    case 6:
        put(g, "%s(", builtin1[range(g, 0, (int)(sizeof builtin1 / sizeof builtin1[0]) - 1)]);
        put_expr(g, depth - 1);
        put(g, ")");
        break;
    case 7: {
        int b = (int)range(g, 0, (int)(sizeof builtin2 / sizeof builtin2[0]) - 1);
        put(g, "%s(", builtin2[b]);
        if (b == 3 && chance(g, 60))
            put(g, "%s", fmts[range(g, 0, (int)(sizeof fmts / sizeof fmts[0]) - 1)]);
        else
            put_expr(g, depth - 1);
        put(g, ", ");
        if (b == 6 && chance(g, 70))
            put(g, "%s", specs[range(g, 0, (int)(sizeof specs / sizeof specs[0]) - 1)]);
        else if (b == 7)
            put(g, "%s", types[range(g, 0, (int)(sizeof types / sizeof types[0]) - 1)]);
        else
            put_expr(g, depth - 1);
        put(g, ")");
        break;
    }
    case 8: case 9:            /* a method or attribute of a variable */
        put_var(g);
        put(g, ".%s", methods[range(g, 0, (int)(sizeof methods / sizeof methods[0]) - 1)]);
        break;
    case 10: {                 /* a slice */
        put(g, "(");
        if (chance(g, 50))
            put_var(g);
        else
            put(g, "%s", chance(g, 50) ? "\"abcdef\"" : "[0, 1, 2, 3, 4]");
        put(g, ")[");
        if (chance(g, 70))
            put(g, "%d", (int)range(g, -7, 7));
        put(g, ":");
        if (chance(g, 70))
            put(g, "%d", (int)range(g, -7, 7));
        if (chance(g, 40))
            put(g, ":%d", chance(g, 10) ? 0 : (int)range(g, -3, 3));
        put(g, "]");
        break;
    }
    case 11:                   /* an index of a variable: a dict's key, a list's item */
        put_var(g);
        put(g, "[%d]", (int)range(g, -2, 3));
        break;
    case 12:
        put(g, "isinstance(");
        put_var(g);
        put(g, ", %s)", types[range(g, 0, (int)(sizeof types / sizeof types[0]) - 1)]);
        break;
    case 13: {                 /* a list or tuple made of expressions */
        bool list = chance(g, 50);
        put(g, list ? "[" : "(");
        put_expr(g, depth - 1);
        put(g, ", ");
        put_expr(g, depth - 1);
        put(g, list ? "]" : ")");
        break;
    }
    default:
        put(g, "(");
        put_expr(g, depth - 1);
        put(g, ")[%d:%d]", (int)range(g, -3, 1), (int)range(g, -1, 4));
        break;
    }
}

/* An expression: every binary operation in parentheses, so that the
 * generator need not know the precedence rules. */
static void put_expr(struct gen *g, int depth)
{
    static const char *const ops[] = { "+", "-", "*", "==", "!=", "<", "<=", ">",
                                       ">=", "and", "or", "/", "%", "//",
                                       /* issue 14's */
                                       "**", "|", "&", "^", "<<", ">>", "is", "in",
                                       "not in", "is not" };
    int r = (int)range(g, 0, 9);
    if (depth <= 0 || r < 5) {
        put_atom(g);
    } else if (r == 5) {
        put(g, chance(g, 50) ? "(not (" : "(-(");
        put_expr(g, depth - 1);
        put(g, "))");
    } else {
        int op = (int)range(g, 0, (int)(sizeof ops / sizeof ops[0]) - 1);
        put(g, "(");
        put_expr(g, depth - 1);
        put(g, " %s ", ops[op]);
        /* Divisors are non-zero literals except now and then. */
        if (op >= 11 && op <= 13 && !chance(g, 3))
            put(g, "%d", (int)range(g, 1, 7));
        else
            put_expr(g, depth - 1);
        put(g, ")");
    }
}

/* A number of ticks: mostly small, sometimes an expression (which may be
 * negative), sometimes large. */
static void put_ticks(struct gen *g, bool timer)
{
    int r = (int)range(g, 0, 99);
    if (r < 75)
        put(g, "%d", (int)range(g, 0, 6));
    else if (r < 88) {
        /* An operation, as the parser rejects a negative literal here. Its
         * value may be anything, up to 9223372036854775807 unless the
         * known bug of huge timers is left out: then it stays below 1000. */
        put(g, "(");
        put_expr(g, 2);
        put(g, timer && !(g->cases & (1u << KB_HUGE_TICKS)) ? " %% 1000)" : " + 0)");
    }
    else if (r < 96)
        put(g, "%d", (int)range(g, 7, 60));
    else if (timer && (g->cases & (1u << KB_HUGE_TICKS)))
        put(g, "9223372036854775807");
    else
        put(g, "%d", (int)range(g, 1000, 1000000));
}

/* A pid operand for kill, waitpid: a variable (often a child's pid), one
 * of the built-ins, or a literal. */
static void put_pid(struct gen *g)
{
    switch (range(g, 0, 7)) {
    case 0: case 1: put(g, "v%d", (int)range(g, 0, NVARS - 1)); break;
    case 2: put(g, "getppid()"); break;
    case 3: put(g, "getpid()"); break;
    case 4: put(g, "%d", (int)range(g, 1, g->max_pid)); break;
    case 5: put(g, "%d", -(int)range(g, 2, g->max_pid)); break;
    case 6: put(g, chance(g, 20) ? "-1" : "0"); break;
    default: put(g, "%d", (int)range(g, 2, g->max_pid)); break;
    }
}

/* A process group operand: 0 (the process's own pid), a pid or group,
 * the caller's group, or now and then a negative one, which must be in
 * parentheses (`setpgid 0 (-1)`). */
static void put_pgid(struct gen *g)
{
    switch (range(g, 0, 7)) {
    case 0: case 1: put(g, "0"); break;
    case 2: put(g, "getpgrp()"); break;
    case 3: put(g, "tcgetpgrp()"); break;
    case 4: put(g, "(-%d)", (int)range(g, 1, 3)); break;
    case 5: put(g, "getppid()"); break;
    default: put(g, "("); put_pid(g); put(g, ")"); break;
    }
}

/* ------------------------------------------------------------ statements */

static void body(struct gen *g, int n);

/* A block `{ ... }` after the line's opening words, which must be written. */
static void block(struct gen *g, int n)
{
    put(g, " {\n");
    g->indent++;
    body(g, n);
    g->indent--;
    start(g);
    put(g, "}");
}

static void st_compute(struct gen *g) { start(g); put(g, "compute "); put_ticks(g, false); put(g, "\n"); }
static void st_disk(struct gen *g) { start(g); put(g, "disk "); put_ticks(g, true); put(g, "\n"); }
static void st_yield(struct gen *g) { start(g); put(g, "yield\n"); }
static void st_pause(struct gen *g) { start(g); put(g, "pause\n"); }
static void st_subreaper(struct gen *g) { start(g); put(g, "subreaper\n"); }

static void st_sleep(struct gen *g)
{
    start(g);
    put(g, "sleep ");
    put_ticks(g, true);
    if (chance(g, 30)) {
        put(g, " -> ");
        put_var(g);
    }
    put(g, "\n");
}

static void st_alarm(struct gen *g) { start(g); put(g, "alarm "); put_ticks(g, true); put(g, "\n"); }

/* os.fork(), usually followed by the child's branch ending in exit. */
static void st_fork(struct gen *g)
{
    int v = (int)range(g, 0, NVARS - 1);
    start(g);
    put(g, "fork -> v%d\n", v);
    if (g->indent < MAX_DEPTH && chance(g, 70)) {
        start(g);
        put(g, "if v%d == 0", v);
        put(g, " {\n");
        g->indent++;
        if (chance(g, 20)) {   /* a daemon: a session of its own */
            start(g);
            put(g, "setsid%s\n", chance(g, 50) ? " -> l0" : "");
        }
        body(g, (int)range(g, 0, 3));
        start(g);
        put(g, "exit %d\n", (int)range(g, 0, 255));
        g->indent--;
        start(g);
        put(g, "}\n");
    }
    if (chance(g, 25)) {       /* a shell running it as a job */
        start(g);
        put(g, "setpgid v%d v%d\n", v, v);
        if (chance(g, 60)) {
            start(g);
            put(g, "tcsetpgrp v%d\n", v);
        }
        start(g);
        put(g, "waitpid v%d untraced%s -> v%d, v%d\n", v, chance(g, 30) ? " continued" : "",
            (int)range(g, 0, NVARS - 1), (int)range(g, 0, NVARS - 1));
        if (chance(g, 60)) {
            start(g);
            put(g, "tcsetpgrp getpgrp()\n");
        }
    }
}

static void st_fork_prog(struct gen *g)
{
    start(g);
    put(g, "fork p%d", (int)range(g, 0, g->nprogs - 1));
    if (chance(g, 15))
        put(g, " daemon");
    if (chance(g, 70))
        put(g, " -> v%d", (int)range(g, 0, NVARS - 1));
    put(g, "\n");
}

static void st_exec(struct gen *g) { start(g); put(g, "exec p%d\n", (int)range(g, 0, g->nprogs - 1)); }

static void st_exit(struct gen *g)
{
    start(g);
    put(g, chance(g, 15) ? "_exit" : "exit");   /* os._exit: no buffers flushed */
    if (chance(g, 80))
        put(g, " %d", (int)range(g, 0, 255));
    else if (chance(g, 50))
        put(g, " (%s %% 256)", chance(g, 50) ? "getpid()" : "v0");
    put(g, "\n");
}

static void wait_results(struct gen *g)
{
    if (chance(g, 60)) {
        put(g, " -> ");
        put_var(g);
        if (chance(g, 60)) {
            put(g, ", ");
            put_var(g);
        }
    }
}

static void st_wait(struct gen *g) { start(g); put(g, "wait"); wait_results(g); put(g, "\n"); }

static void st_waitpid(struct gen *g)
{
    start(g);
    put(g, "waitpid ");
    if (chance(g, 40))
        put(g, "-1");
    else
        put_pid(g);
    /* WNOHANG, WUNTRACED, WCONTINUED in any order. */
    static const char *const opt[] = { " nohang", " untraced", " continued" };
    int order = (int)range(g, 0, 5), first = order / 2;
    int rest[2] = { (first + 1) % 3, (first + 2) % 3 };
    int seq[3] = { first, rest[order % 2], rest[1 - order % 2] };
    int pct[3] = { 40, 35, 25 };
    for (int i = 0; i < 3; i++)
        if (chance(g, pct[seq[i]]))
            put(g, "%s", opt[seq[i]]);
    wait_results(g);
    put(g, "\n");
}

static void st_nice(struct gen *g)
{
    start(g);
    put(g, "nice ");
    if (chance(g, 85))
        put(g, "%d", (int)range(g, -25, 25));
    else
        put_expr(g, 1);
    put(g, "\n");
}

/* A print: strings with the escapes and characters that a table could
 * trip on ('|', quotes, UTF-8), and values. */
static void st_print(struct gen *g)
{
    static const char *const words[] = { "hello", "a|b", "\\\"q\\\"", "back\\\\slash",
        "line\\nbreak", "caf\xc3\xa9", "", "  spaced  ", "%d %s" };
    start(g);
    put(g, "print");
    int n = (int)range(g, 1, 4);
    for (int i = 0; i < n; i++) {
        if (chance(g, 50))
            put(g, " \"%s\"", words[range(g, 0, (int)(sizeof words / sizeof words[0]) - 1)]);
        else {
            put(g, " ");
            put_expr(g, 2);
        }
    }
    put(g, "\n");
}

static void st_assign(struct gen *g)
{
    static const char *const op[] = { "=", "+=", "-=" };
    int o = chance(g, 50) ? 0 : (int)range(g, 1, 2);
    start(g);
    if (o == 0 && chance(g, 30))
        put(g, "let ");
    put(g, "v%d %s ", (int)range(g, 0, NVARS - 1), op[o]);
    put_expr(g, 3);
    put(g, "\n");
}

static void st_local(struct gen *g)
{
    start(g);
    put(g, "local l%d = ", (int)range(g, 0, NLOCALS - 1));
    put_expr(g, 2);
    put(g, "\n");
}

static const char *const exc_names[] = { "Exception", "Empty", "EOFError", "OSError",
    "TypeError", "IndexError", "ValueError" };

/* try { ... } except NAME [as v] { ... } [except { ... }] */
static void st_try(struct gen *g)
{
    start(g);
    put(g, "try");
    block(g, (int)range(g, 1, 3));
    int n = (int)range(g, 1, 2);
    for (int i = 0; i < n; i++) {
        bool bare = i == n - 1 && chance(g, 30);
        put(g, " except");
        if (!bare) {
            put(g, " %s", exc_names[range(g, 0, (int)(sizeof exc_names / sizeof exc_names[0]) - 1)]);
            if (chance(g, 40))
                put(g, " as v%d", (int)range(g, 0, NVARS - 1));
        }
        block(g, (int)range(g, 1, 2));
    }
    put(g, "\n");
}

static void st_raise(struct gen *g)
{
    start(g);
    put(g, "raise %s%s\n", exc_names[range(g, 0, (int)(sizeof exc_names / sizeof exc_names[0]) - 1)],
        chance(g, 50) ? " \"why\"" : "");
}

static void st_if(struct gen *g)
{
    start(g);
    put(g, "if ");
    put_expr(g, 2);
    block(g, (int)range(g, 1, 3));
    int r = (int)range(g, 0, 2);
    if (r == 1) {
        put(g, " else");
        block(g, (int)range(g, 1, 2));
    } else if (r == 2) {
        put(g, " else if ");
        put_expr(g, 2);
        block(g, (int)range(g, 1, 2));
    }
    put(g, "\n");
}

static void st_repeat(struct gen *g)
{
    start(g);
    put(g, "repeat ");
    if (chance(g, 80))
        put(g, "%d", (int)range(g, 0, 4));
    else
        put_expr(g, 1);
    g->loop_depth++;
    block(g, (int)range(g, 1, 3));
    g->loop_depth--;
    put(g, "\n");
}

/* A while loop with its own thread-local counter, so it ends; now and then
 * an untimed endless one, which the kernel stops with an error. */
static void st_while(struct gen *g)
{
    if (chance(g, 3)) {
        start(g);
        put(g, "while 1 {\n");
        start(g);
        put(g, "  v0 = v0 + 1\n");
        start(g);
        put(g, "}\n");
        return;
    }
    int w = g->loops++;
    start(g);
    put(g, "local w%d = 0\n", w);
    start(g);
    put(g, "while w%d < %d", w, (int)range(g, 0, 4));
    put(g, " {\n");
    g->indent++;
    start(g);
    put(g, "w%d = w%d + 1\n", w, w);
    g->loop_depth++;
    body(g, (int)range(g, 1, 3));
    g->loop_depth--;
    g->indent--;
    start(g);
    put(g, "}\n");
}

static void st_signal(struct gen *g)
{
    start(g);
    put(g, "signal ");
    int sig = put_signal(g, true);
    int r = (int)range(g, 0, 9);
    if (r < 2) {
        put(g, " default\n");
    } else if (r < 4 || g->nhandlers == 0) {
        put(g, " ignore\n");
    } else {
        put(g, " h%d\n", (int)range(g, 0, g->nhandlers - 1));
        if (chance(g, 50)) {   /* and the signal comes, so the handler runs */
            start(g);
            put(g, "kill %s %d\n", chance(g, 70) ? "getpid()" : "0", sig);
        }
    }
}

static void st_kill(struct gen *g)
{
    start(g);
    put(g, "kill ");
    put_pid(g);
    put(g, " ");
    put_signal(g, false);
    put(g, "\n");
}

static void st_block(struct gen *g)
{
    start(g);
    put(g, chance(g, 60) ? "block " : "unblock ");
    put_signal(g, true);
    put(g, "\n");
}

static void st_thread(struct gen *g)
{
    start(g);
    put(g, "thread p%d", (int)range(g, 0, g->nprogs - 1));
    if (chance(g, 30))
        put(g, " daemon");
    int v = (int)range(g, 0, NVARS - 1);
    if (chance(g, 70))
        put(g, " -> v%d", v);
    put(g, "\n");
    if (chance(g, 40)) {       /* the main thread joins: signals must reach it */
        start(g);
        put(g, "join v%d\n", v);
    }
}

/* threading.Timer: a timer (kept in a variable, sometimes joined), and
 * cancel, of a timer or of whatever a variable holds (nothing happens, or
 * TypeError). */
static void st_timer(struct gen *g)
{
    int v = (int)range(g, 0, NVARS - 1);
    start(g);
    put(g, "timer %d p%d", (int)range(g, 0, 12), (int)range(g, 0, g->nprogs - 1));
    if (chance(g, 20))
        put(g, " daemon");
    if (chance(g, 80))
        put(g, " -> v%d", v);
    put(g, "\n");
    if (chance(g, 50)) {
        if (chance(g, 50)) {
            start(g);
            put(g, "compute %d\n", (int)range(g, 0, 6));
        }
        start(g);
        put(g, "cancel v%d\n", v);
    }
    if (chance(g, 30)) {
        start(g);
        put(g, "join v%d\n", v);
    }
}

static void st_cancel(struct gen *g)
{
    start(g);
    put(g, "cancel v%d\n", (int)range(g, 0, NVARS - 1));
}

/* A call of a later program (p3 may call p4), so there is no recursion;
 * a handler may call any (the one it interrupts, too: a runtime error). */
static void st_call(struct gen *g)
{
    if (g->cur >= g->nprogs - 1)
        return;
    start(g);
    put(g, "call p%d", (int)range(g, g->cur + 1, g->nprogs - 1));
    if (chance(g, 60))
        put(g, " -> v%d", (int)range(g, 0, NVARS - 1));
    put(g, "\n");
}

/* Pools and executors (issue 12): make one (or a `with` block), submit
 * calls of a later program (the generated programs take no parameters, so
 * a map's calls raise TypeError in the workers: the failing-task path),
 * wait on a handle, and close/join/terminate/shutdown it, all in the
 * process that made it. */
static void st_pool(struct gen *g)
{
    static const char *const kinds[] = { "pool", "threadpool", "processpool" };
    static const char *const names[] = { "pl", "tx", "px" };
    if (g->cur < 0 || g->cur >= g->nprogs - 1)
        return;
    int k = (int)range(g, 0, 2);
    const char *n = names[k];
    int f = (int)range(g, g->cur + 1, g->nprogs - 1);
    int v = (int)range(g, 0, NVARS - 1);
    bool with = chance(g, 25);
    start(g);
    put(g, "%s%s %s", with ? "with " : "", kinds[k], n);
    if (chance(g, 80))
        put(g, " %d", (int)range(g, chance(g, 5) ? 0 : 1, 4));
    if (k == 0 && chance(g, 25))
        put(g, " maxtasksperchild=%d", (int)range(g, 1, 3));
    put(g, with ? " {\n" : "\n");
    if (with)
        g->indent++;
    int nsub = (int)range(g, 1, 4);
    for (int i = 0; i < nsub; i++) {
        start(g);
        if (k == 0 && chance(g, 10)) {
            put(g, "%s.%s p%d [1, 2]%s -> v%d\n", n, chance(g, 50) ? "imap" : "imap_unordered",
                f, chance(g, 30) ? " chunksize=2" : "", v);
            start(g);
            put(g, "v%d.next%s\n", v, chance(g, 50) ? " timeout=5" : "");
        } else if (chance(g, 20))
            put(g, "%s.map p%d [1, 2, 3]%s -> v%d\n", n, f,
                chance(g, 30) ? " chunksize=2" : "", v);
        else
            put(g, "%s.%s p%d -> v%d\n", n, k == 0 ? (chance(g, 20) ? "apply" : "apply_async")
                                             : "submit", f, v);
    }
    if (chance(g, 60)) {
        start(g);
        bool cancel = k != 0 && chance(g, 30);
        if (k == 0)
            put(g, "v%d.%s", v, chance(g, 70) ? "get" : "wait");
        else
            put(g, "v%d.%s", v, cancel ? "cancel" : "result");
        if (!cancel && chance(g, 50))
            put(g, " timeout=%d", (int)range(g, 0, 10));
        put(g, "\n");
    }
    if (with) {
        g->indent--;
        start(g);
        put(g, "}\n");
        return;
    }
    start(g);
    if (k != 0)
        put(g, "%s.shutdown%s\n", n, chance(g, 30) ? " wait=False" : "");
    else if (chance(g, 30))
        put(g, "%s.terminate\n", n);
    else
        put(g, "%s.close\n", n);
    if (k == 0 && chance(g, 70)) {
        start(g);
        put(g, "%s.join\n", n);
    }
}

static void st_join(struct gen *g)
{
    start(g);
    put(g, "join ");
    if (chance(g, 85))
        put(g, "v%d", (int)range(g, 0, NVARS - 1));
    else
        put_pid(g);
    if (chance(g, 40))
        put(g, " timeout=%d", (int)range(g, 0, 12));
    put(g, "\n");
}

/* The Process object: is_alive/exitcode (asking reaps a zombie child), and
 * terminate. */
static void st_process(struct gen *g)
{
    int v = (int)range(g, 0, NVARS - 1);
    start(g);
    if (chance(g, 30))
        put(g, "terminate v%d\n", v);
    else
        put(g, "print is_alive(v%d) exitcode(v%d)\n", v, v);
}

/* An item update (sometimes out of range: IndexError), or one inside the
 * array's own lock. */
static void st_array(struct gen *g)
{
    static const char *const op[] = { "=", "+=", "-=" };
    char name[32];
    snprintf(name, sizeof name, "arr%d", pick_obj(g, K_ARRAY));
    bool locked = chance(g, 40);
    if (locked) {
        start(g);
        put(g, "%s.acquire\n", name);
    }
    start(g);
    put(g, "%s[%d] %s ", name, chance(g, 95) ? (int)range(g, -1, 1) : (int)range(g, -9, 9),
        op[range(g, 0, 2)]);
    put_expr(g, 1);
    put(g, "\n");
    if (locked) {
        start(g);
        put(g, "%s.release\n", name);
    }
}

/* A timed or non-blocking acquire of a lock or semaphore, whose result
 * says whether to release it. */
static void timed_acquire(struct gen *g, enum obj_kind k)
{
    char name[32];
    int v = (int)range(g, 0, NVARS - 1);
    snprintf(name, sizeof name, "%s%d", obj_prefix[k], pick_obj(g, k));
    start(g);
    if (chance(g, 30))
        put(g, "%s.acquire nowait -> v%d\n", name, v);
    else
        put(g, "%s.acquire timeout=%d -> v%d\n", name, (int)range(g, 0, 8), v);
    start(g);
    put(g, "if v%d {\n", v);
    g->indent++;
    body(g, (int)range(g, 0, 1));
    start(g);
    put(g, "%s.release\n", name);
    g->indent--;
    start(g);
    put(g, "}\n");
}

static void st_shared(struct gen *g)
{
    static const char *const op[] = { "=", "+=", "-=" };
    start(g);
    put_obj(g, K_SHARED);
    put(g, " %s ", op[range(g, 0, 2)]);
    put_expr(g, 2);
    put(g, "\n");
}

/* acquire ... release around a few statements; an rlock sometimes twice;
 * rarely a lone acquire or release (a deadlock or a runtime error). */
static void lock_section(struct gen *g, enum obj_kind k)
{
    char name[32];
    snprintf(name, sizeof name, "%s%d", obj_prefix[k], pick_obj(g, k));
    start(g);
    put(g, "%s", name);
    int r = (int)range(g, 0, 19);
    if (r == 0) {
        put(g, ".release\n");
        return;
    }
    put(g, ".acquire\n");
    if (r == 1)
        return;
    bool twice = k == K_RLOCK && chance(g, 40);
    if (twice) {
        start(g);
        put(g, "%s.acquire\n", name);
    }
    body(g, (int)range(g, 0, 2));
    if (twice) {
        start(g);
        put(g, "%s.release\n", name);
    }
    start(g);
    put(g, "%s.release\n", name);
}

/* A pipe end by name (a top-level pipe) or by a variable holding an fd
 * (maybe not one: then the operation raises). */
static void put_pipe_end(struct gen *g)
{
    int i = (int)range(g, 0, g->npipes > 0 ? g->npipes - 1 : 0);
    if (g->npipes == 0 || chance(g, 20))
        put(g, "v%d", (int)range(g, 0, NVARS - 1));
    else if (g->pipe_pair[i])
        put(g, "c%c%d", chance(g, 50) ? 'a' : 'b', i);
    else
        put(g, "c%d", i);
}

/* send, recv, close or poll() on an end; recv often inside try, as
 * programs that read until EOFError are written. */
static void st_pipe(struct gen *g)
{
    int r = (int)range(g, 0, 9);
    start(g);
    if (r < 4) {
        put_pipe_end(g);
        put(g, ".send ");
        if (chance(g, 50))
            put_value(g);
        else if (chance(g, 10))
            put(g, "\"x\" * %d", (int)range(g, 100, 9000));
        else
            put_expr(g, 2);
        put(g, "\n");
    } else if (r < 7) {
        bool guarded = chance(g, 50);
        if (guarded)
            put(g, "try {\n  ");
        if (guarded)
            start(g);
        put_pipe_end(g);
        put(g, ".recv");
        if (chance(g, 60)) {
            put(g, " -> ");
            put_var(g);
        }
        put(g, "\n");
        if (guarded) {
            start(g);
            put(g, "} except %s {\n", chance(g, 50) ? "EOFError" : "OSError as v3");
            start(g);
            put(g, "}\n");
        }
    } else if (r < 9) {
        put_pipe_end(g);
        put(g, ".close\n");
    } else {
        put(g, "print ");
        put_pipe_end(g);
        put(g, ".poll()\n");
    }
}

/* os.pipe() / Pipe(): new fds in two process variables. */
static void st_pipe_new(struct gen *g)
{
    int a = (int)range(g, 0, NVARS - 1), b = (a + 1) % NVARS;
    start(g);
    put(g, "pipe -> v%d, v%d%s\n", a, b, chance(g, 30) ? " simplex" : chance(g, 30) ? " duplex" : "");
}

static void st_lock(struct gen *g)
{
    if (chance(g, 25))
        timed_acquire(g, K_LOCK);
    else
        lock_section(g, K_LOCK);
}
static void st_rlock(struct gen *g) { lock_section(g, K_RLOCK); }
static void st_sem(struct gen *g)
{
    if (chance(g, 25))
        timed_acquire(g, K_SEM);
    else
        lock_section(g, K_SEM);
}

static void st_event(struct gen *g)
{
    static const char *const m[] = { "set", "clear", "wait" };
    start(g);
    put_obj(g, K_EVENT);
    int i = (int)range(g, 0, 2);
    put(g, ".%s", m[i]);
    if (i == 2 && chance(g, 40))
        put(g, " timeout=%d", (int)range(g, 0, 10));
    put(g, "\n");
}

/* A queue's put or get, blocking, nowait or with a timeout, often inside a
 * try that catches its Full/Empty; or a query printed. */
static void queue_op(struct gen *g, enum obj_kind k)
{
    static const char *const items[] = { "1", "\"job\"", "(v0, \"x\")", "[1, 2]",
                                         "\"x\" * 5000", "None" };
    int what = (int)range(g, 0, 9);
    bool caught = chance(g, 60);
    const char *exc = what < 5 ? "Full" : "Empty";
    if (what == 9) {
        start(g);
        put(g, "print ");
        put_obj(g, k);
        put(g, ".empty() ");
        put_obj(g, k);
        put(g, ".full() ");
        put_obj(g, k);
        put(g, ".qsize()\n");
        return;
    }
    if (caught) {
        start(g);
        put(g, "try {\n");
        g->indent++;
    }
    start(g);
    put_obj(g, k);
    if (what < 5) {
        put(g, ".put ");
        if (chance(g, 50))
            put_expr(g, 1);
        else
            put(g, "%s", items[range(g, 0, 5)]);
    } else {
        put(g, ".get");
        if (chance(g, 50)) {
            put(g, " -> ");
            put_var(g);
        }
    }
    int opt = (int)range(g, 0, 3);
    if (opt == 1)
        put(g, " nowait");
    else if (opt == 2)
        put(g, " timeout=%d", (int)range(g, 0, 30));
    put(g, "\n");
    if (caught) {
        g->indent--;
        start(g);
        put(g, "} except %s {\n", chance(g, 80) ? exc : "Exception");
        g->indent++;
        body(g, (int)range(g, 0, 1));
        g->indent--;
        start(g);
        put(g, "}\n");
    }
}

static void st_queue(struct gen *g)
{
    if (chance(g, 5)) {        /* this process's side of the queue closes */
        start(g);
        put_obj(g, K_QUEUE);
        put(g, ".close\n");
        return;
    }
    queue_op(g, K_QUEUE);
}

/* A JoinableQueue (or a thread queue) also counts tasks: task_done, caught
 * when called too often, and join. */
static void joinable_op(struct gen *g, enum obj_kind k)
{
    int what = (int)range(g, 0, 5);
    if (what < 4) {
        queue_op(g, k);
    } else if (what == 4) {
        start(g);
        put(g, "try {\n");
        start(g);
        put(g, "  ");
        put_obj(g, k);
        put(g, ".task_done\n");
        start(g);
        put(g, "} except ValueError {\n");
        start(g);
        put(g, "}\n");
    } else {
        start(g);
        put_obj(g, k);
        put(g, ".join\n");
    }
}

static void st_jqueue(struct gen *g) { joinable_op(g, K_JQUEUE); }
/* Thread queues belong to one process: used from another it is a runtime
 * error, so they are rare. */
static void st_tqueue(struct gen *g) { joinable_op(g, K_TQUEUE); }

/* `let v = 1 + 1 + ...` with up to 50,000 terms (known bug KB_LONG_CHAINS:
 * the evaluator's recursion overflowed the stack; a parser may reject such
 * a chain as too long instead). */
static void st_long_chain(struct gen *g)
{
    static const char *const ops[] = { " + ", " - ", " * ", " and ", " or " };
    static const int terms[] = { 900, 50000 };
    const char *op = ops[range(g, 0, 4)];
    int n = terms[range(g, 0, 1)];
    start(g);
    put(g, "let v0 = 1");
    for (int i = 1; i < n; i++)
        put(g, "%s1", op);
    put(g, "\n");
}

/* `-> VAR` for a job-control call, which returns 0 or minus the errno. */
static void job_result(struct gen *g)
{
    if (chance(g, 50)) {
        put(g, " -> ");
        put_var(g);
    }
    put(g, "\n");
}

/* os.setpgid: itself or a child (often the one just forked) into its own
 * new group, the caller's group, or one that may not exist. */
static void st_setpgid(struct gen *g)
{
    start(g);
    put(g, "setpgid ");
    if (chance(g, 30))
        put(g, "0");
    else
        put_pid(g);
    put(g, " ");
    put_pgid(g);
    job_result(g);
}

static void st_tcsetpgrp(struct gen *g)
{
    start(g);
    put(g, "tcsetpgrp ");
    put_pgid(g);
    job_result(g);
}

static void st_setsid(struct gen *g) { start(g); put(g, "setsid"); job_result(g); }

/* ------------------------------------------------------------ issue 14's statements */

/* One or two arguments for a def d%d(a0, a1=...). */
static void def_args(struct gen *g)
{
    put(g, "(");
    put_expr(g, 1);
    if (chance(g, 50)) {
        put(g, ", ");
        put_expr(g, 1);
    }
    put(g, ")");
}

/* A def called, forked or run in a thread: by name, or through a function
 * value (`@F ARGS`: fn(NAME), a variable that may hold anything, or an
 * expression), with arguments that may not fit (TypeError at run time).
 * Only later defs by name, so recursion is the recursive def's own. */
static void st_def_call(struct gen *g)
{
    static const char *const how[] = { "call", "call", "call", "fork", "thread" };
    const char *w = how[range(g, 0, 4)];
    int v = (int)range(g, 0, NVARS - 1);
    if (g->ndefs == 0)
        return;
    start(g);
    put(g, "%s ", w);
    if (chance(g, 60)) {
        int lo = g->cur_def >= 0 ? g->cur_def + 1 : 0;
        if (lo >= g->ndefs) {
            put(g, "@fn(d%d) (1,)", (int)range(g, 0, g->ndefs - 1));
        } else {
            put(g, "d%d", (int)range(g, lo, g->ndefs - 1));
            def_args(g);
        }
    } else {
        put(g, "@");
        int r = (int)range(g, 0, 3);
        if (r == 0)
            put(g, "v%d", (int)range(g, 0, NVARS - 1));
        else if (r == 1) {
            put(g, "(");
            put_fn(g);
            put(g, ")");
        } else
            put_fn(g);
        put(g, " ");
        int n = (int)range(g, 0, 3);
        if (chance(g, 8))
            put_var(g);                        /* maybe not a tuple: TypeError */
        else {
            bool tuple = chance(g, 50);
            put(g, tuple ? "(" : "[");
            for (int i = 0; i < n; i++) {
                put(g, "%s", i ? ", " : "");
                put_expr(g, 1);
            }
            put(g, "%s", tuple ? (n == 1 ? ",)" : ")") : "]");
        }
    }
    if (strcmp(w, "call") && chance(g, 20))
        put(g, " daemon");
    if (chance(g, 70))
        put(g, " -> v%d", v);
    put(g, "\n");
    if (!strcmp(w, "thread") && chance(g, 40)) {
        start(g);
        put(g, "join v%d\n", v);
    }
}

static void st_fn_value(struct gen *g)
{
    start(g);
    put(g, "v%d = ", (int)range(g, 0, NVARS - 1));
    put_fn(g);
    put(g, "\n");
}

/* return EXPR in a program or def (a handler's is not written). */
static void st_return(struct gen *g)
{
    if (g->cur < 0 && g->cur_def < 0)
        return;
    start(g);
    put(g, "return");
    if (chance(g, 70)) {
        put(g, " ");
        put_expr(g, 2);
    }
    put(g, "\n");
}

/* for V in range(...) / a list / a dict / a string, with break and continue
 * now and then in its body. */
static void st_for(struct gen *g)
{
    start(g);
    put(g, "for ");
    int r = (int)range(g, 0, 5);
    if (r == 5) {
        put_var(g);
        put(g, ", ");
        put_var(g);
        put(g, " in %s", chance(g, 50) ? "[(1, 2), (3, 4)]" : "enumerate(\"ab\")");
    } else {
        put_var(g);
        put(g, " in ");
        if (r <= 1) {
            put(g, "range(%d", (int)range(g, -2, 4));
            if (chance(g, 60))
                put(g, ", %d", (int)range(g, -2, 6));
            if (chance(g, 30))
                put(g, ", %d", chance(g, 5) ? 0 : (int)range(g, -3, 3));
            put(g, ")");
        } else if (r == 2) {
            put(g, "range(");
            put_expr(g, 1);
            put(g, ")");
        } else
            put_expr(g, 2);
    }
    g->loop_depth++;
    block(g, (int)range(g, 1, 3));
    g->loop_depth--;
    put(g, "\n");
}

static void st_break(struct gen *g)
{
    if (g->loop_depth == 0)
        return;
    start(g);
    if (chance(g, 50)) {
        put(g, "if ");
        put_expr(g, 1);
        put(g, " {\n");
        start(g);
        put(g, "  %s\n", chance(g, 50) ? "break" : "continue");
        start(g);
        put(g, "}\n");
    } else
        put(g, "%s\n", chance(g, 50) ? "break" : "continue");
}

/* print as Python's: sep=, end=, flush=, file=stderr. */
static void st_print_py(struct gen *g)
{
    start(g);
    put(g, "print");
    for (int i = 0, n = (int)range(g, 0, 3); i < n; i++) {
        put(g, " ");
        put_expr(g, 2);
    }
    if (chance(g, 40))
        put(g, " sep=%s", chance(g, 20) ? "None" : chance(g, 50) ? "\"\"" : "\", \"");
    if (chance(g, 40))
        put(g, " end=%s", chance(g, 20) ? "None" : chance(g, 50) ? "\"\"" : "\"|\\n\"");
    if (chance(g, 10))
        put(g, " flush=True");
    if (chance(g, 35))
        put(g, " file=%s", chance(g, 80) ? "stderr" : "stdout");
    put(g, "\n");
}

static const char *const py_exc_names[] = { "KeyError", "ZeroDivisionError", "AttributeError",
    "RecursionError", "SystemExit", "RuntimeError", "LookupError", "ArithmeticError",
    "NameError", "NotImplementedError", "BaseException", "KeyboardInterrupt", "TimeoutError",
    "BrokenPipeError", "StopIteration", "ChildProcessError", "ProcessLookupError",
    "MemoryError", "AssertionError", "CancelledError", "PoolTimeoutError", "InterruptedError" };
#define NPYEXC (int)(sizeof py_exc_names / sizeof py_exc_names[0])

/* raise with a run-time message, SystemExit's codes, a bare raise; try
 * with the new names, whose handler re-raises or reads exc_name(). */
static void st_raise_py(struct gen *g)
{
    start(g);
    int r = (int)range(g, 0, 5);
    if (r == 0) {
        put(g, "raise\n");
    } else if (r == 1) {
        static const char *const code[] = { "", " 0", " 3", " None", " \"bye\"", " 256", " -1" };
        put(g, "raise SystemExit%s\n", code[range(g, 0, 6)]);
    } else {
        put(g, "raise %s", py_exc_names[range(g, 0, NPYEXC - 1)]);
        if (chance(g, 60)) {
            put(g, " ");
            put_expr(g, 1);
        }
        put(g, "\n");
    }
}

static void st_try_py(struct gen *g)
{
    start(g);
    put(g, "try");
    block(g, (int)range(g, 1, 3));
    for (int i = 0, n = (int)range(g, 1, 3); i < n; i++) {
        put(g, " except %s", py_exc_names[range(g, 0, NPYEXC - 1)]);
        if (chance(g, 40))
            put(g, " as v%d", (int)range(g, 0, NVARS - 1));
        put(g, " {\n");
        g->indent++;
        if (chance(g, 40)) {
            start(g);
            put(g, "print exc_name()\n");
        }
        body(g, (int)range(g, 0, 1));
        if (chance(g, 25)) {
            start(g);
            put(g, "raise\n");
        }
        g->indent--;
        start(g);
        put(g, "}");
    }
    put(g, "\n");
}

/* new KIND ARGS -> V: an object made at run time, held in a variable. */
static void st_new(struct gen *g)
{
    int k = (int)range(g, 0, 8);
    start(g);
    put(g, "new %s", obj_kinds_new[k]);
    switch (k) {
    case 0: case 1:
        if (chance(g, 50))
            put(g, " %d", (int)range(g, 0, 3));
        break;
    case 2:
        if (chance(g, 50))
            put(g, " %d%s", (int)range(g, 0, 3), chance(g, 50) ? " lifo" : " priority");
        break;
    case 6: put(g, " %d", (int)range(g, 0, 2)); break;
    case 7: put(g, " %d", (int)range(g, -3, 9)); break;
    case 8:
        if (chance(g, 50))
            put(g, " %d", (int)range(g, 1, 4));
        else
            put(g, " [%d, %d]", (int)range(g, -3, 3), (int)range(g, -3, 3));
        break;
    default: break;
    }
    if (chance(g, 20))
        put(g, " \"made%d\"", (int)range(g, 0, 2));
    put(g, " -> v%d\n", (int)range(g, 0, NVARS - 1));
}

/* What a variable holding an object (or anything: then AttributeError or
 * a pool's result) is asked: statements on V, invoke, with, stores. */
static void st_objvar(struct gen *g)
{
    static const char *const inv[] = { "put(1)", "put(\"x\", True, 0.5)", "get(False)",
        "get(True, 0.01)", "put_nowait(2)", "get_nowait()", "acquire(False)",
        "acquire(True, 0.002)", "release()", "wait(0)", "wait(0.003)", "set()", "clear()",
        "is_set()", "locked()", "qsize()", "empty()", "full()", "task_done()", "join()",
        "close()", "get_lock()", "m(2)", "append(3)", "get(\"a\")", "upper()", "keys()",
        "nosuch()", "result(0)", "ready()", "done()", "cancel()" };
    int v = (int)range(g, 0, NVARS - 1);
    int r = (int)range(g, 0, 9);
    start(g);
    switch (r) {
    case 0:
        put(g, "v%d.put ", v);
        put_expr(g, 1);
        if (chance(g, 40))
            put(g, chance(g, 50) ? " nowait" : " timeout=%d", (int)range(g, 0, 4));
        put(g, "\n");
        break;
    case 1:
        put(g, "v%d.get%s", v, chance(g, 50) ? " nowait" : " timeout=3");
        if (chance(g, 50))
            put(g, " -> v%d", (int)range(g, 0, NVARS - 1));
        put(g, "\n");
        break;
    case 2:
        put(g, "v%d.acquire%s -> v%d\n", v, chance(g, 50) ? " nowait" : " timeout=2",
            (int)range(g, 0, NVARS - 1));
        break;
    case 3: {
        static const char *const m[] = { "release", "set", "clear", "task_done" };
        put(g, "v%d.%s\n", v, m[range(g, 0, 3)]);
        break;
    }
    case 4:
        put(g, "v%d.wait timeout=%d%s\n", v, (int)range(g, 0, 4),
            chance(g, 50) ? " -> v0" : "");
        break;
    case 5: case 6:
        put(g, "invoke ");
        if (chance(g, 80))
            put(g, "v%d", v);
        else
            put(g, "(v%d)[0]", v);
        put(g, ".%s", inv[range(g, 0, (int)(sizeof inv / sizeof inv[0]) - 1)]);
        if (chance(g, 50))
            put(g, " -> v%d", (int)range(g, 0, NVARS - 1));
        put(g, "\n");
        break;
    case 7:
        put(g, "v%d.value %s ", v, chance(g, 50) ? "=" : "+=");
        put_expr(g, 1);
        put(g, "\n");
        break;
    default:
        if (g->indent >= MAX_DEPTH) {
            put(g, "print v%d\n", v);
            break;
        }
        put(g, "with ");
        int lockish = -1;
        for (int i = 0; i < g->nobjs; i++)
            if (g->obj[i] == K_LOCK || g->obj[i] == K_RLOCK || g->obj[i] == K_SEM)
                lockish = i;
        if (lockish >= 0 && chance(g, 30))
            put(g, "%s%d", obj_prefix[g->obj[lockish]], lockish);
        else if (chance(g, 70))
            put(g, "v%d", v);
        else if (g->nobjs && chance(g, 50)) {
            int i = (int)range(g, 0, g->nobjs - 1);
            put(g, "(ref(%s%d))", obj_prefix[g->obj[i]], i);
        } else
            put(g, "(v%d)", v);
        block(g, (int)range(g, 0, 2));
        put(g, "\n");
        break;
    }
}

/* Stores into values: X[K] = E, X.attr = E, augmented forms, del, eval,
 * and a fresh list, dict or instance in a variable to store into. */
static void st_store(struct gen *g)
{
    static const char *const aug[] = { "=", "+=", "-=", "*=", "//=", "**=", "^=", "|=", "&=",
                                       "<<=", ">>=" };
    static const char *const fresh[] = { "[]", "[1, 2, 3]", "{}", "{\"a\": [1]}",
                                         "new(\"C\")", "new(\"D\")", "{1: {2: 3}}" };
    int v = (int)range(g, 0, NVARS - 1);
    int r = (int)range(g, 0, 7);
    start(g);
    switch (r) {
    case 0:
        put(g, "v%d = %s\n", v, fresh[range(g, 0, (int)(sizeof fresh / sizeof fresh[0]) - 1)]);
        break;
    case 1: case 2:
        put(g, "v%d[", v);
        if (chance(g, 50))
            put(g, "%d", (int)range(g, -2, 3));
        else
            put_expr(g, 1);
        put(g, "]%s %s ", chance(g, 15) ? "[0]" : "",
            aug[chance(g, 60) ? 0 : range(g, 1, (int)(sizeof aug / sizeof aug[0]) - 1)]);
        put_expr(g, 1);
        put(g, "\n");
        break;
    case 3:
        put(g, "v%d.%s %s ", v, chance(g, 50) ? "x" : "y",
            aug[chance(g, 60) ? 0 : range(g, 1, (int)(sizeof aug / sizeof aug[0]) - 1)]);
        put_expr(g, 1);
        put(g, "\n");
        break;
    case 4:
        put(g, "del v%d[", v);
        put_expr(g, 1);
        put(g, "]\n");
        break;
    case 5:                    /* unpacking (ValueError when it does not fit) */
        if (chance(g, 30))
            put(g, "local l0, l1 = ");
        else
            put(g, "%sv%d, v%d = ", chance(g, 30) ? "let " : "", v, (v + 1) % NVARS);
        put_expr(g, 2);
        put(g, "\n");
        break;
    default:
        put(g, "eval ");
        put_pyvalue(g, 2);
        put(g, "\n");
        break;
    }
}

/* ------------------------------------------------------------ the table */

/* gevent and asyncio (issue 13): greenlets and tasks in this thread running
 * the programs, their sleeps, joins and awaits (of whatever a variable holds: a greenlet, or a
 * TypeError), and monkey-patching (sleep and pipe calls then switch). */
static void st_gevent(struct gen *g)
{
    int v = (int)range(g, 0, NVARS - 1);
    start(g);
    switch (range(g, 0, 8)) {
    case 0:
    case 1:
        put(g, "%s p%d -> v%d\n", chance(g, 30) ? "asyncio.create_task" : "gevent.spawn",
            (int)range(g, 0, g->nprogs - 1), v);
        break;
    case 6:
        put(g, "await v%d%s\n", v, chance(g, 50) ? " -> v0" : "");
        break;
    case 7:
        put(g, "await asyncio.gather [v%d, v%d]\n", v, (int)range(g, 0, NVARS - 1));
        break;
    case 2:
        put(g, "gevent.sleep ");
        put_ticks(g, true);
        put(g, "\n");
        break;
    case 3:
        put(g, "v%d.join%s\n", v, chance(g, 40) ? " timeout=3" : "");
        break;
    case 4:
        put(g, "gevent.joinall [v%d, v%d]%s\n", v, (int)range(g, 0, NVARS - 1),
            chance(g, 30) ? " timeout=5" : "");
        break;
    default:
        put(g, "monkey.patch_all\n");
    }
}

enum need {
    N_BLOCK = 1 << 0,          /* room for one more nested block */
    N_SHARED = 1 << 1,         /* an object of that kind is declared */
    N_LOCK = 1 << 2,
    N_RLOCK = 1 << 3,
    N_SEM = 1 << 4,
    N_EVENT = 1 << 5,
    N_QUEUE = 1 << 6,
    N_JQUEUE = 1 << 7,
    N_TQUEUE = 1 << 8,
    N_ARRAY = 1 << 9,
    N_PIPE = 1 << 10,          /* a top-level pipe is declared */
};

struct stmt {
    const char *name;
    int weight;
    unsigned needs;            /* enum need */
    void (*write)(struct gen *g);
};

static const struct stmt stmts[] = {
    { "compute", 12, 0, st_compute },
    { "sleep", 6, 0, st_sleep },
    { "disk", 4, 0, st_disk },
    { "fork", 4, 0, st_fork },
    { "fork PROGRAM", 4, 0, st_fork_prog },
    { "exec", 1, 0, st_exec },
    { "exit", 2, 0, st_exit },
    { "wait", 4, 0, st_wait },
    { "waitpid", 3, 0, st_waitpid },
    { "nice", 2, 0, st_nice },
    { "yield", 2, 0, st_yield },
    { "print", 4, 0, st_print },
    { "assign", 5, 0, st_assign },
    { "local", 1, 0, st_local },
    { "if", 3, N_BLOCK, st_if },
    { "repeat", 3, N_BLOCK, st_repeat },
    { "while", 2, N_BLOCK, st_while },
    { "signal", 4, 0, st_signal },
    { "kill", 4, 0, st_kill },
    { "alarm", 2, 0, st_alarm },
    { "pause", 1, 0, st_pause },
    { "block", 2, 0, st_block },
    { "subreaper", 1, 0, st_subreaper },
    { "thread", 4, 0, st_thread },
    { "join", 2, 0, st_join },
    { "timer", 2, 0, st_timer },
    { "cancel", 1, 0, st_cancel },
    { "call", 2, 0, st_call },
    { "pool", 2, 0, st_pool },
    { "process", 2, 0, st_process },
    { "array", 3, N_ARRAY, st_array },
    { "shared", 4, N_SHARED, st_shared },
    { "lock", 4, N_LOCK | N_BLOCK, st_lock },
    { "rlock", 3, N_RLOCK | N_BLOCK, st_rlock },
    { "semaphore", 3, N_SEM | N_BLOCK, st_sem },
    { "event", 3, N_EVENT, st_event },
    { "queue", 5, N_QUEUE | N_BLOCK, st_queue },
    { "joinablequeue", 4, N_JQUEUE | N_BLOCK, st_jqueue },
    { "threadqueue", 1, N_TQUEUE | N_BLOCK, st_tqueue },
    { "setpgid", 3, 0, st_setpgid },
    { "tcsetpgrp", 2, 0, st_tcsetpgrp },
    { "setsid", 1, 0, st_setsid },
    { "try", 3, N_BLOCK, st_try },
    { "raise", 1, 0, st_raise },
    { "pipe", 5, N_PIPE, st_pipe },
    { "pipe ->", 1, 0, st_pipe_new },
    { "gevent", 3, 0, st_gevent },
    /* issue 14 */
    { "def call", 5, 0, st_def_call },
    { "fn value", 1, 0, st_fn_value },
    { "return", 1, 0, st_return },
    { "for", 3, N_BLOCK, st_for },
    { "break/continue", 2, 0, st_break },
    { "print sep end file", 2, 0, st_print_py },
    { "raise (Python's)", 1, 0, st_raise_py },
    { "try (Python's)", 2, N_BLOCK, st_try_py },
    { "new", 3, 0, st_new },
    { "object variable", 5, 0, st_objvar },
    { "store", 4, 0, st_store },
};
#define NSTMTS (int)(sizeof stmts / sizeof stmts[0])

static unsigned available(const struct gen *g)
{
    unsigned have = 0;
    if (g->indent < MAX_DEPTH)
        have |= N_BLOCK;
    if (has_obj(g, K_SHARED))
        have |= N_SHARED;
    if (has_obj(g, K_LOCK))
        have |= N_LOCK;
    if (has_obj(g, K_RLOCK))
        have |= N_RLOCK;
    if (has_obj(g, K_SEM))
        have |= N_SEM;
    if (has_obj(g, K_EVENT))
        have |= N_EVENT;
    if (has_obj(g, K_QUEUE))
        have |= N_QUEUE;
    if (has_obj(g, K_JQUEUE))
        have |= N_JQUEUE;
    if (has_obj(g, K_TQUEUE))
        have |= N_TQUEUE;
    if (has_obj(g, K_ARRAY))
        have |= N_ARRAY;
    if (g->npipes)
        have |= N_PIPE;
    return have;
}

/* One statement, chosen by weight among those whose needs are met. */
static void statement(struct gen *g)
{
    unsigned have = available(g);
    int total = 0;
    for (int i = 0; i < NSTMTS; i++)
        if ((stmts[i].needs & have) == stmts[i].needs)
            total += stmts[i].weight;
    int r = (int)range(g, 0, total - 1);
    for (int i = 0; i < NSTMTS; i++) {
        if ((stmts[i].needs & have) != stmts[i].needs)
            continue;
        if (r < stmts[i].weight) {
            stmts[i].write(g);
            return;
        }
        r -= stmts[i].weight;
    }
}

/* Up to n statements, within what is left of the body's budget. */
static void body(struct gen *g, int n)
{
    for (int i = 0; i < n && g->budget > 0; i++) {
        g->budget--;
        statement(g);
    }
}

/* ------------------------------------------------------------ top level */

static void config(struct gen *g)
{
    static const char *const policy[] = { "cfs", "rr", "fifo" };
    put(g, "config ticks=%d", (int)range(g, 20, 400));
    if (chance(g, 60))
        put(g, " cpus=%d", chance(g, 15) ? 8 : (int)range(g, 1, 4));
    if (chance(g, 60))
        put(g, " policy=%s", policy[range(g, 0, 2)]);
    if (chance(g, 15))
        put(g, " preempt=off");
    if (chance(g, 30))
        put(g, " gil=on switch_interval=%d", (int)range(g, 1, 8));
    put(g, "\n");
    if (chance(g, 30))
        put(g, "config slice=%d latency=%d min_granularity=%d wakeup_granularity=%d\n",
            (int)range(g, 1, 6), (int)range(g, 1, 20), (int)range(g, 1, 4),
            (int)range(g, 1, 4));
    if (chance(g, 50))
        put(g, "config max_procs=%d\n", (int)range(g, 2, 40));
    /* A small pid_max makes pids and tids wrap around and be reused. */
    if (chance(g, 35)) {
        g->max_pid = (int)range(g, 3, 24);
        put(g, "config pid_max=%d\n", g->max_pid);
    }
    if (chance(g, 25))         /* CPython's retry after a handler, or C's EINTR */
        put(g, "config eintr=%s\n", chance(g, 60) ? "retry" : "return");
    if (chance(g, 30))
        put(g, "config seed=%llu tick=%d%s\n", (unsigned long long)range(g, 0, 1000000),
            (int)range(g, 1, 20), chance(g, 50) ? "us" : "ms");
    /* what fork, exec, thread creation and exit cost: ticks, or durations
     * that the tick above turns into ticks */
    static const char *const cost[] = { "fork_cost", "exec_cost", "thread_cost", "exit_cost" };
    static const char *const unit[] = { "", "ns", "us", "ms" };
    for (int k = 0; k < 4; k++)
        if (chance(g, 12))
            put(g, "config %s=%d%s\n", cost[k], (int)range(g, 1, 6), unit[range(g, 0, 3)]);
    /* issue 14: Python mode (CPython's rules), time per statement, and the
     * first pid handed out. A statement costs at least 1us here, as an
     * endless loop at 26ns a statement runs 38,000 statements a tick. */
    static const char *const stmt_cost[] = { "0", "1us", "5us", "100us", "1ms", "26ns" };
    if (chance(g, 15))
        put(g, "config python=on\n");
    if (chance(g, 20) || strstr(g->buf, "python=on"))
        put(g, "config stmt_cost=%s\n", stmt_cost[range(g, 0, 5)]);
    if (chance(g, 10)) {
        int first = chance(g, 50) ? (int)range(g, 2, 30) : (int)range(g, 100, 40000);
        put(g, "config first_pid=%d\n", first);
        if (first > g->max_pid)
            g->max_pid = first + 12;
    }
}

static void objects(struct gen *g)
{
    g->nobjs = (int)range(g, 0, MAX_OBJS);
    for (int i = 0; i < g->nobjs; i++) {
        enum obj_kind k = (enum obj_kind)range(g, 0, K_NKINDS - 1);
        g->obj[i] = k;
        switch (k) {
        case K_SHARED: put(g, "shared s%d = %d\n", i, (int)range(g, -5, 100)); break;
        case K_LOCK: put(g, "lock mutex%d\n", i); break;
        case K_RLOCK: put(g, "rlock rl%d\n", i); break;
        case K_SEM: put(g, "semaphore sem%d %d\n", i, (int)range(g, 0, 3)); break;
        case K_EVENT: put(g, "event ev%d\n", i); break;
        case K_QUEUE:
            put(g, "queue q%d", i);
            if (chance(g, 60))
                put(g, " %d", (int)range(g, -1, 3));
            put(g, "\n");
            break;
        case K_JQUEUE: put(g, "joinablequeue jq%d %d\n", i, (int)range(g, 0, 3)); break;
        case K_TQUEUE: {
            static const char *const order[] = { "", " fifo", " lifo", " priority" };
            put(g, "threadqueue tq%d %d%s\n", i, (int)range(g, 0, 3), order[range(g, 0, 3)]);
            break;
        }
        case K_ARRAY:
            if (chance(g, 50))
                put(g, "array arr%d %d\n", i, (int)range(g, 2, 4));
            else
                put(g, "array arr%d [%d, %d]\n", i, (int)range(g, -5, 5), (int)range(g, -5, 5));
            break;
        case K_NKINDS: break;
        }
    }
    /* Pipes: held by every spawned process; a small capacity shows full
     * pipes and messages in parts; Python's SIGPIPE disposition often. */
    if (chance(g, 35)) {
        g->npipes = (int)range(g, 1, 2);
        for (int i = 0; i < g->npipes; i++) {
            g->pipe_pair[i] = chance(g, 60);
            const char *kind = chance(g, 40) ? " simplex" : chance(g, 30) ? " duplex" : "";
            if (g->pipe_pair[i])
                put(g, "pipe ca%d, cb%d%s\n", i, i, kind);
            else
                put(g, "pipe c%d%s\n", i, kind);
        }
        if (chance(g, 30))
            put(g, "config pipe_size=%d\n", (int)range(g, 8, 9000));
        if (chance(g, 50))
            put(g, "config sigpipe=ignore\n");
    }
}

/* The prologue that makes every variable assigned: process variables in
 * the first program, the thread-local ones in every program. */
static void prologue(struct gen *g, bool first)
{
    for (int v = 0; first && v < NVARS; v++)
        put(g, "  let v%d = %d\n", v, (int)range(g, 0, 3));
    for (int l = 0; l < NLOCALS; l++)
        put(g, "  local l%d = %d\n", l, (int)range(g, 0, 3));
    /* Handlers installed early, and SIGCHLD ignored (children reaped at
     * their exit), are worth seeing often. */
    if (g->nhandlers && chance(g, 30))
        put(g, "  signal SIG%s h%d\n", chance(g, 60) ? "USR1" : "CHLD",
            (int)range(g, 0, g->nhandlers - 1));
    else if (chance(g, 8))
        put(g, "  signal SIGCHLD ignore\n");
    /* The known-bug cases go first, where they are sure to run. */
    if ((g->cases & (1u << KB_LONG_CHAINS)) && chance(g, 4))
        st_long_chain(g);
    if ((g->cases & (1u << KB_HUGE_TICKS)) && chance(g, 10)) {
        static const char *const timed[] = { "sleep", "disk", "alarm" };
        put(g, "  %s 9223372036854775807\n", timed[range(g, 0, 2)]);
    }
}

/* Several signals at one process in a few ticks: stop, then others, then
 * SIGKILL or SIGCONT, where the order decides the exit status. */
static void signal_burst(struct gen *g, int ticks)
{
    static const char *const sigs[] = { "SIGSTOP", "SIGTSTP", "SIGINT", "SIGHUP",
                                        "SIGTERM", "SIGKILL", "SIGCONT", "SIGUSR1" };
    int pid = chance(g, 70) ? (int)range(g, 2, 4) : (int)range(g, 2, g->max_pid);
    int T = (int)range(g, 0, ticks / 4), n = (int)range(g, 2, 4);
    for (int i = 0; i < n; i++) {
        int sig = (int)range(g, 0, 7);
        if (i == 0 && chance(g, 70))
            sig = (int)range(g, 0, 1);             /* a stop first */
        else if (i == n - 1 && chance(g, 50))
            sig = (int)range(g, 5, 6);             /* SIGKILL or SIGCONT last */
        T += (int)range(g, 0, 3);
        put(g, "at %d kill %d %s\n", T, pid, sigs[sig]);
    }
}

static void outside(struct gen *g, int ticks)
{
    int n = (int)range(g, 0, 5);
    for (int i = 0; i < n; i++) {
        if (chance(g, 15)) {
            signal_burst(g, ticks);
            continue;
        }
        put(g, "at %d ", (int)range(g, 0, ticks / 2));
        switch (range(g, 0, 6)) {
        case 0: case 1:
            put(g, "kill %d ", chance(g, 85) ? (int)range(g, 1, g->max_pid)
                                             : -(int)range(g, 2, g->max_pid));
            put_signal(g, false);
            put(g, "\n");
            break;
        case 2: put(g, "ctrl-c\n"); break;
        case 3: put(g, "ctrl-z\n"); break;
        case 4:
            if (chance(g, 50))
                put(g, "fg\n");
            else
                put(g, "fg %d\n", (int)range(g, 1, g->max_pid));
            break;
        case 5: put(g, "bg %d\n", (int)range(g, 1, g->max_pid)); break;
        default: put(g, chance(g, 70) ? "ctrl-\\\n" : "ctrl-backslash\n"); break;
        }
    }
}

/* def d%d(a0, a1=DEFAULT) (issue 14): frame locals (what it assigns),
 * `global` now and then, a bounded recursion on a0 now and then, and a
 * return. The class C's method C.m(self, a0) stores an attribute. */
static void defs(struct gen *g)
{
    g->ndefs = chance(g, 60) ? (int)range(g, 1, 3) : 0;
    g->cls = chance(g, 40);
    for (int d = 0; d < g->ndefs + g->cls; d++) {
        bool method = d == g->ndefs;
        g->cur_def = d;
        if (method) {
            put(g, "def C.m(self, a0) {\n");
            put(g, "  self.x = a0\n");
        } else {
            put(g, "def d%d(a0, a1=", d);
            g->cur_def = -1;                   /* evaluated in the caller */
            put_expr(g, 1);
            g->cur_def = d;
            put(g, ") {\n");
        }
        if (chance(g, 40))
            put(g, "  global v%d%s\n", (int)range(g, 0, 1), chance(g, 50) ? ", v2, v3" : "");
        if (!method && chance(g, 30)) {
            /* a0 counts down: at most 1000 deep (then RecursionError) */
            put(g, "  if a0 > 0 {\n    call d%d(a0 - 1%s) -> a1\n  }\n", d,
                chance(g, 50) ? ", a1" : "");
        }
        g->budget = (int)range(g, 1, 8);
        body(g, g->budget);
        if (chance(g, 60)) {
            put(g, "  return ");
            put_expr(g, 2);
            put(g, "\n");
        }
        put(g, "}\n");
    }
    g->cur_def = -1;
}

char *gen_scenario(uint64_t seed, unsigned known_bug_cases, size_t *len)
{
    struct gen g = { .rng = seed, .cases = known_bug_cases, .max_pid = 12, .cur_def = -1 };
    next(&g);
    put(&g, "title \"random scenario %llu\"\n", (unsigned long long)seed);
    if (chance(&g, 30))
        put(&g, "describe \"generated by fuzz/gen.c\"\n");
    config(&g);
    objects(&g);
    g.nprogs = (int)range(&g, 1, 5);
    g.nhandlers = (int)range(&g, 0, 3);
    g.cur = -1;
    for (int h = 0; h < g.nhandlers; h++) {
        put(&g, "handler h%d {\n", h);
        g.budget = (int)range(&g, 1, 3);
        body(&g, g.budget);
        put(&g, "}\n");
    }
    defs(&g);
    for (int p = 0; p < g.nprogs; p++) {
        put(&g, "program p%d {\n", p);
        g.cur = p;
        prologue(&g, p == 0);
        g.budget = (int)range(&g, 1, 14);
        body(&g, g.budget);
        put(&g, "}\n");
    }
    int nspawns = (int)range(&g, 1, 3), ticks = 200;
    for (int i = 0; i < nspawns; i++) {
        if (g.ndefs && chance(&g, 10))      /* a def as a process's target */
            put(&g, "spawn d%d(%d)", (int)range(&g, 0, g.ndefs - 1), (int)range(&g, 0, 3));
        else
            put(&g, "spawn p%d", (int)range(&g, 0, g.nprogs - 1));
        if (chance(&g, 30))
            put(&g, " nice=%d", (int)range(&g, -20, 19));
        if (i > 0 && chance(&g, 50))
            put(&g, " at=%d", (int)range(&g, 0, 30));
        if (chance(&g, 15))
            put(&g, " fg");
        put(&g, "\n");
    }
    outside(&g, ticks);
    if (g.oom) {
        free(g.buf);
        return NULL;
    }
    *len = g.len;
    return g.buf;
}
