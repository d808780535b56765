/*
 * format.c - text built from values: format(v, spec) with Python's
 * format-spec mini-language, and printf-style `str % args` (mod()).
 * Both follow CPython 3.11 (Objects/stringlib/unicode_format.h and
 * Objects/unicodeobject.c's PyUnicode_Format).
 */
#include "vpriv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ buffers */

void vb_add(struct vbuf *b, const char *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (b->n + n > VALUE_MAX_OBJECT) {
        b->failed = true;
        return;
    }
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
}

void vb_str(struct vbuf *b, const char *s) { vb_add(b, s, strlen(s)); }

void vb_char(struct vbuf *b, char c, size_t count)
{
    for (size_t k = 0; k < count && !b->failed; k++)
        vb_add(b, &c, 1);
}

void vb_printf(struct vbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        vb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void vb_value(struct vbuf *b, const struct vheap *h, struct value v, bool repr)
{
    if (v.type == V_STR && !repr) {
        size_t n;
        const char *s = v_str_data(h, v, &n);
        vb_add(b, s, n);
        return;
    }
    char small[256];
    size_t n = v_format(h, v, repr, small, sizeof small);
    if (n + 1 < sizeof small) {
        vb_add(b, small, n);
        return;
    }
    /* long: print it whole into a buffer of its size */
    struct value s;
    const char *msg;
    if (v_to_str((struct vheap *)h, v, repr, &s, &msg) != VE_OK) {
        b->failed = true;
        return;
    }
    const char *d = v_str_data(h, s, &n);
    vb_add(b, d, n);
}

enum verr vb_finish(struct vbuf *b, struct vheap *h, uint8_t type,
                    struct value *out, const char **msg)
{
    if (b->failed) {
        free(b->s);
        *msg = VP_MSG_TOO_BIG;
        return VE_MEMORY;
    }
    enum verr e = type == V_BYTES ? v_bytes(h, b->s ? b->s : "", b->n, out)
                                  : v_str(h, b->s ? b->s : "", b->n, out);
    free(b->s);
    if (e != VE_OK)
        *msg = VP_MSG_NO_MEMORY;
    return e;
}

/* ------------------------------------------------------------ format spec */

struct spec {
    char fill, align, sign, type;
    bool alt, zero, has_width, has_prec;
    char grouping;             /* 0, ',' or '_' */
    int64_t width, prec;
};

static bool parse_spec(const char *s, size_t n, struct spec *sp, const char **msg)
{
    memset(sp, 0, sizeof *sp);
    sp->fill = ' ';
    size_t k = 0;
    if (n >= 2 && strchr("<>=^", s[1])) {
        sp->fill = s[0];
        sp->align = s[1];
        k = 2;
    } else if (n >= 1 && strchr("<>=^", s[0])) {
        sp->align = s[0];
        k = 1;
    }
    if (k < n && strchr("+- ", s[k]))
        sp->sign = s[k++];
    if (k < n && s[k] == '#') {
        sp->alt = true;
        k++;
    }
    if (k < n && s[k] == '0') {
        sp->zero = true;
        k++;
    }
    while (k < n && s[k] >= '0' && s[k] <= '9') {
        sp->has_width = true;
        sp->width = sp->width * 10 + (s[k++] - '0');
        if (sp->width > 100000) {
            *msg = "Too many decimal digits in format string";
            return false;
        }
    }
    if (k < n && (s[k] == ',' || s[k] == '_'))
        sp->grouping = s[k++];
    if (k < n && s[k] == '.') {
        k++;
        if (k >= n || s[k] < '0' || s[k] > '9') {
            *msg = "Format specifier missing precision";
            return false;
        }
        sp->has_prec = true;
        while (k < n && s[k] >= '0' && s[k] <= '9') {
            sp->prec = sp->prec * 10 + (s[k++] - '0');
            if (sp->prec > 100000) {
                *msg = "Too many decimal digits in format string";
                return false;
            }
        }
    }
    if (k < n)
        sp->type = s[k++];
    if (k < n) {
        *msg = "Invalid format specifier";
        return false;
    }
    if (sp->zero && !sp->align) {
        sp->fill = '0';
        sp->align = '=';
    }
    return true;
}

/* Insert the grouping separator every 3 digits of the integer part of
 * digits[0..n) (every 4 for x/o/b with '_'). */
static void group(struct vbuf *out, const char *d, size_t n, char sep, int every)
{
    size_t intlen = 0;
    while (intlen < n && d[intlen] >= '0' && d[intlen] <= '9')
        intlen++;
    if (every == 4)            /* hex digits */
        for (intlen = 0; intlen < n && strchr("0123456789abcdefABCDEF", d[intlen]); intlen++)
            ;
    for (size_t k = 0; k < intlen; k++) {
        if (sep && k > 0 && (intlen - k) % (size_t)every == 0)
            vb_add(out, &sep, 1);
        vb_add(out, d + k, 1);
    }
    vb_add(out, d + intlen, n - intlen);
}

/* Pad sign + body to the width as the spec's alignment says. */
static void pad(struct vbuf *out, const struct spec *sp, const char *sign, const char *body,
                size_t blen, char default_align)
{
    size_t slen = strlen(sign);
    /* width counts characters: count UTF-8 lead bytes */
    size_t chars = slen;
    for (size_t k = 0; k < blen; k++)
        chars += ((unsigned char)body[k] & 0xc0) != 0x80;
    size_t w = sp->has_width && (int64_t)chars < sp->width ? (size_t)sp->width - chars : 0;
    char align = sp->align ? sp->align : default_align;
    if (align == '=') {
        vb_str(out, sign);
        vb_char(out, sp->fill, w);
        vb_add(out, body, blen);
    } else if (align == '<') {
        vb_str(out, sign);
        vb_add(out, body, blen);
        vb_char(out, sp->fill, w);
    } else if (align == '^') {
        vb_char(out, sp->fill, w / 2);
        vb_str(out, sign);
        vb_add(out, body, blen);
        vb_char(out, sp->fill, w - w / 2);
    } else {
        vb_char(out, sp->fill, w);
        vb_str(out, sign);
        vb_add(out, body, blen);
    }
}

static enum verr bad_code(const struct vheap *h, char type, const char *tn, const char **msg)
{
    *msg = vp_msg(h, "Unknown format code '%c' for object of type '%s'", type, tn);
    return VE_VALUE;
}

static void fmt_int(struct vbuf *out, const struct spec *sp, int64_t x)
{
    char digits[80], sign[4] = "";
    uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
    if (x < 0)
        strcpy(sign, "-");
    else if (sp->sign == '+' || sp->sign == ' ')
        sign[0] = sp->sign, sign[1] = '\0';
    char type = sp->type ? sp->type : 'd';
    int base = type == 'x' || type == 'X' ? 16 : type == 'o' ? 8 : type == 'b' ? 2 : 10;
    if (type == 'c') {
        char c[5];
        size_t n = 0;
        if (u < 0x80) {
            c[n++] = (char)u;
        } else if (u < 0x800) {
            c[n++] = (char)(0xc0 | (u >> 6));
            c[n++] = (char)(0x80 | (u & 0x3f));
        } else if (u < 0x10000) {
            c[n++] = (char)(0xe0 | (u >> 12));
            c[n++] = (char)(0x80 | ((u >> 6) & 0x3f));
            c[n++] = (char)(0x80 | (u & 0x3f));
        } else {
            c[n++] = (char)(0xf0 | (u >> 18));
            c[n++] = (char)(0x80 | ((u >> 12) & 0x3f));
            c[n++] = (char)(0x80 | ((u >> 6) & 0x3f));
            c[n++] = (char)(0x80 | (u & 0x3f));
        }
        pad(out, sp, "", c, n, '<');
        return;
    }
    const char *dig = type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[70];
    size_t n = 0;
    do
        tmp[n++] = dig[u % (uint64_t)base];
    while (u /= (uint64_t)base);
    for (size_t k = 0; k < n; k++)
        digits[k] = tmp[n - 1 - k];
    char prefix[8] = "";
    if (sp->alt && base != 10)
        snprintf(prefix, sizeof prefix, "0%c", type);
    char full[8];
    snprintf(full, sizeof full, "%s%s", sign, prefix);
    struct vbuf body = { 0 };
    group(&body, digits, n, sp->grouping, base == 10 ? 3 : 4);
    pad(out, sp, full, body.s ? body.s : "", body.n, '>');
    free(body.s);
}

/* Python's float formatting for type f F e E g G % and none. */
static void fmt_float(struct vbuf *out, const struct spec *sp, double d)
{
    char sign[2] = "";
    bool neg = signbit(d) && !(d != d);
    if (neg)
        sign[0] = '-';
    else if (sp->sign == '+' || sp->sign == ' ')
        sign[0] = sp->sign;
    double a = fabs(d);
    char type = sp->type;
    char body[400];
    if (!isfinite(a)) {
        bool upper = type == 'F' || type == 'E' || type == 'G';
        snprintf(body, sizeof body, "%s", a != a ? (upper ? "NAN" : "nan")
                                                 : (upper ? "INF" : "inf"));
    } else if (type == 0 && !sp->has_prec) {
        v_float_repr(a, body);
    } else if (type == 0) {
        /* like 'g' but at least one digit after the point when it has
         * no exponent (Python: "format(1.0, '.3')" is '1.0') */
        int p = sp->prec ? (int)sp->prec : 1;
        snprintf(body, sizeof body, sp->alt ? "%#.*g" : "%.*g", p, a);
        if (!strpbrk(body, ".en"))
            strcat(body, ".0");
    } else if (type == '%') {
        int p = sp->has_prec ? (int)sp->prec : 6;
        snprintf(body, sizeof body, sp->alt ? "%#.*f%%" : "%.*f%%", p, a * 100);
    } else {
        int p = sp->has_prec ? (int)sp->prec : 6;
        char f[8];
        snprintf(f, sizeof f, "%%%s.*%c", sp->alt ? "#" : "", type);
        snprintf(body, sizeof body, f, p, a);
    }
    struct vbuf g = { 0 };
    group(&g, body, strlen(body), isfinite(a) ? sp->grouping : 0, 3);
    pad(out, sp, sign, g.s ? g.s : "", g.n, '>');
    free(g.s);
}

static enum verr format_into(struct vheap *h, struct vbuf *out, struct value v,
                             const struct spec *sp, const char **msg)
{
    char tb[64];
    const char *tn = vp_tname(h, v, tb);
    if (v.type == V_BOOL && !sp->type) {
        vb_value(out, h, v, false);    /* format(True, '') is 'True' */
        return VE_OK;
    }
    if (v_is_int(v)) {
        if (sp->type && strchr("eEfFgG%", sp->type)) {
            fmt_float(out, sp, (double)vp_int_of(v));
            return VE_OK;
        }
        if (sp->type && !strchr("bcdoxXn", sp->type))
            return bad_code(h, sp->type, tn, msg);
        if (sp->has_prec) {
            *msg = "Precision not allowed in integer format specifier";
            return VE_VALUE;
        }
        struct spec s2 = *sp;
        if (s2.type == 'n')
            s2.type = 'd';
        fmt_int(out, &s2, vp_int_of(v));
        return VE_OK;
    }
    if (v.type == V_FLOAT) {
        if (sp->type && !strchr("eEfFgG%n", sp->type))
            return bad_code(h, sp->type, tn, msg);
        struct spec s2 = *sp;
        if (s2.type == 'n')
            s2.type = 'g';
        fmt_float(out, &s2, v_float_of(v));
        return VE_OK;
    }
    if (v.type == V_STR) {
        if (sp->type && sp->type != 's')
            return bad_code(h, sp->type, tn, msg);
        if (sp->sign) {
            *msg = "Sign not allowed in string format specifier";
            return VE_VALUE;
        }
        if (sp->align == '=') {
            *msg = "'=' alignment not allowed in string format specifier";
            return VE_VALUE;
        }
        size_t n;
        const char *s = v_str_data(h, v, &n);
        if (sp->has_prec) {    /* at most prec characters */
            size_t k = 0;
            for (int64_t c = 0; c < sp->prec && k < n; c++)
                k += char_len((const unsigned char *)s + k, n - k);
            n = k;
        }
        pad(out, sp, "", s, n, '<');
        return VE_OK;
    }
    /* anything else: str(v), formatted as a string with an empty spec only */
    if (sp->type || sp->has_width || sp->has_prec || sp->sign || sp->align) {
        *msg = vp_msg(h, "unsupported format string passed to %s.__format__", tn);
        return VE_TYPE;
    }
    vb_value(out, h, v, false);
    return VE_OK;
}

enum verr v_format_spec(struct vheap *h, struct value v, struct value spec,
                        struct value *out, const char **msg)
{
    char b[64];
    if (spec.type != V_STR) {
        *msg = vp_msg(h, "format() argument 2 must be str, not %s", vp_tname(h, spec, b));
        return VE_TYPE;
    }
    size_t n;
    const char *s = v_str_data(h, spec, &n);
    struct spec sp;
    if (!parse_spec(s, n, &sp, msg))
        return VE_VALUE;
    struct vbuf buf = { 0 };
    enum verr e = format_into(h, &buf, v, &sp, msg);
    if (e != VE_OK) {
        free(buf.s);
        return e;
    }
    return vb_finish(&buf, h, V_STR, out, msg);
}

/* ------------------------------------------------------------ str % args */

enum verr v_percent(struct vheap *h, struct value fmt, struct value args,
                    struct value *out, const char **msg)
{
    char tb[64];
    size_t n;
    const char *f = v_str_data(h, fmt, &n);
    uint32_t nargs = 1;
    const struct value *argv = &args;
    if (args.type == V_TUPLE)
        argv = v_items(h, args, &nargs);
    uint32_t next = 0;
    struct vbuf b = { 0 };
    enum verr e = VE_OK;
    for (size_t k = 0; k < n && e == VE_OK;) {
        if (f[k] != '%') {
            size_t run = k;
            while (run < n && f[run] != '%')
                run++;
            vb_add(&b, f + k, run - k);
            k = run;
            continue;
        }
        k++;
        struct spec sp;
        memset(&sp, 0, sizeof sp);
        sp.fill = ' ';
        bool left = false;
        for (; k < n && strchr("-+ #0", f[k]); k++) {
            if (f[k] == '-')
                left = true;
            else if (f[k] == '+')
                sp.sign = '+';
            else if (f[k] == ' ' && sp.sign != '+')
                sp.sign = ' ';
            else if (f[k] == '#')
                sp.alt = true;
            else
                sp.zero = true;
        }
        if (k < n && f[k] == '*') {
            *msg = "procsim: '*' widths in % formatting are not supported";
            e = VE_VALUE;
            break;
        }
        for (; k < n && f[k] >= '0' && f[k] <= '9'; k++) {
            sp.has_width = true;
            sp.width = sp.width * 10 + (f[k] - '0');
        }
        if (k < n && f[k] == '.') {
            k++;
            sp.has_prec = true;
            for (; k < n && f[k] >= '0' && f[k] <= '9'; k++)
                sp.prec = sp.prec * 10 + (f[k] - '0');
        }
        if (k >= n) {
            *msg = "incomplete format";
            e = VE_VALUE;
            break;
        }
        char c = f[k++];
        if (c == '%') {
            vb_add(&b, "%", 1);
            continue;
        }
        if (next >= nargs) {
            *msg = "not enough arguments for format string";
            e = VE_TYPE;
            break;
        }
        struct value a = argv[next++];
        sp.align = left ? '<' : sp.zero ? '=' : '>';
        if (sp.zero && !left)
            sp.fill = '0';
        if (c == 's' || c == 'r' || c == 'a') {
            struct vbuf t = { 0 };
            vb_value(&t, h, a, c != 's');
            size_t tl = t.n;
            if (sp.has_prec && (int64_t)tl > sp.prec)
                tl = (size_t)sp.prec;
            struct spec s2 = sp;
            s2.fill = ' ';
            s2.align = left ? '<' : '>';
            s2.sign = 0;
            pad(&b, &s2, "", t.s ? t.s : "", tl, '>');
            free(t.s);
        } else if (strchr("diuxXoc", c)) {
            if (!v_is_num(a)) {
                *msg = c == 'c' ? "%c requires int or char"
                     : vp_msg(h, "%%%c format: a real number is required, not %s",
                              c == 'x' || c == 'X' || c == 'o' ? c : 'd', vp_tname(h, a, tb));
                if (c == 'x' || c == 'X' || c == 'o')
                    *msg = vp_msg(h, "%%%c format: an integer is required, not %s", c,
                                  vp_tname(h, a, tb));
                e = VE_TYPE;
                break;
            }
            int64_t x = a.type == V_FLOAT ? (int64_t)v_float_of(a) : vp_int_of(a);
            sp.type = c == 'i' || c == 'u' ? 'd' : c;
            sp.has_prec = false;     /* %.3d: rare; the digits as they are */
            struct spec s2 = sp;
            if (c == 'x' || c == 'X' || c == 'o')
                s2.alt = sp.alt;
            fmt_int(&b, &s2, x);
        } else if (strchr("eEfFgG", c)) {
            if (!v_is_num(a)) {
                *msg = vp_msg(h, "must be real number, not %s", vp_tname(h, a, tb));
                e = VE_TYPE;
                break;
            }
            sp.type = c;
            if (!sp.has_prec) {
                sp.has_prec = true;
                sp.prec = 6;
            }
            fmt_float(&b, &sp, v_num_double(a));
        } else {
            *msg = vp_msg(h, "unsupported format character '%c' (0x%x) at index %zu", c,
                          (unsigned)(unsigned char)c, k - 1);
            e = VE_VALUE;
        }
    }
    if (e == VE_OK && next < nargs && (args.type == V_TUPLE || next == 0)) {
        *msg = "not all arguments converted during string formatting";
        e = VE_TYPE;
    }
    if (e != VE_OK) {
        free(b.s);
        return e;
    }
    return vb_finish(&b, h, V_STR, out, msg);
}
