/*
 * parse_expr.c - expressions: Python's operators and precedence over the
 * values of value.h, literals, built-in calls, and the names of variables
 * and shared objects (resolved to indices here, as parse.c does for the
 * statements). Moved out of parse.c so that the values of issue 14 grow
 * here; the tools it uses are parser.h's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "parser.h"
#include "scenario.h"
#include "../value/value.h"

/* parse.c's tools under their short names */
#define next parse_next
#define is parse_is
#define is_word parse_is_word
#define what parse_what
#define ident parse_ident
#define variable parse_variable
#define arena_alloc parse_alloc
#define token_after parse_token_after
#define end_of_line parse_end_of_line
#define kind_words(k) parse_kind_word(k)

static int names_find_obj(const struct parser *p, const struct token *t)
{
    return parse_object(p, t);
}

static struct expr *expr(struct parser *p);

/* ------------------------------------------------------------ expressions */

static struct expr *atom(struct parser *p);
static void count_operator(struct parser *p);

struct expr *parse_node(struct parser *p, enum expr_kind k, const struct token *at)
{
    struct expr *e = arena_alloc(p, sizeof *e);
    e->kind = k;
    e->var = e->obj = -1;
    e->pos = (struct srcpos){ at->line, at->col };
    return e;
}

struct expr *parse_binary(struct parser *p, enum expr_kind k, struct expr *a,
                           struct expr *b)
{
    struct expr *e = arena_alloc(p, sizeof *e);
    e->kind = k;
    e->var = e->obj = -1;
    e->a = a;
    e->b = b;
    e->pos = a->pos;
    return e;
}


/* len(NAME) of an array (the current token is the '('), or NULL when the
 * call is something else (nothing is consumed then). */
static struct expr *array_len_call(struct parser *p, const struct token *name)
{
    if (name->len != 3 || memcmp(name->start, "len", 3))
        return NULL;
    struct lexer save = p->lx;
    struct token paren = p->tok;
    next(p);                                       /* ( */
    struct token a = p->tok;
    int obj = is(p, T_IDENT) ? names_find_obj(p, &a) : -1;
    if (obj >= 0 && p->objects.kind[obj] == OBJ_ARRAY) {
        next(p);
        if (is(p, T_RPAREN)) {
            next(p);
            struct expr *e = parse_node(p, EX_ARRAY_LEN, name);
            e->obj = obj;
            return e;
        }
    }
    p->lx = save;
    p->tok = paren;
    return NULL;
}

/* NAME[INDEX] of an array: the current token is the '['. */
struct expr *parse_array_item(struct parser *p, const struct token *name, int obj)
{
    char buf[64];
    next(p);                                       /* [ */
    struct expr *e = parse_node(p, EX_ARRAY_GET, name);
    e->obj = obj;
    if (is(p, T_RBRACKET))
        FAIL(p, p->tok, "expected an index inside '[ ]'");
    e->a = expr(p);
    if (!is(p, T_RBRACKET))
        FAIL(p, p->tok, "expected ']' after the index of '%.*s', found %s", (int)name->len,
             name->start, what(&p->tok, buf, sizeof buf));
    next(p);
    return e;
}

/* fn(NAME) (issue 14): the function (program) NAME as a value, V_FUNC. */
static struct expr *fn_ref(struct parser *p, const struct token *name)
{
    char buf[64];
    struct expr *e = parse_node(p, EX_FN, name);
    next(p);                                       /* ( */
    e->var = parse_program_ref(p);
    if (!is(p, T_RPAREN))
        FAIL(p, p->tok, "expected ')' after fn(%s, found %s", p->programs.name[e->var],
             what(&p->tok, buf, sizeof buf));
    next(p);
    return e;
}

/* Arguments up to ')' (the '(' is the current token), into e->items. */
static void arguments(struct parser *p, struct expr *e, const char *what_called)
{
    char buf[64];
    struct expr *list[MAX_PARAMS * 4];
    int n = 0;
    next(p);                                       /* ( */
    while (!is(p, T_RPAREN)) {
        if (n > 0) {
            if (!is(p, T_COMMA))
                FAIL(p, p->tok, "expected ',' or ')' in the arguments of %s, found %s",
                     what_called, what(&p->tok, buf, sizeof buf));
            next(p);
        }
        if (end_of_line(p))
            FAIL(p, p->tok, "expected ')' to close the arguments of %s", what_called);
        if (n == (int)(sizeof list / sizeof list[0]))
            FAIL(p, p->tok, "too many arguments (at most %d)", (int)(sizeof list / sizeof list[0]));
        count_operator(p);
        list[n++] = expr(p);
    }
    next(p);
    e->nitems = n;
    e->items = arena_alloc(p, (size_t)(n ? n : 1) * sizeof *e->items);
    memcpy(e->items, list, (size_t)n * sizeof *list);
}

/* NAME(args) of a value built-in (value.h's enum vbuiltin). */
static struct expr *builtin_call(struct parser *p, const struct token *name, int id, int min,
                                 int max)
{
    struct expr *e = parse_node(p, EX_BUILTIN, name);
    e->num = id;
    arguments(p, e, v_builtin_name(id));
    if (e->nitems < min || (max >= 0 && e->nitems > max)) {
        if (min == max)
            FAIL(p, *name, "%s() takes %d argument%s (%d given)", v_builtin_name(id), min,
                 min == 1 ? "" : "s", e->nitems);
        if (max < 0)
            FAIL(p, *name, "%s() takes at least %d argument%s (%d given)", v_builtin_name(id),
                 min, min == 1 ? "" : "s", e->nitems);
        FAIL(p, *name, "%s() takes %d to %d arguments (%d given)", v_builtin_name(id), min,
             max, e->nitems);
    }
    if (id == VB_NEW)
        p->s->mutable = true;
    return e;
}

static struct expr *call(struct parser *p, const struct token *name)
{
    static const struct { const char *n; enum expr_kind k; int args; const char *what; } fns[] = {
        { "getpid", EX_GETPID, 0, NULL }, { "getppid", EX_GETPPID, 0, NULL },
        { "gettid", EX_GETTID, 0, NULL }, { "now", EX_NOW, 0, NULL },
        { "rand", EX_RAND, 2, NULL },
        { "getpgrp", EX_GETPGRP, 0, NULL }, { "getpgid", EX_GETPGID, 1, "a pid (0 for itself)" },
        { "getsid", EX_GETSID, 1, "a pid (0 for itself)" },
        { "tcgetpgrp", EX_TCGETPGRP, 0, NULL },
        { "wifexited", EX_WIFEXITED, 1, "a wait status" },
        { "wexitstatus", EX_WEXITSTATUS, 1, "a wait status" },
        { "wifsignaled", EX_WIFSIGNALED, 1, "a wait status" },
        { "wtermsig", EX_WTERMSIG, 1, "a wait status" },
        { "wifstopped", EX_WIFSTOPPED, 1, "a wait status" },
        { "wstopsig", EX_WSTOPSIG, 1, "a wait status" },
        { "wifcontinued", EX_WIFCONTINUED, 1, "a wait status" },
        { "len", EX_LEN, 1, "a string, tuple or list" },
        { "str", EX_STRFN, 1, "a value" }, { "repr", EX_REPR, 1, "a value" },
        { "int", EX_INTFN, 1, "a number or a string of digits" },
        { "is_alive", EX_IS_ALIVE, 1, "a child's pid or a thread's tid" },
        { "exitcode", EX_EXITCODE, 1, "a child's pid" },
        { "exc_name", EX_EXC_NAME, 0, NULL },
    };
    char buf[64];
    if (name->len == 2 && !memcmp(name->start, "fn", 2))
        return fn_ref(p, name);
    if (name->len == 3 && !memcmp(name->start, "ref", 3))
        return parse_obj_ref(p, name);             /* issue 14: parse_obj.c */
    struct expr *len = array_len_call(p, name);
    if (len)
        return len;
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        if (strlen(fns[i].n) != name->len || memcmp(fns[i].n, name->start, name->len))
            continue;
        struct expr *e = parse_node(p, fns[i].k, name);
        next(p);                                   /* ( */
        if (fns[i].args == 0 && !is(p, T_RPAREN))
            FAIL(p, p->tok, "%s() takes no arguments", fns[i].n);
        if (fns[i].k == EX_EXITCODE)
            p->s->asks_exitcode = true;
        if (fns[i].args == 1 && is(p, T_RPAREN))
            FAIL(p, p->tok, "%s takes one argument, %s", fns[i].n, fns[i].what);
        if (fns[i].args >= 1)
            e->a = expr(p);
        if (fns[i].args == 2) {
            if (!is(p, T_COMMA))
                FAIL(p, p->tok, "expected ',' between the two arguments of rand, found %s",
                     what(&p->tok, buf, sizeof buf));
            next(p);
            e->b = expr(p);
        }
        if (fns[i].args == 1 && is(p, T_COMMA))
            FAIL(p, p->tok, "%s takes one argument, %s", fns[i].n, fns[i].what);
        if (!is(p, T_RPAREN))
            FAIL(p, p->tok, "expected ')' to close %.*s(, found %s", (int)name->len,
                 name->start, what(&p->tok, buf, sizeof buf));
        next(p);
        return e;
    }
    int min, max, id = v_builtin_find(name->start, name->len, &min, &max);
    if (id >= 0)
        return builtin_call(p, name, id, min, max);
    FAIL(p, *name, "unknown function '%.*s'; functions are: getpid, getppid, gettid, "
         "now, rand, getpgrp, getpgid, getsid, tcgetpgrp, wifexited, wexitstatus, wifsignaled, "
         "wtermsig, wifstopped, wstopsig, wifcontinued, len, str, repr, int, is_alive, "
         "exitcode", (int)name->len, name->start);
}

/* The items of a tuple or list literal, up to `close` (the opening token
 * is already read; `first`, when given, is the first item, read already). */
static struct expr *items(struct parser *p, const struct token *at, enum expr_kind k,
                          enum tok close, struct expr *first)
{
    char buf[64];
    struct expr *e = parse_node(p, k, at);
    struct expr *list[1000];
    int n = 0;
    if (first)
        list[n++] = first;
    while (!is(p, close)) {
        if (n > 0) {
            if (!is(p, T_COMMA))
                FAIL(p, p->tok, "expected ',' or '%s' in a %s, found %s",
                     close == T_RPAREN ? ")" : "]", k == EX_TUPLE ? "tuple" : "list",
                     what(&p->tok, buf, sizeof buf));
            next(p);
            if (is(p, close))
                break;                          /* a trailing comma */
        }
        if (n == 1000)
            FAIL(p, p->tok, "too many items (at most 1000)");
        count_operator(p);
        list[n++] = expr(p);
    }
    next(p);
    e->nitems = n;
    e->items = arena_alloc(p, (size_t)(n ? n : 1) * sizeof *e->items);
    memcpy(e->items, list, (size_t)n * sizeof *list);
    return e;
}

/* x[i] (no space before '['): indexing, as many times as written. */
/* One part of a slice: an expression, or NULL when it is left out. */
static struct expr *slice_part(struct parser *p)
{
    if (is(p, T_COLON) || is(p, T_RBRACKET))
        return NULL;
    return expr(p);
}

/* x[i], x[i:j:k], x.name, x.name(args) (no space before '[' or '.'):
 * as many times as written. */
static struct expr *postfix(struct parser *p, struct expr *e)
{
    char buf[64];
    for (;;) {
        struct token at = p->tok;
        if (is(p, T_LBRACKET) && p->tok.glued) {
            count_operator(p);
            next(p);
            struct expr *lo = slice_part(p);
            if (is(p, T_COLON)) {                  /* a slice */
                struct expr *sl = parse_node(p, EX_SLICE, &at);
                sl->a = e;
                sl->nitems = 3;
                sl->items = arena_alloc(p, 3 * sizeof *sl->items);
                sl->items[0] = lo;
                next(p);
                sl->items[1] = slice_part(p);
                if (is(p, T_COLON)) {
                    next(p);
                    sl->items[2] = slice_part(p);
                }
                e = sl;
            } else {
                if (!lo)
                    FAIL(p, p->tok, "expected an index inside '[ ]'");
                struct expr *ix = parse_node(p, EX_INDEX, &at);
                ix->a = e;
                ix->b = lo;
                e = ix;
            }
            if (!is(p, T_RBRACKET))
                FAIL(p, p->tok, "expected ']', found %s", what(&p->tok, buf, sizeof buf));
            next(p);
            continue;
        }
        if (is(p, T_DOT) && p->tok.glued) {
            next(p);
            struct token m = p->tok;
            if (!is(p, T_IDENT))
                FAIL(p, m, "expected an attribute or method name after '.', found %s",
                     what(&m, buf, sizeof buf));
            next(p);
            count_operator(p);
            bool called = is(p, T_LPAREN) && p->tok.glued;
            struct expr *x = parse_node(p, called ? EX_METHOD : EX_ATTR, &at);
            x->a = e;
            char *name = arena_alloc(p, m.len + 1);
            memcpy(name, m.start, m.len);
            x->str = name;
            if (called) {
                char what_called[80];
                snprintf(what_called, sizeof what_called, ".%.*s()", (int)m.len, m.start);
                arguments(p, x, what_called);
                p->s->mutable = true;   /* a method may change its object */
            }
            e = x;
            continue;
        }
        return e;
    }
}

/* END.poll() (the '.' is the current token): whether a recv on this pipe
 * end would return at once. END is a pipe end's name (obj), or a variable
 * holding an fd (obj -1). */
static struct expr *poll_call(struct parser *p, const struct token *name, int obj)
{
    char buf[64];
    next(p);                                       /* . */
    struct token m = p->tok;
    if (!is_word(p, "poll"))
        FAIL(p, m, "expected poll() after '%.*s.' in an expression (the other "
             "methods of a pipe end are statements), found %s", (int)name->len,
             name->start, what(&m, buf, sizeof buf));
    next(p);
    if (!is(p, T_LPAREN))
        FAIL(p, p->tok, "expected '()' after 'poll'");
    next(p);
    if (!is(p, T_RPAREN))
        FAIL(p, p->tok, "poll() takes no arguments (procsim has no poll timeout)");
    next(p);
    struct expr *e = parse_node(p, EX_POLL, name);
    e->obj = obj;
    if (obj < 0) {
        e->a = parse_node(p, EX_VAR, name);
        e->a->var = variable(p, name, false);
    }
    return e;
}


/* At the '.' after a variable: is it VAR.poll()? (else a value's
 * attribute or method: postfix) */
static bool poll_follows(const struct parser *p)
{
    struct token m = token_after(p);
    return m.kind == T_IDENT && m.len == 4 && !memcmp(m.start, "poll", 4);
}

static const char *const handle_queries[] = {
    [HQ_READY] = "ready", [HQ_SUCCESSFUL] = "successful", [HQ_DONE] = "done",
    [HQ_RUNNING] = "running", [HQ_CANCELLED] = "cancelled" };

/* At the '.' after a variable: is it r.ready() and the like? */
static bool handle_query_follows(const struct parser *p)
{
    struct token m = token_after(p);
    for (int k = 0; k <= HQ_CANCELLED; k++)
        if (m.kind == T_IDENT && m.len == strlen(handle_queries[k]) &&
            !memcmp(m.start, handle_queries[k], m.len))
            return true;
    return false;
}

/* VAR.ready(), VAR.successful() (an AsyncResult), VAR.done(),
 * VAR.running(), VAR.cancelled() (a Future). */
static struct expr *handle_query(struct parser *p, const struct token *name)
{
    next(p);                                       /* . */
    struct token m = p->tok;
    next(p);
    int k = 0;
    while (m.len != strlen(handle_queries[k]) || memcmp(m.start, handle_queries[k], m.len))
        k++;
    if (!is(p, T_LPAREN))
        FAIL(p, p->tok, "expected '()' after '%.*s.%s'", (int)name->len, name->start,
             handle_queries[k]);
    next(p);
    if (!is(p, T_RPAREN))
        FAIL(p, p->tok, "%s() takes no arguments", handle_queries[k]);
    next(p);
    struct expr *e = parse_node(p, EX_HANDLE_Q, name);
    e->num = k;
    e->a = parse_node(p, EX_VAR, name);
    e->a->var = variable(p, name, false);
    return e;
}

static struct expr *primary(struct parser *p)
{
    return postfix(p, atom(p));
}

/* NAME.empty(), NAME.full(), NAME.qsize() of a queue (at the '.'). */
static struct expr *queue_call(struct parser *p, const struct token *name, int obj)
{
    static const struct { const char *n; enum expr_kind k; } fns[] = {
        { "empty", EX_QEMPTY }, { "full", EX_QFULL }, { "qsize", EX_QSIZE } };
    char buf[64];
    next(p);                                       /* . */
    struct token m = p->tok;
    ident(p, "empty, full or qsize after '.'");
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        if (strlen(fns[i].n) != m.len || memcmp(fns[i].n, m.start, m.len))
            continue;
        if (!is(p, T_LPAREN))
            FAIL(p, p->tok, "expected '()' after '%.*s.%s', found %s", (int)name->len,
                 name->start, fns[i].n, what(&p->tok, buf, sizeof buf));
        next(p);
        if (!is(p, T_RPAREN))
            FAIL(p, p->tok, "%s() takes no arguments", fns[i].n);
        next(p);
        struct expr *e = parse_node(p, fns[i].k, name);
        e->obj = obj;
        return e;
    }
    FAIL(p, m, "a queue has no value '%.*s' in expressions; use empty(), full() or qsize()",
         (int)m.len, m.start);
}

/* {k: v, ...} (the '{' is the current token) */
static struct expr *dict_literal(struct parser *p, const struct token *at)
{
    char buf[64];
    struct expr *e = parse_node(p, EX_DICT, at);
    struct expr *list[2000];
    int n = 0;
    next(p);                                       /* { */
    while (!is(p, T_RBRACE)) {
        if (n > 0) {
            if (!is(p, T_COMMA))
                FAIL(p, p->tok, "expected ',' or '}' in a dict, found %s",
                     what(&p->tok, buf, sizeof buf));
            next(p);
            if (is(p, T_RBRACE))
                break;                              /* a trailing comma */
        }
        if (end_of_line(p))
            FAIL(p, p->tok, "expected '}' to close the dict (a dict is written on one line)");
        if (n == 2000)
            FAIL(p, p->tok, "too many items (at most 1000)");
        count_operator(p);
        list[n++] = expr(p);
        if (!is(p, T_COLON))
            FAIL(p, p->tok, "expected ':' after a dict key, found %s",
                 what(&p->tok, buf, sizeof buf));
        next(p);
        list[n++] = expr(p);
    }
    next(p);
    e->nitems = n;
    e->items = arena_alloc(p, (size_t)(n ? n : 1) * sizeof *e->items);
    memcpy(e->items, list, (size_t)n * sizeof *list);
    p->s->mutable = true;
    return e;
}

static struct expr *atom(struct parser *p)
{
    struct token t = p->tok;
    char buf[64];
    if (is(p, T_STR)) {
        struct expr *e = parse_node(p, EX_STR, &t);
        char *text = arena_alloc(p, t.len);
        e->num = (int64_t)lex_unescape(&t, text);
        e->str = text;
        next(p);
        return e;
    }
    if (is(p, T_LBRACKET)) {
        next(p);
        return items(p, &t, EX_LIST, T_RBRACKET, NULL);
    }
    if (is(p, T_FLOAT)) {
        struct expr *e = parse_node(p, EX_FLOAT, &t);
        e->num = t.num;
        next(p);
        return e;
    }
    if (is(p, T_BYTES)) {
        struct expr *e = parse_node(p, EX_BYTES, &t);
        char *text = arena_alloc(p, t.len);
        e->num = (int64_t)lex_unescape(&t, text);
        e->str = text;
        next(p);
        return e;
    }
    if (is(p, T_LBRACE))
        return dict_literal(p, &t);
    if (is(p, T_LPAREN)) {
        next(p);
        if (is(p, T_RPAREN))
            return items(p, &t, EX_TUPLE, T_RPAREN, NULL);    /* () */
        struct expr *e = expr(p);
        if (is(p, T_COMMA))
            return items(p, &t, EX_TUPLE, T_RPAREN, e);
        if (!is(p, T_RPAREN))
            FAIL(p, p->tok, "expected ')', found %s", what(&p->tok, buf, sizeof buf));
        next(p);
        return e;
    }
    static const struct { const char *w; enum expr_kind k; } consts[] = {
        { "None", EX_NONE }, { "True", EX_TRUE }, { "False", EX_FALSE } };
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (is_word(p, consts[i].w)) {
            next(p);
            return parse_node(p, consts[i].k, &t);
        }
    int64_t mask;
    if (is(p, T_IDENT) && parse_mux_constant(&t, &mask)) {     /* POLLIN ... */
        struct expr *e = parse_node(p, EX_NUM, &t);
        e->num = mask;
        next(p);
        return e;
    }
    if (is(p, T_NUM)) {
        struct expr *e = parse_node(p, EX_NUM, &t);
        e->num = t.num;
        next(p);
        return e;
    }
    if (is(p, T_MINUS)) {
        next(p);
        if (++p->expr_depth > MAX_EXPR_DEPTH)
            FAIL(p, t, "expression nested too deeply");
        struct expr *a = primary(p);
        p->expr_depth--;
        if (a->kind == EX_NUM) {               /* fold literal negatives */
            a->num = (int64_t)(0 - (uint64_t)a->num);
            a->pos = (struct srcpos){ t.line, t.col };
            return a;
        }
        struct expr *e = parse_node(p, EX_NEG, &t);
        e->a = a;
        return e;
    }
    if (is(p, T_IDENT) && !is_word(p, "and") && !is_word(p, "or") && !is_word(p, "not")) {
        next(p);
        if (is(p, T_LPAREN) && p->tok.glued)
            return call(p, &t);
        int obj = names_find_obj(p, &t);
        if (obj >= 0 && p->objects.kind[obj] == OBJ_QUEUE && is(p, T_DOT))
            return queue_call(p, &t, obj);
        if (obj >= 0 && p->objects.kind[obj] == OBJ_QUEUE)
            FAIL(p, t, "queue '%.*s' has no value to read; ask it %.*s.empty(), %.*s.full() "
                 "or %.*s.qsize()", (int)t.len, t.start, (int)t.len, t.start, (int)t.len,
                 t.start, (int)t.len, t.start);
        if (obj >= 0 && p->objects.kind[obj] == OBJ_ARRAY) {
            if (!is(p, T_LBRACKET))
                FAIL(p, t, "array '%.*s' is read an item at a time: %.*s[INDEX], or "
                     "len(%.*s)", (int)t.len, t.start, (int)t.len, t.start, (int)t.len, t.start);
            return parse_array_item(p, &t, obj);
        }
        if (parse_obj_query_follows(p))             /* V.value, L.locked() ... */
            return parse_obj_query(p, &t, obj);
        if (is(p, T_DOT) && p->tok.glued && obj < 0 && handle_query_follows(p))
            return handle_query(p, &t);
        if (is(p, T_DOT) && p->tok.glued &&
            (obj >= 0 ? p->objects.kind[obj] == OBJ_PIPE : poll_follows(p)))
            return poll_call(p, &t, obj);
        if (obj >= 0 && p->objects.kind[obj] != OBJ_SHARED)
            FAIL(p, t, "%s '%.*s' has no value to read; only shared values can be "
                 "used in expressions", kind_words(p->objects.kind[obj]), (int)t.len,
                 t.start);
        if (obj >= 0) {
            struct expr *e = parse_node(p, EX_SHARED, &t);
            e->obj = obj;
            return e;
        }
        struct expr *e = parse_node(p, EX_VAR, &t);
        e->var = variable(p, &t, false);
        return e;
    }
    FAIL(p, t, "expected a value (a number, a string, a variable or a call), found %s",
         what(&t, buf, sizeof buf));
}

/* One more binary operator (the current token) in this expression. */
static void count_operator(struct parser *p)
{
    if (++p->expr_ops > MAX_EXPR_OPS)
        FAIL(p, p->tok, "expression too long (at most %d operators)", MAX_EXPR_OPS);
}

static struct expr *unary(struct parser *p);

/* a ** b: right to left, binding tighter than a unary minus on its left
 * (-2 ** 2 is -4) and looser than one on its right (2 ** -1) */
static struct expr *power(struct parser *p)
{
    struct expr *e = primary(p);
    if (!is(p, T_DSTAR))
        return e;
    count_operator(p);
    next(p);
    if (++p->expr_depth > MAX_EXPR_DEPTH)
        FAIL(p, p->tok, "expression nested too deeply");
    e = parse_binary(p, EX_POW, e, unary(p));
    p->expr_depth--;
    return e;
}

/* -a, +a, ~a (a literal number folds: -1 is the number -1) */
static struct expr *unary(struct parser *p)
{
    struct token t = p->tok;
    if (!is(p, T_MINUS) && !is(p, T_TILDE) && !is(p, T_PLUS))
        return power(p);
    next(p);
    if (++p->expr_depth > MAX_EXPR_DEPTH)
        FAIL(p, t, "expression nested too deeply");
    struct expr *a = unary(p);
    p->expr_depth--;
    if (t.kind == T_PLUS)
        return a;
    if (t.kind == T_MINUS && a->kind == EX_NUM) {       /* fold literal negatives */
        a->num = (int64_t)(0 - (uint64_t)a->num);
        a->pos = (struct srcpos){ t.line, t.col };
        return a;
    }
    if (t.kind == T_MINUS && a->kind == EX_FLOAT) {
        a->num = (int64_t)((uint64_t)a->num ^ ((uint64_t)1 << 63));   /* the sign bit */
        a->pos = (struct srcpos){ t.line, t.col };
        return a;
    }
    struct expr *e = parse_node(p, t.kind == T_MINUS ? EX_NEG : EX_INVERT, &t);
    e->a = a;
    return e;
}

/* Python's binary operators, one row per precedence level from the tightest
 * (* / % //) to the loosest (|): a level's operands are the level above
 * it, level 0's are unary. & and | sit between + and the comparisons, as
 * in Python (masks: POLLIN | POLLOUT). */
enum { OPS_PER_LEVEL = 4 };
static const struct binary_level {
    int n;
    struct { enum tok tok; enum expr_kind kind; } ops[OPS_PER_LEVEL];
} BINARY_LEVELS[] = {
    { 4, { { T_STAR, EX_MUL }, { T_SLASH, EX_DIV }, { T_PERCENT, EX_MOD },
           { T_DSLASH, EX_FLOORDIV } } },
    { 2, { { T_PLUS, EX_ADD }, { T_MINUS, EX_SUB } } },
    { 2, { { T_SHL, EX_SHL }, { T_SHR, EX_SHR } } },
    { 1, { { T_AMP, EX_BITAND } } },
    { 1, { { T_CARET, EX_XOR } } },
    { 1, { { T_BAR, EX_BITOR } } },
};
enum { LOOSEST_LEVEL = sizeof BINARY_LEVELS / sizeof BINARY_LEVELS[0] - 1 };

/* Left-associative: a - b - c is (a - b) - c. */
static struct expr *binary(struct parser *p, int level)
{
    if (level < 0)
        return unary(p);
    const struct binary_level *l = &BINARY_LEVELS[level];
    struct expr *e = binary(p, level - 1);
    for (;;) {
        int i = 0;
        while (i < l->n && !is(p, l->ops[i].tok))
            i++;
        if (i == l->n)
            return e;
        count_operator(p);
        next(p);
        e = parse_binary(p, l->ops[i].kind, e, binary(p, level - 1));
    }
}

static struct expr *bit_or(struct parser *p)
{
    return binary(p, LOOSEST_LEVEL);
}

static struct expr *comparison(struct parser *p)
{
    struct expr *e = bit_or(p);
    static const struct { enum tok t; enum expr_kind k; } ops[] = {
        { T_EQ, EX_EQ }, { T_NE, EX_NE }, { T_LT, EX_LT }, { T_LE, EX_LE },
        { T_GT, EX_GT }, { T_GE, EX_GE },
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (is(p, ops[i].t)) {
            count_operator(p);
            next(p);
            return parse_binary(p, ops[i].k, e, bit_or(p));
        }
    if (is_word(p, "in")) {             /* x in LIST (issue 13: fd in r) */
        count_operator(p);
        next(p);
        return parse_binary(p, EX_IN, e, bit_or(p));
    }
    struct token after = token_after(p);
    if (is_word(p, "not") && after.kind == T_IDENT && after.len == 2 &&
        !memcmp(after.start, "in", 2)) {                /* x not in L */
        count_operator(p);
        next(p);
        next(p);
        return parse_binary(p, EX_NOT_IN, e, bit_or(p));
    }
    if (is_word(p, "is")) {                             /* x is y, x is not y */
        count_operator(p);
        next(p);
        enum expr_kind k = EX_IS;
        if (is_word(p, "not")) {
            next(p);
            k = EX_IS_NOT;
        }
        return parse_binary(p, k, e, bit_or(p));
    }
    return e;
}

static struct expr *negation(struct parser *p)
{
    if (is_word(p, "not")) {
        struct token t = p->tok;
        next(p);
        if (++p->expr_depth > MAX_EXPR_DEPTH)
            FAIL(p, t, "expression nested too deeply");
        struct expr *e = parse_node(p, EX_NOT, &t);
        e->a = negation(p);
        p->expr_depth--;
        return e;
    }
    return comparison(p);
}

static struct expr *conjunction(struct parser *p)
{
    struct expr *e = negation(p);
    while (is_word(p, "and")) {
        count_operator(p);
        next(p);
        e = parse_binary(p, EX_AND, e, negation(p));
    }
    return e;
}

static struct expr *expr(struct parser *p)
{
    struct token at = p->tok;
    if (p->expr_depth == 0)
        p->expr_ops = 0;
    if (++p->expr_depth > MAX_EXPR_DEPTH)
        FAIL(p, at, "expression nested too deeply");
    struct expr *e = conjunction(p);
    while (is_word(p, "or")) {
        count_operator(p);
        next(p);
        e = parse_binary(p, EX_OR, e, conjunction(p));
    }
    p->expr_depth--;
    return e;
}

/* An expression that must follow `word`: a clear message when it is missing. */
struct expr *parse_operand(struct parser *p, const char *expected, const char *word)
{
    char buf[64];
    if (end_of_line(p))
        FAIL(p, p->tok, "expected %s after '%s'", expected, word);
    struct token after = token_after(p);
    bool dict = is(p, T_LBRACE) && after.kind != T_NEWLINE && after.kind != T_EOF;
    if ((is(p, T_LBRACE) && !dict) || is(p, T_RBRACE))
        FAIL(p, p->tok, "expected %s after '%s', found %s", expected, word,
             what(&p->tok, buf, sizeof buf));
    return expr(p);
}

/* A count of ticks: a negative literal is an error at load time. */
struct expr *parse_ticks(struct parser *p, const char *word)
{
    struct token at = p->tok;
    char buf[64];
    if (is(p, T_STR))
        FAIL(p, at, "expected a number of ticks after '%s', found %s", word,
             what(&at, buf, sizeof buf));
    struct expr *e = parse_operand(p, "a number of ticks", word);
    if (e->kind == EX_NUM && e->num < 0)
        FAIL(p, at, "expected a number of ticks (0 or more) after '%s'", word);
    return e;
}

struct expr *parse_expr(struct parser *p) { return expr(p); }


/* ------------------------------------------------------------ statements
 * issue 14: X[K] = E, X.attr = E (and += -= *= //= **= ^= |= &= <<= >>=),
 * del X[K], eval E. X is a variable followed by any chain of [index] and
 * .attr; the last one is what is assigned or deleted. */

/* After NAME (read; the current token follows it): a chain of .IDENT and
 * [...] glued to it, ending where an assignment operator is (when assign)
 * or the line ends (del). Looked at without parsing; nothing is read. */
static bool target_follows(const struct parser *p, bool assign)
{
    struct lexer lx = p->lx;
    struct token t = p->tok;
    int links = 0;
    for (;;) {
        if (t.kind == T_DOT && t.glued) {
            t = lex_next(&lx);
            if (t.kind != T_IDENT)
                return false;
            t = lex_next(&lx);
            links++;
            continue;
        }
        if (t.kind == T_LBRACKET && t.glued) {
            int depth = 1;
            while (depth > 0) {
                t = lex_next(&lx);
                if (t.kind == T_NEWLINE || t.kind == T_EOF || t.kind == T_ERROR)
                    return false;
                depth += t.kind == T_LBRACKET ? 1 : t.kind == T_RBRACKET ? -1 : 0;
            }
            t = lex_next(&lx);
            links++;
            continue;
        }
        break;
    }
    if (!links)
        return false;
    if (assign)
        return t.kind == T_ASSIGN || t.kind == T_PLUSEQ || t.kind == T_MINUSEQ ||
               t.kind == T_AUGEQ;
    return t.kind == T_NEWLINE || t.kind == T_EOF;
}

/* The target after NAME: the chain parsed; the last link is returned
 * (EX_INDEX or EX_ATTR). */
static struct expr *target(struct parser *p, const struct token *name)
{
    struct expr *v = parse_node(p, EX_VAR, name);
    v->var = variable(p, name, false);
    struct expr *e = postfix(p, v);
    if (e->kind == EX_SLICE)
        FAIL(p, *name, "procsim does not assign to or delete a slice (a[i:j] = ...)");
    if (e->kind != EX_INDEX && e->kind != EX_ATTR)
        FAIL(p, *name, "expected an item X[K] or an attribute X.NAME to assign");
    return e;
}

bool parse_value_statement(struct parser *p, const struct token *at)
{
    char buf[64];
    bool word_eval = at->len == 4 && !memcmp(at->start, "eval", 4);
    bool word_del = at->len == 3 && !memcmp(at->start, "del", 3);
    if (word_eval && !is(p, T_ASSIGN) && !is(p, T_PLUSEQ) && !is(p, T_MINUSEQ) &&
        !(is(p, T_LBRACKET) && p->tok.glued) && !(is(p, T_DOT) && p->tok.glued)) {
        int i = parse_emit(p, OP_EVAL, at);
        parse_insn(p, i)->e1 = parse_operand(p, "an expression", "eval");
        return true;
    }
    if (word_del && is(p, T_IDENT)) {
        struct token name = p->tok;
        next(p);
        if (!target_follows(p, false))
            FAIL(p, name, "'del' takes an item: del X[K] (procsim does not delete "
                 "variables or attributes)");
        struct expr *e = target(p, &name);
        if (e->kind != EX_INDEX)
            FAIL(p, name, "'del' takes an item: del X[K] (procsim does not delete "
                 "variables or attributes)");
        int i = parse_emit(p, OP_DELITEM, at);
        parse_insn(p, i)->e1 = e->a;
        parse_insn(p, i)->e2 = e->b;
        p->s->mutable = true;
        return true;
    }
    if (parse_object(p, at) >= 0 || !target_follows(p, true))
        return false;
    struct expr *e = target(p, at);
    int method = is(p, T_ASSIGN) ? 0 : is(p, T_PLUSEQ) ? 1 + VA_ADD
               : is(p, T_MINUSEQ) ? 1 + VA_SUB : 1 + (int)p->tok.num;
    struct token op = p->tok;
    next(p);
    int i = parse_emit(p, e->kind == EX_INDEX ? OP_SETITEM : OP_SETATTR, at);
    struct insn *in = parse_insn(p, i);
    in->method = method;
    in->e1 = e->a;
    if (e->kind == EX_INDEX) {
        in->e2 = e->b;
    } else {
        in->args = arena_alloc(p, sizeof *in->args);
        in->args[0].str = e->str;
        in->nargs = 1;
    }
    in->argv = arena_alloc(p, sizeof *in->argv);
    in->argc = 1;
    (void)buf;
    in->argv[0] = parse_operand(p, "a value", op.kind == T_ASSIGN ? "=" : "the operator");
    p->s->mutable = true;
    return true;
}
