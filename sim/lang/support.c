/* support.c - rejecting what the kernel does not model yet (support.h):
 * pipes. */
#include "support.h"

static const char pipes_msg[] =
    "pipes are not supported yet in this version of procsim";

const char *support_check(const struct scenario *s, struct srcpos *where)
{
    for (int i = 0; i < s->nobjects; i++)
        if (s->objects[i].kind == OBJ_PIPE) {
            *where = s->objects[i].pos;
            return pipes_msg;
        }
    return NULL;
}
