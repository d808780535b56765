/*
 * test_fuzz_replay.c - every input in fuzz/regressions (crashes the fuzzer
 * once found, and crafted nasty inputs) goes through the fuzz harness with
 * the ordinary gcc build: each must be accepted or rejected with a place
 * and a message, never crash, hang or leak.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regression_inputs_are_handled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
