/*
 * num.c - numbers as Python has them: floats (repr, arithmetic mixing ints
 * and floats), floor division and modulo, powers, shifts and bit
 * operations. Ints stay 64-bit and wrap, as all procsim arithmetic does.
 * Messages are CPython 3.11's.
 */
#include "vpriv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double v_num_double(struct value v)
{
    return v.type == V_FLOAT ? v_float_of(v) : (double)vp_int_of(v);
}

/* CPython's repr: the shortest digits that read back as d (tried from 1
 * to 17 significant digits), then fixed notation when the decimal point
 * falls within 16 digits and above 1e-4, exponent notation otherwise. */
size_t v_float_repr(double d, char buf[32])
{
    if (d != d)
        return (size_t)snprintf(buf, 32, "nan");
    if (isinf(d))
        return (size_t)snprintf(buf, 32, d > 0 ? "inf" : "-inf");
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    /* tmp: [-]D[.DDD]e[+-]XX */
    const char *p = tmp;
    bool neg = *p == '-';
    if (neg)
        p++;
    char digits[24];
    int nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    int decpt = exp + 1;       /* digits[0] is worth 10^(decpt-1) */
    size_t n = 0;
    if (neg)
        buf[n++] = '-';
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            buf[n++] = '0';
            buf[n++] = '.';
            for (int k = 0; k < -decpt; k++)
                buf[n++] = '0';
            memcpy(buf + n, digits, (size_t)nd);
            n += (size_t)nd;
        } else if (decpt >= nd) {
            memcpy(buf + n, digits, (size_t)nd);
            n += (size_t)nd;
            for (int k = nd; k < decpt; k++)
                buf[n++] = '0';
            buf[n++] = '.';
            buf[n++] = '0';
        } else {
            memcpy(buf + n, digits, (size_t)decpt);
            n += (size_t)decpt;
            buf[n++] = '.';
            memcpy(buf + n, digits + decpt, (size_t)(nd - decpt));
            n += (size_t)(nd - decpt);
        }
        buf[n] = '\0';
        return n;
    }
    buf[n++] = digits[0];
    if (nd > 1) {
        buf[n++] = '.';
        memcpy(buf + n, digits + 1, (size_t)(nd - 1));
        n += (size_t)(nd - 1);
    }
    n += (size_t)snprintf(buf + n, 32 - n, "e%c%02d", decpt - 1 < 0 ? '-' : '+',
                          abs(decpt - 1));
    return n;
}

static const char *const SYMBOL[] = {
    [VA_ADD] = "+", [VA_SUB] = "-", [VA_MUL] = "*", [VA_TRUEDIV] = "/",
    [VA_FLOORDIV] = "//", [VA_MOD] = "%", [VA_POW] = "** or pow()", [VA_XOR] = "^",
    [VA_SHL] = "<<", [VA_SHR] = ">>", [VA_OR] = "|", [VA_AND] = "&",
};

static enum verr unsupported(const struct vheap *h, int op, struct value a, struct value b,
                             const char **msg)
{
    char b1[64], b2[64];
    *msg = vp_msg(h, "unsupported operand type(s) for %s: '%s' and '%s'", SYMBOL[op],
                  vp_tname(h, a, b1), vp_tname(h, b, b2));
    return VE_TYPE;
}

static int64_t wrap(uint64_t u) { return (int64_t)u; }

/* a ** b for b >= 0, wrapping at 64 bits */
static int64_t ipow(int64_t a, int64_t b)
{
    uint64_t r = 1, x = (uint64_t)a;
    while (b > 0) {
        if (b & 1)
            r *= x;
        x *= x;
        b >>= 1;
    }
    return wrap(r);
}

static enum verr int_arith(int op, int64_t x, int64_t y, struct value *out, const char **msg)
{
    switch (op) {
    case VA_ADD: *out = v_int(wrap((uint64_t)x + (uint64_t)y)); return VE_OK;
    case VA_SUB: *out = v_int(wrap((uint64_t)x - (uint64_t)y)); return VE_OK;
    case VA_MUL: *out = v_int(wrap((uint64_t)x * (uint64_t)y)); return VE_OK;
    case VA_TRUEDIV:
        if (y == 0) {
            *msg = "division by zero";
            return VE_ZERO_DIV;
        }
        *out = v_float((double)x / (double)y);
        return VE_OK;
    case VA_FLOORDIV:
    case VA_MOD: {
        if (y == 0) {
            *msg = op == VA_MOD ? "integer modulo by zero"
                                : "integer division or modulo by zero";
            return VE_ZERO_DIV;
        }
        if (y == -1) {         /* INT64_MIN // -1 wraps */
            *out = v_int(op == VA_MOD ? 0 : wrap(0 - (uint64_t)x));
            return VE_OK;
        }
        int64_t q = x / y, r = x % y;
        if (r != 0 && ((r < 0) != (y < 0))) {
            q--;
            r += y;
        }
        *out = v_int(op == VA_MOD ? r : q);
        return VE_OK;
    }
    case VA_POW:
        if (y >= 0) {
            *out = v_int(ipow(x, y));
            return VE_OK;
        }
        if (x == 0) {
            *msg = "0.0 cannot be raised to a negative power";
            return VE_ZERO_DIV;
        }
        *out = v_float(pow((double)x, (double)y));
        return VE_OK;
    case VA_XOR: *out = v_int(x ^ y); return VE_OK;
    case VA_OR:  *out = v_int(x | y); return VE_OK;
    case VA_AND: *out = v_int(x & y); return VE_OK;
    case VA_SHL:
    case VA_SHR:
        if (y < 0) {
            *msg = "negative shift count";
            return VE_VALUE;
        }
        if (op == VA_SHL)
            *out = v_int(y >= 64 ? 0 : wrap((uint64_t)x << y));
        else
            *out = v_int(y >= 64 ? (x < 0 ? -1 : 0) : (x < 0 ? ~(~x >> y) : x >> y));
        return VE_OK;
    }
    *msg = "unknown operator";
    return VE_TYPE;
}

/* Python's float divmod (floatobject.c's _float_div_mod). */
static void float_divmod(double vx, double wx, double *floordiv, double *mod)
{
    double m = fmod(vx, wx);
    double div = (vx - m) / wx;
    if (m) {
        if ((wx < 0) != (m < 0)) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = copysign(0.0, wx);
    }
    double fd;
    if (div) {
        fd = floor(div);
        if (div - fd > 0.5)
            fd += 1.0;
    } else {
        fd = copysign(0.0, vx / wx);
    }
    *floordiv = fd;
    *mod = m;
}

static enum verr overflow(const char **msg)
{
    *msg = "(34, 'Numerical result out of range')";
    return VE_OVERFLOW;
}

static enum verr float_arith(int op, double x, double y, struct value *out, const char **msg)
{
    double r, fd, m;
    switch (op) {
    case VA_ADD: r = x + y; break;
    case VA_SUB: r = x - y; break;
    case VA_MUL: r = x * y; break;
    case VA_TRUEDIV:
        if (y == 0) {
            *msg = "float division by zero";
            return VE_ZERO_DIV;
        }
        r = x / y;
        break;
    case VA_FLOORDIV:
    case VA_MOD:
        if (y == 0) {
            *msg = op == VA_MOD ? "float modulo" : "float floor division by zero";
            return VE_ZERO_DIV;
        }
        float_divmod(x, y, &fd, &m);
        r = op == VA_MOD ? m : fd;
        break;
    case VA_POW:
        if (x == 0 && y < 0) {
            *msg = "0.0 cannot be raised to a negative power";
            return VE_ZERO_DIV;
        }
        if (x < 0 && y != floor(y) && isfinite(y)) {
            *msg = "procsim has no complex numbers (a negative number to a "
                   "fractional power)";
            return VE_VALUE;
        }
        r = pow(x, y);
        if (isinf(r) && isfinite(x) && isfinite(y))
            return overflow(msg);
        break;
    default:
        return VE_TYPE;        /* the caller names the operands */
    }
    *out = v_float(r);
    return VE_OK;
}

enum verr v_arith(struct vheap *h, int op, struct value a, struct value b,
                  struct value *out, const char **msg)
{
    if (v_is_int(a) && v_is_int(b))
        return int_arith(op, vp_int_of(a), vp_int_of(b), out, msg);
    if (v_is_num(a) && v_is_num(b)) {
        enum verr e = float_arith(op, v_num_double(a), v_num_double(b), out, msg);
        return e == VE_TYPE ? unsupported(h, op, a, b, msg) : e;
    }
    char b1[64], b2[64];
    if (op == VA_MOD && a.type == V_STR)
        return v_percent(h, a, b, out, msg);
    if (op == VA_ADD && (a.type == V_STR || a.type == V_TUPLE || a.type == V_LIST)) {
        const char *ta = vp_tname(h, a, b1);
        *msg = vp_msg(h, "can only concatenate %s (not \"%s\") to %s", ta,
                      vp_tname(h, b, b2), ta);
        return VE_TYPE;
    }
    if (op == VA_ADD && a.type == V_BYTES) {
        *msg = vp_msg(h, "can't concat %s to bytes", vp_tname(h, b, b2));
        return VE_TYPE;
    }
    if (op == VA_MUL && (vp_is_obj_type(a.type) || vp_is_obj_type(b.type)) &&
        a.type != V_INST && b.type != V_INST && a.type != V_DICT && b.type != V_DICT) {
        struct value other = vp_is_obj_type(a.type) ? b : a;
        if (v_is_int(other))
            return v_mul(h, a, b, out, msg);
        *msg = vp_msg(h, "can't multiply sequence by non-int of type '%s'",
                      vp_tname(h, other, b1));
        return VE_TYPE;
    }
    return unsupported(h, op, a, b, msg);
}

enum verr v_negate(struct value a, bool neg, struct value *out, const char **msg)
{
    if (v_is_int(a)) {
        int64_t x = vp_int_of(a);
        *out = v_int(neg ? wrap(0 - (uint64_t)x) : ~x);
        return VE_OK;
    }
    if (a.type == V_FLOAT && neg) {
        *out = v_float(-v_float_of(a));
        return VE_OK;
    }
    static const char *const names[] = {
        [V_NONE] = "NoneType", [V_STR] = "str", [V_TUPLE] = "tuple", [V_LIST] = "list",
        [V_FLOAT] = "float", [V_DICT] = "dict", [V_BYTES] = "bytes",
    };
    const char *tn = a.type < sizeof names / sizeof names[0] && names[a.type]
        ? names[a.type] : "object";
    /* static texts: the few types there are */
    static const char *const neg_msgs[] = {
        "bad operand type for unary -: 'NoneType'", "bad operand type for unary -: 'str'",
        "bad operand type for unary -: 'tuple'", "bad operand type for unary -: 'list'",
        "bad operand type for unary -: 'float'", "bad operand type for unary -: 'dict'",
        "bad operand type for unary -: 'bytes'", "bad operand type for unary -: 'object'",
    };
    static const char *const inv_msgs[] = {
        "bad operand type for unary ~: 'NoneType'", "bad operand type for unary ~: 'str'",
        "bad operand type for unary ~: 'tuple'", "bad operand type for unary ~: 'list'",
        "bad operand type for unary ~: 'float'", "bad operand type for unary ~: 'dict'",
        "bad operand type for unary ~: 'bytes'", "bad operand type for unary ~: 'object'",
    };
    static const char *const order[] = { "NoneType", "str", "tuple", "list", "float",
                                         "dict", "bytes", "object" };
    int k = 7;
    for (int i = 0; i < 8; i++)
        if (!strcmp(order[i], tn))
            k = i;
    *msg = neg ? neg_msgs[k] : inv_msgs[k];
    return VE_TYPE;
}
