/*
 * parse_net.c - the socket statements (docs §7 "Sockets"), compiled to
 * OP_SOCK with a SOCKM_* method (scenario.h; run by sim/net/sockops.c):
 *
 *   socket [tcp|udp|unix|unixdgram] -> S      socketpair [unix|unixdgram] -> A, B
 *   unlink PATH
 *   S.bind ADDR   S.listen [N]   S.accept [-> C[, ADDR]]   S.connect ADDR
 *   S.connect_ex ADDR [-> ERR]   S.sendall DATA   S.sendto DATA, ADDR [-> N]
 *   S.recvfrom N -> DATA[, ADDR]   S.shutdown SHUT_RD|SHUT_WR|SHUT_RDWR
 *   S.setblocking B   S.settimeout N|None   S.setsockopt SO_X N
 *   S.getsockopt SO_X -> V   S.getsockname -> V   S.getpeername -> V
 *
 * S.send, S.recv and S.close are the generic fd statements (fd_op in
 * parse.c), which run the socket's own when the fd names a socket.
 */
#include "parser.h"

#include <stdio.h>
#include <string.h>

static bool tok_is(const struct token *t, const char *w)
{
    return t->kind == T_IDENT && t->len == strlen(w) && !memcmp(t->start, w, t->len);
}

/* `-> A[, B]`: *a and *b get the variables (-1 absent). `need` : the
 * arrow is required; `two`: a second variable is allowed. */
static void results(struct parser *p, int *a, int *b, bool need, bool two,
                    const char *stmt)
{
    char buf[64];
    *a = *b = -1;
    if (!parse_is(p, T_ARROW)) {
        if (need)
            FAIL(p, p->tok, "expected '->' and a variable after '%s', found %s", stmt,
                 parse_what(&p->tok, buf, sizeof buf));
        return;
    }
    parse_next(p);
    struct token t = p->tok;
    parse_ident(p, "a variable name after '->'");
    *a = parse_assigned_var(p, &t);
    if (two && parse_is(p, T_COMMA)) {
        parse_next(p);
        struct token u = p->tok;
        parse_ident(p, "a second variable name after ','");
        *b = parse_assigned_var(p, &u);
    }
}

static const char *const kinds[] = { "tcp", "udp", "unix", "unixdgram", NULL };

bool parse_net_statement(struct parser *p, const struct token *at)
{
    char buf[64];
    bool pair = tok_is(at, "socketpair");
    if (tok_is(at, "unlink")) {
        int i = parse_emit(p, OP_SOCK, at);
        parse_insn(p, i)->method = SOCKM_UNLINK;
        parse_insn(p, i)->e1 = parse_operand(p, "a path", "unlink");
        return true;
    }
    if (!pair && !tok_is(at, "socket"))
        return false;
    int i = parse_emit(p, OP_SOCK, at);
    struct insn *in = parse_insn(p, i);
    in->method = pair ? SOCKM_PAIR : SOCKM_SOCKET;
    in->aop = pair ? SOCK_KIND_UNIX : SOCK_KIND_TCP;
    if (parse_is(p, T_IDENT)) {
        int k = -1;
        for (int j = 0; kinds[j]; j++)
            if (tok_is(&p->tok, kinds[j]))
                k = j;
        if (k < 0 || (pair && k < 2))
            FAIL(p, p->tok, "unknown socket kind '%.*s'; %s", (int)p->tok.len,
                 p->tok.start, pair ? "socketpair takes unix (the default) or unixdgram"
                                    : "kinds are tcp (the default), udp, unix, unixdgram");
        parse_insn(p, i)->aop = k;
        parse_next(p);
    }
    int a, b;
    const char *stmt = pair ? "socketpair" : "socket";
    results(p, &a, &b, true, pair, stmt);
    if (pair && b < 0)
        FAIL(p, p->tok, "expected ',' and a second variable after 'socketpair -> %s' "
             "(one for each socket), found %s", p->s->vars[a].name,
             parse_what(&p->tok, buf, sizeof buf));
    parse_insn(p, i)->var = a;
    parse_insn(p, i)->var2 = b;
    return true;
}

struct mdef {
    const char *name;
    int method;
};

static const struct mdef methods[] = {
    { "bind", SOCKM_BIND }, { "listen", SOCKM_LISTEN }, { "accept", SOCKM_ACCEPT },
    { "connect", SOCKM_CONNECT }, { "connect_ex", SOCKM_CONNECT_EX },
    { "sendall", SOCKM_SENDALL }, { "sendto", SOCKM_SENDTO },
    { "recvfrom", SOCKM_RECVFROM }, { "shutdown", SOCKM_SHUTDOWN },
    { "setblocking", SOCKM_SETBLOCKING }, { "settimeout", SOCKM_SETTIMEOUT },
    { "setsockopt", SOCKM_SETSOCKOPT }, { "getsockopt", SOCKM_GETSOCKOPT },
    { "getsockname", SOCKM_GETSOCKNAME }, { "getpeername", SOCKM_GETPEERNAME },
    { NULL, 0 },
};

/* SO_SNDBUF ... after setsockopt/getsockopt */
static int option(struct parser *p, const char *stmt)
{
    static const char *const names[] = { "SO_SNDBUF", "SO_RCVBUF", "SO_REUSEADDR",
                                         "SO_ERROR", "SO_TYPE", NULL };
    char buf[64];
    for (int j = 0; names[j]; j++)
        if (tok_is(&p->tok, names[j])) {
            parse_next(p);
            return j;
        }
    FAIL(p, p->tok, "expected an option after '%s' (SO_SNDBUF, SO_RCVBUF, SO_REUSEADDR, "
         "SO_ERROR, SO_TYPE), found %s", stmt, parse_what(&p->tok, buf, sizeof buf));
}

bool parse_net_method(struct parser *p, const struct token *name)
{
    struct token mt = parse_token_after(p);
    const struct mdef *d = NULL;
    for (int j = 0; methods[j].name; j++)
        if (tok_is(&mt, methods[j].name))
            d = &methods[j];
    if (!d)
        return false;
    parse_next(p);                                 /* . */
    parse_next(p);                                 /* the method */
    char stmt[96], buf[64];
    snprintf(stmt, sizeof stmt, "%.*s.%s", (int)name->len, name->start, d->name);
    int i = parse_emit(p, OP_SOCK, name);
    struct expr *fd = parse_node(p, EX_VAR, name);
    fd->var = parse_variable(p, name, false);
    parse_insn(p, i)->e2 = fd;
    parse_insn(p, i)->method = d->method;
    int a, b;
    switch (d->method) {
    case SOCKM_BIND:
    case SOCKM_CONNECT:
        parse_insn(p, i)->e1 = parse_operand(p, "an address (a port or a path)", stmt);
        break;
    case SOCKM_CONNECT_EX:
        parse_insn(p, i)->e1 = parse_operand(p, "an address (a port or a path)", stmt);
        results(p, &a, &b, false, false, stmt);
        parse_insn(p, i)->var = a;
        break;
    case SOCKM_LISTEN:
        if (!parse_end_of_line(p))
            parse_insn(p, i)->e1 = parse_expr(p);
        break;
    case SOCKM_ACCEPT:
        results(p, &a, &b, false, true, stmt);
        parse_insn(p, i)->var = a;
        parse_insn(p, i)->var2 = b;
        break;
    case SOCKM_SENDALL:
        parse_insn(p, i)->e1 = parse_operand(p, "the data (a string)", stmt);
        break;
    case SOCKM_SENDTO: {
        parse_insn(p, i)->e1 = parse_operand(p, "the data (a string)", stmt);
        if (!parse_is(p, T_COMMA))
            FAIL(p, p->tok, "expected ',' and an address after '%s DATA', found %s", stmt,
                 parse_what(&p->tok, buf, sizeof buf));
        parse_next(p);
        struct expr **argv = parse_alloc(p, sizeof *argv);
        argv[0] = parse_operand(p, "an address (a port or a path)", stmt);
        parse_insn(p, i)->argv = argv;
        parse_insn(p, i)->argc = 1;
        results(p, &a, &b, false, false, stmt);
        parse_insn(p, i)->var = a;
        break;
    }
    case SOCKM_RECVFROM:
        parse_insn(p, i)->e1 = parse_operand(p, "the most bytes to read", stmt);
        results(p, &a, &b, false, true, stmt);
        parse_insn(p, i)->var = a;
        parse_insn(p, i)->var2 = b;
        break;
    case SOCKM_SHUTDOWN: {
        static const char *const how[] = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR" };
        int k = -1;
        for (int j = 0; j < 3; j++)
            if (tok_is(&p->tok, how[j]))
                k = j;
        if (k < 0)
            FAIL(p, p->tok, "expected SHUT_RD, SHUT_WR or SHUT_RDWR after '%s', found %s",
                 stmt, parse_what(&p->tok, buf, sizeof buf));
        parse_next(p);
        parse_insn(p, i)->aop = k;
        break;
    }
    case SOCKM_SETBLOCKING:
        parse_insn(p, i)->e1 = parse_operand(p, "True or False", stmt);
        break;
    case SOCKM_SETTIMEOUT:
        parse_insn(p, i)->e1 = parse_operand(p, "a number of ticks or None", stmt);
        break;
    case SOCKM_SETSOCKOPT:
        parse_insn(p, i)->aop = option(p, stmt);
        if (parse_insn(p, i)->aop > 2)
            FAIL(p, *name, "%s: SO_ERROR and SO_TYPE can only be read (getsockopt)", stmt);
        parse_insn(p, i)->e1 = parse_operand(p, "a value", stmt);
        break;
    case SOCKM_GETSOCKOPT:
        parse_insn(p, i)->aop = option(p, stmt);
        results(p, &a, &b, false, false, stmt);
        parse_insn(p, i)->var = a;
        break;
    default:                                       /* getsockname, getpeername */
        results(p, &a, &b, false, false, stmt);
        parse_insn(p, i)->var = a;
        break;
    }
    return true;
}
