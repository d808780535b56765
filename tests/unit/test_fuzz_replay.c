/*
 * test_fuzz_replay.c - every input in fuzz/regressions (crashes the fuzzer
 * once found, and crafted nasty inputs) goes through the fuzz harness with
 * the ordinary gcc build: each must be accepted or rejected with a place
 * and a message, never crash, hang or leak. Every scenario the runtime
 * campaign once failed on (fuzz/runtime-regressions) must keep every one of
 * its `expect` lines, which say what Linux does there.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"
#include "../../fuzz/harness.h"

static void test_regression_inputs_are_handled(void **state)
{
    (void)state;
    DIR *d = opendir("fuzz/regressions");
    assert_non_null(d);
    int files = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "fuzz/regressions/%s", e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static unsigned char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        int r = fuzz_one(buf, n);
        if (r < 0)
            fail_msg("%s: rejected without a position or message", path);
        files++;
    }
    closedir(d);
    assert_true(files >= 10);
}

static void test_runtime_regressions_keep_their_expectations(void **state)
{
    (void)state;
    DIR *d = opendir("fuzz/runtime-regressions");
    assert_non_null(d);
    int judged = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".scn") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "fuzz/runtime-regressions/%s", e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        struct diag dg;
        struct scenario *s = scenario_parse(path, buf, n, &dg);
        if (!s)
            fail_msg("%s:%d:%d: %s", path, dg.line, dg.col, dg.msg);
        struct check_result r;
        assert_true(check_scenario(s, &s->config, &r));
        for (int i = 0; i < r.failed; i++)
            print_error("%s:%d: %s\n", path, r.fails[i].exp->pos.line,
                        r.fails[i].what);
        if (r.failed)
            fail_msg("%s: %d of %d expectations failed", path, r.failed, r.total);
        judged += r.total;
        check_result_free(&r);
        scenario_free(s);
    }
    closedir(d);
    assert_true(judged >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regression_inputs_are_handled),
        cmocka_unit_test(test_runtime_regressions_keep_their_expectations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
