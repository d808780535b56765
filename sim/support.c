/* support.c - rejecting what the kernel does not model yet (support.h).
 * Threads, the GIL's threads and shared objects come with issue 5. */
#include "support.h"

static const char threads_msg[] =
    "threads are not supported yet in this version of procsim";
static const char objects_msg[] =
    "shared objects (shared, lock, rlock, semaphore, event, queue, pipe) are "
    "not supported yet in this version of procsim";

static bool expr_uses_objects(const struct expr *e, struct srcpos *where)
{
    if (!e)
        return false;
    if (e->kind == EX_SHARED) {
        *where = e->pos;
        return true;
    }
    return expr_uses_objects(e->a, where) || expr_uses_objects(e->b, where);
}

static const char *check_program(const struct program *p, struct srcpos *where)
{
    for (int i = 0; i < p->ncode; i++) {
        const struct insn *in = &p->code[i];
        *where = in->pos;
        if (in->op == OP_THREAD || in->op == OP_JOIN)
            return threads_msg;
        if (in->op == OP_SHARED_SET || in->op == OP_OBJ)
            return objects_msg;
        if (expr_uses_objects(in->e1, where))
            return objects_msg;
        for (int a = 0; a < in->nargs; a++)
            if (expr_uses_objects(in->args[a].e, where))
                return objects_msg;
    }
    return NULL;
}

const char *support_check(const struct scenario *s, struct srcpos *where)
{
    if (s->nobjects) {
        *where = s->objects[0].pos;
        return objects_msg;
    }
    for (int i = 0; i < s->nprograms; i++) {
        const char *msg = check_program(&s->programs[i], where);
        if (msg)
            return msg;
    }
    for (int i = 0; i < s->nhandlers; i++) {
        const char *msg = check_program(&s->handlers[i], where);
        if (msg)
            return msg;
    }
    return NULL;
}
