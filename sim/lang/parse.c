/*
 * parse.c - reading a scenario: one statement per line, compiled as it is
 * read into the flat instruction lists of scenario.h.
 *
 * Names may be used before they are defined (a program can fork one that
 * comes later), so a first quick pass collects the names of programs,
 * handlers and shared objects; the main pass then resolves every use at
 * once. Variables are numbered across the whole file (fork copies them all)
 * and checked at the end: a variable that is read must be assigned
 * somewhere.
 *
 * The first error ends the parse: it is recorded in the caller's diag and
 * the parser unwinds with longjmp to scenario_parse(), which frees the
 * half-built scenario. Nothing here exits, aborts or prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "parser.h"
#include "scenario.h"
#include "support.h"

static void *arena_alloc(struct parser *p, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct chunk *c = p->arena;
    if (!c || c->used + n > c->size) {
        size_t size = n > 16384 ? n : 16384;
        c = malloc(sizeof *c + size);
        if (!c) {
            diag_set(p->err, p->file, NULL, 0, 0, 0, "out of memory");
            longjmp(p->fail, 1);
        }
        c->next = p->arena;
        c->used = 0;
        c->size = size;
        p->arena = c;
        p->s->arena = c;
    }
    void *r = c->data + c->used;
    c->used += n;
    memset(r, 0, n);
    return r;
}

static char *arena_strndup(struct parser *p, const char *s, size_t n)
{
    char *r = arena_alloc(p, n + 1);
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

/* Grow *arr (of elem-sized items, *cap of them) to hold need. */
static void grow(struct parser *p, void **arr, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return;
    int n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    void *a = realloc(*arr, (size_t)n * elem);
    if (!a) {
        diag_set(p->err, p->file, NULL, 0, 0, 0, "out of memory");
        longjmp(p->fail, 1);
    }
    *arr = a;
    *cap = n;
}

/* ----------------------------------------------------------------- errors */

void parse_fail(struct parser *p, int line, int col, const char *fmt, ...)
{
    char msg[sizeof p->err->msg];   /* the whole list of config keys fits */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->py_text && (p->tok.py || p->lx.over))
        diag_set(p->err, p->py_name, p->py_text, p->py_len, line, col, "%s", msg);
    else
        diag_set(p->err, p->file, p->src, p->len, line, col, "%s", msg);
    longjmp(p->fail, 1);
}


/* How a token reads in a message: 'foo', or "the end of the line". */
static const char *what(const struct token *t, char *buf, size_t n)
{
    if (t->kind == T_NEWLINE || t->kind == T_EOF)
        return t->kind == T_EOF ? "the end of the file" : "the end of the line";
    size_t len = t->len < 40 ? t->len : 40;
    char text[48];
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t->start[i];
        if (c >= 0x20 && c < 0x7f) {
            text[k++] = (char)c;
        } else {
            snprintf(buf, n, "the byte \\x%02x", c);
            return buf;
        }
    }
    text[k] = '\0';
    snprintf(buf, n, "'%s'", text);
    return buf;
}

/* -------------------------------------------------------------- tokens */

static void next(struct parser *p)
{
    p->tok = lex_next(&p->lx);
    if (p->tok.kind == T_ERROR) {
        char buf[64];
        unsigned char c = (unsigned char)p->tok.start[0];
        if (!strcmp(p->tok.err, "unexpected character") && (c < 0x20 || c >= 0x7f))
            FAIL(p, p->tok, "unexpected byte \\x%02x (procsim reads UTF-8 text; "
                 "other characters belong in strings or comments)", c);
        if (!strcmp(p->tok.err, "unexpected character"))
            FAIL(p, p->tok, "unexpected character %s", what(&p->tok, buf, sizeof buf));
        FAIL(p, p->tok, "%s", p->tok.err);
    }
}

static bool is(const struct parser *p, enum tok k) { return p->tok.kind == k; }

static bool is_word(const struct parser *p, const char *w)
{
    return p->tok.kind == T_IDENT && p->tok.len == strlen(w) &&
           !memcmp(p->tok.start, w, p->tok.len);
}

static bool end_of_line(const struct parser *p)
{
    return is(p, T_NEWLINE) || is(p, T_EOF);
}

static void expect_eol(struct parser *p)
{
    char buf[64];
    if (!end_of_line(p))
        FAIL(p, p->tok, "unexpected %s after the statement", what(&p->tok, buf, sizeof buf));
}

/* The current token must be an identifier; returns its text. */
static char *ident(struct parser *p, const char *expected)
{
    char buf[64];
    if (!is(p, T_IDENT))
        FAIL(p, p->tok, "expected %s, found %s", expected, what(&p->tok, buf, sizeof buf));
    char *s = arena_strndup(p, p->tok.start, p->tok.len);
    next(p);
    return s;
}

/* An integer literal with an optional leading '-'. */
static int64_t integer(struct parser *p, const char *expected)
{
    char buf[64];
    struct token at = p->tok;
    bool neg = false;
    if (is(p, T_MINUS)) {
        neg = true;
        next(p);
    }
    if (!is(p, T_NUM))
        FAIL(p, at, "expected %s, found %s", expected, what(&at, buf, sizeof buf));
    int64_t v = p->tok.num;
    next(p);
    return neg ? -v : v;
}

/* ------------------------------------------------------------------ names */

/* FNV-1a: short names, a fast spread. */
static unsigned name_hash(const char *s, size_t len)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static bool same_name(const char *name, const char *s, size_t len)
{
    return strncmp(name, s, len) == 0 && name[len] == '\0';
}

/* The index of the name s (len bytes) among names[0..], or -1; names are
 * read through `names` with stride `stride` bytes (a list of pointers, or
 * the name field of an array of structs). */
static int index_find(const struct name_index *x, const char *const *names,
                      size_t stride, const char *s, size_t len)
{
    if (!x->size)
        return -1;
    unsigned mask = (unsigned)x->size - 1;
    for (unsigned h = name_hash(s, len) & mask; x->slot[h]; h = (h + 1) & mask) {
        int i = x->slot[h] - 1;
        const char *name = *(const char *const *)((const char *)names + (size_t)i * stride);
        if (same_name(name, s, len))
            return i;
    }
    return -1;
}

static void index_put(struct name_index *x, const char *name, int i)
{
    unsigned mask = (unsigned)x->size - 1;
    unsigned h = name_hash(name, strlen(name)) & mask;
    while (x->slot[h])
        h = (h + 1) & mask;
    x->slot[h] = i + 1;
}

/* Make room for n names (rehashing all of them when the table grows). */
static void index_reserve(struct parser *p, struct name_index *x, int n,
                          const char *const *names, size_t stride)
{
    if (2 * n <= x->size)
        return;
    int size = x->size ? x->size : 16;
    while (size < 2 * n)
        size *= 2;
    int *slot = calloc((size_t)size, sizeof *slot);
    if (!slot) {
        diag_set(p->err, p->file, NULL, 0, 0, 0, "out of memory");
        longjmp(p->fail, 1);
    }
    free(x->slot);
    x->slot = slot;
    x->size = size;
    for (int i = 0; i < n - 1; i++)
        index_put(x, *(const char *const *)((const char *)names + (size_t)i * stride), i);
}

static int names_find(const struct names *n, const char *s, size_t len)
{
    return index_find(&n->index, n->name, sizeof *n->name, s, len);
}

static void names_add(struct parser *p, struct names *n, const char *s, int line,
                      int kind)
{
    int cap = n->cap;
    grow(p, (void **)&n->name, &cap, n->n + 1, sizeof *n->name);
    cap = n->cap;
    grow(p, (void **)&n->line, &cap, n->n + 1, sizeof *n->line);
    grow(p, (void **)&n->kind, &n->cap, n->n + 1, sizeof *n->kind);
    n->name[n->n] = s;
    n->line[n->n] = line;
    n->kind[n->n] = kind;
    index_reserve(p, &n->index, n->n + 1, n->name, sizeof *n->name);
    index_put(&n->index, s, n->n++);
}

static void names_free(struct names *n)
{
    free(n->index.slot);
    free(n->name);
    free(n->line);
    free(n->kind);
}

static const char *const kind_words[] = { "shared", "lock", "rlock", "semaphore",
                                          "event", "queue", "pipe", "array" };
static const char *const a_kind[] = { "a shared value", "a lock", "an rlock",
                                      "a semaphore", "an event", "a queue", "a pipe",
                                      "an array" };

/* The queue kind (QK_*) a declaration's first word names, or -1:
 * `queue`, `joinablequeue`, `threadqueue`. */
static int queue_word(const struct token *t)
{
    static const char *const w[] = { [QK_MP] = "queue", [QK_JOINABLE] = "joinablequeue",
                                     [QK_THREAD] = "threadqueue" };
    for (int i = 0; i < 3; i++)
        if (t->kind == T_IDENT && t->len == strlen(w[i]) && !memcmp(t->start, w[i], t->len))
            return i;
    return -1;
}

/* The object kind a declaration's first word names, or -1. */
static int object_word(const struct token *t)
{
    for (int i = 0; i <= OBJ_ARRAY; i++)
        if (t->kind == T_IDENT && t->len == strlen(kind_words[i]) &&
            !memcmp(t->start, kind_words[i], t->len))
            return i;
    if (queue_word(t) >= 0)
        return OBJ_QUEUE;
    return -1;
}

/* After `program NAME` in the first pass: how many parameters it has (a
 * comma-separated list in parentheses), so that calls written before the
 * program can be checked. Reads only as far as the line goes. */
static int count_params(const struct lexer *at)
{
    struct lexer lx = *at;
    struct token t = lex_next(&lx);
    if (t.kind != T_LPAREN)
        return 0;
    int n = 0;
    for (;;) {
        t = lex_next(&lx);
        if (t.kind == T_RPAREN || t.kind == T_NEWLINE || t.kind == T_EOF ||
            t.kind == T_ERROR)
            return n;
        if (t.kind == T_IDENT)
            n++;
    }
}

/* After `def NAME` in the first pass: its parameters (a comma-separated
 * list in parentheses, some with `= DEFAULT`), as a programs.kind: the
 * number of parameters, plus 256 times the number with defaults. */
static int count_def_params(const struct lexer *at)
{
    struct lexer lx = *at;
    struct token t = lex_next(&lx);
    if (t.kind != T_LPAREN)
        return 0;
    int n = 0, ndef = 0, depth = 0;
    bool item = false, dflt = false;
    for (;;) {
        t = lex_next(&lx);
        if (t.kind == T_NEWLINE || t.kind == T_EOF || t.kind == T_ERROR)
            break;
        if (t.kind == T_LPAREN || t.kind == T_LBRACKET || t.kind == T_LBRACE)
            depth++;
        else if ((t.kind == T_RPAREN || t.kind == T_RBRACKET || t.kind == T_RBRACE) &&
                 depth > 0)
            depth--;
        else if (t.kind == T_RPAREN)
            break;
        else if (depth == 0 && t.kind == T_COMMA) {
            n += item;
            ndef += item && dflt;
            item = dflt = false;
            continue;
        } else if (depth == 0 && t.kind == T_ASSIGN)
            dflt = true;
        item = true;
    }
    n += item;
    ndef += item && dflt;
    if (n > 255)
        n = 255;
    return n + 256 * (ndef < n ? ndef : n);
}

/* How many arguments program i takes: at most, at least (a def's defaults). */
static int prog_max(const struct parser *p, int i) { return p->programs.kind[i] & 0xff; }
static int prog_min(const struct parser *p, int i)
{
    return prog_max(p, i) - (p->programs.kind[i] >> 8);
}

/* `def A.B(`: a dotted name (a class's method, from the Python translator),
 * written without spaces; *last gets its last part. */
static size_t dotted_len(const struct lexer *at, const struct token *first, struct lexer *after)
{
    struct lexer lx = *at;
    size_t len = first->len;
    for (;;) {
        struct lexer save = lx;
        struct token d = lex_next(&lx), n = lex_next(&lx);
        if (d.kind != T_DOT || n.kind != T_IDENT || d.start != first->start + len ||
            n.start != d.start + 1) {
            *after = save;
            return len;
        }
        len = (size_t)(n.start + n.len - first->start);
    }
}

/* First pass: the names of programs, handlers and objects at top level, so
 * later uses can refer to them before their definition. Errors are left to
 * the main pass; the first definition of a name wins here. */
static void collect_names(struct parser *p)
{
    struct lexer lx;
    lex_init(&lx, p->src, p->len);
    int depth = 0;
    bool line_start = true;
    for (;;) {
        struct token t = lex_next(&lx);
        if (t.kind == T_EOF)
            return;
        if (t.kind == T_NEWLINE || t.kind == T_ERROR) {
            line_start = t.kind == T_NEWLINE;
            continue;
        }
        if (t.kind == T_LBRACE)
            depth++;
        else if (t.kind == T_RBRACE && depth > 0)
            depth--;
        if (!line_start || depth != 0 || t.kind != T_IDENT) {
            line_start = false;
            continue;
        }
        line_start = false;
        struct token n = lex_next(&lx);
        if (n.kind == T_NEWLINE)
            line_start = true;
        if (n.kind != T_IDENT)
            continue;
        bool def = t.len == 3 && !memcmp(t.start, "def", 3);
        if (def || (t.len == 7 && !memcmp(t.start, "program", 7)))
            n.len = dotted_len(&lx, &n, &lx);      /* C.run (issue 14) */
        char *name = arena_strndup(p, n.start, n.len);
        bool known = names_find(&p->programs, n.start, n.len) >= 0 ||
                     names_find(&p->handlers, n.start, n.len) >= 0 ||
                     names_find(&p->objects, n.start, n.len) >= 0;
        if (known)
            continue;
        if (t.len == 7 && !memcmp(t.start, "program", 7))
            names_add(p, &p->programs, name, n.line, count_params(&lx));
        else if (def)
            names_add(p, &p->programs, name, n.line, count_def_params(&lx));
        else if (t.len == 7 && !memcmp(t.start, "handler", 7))
            names_add(p, &p->handlers, name, n.line, 0);
        else if (object_word(&t) >= 0)
            names_add(p, &p->objects, name, n.line, object_word(&t));
        if (object_word(&t) == OBJ_PIPE) {         /* pipe A, B: B too */
            struct lexer at = lx;
            struct token c = lex_next(&at), b = lex_next(&at);
            if (c.kind == T_COMMA && b.kind == T_IDENT &&
                names_find(&p->programs, b.start, b.len) < 0 &&
                names_find(&p->handlers, b.start, b.len) < 0 &&
                names_find(&p->objects, b.start, b.len) < 0)
                names_add(p, &p->objects, arena_strndup(p, b.start, b.len), b.line,
                          OBJ_PIPE);
        }
    }
}

/* A name defined twice: say where it was first defined. */
static void duplicate(struct parser *p, const struct token *name)
{
    const struct names *all[] = { &p->programs, &p->handlers, &p->objects };
    int line = 0;
    for (int i = 0; i < 3 && !line; i++) {
        int k = names_find(all[i], name->start, name->len);
        if (k >= 0)
            line = all[i]->line[k];
    }
    FAIL(p, *name, "duplicate name '%.*s' (first defined at line %d)", (int)name->len,
         name->start, line);
}

static bool peek_is(const struct parser *p, enum tok k);
static void global_statement(struct parser *p, const struct token *at);

/* "main, kid" */
static void list_names(const struct names *n, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < n->n && k + 4 < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", n->name[i]);
    if (n->n == 0)
        snprintf(buf, size, "(none)");
}

static int program_ref(struct parser *p)
{
    struct token at = p->tok;
    char buf[400];
    if (!is(p, T_IDENT))
        FAIL(p, at, "expected a program name, found %s", what(&at, buf, 64));
    if (peek_is(p, T_DOT)) {                   /* a def's dotted name */
        struct lexer after;
        size_t len = dotted_len(&p->lx, &at, &after);
        int i = names_find(&p->programs, at.start, len);
        if (i >= 0 && len > at.len) {
            p->lx = after;
            next(p);
            return i;
        }
    }
    int i = names_find(&p->programs, at.start, at.len);
    if (i < 0) {
        list_names(&p->programs, buf, sizeof buf);
        FAIL(p, at, "unknown program '%.*s'; programs are: %s", (int)at.len, at.start, buf);
    }
    next(p);
    return i;
}

static struct expr *expr(struct parser *p) { return parse_expr(p); }

/* A spawn's arguments are evaluated by nobody's code: values written out. */
static bool is_literal(const struct expr *e)
{
    switch (e->kind) {
    case EX_NUM: case EX_STR: case EX_NONE: case EX_TRUE: case EX_FALSE:
        return true;
    case EX_NEG:
        return is_literal(e->a);
    case EX_TUPLE: case EX_LIST:
        for (int i = 0; i < e->nitems; i++)
            if (!is_literal(e->items[i]))
                return false;
        return true;
    default:
        return false;
    }
}

/* `PROG(args)` after fork, thread, exec or spawn (`prog` was just read from
 * token `name`): as many arguments as PROG has parameters. */
static void call_args(struct parser *p, int prog, const struct token *name,
                      struct expr ***argv, int *argc, bool literal)
{
    char buf[64];
    int want = prog_max(p, prog), least = prog_min(p, prog);
    if (!is(p, T_LPAREN)) {
        if (least)
            FAIL(p, *name, "program %s takes %d argument%s: write %s(...)",
                 p->programs.name[prog], want, want == 1 ? "" : "s", p->programs.name[prog]);
        return;
    }
    next(p);
    struct expr *list[MAX_PARAMS];
    int n = 0;
    while (!is(p, T_RPAREN)) {
        if (n > 0) {
            if (!is(p, T_COMMA))
                FAIL(p, p->tok, "expected ',' or ')' after an argument, found %s",
                     what(&p->tok, buf, sizeof buf));
            next(p);
        }
        struct token at = p->tok;
        if (end_of_line(p))
            FAIL(p, at, "expected ')' to close the arguments of %s", p->programs.name[prog]);
        if (n == MAX_PARAMS)
            FAIL(p, at, "too many arguments (at most %d)", MAX_PARAMS);
        list[n] = expr(p);
        if (literal && !is_literal(list[n]))
            FAIL(p, at, "a spawn's arguments must be written out (numbers, strings, "
                 "None, True, False, tuples and lists of them)");
        n++;
    }
    next(p);
    if (n < least && least < want)
        FAIL(p, *name, "%s takes at least %d argument%s, given %d", p->programs.name[prog],
             least, least == 1 ? "" : "s", n);
    if (n > want && least < want)
        FAIL(p, *name, "%s takes at most %d argument%s, given %d", p->programs.name[prog],
             want, want == 1 ? "" : "s", n);
    if (n != want && least == want)
        FAIL(p, *name, "program %s takes %d argument%s, given %d", p->programs.name[prog],
             want, want == 1 ? "" : "s", n);
    *argc = n;
    *argv = arena_alloc(p, (size_t)(n ? n : 1) * sizeof **argv);
    memcpy(*argv, list, (size_t)n * sizeof *list);
}

static int handler_ref(struct parser *p)
{
    struct token at = p->tok;
    char buf[400];
    int i = names_find(&p->handlers, at.start, at.len);
    if (i < 0) {
        list_names(&p->handlers, buf, sizeof buf);
        FAIL(p, at, "unknown handler '%.*s'; handlers are: %s", (int)at.len, at.start, buf);
    }
    next(p);
    return i;
}

static int scope_var(struct parser *p, const struct token *t, bool assign);

/* The index of variable `name`, created on first use. */
static int variable(struct parser *p, const struct token *t, bool assign)
{
    struct scenario *s = p->s;
    if (p->def && !p->scope_off)
        return scope_var(p, t, assign);
    for (int i = 0; p->prog && i < p->nparams; i++)
        if (p->params[i].len == t->len && !memcmp(p->params[i].start, t->start, t->len))
            return p->prog->params[i];
    int v = s->nvars ? index_find(&p->var_index, &s->vars[0].name, sizeof *s->vars,
                                  t->start, t->len) : -1;
    if (v < 0) {
        v = s->nvars;
        grow(p, (void **)&s->vars, &p->varcap, v + 1, sizeof *s->vars);
        p->varinfo = realloc(p->varinfo, (size_t)p->varcap * sizeof *p->varinfo);
        if (!p->varinfo) {
            diag_set(p->err, p->file, NULL, 0, 0, 0, "out of memory");
            longjmp(p->fail, 1);
        }
        s->vars[v] = (struct variable){ arena_strndup(p, t->start, t->len), false, 0, 0 };
        p->varinfo[v] = (struct varinfo){ false, 0, 0 };
        s->nvars++;
        index_reserve(p, &p->var_index, s->nvars, &s->vars[0].name, sizeof *s->vars);
        index_put(&p->var_index, s->vars[v].name, v);
    }
    if (assign)
        p->varinfo[v].assigned = true;
    else if (!p->varinfo[v].read_line) {
        p->varinfo[v].read_line = t->line;
        p->varinfo[v].read_col = t->col;
    }
    return v;
}

/* A name used in a def (issue 14): a `global` name is the process
 * variable; any other is the def's own variable ("f.x"), decided at the
 * def's end (def_end): a frame local if the def assigns it anywhere (Python's
 * rule), else the process variable it reads. */
static int scope_var(struct parser *p, const struct token *t, bool assign)
{
    for (int i = 0; i < p->nglobals; i++)
        if (p->globals[i].len == t->len && !memcmp(p->globals[i].start, t->start, t->len)) {
            p->scope_off++;
            int v = variable(p, t, assign);
            p->scope_off--;
            return v;
        }
    for (int i = 0; i < p->nscope; i++)
        if (p->scope[i].len == t->len && !memcmp(p->scope[i].name, t->start, t->len)) {
            p->scope[i].assigned |= assign;
            return p->scope[i].var;
        }
    char name[300];
    snprintf(name, sizeof name, "%s.%.*s", p->prog->name, (int)(t->len < 200 ? t->len : 200),
             t->start);
    struct token v = *t;
    v.start = name;
    v.len = strlen(name);
    p->scope_off++;
    int var = variable(p, &v, true);
    p->scope_off--;
    grow(p, (void **)&p->scope, &p->scopecap, p->nscope + 1, sizeof *p->scope);
    p->scope[p->nscope++] = (struct scopevar){
        arena_strndup(p, t->start, t->len), t->len, var, assign, *t,
    };
    return var;
}

/* The end of a def: its locals get frame slots (parameters first, in
 * order), the names it only reads become the process variables'. */
static void def_end(struct parser *p)
{
    int slot = 0;
    for (int i = 0; i < p->nscope; i++) {
        struct scopevar *sv = &p->scope[i];
        if (sv->assigned) {
            p->s->vars[sv->var].frame = ++slot;
            continue;
        }
        struct token t = sv->first;
        t.start = sv->name;
        p->scope_off++;
        p->s->vars[sv->var].alias = variable(p, &t, false) + 1;
        p->scope_off--;
    }
    p->prog->nlocals = slot;
    p->def = false;
    p->nscope = 0;
    p->nglobals = 0;
}

/* A variable that is assigned: its name must not be a shared object's,
 * or reads of it would silently mean the object. */
static int assigned_var(struct parser *p, const struct token *t)
{
    int obj = names_find(&p->objects, t->start, t->len);
    if (obj >= 0)
        FAIL(p, *t, "'%.*s' is %s, not a variable", (int)t->len, t->start,
             a_kind[p->objects.kind[obj]]);
    return variable(p, t, true);
}

/* `-> VAR`: a result variable, or -1 when there is no arrow. */
static int result_var(struct parser *p)
{
    if (!is(p, T_ARROW))
        return -1;
    next(p);
    struct token t = p->tok;
    ident(p, "a variable name after '->'");
    return assigned_var(p, &t);
}

/* A signal name or number. */
static int signal_arg(struct parser *p, const char *after)
{
    struct token t = p->tok;
    char buf[64];
    if (!is(p, T_IDENT) && !is(p, T_NUM))
        FAIL(p, t, "expected a signal name after '%s', found %s", after, what(&t, buf, sizeof buf));
    int sig = signal_from_name(t.start, t.len);
    if (!sig)
        FAIL(p, t, "unknown signal '%.*s'", (int)t.len, t.start);
    next(p);
    return sig;
}

/* ------------------------------------------------------------ expressions
 * The expression parser is in parse_expr.c; these names keep the
 * statements below as they were. */

static struct expr *node(struct parser *p, enum expr_kind k, const struct token *at)
{
    return parse_node(p, k, at);
}
static struct expr *binary(struct parser *p, enum expr_kind k, struct expr *a,
                           struct expr *b)
{
    return parse_binary(p, k, a, b);
}
static struct expr *operand(struct parser *p, const char *expected, const char *word)
{
    return parse_operand(p, expected, word);
}
static struct expr *ticks(struct parser *p, const char *word) { return parse_ticks(p, word); }
static struct expr *array_item(struct parser *p, const struct token *name, int obj)
{
    return parse_array_item(p, name, obj);
}

/* ------------------------------------------------------------ code */

static int emit_insn(struct parser *p, enum opcode op, const struct token *at)
{
    struct program *pr = p->prog;
    grow(p, (void **)&pr->code, &p->codecap, pr->ncode + 1, sizeof *pr->code);
    struct insn *in = &pr->code[pr->ncode];
    memset(in, 0, sizeof *in);
    in->op = op;
    in->pos = (struct srcpos){ at->line, at->col };
    in->var = in->var2 = in->prog = in->handler = in->obj = -1;
    in->cb = in->ecb = -1;
    in->timeout = -1;
    return pr->ncode++;
}

static struct insn *insn(struct parser *p, int i) { return &p->prog->code[i]; }

static struct block *push_block(struct parser *p, enum block_kind k, const struct token *at)
{
    if (p->depth == MAX_DEPTH)
        FAIL(p, *at, "blocks nested too deeply (at most %d)", MAX_DEPTH);
    struct block *b = &p->blocks[p->depth++];
    memset(b, 0, sizeof *b);
    b->kind = k;
    b->line = at->line;
    b->jif = b->loop = -1;
    return b;
}

/* `{` must end the line that opens a block. */
static void open_brace(struct parser *p, const char *what_opens)
{
    char buf[64];
    if (!is(p, T_LBRACE))
        FAIL(p, p->tok, "expected '{' at the end of the line after '%s', found %s",
             what_opens, what(&p->tok, buf, sizeof buf));
    next(p);
    if (!end_of_line(p))
        FAIL(p, p->tok, "'{' must end the line; put the next statement on its own line");
}

static void hidden_counter(struct parser *p, const struct token *at, int *var)
{
    char name[32];
    snprintf(name, sizeof name, "#repeat%d", p->nrepeat++);
    struct token t = *at;
    t.start = name;
    t.len = strlen(name);
    *var = variable(p, &t, true);
    if (p->def)                /* a def's: a frame local (def_end) */
        return;
    p->s->vars[*var].local = true;
    p->s->vars[*var].name = arena_strndup(p, name, t.len);
}

static void parse_statement(struct parser *p);

/* `for X in LIST {`: a loop over the items of a list, tuple or string
 * (issue 13: select's ready lists), by index up to the list's length at
 * each turn (a list appended to in the loop: Python's behaviour). Compiled as
 *     SET  #i = 0;  FOR_RANGE (flags 2) #l = LIST (a dict: a list of its keys)
 *  L: JIF  (#i < len(#l)) -> end
 *     SET  X = #l[#i];  SET #i = #i + 1      (or UNPACK A, B = #l[#i])
 *     B
 *     JUMP L
 * with hidden thread-local #i and #l, so its end is a while's.
 * `for X in range(A[, B[, C]]) {` (issue 14) is a counter loop, no list:
 *     FOR_RANGE (setup): #i = A, #e = B, #s = C (ints; C != 0)
 *  L: FOR_RANGE X, #i, #e, #s -> end        (one charged step a turn)
 *     B
 *     JUMP L */
static void for_statement(struct parser *p, const struct token *at)
{
    char buf[64];
    struct token names[MAX_PARAMS];
    int nnames = 0;
    names[nnames++] = p->tok;
    ident(p, "a variable name after 'for'");
    while (is(p, T_COMMA)) {                   /* for A, B in ... */
        next(p);
        if (nnames == MAX_PARAMS)
            FAIL(p, p->tok, "too many names to unpack into (at most %d)", MAX_PARAMS);
        names[nnames++] = p->tok;
        ident(p, "a variable name after ','");
    }
    struct token name = names[0];
    if (!is_word(p, "in"))
        FAIL(p, p->tok, "expected 'in' after 'for %.*s', found %s", (int)name.len,
             name.start, what(&p->tok, buf, sizeof buf));
    next(p);
    if (nnames == 1 && is_word(p, "range") && peek_is(p, T_LPAREN)) {
        struct token r = p->tok;
        next(p);
        next(p);
        struct expr *a[3];
        int n = 0;
        while (!is(p, T_RPAREN)) {
            if (n > 0) {
                if (!is(p, T_COMMA))
                    FAIL(p, p->tok, "expected ',' or ')' in range(), found %s",
                         what(&p->tok, buf, sizeof buf));
                next(p);
            }
            if (n == 3)
                FAIL(p, p->tok, "range expected at most 3 arguments");
            if (end_of_line(p))
                FAIL(p, p->tok, "expected ')' to close range(");
            a[n++] = expr(p);
        }
        next(p);
        if (n == 0)
            FAIL(p, r, "range expected at least 1 argument, got 0");
        int iv, ev, sv;
        hidden_counter(p, at, &iv);
        hidden_counter(p, at, &ev);
        hidden_counter(p, at, &sv);
        int *vars = arena_alloc(p, 3 * sizeof *vars);
        vars[0] = iv;
        vars[1] = ev;
        vars[2] = sv;
        int i = emit_insn(p, OP_FOR_RANGE, at);
        insn(p, i)->flags = 1;                 /* setup */
        insn(p, i)->argv = arena_alloc(p, 3 * sizeof *insn(p, i)->argv);
        insn(p, i)->argv[0] = n == 1 ? node(p, EX_NUM, at) : a[0];
        insn(p, i)->argv[1] = n == 1 ? a[0] : a[1];
        if (n < 3) {
            a[2] = node(p, EX_NUM, at);
            a[2]->num = 1;
        }
        insn(p, i)->argv[2] = a[2];
        insn(p, i)->argc = 3;
        insn(p, i)->vars = vars;
        insn(p, i)->nvars = 3;
        struct block *b = push_block(p, B_WHILE, at);
        b->loop = p->prog->ncode;
        b->jif = emit_insn(p, OP_FOR_RANGE, at);
        insn(p, b->jif)->var = assigned_var(p, &name);
        insn(p, b->jif)->vars = vars;
        insn(p, b->jif)->nvars = 3;
        open_brace(p, "for");
        return;
    }
    struct expr *list = operand(p, "a list to loop over", "in");
    int iv, lv;
    hidden_counter(p, at, &iv);
    hidden_counter(p, at, &lv);
    int i = emit_insn(p, OP_SET, at);
    insn(p, i)->var = iv;
    insn(p, i)->e1 = node(p, EX_NUM, at);
    i = emit_insn(p, OP_FOR_RANGE, at);        /* #l = LIST (a dict: its keys) */
    insn(p, i)->flags = 2;
    insn(p, i)->var = lv;
    insn(p, i)->e1 = list;
    struct block *b = push_block(p, B_WHILE, at);
    b->loop = p->prog->ncode;
    b->jif = emit_insn(p, OP_JIF, at);
    struct expr *iv1 = node(p, EX_VAR, at), *lv1 = node(p, EX_VAR, at);
    iv1->var = iv;
    lv1->var = lv;
    struct expr *len = node(p, EX_LEN, at);
    len->a = lv1;
    insn(p, b->jif)->e1 = binary(p, EX_LT, iv1, len);
    struct expr *iv2 = node(p, EX_VAR, at), *lv2 = node(p, EX_VAR, at);
    iv2->var = iv;
    lv2->var = lv;
    if (nnames == 1) {
        i = emit_insn(p, OP_SET, at);
        insn(p, i)->var = assigned_var(p, &name);
    } else {
        i = emit_insn(p, OP_UNPACK, at);
        int *vars = arena_alloc(p, (size_t)nnames * sizeof *vars);
        for (int k = 0; k < nnames; k++)
            vars[k] = assigned_var(p, &names[k]);
        insn(p, i)->vars = vars;
        insn(p, i)->nvars = nnames;
    }
    insn(p, i)->e1 = binary(p, EX_INDEX, lv2, iv2);
    struct expr *iv3 = node(p, EX_VAR, at), *one = node(p, EX_NUM, at);
    iv3->var = iv;
    one->num = 1;
    i = emit_insn(p, OP_SET, at);
    insn(p, i)->var = iv;
    insn(p, i)->e1 = binary(p, EX_ADD, iv3, one);
    open_brace(p, "for");
}

/* `call @F ARGS [-> V]`, `fork @F ARGS [daemon] [-> P]`, `thread @F ARGS
 * [daemon] [-> T]` (issue 14; `@` read): F is `fn(NAME)`, a variable (r.f: an attribute) or
 * `(EXPR)`, giving a function (V_FUNC); ARGS an expression giving a tuple or
 * list of its arguments, checked against its parameters at run time. */
static void dynamic_target(struct parser *p, const struct token *at, int op)
{
    char buf[64];
    int i = emit_insn(p, OP_CALL_DYN, at);
    insn(p, i)->method = op;
    struct token f = p->tok;
    struct expr *fe;
    if (is(p, T_LPAREN)) {
        next(p);
        fe = expr(p);
        if (!is(p, T_RPAREN))
            FAIL(p, p->tok, "expected ')' after '@(' and the function, found %s",
                 what(&p->tok, buf, sizeof buf));
        next(p);
    } else if (is_word(p, "fn") && peek_is(p, T_LPAREN)) {
        fe = node(p, EX_FN, &f);
        next(p);
        next(p);
        fe->var = program_ref(p);
        if (!is(p, T_RPAREN))
            FAIL(p, p->tok, "expected ')' after fn(NAME, found %s",
                 what(&p->tok, buf, sizeof buf));
        next(p);
    } else {
        ident(p, "a function after '@': fn(NAME), a variable or (EXPR)");
        fe = node(p, EX_VAR, &f);
        fe->var = variable(p, &f, false);
        /* @obj.attr: an attribute holding the function (self._target) */
        while (is(p, T_DOT) && p->tok.glued && peek_is(p, T_IDENT)) {
            next(p);
            struct expr *a = node(p, EX_ATTR, &p->tok);
            a->a = fe;
            a->str = arena_strndup(p, p->tok.start, p->tok.len);
            next(p);
            fe = a;
        }
    }
    insn(p, i)->e1 = fe;
    insn(p, i)->e2 = operand(p, "the arguments (a tuple or list)", "@F");
    if (op != OP_CALL && is_word(p, "daemon")) {
        insn(p, i)->flags |= INSN_DAEMON;
        next(p);
    }
    if (op == OP_THREAD && is_word(p, "name")) {
        next(p);
        insn(p, i)->e3 = operand(p, "the thread's name (a str)", "name");
    }
    insn(p, i)->var = result_var(p);
}

/* `break` / `continue` (issue 14): a jump out of the innermost loop (patched
 * at its end) or to its next turn; the try blocks left on the way end
 * (OP_TRY_END each). */
static void loop_jump(struct parser *p, const struct token *at, bool brk)
{
    int d = p->depth - 1;
    while (d >= 0 && p->blocks[d].kind != B_WHILE && p->blocks[d].kind != B_REPEAT) {
        if (p->blocks[d].kind == B_WITH && !p->blocks[d].bare)   /* a lock's is */
            FAIL(p, *at, "'%s' out of a 'with' block is not supported",
                 brk ? "break" : "continue");
        if (p->blocks[d].kind == B_PROGRAM || p->blocks[d].kind == B_HANDLER)
            d = 0;
        d--;
    }
    if (d < 0)
        FAIL(p, *at, "'%s' outside loop", brk ? "break" : "continue");
    for (int k = p->depth - 1; k > d; k--) {
        bool lock_with = p->blocks[k].kind == B_WITH && p->blocks[k].bare;
        if (p->blocks[k].kind == B_TRY || lock_with)
            emit_insn(p, OP_TRY_END, at);
        if (lock_with)
            parse_obj_unwind(p, k, k + 1, at);     /* its release (parse_obj.c) */
    }
    struct block *b = &p->blocks[d];
    int j = emit_insn(p, OP_JUMP, at);
    if (!brk) {
        insn(p, j)->target = b->loop;
        return;
    }
    if (b->nchain == MAX_DEPTH)
        FAIL(p, *at, "too many 'break' in one loop (at most %d)", MAX_DEPTH);
    b->chain[b->nchain++] = j;
}

/* An exception's name (raise, except). */
static int exception_name(struct parser *p)
{
    char buf[64];
    struct token t = p->tok;
    if (!is(p, T_IDENT))
        FAIL(p, t, "expected an exception name, found %s", what(&t, buf, sizeof buf));
    int exc = exc_from_name(t.start, t.len);
    if (exc < 0) {
        char list[sizeof p->err->msg] = "";
        for (int e = 0; e < EXC_COUNT; e++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", e ? ", " : "",
                     exc_name(e));
        FAIL(p, t, "unknown exception '%.*s'; procsim raises: %s", (int)t.len, t.start, list);
    }
    next(p);
    return exc;
}

/* `except [NAME [as VAR]] {` after the `}` of a try block or of an except
 * clause: the next clause. chain: the jumps to the end so far. */
static void except_clause(struct parser *p, const int *chain, int nchain, bool after_bare)
{
    struct token at = p->tok;
    next(p);                                        /* except */
    if (after_bare)
        FAIL(p, at, "a bare 'except' catches everything, so it must be the last clause");
    if (nchain == MAX_DEPTH)
        FAIL(p, at, "too many except clauses (at most %d)", MAX_DEPTH - 1);
    int i = emit_insn(p, OP_EXCEPT, &at);
    bool bare = is(p, T_LBRACE);
    insn(p, i)->exc = bare ? EXC_BASE : exception_name(p);   /* as Python's */
    if (is_word(p, "as")) {
        next(p);
        struct token v = p->tok;
        ident(p, "a variable name after 'as'");
        insn(p, i)->var = assigned_var(p, &v);
    }
    struct block *b = push_block(p, B_EXCEPT, &at);
    b->except = i;
    b->bare = bare;
    memcpy(b->chain, chain, (size_t)nchain * sizeof *chain);
    b->nchain = nchain;
    open_brace(p, "except");
}

/* `}` of a try block or an except clause (close_block has read it). */
static void close_try(struct parser *p, const struct token *at)
{
    struct block *b = &p->blocks[p->depth - 1];
    int chain[MAX_DEPTH], nchain = b->nchain;
    memcpy(chain, b->chain, sizeof chain);
    bool bare = b->kind == B_EXCEPT && b->bare;
    if (b->kind == B_TRY)
        emit_insn(p, OP_TRY_END, at);
    chain[nchain++] = emit_insn(p, OP_JUMP, at);   /* to the end */
    insn(p, b->except)->target = p->prog->ncode;   /* the next clause */
    bool was_try = b->kind == B_TRY;
    int line = b->line;
    p->depth--;
    if (is_word(p, "except")) {
        except_clause(p, chain, nchain, bare);
        return;
    }
    if (was_try)
        FAIL(p, p->tok, "the try block opened at line %d needs an except clause: "
             "} except NAME {", line);
    emit_insn(p, OP_RERAISE, at);       /* no clause matched: on it goes */
    for (int k = 0; k < nchain; k++)
        insn(p, chain[k])->target = p->prog->ncode;
    expect_eol(p);
}

static void with_end(struct parser *p, const struct block *b, const struct token *at);

/* `}`: close the innermost block (and perhaps open an else). */
static void close_block(struct parser *p)
{
    struct token at = p->tok;
    if (p->depth == 0)
        FAIL(p, at, "unexpected '}'");
    next(p);
    struct block *b = &p->blocks[p->depth - 1];
    int here = p->prog->ncode;
    switch (b->kind) {
    case B_PROGRAM:
    case B_HANDLER:
        emit_insn(p, OP_END, &at);
        if (p->def)
            def_end(p);
        p->depth--;
        p->prog = NULL;
        expect_eol(p);
        return;
    case B_WHILE:
    case B_REPEAT:
        insn(p, emit_insn(p, OP_JUMP, &at))->target = b->loop;
        insn(p, b->jif)->target = p->prog->ncode;
        for (int i = 0; i < b->nchain; i++)        /* break */
            insn(p, b->chain[i])->target = p->prog->ncode;
        p->depth--;
        expect_eol(p);
        return;
    case B_ELSE:
        for (int i = 0; i < b->nchain; i++)
            insn(p, b->chain[i])->target = here;
        p->depth--;
        expect_eol(p);
        return;
    case B_TRY:
    case B_EXCEPT:
        close_try(p, &at);
        return;
    case B_WITH:
        with_end(p, b, &at);
        p->depth--;
        expect_eol(p);
        return;
    case B_IF:
        break;
    }
    if (!is_word(p, "else")) {
        insn(p, b->jif)->target = here;
        for (int i = 0; i < b->nchain; i++)
            insn(p, b->chain[i])->target = here;
        p->depth--;
        expect_eol(p);
        return;
    }
    /* } else { ... }  or  } else if COND { ... } */
    struct token else_tok = p->tok;
    next(p);
    int jump = emit_insn(p, OP_JUMP, &else_tok);
    insn(p, b->jif)->target = p->prog->ncode;
    int chain[MAX_DEPTH], nchain = b->nchain;
    memcpy(chain, b->chain, sizeof chain);
    if (nchain == MAX_DEPTH)
        FAIL(p, else_tok, "too many 'else if' in a row (at most %d)", MAX_DEPTH - 1);
    chain[nchain++] = jump;
    p->depth--;
    if (is_word(p, "if")) {
        struct token if_tok = p->tok;
        next(p);
        struct expr *c = operand(p, "a condition", "if");
        struct block *nb = push_block(p, B_IF, &if_tok);
        nb->jif = emit_insn(p, OP_JIF, &if_tok);
        insn(p, nb->jif)->e1 = c;
        memcpy(nb->chain, chain, sizeof chain);
        nb->nchain = nchain;
        open_brace(p, "if");
        return;
    }
    struct block *nb = push_block(p, B_ELSE, &else_tok);
    memcpy(nb->chain, chain, sizeof chain);
    nb->nchain = nchain;
    open_brace(p, "else");
}

/* wait / waitpid results: [-> PIDVAR [, STATUSVAR]] */
static void wait_results(struct parser *p, int i)
{
    insn(p, i)->var = result_var(p);
    if (insn(p, i)->var >= 0 && is(p, T_COMMA)) {
        next(p);
        struct token t = p->tok;
        ident(p, "a variable for the status after ','");
        insn(p, i)->var2 = assigned_var(p, &t);
    }
}

/* waitpid options, in any order, each at most once: nohang (WNOHANG),
 * untraced (WUNTRACED), continued (WCONTINUED). */
static void waitpid_options(struct parser *p, int i)
{
    static const struct { const char *w; int flag; } opts[] = {
        { "nohang", INSN_NOHANG }, { "untraced", INSN_UNTRACED },
        { "continued", INSN_CONTINUED },
    };
    char buf[64];
    while (is(p, T_IDENT)) {
        size_t k = 0;
        while (k < sizeof opts / sizeof opts[0] && !is_word(p, opts[k].w))
            k++;
        if (k == sizeof opts / sizeof opts[0])
            FAIL(p, p->tok, "expected nohang, untraced, continued or '->' after "
                 "'waitpid PID', found %s", what(&p->tok, buf, sizeof buf));
        if (insn(p, i)->flags & opts[k].flag)
            FAIL(p, p->tok, "'%s' is given twice", opts[k].w);
        insn(p, i)->flags |= opts[k].flag;
        next(p);
    }
}

/* In `print "a" + x`, the string begins an expression; in `print "n" -1`
 * (the contract's form: things printed side by side) it stands alone. */
static bool string_continues(const struct parser *p)
{
    struct lexer copy = p->lx;
    struct token n = lex_next(&copy);
    return n.kind == T_PLUS || n.kind == T_STAR || n.kind == T_EQ ||
           n.kind == T_NE || n.kind == T_LT || n.kind == T_LE || n.kind == T_GT ||
           n.kind == T_GE || (n.kind == T_LBRACKET && n.glued) ||
           (n.kind == T_DOT && n.glued) ||         /* "x".upper() (issue 14) */
           (n.kind == T_IDENT && ((n.len == 3 && !memcmp(n.start, "and", 3)) ||
                                  (n.len == 2 && !memcmp(n.start, "or", 2)) ||
                                  (n.len == 2 && !memcmp(n.start, "in", 2)) ||
                                  (n.len == 2 && !memcmp(n.start, "is", 2))));
}

static void print_args(struct parser *p, int i)
{
    struct print_arg args[64];
    int n = 0;
    while (!end_of_line(p)) {
        /* sep=E end=E flush=E (issue 14): Python's print options */
        if (is_word(p, "file") && peek_is(p, T_ASSIGN)) {  /* file=stdout|stderr */
            next(p);
            next(p);
            if (!is_word(p, "stdout") && !is_word(p, "stderr"))
                FAIL(p, p->tok, "print's file= is stdout or stderr");
            if (is_word(p, "stderr"))
                insn(p, i)->flags |= INSN_STDERR;
            next(p);
            continue;
        }
        if (is(p, T_IDENT) && peek_is(p, T_ASSIGN) &&
            (is_word(p, "sep") || is_word(p, "end") || is_word(p, "flush"))) {
            struct token o = p->tok;
            next(p);
            next(p);
            struct expr *e = expr(p);
            struct insn *in = insn(p, i);
            if (o.start[0] == 's' && !in->e1)
                in->e1 = e;
            else if (o.start[0] == 'e' && !in->e2)
                in->e2 = e;
            else if (o.start[0] == 'f' && !in->argc) {
                in->argv = arena_alloc(p, sizeof *in->argv);
                in->argv[0] = e;
                in->argc = 1;
            } else
                FAIL(p, o, "keyword argument repeated: %.*s", (int)o.len, o.start);
            continue;
        }
        if (n == 64)
            FAIL(p, p->tok, "too many things to print (at most 64)");
        if (is(p, T_STR) && !string_continues(p)) {
            char *buf = arena_alloc(p, p->tok.len);
            lex_unescape(&p->tok, buf);
            args[n++] = (struct print_arg){ buf, NULL };
            next(p);
        } else {
            args[n++] = (struct print_arg){ NULL, expr(p) };
        }
    }
    insn(p, i)->nargs = n;
    insn(p, i)->args = arena_alloc(p, (size_t)(n ? n : 1) * sizeof *args);
    memcpy(insn(p, i)->args, args, (size_t)n * sizeof *args);
}

/* Is the token after the current one of kind k? */
static bool peek_is(const struct parser *p, enum tok k)
{
    struct lexer copy = p->lx;
    return lex_next(&copy).kind == k;
}

/* `[let|local] A, B, ... = EXPR` (the first name, `first`, is read; the
 * current token is the comma after it): unpack a tuple or list. */
static void unpacking(struct parser *p, const struct token *at, const struct token *first,
                      bool local)
{
    char buf[64];
    int vars[MAX_PARAMS];
    int n = 0;
    vars[n++] = assigned_var(p, first);
    while (is(p, T_COMMA)) {
        next(p);
        struct token t = p->tok;
        ident(p, "a variable name after ','");
        if (n == MAX_PARAMS)
            FAIL(p, t, "too many names to unpack into (at most %d)", MAX_PARAMS);
        vars[n++] = assigned_var(p, &t);
    }
    if (!is(p, T_ASSIGN))
        FAIL(p, p->tok, "expected '=' after the names to unpack into, found %s",
             what(&p->tok, buf, sizeof buf));
    next(p);
    int i = emit_insn(p, OP_UNPACK, at);
    insn(p, i)->e1 = operand(p, "a tuple or list", "=");
    insn(p, i)->vars = arena_alloc(p, (size_t)n * sizeof *vars);
    memcpy(insn(p, i)->vars, vars, (size_t)n * sizeof *vars);
    insn(p, i)->nvars = n;
    for (int k = 0; local && k < n; k++)
        p->s->vars[vars[k]].local = true;
}

/* NAME = / += / -= EXPR, for variables and shared values. */
static void assignment(struct parser *p, const struct token *name)
{
    struct token op = p->tok;
    next(p);
    const char *w = op.kind == T_ASSIGN ? "=" : op.kind == T_PLUSEQ ? "+=" : "-=";
    struct expr *e = operand(p, "a value", w);
    int obj = names_find(&p->objects, name->start, name->len);
    if (obj >= 0 && p->objects.kind[obj] != OBJ_SHARED)
        FAIL(p, *name, "%s '%.*s' cannot be assigned; only shared values can",
             kind_words[p->objects.kind[obj]], (int)name->len, name->start);
    if (obj >= 0) {
        int i = emit_insn(p, OP_SHARED_SET, name);
        insn(p, i)->obj = obj;
        insn(p, i)->e1 = e;
        insn(p, i)->aop = op.kind == T_ASSIGN ? AOP_SET : op.kind == T_PLUSEQ ? AOP_ADD : AOP_SUB;
        return;
    }
    if (op.kind != T_ASSIGN) {
        struct expr *cur = node(p, EX_VAR, name);
        cur->var = variable(p, name, false);
        e = binary(p, op.kind == T_PLUSEQ ? EX_ADD : EX_SUB, cur, e);
    }
    int i = emit_insn(p, OP_SET, name);
    insn(p, i)->var = variable(p, name, true);
    insn(p, i)->e1 = e;
}

static const char *const methods[][6] = {
    [OBJ_SHARED] = { "acquire", "release", NULL },
    [OBJ_ARRAY] = { "acquire", "release", NULL },
    [OBJ_LOCK] = { "acquire", "release", NULL },
    [OBJ_RLOCK] = { "acquire", "release", NULL },
    [OBJ_SEMAPHORE] = { "acquire", "release", NULL },
    [OBJ_EVENT] = { "set", "clear", "wait", NULL },
    [OBJ_QUEUE] = { "put", "get", "close", "task_done", "join", NULL },
    [OBJ_PIPE] = { "send", "recv", "close", NULL },
};
static const enum method method_ids[][5] = {
    [OBJ_SHARED] = { METHOD_ACQUIRE, METHOD_RELEASE },
    [OBJ_ARRAY] = { METHOD_ACQUIRE, METHOD_RELEASE },
    [OBJ_LOCK] = { METHOD_ACQUIRE, METHOD_RELEASE },
    [OBJ_RLOCK] = { METHOD_ACQUIRE, METHOD_RELEASE },
    [OBJ_SEMAPHORE] = { METHOD_ACQUIRE, METHOD_RELEASE },
    [OBJ_EVENT] = { METHOD_SET, METHOD_CLEAR, METHOD_WAIT },
    [OBJ_QUEUE] = { METHOD_PUT, METHOD_GET, METHOD_CLOSE, METHOD_TASK_DONE, METHOD_QJOIN },
    [OBJ_PIPE] = { METHOD_SEND, METHOD_RECV, METHOD_CLOSE },
};

/* [nowait|timeout=N] after a statement that may wait (nowait only when
 * `nowait_ok`). */
static void wait_option(struct parser *p, int i, bool nowait_ok)
{
    char buf[64];
    if (nowait_ok && is_word(p, "nowait")) {
        insn(p, i)->flags |= INSN_NOWAIT;
        next(p);
    } else if (is_word(p, "timeout")) {
        struct token w = p->tok;
        next(p);
        if (!is(p, T_ASSIGN))
            FAIL(p, p->tok, "expected '=' after 'timeout', found %s", what(&p->tok, buf, sizeof buf));
        next(p);
        insn(p, i)->timeout = integer(p, "a number of ticks after 'timeout='");
        if (insn(p, i)->timeout < 0)
            FAIL(p, w, "timeout must be 0 or more ticks");
    }
}

/* NAME[INDEX] = / += / -= EXPR, NAME an array. */
static void array_assignment(struct parser *p, const struct token *name, int obj)
{
    char buf[64];
    struct expr *item = array_item(p, name, obj);
    if (!is(p, T_ASSIGN) && !is(p, T_PLUSEQ) && !is(p, T_MINUSEQ))
        FAIL(p, p->tok, "expected =, += or -= after '%.*s[...]', found %s", (int)name->len,
             name->start, what(&p->tok, buf, sizeof buf));
    struct token op = p->tok;
    next(p);
    const char *w = op.kind == T_ASSIGN ? "=" : op.kind == T_PLUSEQ ? "+=" : "-=";
    int i = emit_insn(p, OP_ARRAY_SET, name);
    insn(p, i)->obj = obj;
    insn(p, i)->e2 = item->a;
    insn(p, i)->e1 = operand(p, "a value", w);
    insn(p, i)->aop = op.kind == T_ASSIGN ? AOP_SET : op.kind == T_PLUSEQ ? AOP_ADD : AOP_SUB;
}

/* NAME.method [args] */
static void object_op(struct parser *p, const struct token *name, int obj)
{
    next(p);                                       /* . */
    struct token m = p->tok;
    ident(p, "a method name after '.'");
    enum object_kind k = (enum object_kind)p->objects.kind[obj];
    int found = -1;
    for (int i = 0; methods[k][i]; i++)
        if (strlen(methods[k][i]) == m.len && !memcmp(methods[k][i], m.start, m.len))
            found = i;
    if (found < 0) {
        char list[64] = "";
        for (int i = 0; methods[k][i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     methods[k][i]);
        FAIL(p, m, "%s '%.*s' has no method '%.*s'; its methods are: %s", kind_words[k],
             (int)name->len, name->start, (int)m.len, m.start, list);
    }
    enum method md = method_ids[k][found];
    int i = emit_insn(p, OP_OBJ, name);
    insn(p, i)->obj = obj;
    insn(p, i)->method = md;
    if (md == METHOD_PUT || md == METHOD_SEND)
        insn(p, i)->e1 = operand(p, "a value", md == METHOD_PUT ? "put" : "send");
    if (md == METHOD_GET || md == METHOD_RECV)
        insn(p, i)->var = result_var(p);
    if (md == METHOD_PUT || md == METHOD_GET)
        wait_option(p, i, true);
    if (md == METHOD_ACQUIRE || md == METHOD_WAIT) {
        /* L.acquire [nowait|timeout=N] [-> OK]; the result may come first */
        insn(p, i)->var = result_var(p);
        if (md == METHOD_WAIT && is_word(p, "nowait"))
            FAIL(p, p->tok, "an event's wait takes timeout=N, not nowait (timeout=0 "
                 "just looks at the flag)");
        wait_option(p, i, md == METHOD_ACQUIRE);
        if (insn(p, i)->var < 0)
            insn(p, i)->var = result_var(p);
    }
}

static bool pipe_kind(struct parser *p, const char *after);

/* The token after the current one (the current one stays). */
static struct token token_after(const struct parser *p)
{
    struct lexer lx = p->lx;
    return lex_next(&lx);
}

/* `pipe -> A, B [duplex|simplex]` (after `pipe`): a new pipe in this
 * process; A and B get the fd numbers of its ends. */
static void pipe_statement(struct parser *p, const struct token *at)
{
    char buf[64];
    int i = emit_insn(p, OP_PIPE, at);
    next(p);                                       /* -> */
    struct token a = p->tok;
    ident(p, "a variable name after 'pipe ->'");
    if (!is(p, T_COMMA))
        FAIL(p, p->tok, "expected ',' and a second variable after 'pipe -> %.*s' "
             "(one for each end), found %s", (int)a.len, a.start,
             what(&p->tok, buf, sizeof buf));
    next(p);
    struct token b = p->tok;
    ident(p, "a variable name after ','");
    insn(p, i)->var = assigned_var(p, &a);
    insn(p, i)->var2 = assigned_var(p, &b);
    char after[160];
    snprintf(after, sizeof after, "pipe -> %.*s, %.*s", (int)a.len, a.start, (int)b.len,
             b.start);
    if (!pipe_kind(p, after))
        insn(p, i)->flags |= INSN_SIMPLEX;
}

/* FD.send EXPR [-> N], FD.recv [N] [-> V], FD.close where FD is not an
 * object: a variable holding a pipe end's or a socket's fd. False when the method is not one of
 * these (the name is then taken for a misspelt object). */
static bool fd_op(struct parser *p, const struct token *name)
{
    static const char *const names[] = { "send", "recv", "close" };
    static const enum method ids[] = { METHOD_SEND, METHOD_RECV, METHOD_CLOSE };
    struct token m = token_after(p);
    int found = -1;
    for (int k = 0; k < 3; k++)
        if (m.kind == T_IDENT && m.len == strlen(names[k]) && !memcmp(m.start, names[k], m.len))
            found = k;
    if (found < 0)
        return false;
    next(p);                                       /* . */
    next(p);                                       /* the method */
    int i = emit_insn(p, OP_FD, name);
    struct expr *fd = node(p, EX_VAR, name);
    fd->var = variable(p, name, false);
    insn(p, i)->e2 = fd;
    insn(p, i)->method = ids[found];
    if (ids[found] == METHOD_SEND)
        insn(p, i)->e1 = operand(p, "a value", "send");
    /* sockets: `S.recv N -> DATA` (at most N bytes) and `S.send DATA -> N`
     * (bytes taken); a pipe end ignores N and sets no count */
    if (ids[found] == METHOD_RECV && !is(p, T_ARROW) && !end_of_line(p))
        insn(p, i)->e1 = expr(p);
    if (ids[found] == METHOD_RECV || ids[found] == METHOD_SEND)
        insn(p, i)->var = result_var(p);
    return true;
}

/* ------------------------------------------------- pools and executors */

static const char *const pool_kind_words[] = { "pool", "threadpool", "processpool" };
static const char *const pool_kind_names[] = { "Pool", "ThreadPoolExecutor",
                                               "ProcessPoolExecutor" };

/* A program given as a callback: it must take exactly one parameter (the
 * result, the exception's message, or the future). */
static int callback_ref(struct parser *p, const char *option)
{
    struct token name = p->tok;
    int prog = program_ref(p);
    if (prog_max(p, prog) != 1)
        FAIL(p, name, "%s program %s must take 1 argument (it gets %s), not %d", option,
             p->programs.name[prog], !strcmp(option, "add_done_callback") ? "the future"
             : !strcmp(option, "error_callback") ? "the exception's message" : "the result",
             prog_max(p, prog));
    return prog;
}

/* `NAME=VALUE` options after a pool or handle method; `allowed` lists the
 * names this method takes. */
static void pool_options(struct parser *p, int i, const char *method, const char *const *allowed)
{
    char buf[64];
    while (is(p, T_IDENT) && !is(p, T_ARROW)) {
        struct token w = p->tok;
        int k = -1;
        for (int a = 0; allowed[a]; a++)
            if (w.len == strlen(allowed[a]) && !memcmp(w.start, allowed[a], w.len))
                k = a;
        if (k < 0) {
            char list[120] = "";
            for (int a = 0; allowed[a]; a++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s=", a ? ", " : "",
                         allowed[a]);
            FAIL(p, w, "unknown option '%.*s' for %s; it takes %s", (int)w.len, w.start, method,
                 allowed[0] ? list : "none");
        }
        next(p);
        if (!is(p, T_ASSIGN))
            FAIL(p, p->tok, "expected '=' after '%s', found %s", allowed[k],
                 what(&p->tok, buf, sizeof buf));
        next(p);
        const char *o = allowed[k];
        struct insn *in;
        if (!strcmp(o, "callback") || !strcmp(o, "error_callback")) {
            int prog = callback_ref(p, o);
            in = insn(p, i);
            if (!strcmp(o, "callback"))
                in->cb = prog;
            else
                in->ecb = prog;
        } else if (!strcmp(o, "timeout")) {
            insn(p, i)->timeout = integer(p, "a number of ticks after 'timeout='");
            if (insn(p, i)->timeout < 0)
                FAIL(p, w, "timeout must be 0 or more ticks");
        } else if (!strcmp(o, "chunksize")) {
            insn(p, i)->e2 = operand(p, "a chunk size", "chunksize=");
        } else if (!strcmp(o, "maxtasksperchild")) {
            insn(p, i)->e2 = operand(p, "a number of tasks", "maxtasksperchild=");
        } else if (!strcmp(o, "initializer")) {
            insn(p, i)->cb = program_ref(p);
        } else if (!strcmp(o, "initargs")) {
            insn(p, i)->argv = arena_alloc(p, sizeof *insn(p, i)->argv);
            insn(p, i)->argv[0] = operand(p, "a tuple of arguments", "initargs=");
            insn(p, i)->argc = 1;
        } else if (!strcmp(o, "counter")) {
            struct token v = p->tok;
            ident(p, "a variable after 'counter='");
            insn(p, i)->var2 = variable(p, &v, false);
        } else {                                   /* wait=, cancel_futures= */
            bool yes = is_word(p, "True");
            if (!yes && !is_word(p, "False"))
                FAIL(p, p->tok, "expected True or False after '%s=', found %s", o,
                     what(&p->tok, buf, sizeof buf));
            next(p);
            if (!strcmp(o, "wait") && !yes)
                insn(p, i)->flags |= INSN_NOWAIT;
            if (!strcmp(o, "cancel_futures") && yes)
                insn(p, i)->flags |= INSN_CANCEL_FUTURES;
        }
    }
}

/* `pool NAME [N] [maxtasksperchild=M]`, `threadpool NAME [N]`,
 * `processpool NAME [N]` (kw is the first word, at the statement's
 * start): make the pool; declares NAME for the rest of the file. Returns
 * the pool's index. */
static int pool_statement(struct parser *p, const struct token *kw, const struct token *at)
{
    struct scenario *s = p->s;
    enum pool_kind kind = kw->len == 4 ? PK_POOL : kw->start[0] == 't' ? PK_THREADS
                                                                      : PK_PROCESSES;
    struct token name = p->tok;
    ident(p, "a pool name");
    if (names_find(&p->objects, name.start, name.len) >= 0 ||
        names_find(&p->programs, name.start, name.len) >= 0 ||
        names_find(&p->handlers, name.start, name.len) >= 0)
        duplicate(p, &name);
    int k = names_find(&p->poolnames, name.start, name.len);
    if (k >= 0 && s->pools[k].kind != kind)
        FAIL(p, name, "'%.*s' is a %s (line %d); one name, one kind of pool", (int)name.len,
             name.start, pool_kind_names[s->pools[k].kind], s->pools[k].pos.line);
    if (k < 0) {
        k = s->npools;
        grow(p, (void **)&s->pools, &p->poolcap, k + 1, sizeof *s->pools);
        char *n = arena_strndup(p, name.start, name.len);
        names_add(p, &p->poolnames, n, name.line, kind);
        s->pools[k] = (struct pooldecl){ n, kind, { name.line, name.col } };
        s->npools++;
    }
    int i = emit_insn(p, OP_POOL, at);
    insn(p, i)->method = PM_NEW;
    insn(p, i)->obj = k;
    if (!end_of_line(p) && !is(p, T_LBRACE) && !is_word(p, "maxtasksperchild") &&
        !is_word(p, "initializer") && !is_word(p, "initargs") && !is_word(p, "counter"))
        insn(p, i)->e1 = expr(p);
    static const char *const pool_opts[] = { "maxtasksperchild", "initializer", "initargs",
                                             "counter", NULL };
    static const char *const no_opts[] = { NULL };
    pool_options(p, i, pool_kind_names[kind], kind == PK_POOL ? pool_opts : no_opts);
    return k;
}

/* `with pool NAME [N] {` ... `}`: the block's end terminates the pool
 * (Pool.__exit__) or shuts the executor down, waiting (Executor.__exit__). */
static void with_statement(struct parser *p, const struct token *at)
{
    char buf[64];
    struct token kw = p->tok;
    bool ok = false;
    for (int k = 0; k < 3; k++)
        ok |= is_word(p, pool_kind_words[k]);
    if (!ok) {
        (void)buf;
        parse_obj_with(p, at);            /* a lock's (issue 14) */
        return;
    }
    next(p);
    int k = pool_statement(p, &kw, at);
    struct block *b = push_block(p, B_WITH, at);
    b->except = k;
    open_brace(p, "with");
}

static void with_end(struct parser *p, const struct block *b, const struct token *at)
{
    if (b->bare) {                        /* a lock's with (parse_obj.c) */
        parse_obj_with_end(p, b, at);
        return;
    }
    int i = emit_insn(p, OP_POOL, at);
    insn(p, i)->obj = b->except;
    insn(p, i)->method = p->s->pools[b->except].kind == PK_POOL ? PM_TERMINATE : PM_SHUTDOWN;
}

/* PROG(args) of apply/apply_async/submit, or PROG ITEMS of the maps. */
static void pool_call(struct parser *p, int i, bool items)
{
    char buf[64];
    if (!is(p, T_IDENT))
        FAIL(p, p->tok, "expected a program name, found %s", what(&p->tok, buf, sizeof buf));
    struct token name = p->tok;
    insn(p, i)->prog = program_ref(p);
    if (!items) {
        call_args(p, insn(p, i)->prog, &name, &insn(p, i)->argv, &insn(p, i)->argc, false);
        return;
    }
    if (is(p, T_LPAREN) && p->tok.glued)
        FAIL(p, p->tok, "map takes the program and the items, not a call: write "
             "NAME.map %s ITEMS", p->programs.name[insn(p, i)->prog]);
    insn(p, i)->e1 = operand(p, "the items (a list or tuple)", p->programs.name[insn(p, i)->prog]);
}

/* NAME.method ... on a pool or executor. */
static void pool_method(struct parser *p, const struct token *name, int k)
{
    static const struct { const char *w; enum pool_method m; bool pool; } ms[] = {
        { "apply", PM_APPLY, true }, { "apply_async", PM_APPLY_ASYNC, true },
        { "map", PM_MAP, true }, { "map_async", PM_MAP_ASYNC, true },
        { "starmap", PM_STARMAP, true }, { "starmap_async", PM_STARMAP_ASYNC, true },
        { "close", PM_CLOSE, true }, { "join", PM_JOIN, true },
        { "terminate", PM_TERMINATE, true },
        { "imap", PM_IMAP, true }, { "imap_unordered", PM_IMAP_UNORDERED, true },
        { "submit", PM_SUBMIT, false }, { "map", PM_EXMAP, false },
        { "shutdown", PM_SHUTDOWN, false },
    };
    next(p);                                       /* . */
    struct token m = p->tok;
    ident(p, "a method name after '.'");
    enum pool_kind kind = p->s->pools[k].kind;
    int found = -1;
    for (size_t j = 0; j < sizeof ms / sizeof ms[0]; j++)
        if (ms[j].pool == (kind == PK_POOL) && m.len == strlen(ms[j].w) &&
            !memcmp(m.start, ms[j].w, m.len))
            found = (int)j;
    if (found < 0)
        FAIL(p, m, "%s '%.*s' has no method '%.*s'; its methods are: %s",
             pool_kind_names[kind], (int)name->len, name->start, (int)m.len, m.start,
             kind == PK_POOL ? "apply, apply_async, map, map_async, starmap, "
                               "starmap_async, imap, imap_unordered, close, join, "
                               "terminate"
                             : "submit, map, shutdown");
    enum pool_method md = ms[found].m;
    int i = emit_insn(p, OP_POOL, name);
    insn(p, i)->obj = k;
    insn(p, i)->method = md;
    static const char *const none[] = { NULL };
    static const char *const async_opts[] = { "callback", "error_callback", NULL };
    static const char *const map_opts[] = { "chunksize", NULL };
    static const char *const map_async_opts[] = { "chunksize", "callback", "error_callback",
                                                  NULL };
    static const char *const exmap_opts[] = { "timeout", "chunksize", NULL };
    static const char *const shutdown_opts[] = { "wait", "cancel_futures", NULL };
    char what_m[80];
    snprintf(what_m, sizeof what_m, "%.*s.%.*s", (int)name->len, name->start, (int)m.len,
             m.start);
    switch (md) {
    case PM_APPLY: case PM_SUBMIT:
        pool_call(p, i, false);
        pool_options(p, i, what_m, none);
        break;
    case PM_APPLY_ASYNC:
        pool_call(p, i, false);
        pool_options(p, i, what_m, async_opts);
        break;
    case PM_MAP: case PM_STARMAP: case PM_IMAP: case PM_IMAP_UNORDERED:
        pool_call(p, i, true);
        pool_options(p, i, what_m, map_opts);
        break;
    case PM_MAP_ASYNC: case PM_STARMAP_ASYNC:
        pool_call(p, i, true);
        pool_options(p, i, what_m, map_async_opts);
        break;
    case PM_EXMAP:
        pool_call(p, i, true);
        pool_options(p, i, what_m, exmap_opts);
        break;
    case PM_SHUTDOWN:
        pool_options(p, i, what_m, shutdown_opts);
        return;
    default:                                       /* close, join, terminate */
        return;
    }
    int var = result_var(p);
    if (md != PM_APPLY && md != PM_MAP && md != PM_STARMAP && md != PM_EXMAP) {
        insn(p, i)->var = var;
        return;
    }
    /* apply = apply_async(...).get(); map = map_async(...).get() (pool.py);
     * the handle goes through a hidden thread-local variable */
    struct token hv = { .kind = T_IDENT, .start = "#apply", .len = 6, .line = name->line,
                        .col = name->col };
    int h = variable(p, &hv, true);
    p->s->vars[h].local = true;
    insn(p, i)->var = h;
    if (md != PM_EXMAP)
        insn(p, i)->method = md == PM_APPLY ? PM_APPLY_ASYNC : md == PM_MAP ? PM_MAP_ASYNC
                                                                         : PM_STARMAP_ASYNC;
    int g = emit_insn(p, OP_POOL, name);
    insn(p, g)->method = PM_GET;
    insn(p, g)->e2 = node(p, EX_VAR, name);
    insn(p, g)->e2->var = h;
    insn(p, g)->var = var;
    insn(p, g)->timeout = insn(p, i)->timeout;
    insn(p, i)->timeout = -1;
}

/* VAR.get/wait/result/exception/cancel/add_done_callback where VAR holds
 * an AsyncResult or a Future (checked when it runs). False when the method
 * is none of these. */
static bool handle_op(struct parser *p, const struct token *name)
{
    static const struct { const char *w; enum pool_method m; } ms[] = {
        { "get", PM_GET }, { "wait", PM_WAIT }, { "result", PM_RESULT },
        { "exception", PM_EXCEPTION }, { "cancel", PM_CANCEL },
        { "add_done_callback", PM_ADD_DONE_CB }, { "next", PM_NEXT },
    };
    struct token m = token_after(p);
    int found = -1;
    for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++)
        if (m.kind == T_IDENT && m.len == strlen(ms[k].w) && !memcmp(m.start, ms[k].w, m.len))
            found = (int)k;
    if (found < 0)
        return false;
    next(p);                                       /* . */
    next(p);                                       /* the method */
    int i = emit_insn(p, OP_POOL, name);
    struct expr *h = node(p, EX_VAR, name);
    h->var = variable(p, name, false);
    insn(p, i)->e2 = h;
    insn(p, i)->method = ms[found].m;
    static const char *const timeout_opt[] = { "timeout", NULL };
    static const char *const none[] = { NULL };
    char what_m[80];
    snprintf(what_m, sizeof what_m, "%.*s.%s", (int)name->len, name->start, ms[found].w);
    if (ms[found].m == PM_ADD_DONE_CB) {
        insn(p, i)->cb = callback_ref(p, "add_done_callback");
        return true;
    }
    pool_options(p, i, what_m, ms[found].m == PM_CANCEL ? none : timeout_opt);
    if (ms[found].m != PM_WAIT)
        insn(p, i)->var = result_var(p);
    return true;
}

/* After the whole file: the hidden programs the pools run. A worker:
 *     0 try            (except at 3)
 *     1 take a task / the next item of its chunk, and call the function
 *     2 the call returned: the result; back to 0
 *     3 the call raised: the exception is the result; back to 0
 *     4 a done callback returned (thread executors); the next, or back to 0
 *     5 end
 * The owner's result handler thread (Pool._handle_results, the process
 * executor's manager thread):
 *     0 take a result; to 1 when it calls a callback
 *     1 the callback returned; back to 0 */
static void pool_programs(struct parser *p)
{
    struct scenario *s = p->s;
    static const char *const worker_names[] = { "PoolWorker", "ThreadPoolWorker",
                                                "ProcessPoolWorker" };
    static const char *const handler_names[] = { "_handle_results", "",
                                                 "ExecutorManagerThread" };
    for (int k = 0; k < 3; k++)
        s->pool_worker_prog[k] = s->pool_handler_prog[k] = -1;
    s->pool_ret_var = -1;
    if (!s->npools)
        return;
    struct token rv = { .kind = T_IDENT, .start = "#poolret", .len = 8, .line = 1, .col = 1 };
    s->pool_ret_var = variable(p, &rv, true);
    s->vars[s->pool_ret_var].local = true;
    for (int d = 0; d < s->npools; d++) {
        enum pool_kind kind = s->pools[d].kind;
        if (s->pool_worker_prog[kind] >= 0)
            continue;
        for (int h = 0; h < 2; h++) {
            if (h == 1 && kind == PK_THREADS)
                continue;              /* callbacks run in the worker threads */
            static const enum pool_method wsteps[] = { PM_W_TAKE, PM_W_DONE, PM_W_FAIL,
                                                       PM_H_CB_DONE };
            static const enum pool_method hsteps[] = { PM_H_TAKE, PM_H_CB_DONE };
            int n = h == 0 ? 6 : 3;
            grow(p, (void **)&s->programs, &p->progcap, s->nprograms + 1, sizeof *s->programs);
            struct program *pr = &s->programs[s->nprograms];
            memset(pr, 0, sizeof *pr);
            pr->name = h == 0 ? worker_names[kind] : handler_names[kind];
            pr->pos = s->pools[d].pos;
            pr->code = calloc((size_t)n, sizeof *pr->code);
            if (!pr->code)
                parse_fail(p, pr->pos.line, pr->pos.col, "out of memory");
            s->nprograms++;
            for (int c = 0; c < n; c++) {
                struct insn *in = &pr->code[c];
                in->pos = pr->pos;
                in->var = in->var2 = in->prog = in->handler = in->obj = in->cb = in->ecb = -1;
                in->timeout = -1;
                in->op = OP_POOL;
                in->method = h == 0 ? (c >= 1 && c <= 4 ? wsteps[c - 1] : 0)
                                    : (c < 2 ? hsteps[c] : 0);
            }
            if (h == 0) {
                pr->code[0].op = OP_TRY;
                pr->code[0].target = 3;
            }
            pr->code[n - 1].op = OP_END;
            pr->ncode = n;
            if (h == 0)
                s->pool_worker_prog[kind] = s->nprograms - 1;
            else
                s->pool_handler_prog[kind] = s->nprograms - 1;
        }
    }
}

/* ------------------------------------------------------- program statements */

/* `timer N PROG(args) [daemon] [-> T]` (after `timer`): threading.Timer(N, PROG,
 * args).start(). The interval goes to the timer thread in a hidden local
 * variable (var2); timer_programs() gives the statement its thread's
 * hidden program (target). */
static void timer_statement(struct parser *p, const struct token *at)
{
    int i = emit_insn(p, OP_TIMER, at);
    if (is(p, T_ARROW) || end_of_line(p))
        FAIL(p, p->tok, "expected an interval in ticks after 'timer', then a program: "
             "timer N PROG [-> T]");
    insn(p, i)->e1 = ticks(p, "timer");
    if (!is(p, T_IDENT))
        FAIL(p, p->tok, "expected a program name after 'timer N' (the function the "
             "timer runs)");
    struct token name = p->tok;
    insn(p, i)->prog = program_ref(p);
    call_args(p, insn(p, i)->prog, &name, &insn(p, i)->argv, &insn(p, i)->argc, false);
    if (is_word(p, "daemon")) {                    /* t.daemon = True */
        insn(p, i)->flags |= INSN_DAEMON;
        next(p);
    }
    struct token hidden = *at;
    hidden.start = "#timer";
    hidden.len = 6;
    /* the timer thread's variable, never a def's frame local: the thread
     * reads it and has no frame (a timer in a def crashed; fuzz found it) */
    p->scope_off++;
    insn(p, i)->var2 = variable(p, &hidden, true);
    p->scope_off--;
    p->s->vars[insn(p, i)->var2].local = true;
    insn(p, i)->target = -1;
    insn(p, i)->var = result_var(p);
}

/* Statements that make sense only at top level: a clear message. */
static bool top_level_word(const struct parser *p)
{
    static const char *const w[] = { "title", "describe", "config", "program",
        "handler", "spawn", "at", "expect", "shared", "lock", "rlock",
        "semaphore", "event", "queue", "pipe", "joinablequeue", "threadqueue", "array" };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (is_word(p, w[i]))
            return true;
    return false;
}

static void simple(struct parser *p, enum opcode op, const struct token *at)
{
    emit_insn(p, op, at);
}

static void parse_statement(struct parser *p)
{
    struct token at = p->tok;
    char buf[64];
    int i;
    if (is(p, T_RBRACE)) {
        close_block(p);
        return;
    }
    if (!is(p, T_IDENT))
        FAIL(p, at, "expected a statement, found %s", what(&at, buf, sizeof buf));
    if (is_word(p, "pipe") && token_after(p).kind == T_ARROW) {
        next(p);
        pipe_statement(p, &at);
        expect_eol(p);
        return;
    }
    if (is_word(p, "pipe") && token_after(p).kind == T_IDENT)
        FAIL(p, at, "'pipe NAME' declares a pipe at top level; inside a program, "
             "'pipe -> A, B' makes one (A and B get the fds of its ends). Or is a '}' "
             "missing? '%s %s' (line %d) is still open",
             p->blocks[0].kind == B_HANDLER ? "handler" : "program", p->prog->name,
             p->blocks[0].line);
    if (top_level_word(p))
        FAIL(p, at, "'%.*s' is not allowed inside a program; is a '}' missing? "
             "'%s %s' (line %d) is still open", (int)at.len, at.start,
             p->blocks[0].kind == B_HANDLER ? "handler" : "program", p->prog->name,
             p->blocks[0].line);
#define WORD(w) (at.len == sizeof(w) - 1 && !memcmp(at.start, w, at.len))
    next(p);
    if ((WORD("thread") || WORD("call") || WORD("fork")) && is(p, T_AT)) {
        next(p);
        dynamic_target(p, &at, WORD("thread") ? OP_THREAD : WORD("call") ? OP_CALL
                                                                           : OP_FORK);
    } else if (WORD("compute") || WORD("disk") || WORD("sleep")) {
        const char *w = WORD("compute") ? "compute" : WORD("disk") ? "disk" : "sleep";
        i = emit_insn(p, WORD("compute") ? OP_COMPUTE : WORD("disk") ? OP_DISK : OP_SLEEP, &at);
        insn(p, i)->e1 = ticks(p, w);
        if (WORD("sleep"))
            insn(p, i)->var = result_var(p);
    } else if (WORD("fork")) {
        i = emit_insn(p, OP_FORK, &at);
        if (is(p, T_IDENT)) {
            struct token name = p->tok;
            insn(p, i)->prog = program_ref(p);
            call_args(p, insn(p, i)->prog, &name, &insn(p, i)->argv, &insn(p, i)->argc, false);
            if (insn(p, i)->prog >= 0 && is_word(p, "daemon")) {
                insn(p, i)->flags |= INSN_DAEMON;
                next(p);
            }
        }
        insn(p, i)->var = result_var(p);
    } else if (WORD("exec")) {
        i = emit_insn(p, OP_EXEC, &at);
        if (!is(p, T_IDENT))
            FAIL(p, p->tok, "expected a program name after 'exec'");
        struct token name = p->tok;
        insn(p, i)->prog = program_ref(p);
        call_args(p, insn(p, i)->prog, &name, &insn(p, i)->argv, &insn(p, i)->argc, false);
    } else if (WORD("exit") || WORD("_exit")) {
        i = emit_insn(p, OP_EXIT, &at);
        if (WORD("_exit"))
            insn(p, i)->flags |= INSN_QUICK;
        if (!end_of_line(p)) {
            struct token c = p->tok;
            insn(p, i)->e1 = expr(p);
            if (insn(p, i)->e1->kind == EX_NUM &&
                (insn(p, i)->e1->num < 0 || insn(p, i)->e1->num > 255))
                FAIL(p, c, "exit code must be 0..255");
        }
    } else if (WORD("wait")) {
        i = emit_insn(p, OP_WAIT, &at);
        wait_results(p, i);
    } else if (WORD("waitpid")) {
        i = emit_insn(p, OP_WAITPID, &at);
        insn(p, i)->e1 = operand(p, "a pid (-1 for any child)", "waitpid");
        waitpid_options(p, i);
        wait_results(p, i);
    } else if (WORD("nice")) {
        i = emit_insn(p, OP_NICE, &at);
        insn(p, i)->e1 = operand(p, "a nice increment", "nice");
    } else if (WORD("yield")) {
        simple(p, OP_YIELD, &at);
    } else if (WORD("print")) {
        i = emit_insn(p, OP_PRINT, &at);
        print_args(p, i);
    } else if ((WORD("let") || WORD("local")) && is(p, T_IDENT) && peek_is(p, T_COMMA)) {
        struct token first = p->tok;
        next(p);
        unpacking(p, &at, &first, WORD("local"));
    } else if (is(p, T_COMMA)) {
        unpacking(p, &at, &at, false);
    } else if (WORD("let") || WORD("local")) {
        struct token name = p->tok;
        ident(p, WORD("let") ? "a variable name after 'let'" : "a variable name after 'local'");
        if (!is(p, T_ASSIGN))
            FAIL(p, p->tok, "expected '=' after '%.*s', found %s", (int)name.len, name.start,
                 what(&p->tok, buf, sizeof buf));
        next(p);
        struct expr *e = operand(p, "a value", "=");
        i = emit_insn(p, OP_SET, &at);
        insn(p, i)->var = assigned_var(p, &name);
        insn(p, i)->e1 = e;
        if (WORD("local"))
            p->s->vars[insn(p, i)->var].local = true;
    } else if (WORD("if") || WORD("while")) {
        struct expr *c = operand(p, "a condition", WORD("if") ? "if" : "while");
        struct block *b = push_block(p, WORD("if") ? B_IF : B_WHILE, &at);
        b->loop = p->prog->ncode;
        b->jif = emit_insn(p, OP_JIF, &at);
        insn(p, b->jif)->e1 = c;
        open_brace(p, WORD("if") ? "if" : "while");
        return;
    } else if (WORD("for") && is(p, T_IDENT)) {
        for_statement(p, &at);
        return;
    } else if (WORD("repeat")) {
        struct expr *n = operand(p, "a number of times", "repeat");
        int r;
        hidden_counter(p, &at, &r);
        i = emit_insn(p, OP_SET, &at);
        insn(p, i)->var = r;
        insn(p, i)->e1 = n;
        struct block *b = push_block(p, B_REPEAT, &at);
        b->loop = p->prog->ncode;
        b->jif = emit_insn(p, OP_JIF, &at);
        struct expr *rv = node(p, EX_VAR, &at), *zero = node(p, EX_NUM, &at);
        rv->var = r;
        insn(p, b->jif)->e1 = binary(p, EX_GT, rv, zero);
        i = emit_insn(p, OP_SET, &at);
        struct expr *rv2 = node(p, EX_VAR, &at), *one = node(p, EX_NUM, &at);
        rv2->var = r;
        one->num = 1;
        insn(p, i)->var = r;
        insn(p, i)->e1 = binary(p, EX_SUB, rv2, one);
        open_brace(p, "repeat");
        return;
    } else if (WORD("signal")) {
        i = emit_insn(p, OP_SIGNAL, &at);
        struct token st = p->tok;
        insn(p, i)->sig = signal_arg(p, "signal");
        if (insn(p, i)->sig == SIG_KILL || insn(p, i)->sig == SIG_STOP)
            FAIL(p, st, "%s cannot be caught, blocked or ignored", signal_name(insn(p, i)->sig));
        if (is_word(p, "default")) {
            insn(p, i)->disp = SIGDISP_DEFAULT;
            next(p);
        } else if (is_word(p, "ignore")) {
            insn(p, i)->disp = SIGDISP_IGNORE;
            next(p);
        } else if (is(p, T_IDENT)) {
            insn(p, i)->disp = SIGDISP_HANDLER;
            insn(p, i)->handler = handler_ref(p);
        } else {
            FAIL(p, p->tok, "expected default, ignore or a handler name, found %s",
                 what(&p->tok, buf, sizeof buf));
        }
    } else if (WORD("kill")) {
        i = emit_insn(p, OP_KILL, &at);
        insn(p, i)->e1 = operand(p, "a pid", "kill");
        insn(p, i)->sig = signal_arg(p, "kill PID");
    } else if (WORD("alarm")) {
        i = emit_insn(p, OP_ALARM, &at);
        insn(p, i)->e1 = ticks(p, "alarm");
    } else if (WORD("pause")) {
        simple(p, OP_PAUSE, &at);
    } else if (WORD("block") || WORD("unblock")) {
        i = emit_insn(p, WORD("block") ? OP_BLOCK : OP_UNBLOCK, &at);
        struct token st = p->tok;
        insn(p, i)->sig = signal_arg(p, WORD("block") ? "block" : "unblock");
        if (insn(p, i)->sig == SIG_KILL || insn(p, i)->sig == SIG_STOP)
            FAIL(p, st, "%s cannot be caught, blocked or ignored", signal_name(insn(p, i)->sig));
    } else if (WORD("subreaper")) {
        simple(p, OP_SUBREAPER, &at);
    } else if (WORD("setpgid")) {
        i = emit_insn(p, OP_SETPGID, &at);
        insn(p, i)->e1 = operand(p, "a pid (0 for itself)", "setpgid");
        if ((end_of_line(p) || is(p, T_ARROW)) && insn(p, i)->e1->kind == EX_SUB)
            FAIL(p, p->tok, "expected a process group after 'setpgid PID'; "
                 "'PID -N' reads as a subtraction: write a negative group in "
                 "parentheses, as in setpgid 0 (-1)");
        if (end_of_line(p) || is(p, T_ARROW))
            FAIL(p, p->tok, "expected a process group after 'setpgid PID' "
                 "(0 for the pid itself)");
        insn(p, i)->e2 = expr(p);
        insn(p, i)->var = result_var(p);
    } else if (WORD("setsid")) {
        i = emit_insn(p, OP_SETSID, &at);
        insn(p, i)->var = result_var(p);
    } else if (WORD("tcsetpgrp")) {
        i = emit_insn(p, OP_TCSETPGRP, &at);
        if (is(p, T_ARROW))
            FAIL(p, p->tok, "expected a process group after 'tcsetpgrp'");
        insn(p, i)->e1 = operand(p, "a process group", "tcsetpgrp");
        insn(p, i)->var = result_var(p);
    } else if (WORD("thread")) {
        i = emit_insn(p, OP_THREAD, &at);
        if (!is(p, T_IDENT))
            FAIL(p, p->tok, "expected a program name after 'thread'");
        struct token name = p->tok;
        insn(p, i)->prog = program_ref(p);
        call_args(p, insn(p, i)->prog, &name, &insn(p, i)->argv, &insn(p, i)->argc, false);
        if (is_word(p, "daemon")) {
            insn(p, i)->flags |= INSN_DAEMON;
            next(p);
        }
        insn(p, i)->var = result_var(p);
    } else if (WORD("call")) {
        i = emit_insn(p, OP_CALL, &at);
        if (!is(p, T_IDENT))
            FAIL(p, p->tok, "expected a program name after 'call'");
        struct token name = p->tok;
        insn(p, i)->prog = program_ref(p);
        call_args(p, insn(p, i)->prog, &name, &insn(p, i)->argv, &insn(p, i)->argc, false);
        insn(p, i)->var = result_var(p);
    } else if (WORD("join")) {
        i = emit_insn(p, OP_JOIN, &at);
        if (is_word(p, "timeout"))
            FAIL(p, p->tok, "expected a thread id or a child's pid after 'join', "
                 "then timeout=N");
        insn(p, i)->e1 = operand(p, "a thread id or a child's pid", "join");
        wait_option(p, i, false);
        insn(p, i)->var = result_var(p);
        if (insn(p, i)->var >= 0)
            p->s->joins_results = true;
    } else if (WORD("timer")) {
        timer_statement(p, &at);
    } else if (WORD("cancel")) {
        i = emit_insn(p, OP_CANCEL, &at);
        insn(p, i)->e1 = operand(p, "a timer (the thread id 'timer ... -> T' gave)",
                                 "cancel");
    } else if (WORD("terminate")) {
        i = emit_insn(p, OP_TERMINATE, &at);
        insn(p, i)->e1 = operand(p, "a child's pid", "terminate");
    } else if (parse_value_statement(p, &at)) {
        /* X[K] = E, X.attr = E, del X[K], eval E (issue 14: parse_expr.c) */
    } else if (is(p, T_LBRACKET) && names_find(&p->objects, at.start, at.len) >= 0 &&
               p->objects.kind[names_find(&p->objects, at.start, at.len)] == OBJ_ARRAY) {
        array_assignment(p, &at, names_find(&p->objects, at.start, at.len));
    } else if (WORD("try")) {
        int open_tries = 0;
        for (int b = 0; b < p->depth; b++)
            open_tries += p->blocks[b].kind == B_TRY;
        if (open_tries == MAX_TRY)
            FAIL(p, at, "try blocks nested too deeply (at most %d)", MAX_TRY);
        struct block *b = push_block(p, B_TRY, &at);
        b->except = emit_insn(p, OP_TRY, &at);
        open_brace(p, "try");
        return;
    } else if (WORD("except")) {
        FAIL(p, at, "'except' must follow the '}' of a try block, on the same line: "
             "} except NAME {");
    } else if (WORD("raise")) {
        i = emit_insn(p, OP_RAISE, &at);
        if (end_of_line(p))                    /* bare raise (issue 14) */
            insn(p, i)->exc = -1;
        else
            insn(p, i)->exc = exception_name(p);
        if (insn(p, i)->exc < 0) {
            /* the exception being handled, again */
        } else if (is(p, T_STR) && !string_continues(p)) {
            insn(p, i)->args = arena_alloc(p, sizeof *insn(p, i)->args);
            char *text = arena_alloc(p, p->tok.len);
            lex_unescape(&p->tok, text);
            insn(p, i)->args[0] = (struct print_arg){ text, NULL };
            insn(p, i)->nargs = 1;
            next(p);
        } else if (!end_of_line(p)) {          /* raise E EXPR: a message made
                                                  at run time (issue 14) */
            insn(p, i)->args = arena_alloc(p, sizeof *insn(p, i)->args);
            insn(p, i)->args[0] = (struct print_arg){ NULL, expr(p) };
            insn(p, i)->nargs = 1;
        }
    } else if (WORD("global")) {
        global_statement(p, &at);
    } else if (WORD("break") || WORD("continue")) {
        loop_jump(p, &at, WORD("break"));
    } else if (WORD("return")) {
        parse_obj_unwind(p, 0, p->depth, &at);    /* release the with blocks' locks */
        i = emit_insn(p, OP_RETURN, &at);
        if (!end_of_line(p))
            insn(p, i)->e1 = expr(p);
    } else if (is(p, T_ASSIGN) || is(p, T_PLUSEQ) || is(p, T_MINUSEQ)) {
        assignment(p, &at);
    } else if ((WORD("pool") || WORD("threadpool") || WORD("processpool")) &&
               is(p, T_IDENT)) {
        pool_statement(p, &at, &at);
    } else if (WORD("with")) {
        with_statement(p, &at);
        return;
    } else if (is(p, T_DOT) && names_find(&p->poolnames, at.start, at.len) >= 0) {
        pool_method(p, &at, names_find(&p->poolnames, at.start, at.len));
    } else if (is(p, T_DOT) && parse_obj_method(p, &at)) {
        /* objects as values (issue 14): V.put X ... on a variable */
    } else if (is(p, T_DOT)) {
        int obj = names_find(&p->objects, at.start, at.len);
        if (obj < 0 && !parse_net_method(p, &at) && !parse_mux_method(p, &at) &&
            !parse_coro_method(p, &at) && !fd_op(p, &at) && !handle_op(p, &at))
            FAIL(p, at, "unknown object '%.*s'", (int)at.len, at.start);
        if (obj >= 0)
            object_op(p, &at, obj);
    } else if (parse_net_statement(p, &at) || parse_mux_statement(p, &at) ||
               parse_coro_statement(p, &at) || parse_obj_statement(p, &at)) {
        /* sockets, multiplexing, coroutines (issue 13) */
    } else {
        FAIL(p, at, "unknown statement '%.*s'", (int)at.len, at.start);
    }
#undef WORD
    expect_eol(p);
}

/* ------------------------------------------------------ top-level statements */

/* `(a, b)` after a program's name: its parameters, variables private to
 * the task that runs it (named PROGRAM.a inside, so each program has its
 * own). */
static void parse_params(struct parser *p, struct program *pr, bool handler)
{
    char buf[64];
    struct token open = p->tok;
    if (handler)
        FAIL(p, open, "a handler takes no parameters (it gets the signal only)");
    next(p);
    int vars[MAX_PARAMS];
    while (!is(p, T_RPAREN)) {
        if (p->nparams > 0) {
            if (!is(p, T_COMMA))
                FAIL(p, p->tok, "expected ',' or ')' in the parameters of %s, found %s",
                     pr->name, what(&p->tok, buf, sizeof buf));
            next(p);
        }
        struct token t = p->tok;
        ident(p, "a parameter name");
        for (int i = 0; i < p->nparams; i++)
            if (p->params[i].len == t.len && !memcmp(p->params[i].start, t.start, t.len))
                FAIL(p, t, "parameter '%.*s' is named twice", (int)t.len, t.start);
        if (p->nparams == MAX_PARAMS)
            FAIL(p, t, "too many parameters (at most %d)", MAX_PARAMS);
        char name[200];
        snprintf(name, sizeof name, "%s.%.*s", pr->name, (int)(t.len < 100 ? t.len : 100),
                 t.start);
        struct token v = t;
        v.start = name;
        v.len = strlen(name);
        int saved = p->nparams;
        p->nparams = 0;                  /* look the mangled name up globally */
        int var = variable(p, &v, true);
        p->nparams = saved;
        p->s->vars[var].local = true;
        p->s->vars[var].name = arena_strndup(p, name, v.len);
        vars[p->nparams] = var;
        p->params[p->nparams++] = t;
    }
    next(p);
    pr->nparams = p->nparams;
    pr->params = arena_alloc(p, (size_t)(pr->nparams ? pr->nparams : 1) * sizeof *pr->params);
    memcpy(pr->params, vars, (size_t)pr->nparams * sizeof *vars);
}

static void new_program(struct parser *p, const struct token *at, bool handler)
{
    struct scenario *s = p->s;
    struct token name = p->tok;
    if (!handler && is(p, T_IDENT)) {
        struct lexer after;
        name.len = dotted_len(&p->lx, &name, &after);   /* program C.run */
        p->lx = after;
        p->tok = name;
    }
    ident(p, handler ? "a handler name after 'handler'" : "a program name after 'program'");
    struct names *own = handler ? &p->handlers : &p->programs;
    int idx = names_find(own, name.start, name.len);
    int expected = handler ? s->nhandlers : s->nprograms;
    if (idx != expected)
        duplicate(p, &name);
    struct program *pr;
    if (handler) {
        grow(p, (void **)&s->handlers, &p->handlercap, s->nhandlers + 1, sizeof *pr);
        pr = &s->handlers[s->nhandlers++];
    } else {
        grow(p, (void **)&s->programs, &p->progcap, s->nprograms + 1, sizeof *pr);
        pr = &s->programs[s->nprograms++];
    }
    memset(pr, 0, sizeof *pr);
    pr->name = own->name[idx];
    pr->pos = (struct srcpos){ name.line, name.col };
    p->prog = pr;
    p->nparams = 0;
    if (is(p, T_LPAREN))
        parse_params(p, pr, handler);
    p->prog = NULL;
    char what_opens[80];
    snprintf(what_opens, sizeof what_opens, "%s %s", handler ? "handler" : "program", pr->name);
    open_brace(p, what_opens);
    p->prog = pr;
    p->codecap = 0;
    push_block(p, handler ? B_HANDLER : B_PROGRAM, at);
}

/* `def NAME(a, b=EXPR) {` (issue 14): a function whose parameters and
 * assigned variables are frame locals (scope_var, def_end). NAME may be
 * dotted (`def C.m(self)`). A default is evaluated at each call that
 * leaves its argument out, in the caller's process variables. */
static void new_def(struct parser *p, const struct token *at)
{
    struct scenario *s = p->s;
    char buf[64];
    struct token name = p->tok;
    if (!is(p, T_IDENT))
        FAIL(p, name, "expected a function name after 'def', found %s",
             what(&name, buf, sizeof buf));
    struct lexer after;
    name.len = dotted_len(&p->lx, &name, &after);
    p->lx = after;
    next(p);
    int idx = names_find(&p->programs, name.start, name.len);
    if (idx != s->nprograms)
        duplicate(p, &name);
    grow(p, (void **)&s->programs, &p->progcap, s->nprograms + 1, sizeof *s->programs);
    struct program *pr = &s->programs[s->nprograms++];
    memset(pr, 0, sizeof *pr);
    pr->name = p->programs.name[idx];
    pr->pos = (struct srcpos){ name.line, name.col };
    pr->def = true;
    p->prog = pr;
    p->def = true;
    p->nscope = 0;
    p->nglobals = 0;
    p->nparams = 0;
    if (!is(p, T_LPAREN))
        FAIL(p, p->tok, "expected '(' and the parameters of %s, found %s", pr->name,
             what(&p->tok, buf, sizeof buf));
    next(p);
    int vars[MAX_PARAMS];
    struct expr *defaults[MAX_PARAMS];
    int n = 0, ndef = 0;
    while (!is(p, T_RPAREN)) {
        if (n > 0) {
            if (!is(p, T_COMMA))
                FAIL(p, p->tok, "expected ',' or ')' in the parameters of %s, found %s",
                     pr->name, what(&p->tok, buf, sizeof buf));
            next(p);
        }
        struct token t = p->tok;
        ident(p, "a parameter name");
        for (int i = 0; i < p->nscope; i++)
            if (p->scope[i].len == t.len && !memcmp(p->scope[i].name, t.start, t.len))
                FAIL(p, t, "duplicate argument '%.*s' in function definition", (int)t.len,
                     t.start);
        if (n == MAX_PARAMS)
            FAIL(p, t, "too many parameters (at most %d)", MAX_PARAMS);
        vars[n++] = scope_var(p, &t, true);
        if (is(p, T_ASSIGN)) {
            next(p);
            p->scope_off++;            /* evaluated where the def is */
            defaults[ndef++] = expr(p);
            p->scope_off--;
        } else if (ndef > 0) {
            FAIL(p, t, "non-default argument follows default argument");
        }
    }
    next(p);
    pr->nparams = n;
    pr->params = arena_alloc(p, (size_t)(n ? n : 1) * sizeof *pr->params);
    memcpy(pr->params, vars, (size_t)n * sizeof *vars);
    pr->ndefaults = ndef;
    pr->defaults = arena_alloc(p, (size_t)(ndef ? ndef : 1) * sizeof *pr->defaults);
    memcpy(pr->defaults, defaults, (size_t)ndef * sizeof *defaults);
    char what_opens[300];
    snprintf(what_opens, sizeof what_opens, "def %s", pr->name);
    open_brace(p, what_opens);
    p->codecap = 0;
    push_block(p, B_PROGRAM, at);
}

/* `global a, b` in a def: those names are the process variables. */
static void global_statement(struct parser *p, const struct token *at)
{
    if (!p->def)
        FAIL(p, *at, "'global' is for a def's body (a program's variables are all "
             "process variables already)");
    do {
        if (is(p, T_COMMA))
            next(p);
        struct token t = p->tok;
        ident(p, "a variable name after 'global'");
        for (int i = 0; i < p->nscope; i++)
            if (p->scope[i].len == t.len && !memcmp(p->scope[i].name, t.start, t.len))
                FAIL(p, t, "name '%.*s' is %s prior to global declaration", (int)t.len,
                     t.start, p->scope[i].assigned ? "assigned to" : "used");
        grow(p, (void **)&p->globals, &p->globalcap, p->nglobals + 1, sizeof *p->globals);
        p->globals[p->nglobals++] = t;
    } while (is(p, T_COMMA));
}

static void config_line(struct parser *p)
{
    char buf[64];
    if (end_of_line(p))
        FAIL(p, p->tok, "expected KEY=VALUE after 'config'");
    while (!end_of_line(p)) {
        struct token key = p->tok;
        char *k = ident(p, "a config key (KEY=VALUE)");
        if (!is(p, T_ASSIGN))
            FAIL(p, p->tok, "expected '=' after '%s', found %s", k, what(&p->tok, buf, sizeof buf));
        next(p);
        struct token v = p->tok;
        char value[64];
        size_t n = 0;
        /* The value: a word, a number (maybe negative), or a number glued
         * to a unit (1ms). */
        while (!end_of_line(p) && (n == 0 || p->tok.glued) &&
               (is(p, T_IDENT) || is(p, T_NUM) || is(p, T_MINUS))) {
            if (n + p->tok.len >= sizeof value)
                FAIL(p, v, "value too long");
            memcpy(value + n, p->tok.start, p->tok.len);
            n += p->tok.len;
            next(p);
        }
        value[n] = '\0';
        if (n == 0)
            FAIL(p, v, "expected a value after '%s=', found %s", k, what(&v, buf, sizeof buf));
        if (is(p, T_DOT) && p->tok.glued) {
            size_t kl = strlen(k);
            if (!strcmp(k, "tick") || (kl > 5 && !strcmp(k + kl - 5, "_cost")))
                FAIL(p, v, "'%s' takes whole numbers: write a decimal in a smaller unit "
                     "(2500us, not 2.5ms)", k);
            FAIL(p, v, "'%s' takes a whole number", k);
        }
        const char *msg = config_set(&p->s->config, k, value);
        if (msg && !strncmp(msg, "unknown config key", 18))
            FAIL(p, key, "unknown config key '%s'%s", k, msg + 18);
        if (msg)
            FAIL(p, v, "%s", msg);
    }
}

static void spawn_line(struct parser *p)
{
    struct scenario *s = p->s;
    struct token at = p->tok;
    char buf[64];
    if (!is(p, T_IDENT))
        FAIL(p, at, "expected a program name after 'spawn'");
    grow(p, (void **)&s->spawns, &p->spawncap, s->nspawns + 1, sizeof *s->spawns);
    struct spawn *sp = &s->spawns[s->nspawns];
    memset(sp, 0, sizeof *sp);
    sp->pos = (struct srcpos){ at.line, at.col };
    sp->prog = program_ref(p);
    call_args(p, sp->prog, &at, &sp->argv, &sp->argc, true);
    while (!end_of_line(p)) {
        struct token o = p->tok;
        if (is_word(p, "fg")) {
            sp->fg = true;
            next(p);
            continue;
        }
        if (!is_word(p, "nice") && !is_word(p, "at"))
            FAIL(p, o, "expected nice=N, at=T or fg after 'spawn %s', found %s",
                 p->programs.name[sp->prog], what(&o, buf, sizeof buf));
        bool nice = is_word(p, "nice");
        next(p);
        if (!is(p, T_ASSIGN))
            FAIL(p, p->tok, "expected '=' after '%s'", nice ? "nice" : "at");
        next(p);
        struct token v = p->tok;
        int64_t n = integer(p, nice ? "a nice value" : "a tick");
        if (nice && (n < -20 || n > 19))
            FAIL(p, v, "nice must be from -20 to 19");
        if (!nice && n < 0)
            FAIL(p, v, "a spawn's tick must be 0 or more");
        if (nice)
            sp->nice = (int)n;
        else
            sp->at = n;
    }
    s->nspawns++;
}

/* `ctrl-\`: the lexer has no token for a backslash outside a string, so
 * when one comes right after the '-' it is stepped over here, by hand. */
static bool backslash_follows(struct parser *p)
{
    struct lexer *lx = &p->lx;
    if (lx->pos >= lx->len || lx->src[lx->pos] != '\\')
        return false;
    lx->pos++;
    lx->col++;
    return true;
}

static void at_line(struct parser *p)
{
    struct scenario *s = p->s;
    char buf[64];
    struct token tt = p->tok;
    int64_t tick = integer(p, "a tick after 'at'");
    if (tick < 0)
        FAIL(p, tt, "a tick must be 0 or more");
    grow(p, (void **)&s->outside, &p->outcap, s->noutside + 1, sizeof *s->outside);
    struct outside *o = &s->outside[s->noutside];
    memset(o, 0, sizeof *o);
    o->at = tick;
    o->pos = (struct srcpos){ p->tok.line, p->tok.col };
    o->pid = -1;
    struct token w = p->tok;
    if (is_word(p, "kill")) {
        next(p);
        o->kind = OUT_KILL;
        struct token pt = p->tok;
        int64_t pid = integer(p, "a pid after 'kill'");
        if (pid < -4194304 || pid > 4194304)
            FAIL(p, pt, "no such pid");
        o->pid = (int)pid;
        o->sig = signal_arg(p, "kill PID");
    } else if (is_word(p, "ctrl")) {
        next(p);
        if (!is(p, T_MINUS))
            FAIL(p, p->tok, "expected ctrl-c, ctrl-z or ctrl-\\");
        if (backslash_follows(p)) {
            o->kind = OUT_CTRL_BACKSLASH;
        } else {
            next(p);
            if (is_word(p, "c"))
                o->kind = OUT_CTRL_C;
            else if (is_word(p, "z"))
                o->kind = OUT_CTRL_Z;
            else if (is_word(p, "backslash"))
                o->kind = OUT_CTRL_BACKSLASH;
            else
                FAIL(p, p->tok, "expected ctrl-c, ctrl-z or ctrl-\\");
        }
        next(p);
    } else if (is_word(p, "fg") || is_word(p, "bg")) {
        o->kind = is_word(p, "fg") ? OUT_FG : OUT_BG;
        next(p);
        if (o->kind == OUT_BG || !end_of_line(p)) {
            struct token pt = p->tok;
            int64_t pid = integer(p, o->kind == OUT_BG ? "a pid after 'bg'" : "a pid after 'fg'");
            if (pid < 1 || pid > 4194304)
                FAIL(p, pt, "expected a pid (1 or more)");
            o->pid = (int)pid;
        }
    } else {
        FAIL(p, w, "expected kill, ctrl-c, ctrl-z, ctrl-\\, fg or bg after 'at %lld', found %s",
             (long long)tick, what(&w, buf, sizeof buf));
    }
    s->noutside++;
}

static void expect_line(struct parser *p)
{
    struct scenario *s = p->s;
    char buf[64];
    grow(p, (void **)&s->expects, &p->expcap, s->nexpects + 1, sizeof *s->expects);
    struct expect *e = &s->expects[s->nexpects];
    memset(e, 0, sizeof *e);
    e->pos = (struct srcpos){ p->tok.line, p->tok.col };
    e->obj = -1;
    bool end = is_word(p, "end");
    if (end) {
        e->tick = EXPECT_END;
        next(p);
    } else {
        struct token t = p->tok;
        if (!is(p, T_NUM) && !is(p, T_MINUS))
            FAIL(p, t, "expected a tick or 'end' after 'expect', found %s", what(&t, buf, sizeof buf));
        e->tick = integer(p, "a tick");
        if (e->tick < 0)
            FAIL(p, t, "a tick must be 0 or more");
    }
    struct token w = p->tok;
    if (is_word(p, "pid")) {
        next(p);
        struct token pt = p->tok;
        int64_t pid = integer(p, "a pid after 'pid'");
        if (pid < 1 || pid > 4194304)
            FAIL(p, pt, "expected a pid (1 or more)");
        e->pid = (int)pid;
        struct token k = p->tok;
        if (is_word(p, "state") && !end) {
            next(p);
            struct token st = p->tok;
            static const char letters[] = "RSDTZ";
            if (st.kind == T_IDENT && st.len == 1 && strchr(letters, st.start[0]))
                e->state = st.start[0];
            else if (st.kind == T_IDENT && st.len == 4 && !memcmp(st.start, "gone", 4))
                e->state = 'X';
            else
                FAIL(p, st, "expected a state (R, S, D, T, Z or gone), found %s",
                     what(&st, buf, sizeof buf));
            e->kind = EXP_STATE;
            next(p);
        } else if (is_word(p, "ppid")) {
            next(p);
            struct token q = p->tok;
            int64_t ppid = integer(p, "a pid after 'ppid'");
            if (ppid < 0 || ppid > 4194304)
                FAIL(p, q, "expected a pid (0 or more)");
            e->kind = EXP_PPID;
            e->ppid = (int)ppid;
        } else if (is_word(p, "exit") && end) {
            next(p);
            e->kind = EXP_EXIT;
            struct token c = p->tok;
            e->value = integer(p, "an exit status (a code 0..255, or -SIG)");
            if (e->value < -31 || e->value > 255)
                FAIL(p, c, "an exit status is a code 0..255 or -SIG (-1..-31)");
        } else {
            if (end)
                FAIL(p, k, "expected ppid or exit after 'expect end pid %d', found %s",
                     e->pid, what(&k, buf, sizeof buf));
            FAIL(p, k, "expected state or ppid after 'expect %lld pid %d', found %s",
                 (long long)e->tick, e->pid, what(&k, buf, sizeof buf));
        }
    } else if (end && is_word(p, "shared")) {
        next(p);
        struct token n = p->tok;
        ident(p, "a shared value's name");
        e->obj = names_find(&p->objects, n.start, n.len);
        if (e->obj < 0 || p->objects.kind[e->obj] != OBJ_SHARED)
            FAIL(p, n, "unknown shared value '%.*s'", (int)n.len, n.start);
        if (!is(p, T_ASSIGN))
            FAIL(p, p->tok, "expected '=' after the name");
        next(p);
        e->kind = EXP_SHARED;
        e->value = integer(p, "a value");
    } else if (end && is_word(p, "array")) {
        next(p);
        struct token n = p->tok;
        ident(p, "an array's name");
        e->obj = names_find(&p->objects, n.start, n.len);
        if (e->obj < 0 || p->objects.kind[e->obj] != OBJ_ARRAY)
            FAIL(p, n, "unknown array '%.*s'", (int)n.len, n.start);
        if (!is(p, T_LBRACKET))
            FAIL(p, p->tok, "expected '[' and an index after the name: array %.*s[I] = V",
                 (int)n.len, n.start);
        next(p);
        struct token it = p->tok;
        int64_t index = integer(p, "an index");
        if (index < 0 || (e->obj < s->nobjects && index >= s->objects[e->obj].nitems))
            FAIL(p, it, "index %lld is out of range for array %.*s of %d items",
                 (long long)index, (int)n.len, n.start, s->objects[e->obj].nitems);
        e->index = (int)index;
        if (!is(p, T_RBRACKET))
            FAIL(p, p->tok, "expected ']' after the index");
        next(p);
        if (!is(p, T_ASSIGN))
            FAIL(p, p->tok, "expected '=' after the item");
        next(p);
        e->kind = EXP_ARRAY;
        e->value = integer(p, "a value");
    } else if (end && is_word(p, "output")) {
        next(p);
        if (!is_word(p, "pid"))
            FAIL(p, p->tok, "expected 'pid' after 'output'");
        next(p);
        struct token pt = p->tok;
        int64_t pid = integer(p, "a pid");
        if (pid < 1 || pid > 4194304)
            FAIL(p, pt, "expected a pid (1 or more)");
        e->pid = (int)pid;
        if (!is(p, T_STR))
            FAIL(p, p->tok, "expected the printed text in quotes, found %s", what(&p->tok, buf, sizeof buf));
        char *text = arena_alloc(p, p->tok.len);
        lex_unescape(&p->tok, text);
        e->text = text;
        e->kind = EXP_OUTPUT;
        next(p);
    } else if (end && is_word(p, "ticks")) {
        next(p);
        if (!is(p, T_LE))
            FAIL(p, p->tok, "expected '<=' after 'ticks'");
        next(p);
        e->kind = EXP_TICKS;
        e->value = integer(p, "a number of ticks");
    } else {
        FAIL(p, w, end ? "expected pid, shared, array, output or ticks after 'expect end', found %s"
                       : "expected 'pid' after the tick, found %s", what(&w, buf, sizeof buf));
    }
    s->nexpects++;
}

/* The rest of `queue|joinablequeue|threadqueue NAME [MAXSIZE] [ORDER]`.
 * MAXSIZE <= 0 is unbounded, as in CPython; above SEM_VALUE_MAX CPython
 * fails to make the semaphore, so here it is a load error. */
static void queue_decl(struct parser *p, const struct token *kw, struct object *o)
{
    o->qkind = (uint8_t)queue_word(kw);
    o->feeder_prog = -1;
    if (is(p, T_NUM) || is(p, T_MINUS)) {
        struct token v = p->tok;
        o->init = integer(p, "a maximum size");
        if (o->init > QUEUE_MAXSIZE_MAX)
            FAIL(p, v, "a queue's maximum size must be at most %d (SEM_VALUE_MAX); 0 or "
                 "less is unbounded", QUEUE_MAXSIZE_MAX);
    }
    if (o->qkind == QK_THREAD && !end_of_line(p)) {
        static const char *const order[] = { [QO_FIFO] = "fifo", [QO_LIFO] = "lifo",
                                             [QO_PRIORITY] = "priority" };
        int found = -1;
        for (int i = 0; i < 3; i++)
            if (is_word(p, order[i]))
                found = i;
        if (found < 0) {
            char buf[64];
            FAIL(p, p->tok, "expected fifo, lifo or priority after 'threadqueue %s', found %s",
                 o->name, what(&p->tok, buf, sizeof buf));
        }
        o->qorder = (uint8_t)found;
        next(p);
    }
}

/* array NAME SIZE  or  array NAME [v1, v2, ...]: the items, all 0 or
 * as listed. */
static void array_decl(struct parser *p, struct object *o)
{
    char buf[64];
    struct token at = p->tok;
    if (!is(p, T_LBRACKET)) {
        if (!is(p, T_NUM) && !is(p, T_MINUS))
            FAIL(p, at, "expected a size or a list of items ([1, 2, 3]) after 'array %s', "
                 "found %s", o->name, what(&at, buf, sizeof buf));
        int64_t n = integer(p, "a size");
        if (n < 0 || n > ARRAY_MAX_ITEMS)
            FAIL(p, at, "an array's size must be 0..%d", ARRAY_MAX_ITEMS);
        o->nitems = (int)n;
        return;
    }
    next(p);                                       /* [ */
    int cap = 0;
    while (!is(p, T_RBRACKET)) {
        if (o->nitems == ARRAY_MAX_ITEMS)
            FAIL(p, p->tok, "an array has at most %d items", ARRAY_MAX_ITEMS);
        if (o->nitems == cap) {
            int ncap = cap ? cap * 2 : 8;
            int64_t *items = arena_alloc(p, (size_t)ncap * sizeof *items);
            if (cap)
                memcpy(items, o->items, (size_t)cap * sizeof *items);
            o->items = items;
            cap = ncap;
        }
        o->items[o->nitems++] = integer(p, "an integer item");
        if (is(p, T_COMMA))
            next(p);
        else if (!is(p, T_RBRACKET))
            FAIL(p, p->tok, "expected ',' or ']' in the items of array %s, found %s",
                 o->name, what(&p->tok, buf, sizeof buf));
    }
    next(p);                                       /* ] */
}

/* `[duplex|simplex]` after a pipe's names: true for duplex (the default). */
static bool pipe_kind(struct parser *p, const char *after)
{
    if (end_of_line(p))
        return true;
    bool duplex = is_word(p, "duplex");
    if (!duplex && !is_word(p, "simplex"))
        FAIL(p, p->tok, "expected duplex or simplex after '%s'", after);
    next(p);
    return duplex;
}

/* The rest of `pipe NAME [duplex|simplex]` or `pipe A, B [duplex|simplex]`
 * (the object of the first name is filled but not yet counted): one
 * top-level pipe, with one object for the contract's one-name form, or
 * one per end. */
static void pipe_line(struct parser *p)
{
    struct scenario *s = p->s;
    struct object *o = &s->objects[s->nobjects];
    if (s->npipes == 30)
        parse_fail(p, o->pos.line, o->pos.col, "too many top-level pipes (at most 30: "
                "each takes two of a process's 64 fds, from fd 3 on)");
    o->pipe = s->npipes;
    o->end = -1;
    char after[200];
    snprintf(after, sizeof after, "pipe %s", o->name);
    if (is(p, T_COMMA)) {
        next(p);
        struct token b = p->tok;
        ident(p, "the name of the second end after ','");
        int bidx = names_find(&p->objects, b.start, b.len);
        if (bidx != s->nobjects + 1)
            duplicate(p, &b);
        grow(p, (void **)&s->objects, &p->objcap, s->nobjects + 2, sizeof *s->objects);
        o = &s->objects[s->nobjects];
        o->end = 0;
        struct object *ob = &s->objects[s->nobjects + 1];
        *ob = *o;
        ob->name = p->objects.name[bidx];
        ob->pos = (struct srcpos){ b.line, b.col };
        ob->end = 1;
        snprintf(after, sizeof after, "pipe %s, %s", o->name, ob->name);
        o->duplex = ob->duplex = pipe_kind(p, after);
        s->nobjects += 2;
    } else {
        o->duplex = pipe_kind(p, after);
        s->nobjects++;
    }
    s->npipes++;
}

static void object_line(struct parser *p, const struct token *kw)
{
    struct scenario *s = p->s;
    enum object_kind k = (enum object_kind)object_word(kw);
    struct token name = p->tok;
    char what_name[64];
    snprintf(what_name, sizeof what_name, "a name after '%.*s'", (int)kw->len, kw->start);
    ident(p, what_name);
    int idx = names_find(&p->objects, name.start, name.len);
    if (idx != s->nobjects)
        duplicate(p, &name);
    grow(p, (void **)&s->objects, &p->objcap, s->nobjects + 1, sizeof *s->objects);
    struct object *o = &s->objects[s->nobjects];
    memset(o, 0, sizeof *o);
    o->kind = k;
    o->name = p->objects.name[idx];
    o->pos = (struct srcpos){ name.line, name.col };
    o->duplex = true;
    if (k == OBJ_SHARED) {
        if (!is(p, T_ASSIGN))
            FAIL(p, p->tok, "expected '=' and a starting value after 'shared %s'", o->name);
        next(p);
        o->init = integer(p, "a whole number");
    } else if (k == OBJ_SEMAPHORE) {
        struct token v = p->tok;
        o->init = integer(p, "the semaphore's starting value");
        if (o->init < 0)
            FAIL(p, v, "a semaphore's value must be 0 or more");
    } else if (k == OBJ_QUEUE) {
        queue_decl(p, kw, o);
    } else if (k == OBJ_ARRAY) {
        array_decl(p, o);
    } else if (k == OBJ_PIPE) {
        pipe_line(p);
        return;
    }
    s->nobjects++;
}

static void string_line(struct parser *p, const char *word, const char **out)
{
    char buf[64];
    if (!is(p, T_STR))
        FAIL(p, p->tok, "expected text in quotes after '%s', found %s", word,
             what(&p->tok, buf, sizeof buf));
    char *text = arena_alloc(p, p->tok.len);
    lex_unescape(&p->tok, text);
    *out = text;
    next(p);
}

static void parse_top(struct parser *p)
{
    struct scenario *s = p->s;
    struct token at = p->tok;
    char buf[64];
    if (is(p, T_RBRACE))
        FAIL(p, at, "unexpected '}'");
    if (!is(p, T_IDENT))
        FAIL(p, at, "expected a statement, found %s", what(&at, buf, sizeof buf));
#define WORD(w) (at.len == sizeof(w) - 1 && !memcmp(at.start, w, at.len))
    next(p);
    if (WORD("title")) {
        if (s->title)
            FAIL(p, at, "a scenario has one title");
        string_line(p, "title", &s->title);
    } else if (WORD("describe")) {
        grow(p, (void **)&s->describe, &p->desccap, s->ndescribe + 1, sizeof *s->describe);
        string_line(p, "describe", &s->describe[s->ndescribe]);
        s->ndescribe++;
    } else if (WORD("config")) {
        config_line(p);
    } else if (WORD("program") || WORD("handler")) {
        new_program(p, &at, WORD("handler"));
        return;
    } else if (WORD("def")) {
        new_def(p, &at);
        return;
    } else if (WORD("spawn")) {
        spawn_line(p);
    } else if (WORD("at")) {
        at_line(p);
    } else if (WORD("expect")) {
        expect_line(p);
    } else if (object_word(&at) >= 0) {
        object_line(p, &at);
    } else {
        static const char *const prog_words[] = { "compute", "sleep", "disk", "fork",
            "exec", "exit", "wait", "waitpid", "nice", "yield", "print", "let", "if",
            "repeat", "while", "signal", "kill", "alarm", "pause", "block", "unblock",
            "subreaper", "thread", "join", "local", "call", "timer", "cancel", "pool",
            "threadpool", "processpool", "with" };
        for (size_t i = 0; i < sizeof prog_words / sizeof prog_words[0]; i++)
            if (at.len == strlen(prog_words[i]) && !memcmp(at.start, prog_words[i], at.len))
                FAIL(p, at, "'%s' must be inside a program or handler", prog_words[i]);
        FAIL(p, at, "unknown statement '%.*s'", (int)at.len, at.start);
    }
#undef WORD
    expect_eol(p);
}

/* After the whole file, when every queue's kind is known: task_done and
 * join only on the queues that have them; then each multiprocessing queue
 * gets the program its feeder threads run (QueueFeederThread: one step a
 * tick, forever; the kernel ends it, see queue.c). */
static void queue_checks(struct parser *p)
{
    struct scenario *s = p->s;
    for (int i = 0; i < s->nprograms + s->nhandlers; i++) {
        const struct program *pr = i < s->nprograms ? &s->programs[i]
                                                    : &s->handlers[i - s->nprograms];
        for (int c = 0; c < pr->ncode; c++) {
            const struct insn *in = &pr->code[c];
            if (in->op != OP_OBJ || in->obj < 0 || s->objects[in->obj].kind != OBJ_QUEUE)
                continue;
            const struct object *o = &s->objects[in->obj];
            if (o->qkind == QK_MP && (in->method == METHOD_TASK_DONE ||
                                      in->method == METHOD_QJOIN))
                parse_fail(p, in->pos.line, in->pos.col, "queue '%s' (a multiprocessing.Queue) "
                        "has no method '%s'; declare it as a joinablequeue (or a threadqueue)",
                        o->name, in->method == METHOD_QJOIN ? "join" : "task_done");
            if (o->qkind == QK_THREAD && in->method == METHOD_CLOSE)
                parse_fail(p, in->pos.line, in->pos.col, "threadqueue '%s' has no method "
                        "'close' (a queue.Queue has no pipe to close)", o->name);
        }
    }
    for (int q = 0; q < s->nobjects; q++) {
        struct object *o = &s->objects[q];
        if (o->kind != OBJ_QUEUE || o->qkind == QK_THREAD || o->feeder_prog >= 0)
            continue;                      /* (a `new` queue's: parse_obj.c) */
        grow(p, (void **)&s->programs, &p->progcap, s->nprograms + 1, sizeof *s->programs);
        struct program *pr = &s->programs[s->nprograms];
        memset(pr, 0, sizeof *pr);
        pr->name = "QueueFeederThread";
        pr->pos = o->pos;
        pr->code = calloc(3, sizeof *pr->code);
        if (!pr->code)
            parse_fail(p, o->pos.line, o->pos.col, "out of memory");
        s->nprograms++;
        for (int c = 0; c < 3; c++) {
            struct insn *in = &pr->code[c];
            in->pos = o->pos;
            in->var = in->var2 = in->prog = in->handler = -1;
            in->timeout = -1;
        }
        pr->code[0].op = OP_OBJ;
        pr->code[0].obj = q;
        pr->code[0].method = METHOD_FEED;
        pr->code[1].op = OP_JUMP;
        pr->code[1].target = 0;
        pr->code[2].op = OP_END;
        pr->ncode = 3;
        o->feeder_prog = s->nprograms - 1;
    }
}

/* After the whole file: each `timer` statement gets the program its
 * thread runs: wait (OP_TIMER_WAIT: the interval, or until cancelled), then
 * become PROG (the kernel switches the thread to it), or end. Named
 * "Timer", as CPython's class; comm and the thread's column show it until
 * it fires. */
static void timer_programs(struct parser *p)
{
    struct scenario *s = p->s;
    int n = s->nprograms;
    for (int k = 0; k < n + s->nhandlers; k++)
        for (int c = 0; c < (k < n ? s->programs[k].ncode : s->handlers[k - n].ncode); c++) {
            /* the code arrays stay where they are when programs grows */
            struct insn *in = k < n ? &s->programs[k].code[c] : &s->handlers[k - n].code[c];
            if (in->op != OP_TIMER)
                continue;
            struct srcpos pos = in->pos;
            grow(p, (void **)&s->programs, &p->progcap, s->nprograms + 1, sizeof *s->programs);
            struct program *pr = &s->programs[s->nprograms];
            memset(pr, 0, sizeof *pr);
            pr->name = "Timer";
            pr->pos = pos;
            pr->code = calloc(2, sizeof *pr->code);
            if (!pr->code)
                parse_fail(p, pos.line, pos.col, "out of memory");
            for (int j = 0; j < 2; j++) {
                pr->code[j].pos = pos;
                pr->code[j].var = pr->code[j].var2 = pr->code[j].handler = -1;
                pr->code[j].obj = -1;
                pr->code[j].timeout = -1;
            }
            pr->code[0].op = OP_TIMER_WAIT;
            pr->code[0].prog = in->prog;
            pr->code[0].var2 = in->var2;
            pr->code[1].op = OP_END;
            pr->code[1].prog = -1;
            pr->ncode = 2;
            in->target = s->nprograms++;
        }
}

/* After the whole file: unclosed blocks, variables never assigned. */
static void final_checks(struct parser *p)
{
    if (p->depth > 0) {
        struct block *b = &p->blocks[0];
        parse_fail(p, p->tok.line, p->tok.col, "expected '}' to close '%s %s' opened at line %d",
                b->kind == B_HANDLER ? "handler" : p->prog->def ? "def" : "program",
                p->prog->name, b->line);
    }
    for (int v = 0; v < p->s->nvars; v++)
        if (!p->varinfo[v].assigned)
            parse_fail(p, p->varinfo[v].read_line, p->varinfo[v].read_col,
                    "unknown variable '%s'", p->s->vars[v].name);
    /* a def's read-only name is a thread-local variable if that is */
    for (int v = 0; v < p->s->nvars; v++)
        if (p->s->vars[v].alias)
            p->s->vars[v].local = p->s->vars[p->s->vars[v].alias - 1].local;
}

static void sort_outside(struct scenario *s)
{
    for (int i = 1; i < s->noutside; i++)
        for (int j = i; j > 0 && s->outside[j].at < s->outside[j - 1].at; j--) {
            struct outside o = s->outside[j];
            s->outside[j] = s->outside[j - 1];
            s->outside[j - 1] = o;
        }
}

static struct scenario *parse_text(const char *file, const char *buf, size_t len,
                                   const char *py_name, const char *py_text,
                                   size_t py_len, struct diag *err)
{
    struct parser *p = calloc(1, sizeof *p);
    struct scenario *s = calloc(1, sizeof *s);
    char *copy = malloc(len + 1);
    char *py_copy = py_text ? malloc(py_len + 1) : NULL;
    char *py_file = py_text ? strdup(py_name ? py_name : "<python>") : NULL;
    if (!p || !s || !copy || (py_text && (!py_copy || !py_file))) {
        free(p);
        free(s);
        free(copy);
        free(py_copy);
        free(py_file);
        diag_set(err, file, NULL, 0, 0, 0, "out of memory");
        return NULL;
    }
    if (py_text) {
        memcpy(py_copy, py_text, py_len);
        py_copy[py_len] = '\0';
        s->python = true;
        s->py_name = py_file;
        s->py_text = py_copy;
        s->py_len = py_len;
        p->py_name = py_file;
        p->py_text = py_copy;
        p->py_len = py_len;
    }
    memcpy(copy, buf, len);
    copy[len] = '\0';
    s->src = copy;
    s->srclen = len;
    config_defaults(&s->config);
    /* A Python program runs in Python mode (docs/python.md); the text's
     * own `config` lines come after, so they win. */
    if (py_text)
        (void)config_set(&s->config, "python", "on");
    p->s = s;
    p->file = file;
    p->src = copy;
    p->len = len;
    p->err = err;
    struct scenario *result = NULL;
    if (setjmp(p->fail) == 0) {
        s->file = arena_strndup(p, file ? file : "<input>", strlen(file ? file : "<input>"));
        collect_names(p);
        lex_init(&p->lx, copy, len);
        next(p);
        for (;;) {
            while (is(p, T_NEWLINE))
                next(p);
            if (is(p, T_EOF))
                break;
            if (p->prog)
                parse_statement(p);
            else
                parse_top(p);
            if (is(p, T_NEWLINE))
                next(p);
        }
        final_checks(p);
        parse_obj_finish(p);
        queue_checks(p);
        timer_programs(p);
        pool_programs(p);
        sort_outside(s);
        struct srcpos where;
        const char *msg = support_check(s, &where);
        if (msg)
            parse_fail(p, where.line, where.col, "%s", msg);
        result = s;
    }
    names_free(&p->programs);
    names_free(&p->handlers);
    names_free(&p->objects);
    names_free(&p->poolnames);
    free(p->varinfo);
    free(p->scope);
    free(p->globals);
    free(p->var_index.slot);
    free(p);
    if (!result)
        scenario_free(s);
    return result;
}

struct scenario *scenario_parse(const char *file, const char *buf, size_t len,
                                struct diag *err)
{
    return parse_text(file, buf, len, NULL, NULL, 0, err);
}

struct scenario *scenario_parse_python(const char *file, const char *buf, size_t len,
                                       const char *py_name, const char *py_text,
                                       size_t py_len, struct diag *err)
{
    return parse_text(file, buf, len, py_name, py_text, py_len, err);
}

void scenario_free(struct scenario *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nprograms; i++)
        free(s->programs[i].code);
    for (int i = 0; i < s->nhandlers; i++)
        free(s->handlers[i].code);
    free(s->programs);
    free(s->handlers);
    free(s->vars);
    free(s->objects);
    free(s->spawns);
    free(s->outside);
    free(s->expects);
    free(s->describe);
    free(s->pools);
    free((char *)s->src);
    free((char *)s->py_name);  /* malloc'd by scenario_parse_python */
    free((char *)s->py_text);
    for (struct chunk *c = s->arena, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(s);
}

int scenario_find_program(const struct scenario *s, const char *name)
{
    for (int i = 0; i < s->nprograms; i++)
        if (!strcmp(s->programs[i].name, name))
            return i;
    return -1;
}

const char *scenario_line(const struct scenario *s, int line, size_t *len)
{
    /* A translated Python file's programs have the .py file's positions. */
    const char *src = s->py_text ? s->py_text : s->src;
    size_t srclen = s->py_text ? s->py_len : s->srclen;
    *len = 0;
    if (line < 1)
        return "";
    size_t i = 0;
    for (int l = 1; l < line && i < srclen; i++)
        if (src[i] == '\n')
            l++;
    if (i >= srclen && line > 1)
        return "";
    size_t n = 0;
    while (i + n < srclen && src[i + n] != '\n' && src[i + n] != '\r')
        n++;
    *len = n;
    return src + i;
}

/* ------------------------------------------------------------------------
 * The parser's tools for the statements parsed in other files
 * (parse_net.c, parse_mux.c, parse_coro.c): see parser.h.
 * --------------------------------------------------------------------- */

void parse_next(struct parser *p) { next(p); }
bool parse_is(const struct parser *p, enum tok k) { return is(p, k); }
bool parse_is_word(const struct parser *p, const char *w) { return is_word(p, w); }
bool parse_end_of_line(const struct parser *p) { return end_of_line(p); }
struct token parse_token_after(const struct parser *p) { return token_after(p); }
bool parse_peek_is(const struct parser *p, enum tok k) { return peek_is(p, k); }
const char *parse_what(const struct token *t, char *buf, size_t n) { return what(t, buf, n); }
char *parse_ident(struct parser *p, const char *expected) { return ident(p, expected); }
int64_t parse_integer(struct parser *p, const char *expected) { return integer(p, expected); }
void *parse_alloc(struct parser *p, size_t n) { return arena_alloc(p, n); }
const char *parse_kind_word(int kind) { return kind_words[kind]; }
int parse_emit(struct parser *p, enum opcode op, const struct token *at)
{
    return emit_insn(p, op, at);
}
struct insn *parse_insn(struct parser *p, int i) { return insn(p, i); }
int parse_variable(struct parser *p, const struct token *t, bool assign)
{
    return variable(p, t, assign);
}
int parse_assigned_var(struct parser *p, const struct token *t) { return assigned_var(p, t); }
int parse_result_var(struct parser *p) { return result_var(p); }
int parse_program_ref(struct parser *p) { return program_ref(p); }
void parse_call_args(struct parser *p, int prog, const struct token *name,
                     struct expr ***argv, int *argc)
{
    call_args(p, prog, name, argv, argc, false);
}
void parse_wait_option(struct parser *p, int i) { wait_option(p, i, false); }
struct block *parse_push_block(struct parser *p, enum block_kind k, const struct token *at)
{
    return push_block(p, k, at);
}
void parse_open_brace(struct parser *p, const char *what_opens) { open_brace(p, what_opens); }
int parse_object(const struct parser *p, const struct token *t)
{
    return names_find(&p->objects, t->start, t->len);
}
void parse_queue_decl(struct parser *p, const struct token *kw, struct object *o)
{
    queue_decl(p, kw, o);
}
int parse_add_program(struct parser *p, const struct program *pr)
{
    struct scenario *s = p->s;
    grow(p, (void **)&s->programs, &p->progcap, s->nprograms + 1, sizeof *s->programs);
    s->programs[s->nprograms] = *pr;
    return s->nprograms++;
}
void parse_add_object(struct parser *p, const struct object *o)
{
    struct scenario *s = p->s;
    grow(p, (void **)&s->objects, &p->objcap, s->nobjects + 1, sizeof *s->objects);
    s->objects[s->nobjects++] = *o;
}
