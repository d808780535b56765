/*
 * diag.h - one error message about a place in a scenario file.
 *
 * The core never prints: it fills a struct diag and the front end decides
 * where it goes. diag_format() renders the contract's form:
 *
 *     FILE:LINE:COL: error: MESSAGE
 *         the offending line
 *             ^
 */
#ifndef PROCSIM_DIAG_H
#define PROCSIM_DIAG_H

#include <stddef.h>

struct diag {
    char file[256];            /* file name as given by the caller */
    int line, col;             /* 1-based; 0 when the error has no place */
    char msg[1024];            /* what was expected / what went wrong */
    char text[512];            /* the offending line, without newline */
};

/* Fill d: position, printf-style message and the line's text taken from
 * src[0..len). Tabs in the line are kept so the caret lines up. */
void diag_set(struct diag *d, const char *file, const char *src, size_t len,
              int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Render d into buf (always NUL-terminated); returns the length it needed. */
size_t diag_format(const struct diag *d, char *buf, size_t size);

#endif
