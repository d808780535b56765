/*
 * pytypes.h - the Python type names an AttributeError may name (issue 14).
 *
 * An exception's message must outlive the statement that raised it (the
 * kernel keeps a pointer), so "'Lock' object has no attribute 'put'" is
 * made at load time: for each method or attribute a dynamic statement or
 * `invoke` names, the parser (parse_obj.c) writes one message per type
 * below into the instruction (insn.args, see OP_INVOKE), and the kernel
 * (sim/objects/objref.c) picks the receiver's by its v_type_name().
 */
#ifndef PROCSIM_PYTYPES_H
#define PROCSIM_PYTYPES_H

#include <string.h>

static const char *const PY_TYPE_NAMES[] = {
    "int", "bool", "NoneType", "str", "tuple", "list", "float", "dict", "bytes",
    "function", "ApplyResult", "MapResult", "Future", "IMapIterator", "select.poll",
    "Synchronized", "Lock", "RLock", "Semaphore", "Event", "Queue", "JoinableQueue",
    "LifoQueue", "PriorityQueue", "Connection", "SynchronizedArray",
};
#define PY_NTYPES ((int)(sizeof PY_TYPE_NAMES / sizeof PY_TYPE_NAMES[0]))

/* The index of type name `name` in PY_TYPE_NAMES, or PY_NTYPES (another
 * type: a class's instance; its message names no type). */
static inline int py_type_index(const char *name)
{
    for (int k = 0; k < PY_NTYPES; k++)
        if (!strcmp(PY_TYPE_NAMES[k], name))
            return k;
    return PY_NTYPES;
}

#endif
