/*
 * parse_mux.c - the statements of select, poll, epoll and selectors
 * (issue 13; docs/scenario-language.md, "select, poll and epoll"), and the
 * mask constants their expressions use. See parser.h. Run by sim/mux.
 *
 *   select RLIST, WLIST, XLIST [timeout=T] -> r, w, x    (or -> result)
 *   poll -> p            epoll -> ep            selector -> sel
 *   X.register FD [MASK [DATA]]    X.modify FD MASK [DATA]
 *   X.unregister FD
 *   p.poll [T] -> events           ep.poll [T] [maxevents=K] -> events
 *   sel.select [T] -> events
 */
#include <string.h>

#include "parser.h"

/* The constants of Python's select and selectors modules, Linux's values. */
static const struct { const char *name; int64_t v; } masks[] = {
    { "POLLIN", 0x001 }, { "POLLPRI", 0x002 }, { "POLLOUT", 0x004 },
    { "POLLERR", 0x008 }, { "POLLHUP", 0x010 }, { "POLLNVAL", 0x020 },
    { "POLLRDHUP", 0x2000 },
    { "EPOLLIN", 0x001 }, { "EPOLLPRI", 0x002 }, { "EPOLLOUT", 0x004 },
    { "EPOLLERR", 0x008 }, { "EPOLLHUP", 0x010 }, { "EPOLLRDHUP", 0x2000 },
    { "EPOLLONESHOT", 1LL << 30 }, { "EPOLLET", 1LL << 31 },
    { "EVENT_READ", 1 }, { "EVENT_WRITE", 2 },
};

bool parse_mux_constant(const struct token *t, int64_t *v)
{
    if (t->kind != T_IDENT || t->len < 6)
        return false;
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++)
        if (strlen(masks[i].name) == t->len && !memcmp(masks[i].name, t->start, t->len)) {
            *v = masks[i].v;
            return true;
        }
    return false;
}

/* Does an expression start here (not `->`, `maxevents=` or the end)? */
static bool value_follows(struct parser *p)
{
    return !parse_end_of_line(p) && !parse_is(p, T_ARROW) && !parse_is(p, T_LBRACE) &&
           !parse_is_word(p, "maxevents") && !parse_is_word(p, "timeout");
}

/* An optional comma between operands (`ep.register fd, EPOLLIN` reads
 * like Python; `ep.register fd EPOLLIN` like the spec's examples). */
static void skip_comma(struct parser *p)
{
    if (parse_is(p, T_COMMA))
        parse_next(p);
}

/* `-> a, b, c` or `-> t` (select's results): the variables. */
static void result_vars(struct parser *p, int i)
{
    char buf[64];
    if (!parse_is(p, T_ARROW))
        return;
    parse_next(p);
    int vars[3], n = 0;
    for (;;) {
        struct token t = p->tok;
        parse_ident(p, "a variable name after '->'");
        vars[n++] = parse_assigned_var(p, &t);
        if (!parse_is(p, T_COMMA))
            break;
        if (n == 3)
            FAIL(p, p->tok, "select gives three lists: -> r, w, x (or one variable for "
                 "the tuple)");
        parse_next(p);
    }
    if (n == 2)
        FAIL(p, p->tok, "select gives three lists: -> r, w, x (or one variable for the "
             "tuple), found %s", parse_what(&p->tok, buf, sizeof buf));
    struct insn *in = parse_insn(p, i);
    in->vars = parse_alloc(p, sizeof *in->vars * (size_t)n);
    memcpy(in->vars, vars, sizeof *vars * (size_t)n);
    in->nvars = n;
}

/* select RLIST, WLIST, XLIST [timeout=T] -> r, w, x */
static void select_statement(struct parser *p, const struct token *at)
{
    char buf[64];
    int i = parse_emit(p, OP_MUX, at);
    struct expr **argv = parse_alloc(p, 4 * sizeof *argv);
    argv[0] = parse_operand(p, "a list of fds to read (select R, W, X)", "select");
    for (int k = 1; k < 3; k++) {
        if (!parse_is(p, T_COMMA))
            FAIL(p, p->tok, "select takes three lists: select RLIST, WLIST, XLIST; "
                 "found %s", parse_what(&p->tok, buf, sizeof buf));
        parse_next(p);
        argv[k] = parse_operand(p, k == 1 ? "a list of fds to write" :
                                "a list of fds for exceptional conditions", ",");
    }
    int argc = 3;
    if (parse_is_word(p, "timeout")) {
        parse_next(p);
        if (!parse_is(p, T_ASSIGN))
            FAIL(p, p->tok, "expected '=' after 'timeout', found %s",
                 parse_what(&p->tok, buf, sizeof buf));
        parse_next(p);
        argv[argc++] = parse_operand(p, "a number of ticks (or None)", "timeout=");
    }
    struct insn *in = parse_insn(p, i);
    in->method = MUXM_SELECT;
    in->argv = argv;
    in->argc = argc;
    result_vars(p, i);
}

bool parse_mux_statement(struct parser *p, const struct token *at)
{
    static const struct { const char *w; int method; } makers[] = {
        { "poll", MUXM_POLL_NEW }, { "epoll", MUXM_EPOLL_NEW },
        { "selector", MUXM_SELECTOR_NEW },
    };
    if (at->len == 6 && !memcmp(at->start, "select", 6)) {
        select_statement(p, at);
        return true;
    }
    for (size_t k = 0; k < sizeof makers / sizeof makers[0]; k++)
        if (strlen(makers[k].w) == at->len && !memcmp(makers[k].w, at->start, at->len)) {
            char buf[64];
            if (!parse_is(p, T_ARROW))
                FAIL(p, p->tok, "expected '-> NAME' after '%s' (the %s it makes), found %s",
                     makers[k].w, k == 0 ? "poll object" : k == 1 ? "epoll fd"
                                                         : "selector", parse_what(&p->tok, buf, sizeof buf));
            int i = parse_emit(p, OP_MUX, at);
            int v = parse_result_var(p);
            parse_insn(p, i)->method = makers[k].method;
            parse_insn(p, i)->var = v;
            return true;
        }
    return false;
}

/* [maxevents=K]: argv[0] */
static struct expr *maxevents(struct parser *p)
{
    char buf[64];
    if (!parse_is_word(p, "maxevents"))
        return NULL;
    parse_next(p);
    if (!parse_is(p, T_ASSIGN))
        FAIL(p, p->tok, "expected '=' after 'maxevents', found %s",
             parse_what(&p->tok, buf, sizeof buf));
    parse_next(p);
    return parse_operand(p, "a number of events", "maxevents=");
}

bool parse_mux_method(struct parser *p, const struct token *name)
{
    static const struct { const char *w; int method; } methods[] = {
        { "register", MUXM_REGISTER }, { "modify", MUXM_MODIFY },
        { "unregister", MUXM_UNREGISTER }, { "poll", MUXM_WAIT }, { "select", MUXM_WAIT },
    };
    struct token w = parse_token_after(p);
    if (w.kind != T_IDENT)
        return false;
    int method = -1;
    for (size_t k = 0; k < sizeof methods / sizeof methods[0]; k++)
        if (strlen(methods[k].w) == w.len && !memcmp(methods[k].w, w.start, w.len))
            method = methods[k].method;
    if (method < 0)
        return false;
    parse_next(p);                     /* the '.' */
    parse_next(p);                     /* the method */
    int i = parse_emit(p, OP_MUX, name);
    struct expr *handle = parse_node(p, EX_VAR, name);
    handle->var = parse_variable(p, name, false);
    struct expr **argv = parse_alloc(p, 2 * sizeof *argv);
    struct expr *e1 = NULL;
    int argc = 0;
    if (method == MUXM_WAIT) {
        if (value_follows(p))
            e1 = parse_expr(p);
        argv[0] = maxevents(p);
        argc = argv[0] ? 1 : 0;
    } else {
        e1 = parse_operand(p, "an fd", method == MUXM_REGISTER ? "register"
                           : method == MUXM_MODIFY ? "modify" : "unregister");
        skip_comma(p);
        if (method != MUXM_UNREGISTER && value_follows(p)) {
            argv[argc++] = parse_expr(p);
            skip_comma(p);
            if (value_follows(p))
                argv[argc++] = parse_expr(p);     /* a selector's data */
        } else if (method == MUXM_MODIFY) {
            char buf[64];
            FAIL(p, p->tok, "expected an event mask after the fd (modify FD MASK), "
                 "found %s", parse_what(&p->tok, buf, sizeof buf));
        }
    }
    int var = method == MUXM_WAIT ? parse_result_var(p) : -1;
    struct insn *in = parse_insn(p, i);
    in->method = method;
    in->e1 = e1;
    in->e2 = handle;
    in->argv = argv;
    in->argc = argc;
    in->var = var;
    return true;
}
