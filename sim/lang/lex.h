/*
 * lex.h - the scenario tokenizer: a buffer and its length in, tokens with
 * their line and column out. Newlines are tokens (one statement per line).
 */
#ifndef PROCSIM_LEX_H
#define PROCSIM_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tok {
    T_EOF, T_NEWLINE, T_IDENT, T_NUM, T_STR,
    T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET,
    T_COMMA, T_DOT, T_ARROW,
    T_ASSIGN, T_PLUSEQ, T_MINUSEQ,
    T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT,
    T_BAR, T_AMP,              /* | and & (masks: issue 13) */
    /* issue 14 (values) */
    T_FLOAT,                   /* 1.5, 1e-3, .5: the double in num's bits */
    T_BYTES,                   /* b"..." (quotes kept, as T_STR; start at b) */
    T_COLON,                   /* : (dicts, slices) */
    T_DSLASH, T_DSTAR,         /* // ** */
    T_CARET, T_SHL, T_SHR, T_TILDE,    /* ^ << >> ~ */
    T_AUGEQ,                   /* *= //= **= ^= |= &= <<= >>=: num = the
                                  operator (enum varith, value.h) */
    T_AT,                      /* @ (issue 14: call @F ARGS) */
    T_ERROR,
};

struct token {
    enum tok kind;
    const char *start;         /* into the source */
    size_t len;
    int line, col;
    int64_t num;               /* T_NUM */
    bool glued;                /* no space before it (for `1ms`) */
    bool py;                   /* its position is a Python file's (`@L:C`) */
    const char *err;           /* T_ERROR: what is wrong */
};

struct lexer {
    const char *src;
    size_t len, pos;
    int line, col;
    /* Position lines (issue 14): a line `@L:C` at the start of a line makes
     * every token after it report line L, column C (of the Python file the
     * text was translated from) until the next one; `@-K` ends that, and
     * the next line is numbered K (the scenario file's own lines follow);
     * `@0:0` gives the tokens line 0: code with no place in the .py file. */
    bool over;
    int over_line, over_col;
};

void lex_init(struct lexer *lx, const char *src, size_t len);

/* The next token. String tokens keep their quotes; lex_unescape() gives
 * the text. */
struct token lex_next(struct lexer *lx);

/* The text of a string token, unescaped, into buf (NUL-terminated).
 * Returns its length. A T_BYTES token too (its b is skipped). */
size_t lex_unescape(const struct token *t, char *buf);

#endif
