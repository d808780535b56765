/*
 * pyfront.c - parsing a Python file, or a scenario naming one, through the
 * translator (see pyfront.h; pyfront_run.c runs it).
 */
#include "pyfront.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"


/* Read a whole (small) file; NULL on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap || cap >= ((size_t)64 << 20))
            break;
        char *nb = realloc(b, (cap *= 2) + 1);
        if (!nb)
            free(b);
        b = nb;
    }
    if (b && ferror(f)) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    *len = n;
    return b;
}

/*
 * A scenario's `python "FILE"` line: the first line whose first word is
 * `python` followed by a string. Sets [*start, *end) to the line (without
 * its newline) and copies FILE into name. False when there is none.
 */
static bool python_line(const char *src, size_t len, size_t *start, size_t *end,
                        char *name, size_t size)
{
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && src[e] != '\n')
            e++;
        size_t k = i;
        while (k < e && (src[k] == ' ' || src[k] == '\t'))
            k++;
        if (e - k > 7 && !memcmp(src + k, "python", 6) && (src[k + 6] == ' ' ||
                                                            src[k + 6] == '\t')) {
            k += 6;
            while (k < e && (src[k] == ' ' || src[k] == '\t'))
                k++;
            if (k < e && src[k] == '"') {
                size_t q = k + 1;
                while (q < e && src[q] != '"')
                    q++;
                if (q < e && q - k - 1 < size) {
                    memcpy(name, src + k + 1, q - k - 1);
                    name[q - k - 1] = '\0';
                    *start = i;
                    *end = e;
                    return true;
                }
            }
        }
        i = e + 1;
    }
    return false;
}

struct scenario *pyfront_parse(const char *path, const char *src, size_t len,
                               struct diag *d, char **msg)
{
    *msg = NULL;
    if (pyfront_is_python(path)) {
        size_t tlen = 0;
        char *text = pyfront_translate(path, &tlen, msg);
        if (!text)
            return NULL;
        struct scenario *s = scenario_parse_python(path, text, tlen, path, src, len, d);
        free(text);
        return s;
    }
    size_t a, b;
    char name[1024];
    if (!python_line(src, len, &a, &b, name, sizeof name))
        return scenario_parse(path, src, len, d);

    /* The python file, relative to the scenario's folder. */
    char py[4096];
    const char *slash = strrchr(path, '/');
    if (name[0] == '/' || !slash)
        snprintf(py, sizeof py, "%s", name);
    else
        snprintf(py, sizeof py, "%.*s/%s", (int)(slash - path), path, name);
    size_t pylen = 0;
    char *pysrc = slurp(py, &pylen);
    if (!pysrc) {
        *msg = pyfront_msgf("%s: error: cannot read %s (named by its `python` line): %s\n", path, py,
                    strerror(errno));
        return NULL;
    }
    size_t tlen = 0;
    char *text = pyfront_translate(py, &tlen, msg);
    if (!text) {
        free(pysrc);
        return NULL;
    }
    /* The scenario's own lines first, so their line numbers are the
     * file's (the python line blanked), then the translation, whose
     * `@L:C` lines give the .py positions. Python mode is set before any
     * line is read (scenario_parse_python), so the teacher's `config`
     * lines win over its defaults; the translation's own `config python=on`
     * line is dropped for that reason. */
    const char *body = text;
    static const char mode_line[] = "config python=on\n";
    if (!strncmp(body, mode_line, sizeof mode_line - 1))
        body += sizeof mode_line - 1;
    size_t blen = tlen - (size_t)(body - text);
    char *all = malloc(len + 1 + blen + 1);
    struct scenario *s = NULL;
    if (!all) {
        *msg = pyfront_msgf("%s: error: out of memory\n", path);
    } else {
        memcpy(all, src, len);
        memset(all + a, ' ', b - a);
        all[len] = '\n';
        memcpy(all + len + 1, body, blen);
        all[len + 1 + blen] = '\0';
        s = scenario_parse_python(path, all, len + 1 + blen, py, pysrc, pylen, d);
    }
    free(all);
    free(text);
    free(pysrc);
    return s;
}
