/*
 * array.c - shared arrays of integers (multiprocessing.Array('i', ...)).
 *
 * Every array's items live one after another in machine.items, fixed at
 * load; an array's objstate.value is the index of its first item, and its
 * objstate's owner/count/wait queue are its built-in lock (objects.c).
 *
 * An item is shared memory like a `shared` value: `a[i] += 1` is a load in
 * one tick and a store in the next, and a store over a value another task
 * stored since the load is a lost update, reported for that item
 * ("a[2]"). Indices are Python's: a negative one counts from the end, and
 * one out of range raises IndexError: invalid index (ctypes' words).
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

bool array_init(struct machine *m)
{
    const struct scenario *s = m->scn;
    int n = 0;
    for (int i = 0; i < s->nobjects; i++)
        if (s->objects[i].kind == OBJ_ARRAY) {
            m->objs[i].value = n;
            n += s->objects[i].nitems;
        }
    m->nitems = n;
    m->items = n ? calloc((size_t)n, sizeof *m->items) : NULL;
    if (n && !m->items)
        return false;
    for (int i = 0; i < s->nobjects; i++) {
        const struct object *o = &s->objects[i];
        if (o->kind != OBJ_ARRAY || !o->items)
            continue;
        for (int k = 0; k < o->nitems; k++)
            m->items[m->objs[i].value + k].value = o->items[k];
    }
    return true;
}

int array_len(const struct machine *m, int obj)
{
    return m->scn->objects[obj].nitems;
}

int64_t array_item(const struct machine *m, int obj, int i)
{
    return m->items[m->objs[obj].value + i].value;
}

/* The item for index i of array obj, or NULL when i is out of range. */
static struct array_item *item_at(struct machine *m, int obj, int64_t i)
{
    int64_t n = array_len(m, obj);
    if (i < 0)
        i += n;
    if (i < 0 || i >= n)
        return NULL;
    return &m->items[m->objs[obj].value + i];
}

bool array_get(struct machine *m, struct task *t, const struct expr *e,
               int64_t i, int64_t *out)
{
    const struct array_item *it = item_at(m, e->obj, i);
    if (!it) {
        task_raise(m, t, e->pos, EXC_INDEX, "invalid index");
        return false;
    }
    *out = it->value;
    return true;
}

/* NAME[I] = / += / -= EXPR. The index and the value are worked out in the
 * first tick (Python evaluates a[i] += x's index once); an update that reads
 * shared memory stores in the next. */
bool array_set(struct machine *m, struct task *t, const struct insn *in)
{
    const char *name = m->scn->objects[in->obj].name;
    struct objstate *o = &m->objs[in->obj];
    struct array_item *it;
    if (!t->storing) {
        int64_t i, v;
        if (!expr_int(m, t, in->e2, &i))
            return false;
        it = item_at(m, in->obj, i);
        if (!it) {
            task_raise(m, t, in->pos, EXC_INDEX, "invalid index");
            return false;
        }
        if (!expr_int(m, t, in->e1, &v))
            return false;
        if (in->aop != AOP_SET)
            charge_shared(m, t);               /* += reads the item */
        if (in->aop == AOP_ADD)
            v = (int64_t)((uint64_t)it->value + (uint64_t)v);
        else if (in->aop == AOP_SUB)
            v = (int64_t)((uint64_t)it->value - (uint64_t)v);
        t->store_value = v;
        t->store_version = it->version;
        t->store_index = (int)(it - m->items);
        if (in->aop != AOP_SET || objects_reads_shared(in->e1)) {
            t->storing = true;            /* this tick loads; the store is next */
            t->load_tick = m->tick;
            return true;
        }
    }
    it = &m->items[t->store_index];
    if (t->storing && it->version != t->store_version) {
        char text[240];
        snprintf(text, sizeof text,
                 "lost update: pid %d stored %lld to %s[%d] over %lld written by tid %d "
                 "since its load at tick %lld", m->procs[t->proc].pid,
                 (long long)t->store_value, name, t->store_index - (int)o->value,
                 (long long)it->value, it->last_writer, (long long)t->load_tick);
        emit_text(m, EV_LOST_UPDATE, t, text, strlen(text));
        o->lost_at = m->tick;
    }
    charge_shared(m, t);
    it->value = t->store_value;
    it->version++;
    it->last_writer = t->tid;
    o->last_writer = t->tid;
    o->last_write = m->tick;
    t->storing = false;
    t->pc++;
    return true;
}
