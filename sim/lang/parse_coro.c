/*
 * parse_coro.c - the statements of gevent-style greenlets (issue 13; run
 * by sim/coro). All are methods of a name:
 *
 *   gevent.spawn PROG(args) [-> G]      a greenlet running PROG in this thread
 *   gevent.sleep N                      park for N ticks, let others run
 *   gevent.joinall LIST [timeout=N] [-> DONE]
 *   G.join [timeout=N]                  wait for greenlet G to end
 *   monkey.patch_all                    blocking calls switch greenlets
 *
 * and asyncio's tasks, on the same hub:
 *
 *   asyncio.create_task PROG(args) [-> T]
 *   await asyncio.sleep N
 *   await T [-> R]                      the task's result (or its exception)
 *   await asyncio.gather LIST [-> RS]   the results, in LIST's order
 *   await S.recv N [-> D], await S.send D [-> N], await S.sendall D,
 *   await S.accept [-> C[, ADDR]], await S.connect ADDR,
 *   await S.recvfrom N ..., await S.sendto ...
 *                                       loop.sock_*: wait for the socket
 */
#include "parser.h"

#include <string.h>

static bool word_is(const struct token *t, const char *w)
{
    return t->kind == T_IDENT && t->len == strlen(w) && !memcmp(t->start, w, t->len);
}

static int gather_or_sleep(struct parser *p, const struct token *at);
static void awaited_call(struct parser *p, const struct token *at);

/* await EXPR...: asyncio's await points. */
bool parse_coro_statement(struct parser *p, const struct token *at)
{
    if (!word_is(at, "await"))
        return false;
    struct token name = p->tok;
    if (name.kind != T_IDENT)
        FAIL(p, name, "expected a task, asyncio.sleep, asyncio.gather or a socket call "
             "after 'await'");
    if (word_is(&name, "asyncio")) {
        gather_or_sleep(p, at);
        return true;
    }
    if (parse_peek_is(p, T_DOT)) {
        awaited_call(p, at);
        return true;
    }
    /* await T [-> R] */
    parse_next(p);
    int i = parse_emit(p, OP_GREEN, at);
    struct expr *g = parse_node(p, EX_VAR, &name);
    g->var = parse_variable(p, &name, false);
    parse_insn(p, i)->e2 = g;
    parse_insn(p, i)->method = GREENM_AWAIT;
    parse_insn(p, i)->var = parse_result_var(p);
    return true;
}

/* await asyncio.sleep N | await asyncio.gather LIST [-> RS] */
static int gather_or_sleep(struct parser *p, const struct token *at)
{
    parse_next(p);                                     /* asyncio */
    if (p->tok.kind != T_DOT)
        FAIL(p, p->tok, "expected '.' after 'asyncio'");
    parse_next(p);
    struct token m = p->tok;
    bool sleep = word_is(&m, "sleep"), gather = word_is(&m, "gather");
    if (!sleep && !gather)
        FAIL(p, m, "procsim awaits asyncio.sleep and asyncio.gather (and tasks and "
             "socket calls)");
    parse_next(p);
    int i = parse_emit(p, OP_GREEN, at);
    if (sleep) {
        parse_insn(p, i)->method = GREENM_SLEEP;
        parse_insn(p, i)->e1 = parse_ticks(p, "asyncio.sleep");
    } else {
        parse_insn(p, i)->method = GREENM_GATHER;
        parse_insn(p, i)->e1 = parse_operand(p, "a list of tasks", "asyncio.gather");
        parse_insn(p, i)->var = parse_result_var(p);
    }
    return i;
}

/* await S.recv N [-> D], await S.send D [-> N] (the fd statements, as
 * parse.c's fd_op writes them), or a socket method of parse_net.c:
 * asyncio's loop.sock_recv, sock_sendall, sock_accept ... They run as
 * patched calls do (green_io.c). */
static void awaited_call(struct parser *p, const struct token *at)
{
    struct token name = p->tok;
    parse_next(p);                                     /* the name; at '.' */
    struct token m = parse_token_after(p);
    bool recv = word_is(&m, "recv"), send = word_is(&m, "send");
    int first = p->prog->ncode;
    if (recv || send) {
        parse_next(p);
        parse_next(p);
        int i = parse_emit(p, OP_FD, &name);
        struct expr *fd = parse_node(p, EX_VAR, &name);
        fd->var = parse_variable(p, &name, false);
        parse_insn(p, i)->e2 = fd;
        parse_insn(p, i)->method = recv ? METHOD_RECV : METHOD_SEND;
        if (send)
            parse_insn(p, i)->e1 = parse_operand(p, "a value", "send");
        else if (!parse_is(p, T_ARROW) && !parse_end_of_line(p))
            parse_insn(p, i)->e1 = parse_expr(p);
        parse_insn(p, i)->var = parse_result_var(p);
    } else if (!word_is(&m, "accept") && !word_is(&m, "sendall") &&
               !word_is(&m, "recvfrom") && !word_is(&m, "sendto") &&
               !word_is(&m, "connect")) {
        FAIL(p, m, "procsim awaits a socket's recv, send, sendall, accept, connect, "
             "recvfrom and sendto (asyncio's loop.sock_*)");
    } else if (!parse_net_method(p, &name)) {
        FAIL(p, m, "expected a socket call after 'await'");
    }
    for (int k = first; k < p->prog->ncode; k++)
        parse_insn(p, k)->flags |= INSN_AWAIT;
    (void)at;
}

/* gevent.spawn PROG(args) [-> G] */
static void spawn(struct parser *p, int i, const char *what)
{
    if (p->tok.kind != T_IDENT)
        FAIL(p, p->tok, "expected a program name after '%s'", what);
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
        spawn(p, i, "gevent.spawn");
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
    if (word_is(name, "asyncio")) {
        if (!word_is(&m, "create_task"))
            FAIL(p, m, "procsim has asyncio.create_task, and awaits asyncio.sleep and "
                 "asyncio.gather");
        parse_next(p);
        parse_next(p);
        int i = parse_emit(p, OP_GREEN, name);
        parse_insn(p, i)->method = GREENM_SPAWN;
        parse_insn(p, i)->aop = 1;                     /* a task */
        spawn(p, i, "asyncio.create_task");
        return true;
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
