/* diag.c - error messages with the offending line and a caret. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void diag_set(struct diag *d, const char *file, const char *src, size_t len,
              int line, int col, const char *fmt, ...)
{
    va_list ap;

    snprintf(d->file, sizeof d->file, "%s", file ? file : "<input>");
    d->line = line;
    d->col = col;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);

    /* Find the start of `line` and copy it up to its newline. */
    d->text[0] = '\0';
    if (!src || line < 1)
        return;
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (src[i] == '\n')
            l++;
    size_t n = 0;
    while (i + n < len && src[i + n] != '\n' && src[i + n] != '\r' &&
           n + 1 < sizeof d->text)
        n++;
    memcpy(d->text, src + i, n);
    d->text[n] = '\0';
}

size_t diag_format(const struct diag *d, char *buf, size_t size)
{
    char caret[600];
    size_t n = 0;

    /* The caret line copies tabs from the source line so it lines up
     * whatever the terminal's tab width. */
    for (int c = 1; c < d->col && n + 2 < sizeof caret; c++) {
        size_t k = (size_t)c - 1;
        caret[n++] = (k < strlen(d->text) && d->text[k] == '\t') ? '\t' : ' ';
    }
    caret[n++] = '^';
    caret[n] = '\0';

    if (d->line <= 0)
        return (size_t)snprintf(buf, size, "%s: error: %s\n", d->file, d->msg);
    return (size_t)snprintf(buf, size, "%s:%d:%d: error: %s\n    %s\n    %s\n",
                            d->file, d->line, d->col, d->msg, d->text, caret);
}
