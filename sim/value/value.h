/*
 * value.h - Python-like values: None, booleans, integers, strings, tuples
 * and lists, as variables hold them, expressions build them and pipes and
 * queues carry them.
 *
 * A value is 16 bytes, copied freely. Integers, booleans and None live in
 * the value itself; strings, tuples and lists are immutable objects in a
 * heap (struct vheap) that the value refers to by handle. Because objects
 * are never changed once made, copying a value copies the object as far as
 * any program can tell (Python's lists are mutable; procsim's are values:
 * `b = a` then changing b leaves a as it was; the docs say so).
 *
 * The heap owns every object. It is collected by mark and sweep: the owner
 * (the machine) marks every value it still holds with vheap_mark() between
 * vheap_gc_begin() and vheap_gc_end(), which frees the rest. Handles are
 * small integers, so a heap is copied (vheap_clone) without pointer fixing,
 * and the same run allocates the same handles: runs stay deterministic.
 *
 * Nothing here prints, exits or uses global state. Failing operations
 * (a type mismatch, an index out of range, out of memory) return an error
 * kind and a static message, which the kernel turns into the Python
 * exception of that name.
 */
#ifndef PROCSIM_VALUE_H
#define PROCSIM_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* V_INT is 0 so that zeroed memory holds the integer 0 (a variable that has
 * not been assigned reads 0, as the contract says). */
enum vtype { V_INT = 0, V_BOOL, V_NONE, V_STR, V_TUPLE, V_LIST,
             V_HANDLE,     /* a pool's AsyncResult/MapResult or a Future
                              (issue 12): a reference to a record the
                              kernel keeps (sim/objects/pool.c); i = the
                              record's id * 8 + its HK_* kind, ref = its
                              slot. Compared by identity. */
             /* issue 14 (Python), reserved so the helpers' branches merge */
             V_FLOAT,      /* values: a double (in the 8 bytes of i) */
             V_DICT,       /* values: a mutable, insertion-ordered dict */
             V_BYTES,      /* values: bytes (a string that prints b'..') */
             V_INST,       /* values: an instance of a Python class */
             V_FUNC,       /* exec: a program (a Python function), i = index */
             V_OBJ,        /* objs: a shared object (queue, lock...) */
};

/* What a V_HANDLE refers to: a pool's record, or a select.poll() object
 * (issue 13, sim/mux: id = its number, slot = its instance). */
enum { HK_APPLY, HK_MAP, HK_FUTURE, HK_IMAP, HK_POLL };

struct value {
    int64_t i;                 /* V_INT: the integer; V_BOOL: 0 or 1 */
    uint32_t ref;              /* V_STR, V_TUPLE, V_LIST: heap handle */
    uint8_t type;              /* enum vtype */
};

/* What went wrong in an operation (the Python exception it becomes). */
enum verr {
    VE_OK = 0,
    VE_TYPE,                   /* TypeError: "can only concatenate str ..." */
    VE_INDEX,                  /* IndexError: "tuple index out of range" */
    VE_ZERO_DIV,               /* ZeroDivisionError */
    VE_VALUE,                  /* ValueError (int("abc")) */
    VE_MEMORY,                 /* MemoryError: an object over VALUE_MAX_OBJECT
                                  bytes, or the heap over VALUE_MAX_HEAP */
    /* issue 14 */
    VE_KEY,                    /* KeyError: the message is repr(key) */
    VE_ATTRIBUTE,              /* AttributeError */
    VE_OVERFLOW,               /* OverflowError (raised as a ValueError:
                                  procsim has no OverflowError) */
};

/* Limits that keep a runaway program ("x" * 10**12) from taking the
 * machine: one object, and all objects together, in bytes. */
#define VALUE_MAX_OBJECT (16u << 20)
#define VALUE_MAX_HEAP   ((size_t)256 << 20)

struct vobj;                   /* private to value.c */

struct vheap {
    struct vobj **obj;         /* by handle; NULL: free (handle 0 unused) */
    uint32_t nobj, cap;        /* handles handed out so far, capacity */
    uint32_t *free;            /* freed handles, reused lowest-first */
    uint32_t nfree, freecap;
    uint8_t *mark;             /* per handle, during a collection */
    size_t bytes;              /* bytes held by live objects */
    size_t since_gc;           /* bytes allocated since the last collection */
    /* During a collection: called for every V_HANDLE marked (directly or
     * inside a tuple or list), so the kernel keeps its record. */
    void (*mark_handle)(void *ctx, struct value v);
    void *mark_ctx;
    /* issue 14: how a V_FUNC or V_OBJ prints (the kernel knows their
     * names): writes at most size bytes with a NUL, returns the length,
     * 0 for a default text. May be NULL. */
    size_t (*ext_text)(void *ctx, struct value v, char *buf, size_t size);
    void *ext_ctx;
    struct vmsgs *msgs;        /* messages made at run time (vp_msg), shared
                                  by clones */
};

/* ------------------------------------------------------------ the heap */

void vheap_init(struct vheap *h);
void vheap_free(struct vheap *h);
/* Make dst an independent copy of src (dst is initialised here). False when
 * out of memory (dst is then empty and may be freed). */
bool vheap_clone(struct vheap *dst, const struct vheap *src);

/* Garbage collection: begin, mark every value still reachable, end. */
void vheap_gc_begin(struct vheap *h);
void vheap_mark(struct vheap *h, struct value v);
void vheap_gc_end(struct vheap *h);
/* Worth collecting now? (enough allocated since the last collection) */
bool vheap_gc_due(const struct vheap *h);

/* ------------------------------------------------------------ making */

static inline struct value v_int(int64_t i) { return (struct value){ .i = i, .type = V_INT }; }
static inline struct value v_bool(bool b) { return (struct value){ .i = b, .type = V_BOOL }; }
static inline struct value v_none(void) { return (struct value){ .type = V_NONE }; }

static inline struct value v_handle(int kind, int64_t id, uint32_t slot)
{
    return (struct value){ .i = id * 8 + kind, .ref = slot, .type = V_HANDLE };
}
static inline int64_t v_handle_id(struct value v) { return v.i >> 3; }
static inline int v_handle_kind(struct value v) { return (int)(v.i & 7); }

/* A V_OBJ (issue 14): a reference to the kernel's object `index` (into
 * the machine's object table), of kind `kind` (enum object_kind, with the
 * queue's QK_* << 4 and QO_* << 6: enough for its type name without the
 * kernel). Compared by identity; needs no heap object, so the collector
 * never sees it. */
static inline struct value v_obj(uint32_t kind, int64_t index)
{
    return (struct value){ .i = index, .ref = kind, .type = V_OBJ };
}
static inline int v_obj_index(struct value v) { return (int)v.i; }
static inline int v_obj_kind(struct value v) { return (int)(v.ref & 15); }
/* Python's type name of a V_OBJ ("Lock", "Queue", "Synchronized"...). */
const char *v_obj_type_name(struct value v);

/* A string of n bytes (UTF-8, not NUL-terminated). */
enum verr v_str(struct vheap *h, const char *s, size_t n, struct value *out);
/* A tuple or list (type V_TUPLE or V_LIST) of n items, copied. */
enum verr v_seq(struct vheap *h, enum vtype type, const struct value *items,
                uint32_t n, struct value *out);

/* ------------------------------------------------------------ reading */

static inline bool v_is_int(struct value v) { return v.type == V_INT || v.type == V_BOOL; }
/* String bytes (not NUL-terminated) and length; v must be a V_STR. */
const char *v_str_data(const struct vheap *h, struct value v, size_t *len);
/* Items of a tuple or list; v must be one. */
const struct value *v_items(const struct vheap *h, struct value v, uint32_t *n);
/* Python's truth: 0, False, None, "", (), [] are false. */
bool v_truthy(const struct vheap *h, struct value v);
/* Python's type name: "int", "bool", "NoneType", "str", "tuple", "list". */
const char *v_type_name(struct value v);

/* ------------------------------------------------------------ operations
 * Each returns VE_OK and sets *out, or an error kind with *msg set to a
 * static message in Python's words. */

/* a + b: integers (wrapping at 64 bits, as all procsim arithmetic does),
 * or the concatenation of two strings, two tuples or two lists. */
enum verr v_add(struct vheap *h, struct value a, struct value b,
                struct value *out, const char **msg);
/* a * b: integers, or a string/tuple/list repeated (either order). */
enum verr v_mul(struct vheap *h, struct value a, struct value b,
                struct value *out, const char **msg);
/* a[i] of a string (a one-character string), tuple or list; a negative i
 * counts from the end. */
enum verr v_index(struct vheap *h, struct value a, struct value i,
                  struct value *out, const char **msg);
/* len(a) of a string, tuple or list. */
enum verr v_len(const struct vheap *h, struct value a, int64_t *out,
                const char **msg);
/* str(a) and repr(a), as new strings. */
enum verr v_to_str(struct vheap *h, struct value a, bool repr,
                   struct value *out, const char **msg);
/* int(a): an int or bool as it is, a string of decimal digits parsed. */
enum verr v_to_int(const struct vheap *h, struct value a, int64_t *out,
                   const char **msg);

/* a == b as Python compares: 1 == True, (1, "a") == (1, "a"), an int is
 * never equal to a string, a tuple never to a list. */
bool v_equal(const struct vheap *h, struct value a, struct value b);
/* Ordering (<, <=, >, >=): ints/bools with each other, strings by bytes,
 * tuples and lists item by item; *cmp < 0, 0 or > 0. Other pairs are a
 * TypeError ("'<' not supported between instances of 'str' and 'int'"),
 * for which `op` names the operator. */
enum verr v_compare(const struct vheap *h, struct value a, struct value b,
                    const char *op, int *cmp, const char **msg);

/* ------------------------------------------------------------ text */

/* Write str(v) (repr = false: what print shows) or repr(v) into buf (NUL
 * terminated, cut with "..." when it does not fit). Returns the length
 * written. Containers show their items with repr, as Python does:
 * print((2, "hi")) shows (2, 'hi'). */
size_t v_format(const struct vheap *h, struct value v, bool repr, char *buf,
                size_t size);
/* The size of v as a message on a pipe or queue, in bytes: the length of
 * repr(v) plus the 4-byte length header Connection.send writes before each
 * message (docs: "How big is a message"). */
size_t v_msg_size(const struct vheap *h, struct value v);

/* ------------------------------------------------------------ issue 14
 * Python's values for students' programs: floats, dicts, bytes, instances,
 * and lists that are mutable. Lists, dicts and instances are shared by
 * reference (b = a; b.append(1) changes a, as in Python); tuples, strings
 * and bytes stay immutable. A heap object is "dynamic" when it is or holds
 * a mutable one: its repr length is then computed when asked, not cached. */

static inline struct value v_float(double d)
{
    struct value v = { .type = V_FLOAT };
    memcpy(&v.i, &d, sizeof d);
    return v;
}
static inline double v_float_of(struct value v)
{
    double d;
    memcpy(&d, &v.i, sizeof d);
    return d;
}
/* int, bool or float */
static inline bool v_is_num(struct value v)
{
    return v.type == V_INT || v.type == V_BOOL || v.type == V_FLOAT;
}
/* A number as a double (ints converted). */
double v_num_double(struct value v);
/* repr(float) as CPython writes it: the shortest text that reads back as
 * the same double (0.1, 1e+16, 3.0, inf, nan). Returns the length. */
size_t v_float_repr(double d, char buf[32]);

/* Python's binary operators on numbers (and a few on sequences); VA_ADD
 * and VA_MUL on two ints are v_add/v_mul's fast path. */
enum varith { VA_ADD, VA_SUB, VA_MUL, VA_TRUEDIV, VA_FLOORDIV, VA_MOD,
              VA_POW, VA_XOR, VA_SHL, VA_SHR, VA_OR, VA_AND };
enum verr v_arith(struct vheap *h, int op, struct value a, struct value b,
                  struct value *out, const char **msg);
/* -a (neg true) or ~a (neg false) */
enum verr v_negate(struct value a, bool neg, struct value *out, const char **msg);

/* bytes: like a string, repr b'..' */
enum verr v_bytes(struct vheap *h, const char *s, size_t n, struct value *out);
/* dicts */
enum verr v_dict_new(struct vheap *h, struct value *out);
/* d[key]: *found false when absent (not an error); VE_TYPE when the key
 * cannot be hashed ("unhashable type: 'list'"). */
enum verr v_dict_get(const struct vheap *h, struct value d, struct value key,
                     struct value *out, bool *found, const char **msg);
enum verr v_dict_set(struct vheap *h, struct value d, struct value key,
                     struct value val, const char **msg);
/* del d[key]: VE_KEY when absent (then *msg is NULL: the caller names the
 * key with repr); *old gets the value removed when not NULL. */
enum verr v_dict_del(struct vheap *h, struct value d, struct value key,
                     struct value *old, const char **msg);
uint32_t v_dict_len(const struct vheap *h, struct value d);
/* Iterate: *pos starts at 0; false at the end. */
bool v_dict_next(const struct vheap *h, struct value d, uint32_t *pos,
                 struct value *key, struct value *val);
/* lists */
enum verr v_list_append(struct vheap *h, struct value list, struct value item,
                        const char **msg);
/* container[key] = val (list index, dict key) and del container[key] */
enum verr v_setitem(struct vheap *h, struct value c, struct value key,
                    struct value val, const char **msg);
enum verr v_delitem(struct vheap *h, struct value c, struct value key,
                    const char **msg);
/* a[lo:hi:step] of a str, bytes, tuple or list; None for an absent part */
enum verr v_slice(struct vheap *h, struct value a, struct value lo,
                  struct value hi, struct value step, struct value *out,
                  const char **msg);
/* item in container (list, tuple, str, bytes, dict keys) */
enum verr v_contains(const struct vheap *h, struct value c, struct value item,
                     bool *out, const char **msg);
/* a is b: the same object for heap values, equal for the rest */
bool v_is(struct value a, struct value b);
/* Items of a list, tuple, dict (its keys), str (characters) or bytes
 * (ints), as a new list: what `for` and list() iterate over. */
enum verr v_iterate(struct vheap *h, struct value it, struct value *list,
                    const char **msg);

/* e.name(args): a method of a list, dict, str, bytes or float. *found is
 * false (and VE_ATTRIBUTE returned, with Python's message) when the type
 * has no such method. */
enum verr v_method(struct vheap *h, struct value self, const char *name,
                   const struct value *args, int nargs, struct value *out,
                   const char **msg, bool *found);

/* instances (V_INST): new("C"), e.attr, e.attr = v */
enum verr v_inst_new(struct vheap *h, const char *cls, size_t len, struct value *out);
/* The class name of an instance (not NUL-terminated). */
const char *v_inst_class(const struct vheap *h, struct value v, size_t *len);
enum verr v_getattr(struct vheap *h, struct value obj, const char *name,
                    struct value *out, const char **msg);
enum verr v_setattr(struct vheap *h, struct value obj, const char *name,
                    struct value val, const char **msg);

/* format(v, spec) and the % operator on a string (mod(fmt, args)) */
enum verr v_format_spec(struct vheap *h, struct value v, struct value spec,
                        struct value *out, const char **msg);
enum verr v_percent(struct vheap *h, struct value fmt, struct value args,
                    struct value *out, const char **msg);

/* Built-in functions over values (see builtins.c for the list). */
enum vbuiltin {
    VB_FLOAT, VB_ABS, VB_ROUND, VB_DIVMOD, VB_POW, VB_TRUEDIV, VB_MOD,
    VB_FLOORDIV, VB_FORMAT, VB_RANGE, VB_LIST, VB_TUPLE, VB_DICT, VB_SORTED,
    VB_REVERSED, VB_MIN, VB_MAX, VB_SUM, VB_ENUMERATE, VB_ZIP, VB_CHR, VB_ORD,
    VB_HEX, VB_BIN, VB_OCT, VB_BOOL, VB_ISINSTANCE, VB_TYPE_NAME, VB_ANY, VB_ALL,
    VB_NEW, VB_BYTES, VB_IADD,
    VB_CPU_COUNT,              /* the machine's: expr.c answers it */
    VB_SECS_TO_TICKS,          /* the run's tick (config tick): expr.c */
    VB_TICKS_TO_SECS,
    VB_TICK_NS,
    VB_COUNT
};
/* The builtin of that name and its arity (min, max args; max -1: any). */
int v_builtin_find(const char *name, size_t len, int *min, int *max);
const char *v_builtin_name(int id);
enum verr v_builtin(struct vheap *h, int id, const struct value *args, int nargs,
                    struct value *out, const char **msg);

/* Deep copy: lists, dicts and instances copied (sharing within the value
 * kept, as pickle and fork do); the rest shared. memo may be NULL (one
 * value), or one memo kept over several calls (a process's variables) and
 * freed with v_copy_memo_free. False when out of memory. */
struct vcopy_memo { uint32_t *from, *to; uint32_t n, cap; };
bool v_deep_copy(struct vheap *h, struct value v, struct value *out,
                 struct vcopy_memo *memo);
void v_copy_memo_free(struct vcopy_memo *memo);
/* Does v hold (or is it) a mutable object? */
bool v_is_mutable(const struct vheap *h, struct value v);

#endif
