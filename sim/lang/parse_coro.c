/*
 * parse_coro.c - the statements of gevent-style greenlets (issue 13; run
 * by sim/coro). All are methods of a name:
 *
 *   gevent.spawn PROG(args) [-> G]      a greenlet running PROG in this thread
 *   gevent.sleep N                      park for N ticks, let others run
 *   gevent.joinall LIST [timeout=N] [-> DONE]
 *   G.join [timeout=N]                  wait for greenlet G to end
 *   monkey.patch_all                    blocking calls switch greenlets
 */
#include "parser.h"

#include <string.h>

static bool word_is(const struct token *t, const char *w)
{
    return t->kind == T_IDENT && t->len == strlen(w) && !memcmp(t->start, w, t->len);
}

bool parse_coro_statement(struct parser *p, const struct token *at)
{
    (void)p;
    (void)at;
    return false;
}

/* gevent.spawn PROG(args) [-> G] */
static void spawn(struct parser *p, int i)
{
    if (p->tok.kind != T_IDENT)
        FAIL(p, p->tok, "expected a program name after 'gevent.spawn'");
    struct token name = p->tok;
    struct insn *in = parse_insn(p, i);
    in->prog = parse_program_ref(p);
    parse_call_args(p, in->prog, &name, &parse_insn(p, i)->argv, &parse_insn(p, i)->argc);
    parse_insn(p, i)->var = parse_result_var(p);
}

static bool gevent_method(struct parser *p, const struct token *name, const struct token *m)
{
    int method = word_is(m, "spawn") ? GREENM_SPAWN : word_is(m, "sleep") ? GREENM_SLEEP
               : word_is(m, "joinall") ? GREENM_JOINALL : GREENM_NONE;
    if (method == GREENM_NONE)
        FAIL(p, *m, "unknown gevent function '%.*s'; procsim has gevent.spawn, "
             "gevent.sleep and gevent.joinall", (int)m->len, m->start);
    int i = parse_emit(p, OP_GREEN, name);
    parse_insn(p, i)->method = method;
    if (method == GREENM_SPAWN) {
        spawn(p, i);
    } else if (method == GREENM_SLEEP) {
        parse_insn(p, i)->e1 = parse_ticks(p, "gevent.sleep");
    } else {
        parse_insn(p, i)->e1 = parse_operand(p, "a list of greenlets", "gevent.joinall");
        parse_wait_option(p, i);
        parse_insn(p, i)->var = parse_result_var(p);
    }
    return true;
}

bool parse_coro_method(struct parser *p, const struct token *name)
{
    struct token m = parse_token_after(p);
    if (m.kind != T_IDENT)
        return false;
    if (word_is(name, "gevent")) {
        parse_next(p);                                 /* . */
        parse_next(p);                                 /* the method */
        return gevent_method(p, name, &m);
    }
    if (word_is(name, "monkey")) {
        if (!word_is(&m, "patch_all"))
            FAIL(p, m, "procsim's monkey has patch_all only (monkey.patch_all)");
        parse_next(p);
        parse_next(p);
        int i = parse_emit(p, OP_GREEN, name);
        parse_insn(p, i)->method = GREENM_PATCH;
        return true;
    }
    /* G.get is not taken: a pool's handle has get (parse.c's handle_op),
     * and the parser does not know what a variable holds. */
    if (!word_is(&m, "join"))
        return false;
    parse_next(p);
    parse_next(p);
    int i = parse_emit(p, OP_GREEN, name);
    struct expr *g = parse_node(p, EX_VAR, name);
    g->var = parse_variable(p, name, false);
    parse_insn(p, i)->e2 = g;
    parse_insn(p, i)->method = GREENM_JOIN;
    parse_wait_option(p, i);
    return true;
}
