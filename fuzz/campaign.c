/*
 * campaign.c - fuzz-runtime: random valid scenarios run and checked.
 *
 *   fuzz-runtime --procsim build/procsim --seeds 40 [--first 1]
 *   fuzz-runtime --procsim build/procsim --seconds 600
 *   fuzz-runtime --procsim build/procsim --file fuzz/runtime-regressions/X.scn
 *   fuzz-runtime --print 1234          # the scenario of seed 1234
 *
 * Each scenario is checked in a child process of its own, so a crash or a
 * sanitizer report in the library is reported with its seed and scenario
 * instead of ending the campaign. A failing scenario is printed in full:
 * keep it in fuzz/runtime-regressions/ and `make test` checks it from then
 * on. The last line says how many scenarios were checked and how many
 * failed; the exit status is 1 when any did.
 *
 * --with-known-bugs (or --with-known-bug NAME) turns on the generator cases
 * and checks of known_bugs.h that `make test` leaves out until their fixes
 * land.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"
#include "gen.h"

struct campaign {
    const char *procsim;       /* the command to check, or NULL */
    bool run_all;              /* its `run` takes --all */
    unsigned known;            /* known-bug cases and checks switched on */
    char dir[64];              /* where scenario files are written */
    int checked, failed;
};

/* ------------------------------------------------------------ one scenario */

static void print_scenario(const char *text, size_t len)
{
    printf("----- scenario -----\n%.*s%s----- end -----\n", (int)len, text,
           len && text[len - 1] == '\n' ? "" : "\n");
}

/* Check one scenario (in the child): print what failed; true if nothing. */
static bool check_text(const struct campaign *c, const char *name, const char *text,
                       size_t len, uint64_t seed)
{
    struct report r = { 0 };
    struct diag err;
    struct scenario *s = scenario_parse(name, text, len, &err);
    if (!s) {
        /* The one rejection a generated scenario may get: an operator
         * chain over the parser's limit (the fix of KB_LONG_CHAINS). */
        if (!((c->known & (1u << KB_LONG_CHAINS)) && strstr(err.msg, "too long")))
            report_fail(&r, "valid scenario: %s:%d:%d: %s", name, err.line, err.col, err.msg);
    } else {
        struct history h;
        if (!history_run(&h, s, &s->config, c->known, &r)) {
            report_fail(&r, "out of memory");
        } else {
            history_check_recorded(&h, seed, &r);
            if (c->procsim) {
                char file[128];
                snprintf(file, sizeof file, "%s/%llu.scn", c->dir, (unsigned long long)seed);
                FILE *f = fopen(file, "w");
                if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
                    report_fail(&r, "cannot write %s", file);
                } else {
                    struct cli_check cc = { c->procsim, file, c->known, seed, c->run_all,
                                            text, len };
                    cli_check(&cc, &h, &r);
                }
                remove(file);
            }
            history_free(&h);
        }
        scenario_free(s);
    }
    if (r.nfail == 0)
        return true;
    printf("FAIL %s: %d invariant%s broken\n", name, r.nfail, r.nfail == 1 ? "" : "s");
    for (int i = 0; i < r.nfail && i < REPORT_MAX_LINES; i++)
        printf("  %s\n", r.lines[i]);
    return false;
}

/* The exit status of a check that found failures and printed them; any
 * other failing status is a crash (ASan and UBSan exit 1). */
#define REPORTED 3

/* Check a scenario in a child process; count the outcome. */
static void check_isolated(struct campaign *c, const char *name, const char *text, size_t len,
                           uint64_t seed)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(300);            /* the library must not hang either */
        bool ok = check_text(c, name, text, len, seed);
        if (!ok)
            print_scenario(text, len);
        fflush(NULL);
        exit(ok ? 0 : REPORTED);
    }
    int st = 0;
    c->checked++;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) {
        printf("FAIL %s: cannot fork: %s\n", name, strerror(errno));
        c->failed++;
        return;
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return;
    c->failed++;
    if (WIFEXITED(st) && WEXITSTATUS(st) == REPORTED)
        return;                /* it has printed its report */
    if (WIFSIGNALED(st))
        printf("FAIL %s: the check died of signal %d%s (see above)\n", name, WTERMSIG(st),
               WTERMSIG(st) == SIGALRM ? ", a hang" : "");
    else
        printf("FAIL %s: the check exited %d: a sanitizer report or a leak (see above)\n",
               name, WEXITSTATUS(st));
    print_scenario(text, len);
}

static bool check_seed(struct campaign *c, uint64_t seed)
{
    size_t len;
    char *text = gen_scenario(seed, c->known, &len);
    if (!text)
        return false;
    char name[40];
    snprintf(name, sizeof name, "seed %llu", (unsigned long long)seed);
    check_isolated(c, name, text, len, seed);
    free(text);
    return true;
}

static bool check_file(struct campaign *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("FAIL %s: cannot read it\n", path);
        c->checked++;
        c->failed++;
        return true;
    }
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    char buf[4096];
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                fclose(f);
                return false;
            }
            text = t;
        }
        memcpy(text + len, buf, n);
        len += n;
    }
    fclose(f);
    uint64_t seed = 0;
    for (const char *p = path; *p; p++)
        seed = seed * 31 + (unsigned char)*p;
    check_isolated(c, path, text ? text : "", len, seed);
    free(text);
    return true;
}

/* ------------------------------------------------------------ main */

static int usage(void)
{
    fprintf(stderr,
            "usage: fuzz-runtime [--procsim PATH] [--seeds N] [--first SEED] [--seconds S]\n"
            "                    [--file FILE]... [--print SEED]\n"
            "                    [--with-known-bugs] [--with-known-bug NAME]...\n"
            "known bugs (left out until fixed):\n");
    for (int i = 0; i < KB_COUNT; i++)
        fprintf(stderr, "  %-18s %s%s (%s)\n", known_bugs[i].name,
                known_bugs[i].excluded ? "" : "[fixed] ", known_bugs[i].what,
                known_bugs[i].owner);
    return 2;
}

int main(int argc, char **argv)
{
    struct campaign c = { 0 };
    long long seeds = -1, seconds = -1;
    unsigned long long first = 1, print = 0;
    bool have_first = false, have_print = false;
    const char *files[256];
    int nfiles = 0;
    for (int i = 0; i < KB_COUNT; i++)
        if (!known_bugs[i].excluded)
            c.known |= 1u << i;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--with-known-bugs")) {
            c.known = (1u << KB_COUNT) - 1;
            continue;
        }
        if (!v)
            return usage();
        i++;
        if (!strcmp(a, "--procsim"))
            c.procsim = v;
        else if (!strcmp(a, "--seeds"))
            seeds = atoll(v);
        else if (!strcmp(a, "--seconds"))
            seconds = atoll(v);
        else if (!strcmp(a, "--first"))
            first = strtoull(v, NULL, 10), have_first = true;
        else if (!strcmp(a, "--print"))
            print = strtoull(v, NULL, 10), have_print = true;
        else if (!strcmp(a, "--file") && nfiles < 256)
            files[nfiles++] = v;
        else if (!strcmp(a, "--with-known-bug")) {
            int k = 0;
            while (k < KB_COUNT && strcmp(known_bugs[k].name, v))
                k++;
            if (k == KB_COUNT)
                return usage();
            c.known |= 1u << k;
        } else
            return usage();
    }
    if (have_print) {
        size_t len;
        char *text = gen_scenario(print, c.known, &len);
        if (!text)
            return 2;
        fwrite(text, 1, len, stdout);
        free(text);
        return 0;
    }
    if (seeds < 0 && seconds < 0 && nfiles == 0)
        return usage();
    if (c.procsim && access(c.procsim, X_OK) != 0) {
        fprintf(stderr, "fuzz-runtime: cannot run %s\n", c.procsim);
        return 2;
    }
    if (c.procsim) {
        /* A table too large is folded or cut unless --all says otherwise:
         * ask for all of it when the command knows the option. */
        char cmd[600], line[256];
        snprintf(cmd, sizeof cmd, "'%s' run --help 2>&1", c.procsim);
        FILE *help = popen(cmd, "r");
        while (help && fgets(line, sizeof line, help))
            c.run_all |= strstr(line, "--all") != NULL;
        if (help)
            pclose(help);
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(c.dir, sizeof c.dir, "%s/fuzz-runtime.XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(c.dir)) {
        fprintf(stderr, "fuzz-runtime: cannot make a directory in /tmp\n");
        return 2;
    }
    for (int i = 0; i < nfiles; i++)
        check_file(&c, files[i]);
    if (seconds >= 0 && !have_first)
        first = (unsigned long long)time(NULL) * 1000;
    time_t start = time(NULL);
    unsigned long long seed = first;
    for (; seeds > 0 || (seconds >= 0 && time(NULL) - start < seconds); seed++, seeds--)
        if (!check_seed(&c, seed))
            break;
    rmdir(c.dir);
    if (seed > first)
        printf("fuzz-runtime: %d scenarios (seeds %llu..%llu%s), %d failed\n", c.checked, first,
               seed - 1, nfiles ? " and the regression files" : "", c.failed);
    else
        printf("fuzz-runtime: %d scenarios, %d failed\n", c.checked, c.failed);
    return c.failed ? 1 : 0;
}
