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
    /* The text of a V_OBJ (issue 14): set by the kernel, whose objects'
     * state shows in their repr (a Lock's owner); NULL: a generic
     * "<Lock object at 0x...>". Returns the length written. */
    size_t (*obj_text)(void *ctx, struct value v, char *buf, size_t size);
    void *obj_ctx;
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

#endif
