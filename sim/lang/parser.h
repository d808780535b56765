/*
 * parser.h - the scenario parser's own types and tools, shared by parse.c
 * (the language's core statements) and the files that parse the
 * statements of one subject each: parse_net.c (sockets), parse_mux.c
 * (select, poll, epoll), parse_coro.c (greenlets). Private to sim/lang.
 *
 * A statement parser is called with the statement's first word already
 * read (`at`) and the current token the one after it. It returns false
 * when the statement is not one of its own (nothing read); else it parses
 * to the end of the line (the caller checks that nothing follows). Errors
 * go through FAIL, which does not return.
 */
#ifndef PROCSIM_PARSER_H
#define PROCSIM_PARSER_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "lex.h"
#include "scenario.h"

#define MAX_DEPTH 64           /* nested blocks */
#define MAX_EXPR_DEPTH 100     /* nested expressions */
#define MAX_EXPR_OPS 1000      /* binary operators in one expression: bounds
                                  the depth of its tree, which the evaluator
                                  walks recursively */

/* ------------------------------------------------------------------ arena */

struct chunk {
    struct chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

/* A hash index over a list of names, so that looking a name up costs the
 * same with 100,000 programs as with 3 (a linear search made loading such a
 * file quadratic). Open addressing: slot holds an index + 1, 0 when empty. */
struct name_index {
    int *slot;
    int size;                  /* a power of two, at least twice the names */
};

struct names {                 /* a growable list of names */
    const char **name;
    int *line;                 /* where each is defined */
    int *kind;                 /* objects: their enum object_kind */
    int n, cap;
    struct name_index index;
};

enum block_kind { B_PROGRAM, B_HANDLER, B_IF, B_ELSE, B_WHILE, B_REPEAT, B_TRY,
                  B_EXCEPT, B_WITH };

struct block {
    enum block_kind kind;
    int line;                  /* where it opened */
    int jif;                   /* if/while/repeat: the JIF to patch at the end */
    int loop;                  /* while/repeat: where the loop starts */
    int chain[MAX_DEPTH];      /* if/else, try/except: JUMPs to patch at the
                                  very end */
    int nchain;
    int except;                /* try: its OP_TRY; except: its OP_EXCEPT;
                                  with: the pool (scenario.pools); a lock's
                                  with: its OP_TRY (jif: its acquire) */
    bool bare;                 /* except: a bare `except` (catches all);
                                  with: a lock's (parse_obj.c) */
};

struct varinfo {
    bool assigned;
    int read_line, read_col;   /* first read, 0 if never read */
};

struct parser {
    const char *file, *src;
    size_t len;
    /* a translated Python file (issue 14): tokens under an `@L:C` line
     * report positions in it */
    const char *py_name, *py_text;
    size_t py_len;
    struct lexer lx;
    struct token tok;          /* the current token */
    struct diag *err;
    jmp_buf fail;
    struct scenario *s;
    struct chunk *arena;
    /* the program being compiled */
    struct program *prog;
    int codecap;
    struct block blocks[MAX_DEPTH];
    int depth;
    int expr_depth;
    int expr_ops;              /* binary operators so far in this expression */
    int nrepeat;
    int ntry;                  /* try blocks open in this program */
    /* the parameters of the program being compiled */
    struct token params[MAX_PARAMS];
    int nparams;
    /* names known from the first pass */
    struct names programs, handlers, objects;
    struct names poolnames;    /* pools and executors declared so far (in
                                  file order: a pool statement declares its
                                  name for the rest of the file) */
    int poolcap;
    struct varinfo *varinfo;
    int varcap;
    /* a `def` being compiled (issue 14): the names it uses, each a
     * variable of its own (a frame local if the def assigns it, else it
     * reads the process variable of that name); its `global` names */
    bool def;
    struct scopevar {
        const char *name;
        size_t len;
        int var;
        bool assigned;
        struct token first;    /* its first use */
    } *scope;
    int nscope, scopecap;
    struct token *globals;
    int nglobals, globalcap;
    int scope_off;             /* > 0: look names up as at top level */
    struct name_index var_index;   /* over s->vars */
    int progcap, handlercap, objcap, spawncap, outcap, expcap, desccap;
};

void parse_fail(struct parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));
#define FAIL(p, t, ...) parse_fail((p), (t).line, (t).col, __VA_ARGS__)

/* tokens */
void parse_next(struct parser *p);
bool parse_is(const struct parser *p, enum tok k);
bool parse_is_word(const struct parser *p, const char *w);
bool parse_end_of_line(const struct parser *p);
struct token parse_token_after(const struct parser *p);   /* one ahead */
bool parse_peek_is(const struct parser *p, enum tok k);   /* one ahead */
const char *parse_what(const struct token *t, char *buf, size_t n);
char *parse_ident(struct parser *p, const char *expected);
int64_t parse_integer(struct parser *p, const char *expected);
void *parse_alloc(struct parser *p, size_t n);            /* the arena */
/* expressions */
struct expr *parse_expr(struct parser *p);
struct expr *parse_operand(struct parser *p, const char *expected, const char *word);
struct expr *parse_ticks(struct parser *p, const char *word);
struct expr *parse_node(struct parser *p, enum expr_kind k, const struct token *at);
struct expr *parse_binary(struct parser *p, enum expr_kind k, struct expr *a,
                          struct expr *b);
/* NAME[INDEX] of an array object (the current token is the '[') */
struct expr *parse_array_item(struct parser *p, const struct token *name, int obj);
/* "shared", "lock"...: the word that declares an object of this kind */
const char *parse_kind_word(int kind);
/* instructions, variables, names */
int parse_emit(struct parser *p, enum opcode op, const struct token *at);
struct insn *parse_insn(struct parser *p, int i);
int parse_variable(struct parser *p, const struct token *t, bool assign);
int parse_assigned_var(struct parser *p, const struct token *t);
int parse_result_var(struct parser *p);                   /* [-> VAR] */
int parse_program_ref(struct parser *p);
void parse_call_args(struct parser *p, int prog, const struct token *name,
                     struct expr ***argv, int *argc);
void parse_wait_option(struct parser *p, int i);          /* [timeout=N] */
struct block *parse_push_block(struct parser *p, enum block_kind k,
                               const struct token *at);
void parse_open_brace(struct parser *p, const char *what_opens);
int parse_object(const struct parser *p, const struct token *t);  /* -1 */

/* The statements of each subject (issue 13). parse_*_statement: a
 * statement starting with the word `at` (read). parse_*_method: NAME.WORD
 * where NAME (`name`, read; the current token is the '.') is not a
 * scenario object or pool: a variable holding an fd or handle, or a
 * module name such as `gevent`. */
bool parse_net_statement(struct parser *p, const struct token *at);
bool parse_net_method(struct parser *p, const struct token *name);
bool parse_mux_statement(struct parser *p, const struct token *at);
bool parse_mux_method(struct parser *p, const struct token *name);
/* A mask constant of select/poll/epoll/selectors (POLLIN, EPOLLET,
 * EVENT_READ ...): true and its value in *v. */
bool parse_mux_constant(const struct token *t, int64_t *v);
bool parse_coro_statement(struct parser *p, const struct token *at);
/* issue 14 (parse_expr.c): X[K] = E, X.attr = E (augmented too), del X[K],
 * eval E */
bool parse_value_statement(struct parser *p, const struct token *at);
bool parse_coro_method(struct parser *p, const struct token *name);
/* objects as values (issue 14; parse_obj.c) */
struct expr *parse_obj_ref(struct parser *p, const struct token *name);
bool parse_obj_query_follows(const struct parser *p);
struct expr *parse_obj_query(struct parser *p, const struct token *name, int obj);
bool parse_obj_method(struct parser *p, const struct token *name);
void parse_obj_with(struct parser *p, const struct token *at);
void parse_obj_with_end(struct parser *p, const struct block *b, const struct token *at);
/* Before a return (or a break out of blocks from `depth` on): release the
 * locks of the lock `with` blocks it leaves. */
void parse_obj_unwind(struct parser *p, int depth, const struct token *at);
bool parse_obj_statement(struct parser *p, const struct token *at);
void parse_obj_new(struct parser *p, const struct token *at);
void parse_obj_finish(struct parser *p);
void parse_queue_decl(struct parser *p, const struct token *kw, struct object *o);
void parse_add_object(struct parser *p, const struct object *o);
int parse_add_program(struct parser *p, const struct program *pr);   /* its index */

#endif
