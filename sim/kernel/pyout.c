/*
 * pyout.c - what a process writes, as Python writes it (issue 14).
 *
 * `print ARG... [sep=E] [end=E] [flush=E]` is Python's print: str() of each
 * argument, joined by sep (" "), then end ("\n"). A process's stdout is a
 * terminal's line buffer: each "\n" ends an output line (an EV_PRINT
 * event, TICK PID TEXT); text after the last one stays in the process's
 * partial line (proc.outbuf), which fork copies (CPython's buffered stdout
 * is copied too), a normal exit writes out, and os._exit, exec or a death
 * by a signal lose. A print with no options and no partial line is the
 * contract's print (exec.c): one line, as before.
 *
 * In Python mode (config python=on) an uncaught exception prints CPython's
 * traceback on the process's stderr: one EV_PRINT line each, marked
 * PRINT_STDERR, so `procsim output` shows them only with --stderr.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

#include "trace.h"

size_t out_format(const struct machine *m, struct value v, bool repr, char *buf,
                  size_t size)
{
    if (v.type == V_FUNC && v.i >= 0 && v.i < m->scn->nprograms && size > 0) {
        /* a stable fake address, as CPython's id() looks on x86-64 */
        int n = snprintf(buf, size, "<function %s at 0x7f3a5c%06llx>",
                         m->scn->programs[v.i].name,
                         (unsigned long long)(0x1000 + 0x90 * v.i) & 0xffffff);
        return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
    }
    return v_format(&m->heap, v, repr, buf, size);
}

/* A growable text. */
struct text {
    char *s;
    size_t n, cap;
    bool oom;
};

static void put(struct text *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/* str(v) appended. */
static void put_value(struct machine *m, struct text *b, struct value v)
{
    if (v.type == V_STR) {
        size_t n;
        const char *s = v_str_data(&m->heap, v, &n);
        put(b, s, n);
        return;
    }
    char buf[1024];
    put(b, buf, out_format(m, v, false, buf, sizeof buf));
}

/* sep= / end=: a str, or None for the default. False after an exception. */
static bool option(struct machine *m, struct task *t, const struct insn *in,
                   const struct expr *e, const char *name, struct text *out,
                   const char *dflt)
{
    if (!e) {
        put(out, dflt, strlen(dflt));
        return true;
    }
    struct value v;
    if (!expr_value(m, t, e, &v))
        return false;
    if (v.type == V_NONE) {
        put(out, dflt, strlen(dflt));
        return true;
    }
    if (v.type != V_STR) {
        char msg[80];
        snprintf(msg, sizeof msg, "%s must be None or a string, not %s", name,
                 v_type_name(v));
        task_raise_dyn(m, t, in->pos, EXC_TYPE, msg);
        return false;
    }
    put_value(m, out, v);
    return true;
}

void out_print(struct machine *m, struct task *t, const struct insn *in)
{
    struct text sep = { 0 }, end = { 0 }, b = { 0 };
    struct proc *p = proc_of(m, t);
    bool err = in->flags & INSN_STDERR;
    struct value *buf = err ? &p->errbuf : &p->outbuf;
    bool ok = option(m, t, in, in->e1, "sep", &sep, " ") &&
              option(m, t, in, in->e2, "end", &end, "\n");
    if (ok && in->argc > 0) {              /* flush=E: evaluated, no effect */
        struct value v;
        ok = expr_value(m, t, in->argv[0], &v);
    }
    if (ok && buf->type == V_STR)
        put_value(m, &b, *buf);
    for (int i = 0; ok && i < in->nargs; i++) {
        if (i > 0)
            put(&b, sep.s ? sep.s : "", sep.n);
        if (in->args[i].str) {
            put(&b, in->args[i].str, strlen(in->args[i].str));
            continue;
        }
        struct value v;
        ok = expr_value(m, t, in->args[i].e, &v);
        if (ok)
            put_value(m, &b, v);
    }
    if (ok)
        put(&b, end.s ? end.s : "", end.n);
    if (ok && (b.oom || sep.oom || end.oom)) {
        task_raise(m, t, in->pos, EXC_MEMORY, "out of memory");
        ok = false;
    }
    if (ok) {
        /* each "\n" ends a line; the rest is the partial line */
        size_t start = 0;
        for (size_t i = 0; i < b.n; i++)
            if (b.s[i] == '\n') {
                emit_output(m, t, b.s + start, i - start, err);
                start = i + 1;
            }
        *buf = v_int(0);
        if (start < b.n && v_str(&m->heap, b.s + start, b.n - start, buf) != VE_OK)
            *buf = v_int(0);
    }
    free(sep.s);
    free(end.s);
    free(b.s);
}

void out_flush(struct machine *m, struct task *t)
{
    struct proc *p = proc_of(m, t);
    for (int k = 0; k < 2; k++) {
        struct value *buf = k ? &p->errbuf : &p->outbuf;
        if (buf->type != V_STR)
            continue;
        size_t n;
        const char *s = v_str_data(&m->heap, *buf, &n);
        emit_output(m, t, s, n, k);
        *buf = v_int(0);
    }
}

void out_mark(struct machine *m)
{
    for (int i = 0; i < m->proc_cap; i++)
        if (m->procs[i].pid > 0) {
            if (m->procs[i].outbuf.type == V_STR)
                vheap_mark(&m->heap, m->procs[i].outbuf);
            if (m->procs[i].errbuf.type == V_STR)
                vheap_mark(&m->heap, m->procs[i].errbuf);
        }
    for (int i = 0; i < m->taskx_cap; i++)
        if (m->taskx[i].exc_dyn)
            vheap_mark(&m->heap, m->taskx[i].exc_val);
    for (int i = 0; i < m->taskx_cap; i++)
        if (m->taskx[i].cur_dyn)
            vheap_mark(&m->heap, m->taskx[i].cur_val);
}

/* ------------------------------------------------------------ tracebacks */

/* The source text of line `line`, leading and trailing blanks stripped:
 * the .py file's when the scenario was translated from one. */
static const char *source_line(const struct scenario *s, int line, size_t *len)
{
    const char *text;
    size_t n = 0;
    if (s->py_text) {
        const char *p = s->py_text, *e = s->py_text + s->py_len;
        for (int l = 1; l < line && p < e; l++) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            p = nl ? nl + 1 : e;
        }
        const char *nl = p < e ? memchr(p, '\n', (size_t)(e - p)) : NULL;
        text = p;
        n = (size_t)((nl ? nl : e) - p);
    } else {
        text = scenario_line(s, line, &n);
    }
    while (n > 0 && (*text == ' ' || *text == '\t')) {
        text++;
        n--;
    }
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\r'))
        n--;
    *len = n;
    return text;
}

/* `  File "prog.py", line N, in f` and the line's text. */
static void frame_lines(struct machine *m, struct task *t, int prog, int line)
{
    /* Code with no line of the student's (the translator's prelude: Thread's
     * _th_bootstrap and run, Process's _mp_bootstrap) stands where CPython
     * shows its own library's frames (threading.py): no line to quote, and
     * not the file's line 0 */
    if (line <= 0)
        return;
    const struct scenario *s = m->scn;
    const char *file = s->py_name ? s->py_name : s->file;
    const char *name = prog == PROG_INIT ? "init" : program_code(m, prog)->name;
    if (!strcmp(name, "__main__"))
        name = "<module>";
    else if (program_code(m, prog)->def && strrchr(name, '.'))
        name = strrchr(name, '.') + 1;     /* a method: CPython names it alone */
    char buf[400];
    int n = snprintf(buf, sizeof buf, "  File \"%s\", line %d, in %s", file ? file : "?",
                     line, name);
    emit_output(m, t, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1,
                true);
    size_t len;
    const char *src = source_line(s, line, &len);
    if (len > 0) {
        n = snprintf(buf, sizeof buf, "    %.*s", (int)(len < 300 ? len : 300), src);
        emit_output(m, t, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, true);
    }
}

void py_traceback(struct machine *m, struct task *t, int line, int exc, const char *msg)
{
    char buf[400];
    const struct proc *p = proc_of(m, t);
    if (t->tid != p->pid) {
        /* CPython's threading.excepthook names the thread (Thread.name) */
        int n = t->name[0] ? snprintf(buf, sizeof buf, "Exception in thread %s:", t->name)
                           : snprintf(buf, sizeof buf, "Exception in thread %d:", t->tid);
        emit_output(m, t, buf, (size_t)n, true);
    }
    emit_output(m, t, "Traceback (most recent call last):", 34, true);
    /* outermost first: each call's caller at its `call`, then where it was
     * raised (a handler under way shows its own program only) */
    if (t->x >= 0) {
        const struct taskx *x = &m->taskx[t->x];
        for (int i = 0; i < x->ncall; i++) {
            const struct callframe *f = &x->call[i];
            if (f->nframes != t->nframes || f->prog == PROG_INIT || f->pc <= 0)
                continue;
            frame_lines(m, t, f->prog, program_code(m, f->prog)->code[f->pc - 1].pos.line);
        }
    }
    frame_lines(m, t, t->prog, line);
    int n = snprintf(buf, sizeof buf, "%s%s%.300s", exc_qualname(exc),
                     msg && *msg ? ": " : "", msg ? msg : "");
    emit_output(m, t, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1,
                true);
}
