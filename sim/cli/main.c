/*
 * main.c - `procsim`: argument parsing, loading, and dispatch.
 *
 * Options may come before or after the command and the file names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: procsim COMMAND FILE [options]\n"
    "\n"
    "Simulate a scenario of processes on a Linux-like kernel.\n"
    "\n"
    "commands:\n"
    "  run FILE [--changes]      the schedule tick by tick, then a summary\n"
    "                            (--all: the whole table, however large)\n"
    "  check FILE...             judge the files' expect lines\n"
    "  ps FILE --at T [--json]   the processes during tick T, like ps -eo ...\n"
    "  pstree FILE --at T        the process tree during tick T\n"
    "  fds FILE --at T           the open pipe ends during tick T, like lsof\n"
    "  ss FILE --at T [--json]   the sockets during tick T, like ss -tuxanp\n"
    "  output FILE               what the processes printed: TICK PID TEXT\n"
    "  stats FILE [--json]       CPU, waiting, turnaround and response times\n"
    "  compile FILE.py           the scenario text a Python file becomes\n"
    "\n"
    "FILE is a scenario (.scn) or a Python program (.py: docs/python.md).\n"
    "\n"
    "options:\n"
    "  --ticks N                 stop after N ticks (config ticks=N)\n"
    "  --seed N                  seed of rand() (config seed=N)\n"
    "  -c KEY=VALUE              override a config key (cpus, policy, ...)\n"
    "  -h, --help                this help; `procsim COMMAND --help` for one command\n"
    "  --version                 the version\n"
    "\n"
    "exit status: 0 ok, 1 an expectation failed, 2 bad input or usage.\n"
    "The language: docs/scenario-language.md\n";

static const struct {
    const char *name;
    int (*fn)(const struct cli_opts *);
    const char *help;
} commands[] = {
    { "run", cmd_run,
      "usage: procsim run FILE [--changes] [--all] [--ticks N] [--seed N] [-c KEY=VALUE]\n"
      "\n"
      "Print the schedule tick by tick: what each CPU runs, each process's\n"
      "state (R* running, R waiting for a CPU, S sleeping, D disk I/O,\n"
      "T stopped, Z zombie, . not alive) and the tick's events; then each\n"
      "process's exit status and the CPU utilisation.\n"
      "  --changes   print only the ticks where something changed\n"
      "  --all       print the whole table however large: without it, more than\n"
      "              100 tasks at once are folded into one \"+N more\" column,\n"
      "              more than 100 events in a tick into \"N more events\", and\n"
      "              the table stops after 64 MiB (the summary still follows)\n"
      "\n"
      "The header is printed again when the tasks alive change (every block of\n"
      "up to 1,000 ticks shows the tasks that exist during it).\n" },
    { "check", cmd_check,
      "usage: procsim check FILE... [--ticks N] [--seed N] [-c KEY=VALUE]\n"
      "\n"
      "Run each file and judge its expect lines. Prints every failed\n"
      "expectation with its file and line. Exit status 0 all held, 1 one\n"
      "failed, 2 a file is invalid.\n" },
    { "ps", cmd_ps,
      "usage: procsim ps FILE --at T [--json] [--threads]\n"
      "\n"
      "The processes during tick T, like `ps -eo pid,ppid,stat,ni,wchan,time,comm`\n"
      "(TIME in ticks). STAT is the state letter plus <, N, s, l and +.\n"
      "  --json      an array of objects instead\n"
      "  --threads   one line per thread, with its TID\n" },
    { "pstree", cmd_pstree,
      "usage: procsim pstree FILE --at T\n"
      "\n"
      "The process tree during tick T, init at the root.\n" },
    { "fds", cmd_fds,
      "usage: procsim fds FILE --at T\n"
      "\n"
      "The pipe ends every process holds during tick T, like lsof: FD is the\n"
      "number with r (read end), w (write end) or u (a duplex end: both);\n"
      "TYPE is FIFO for a simplex pipe, unix for a duplex one (a socketpair,\n"
      "as Python's Pipe() makes); NAME says how many hold that end and what\n"
      "is in the pipe. fds 0, 1 and 2 (the terminal) are not listed.\n" },
    { "ss", cmd_ss,
      "usage: procsim ss FILE --at T [--json]\n"
      "\n"
      "The sockets during tick T, like `ss -tuxanp`: Netid (tcp, udp, u_str,\n"
      "u_dgr), State (LISTEN, SYN-SENT, ESTAB, CLOSE-WAIT ...), Recv-Q and\n"
      "Send-Q (bytes in the receive and send buffers; for a listening socket,\n"
      "the connections waiting for accept and the backlog), the local and\n"
      "peer addresses, and the processes holding it (pid and fd).\n"
      "  --json      an array of objects instead\n" },
    { "output", cmd_output,
      "usage: procsim output FILE [--stderr]\n"
      "\n"
      "Only what the processes printed, one line each: TICK PID TEXT.\n"
      "  --stderr    their stderr's lines too (a Python traceback), in order\n" },
    { "stats", cmd_stats,
      "usage: procsim stats FILE [--json]\n"
      "\n"
      "Per process: CPU ticks, turnaround (exit - creation), waiting (runnable\n"
      "but not running), response (first tick on a CPU - creation), voluntary\n"
      "and involuntary switches, exit status; and the CPU utilisation.\n" },
    { "compile", cmd_compile,
      "usage: procsim compile FILE.py\n"
      "\n"
      "Print the scenario-language text that procsim's Python front end\n"
      "(py/procsim_py.py, run by python3) makes of a Python program: each\n"
      "statement under an @LINE:COL line that names its place in FILE.py.\n" },
};

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "procsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see procsim --help)\n");
    return EXIT_INVALID;
}

static bool parse_tick(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return false;
    *out = v;
    return true;
}

static int add_set(struct cli_opts *o, const char *key, const char *value)
{
    if (o->nsets == 64)
        return usage_error("too many overrides%s", "");
    o->sets[o->nsets][0] = key;
    o->sets[o->nsets][1] = value;
    o->nsets++;
    return 0;
}

/* Parse argv into o; returns 0, or an exit status after a usage error. */
static int parse_args(int argc, char **argv, struct cli_opts *o)
{
    int nkeys = 0;

    o->at = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
        } else if (!strcmp(a, "--json")) {
            o->json = true;
        } else if (!strcmp(a, "--changes")) {
            o->changes = true;
        } else if (!strcmp(a, "--all")) {
            o->all = true;
        } else if (!strcmp(a, "--stderr")) {
            o->stderr_too = true;
        } else if (!strcmp(a, "--threads")) {
            o->threads = true;
        } else if (!strcmp(a, "--at")) {
            if (!next || !parse_tick(next, &o->at))
                return usage_error("--at needs a tick (0 or more)%s", "");
            i++;
        } else if (!strcmp(a, "--ticks") || !strcmp(a, "--seed")) {
            if (!next)
                return usage_error("%s needs a number", a);
            if (add_set(o, a + 2, next))
                return EXIT_INVALID;
            i++;
        } else if (!strncmp(a, "-c", 2)) {
            const char *kv = a[2] ? a + 2 : next;
            if (!a[2])
                i++;
            const char *eq = kv ? strchr(kv, '=') : NULL;
            if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof o->keybuf[0] || nkeys == 64)
                return usage_error("-c needs KEY=VALUE, e.g. -c policy=rr%s", "");
            memcpy(o->keybuf[nkeys], kv, (size_t)(eq - kv));
            o->keybuf[nkeys][eq - kv] = '\0';
            if (add_set(o, o->keybuf[nkeys++], eq + 1))
                return EXIT_INVALID;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (!o->command) {
            o->command = a;
        } else if (o->nfiles < 256) {
            o->files[o->nfiles++] = a;
        } else {
            return usage_error("too many files%s", "");
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct cli_opts o;
    memset(&o, 0, sizeof o);
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        printf("procsim %s\n", PROCSIM_VERSION);
        return EXIT_OK;
    }
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc;
    if (!o.command) {
        fputs(usage, o.help ? stdout : stderr);
        return o.help ? EXIT_OK : EXIT_INVALID;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(o.command, commands[i].name))
            continue;
        if (o.help) {
            fputs(commands[i].help, stdout);
            return EXIT_OK;
        }
        if (o.nfiles == 0)
            return usage_error("'%s' needs a scenario file", o.command);
        if (strcmp(o.command, "check") && o.nfiles > 1)
            return usage_error("'%s' takes one scenario file", o.command);
        if ((!strcmp(o.command, "ps") || !strcmp(o.command, "pstree") ||
             !strcmp(o.command, "fds") || !strcmp(o.command, "ss")) && o.at < 0)
            return usage_error("'%s' needs --at T", o.command);
        return commands[i].fn(&o);
    }
    return usage_error("unknown command '%s'; commands are: run, check, ps, "
                       "pstree, fds, ss, output, stats, compile", o.command);
}
