/*
 * parse_obj.c - objects as values (issue 14; docs §7 "Objects as values"):
 *
 *   ref(NAME)                       a V_OBJ of a declared object
 *   V.value  V.qsize() V.empty() V.full() V.is_set() V.locked()
 *                                   (expressions; V a variable)
 *   V.put E [nowait|timeout=N]      V.get [nowait|timeout=N] [-> X]
 *   V.acquire [nowait|timeout=N] [-> OK]   V.release   V.set   V.clear
 *   V.wait [timeout=N] [-> OK]      V.task_done
 *   V.value = E  (+= -=)            V[I] = E  (+= -=)   (values' X.attr = E
 *                                   and X[K] = E statements; objref_store)
 *   with NAME { }  with V { }  with (E) { }   (lock, rlock, semaphore, and
 *                                   a shared value's or array's lock)
 *   invoke E.NAME(ARGS) [-> X]      Python's method call (invoke.c)
 *   new KIND [ARGS] ["NAME"] -> X   an object made at run time (newobj.c)
 *
 * A statement on a variable compiles to the declared form's instruction
 * with obj = -1 and the receiver's expression (sim/objects/objref.c
 * resolves it at run time); a declared name keeps its own fast form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "pytypes.h"

#define FAILP(p, t, ...) parse_fail((p), (t).line, (t).col, __VA_ARGS__)

static bool word_is(const struct token *t, const char *w)
{
    return t->kind == T_IDENT && t->len == strlen(w) && !memcmp(t->start, w, t->len);
}

/* The method's name and its AttributeError messages, one per type in
 * PY_TYPE_NAMES and one naming none (pytypes.h), made once per name and
 * program (a previous instruction's table is reused). */
static void attr_messages(struct parser *p, int i, const char *name, size_t len)
{
    struct program *pr = p->prog;
    for (int k = pr->ncode - 2; k >= 0 && k >= pr->ncode - 500; k--) {
        const struct insn *o = &pr->code[k];
        if (o->obj < 0 && o->args && o->nargs == PY_NTYPES + 2 &&
            (o->op == OP_INVOKE || o->op == OP_OBJ || o->op == OP_SHARED_SET) &&
            strlen(o->args[0].str) == len && !memcmp(o->args[0].str, name, len)) {
            parse_insn(p, i)->args = o->args;
            parse_insn(p, i)->nargs = o->nargs;
            return;
        }
    }
    struct print_arg *a = parse_alloc(p, (size_t)(PY_NTYPES + 2) * sizeof *a);
    char *n = parse_alloc(p, len + 1);
    memcpy(n, name, len);
    n[len] = '\0';
    a[0].str = n;
    for (int k = 0; k <= PY_NTYPES; k++) {
        char buf[300];
        if (k < PY_NTYPES)
            snprintf(buf, sizeof buf, "'%s' object has no attribute '%s'", PY_TYPE_NAMES[k], n);
        else
            snprintf(buf, sizeof buf, "object has no attribute '%s'", n);
        char *s = parse_alloc(p, strlen(buf) + 1);
        memcpy(s, buf, strlen(buf) + 1);
        a[1 + k].str = s;
    }
    parse_insn(p, i)->args = a;
    parse_insn(p, i)->nargs = PY_NTYPES + 2;
}

/* -------------------------------------------------------------- ref() */

struct expr *parse_obj_ref(struct parser *p, const struct token *name)
{
    char buf[64];
    parse_next(p);                                 /* ( */
    struct token t = p->tok;
    int obj = parse_is(p, T_IDENT) ? parse_object(p, &t) : -1;
    if (obj < 0)
        FAILP(p, t, "ref() takes the name of a declared object (shared, lock, rlock, "
              "semaphore, event, queue or array), found %s", parse_what(&t, buf, sizeof buf));
    if (p->objects.kind[obj] == OBJ_PIPE)
        FAILP(p, t, "a pipe's ends are file descriptors: pass them as they are "
              "(pipe -> A, B gives their numbers)");
    parse_next(p);
    if (!parse_is(p, T_RPAREN))
        FAILP(p, p->tok, "expected ')' after ref(%.*s, found %s", (int)t.len, t.start,
              parse_what(&p->tok, buf, sizeof buf));
    parse_next(p);
    struct expr *e = parse_node(p, EX_REF, name);
    e->num = ROP_REF;
    e->obj = obj;
    return e;
}

/* ------------------------------------------------- queries in expressions */

static const struct { const char *w; int rop; bool call; } queries[] = {
    { "value", ROP_VALUE, false }, { "qsize", ROP_QSIZE, true },
    { "empty", ROP_EMPTY, true }, { "full", ROP_FULL, true },
    { "is_set", ROP_IS_SET, true }, { "locked", ROP_LOCKED, true },
};

static int query_at(const struct token *m)
{
    for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++)
        if (word_is(m, queries[k].w))
            return (int)k;
    return -1;
}

bool parse_obj_query_follows(const struct parser *p)
{
    struct token m = parse_token_after(p);
    return parse_is(p, T_DOT) && p->tok.glued && m.glued && query_at(&m) >= 0;
}

/* NAME.value, NAME.qsize() ... at the '.': NAME a variable (obj -1) or a
 * declared object (obj). */
struct expr *parse_obj_query(struct parser *p, const struct token *name, int obj)
{
    parse_next(p);                                 /* . */
    struct token m = p->tok;
    int k = query_at(&m);
    parse_next(p);
    if (queries[k].call) {
        if (!parse_is(p, T_LPAREN) || !p->tok.glued)
            FAILP(p, p->tok, "expected '()' after '%.*s.%s'", (int)name->len, name->start,
                  queries[k].w);
        parse_next(p);
        if (!parse_is(p, T_RPAREN))
            FAILP(p, p->tok, "%s() takes no arguments", queries[k].w);
        parse_next(p);
    }
    if (obj >= 0 && queries[k].rop == ROP_VALUE && p->objects.kind[obj] == OBJ_SHARED) {
        struct expr *e = parse_node(p, EX_SHARED, name);   /* the fast form */
        e->obj = obj;
        return e;
    }
    struct expr *e = parse_node(p, EX_REF, name);
    e->num = queries[k].rop;
    if (obj >= 0) {
        e->a = parse_node(p, EX_REF, name);
        e->a->num = ROP_REF;
        e->a->obj = obj;
    } else {
        e->a = parse_node(p, EX_VAR, name);
        e->a->var = parse_variable(p, name, false);
    }
    return e;
}

/* ----------------------------------------------------------- statements */

/* [nowait|timeout=N] (nowait only when allowed) */
static void options(struct parser *p, int i, bool nowait_ok)
{
    if (nowait_ok && parse_is_word(p, "nowait")) {
        parse_insn(p, i)->flags |= INSN_NOWAIT;
        parse_next(p);
        return;
    }
    parse_wait_option(p, i);
}

/* The receiver: a declared object's name (obj), or an expression. */
struct recv {
    int obj;
    struct expr *e;
};

/* V.method ...: the statement's tail after the method's name. */
static void method_tail(struct parser *p, const struct token *at, struct recv r,
                        const struct token *m, enum method md)
{
    int i = parse_emit(p, OP_OBJ, at);
    struct insn *in = parse_insn(p, i);
    in->obj = r.obj;
    in->e2 = r.obj < 0 ? r.e : NULL;
    in->method = md;
    if (r.obj < 0)
        attr_messages(p, i, m->start, m->len);
    if (md == METHOD_PUT) {
        struct expr *e = parse_operand(p, "a value", "put");
        parse_insn(p, i)->e1 = e;
        options(p, i, true);
        return;
    }
    if (md == METHOD_GET || md == METHOD_ACQUIRE || md == METHOD_WAIT) {
        int v = parse_result_var(p);
        options(p, i, md != METHOD_WAIT);
        if (v < 0)
            v = parse_result_var(p);
        parse_insn(p, i)->var = v;
    }
}

static const struct { const char *w; enum method md; } dyn_methods[] = {
    { "put", METHOD_PUT }, { "get", METHOD_GET }, { "acquire", METHOD_ACQUIRE },
    { "release", METHOD_RELEASE }, { "set", METHOD_SET }, { "clear", METHOD_CLEAR },
    { "wait", METHOD_WAIT }, { "task_done", METHOD_TASK_DONE },
};

/* V.value = / += / -= E, on the receiver r. */
static void value_assign(struct parser *p, const struct token *at, struct recv r)
{
    char buf[64];
    struct token op = p->tok;
    if (!parse_is(p, T_ASSIGN) && !parse_is(p, T_PLUSEQ) && !parse_is(p, T_MINUSEQ))
        FAILP(p, op, "expected =, += or -= after '.value', found %s",
              parse_what(&op, buf, sizeof buf));
    parse_next(p);
    const char *w = op.kind == T_ASSIGN ? "=" : op.kind == T_PLUSEQ ? "+=" : "-=";
    int i = parse_emit(p, OP_SHARED_SET, at);
    parse_insn(p, i)->obj = r.obj;
    parse_insn(p, i)->e2 = r.obj < 0 ? r.e : NULL;
    parse_insn(p, i)->e1 = parse_operand(p, "a value", w);
    parse_insn(p, i)->aop = op.kind == T_ASSIGN ? AOP_SET : op.kind == T_PLUSEQ ? AOP_ADD
                                                                          : AOP_SUB;
}

bool parse_obj_method(struct parser *p, const struct token *name)
{
    struct token m = parse_token_after(p);
    int obj = parse_object(p, name);
    if (obj >= 0) {
        /* a declared shared value's S.value = E: as S = E */
        if (!word_is(&m, "value") || p->objects.kind[obj] != OBJ_SHARED)
            return false;
        parse_next(p);
        parse_next(p);
        value_assign(p, name, (struct recv){ obj, NULL });
        return true;
    }
    /* (V.value = E on a variable is values' X.attr = E, which hands an
     * object to objref_store at run time; V[I] = E likewise) */
    struct recv r = { -1, parse_node(p, EX_VAR, name) };
    for (size_t k = 0; k < sizeof dyn_methods / sizeof dyn_methods[0]; k++) {
        if (!word_is(&m, dyn_methods[k].w))
            continue;
        r.e->var = parse_variable(p, name, false);
        parse_next(p);                             /* . */
        parse_next(p);                             /* the method */
        method_tail(p, name, r, &m, dyn_methods[k].md);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------ with */

/* `with NAME {`, `with V {`, `with (E) {` (after `with`): acquire now;
 * the block runs in a try whose handler releases and raises again, and
 * its end releases (parse_obj_with_end). */
void parse_obj_with(struct parser *p, const struct token *at)
{
    char buf[64];
    struct token t = p->tok;
    struct recv r = { -1, NULL };
    if (parse_is(p, T_LPAREN)) {
        parse_next(p);
        r.e = parse_expr(p);
        if (!parse_is(p, T_RPAREN))
            FAILP(p, p->tok, "expected ')', found %s", parse_what(&p->tok, buf, sizeof buf));
        parse_next(p);
    } else if (parse_is(p, T_IDENT)) {
        r.obj = parse_object(p, &t);
        if (r.obj >= 0) {
            int k = p->objects.kind[r.obj];
            if (k != OBJ_LOCK && k != OBJ_RLOCK && k != OBJ_SEMAPHORE && k != OBJ_SHARED &&
                k != OBJ_ARRAY)
                FAILP(p, t, "'with' takes a lock, rlock, semaphore, shared value or array "
                      "(its lock), or a pool; '%.*s' is none of these", (int)t.len, t.start);
            parse_next(p);
        } else {
            r.e = parse_expr(p);               /* V, V[I] ... */
        }
    } else {
        FAILP(p, t, "expected pool, threadpool, processpool, a lock or a variable "
              "holding one after 'with', found %s", parse_what(&t, buf, sizeof buf));
    }
    if (r.obj < 0) {
        /* Python evaluates the lock once: it goes in a hidden thread-local
         * variable, which the releases read (the name may change inside) */
        char name[32];
        snprintf(name, sizeof name, "#with%d", p->nrepeat++);
        struct token h = *at;
        h.start = name;
        h.len = strlen(name);
        int var = parse_variable(p, &h, true);
        char *kept = parse_alloc(p, h.len + 1);
        memcpy(kept, name, h.len + 1);
        p->s->vars[var].local = true;
        p->s->vars[var].name = kept;
        int set = parse_emit(p, OP_SET, at);
        parse_insn(p, set)->var = var;
        parse_insn(p, set)->e1 = r.e;
        r.e = parse_node(p, EX_VAR, at);
        r.e->var = var;
    }
    int open_tries = 0;
    for (int b = 0; b < p->depth; b++)
        open_tries += p->blocks[b].kind == B_TRY ||
                      (p->blocks[b].kind == B_WITH && p->blocks[b].bare);
    if (open_tries >= MAX_TRY)
        FAILP(p, *at, "try and with blocks nested too deeply (at most %d)", MAX_TRY);
    int acq = parse_emit(p, OP_OBJ, at);
    parse_insn(p, acq)->obj = r.obj;
    parse_insn(p, acq)->e2 = r.e;
    parse_insn(p, acq)->method = METHOD_ACQUIRE;
    if (r.obj < 0)
        attr_messages(p, acq, "acquire", 7);
    int try = parse_emit(p, OP_TRY, at);
    struct block *b = parse_push_block(p, B_WITH, at);
    b->bare = true;                /* a lock's with (a pool's: false) */
    b->jif = acq;
    b->except = try;
    parse_open_brace(p, "with");
}

/* A release of the lock block b acquired. */
static void release(struct parser *p, const struct block *b, const struct token *at)
{
    int i = parse_emit(p, OP_OBJ, at);
    const struct insn *acq = parse_insn(p, b->jif);
    struct insn *in = parse_insn(p, i);
    in->obj = acq->obj;
    in->e2 = acq->e2;
    in->method = METHOD_RELEASE;
    if (acq->obj < 0) {
        acq = parse_insn(p, b->jif);
        attr_messages(p, i, "release", 7);
    }
}

void parse_obj_with_end(struct parser *p, const struct block *b, const struct token *at)
{
    parse_emit(p, OP_TRY_END, at);
    release(p, b, at);
    int jump = parse_emit(p, OP_JUMP, at);
    parse_insn(p, b->except)->target = p->prog->ncode;  /* an exception: */
    release(p, b, at);
    parse_emit(p, OP_RERAISE, at);                      /* release, raise again */
    parse_insn(p, jump)->target = p->prog->ncode;
}

void parse_obj_unwind(struct parser *p, int from, int to, const struct token *at)
{
    for (int k = to - 1; k >= from; k--)
        if (p->blocks[k].kind == B_WITH && p->blocks[k].bare)
            release(p, &p->blocks[k], at);
}

/* ---------------------------------------------------------------- invoke */

/* The receiver of `invoke`: a name (a declared object, or a variable) or a
 * parenthesised expression, then any [index]; stops at the last `.NAME(`. */
static struct expr *invoke_receiver(struct parser *p)
{
    char buf[64];
    struct token t = p->tok;
    struct expr *e;
    if (parse_is(p, T_LPAREN)) {
        parse_next(p);
        e = parse_expr(p);
        if (!parse_is(p, T_RPAREN))
            FAILP(p, p->tok, "expected ')', found %s", parse_what(&p->tok, buf, sizeof buf));
        parse_next(p);
    } else if (parse_is(p, T_IDENT)) {
        int obj = parse_object(p, &t);
        if (obj >= 0 && p->objects.kind[obj] != OBJ_PIPE) {
            e = parse_node(p, EX_REF, &t);
            e->num = ROP_REF;
            e->obj = obj;
        } else {
            e = parse_node(p, EX_VAR, &t);
            e->var = parse_variable(p, &t, false);
        }
        parse_next(p);
    } else {
        FAILP(p, t, "expected the receiver of a method call after 'invoke' (a name or "
              "an expression in parentheses), found %s", parse_what(&t, buf, sizeof buf));
    }
    for (;;) {
        if (parse_is(p, T_LBRACKET) && p->tok.glued) {
            struct token at = p->tok;
            parse_next(p);
            struct expr *ix = parse_node(p, EX_INDEX, &at);
            ix->a = e;
            ix->b = parse_expr(p);
            if (!parse_is(p, T_RBRACKET))
                FAILP(p, p->tok, "expected ']', found %s", parse_what(&p->tok, buf, sizeof buf));
            parse_next(p);
            e = ix;
            continue;
        }
        if (!parse_is(p, T_DOT))
            FAILP(p, p->tok, "expected '.METHOD(...)' after the receiver, found %s",
                  parse_what(&p->tok, buf, sizeof buf));
        /* .NAME( ends it; .NAME alone is an attribute */
        struct lexer lx = p->lx;
        struct token n = lex_next(&lx), after = lex_next(&lx);
        if (n.kind == T_IDENT && after.kind == T_LPAREN && after.glued)
            return e;
        FAILP(p, n, "attributes of a receiver (E.attr.method()) are not supported yet: "
              "put E.attr in a variable first");
    }
}

static void invoke_statement(struct parser *p, const struct token *at)
{
    char buf[64];
    int i = parse_emit(p, OP_INVOKE, at);
    struct expr *recv = invoke_receiver(p);
    parse_next(p);                                 /* . */
    struct token m = p->tok;
    parse_ident(p, "a method name after '.'");
    parse_next(p);                                 /* ( */
    struct expr *args[MAX_PARAMS];
    int n = 0;
    while (!parse_is(p, T_RPAREN)) {
        if (n > 0) {
            if (!parse_is(p, T_COMMA))
                FAILP(p, p->tok, "expected ',' or ')' in the arguments of %.*s, found %s",
                      (int)m.len, m.start, parse_what(&p->tok, buf, sizeof buf));
            parse_next(p);
        }
        if (n == MAX_PARAMS - 1)
            FAILP(p, p->tok, "too many arguments (at most %d)", MAX_PARAMS - 1);
        args[n++] = parse_expr(p);
    }
    parse_next(p);
    struct insn *in = parse_insn(p, i);
    in->e2 = recv;
    in->obj = -1;
    in->argc = n;
    in->argv = parse_alloc(p, (size_t)(n ? n : 1) * sizeof *args);
    memcpy(in->argv, args, (size_t)n * sizeof *args);
    attr_messages(p, i, m.start, m.len);
    p->s->mutable = true;      /* it may be a list's append...: fork copies */
    /* the programs CLASS.NAME an instance's class may have */
    int progs[4096], np = 0;
    for (int k = 0; k < p->programs.n && np < 4096; k++) {
        const char *pn = p->programs.name[k];
        size_t len = strlen(pn);
        if (len > m.len + 1 && pn[len - m.len - 1] == '.' &&
            !memcmp(pn + len - m.len, m.start, m.len) && memchr(pn, '.', len - m.len - 1) == NULL)
            progs[np++] = k;
    }
    in = parse_insn(p, i);
    in->nvars = np;
    in->vars = parse_alloc(p, (size_t)(np ? np : 1) * sizeof *progs);
    memcpy(in->vars, progs, (size_t)np * sizeof *progs);
    in->var = parse_result_var(p);
}

bool parse_obj_statement(struct parser *p, const struct token *at)
{
    if (word_is(at, "invoke")) {
        invoke_statement(p, at);
        return true;
    }
    if (word_is(at, "new") && parse_is(p, T_IDENT)) {
        parse_obj_new(p, at);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------ new */

/* `new KIND [ARGS] ["NAME"] -> X` (after `new`): an object made when the
 * statement runs. Each `new` statement is one object of the scenario,
 * added after the declared ones once the file is read (parse_obj_finish),
 * so every table, snapshot and window sees it as a declared object; the
 * kernel makes it on the statement's first run (newobj_exec).
 *   queue|joinablequeue [MAXSIZE]   threadqueue [MAXSIZE] [fifo|lifo|priority]
 *   lock  rlock  event  semaphore [E]  shared [E]  array SIZE|[ITEMS]
 * Fields: aop = the kind; sig = the queue's QK_*, disp = its QO_*;
 * timeout = its maxsize; e1 = the semaphore's count or the shared value's
 * initial value (evaluated when it runs), a queue's maxsize when it is not
 * a number, an array's size or items (flags INSN_NOWAIT: not literals,
 * worked out when it runs); args[0].str = the name, or NULL. */
void parse_obj_new(struct parser *p, const struct token *at)
{
    static const char *const kinds[] = { "shared", "lock", "rlock", "semaphore", "event",
                                         "queue", "", "array", "joinablequeue",
                                         "threadqueue" };
    char buf[64];
    struct token kw = p->tok;
    int k = -1;
    for (int i = 0; i < 10; i++)
        if (*kinds[i] && parse_is_word(p, kinds[i]))
            k = i;
    if (k < 0)
        FAILP(p, kw, "expected what to make after 'new': queue, joinablequeue, threadqueue, "
              "lock, rlock, semaphore, event, shared or array; found %s",
              parse_what(&kw, buf, sizeof buf));
    parse_next(p);
    int i = parse_emit(p, OP_NEWOBJ, at);
    struct object o = { .kind = k >= 8 ? OBJ_QUEUE : (enum object_kind)k, .name = "" };
    if (k == OBJ_QUEUE || k >= 8) {
        o.qkind = (uint8_t)(k == OBJ_QUEUE ? QK_MP : k == 8 ? QK_JOINABLE : QK_THREAD);
        bool order = parse_is_word(p, "fifo") || parse_is_word(p, "lifo") ||
                     parse_is_word(p, "priority");
        if (!parse_is(p, T_ARROW) && !parse_is(p, T_STR) && !order && !parse_end_of_line(p)) {
            struct token a = p->tok;
            struct expr *e = parse_expr(p);        /* MAXSIZE */
            if (e->kind == EX_NUM && e->num > QUEUE_MAXSIZE_MAX)
                FAILP(p, a, "a queue's maximum size must be at most %d (SEM_VALUE_MAX); 0 "
                      "or less is unbounded", QUEUE_MAXSIZE_MAX);
            if (e->kind == EX_NUM)
                o.init = e->num;                   /* known now, as a declaration's */
            else
                parse_insn(p, i)->e1 = e;          /* worked out when it runs */
        }
        if (o.qkind == QK_THREAD && !parse_is(p, T_ARROW) && !parse_is(p, T_STR) &&
            !parse_end_of_line(p)) {
            static const char *const orders[] = { "fifo", "lifo", "priority" };
            int found = -1;
            for (int n = 0; n < 3; n++)
                if (parse_is_word(p, orders[n]))
                    found = n;
            if (found < 0)
                FAILP(p, p->tok, "expected fifo, lifo or priority after 'new threadqueue', "
                      "found %s", parse_what(&p->tok, buf, sizeof buf));
            o.qorder = (uint8_t)found;
            parse_next(p);
        }
    } else if (k == OBJ_ARRAY) {
        struct token a = p->tok;
        if (parse_is(p, T_ARROW) || parse_is(p, T_STR) || parse_end_of_line(p))
            FAILP(p, a, "expected a size or a list of integers after 'new array'");
        struct expr *e = parse_expr(p);
        bool literal = e->kind == EX_NUM || e->kind == EX_LIST;
        for (int n = 0; literal && e->kind == EX_LIST && n < e->nitems; n++)
            literal = e->items[n]->kind == EX_NUM;
        if (literal && (e->kind == EX_NUM ? e->num < 0 || e->num > ARRAY_MAX_ITEMS
                                          : e->nitems > ARRAY_MAX_ITEMS))
            FAILP(p, a, "an array's size must be 0..%d", ARRAY_MAX_ITEMS);
        parse_insn(p, i)->e1 = e;
        parse_insn(p, i)->flags = literal ? 0 : INSN_NOWAIT;   /* sized when it runs */
    } else if ((k == OBJ_SEMAPHORE || k == OBJ_SHARED) && !parse_is(p, T_ARROW) &&
               !parse_is(p, T_STR) && !parse_end_of_line(p)) {
        parse_insn(p, i)->e1 = parse_expr(p);
    }
    struct insn *in = parse_insn(p, i);
    in->aop = (int)o.kind;
    in->sig = o.qkind;
    in->disp = o.qorder;
    in->timeout = o.init;
    in->args = parse_alloc(p, sizeof *in->args);
    in->nargs = 1;
    if (parse_is(p, T_STR)) {
        char *text = parse_alloc(p, p->tok.len + 1);
        size_t n = lex_unescape(&p->tok, text);
        text[n] = '\0';
        parse_insn(p, i)->args[0].str = text;
        parse_next(p);
    }
    int v = parse_result_var(p);
    if (v < 0)
        FAILP(p, p->tok, "expected '-> VARIABLE' after 'new %s' (where the object goes)",
              kinds[k]);
    parse_insn(p, i)->var = v;
}

/* The program the feeder threads of `new` multiprocessing queues run: as
 * a declared queue's (queue_checks in parse.c), but the queue is read from
 * a hidden thread-local variable the kernel sets when it starts the thread
 * (queue.c), so one program serves every queue made at run time. */
static int dynamic_feeder(struct parser *p, const struct object *o)
{
    struct scenario *s = p->s;
    char name[] = "#feedq";
    struct token h = { .kind = T_IDENT, .start = name, .len = 6, .line = o->pos.line,
                       .col = o->pos.col };
    int var = parse_variable(p, &h, true);
    char *kept = parse_alloc(p, sizeof name);
    memcpy(kept, name, sizeof name);
    s->vars[var].local = true;
    s->vars[var].name = kept;
    struct program pr = { .name = "QueueFeederThread", .pos = o->pos };
    pr.code = calloc(3, sizeof *pr.code);
    if (!pr.code)
        parse_fail(p, o->pos.line, o->pos.col, "out of memory");
    for (int c = 0; c < 3; c++) {
        struct insn *in = &pr.code[c];
        in->pos = o->pos;
        in->var = in->var2 = in->prog = in->handler = -1;
        in->timeout = -1;
    }
    pr.code[0].op = OP_OBJ;
    pr.code[0].obj = -1;
    pr.code[0].e2 = parse_node(p, EX_VAR, &h);
    pr.code[0].e2->var = var;
    pr.code[0].method = METHOD_FEED;
    pr.code[1].op = OP_JUMP;
    pr.code[1].target = 0;
    pr.code[2].op = OP_END;
    pr.ncode = 3;
    return parse_add_program(p, &pr);
}

/* After the whole file: each `new` statement's object is added after the
 * declared objects (their indices stay those the names have), named by
 * its "NAME" or its variable. */
void parse_obj_finish(struct parser *p)
{
    struct scenario *s = p->s;
    int feeder = -1;
    /* first the feeder program, if a `new` makes multiprocessing queues
     * (programs are added at the end: the loop below stays in place) */
    for (int g = 0; g < s->nprograms + s->nhandlers && feeder < 0; g++) {
        const struct program *pr = g < s->nprograms ? &s->programs[g]
                                                    : &s->handlers[g - s->nprograms];
        /* feeder first: adding the program moves s->programs, so pr must
         * not be read after it (ASan found that) */
        for (int c = 0; feeder < 0 && c < pr->ncode; c++)
            if (pr->code[c].op == OP_NEWOBJ && pr->code[c].aop == OBJ_QUEUE &&
                pr->code[c].sig != QK_THREAD)
                feeder = dynamic_feeder(p, &(struct object){ .pos = pr->code[c].pos });
    }
    for (int g = 0; g < s->nprograms + s->nhandlers; g++) {
        struct program *pr = g < s->nprograms ? &s->programs[g] : &s->handlers[g - s->nprograms];
        for (int c = 0; c < pr->ncode; c++) {
            struct insn *in = &pr->code[c];
            if (in->op != OP_NEWOBJ)
                continue;
            struct object o = { .kind = (enum object_kind)in->aop, .pos = in->pos,
                                .qkind = (uint8_t)in->sig, .qorder = (uint8_t)in->disp,
                                .init = in->timeout < 0 ? 0 : in->timeout,
                                .feeder_prog = -1, .end = -1 };
            if (o.kind == OBJ_SEMAPHORE)
                o.init = 1;
            if (o.kind == OBJ_ARRAY && (in->flags & INSN_NOWAIT)) {
                o.nitems = 0;          /* each run makes one of the size it says */
            } else if (o.kind == OBJ_ARRAY && in->e1->kind == EX_NUM) {
                o.nitems = (int)in->e1->num;
            } else if (o.kind == OBJ_ARRAY) {
                o.nitems = in->e1->nitems;
                o.items = parse_alloc(p, (size_t)(o.nitems ? o.nitems : 1) * sizeof *o.items);
                for (int n = 0; n < o.nitems; n++)
                    o.items[n] = in->e1->items[n]->num;
            }
            const char *name = in->args[0].str;
            if (!name) {
                const char *v = s->vars[in->var].name, *dot = strrchr(v, '.');
                name = dot ? dot + 1 : v;
            }
            o.name = name;
            if (o.kind == OBJ_QUEUE && o.qkind != QK_THREAD)
                o.feeder_prog = feeder;
            parse_add_object(p, &o);
            in->obj = s->nobjects - 1;
        }
    }
}
