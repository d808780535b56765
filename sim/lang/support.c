/* support.c - rejecting what the kernel does not model yet (support.h).
 * Since issue 11 (queues and pipes) it models every construct the parser
 * accepts; the check stays as the one place to hold a new one back. */
#include "support.h"

const char *support_check(const struct scenario *s, struct srcpos *where)
{
    (void)s;
    (void)where;
    return NULL;
}
