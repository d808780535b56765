/*
 * parse_mux.c - PLACEHOLDER from the foundation commit (issue 13): the
 * helper for this subject replaces it. See parser.h.
 */
#include "parser.h"

bool parse_mux_statement(struct parser *p, const struct token *at)
{
    (void)p;
    (void)at;
    return false;
}

bool parse_mux_method(struct parser *p, const struct token *name)
{
    (void)p;
    (void)name;
    return false;
}
