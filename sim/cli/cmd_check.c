/* cmd_check.c - `procsim check FILE...`: judge the expect lines. */
#include "check.h"
#include "cli.h"

/* Check one file; returns its exit status and adds to the counts. */
static int check_file(const char *path, const struct cli_opts *o, int *passed,
                      int *failed)
{
    struct config cfg;
    struct scenario *s = cli_load(path, o, &cfg);
    if (!s)
        return EXIT_INVALID;
    struct check_result r;
    if (!check_scenario(s, &cfg, &r)) {
        fprintf(stderr, "%s: error: out of memory\n", path);
        scenario_free(s);
        return EXIT_INVALID;
    }
    int rc = EXIT_OK;
    if (r.status == MS_ERROR) {
        cli_print_diag(&r.error);
        rc = EXIT_INVALID;
    }
    for (int i = 0; i < r.failed; i++)
        printf("%s:%d: %s\n", path, r.fails[i].exp->pos.line, r.fails[i].what);
    *passed += r.total - r.failed;
    *failed += r.failed;
    if (r.failed && rc == EXIT_OK)
        rc = EXIT_FAILED;
    if (r.total == 0)
        printf("%s: no expectations\n", path);
    else if (r.total == 1)
        printf("%s: the expectation %s\n", path, r.failed ? "failed" : "held");
    else if (r.failed == 0)
        printf("%s: all %d expectations held\n", path, r.total);
    else
        printf("%s: %d of %d expectations failed\n", path, r.failed, r.total);
    check_result_free(&r);
    scenario_free(s);
    return rc;
}

int cmd_check(const struct cli_opts *o)
{
    int worst = EXIT_OK, passed = 0, failed = 0;
    for (int i = 0; i < o->nfiles; i++) {
        int rc = check_file(o->files[i], o, &passed, &failed);
        if (rc == EXIT_INVALID || (rc == EXIT_FAILED && worst == EXIT_OK))
            worst = rc;
    }
    if (o->nfiles > 1)
        printf("expectations: %d passed, %d failed\n", passed, failed);
    return worst;
}
