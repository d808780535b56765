/* lex.c - the scenario tokenizer (see lex.h). */
#include "lex.h"

#include <string.h>

void lex_init(struct lexer *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
    lx->line = 1;
    lx->col = 1;
    lx->over = false;
    lx->over_line = lx->over_col = 0;
}

/* A decimal number at the lexer's position (at most 9 digits), or -1. */
static int directive_number(struct lexer *lx)
{
    int n = 0, digits = 0;
    while (lx->pos < lx->len && lx->src[lx->pos] >= '0' && lx->src[lx->pos] <= '9') {
        if (++digits > 9)
            return -1;
        n = n * 10 + (lx->src[lx->pos++] - '0');
    }
    return digits ? n : -1;
}

/* At the start of a line: a position line `@L:C` or `@-K` (see lex.h)?
 * Reads it and its newline and returns true; anything else is left to be
 * lexed (and an `@` is then an unexpected character). */
static bool position_line(struct lexer *lx)
{
    size_t at = lx->pos;
    if (lx->col != 1 || at + 1 >= lx->len || lx->src[at] != '@')
        return false;
    lx->pos++;
    bool end = lx->src[lx->pos] == '-';
    if (end)
        lx->pos++;
    int a = directive_number(lx), b = 1;
    if (!end && a >= 1 && lx->pos < lx->len && lx->src[lx->pos] == ':') {
        lx->pos++;
        b = directive_number(lx);
    }
    if (a < 1 || b < 1 || (lx->pos < lx->len && lx->src[lx->pos] != '\n')) {
        lx->pos = at;                       /* not one: an error later */
        return false;
    }
    if (lx->pos < lx->len)
        lx->pos++;                          /* its newline */
    lx->col = 1;
    if (end) {
        lx->over = false;
        lx->line = a;
    } else {
        lx->line++;
        lx->over = true;
        lx->over_line = a;
        lx->over_col = b;
    }
    return true;
}

static int peek(const struct lexer *lx, size_t ahead)
{
    return lx->pos + ahead < lx->len ? (unsigned char)lx->src[lx->pos + ahead] : -1;
}

static void advance(struct lexer *lx, size_t n)
{
    lx->pos += n;
    lx->col += (int)n;
}

static bool ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(int c)
{
    return ident_start(c) || (c >= '0' && c <= '9');
}

static struct token error(struct token t, const char *msg)
{
    t.kind = T_ERROR;
    t.err = msg;
    return t;
}

static struct token string(struct lexer *lx, struct token t)
{
    size_t i = 1;
    for (;;) {
        int c = peek(lx, i);
        if (c < 0 || c == '\n' || c == '\r') {
            advance(lx, i);
            return error(t, "unterminated string: expected '\"' before the end of the line");
        }
        if (c == '\\') {
            int e = peek(lx, i + 1);
            if (e != '"' && e != '\\' && e != 'n' && e != 'r' && e != 't') {
                t.col += (int)i;
                t.start += i;
                advance(lx, i);
                return error(t, "unknown escape in a string; use \\\", \\\\, \\n, \\r or \\t");
            }
            i += 2;
            continue;
        }
        if (c == 0) {
            t.col += (int)i;
            advance(lx, i);
            return error(t, "unexpected NUL byte in a string");
        }
        i++;
        if (c == '"')
            break;
    }
    t.kind = T_STR;
    t.len = i;
    advance(lx, i);
    return t;
}

static struct token number(struct lexer *lx, struct token t)
{
    size_t i = 0;
    int64_t v = 0;
    bool overflow = false;
    while (peek(lx, i) >= '0' && peek(lx, i) <= '9') {
        int d = peek(lx, i) - '0';
        if (v > (INT64_MAX - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
        i++;
    }
    t.kind = T_NUM;
    t.len = i;
    t.num = v;
    advance(lx, i);
    if (overflow)
        return error(t, "number too large");
    return t;
}

struct token lex_next(struct lexer *lx)
{
    struct token t;
    bool space = false;
    memset(&t, 0, sizeof t);
    /* Blanks and comments (a comment runs to the end of the line). */
    for (;;) {
        int c = peek(lx, 0);
        if (c == '@' && position_line(lx)) {
            continue;
        } else if (c == ' ' || c == '\t') {
            advance(lx, 1);
            space = true;
        } else if (c == '\r' && peek(lx, 1) == '\n') {
            advance(lx, 1);
        } else if (c == '#') {
            while (peek(lx, 0) >= 0 && peek(lx, 0) != '\n')
                advance(lx, 1);
        } else {
            break;
        }
    }
    t.start = lx->src + lx->pos;
    t.line = lx->over ? lx->over_line : lx->line;
    t.col = lx->over ? lx->over_col : lx->col;
    t.py = lx->over;
    t.glued = !space;
    int c = peek(lx, 0);
    if (c < 0) {
        t.kind = T_EOF;
        return t;
    }
    if (c == '\n') {
        t.kind = T_NEWLINE;
        t.len = 1;
        lx->pos++;
        lx->line++;
        lx->col = 1;
        return t;
    }
    if (ident_start(c)) {
        size_t i = 1;
        while (ident_char(peek(lx, i)))
            i++;
        t.kind = T_IDENT;
        t.len = i;
        advance(lx, i);
        return t;
    }
    if (c >= '0' && c <= '9')
        return number(lx, t);
    if (c == '"')
        return string(lx, t);

    int d = peek(lx, 1);
    static const struct { char a, b; enum tok k; } two[] = {
        { '-', '>', T_ARROW }, { '=', '=', T_EQ }, { '!', '=', T_NE },
        { '<', '=', T_LE }, { '>', '=', T_GE }, { '+', '=', T_PLUSEQ },
        { '-', '=', T_MINUSEQ },
    };
    for (size_t i = 0; i < sizeof two / sizeof two[0]; i++)
        if (c == two[i].a && d == two[i].b) {
            t.kind = two[i].k;
            t.len = 2;
            advance(lx, 2);
            return t;
        }
    static const char one[] = "{}()[],.=<>+-*/%|&";
    static const enum tok onek[] = {
        T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET,
        T_COMMA, T_DOT, T_ASSIGN, T_LT, T_GT, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT,
        T_BAR, T_AMP,
    };
    const char *p = c ? strchr(one, c) : NULL;
    if (p) {
        t.kind = onek[p - one];
        t.len = 1;
        advance(lx, 1);
        return t;
    }
    t.len = 1;
    advance(lx, 1);
    return error(t, "unexpected character");
}

size_t lex_unescape(const struct token *t, char *buf)
{
    size_t n = 0;
    for (size_t i = 1; i + 1 < t->len; i++) {
        char c = t->start[i];
        if (c == '\\') {
            c = t->start[++i];
            if (c == 'n')
                c = '\n';
            else if (c == 'r')
                c = '\r';             /* HTTP's line ends (issue 13) */
            else if (c == 't')
                c = '\t';
        }
        buf[n++] = c;
    }
    buf[n] = '\0';
    return n;
}
