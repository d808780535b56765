/* load.c - reading a scenario file and applying command-line overrides. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pyfront.h"

void cli_print_diag(const struct diag *d)
{
    char buf[2048];
    diag_format(d, buf, sizeof buf);
    fputs(buf, stderr);
}

/* Read a whole file; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= ((size_t)64 << 20)) {     /* no scenario is this large */
            free(buf);
            buf = NULL;
            errno = EFBIG;
            break;
        }
        char *b = realloc(buf, cap *= 2);
        if (!b) {
            free(buf);
            buf = NULL;
        }
        buf = b;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

struct scenario *cli_load(const char *path, const struct cli_opts *o,
                          struct config *cfg)
{
    size_t len = 0;
    char *src = read_file(path, &len);
    if (!src) {
        fprintf(stderr, "%s: error: cannot read the file: %s\n", path,
                strerror(errno));
        return NULL;
    }
    struct diag d;
    char *why = NULL;
    struct scenario *s = pyfront_parse(path, src, len, &d, &why);
    free(src);
    if (!s) {
        if (why)
            fputs(why, stderr);        /* the translator's, or python3's */
        else
            cli_print_diag(&d);
        free(why);
        return NULL;
    }
    /* Valid, but a newcomer would wonder why nothing happens. */
    if (s->nspawns == 0)
        fprintf(stderr, "%s: warning: %s no `spawn` line, so no process runs "
                "(only init)\n", path, s->nprograms ? "there is" : "the file is empty or has");
    *cfg = s->config;
    for (int i = 0; i < o->nsets; i++) {
        const char *msg = config_set(cfg, o->sets[i][0], o->sets[i][1]);
        if (msg) {
            fprintf(stderr, "procsim: %s=%s: %s\n", o->sets[i][0],
                    o->sets[i][1], msg);
            scenario_free(s);
            return NULL;
        }
    }
    return s;
}

const char *cli_tick_unit(const struct config *c)
{
    switch (c->tick_unit) {
    case TICK_US: return "us";
    case TICK_S:  return "s";
    default:      return "ms";
    }
}
