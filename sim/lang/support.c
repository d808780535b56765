/* support.c - rejecting what the kernel does not model yet (support.h):
 * queues and pipes. */
#include "support.h"

static const char queues_msg[] =
    "queues and pipes are not supported yet in this version of procsim";

const char *support_check(const struct scenario *s, struct srcpos *where)
{
    for (int i = 0; i < s->nobjects; i++)
        if (s->objects[i].kind == OBJ_QUEUE) {
            *where = s->objects[i].pos;
            return queues_msg;
        }
    return NULL;
}
