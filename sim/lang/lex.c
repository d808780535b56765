/* lex.c - the scenario tokenizer (see lex.h). */
#include "lex.h"

#include <stdlib.h>
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
    if (!end && a >= 0 && lx->pos < lx->len && lx->src[lx->pos] == ':') {
        lx->pos++;
        b = directive_number(lx);
    }
    /* `@0:0`: code with no place in the .py file (the translator's
     * prelude: Process, Thread...); a task in it shows its caller's line. */
    bool nowhere = !end && a == 0 && b == 0;
    if ((!nowhere && (a < 1 || b < 1)) || (lx->pos < lx->len && lx->src[lx->pos] != '\n')) {
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
            bool hex2 = e == 'x' && strchr("0123456789abcdefABCDEF", peek(lx, i + 2) > 0 ? peek(lx, i + 2) : 'z') &&
                        strchr("0123456789abcdefABCDEF", peek(lx, i + 3) > 0 ? peek(lx, i + 3) : 'z');
            if (hex2) {
                i += 4;        /* \xNN: any byte (issue 14) */
                continue;
            }
            if (e != '"' && e != '\\' && e != 'n' && e != 'r' && e != 't' && e != '\'') {
                t.col += (int)i;
                t.start += i;
                advance(lx, i);
                return error(t, "unknown escape in a string; use \\\", \\', \\\\, \\n, \\r, \\t or \\xNN");
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

static bool digit(int c) { return c >= '0' && c <= '9'; }

/* 1.5, 1e-3, 1.5e+10, .5 (issue 14): a float. Not when letters follow
 * (2.5ms stays 2 . 5ms, which config reports as a decimal). */
static bool float_follows(const struct lexer *lx, size_t *len)
{
    size_t i = 0;
    while (digit(peek(lx, i)))
        i++;
    bool frac = false, ex = false;
    if (peek(lx, i) == '.' && digit(peek(lx, i + 1))) {
        frac = true;
        i++;
        while (digit(peek(lx, i)))
            i++;
    }
    if ((peek(lx, i) == 'e' || peek(lx, i) == 'E') &&
        (digit(peek(lx, i + 1)) ||
         ((peek(lx, i + 1) == '-' || peek(lx, i + 1) == '+') && digit(peek(lx, i + 2))))) {
        ex = true;
        i += 2;
        while (digit(peek(lx, i)))
            i++;
    }
    int c = peek(lx, i);
    if ((!frac && !ex) || ident_char(c) || c == '.')
        return false;
    *len = i;
    return true;
}

static struct token number(struct lexer *lx, struct token t)
{
    size_t i = 0;
    if (float_follows(lx, &i)) {
        char buf[64];
        size_t n = i < sizeof buf - 1 ? i : sizeof buf - 1;
        memcpy(buf, lx->src + lx->pos, n);
        buf[n] = '\0';
        double d = strtod(buf, NULL);
        t.kind = T_FLOAT;
        t.len = i;
        memcpy(&t.num, &d, sizeof d);
        advance(lx, i);
        return t;
    }
    i = 0;
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
    if (ident_start(c) && !(c == 'b' && peek(lx, 1) == '"')) {
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
    int prev = lx->pos ? (unsigned char)lx->src[lx->pos - 1] : ' ';
    size_t flen;
    /* .5 (not x.5 or t[0].5); only when it is a float: `.21.` is a dot then
     * (number() would read no digits and never move: the lexer hung) */
    if (c == '.' && digit(peek(lx, 1)) && !ident_char(prev) && prev != ')' && prev != ']' &&
        prev != '"' && float_follows(lx, &flen))
        return number(lx, t);
    if (c == '"')
        return string(lx, t);
    if (c == 'b' && peek(lx, 1) == '"') { /* b"...": bytes */
        advance(lx, 1);
        struct token s = string(lx, t);
        if (s.kind == T_STR) {
            s.kind = T_BYTES;
            s.start = t.start;
            s.len += 1;
        }
        return s;
    }

    int d = peek(lx, 1);
    /* issue 14: augmented operators, then // ** << >> */
    static const struct { const char *s; int op; } aug[] = {
        { "//=", 4 }, { "**=", 6 }, { "<<=", 8 }, { ">>=", 9 },
        { "*=", 2 }, { "^=", 7 }, { "|=", 10 }, { "&=", 11 },
    };
    /* Each is X= or XX=: look only when d is = or c again (a token is
     * lexed several times by the parser's look-ahead: keep this cheap). */
    for (size_t i = 0; (d == '=' || d == c) && i < sizeof aug / sizeof aug[0]; i++) {
        if (aug[i].s[0] != c)
            continue;
        size_t n = strlen(aug[i].s);
        if (lx->pos + n <= lx->len && !memcmp(lx->src + lx->pos, aug[i].s, n)) {
            t.kind = T_AUGEQ;
            t.num = aug[i].op;    /* VA_FLOORDIV ... (value.h) */
            t.len = n;
            advance(lx, n);
            return t;
        }
    }
    static const struct { char a, b; enum tok k; } two2[] = {
        { '/', '/', T_DSLASH }, { '*', '*', T_DSTAR }, { '<', '<', T_SHL }, { '>', '>', T_SHR },
    };
    for (size_t i = 0; i < sizeof two2 / sizeof two2[0]; i++)
        if (c == two2[i].a && d == two2[i].b) {
            t.kind = two2[i].k;
            t.len = 2;
            advance(lx, 2);
            return t;
        }
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
    static const char one[] = "{}()[],.=<>+-*/%|&:^~@";
    static const enum tok onek[] = {
        T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET,
        T_COMMA, T_DOT, T_ASSIGN, T_LT, T_GT, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT,
        T_BAR, T_AMP, T_COLON, T_CARET, T_TILDE, T_AT,
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

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

size_t lex_unescape(const struct token *t, char *buf)
{
    size_t n = 0;
    size_t first = t->start[0] == 'b' ? 2 : 1;    /* b"..." */
    for (size_t i = first; i + 1 < t->len; i++) {
        char c = t->start[i];
        if (c == '\\') {
            c = t->start[++i];
            if (c == 'x' && i + 2 < t->len) {
                c = (char)(hexval(t->start[i + 1]) * 16 + hexval(t->start[i + 2]));
                i += 2;
            } else if (c == 'n')
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
