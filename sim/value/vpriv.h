/*
 * vpriv.h - the value heap's insides, shared by the files of sim/value
 * (value.c: the heap, printing, comparing; num.c: floats; dict.c; list.c;
 * methods.c; builtins.c; format.c; copy.c). Private to sim/value.
 */
#ifndef PROCSIM_VPRIV_H
#define PROCSIM_VPRIV_H

#include "value.h"

#include <stdarg.h>

/* A dict's deleted entry: the key's type (never a real type). */
#define VT_DEAD 255

struct vobj {
    uint64_t repr_len;         /* length of repr(), saturating (immutable
                                  objects that hold nothing mutable only) */
    uint32_t n;                /* string/bytes: bytes; tuple/list: items;
                                  dict: entries used (deleted ones too) */
    uint32_t chars;            /* string: characters; dict: live entries */
    uint32_t cap;              /* list: item capacity; dict: entry capacity
                                  (its index has 2 * cap slots) */
    uint32_t gc_next;          /* marking: next handle on the grey stack */
    uint8_t type;              /* V_STR, V_TUPLE, V_LIST, V_DICT, V_BYTES, V_INST */
    uint8_t dyn;               /* is or holds a mutable object: repr_len unknown */
    struct value items[];      /* tuple/list items; a string's bytes; dict:
                                  cap key/value pairs then the index (uint32
                                  entry + 1, 0 empty); inst: class, attrs */
};

/* Renamed so that they do not clash with other modules' names. */
#define obj_of vp_obj_of
#define alloc_obj vp_alloc_obj
#define str_alloc vp_str_alloc
#define seq_alloc vp_seq_alloc
#define obj_done vp_obj_done
#define char_len vp_char_len
#define count_chars vp_count_chars
#define resize_obj vp_resize_obj

extern const char VP_MSG_TOO_BIG[], VP_MSG_NO_MEMORY[];

bool vp_is_obj_type(uint8_t type);
bool vp_is_mutable_type(uint8_t type);
struct vobj *obj_of(const struct vheap *h, struct value v);
enum verr alloc_obj(struct vheap *h, uint8_t type, size_t n, uint32_t *ref,
                    struct vobj **out, const char **msg);
/* Change object ref's payload to `payload` bytes (lists, dicts grow in
 * place: the handle stays, the memory may move). */
enum verr resize_obj(struct vheap *h, uint32_t ref, size_t payload, const char **msg);
enum verr str_alloc(struct vheap *h, size_t n, struct value *out, char **data,
                    const char **msg);
enum verr seq_alloc(struct vheap *h, uint8_t type, size_t n, struct value *out,
                    struct value **items, const char **msg);
void obj_done(struct vheap *h, struct value v);
size_t char_len(const unsigned char *s, size_t n);
uint32_t count_chars(const char *s, size_t n);
int64_t vp_int_of(struct value v);

/* A message made at run time (naming a class, a key...), kept by the heap
 * for the rest of the run (the kernel keeps message pointers); the same
 * text is stored once. */
const char *vp_msg(const struct vheap *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The type's name as Python writes it in messages (an instance: its class) */
const char *vp_tname(const struct vheap *h, struct value v, char buf[64]);

/* The dict's entries (2 * n values) */
static inline struct value *vp_dict_entries(struct vobj *o) { return o->items; }
uint64_t vp_hash(const struct vheap *h, struct value v, bool *ok);

enum verr vp_list_insert(struct vheap *h, struct value list, int64_t i, struct value item,
                         const char **msg);
enum verr vp_list_extend(struct vheap *h, struct value list, const struct value *items,
                         uint32_t n, const char **msg);
void vp_list_remove_at(struct vheap *h, struct value list, uint32_t i);
void vp_list_clear(struct vheap *h, struct value list);
void vp_dict_clear(struct vheap *h, struct value d);
struct value vp_inst_attrs(const struct vheap *h, struct value v);

/* growable text for building strings */
struct vbuf { char *s; size_t n, cap; bool failed; };
void vb_add(struct vbuf *b, const char *s, size_t n);
void vb_str(struct vbuf *b, const char *s);
void vb_char(struct vbuf *b, char c, size_t count);
void vb_printf(struct vbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* str(v) or repr(v) appended */
void vb_value(struct vbuf *b, const struct vheap *h, struct value v, bool repr);
/* The buffer as a new string (or bytes); frees the buffer. */
enum verr vb_finish(struct vbuf *b, struct vheap *h, uint8_t type,
                    struct value *out, const char **msg);

/* A string's or bytes' data, either type. */
const char *vp_bytes_data(const struct vheap *h, struct value v, size_t *len);
/* A new list of n items (copied) */
enum verr vp_list(struct vheap *h, const struct value *items, uint32_t n,
                  struct value *out, const char **msg);
/* Python's sort order, stable (a merge sort); VE_TYPE when items do not
 * compare. */
enum verr vp_sort(struct vheap *h, struct value *items, uint32_t n, bool reverse,
                  const char **msg);
/* Normalize index k (negative from the end) into [0, len) or fail */
bool vp_index(int64_t *k, int64_t len);

#endif
