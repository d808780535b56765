/* cmd_compile.c - `procsim compile FILE.py`: print the scenario-language
 * text the Python front end makes of a Python file (docs/python.md): what
 * the student's program looks like to the simulated kernel. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "pyfront.h"

int cmd_compile(const struct cli_opts *o)
{
    const char *path = o->files[0];
    if (!pyfront_is_python(path)) {
        fprintf(stderr, "procsim: compile takes a Python file (FILE.py), not %s\n", path);
        return EXIT_INVALID;
    }
    size_t len = 0;
    char *why = NULL;
    char *text = pyfront_translate(path, &len, &why);
    if (!text) {
        fputs(why ? why : "procsim: out of memory\n", stderr);
        free(why);
        return EXIT_INVALID;
    }
    fwrite(text, 1, len, stdout);
    free(text);
    return EXIT_OK;
}
