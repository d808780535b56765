/*
 * test_parse.c - the scenario language as the contract states it: what each
 * statement compiles to, what each config key accepts, and every load-time
 * error with its message and exact line and column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "scenario.h"
#include "support.h"

/* ---------------------------------------------------------------- helpers */

static struct scenario *parse_n(const char *src, size_t len)
{
    struct diag d;
    struct scenario *s = scenario_parse("t.scn", src, len, &d);
    if (!s)
        fail_msg("unexpected parse error %d:%d: %s", d.line, d.col, d.msg);
    return s;
}

static struct scenario *parse(const char *src)
{
    return parse_n(src, strlen(src));
}

/* The source must be rejected with exactly this message at line:col. */
static void reject_n(const char *src, size_t len, int line, int col, const char *msg)
{
    struct diag d;
    memset(&d, 0, sizeof d);
    struct scenario *s = scenario_parse("t.scn", src, len, &d);
    if (s) {
        scenario_free(s);
        fail_msg("accepted, expected %d:%d: %s\n--- source:\n%s", line, col, msg, src);
    }
    if (d.line != line || d.col != col || strcmp(d.msg, msg))
        fail_msg("got %d:%d: %s\nexpected %d:%d: %s\n--- source:\n%s", d.line, d.col,
                 d.msg, line, col, msg, src);
}

static void reject(const char *src, int line, int col, const char *msg)
{
    reject_n(src, strlen(src), line, col, msg);
}

/* Program `name`, which must exist. */
static const struct program *prog(const struct scenario *s, const char *name)
{
    int i = scenario_find_program(s, name);
    assert_true(i >= 0);
    return &s->programs[i];
}

static int var_index(const struct scenario *s, const char *name)
{
    for (int v = 0; v < s->nvars; v++)
        if (!strcmp(s->vars[v].name, name))
            return v;
    fail_msg("no variable '%s'", name);
    return -1;
}

static void assert_num(const struct expr *e, int64_t n)
{
    assert_non_null(e);
    assert_int_equal(e->kind, EX_NUM);
    assert_int_equal(e->num, n);
}

static void assert_var(const struct scenario *s, const struct expr *e, const char *name)
{
    assert_non_null(e);
    assert_int_equal(e->kind, EX_VAR);
    assert_int_equal(e->var, var_index(s, name));
}

/* Fields an instruction does not use are -1. */
static void assert_unused(const struct insn *in)
{
    assert_int_equal(in->var, -1);
    assert_int_equal(in->var2, -1);
    assert_int_equal(in->prog, -1);
    assert_int_equal(in->handler, -1);
    assert_int_equal(in->obj, -1);
    assert_int_equal(in->timeout, -1);
}

/* The one expression of `program main { let x = SRC }`, for precedence
 * tests; *sp receives the scenario to free. */
static const struct expr *expr_of(const char *src, struct scenario **sp)
{
    char buf[512];
    snprintf(buf, sizeof buf, "program main {\n  let a = 1\n  let b = 2\n  let c = 3\n"
             "  let x = %s\n}\n", src);
    *sp = parse(buf);
    const struct program *p = prog(*sp, "main");
    assert_int_equal(p->code[3].op, OP_SET);
    return p->code[3].e1;
}

/* ------------------------------------------------------ top-level basics */

static void test_empty_file_gives_contract_defaults(void **state)
{
    (void)state;
    struct scenario *s = parse("");
    assert_null(s->title);
    assert_int_equal(s->nprograms, 0);
    assert_int_equal(s->nspawns, 0);
    assert_int_equal(s->config.cpus, 1);
    assert_int_equal(s->config.policy, POLICY_CFS);
    assert_true(s->config.preempt);
    assert_int_equal(s->config.slice, 4);
    assert_int_equal(s->config.latency, 12);
    assert_int_equal(s->config.min_granularity, 2);
    assert_int_equal(s->config.wakeup_granularity, 2);
    assert_false(s->config.gil);
    assert_int_equal(s->config.switch_interval, 5);
    assert_int_equal(s->config.max_procs, 1024);
    assert_int_equal(s->config.pid_max, 32768);
    assert_int_equal(s->config.ticks, 100000);
    assert_int_equal(s->config.seed, 1);
    assert_int_equal(s->config.tick_count, 1);
    assert_int_equal(s->config.tick_unit, TICK_MS);
    scenario_free(s);
}

static void test_title_and_describe_lines_are_unescaped(void **state)
{
    (void)state;
    struct scenario *s = parse("# a comment\ntitle \"Fork \\\"twice\\\"\"  # note\n"
                               "describe \"one\\nline \\\\ two\"\ndescribe \"\"\n");
    assert_string_equal(s->title, "Fork \"twice\"");
    assert_int_equal(s->ndescribe, 2);
    assert_string_equal(s->describe[0], "one\nline \\ two");
    assert_string_equal(s->describe[1], "");
    scenario_free(s);
}

static void test_second_title_is_an_error(void **state)
{
    (void)state;
    reject("title \"a\"\ntitle \"b\"\n", 2, 1, "a scenario has one title");
}

static void test_utf8_is_allowed_in_strings_and_comments(void **state)
{
    (void)state;
    struct scenario *s = parse("title \"caf\xc3\xa9\" # \xe2\x86\x92 arrow\n");
    assert_string_equal(s->title, "caf\xc3\xa9");
    scenario_free(s);
    reject("title \"x\"\n\xc3\xa9\n", 2, 1,
           "unexpected byte \\xc3 (procsim reads UTF-8 text; other characters belong "
           "in strings or comments)");
}

static void test_crlf_line_endings_are_accepted(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\r\n  compute 3\r\n}\r\nspawn main\r\n");
    assert_int_equal(prog(s, "main")->ncode, 2);
    assert_int_equal(prog(s, "main")->code[0].pos.line, 2);
    assert_int_equal(prog(s, "main")->code[0].pos.col, 3);
    size_t len;
    const char *l = scenario_line(s, 2, &len);
    assert_int_equal(len, 11);
    assert_memory_equal(l, "  compute 3", 11);
    scenario_free(s);
    /* A bare CR is not a line ending. */
    reject("program main {\r  compute 1\n}\n", 1, 15,
           "unexpected byte \\x0d (procsim reads UTF-8 text; other characters belong "
           "in strings or comments)");
}

static void test_nul_byte_is_rejected_with_its_position(void **state)
{
    (void)state;
    const char src[] = "program main {\n  compute 1\x00\n}\n";
    reject_n(src, sizeof src - 1, 2, 12,
             "unexpected byte \\x00 (procsim reads UTF-8 text; other characters belong "
             "in strings or comments)");
    const char str[] = "title \"a\x00\"\n";
    reject_n(str, sizeof str - 1, 1, 9, "unexpected NUL byte in a string");
}

static void test_source_is_a_private_copy(void **state)
{
    (void)state;
    char buf[] = "program main {\n  compute 1\n}\n";
    struct scenario *s = parse(buf);
    memset(buf, 'x', sizeof buf - 1);
    size_t len;
    const char *l = scenario_line(s, 1, &len);
    assert_int_equal(len, 14);
    assert_memory_equal(l, "program main {", 14);
    assert_string_equal(prog(s, "main")->name, "main");
    l = scenario_line(s, 99, &len);
    assert_int_equal(len, 0);
    assert_string_equal(l, "");
    l = scenario_line(s, 0, &len);
    assert_int_equal(len, 0);
    scenario_free(s);
}

static void test_buffer_needs_no_nul_terminator(void **state)
{
    (void)state;
    /* Only the first 24 bytes are the scenario; the rest must not be read. */
    const char buf[] = "program main {\n}\nspawn mainGARBAGE";
    struct scenario *s = parse_n(buf, 27);
    assert_int_equal(s->nspawns, 1);
    assert_int_equal(s->srclen, 27);
    scenario_free(s);
}

/* ------------------------------------------------------ program statements */

static void test_compute_sleep_disk_compile_to_timed_opcodes(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  compute 5\n  sleep 3\n  sleep 2 -> left\n"
                               "  disk 0\n}\n");
    const struct program *p = prog(s, "main");
    assert_int_equal(p->ncode, 5);
    assert_int_equal(p->code[0].op, OP_COMPUTE);
    assert_num(p->code[0].e1, 5);
    assert_unused(&p->code[0]);
    assert_int_equal(p->code[1].op, OP_SLEEP);
    assert_num(p->code[1].e1, 3);
    assert_int_equal(p->code[1].var, -1);
    assert_int_equal(p->code[2].op, OP_SLEEP);
    assert_int_equal(p->code[2].var, var_index(s, "left"));
    assert_int_equal(p->code[3].op, OP_DISK);
    assert_num(p->code[3].e1, 0);
    assert_int_equal(p->code[4].op, OP_END);
    assert_int_equal(p->code[3].pos.line, 5);
    assert_int_equal(p->code[3].pos.col, 3);
    scenario_free(s);
}

static void test_fork_forms_set_program_and_result(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  fork\n  fork -> pid\n  fork kid\n"
                               "  fork kid -> k\n}\nprogram kid {\n}\n");
    const struct program *p = prog(s, "main");
    int kid = scenario_find_program(s, "kid");
    assert_int_equal(kid, 1);
    for (int i = 0; i < 4; i++)
        assert_int_equal(p->code[i].op, OP_FORK);
    assert_int_equal(p->code[0].prog, -1);
    assert_int_equal(p->code[0].var, -1);
    assert_int_equal(p->code[1].prog, -1);
    assert_int_equal(p->code[1].var, var_index(s, "pid"));
    assert_int_equal(p->code[2].prog, kid);
    assert_int_equal(p->code[2].var, -1);
    assert_int_equal(p->code[3].prog, kid);
    assert_int_equal(p->code[3].var, var_index(s, "k"));
    scenario_free(s);
}

static void test_exec_and_exit_compile(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  exec other\n  exit\n  exit 3\n"
                               "  exit 255\n  exit getpid() % 7\n}\nprogram other {\n}\n");
    const struct program *p = prog(s, "main");
    assert_int_equal(p->code[0].op, OP_EXEC);
    assert_int_equal(p->code[0].prog, 1);
    assert_int_equal(p->code[1].op, OP_EXIT);
    assert_null(p->code[1].e1);
    assert_num(p->code[2].e1, 3);
    assert_num(p->code[3].e1, 255);
    assert_int_equal(p->code[4].e1->kind, EX_MOD);
    scenario_free(s);
}

static void test_wait_and_waitpid_results_and_nohang(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  wait\n  wait -> p\n  wait -> p, st\n"
                               "  waitpid -1\n  waitpid p nohang -> q, st\n"
                               "  waitpid p -> q\n}\n");
    const struct insn *in = prog(s, "main")->code;
    assert_int_equal(in[0].op, OP_WAIT);
    assert_int_equal(in[0].var, -1);
    assert_int_equal(in[0].var2, -1);
    assert_int_equal(in[1].var, var_index(s, "p"));
    assert_int_equal(in[1].var2, -1);
    assert_int_equal(in[2].var, var_index(s, "p"));
    assert_int_equal(in[2].var2, var_index(s, "st"));
    assert_int_equal(in[3].op, OP_WAITPID);
    assert_num(in[3].e1, -1);
    assert_int_equal(in[3].flags, 0);
    assert_var(s, in[4].e1, "p");
    assert_int_equal(in[4].flags, INSN_NOHANG);
    assert_int_equal(in[4].var, var_index(s, "q"));
    assert_int_equal(in[4].var2, var_index(s, "st"));
    assert_int_equal(in[5].flags, 0);
    assert_int_equal(in[5].var2, -1);
    scenario_free(s);
}

static void test_nice_yield_and_print_compile(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  nice 5\n  nice -3\n  yield\n  print\n"
                               "  print \"pid\" getpid() \"n\" 1 + 2 \"\"\n}\n");
    const struct insn *in = prog(s, "main")->code;
    assert_int_equal(in[0].op, OP_NICE);
    assert_num(in[0].e1, 5);
    assert_num(in[1].e1, -3);
    assert_int_equal(in[2].op, OP_YIELD);
    assert_unused(&in[2]);
    assert_int_equal(in[3].op, OP_PRINT);
    assert_int_equal(in[3].nargs, 0);
    assert_int_equal(in[4].nargs, 5);
    assert_string_equal(in[4].args[0].str, "pid");
    assert_null(in[4].args[1].str);
    assert_int_equal(in[4].args[1].e->kind, EX_GETPID);
    assert_string_equal(in[4].args[2].str, "n");
    assert_int_equal(in[4].args[3].e->kind, EX_ADD);
    assert_string_equal(in[4].args[4].str, "");
    scenario_free(s);
}

static void test_print_expressions_stop_at_the_next_string(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  let a = 1\n  let b = 2\n"
                               "  print \"x\" a \"y\" b\n}\n");
    const struct insn *in = &prog(s, "main")->code[2];
    assert_int_equal(in->nargs, 4);
    assert_string_equal(in->args[0].str, "x");
    assert_var(s, in->args[1].e, "a");
    assert_string_equal(in->args[2].str, "y");
    assert_var(s, in->args[3].e, "b");
    scenario_free(s);
}

static void test_assignments_compile_to_set(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  let x = 1\n  x = 2\n  x += 3\n  x -= 4\n}\n");
    const struct insn *in = prog(s, "main")->code;
    int x = var_index(s, "x");
    for (int i = 0; i < 4; i++) {
        assert_int_equal(in[i].op, OP_SET);
        assert_int_equal(in[i].var, x);
    }
    assert_num(in[0].e1, 1);
    assert_num(in[1].e1, 2);
    assert_int_equal(in[2].e1->kind, EX_ADD);
    assert_var(s, in[2].e1->a, "x");
    assert_num(in[2].e1->b, 3);
    assert_int_equal(in[3].e1->kind, EX_SUB);
    assert_var(s, in[3].e1->a, "x");
    assert_num(in[3].e1->b, 4);
    assert_false(s->vars[x].local);
    scenario_free(s);
}

static void test_local_marks_the_variable_thread_local(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  local mine = gettid()\n  let ours = 0\n}\n");
    const struct insn *in = prog(s, "main")->code;
    assert_int_equal(in[0].op, OP_SET);
    assert_int_equal(in[0].e1->kind, EX_GETTID);
    assert_true(s->vars[var_index(s, "mine")].local);
    assert_false(s->vars[var_index(s, "ours")].local);
    scenario_free(s);
}

static void test_if_else_compiles_to_jumps(void **state)
{
    (void)state;
    /* after `let c`: 1 JIF -> 4 ; 2 COMPUTE 1 ; 3 JUMP -> 5 ; 4 COMPUTE 2 ; 5 YIELD */
    struct scenario *s = parse("program main {\n  let c = 1\n  if c == 1 {\n    compute 1\n"
                               "  } else {\n    compute 2\n  }\n  yield\n}\n");
    const struct insn *in = prog(s, "main")->code + 1;
    assert_int_equal(in[0].op, OP_JIF);
    assert_int_equal(in[0].e1->kind, EX_EQ);
    assert_int_equal(in[0].target, 4);
    assert_int_equal(in[1].op, OP_COMPUTE);
    assert_int_equal(in[2].op, OP_JUMP);
    assert_int_equal(in[2].target, 5);
    assert_int_equal(in[3].op, OP_COMPUTE);
    assert_int_equal(in[4].op, OP_YIELD);
    assert_int_equal(in[5].op, OP_END);
    scenario_free(s);
}

static void test_if_without_else_jumps_past_its_body(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  if 0 {\n    compute 1\n  }\n}\n");
    const struct insn *in = prog(s, "main")->code;
    assert_int_equal(in[0].op, OP_JIF);
    assert_int_equal(in[0].target, 2);
    assert_int_equal(in[2].op, OP_END);
    assert_int_equal(prog(s, "main")->ncode, 3);
    scenario_free(s);
}

static void test_else_if_chain_jumps_to_the_end(void **state)
{
    (void)state;
    /*  0 JIF 0 -> 3 ; 1 COMPUTE 1 ; 2 JUMP -> 7
     *  3 JIF 1 -> 6 ; 4 COMPUTE 2 ; 5 JUMP -> 7
     *  6 COMPUTE 3 ; 7 YIELD ; 8 END */
    struct scenario *s = parse("program main {\n  if 0 {\n    compute 1\n  } else if 1 {\n"
                               "    compute 2\n  } else {\n    compute 3\n  }\n  yield\n}\n");
    const struct insn *in = prog(s, "main")->code;
    assert_int_equal(in[0].op, OP_JIF);
    assert_int_equal(in[0].target, 3);
    assert_int_equal(in[2].op, OP_JUMP);
    assert_int_equal(in[2].target, 7);
    assert_int_equal(in[3].op, OP_JIF);
    assert_num(in[3].e1, 1);
    assert_int_equal(in[3].target, 6);
    assert_int_equal(in[5].op, OP_JUMP);
    assert_int_equal(in[5].target, 7);
    assert_int_equal(in[6].op, OP_COMPUTE);
    assert_num(in[6].e1, 3);
    assert_int_equal(in[7].op, OP_YIELD);
    scenario_free(s);
}

static void test_while_compiles_to_a_loop(void **state)
{
    (void)state;
    /*  0 SET ; 1 JIF i<3 -> 4 ; 2 SET i+=1 ; 3 JUMP -> 1 ; 4 END */
    struct scenario *s = parse("program main {\n  let i = 0\n  while i < 3 {\n    i += 1\n"
                               "  }\n}\n");
    const struct insn *in = prog(s, "main")->code;
    assert_int_equal(in[1].op, OP_JIF);
    assert_int_equal(in[1].e1->kind, EX_LT);
    assert_int_equal(in[1].target, 4);
    assert_int_equal(in[3].op, OP_JUMP);
    assert_int_equal(in[3].target, 1);
    assert_int_equal(in[4].op, OP_END);
    scenario_free(s);
}

static void test_repeat_compiles_to_counter_loop(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  repeat 3 {\n    compute 1\n  }\n"
                               "  repeat 2 {\n  }\n}\n");
    const struct insn *in = prog(s, "main")->code;
    int r = var_index(s, "#repeat0");
    assert_true(s->vars[r].local);
    assert_int_equal(in[0].op, OP_SET);             /* r = 3 */
    assert_int_equal(in[0].var, r);
    assert_num(in[0].e1, 3);
    assert_int_equal(in[1].op, OP_JIF);             /* L: if !(r > 0) goto end */
    assert_int_equal(in[1].e1->kind, EX_GT);
    assert_int_equal(in[1].e1->a->var, r);
    assert_num(in[1].e1->b, 0);
    assert_int_equal(in[1].target, 5);
    assert_int_equal(in[2].op, OP_SET);             /* r = r - 1 */
    assert_int_equal(in[2].var, r);
    assert_int_equal(in[2].e1->kind, EX_SUB);
    assert_int_equal(in[2].e1->a->var, r);
    assert_num(in[2].e1->b, 1);
    assert_int_equal(in[3].op, OP_COMPUTE);
    assert_int_equal(in[4].op, OP_JUMP);            /* goto L */
    assert_int_equal(in[4].target, 1);
    /* The second repeat has its own counter. */
    int r1 = var_index(s, "#repeat1");
    assert_int_not_equal(r, r1);
    assert_int_equal(in[5].var, r1);
    assert_true(s->vars[r1].local);
    scenario_free(s);
}

static void test_signal_statements_compile(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  signal SIGINT on_int\n  signal TERM ignore\n"
                               "  signal 10 default\n  kill 0 SIGUSR1\n  kill getppid() 15\n"
                               "  alarm 5\n  pause\n  block SIGCHLD\n  unblock CHLD\n"
                               "  subreaper\n}\nhandler on_int {\n  exit 1\n}\n");
    const struct insn *in = prog(s, "main")->code;
    assert_int_equal(in[0].op, OP_SIGNAL);
    assert_int_equal(in[0].sig, SIG_INT);
    assert_int_equal(in[0].disp, SIGDISP_HANDLER);
    assert_int_equal(in[0].handler, 0);
    assert_int_equal(in[1].sig, SIG_TERM);
    assert_int_equal(in[1].disp, SIGDISP_IGNORE);
    assert_int_equal(in[1].handler, -1);
    assert_int_equal(in[2].sig, SIG_USR1);
    assert_int_equal(in[2].disp, SIGDISP_DEFAULT);
    assert_int_equal(in[3].op, OP_KILL);
    assert_num(in[3].e1, 0);
    assert_int_equal(in[3].sig, SIG_USR1);
    assert_int_equal(in[4].e1->kind, EX_GETPPID);
    assert_int_equal(in[4].sig, SIG_TERM);
    assert_int_equal(in[5].op, OP_ALARM);
    assert_num(in[5].e1, 5);
    assert_int_equal(in[6].op, OP_PAUSE);
    assert_int_equal(in[7].op, OP_BLOCK);
    assert_int_equal(in[7].sig, SIG_CHLD);
    assert_int_equal(in[8].op, OP_UNBLOCK);
    assert_int_equal(in[8].sig, SIG_CHLD);
    assert_int_equal(in[9].op, OP_SUBREAPER);
    assert_int_equal(s->nhandlers, 1);
    assert_string_equal(s->handlers[0].name, "on_int");
    assert_int_equal(s->handlers[0].code[0].op, OP_EXIT);
    assert_int_equal(s->handlers[0].code[1].op, OP_END);
    scenario_free(s);
}

static void test_thread_and_join_compile(void **state)
{
    (void)state;
    struct scenario *s = parse("config gil=on\nprogram main {\n  thread worker\n"
                               "  thread worker daemon -> t\n  join t\n}\nprogram worker {\n}\n");
    const struct insn *in = prog(s, "main")->code;
    assert_true(s->config.gil);
    assert_int_equal(in[0].op, OP_THREAD);
    assert_int_equal(in[0].prog, 1);
    assert_int_equal(in[0].flags, 0);
    assert_int_equal(in[0].var, -1);
    assert_int_equal(in[1].flags, INSN_DAEMON);
    assert_int_equal(in[1].var, var_index(s, "t"));
    assert_int_equal(in[2].op, OP_JOIN);
    assert_var(s, in[2].e1, "t");
    scenario_free(s);
}

static void test_shared_values_and_object_methods_compile(void **state)
{
    (void)state;
    struct scenario *s = parse("shared money = 100\nlock l\nrlock r\nsemaphore sem 2\nevent ev\n"
                               "program main {\n  money = 5\n  money += 1\n  money -= money\n"
                               "  l.acquire\n  r.release\n  sem.acquire\n  ev.set\n  ev.clear\n"
                               "  ev.wait\n  print money\n}\n");
    const struct insn *in = prog(s, "main")->code;
    assert_int_equal(s->nobjects, 5);
    assert_int_equal(s->objects[0].kind, OBJ_SHARED);
    assert_int_equal(s->objects[0].init, 100);
    assert_int_equal(s->objects[3].kind, OBJ_SEMAPHORE);
    assert_int_equal(s->objects[3].init, 2);
    assert_int_equal(in[0].op, OP_SHARED_SET);
    assert_int_equal(in[0].obj, 0);
    assert_int_equal(in[0].aop, AOP_SET);
    assert_int_equal(in[1].aop, AOP_ADD);
    assert_int_equal(in[2].aop, AOP_SUB);
    assert_int_equal(in[2].e1->kind, EX_SHARED);
    assert_int_equal(in[2].e1->obj, 0);
    assert_int_equal(s->nvars, 0);
    static const int obj[] = { 1, 2, 3, 4, 4, 4 };
    static const int method[] = { METHOD_ACQUIRE, METHOD_RELEASE, METHOD_ACQUIRE,
                                  METHOD_SET, METHOD_CLEAR, METHOD_WAIT };
    for (int i = 0; i < 6; i++) {
        assert_int_equal(in[3 + i].op, OP_OBJ);
        assert_int_equal(in[3 + i].obj, obj[i]);
        assert_int_equal(in[3 + i].method, method[i]);
        assert_int_equal(in[3 + i].var, -1);
        assert_int_equal(in[3 + i].timeout, -1);
    }
    assert_int_equal(in[9].args[0].e->kind, EX_SHARED);
    scenario_free(s);
}

static void test_every_program_and_handler_ends_with_op_end(void **state)
{
    (void)state;
    struct scenario *s = parse("program a {\n}\nhandler h {\n  compute 1\n}\n"
                               "program b {\n  if 1 {\n  }\n}\n");
    assert_int_equal(s->nprograms, 2);
    assert_int_equal(s->programs[0].ncode, 1);
    assert_int_equal(s->programs[0].code[0].op, OP_END);
    assert_int_equal(s->programs[0].code[0].pos.line, 2);
    assert_int_equal(s->handlers[0].code[s->handlers[0].ncode - 1].op, OP_END);
    assert_int_equal(s->programs[1].code[s->programs[1].ncode - 1].op, OP_END);
    assert_int_equal(s->programs[1].pos.line, 6);
    assert_int_equal(s->programs[1].pos.col, 9);
    scenario_free(s);
}

/* ------------------------------------------------------ names and variables */

static void test_forward_references_resolve(void **state)
{
    (void)state;
    struct scenario *s = parse("spawn main\nexpect end shared total = 0\n"
                               "program main {\n  fork later -> k\n  signal INT h\n"
                               "  total += 1\n  l.acquire\n  thread later\n}\n"
                               "handler h {\n}\nprogram later {\n  exec main\n}\n"
                               "shared total = 0\nlock l\n");
    const struct insn *in = prog(s, "main")->code;
    assert_int_equal(s->spawns[0].prog, 0);
    assert_int_equal(in[0].prog, 1);
    assert_int_equal(in[1].handler, 0);
    assert_int_equal(in[2].obj, 0);
    assert_int_equal(in[3].obj, 1);
    assert_int_equal(in[4].prog, 1);
    assert_int_equal(prog(s, "later")->code[0].prog, 0);
    assert_int_equal(s->expects[0].obj, 0);
    scenario_free(s);
}

static void test_variables_are_numbered_across_the_file(void **state)
{
    (void)state;
    struct scenario *s = parse("program a {\n  let x = 1\n  let y = x\n}\n"
                               "program b {\n  let y = 2\n  wait -> x, z\n}\n");
    assert_int_equal(s->nvars, 3);
    assert_int_equal(prog(s, "a")->code[0].var, prog(s, "b")->code[1].var);
    assert_int_equal(prog(s, "a")->code[1].var, prog(s, "b")->code[0].var);
    assert_int_equal(prog(s, "b")->code[1].var2, var_index(s, "z"));
    scenario_free(s);
}

static void test_variable_assigned_in_another_program_counts(void **state)
{
    (void)state;
    struct scenario *s = parse("program a {\n  print later\n}\nprogram b {\n"
                               "  sleep 1 -> later\n}\n");
    assert_int_equal(prog(s, "a")->code[0].args[0].e->var, var_index(s, "later"));
    scenario_free(s);
}

static void test_unknown_variable_is_reported_at_its_first_read(void **state)
{
    (void)state;
    reject("program main {\n  compute 1\n  print \"n\" n\n  print n\n}\n", 3, 13,
           "unknown variable 'n'");
}

static void test_duplicate_names_share_one_namespace(void **state)
{
    (void)state;
    reject("program main {\n}\nprogram main {\n}\n", 3, 9,
           "duplicate name 'main' (first defined at line 1)");
    reject("program w {\n}\nhandler w {\n}\n", 3, 9,
           "duplicate name 'w' (first defined at line 1)");
    reject("lock w\nprogram main {\n}\nsemaphore w 1\n", 4, 11,
           "duplicate name 'w' (first defined at line 1)");
    reject("shared v = 1\nprogram v {\n}\n", 2, 9,
           "duplicate name 'v' (first defined at line 1)");
}

static void test_unknown_program_lists_programs(void **state)
{
    (void)state;
    reject("program main {\n  fork nosuch\n}\nprogram kid {\n}\n", 2, 8,
           "unknown program 'nosuch'; programs are: main, kid");
    reject("program main {\n  exec nosuch\n}\n", 2, 8,
           "unknown program 'nosuch'; programs are: main");
    reject("spawn ghost\n", 1, 7, "unknown program 'ghost'; programs are: (none)");
    reject("program main {\n  thread x\n}\n", 2, 10,
           "unknown program 'x'; programs are: main");
}

static void test_unknown_handler_lists_handlers(void **state)
{
    (void)state;
    reject("program main {\n  signal INT nosuch\n}\nhandler a {\n}\nhandler b {\n}\n", 2, 14,
           "unknown handler 'nosuch'; handlers are: a, b");
    reject("program main {\n  signal INT main\n}\n", 2, 14,
           "unknown handler 'main'; handlers are: (none)");
}

static void test_object_names_are_not_variables(void **state)
{
    (void)state;
    reject("lock l\nprogram main {\n  print l\n}\n", 3, 9,
           "lock 'l' has no value to read; only shared values can be used in expressions");
    reject("event e\nprogram main {\n  e = 1\n}\n", 3, 3,
           "event 'e' cannot be assigned; only shared values can");
    reject("shared v = 0\nprogram main {\n  wait -> v\n}\n", 3, 11,
           "'v' is a shared value, not a variable");
    reject("program main {\n  wait -> p, s\n}\nsemaphore s 1\n", 2, 14,
           "'s' is a semaphore, not a variable");
    reject("lock l\nprogram main {\n  let l = 1\n}\n", 3, 7, "'l' is a lock, not a variable");
    reject("lock l\nexpect end shared l = 3\n", 2, 19, "unknown shared value 'l'");
    reject("program main {\n  x.frob\n}\n", 2, 3, "unknown object 'x'");
    /* issue 14: a variable may hold an object, but must exist */
    reject("program main {\n  x.acquire\n}\n", 2, 3, "unknown variable 'x'");
}

static void test_wrong_method_lists_the_methods(void **state)
{
    (void)state;
    reject("lock l\nprogram main {\n  l.put 1\n}\n", 3, 5,
           "lock 'l' has no method 'put'; its methods are: acquire, release");
    reject("event e\nprogram main {\n  e.acquire\n}\n", 3, 5,
           "event 'e' has no method 'acquire'; its methods are: set, clear, wait");
    reject("queue q\nprogram main {\n  q.send 1\n}\n", 3, 5,
           "queue 'q' has no method 'send'; its methods are: put, get, close, task_done, join");
    reject("shared m = 0\nprogram main {\n  m.get\n}\n", 3, 5,
           "shared 'm' has no method 'get'; its methods are: acquire, release");
    reject("array a 3\nprogram main {\n  a.put 1\n}\n", 3, 5,
           "array 'a' has no method 'put'; its methods are: acquire, release");
}

/* --------------------------------------------------------- top level */

static void test_config_line_sets_several_keys(void **state)
{
    (void)state;
    struct scenario *s = parse("config cpus=4 policy=rr slice=2\nconfig preempt=off tick=10us\n"
                               "config seed=9223372036854775807 ticks=10000000000\n"
                               "config tick=s gil=on\n");
    assert_int_equal(s->config.cpus, 4);
    assert_int_equal(s->config.policy, POLICY_RR);
    assert_int_equal(s->config.slice, 2);
    assert_false(s->config.preempt);
    assert_int_equal(s->config.seed, INT64_MAX);
    assert_int_equal(s->config.ticks, 10000000000LL);
    assert_int_equal(s->config.tick_count, 1);
    assert_int_equal(s->config.tick_unit, TICK_S);
    assert_true(s->config.gil);
    scenario_free(s);
}

static void test_config_errors_point_at_key_or_value(void **state)
{
    (void)state;
    reject("config cpu=2\n", 1, 8,
           "unknown config key 'cpu'; keys are: cpus, policy, preempt, slice, latency, "
           "min_granularity, wakeup_granularity, gil, switch_interval, max_procs, "
           "pid_max, ticks, seed, tick, eintr, pipe_size, sigpipe, fork_cost, exec_cost, "
           "thread_cost, exit_cost, nofile, net_latency, tcp_sndbuf, tcp_rcvbuf, "
           "udp_sndbuf, udp_rcvbuf, somaxconn, udp_loss, scan_cost, ready_cost, "
           "stmt_cost, shared_cost, python, first_pid");
    reject("config cpus=2 policy=lottery\n", 1, 22, "policy must be cfs, rr or fifo");
    reject("config cpus=65\n", 1, 13, "cpus must be a number from 1 to 64");
    reject("config cpus=-1\n", 1, 13, "cpus must be a number from 1 to 64");
    reject("config\n", 1, 7, "expected KEY=VALUE after 'config'");
    reject("config cpus=\n", 1, 13, "expected a value after 'cpus=', found the end of the line");
    reject("config cpus 2\n", 1, 13, "expected '=' after 'cpus', found '2'");
    reject("config tick=0ms\n", 1, 13,
           "tick must be a unit us, ms or s, with an optional count first (1ms, 10us)");
}

static void test_spawn_options(void **state)
{
    (void)state;
    struct scenario *s = parse("spawn a\nspawn b nice=-20 at=7 fg\nspawn a at=0 nice=19\n"
                               "program a {\n}\nprogram b {\n}\n");
    assert_int_equal(s->nspawns, 3);
    assert_int_equal(s->spawns[0].prog, 0);
    assert_int_equal(s->spawns[0].nice, 0);
    assert_int_equal(s->spawns[0].at, 0);
    assert_false(s->spawns[0].fg);
    assert_int_equal(s->spawns[1].prog, 1);
    assert_int_equal(s->spawns[1].nice, -20);
    assert_int_equal(s->spawns[1].at, 7);
    assert_true(s->spawns[1].fg);
    assert_int_equal(s->spawns[2].nice, 19);
    assert_int_equal(s->spawns[1].pos.line, 2);
    scenario_free(s);
}

static void test_spawn_errors(void **state)
{
    (void)state;
    reject("spawn\n", 1, 6, "expected a program name after 'spawn'");
    reject("program a {\n}\nspawn a nice=20\n", 3, 14, "nice must be from -20 to 19");
    reject("program a {\n}\nspawn a nice=-21\n", 3, 14, "nice must be from -20 to 19");
    reject("program a {\n}\nspawn a at=-1\n", 3, 12, "a spawn's tick must be 0 or more");
    reject("spawn b x\nprogram b {\n}\n", 1, 9,
           "expected nice=N, at=T or fg after 'spawn b', found 'x'");
}

static void test_outside_events_are_sorted_stably_by_tick(void **state)
{
    (void)state;
    struct scenario *s = parse("at 5 kill 2 SIGTERM\nat 1 ctrl-c\nat 5 ctrl-z\nat 0 fg\n"
                               "at 1 bg 3\nat 9 fg 4\nat 2 kill -2 KILL\n");
    assert_int_equal(s->noutside, 7);
    static const int kind[] = { OUT_FG, OUT_CTRL_C, OUT_BG, OUT_KILL, OUT_KILL,
                                OUT_CTRL_Z, OUT_FG };
    static const int64_t at[] = { 0, 1, 1, 2, 5, 5, 9 };
    for (int i = 0; i < 7; i++) {
        assert_int_equal(s->outside[i].kind, kind[i]);
        assert_int_equal(s->outside[i].at, at[i]);
    }
    assert_int_equal(s->outside[0].pid, -1);
    assert_int_equal(s->outside[2].pid, 3);
    assert_int_equal(s->outside[3].pid, -2);
    assert_int_equal(s->outside[3].sig, SIG_KILL);
    assert_int_equal(s->outside[4].sig, SIG_TERM);
    assert_int_equal(s->outside[4].pos.line, 1);
    assert_int_equal(s->outside[6].pid, 4);
    scenario_free(s);
}

static void test_outside_event_errors(void **state)
{
    (void)state;
    reject("at -1 ctrl-c\n", 1, 4, "a tick must be 0 or more");
    reject("at 3 kill 2 SIGFOO\n", 1, 13, "unknown signal 'SIGFOO'");
    reject("at 3 ctrl-x\n", 1, 11, "expected ctrl-c, ctrl-z or ctrl-\\");
    reject("at 3 reboot\n", 1, 6,
           "expected kill, ctrl-c, ctrl-z, ctrl-\\, fg or bg after 'at 3', found 'reboot'");
    reject("at 3 bg\n", 1, 8, "expected a pid after 'bg', found the end of the line");
}

static void test_expect_forms(void **state)
{
    (void)state;
    struct scenario *s = parse("expect 3 pid 2 state S\nexpect 4 pid 3 state gone\n"
                               "expect 5 pid 2 ppid 1\nexpect end pid 2 exit -9\n"
                               "expect end pid 3 ppid 1\nexpect end shared total = -4\n"
                               "expect end output pid 2 \"hi \\\"x\\\"\"\nexpect end ticks <= 50\n"
                               "shared total = 0\n");
    const struct expect *e = s->expects;
    assert_int_equal(s->nexpects, 8);
    assert_int_equal(e[0].kind, EXP_STATE);
    assert_int_equal(e[0].tick, 3);
    assert_int_equal(e[0].pid, 2);
    assert_int_equal(e[0].state, 'S');
    assert_int_equal(e[1].state, 'X');
    assert_int_equal(e[2].kind, EXP_PPID);
    assert_int_equal(e[2].ppid, 1);
    assert_int_equal(e[3].kind, EXP_EXIT);
    assert_int_equal(e[3].tick, EXPECT_END);
    assert_int_equal(e[3].value, -9);
    assert_int_equal(e[4].kind, EXP_PPID);
    assert_int_equal(e[4].tick, EXPECT_END);
    assert_int_equal(e[5].kind, EXP_SHARED);
    assert_int_equal(e[5].obj, 0);
    assert_int_equal(e[5].value, -4);
    assert_int_equal(e[6].kind, EXP_OUTPUT);
    assert_string_equal(e[6].text, "hi \"x\"");
    assert_int_equal(e[7].kind, EXP_TICKS);
    assert_int_equal(e[7].value, 50);
    assert_int_equal(e[7].pos.line, 8);
    scenario_free(s);
}

static void test_expect_errors(void **state)
{
    (void)state;
    reject("expect 1 pid 2 state Q\n", 1, 22,
           "expected a state (R, S, D, T, Z or gone), found 'Q'");
    reject("expect -1 pid 2 state R\n", 1, 8, "a tick must be 0 or more");
    reject("expect end pid 2 exit 256\n", 1, 23,
           "an exit status is a code 0..255 or -SIG (-1..-31)");
    reject("expect soon pid 2 state R\n", 1, 8,
           "expected a tick or 'end' after 'expect', found 'soon'");
    reject("expect end shared nope = 1\n", 1, 19, "unknown shared value 'nope'");
}

static void test_object_declarations(void **state)
{
    (void)state;
    /* Queues and pipes are modelled: every declaration loads. */
    struct scenario *all = parse("shared a = -5\nlock b\nrlock c\nsemaphore d 0\nevent e\n"
                                 "queue f\nqueue g 3\npipe h\npipe i simplex\npipe j duplex\n");
    assert_int_equal(all->objects[5].kind, OBJ_QUEUE);
    assert_int_equal(all->objects[6].init, 3);
    assert_int_equal(all->objects[7].kind, OBJ_PIPE);
    assert_false(all->objects[8].duplex);
    scenario_free(all);
    struct scenario *s = parse("shared a = -5\nlock b\nrlock c\nsemaphore d 0\nevent e\n");
    static const int kinds[] = { OBJ_SHARED, OBJ_LOCK, OBJ_RLOCK, OBJ_SEMAPHORE, OBJ_EVENT };
    for (int i = 0; i < 5; i++)
        assert_int_equal(s->objects[i].kind, kinds[i]);
    assert_int_equal(s->objects[0].init, -5);
    assert_string_equal(s->objects[3].name, "d");
    assert_int_equal(s->objects[3].pos.line, 4);
    assert_int_equal(s->objects[3].pos.col, 11);
    scenario_free(s);
    reject("semaphore s -1\n", 1, 13, "a semaphore's value must be 0 or more");
    reject("semaphore s\n", 1, 12,
           "expected the semaphore's starting value, found the end of the line");
    reject("shared x\n", 1, 9, "expected '=' and a starting value after 'shared x'");
    reject("pipe p both\n", 1, 8, "expected duplex or simplex after 'pipe p'");
}

static void test_queue_and_pipe_operations_are_checked_before_the_gate(void **state)
{
    (void)state;
    reject("queue q 2\nprogram main {\n  q.put\n}\n", 3, 8,
           "expected a value after 'put'");
    reject("queue q\nprogram main {\n  q.get -> v timeout=-1\n}\n", 3, 14,
           "timeout must be 0 or more ticks");
    reject("pipe p\nprogram main {\n  p.recv -> p\n}\n", 3, 13,
           "'p' is a pipe, not a variable");
    /* Well-formed uses load (no support gate holds them back any more). */
    scenario_free(parse("program main {\n  q.put 1 nowait\n  q.get -> v timeout=3\n"
                        "  p.send v\n  p.recv\n  p.close\n}\nqueue q 1\npipe p simplex\n"));
}

static void test_support_gate_names_the_first_unsupported_object(void **state)
{
    (void)state;
    struct scenario s;
    struct object objs[3] = {
        { .kind = OBJ_LOCK, .name = "l", .pos = { 1, 6 } },
        { .kind = OBJ_PIPE, .name = "p", .pos = { 2, 6 } },
        { .kind = OBJ_QUEUE, .name = "q", .pos = { 3, 7 } },
    };
    memset(&s, 0, sizeof s);
    s.objects = objs;
    s.nobjects = 3;
    struct srcpos where = { 0, 0 };
    assert_null(support_check(&s, &where));   /* queues and pipes are modelled */
    assert_int_equal(where.line, 0);
}

/* ------------------------------------------------------------ expressions */

static void test_expression_precedence(void **state)
{
    (void)state;
    struct scenario *s;
    /* a + b * c  ->  a + (b * c) */
    const struct expr *e = expr_of("a + b * c", &s);
    assert_int_equal(e->kind, EX_ADD);
    assert_var(s, e->a, "a");
    assert_int_equal(e->b->kind, EX_MUL);
    scenario_free(s);
    /* a - b - c  ->  (a - b) - c */
    e = expr_of("a - b - c", &s);
    assert_int_equal(e->kind, EX_SUB);
    assert_int_equal(e->a->kind, EX_SUB);
    assert_var(s, e->b, "c");
    scenario_free(s);
    /* (a + b) % c */
    e = expr_of("(a + b) % c", &s);
    assert_int_equal(e->kind, EX_MOD);
    assert_int_equal(e->a->kind, EX_ADD);
    scenario_free(s);
    /* a or b and not c == 1  ->  a or (b and (not (c == 1))) */
    e = expr_of("a or b and not c == 1", &s);
    assert_int_equal(e->kind, EX_OR);
    assert_var(s, e->a, "a");
    assert_int_equal(e->b->kind, EX_AND);
    assert_int_equal(e->b->b->kind, EX_NOT);
    assert_int_equal(e->b->b->a->kind, EX_EQ);
    scenario_free(s);
    /* a + 1 < b * 2  ->  (a + 1) < (b * 2) */
    e = expr_of("a + 1 < b * 2", &s);
    assert_int_equal(e->kind, EX_LT);
    assert_int_equal(e->a->kind, EX_ADD);
    assert_int_equal(e->b->kind, EX_MUL);
    scenario_free(s);
    /* -a * b  ->  (-a) * b; -5 is a literal */
    e = expr_of("-a * b / -5", &s);
    assert_int_equal(e->kind, EX_DIV);
    assert_int_equal(e->a->kind, EX_MUL);
    assert_int_equal(e->a->a->kind, EX_NEG);
    assert_num(e->b, -5);
    scenario_free(s);
}

static void test_every_comparison_operator(void **state)
{
    (void)state;
    static const struct { const char *src; enum expr_kind k; } ops[] = {
        { "a == b", EX_EQ }, { "a != b", EX_NE }, { "a < b", EX_LT },
        { "a <= b", EX_LE }, { "a > b", EX_GT }, { "a >= b", EX_GE },
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        struct scenario *s;
        const struct expr *e = expr_of(ops[i].src, &s);
        assert_int_equal(e->kind, ops[i].k);
        scenario_free(s);
    }
}

static void test_expression_builtins(void **state)
{
    (void)state;
    struct scenario *s;
    const struct expr *e = expr_of("rand(1, a + 2) + now() + getpid() + getppid() + gettid()", &s);
    assert_int_equal(e->b->kind, EX_GETTID);
    assert_int_equal(e->a->b->kind, EX_GETPPID);
    assert_int_equal(e->a->a->b->kind, EX_GETPID);
    assert_int_equal(e->a->a->a->b->kind, EX_NOW);
    const struct expr *r = e->a->a->a->a;
    assert_int_equal(r->kind, EX_RAND);
    assert_num(r->a, 1);
    assert_int_equal(r->b->kind, EX_ADD);
    assert_int_equal(r->pos.line, 5);
    assert_int_equal(r->pos.col, 11);
    scenario_free(s);
}

static void test_expression_stops_at_a_token_that_cannot_continue_it(void **state)
{
    (void)state;
    struct scenario *s = parse("program main {\n  let pid = 2\n  waitpid pid nohang\n}\n");
    const struct insn *in = &prog(s, "main")->code[1];
    assert_var(s, in->e1, "pid");
    assert_int_equal(in->flags, INSN_NOHANG);
    scenario_free(s);
}

static void test_expression_errors(void **state)
{
    (void)state;
    reject("program main {\n  let x = foo(1)\n}\n", 2, 11,
           "unknown function 'foo'; functions are: getpid, getppid, gettid, now, rand, "
           "getpgrp, getpgid, getsid, tcgetpgrp, wifexited, wexitstatus, wifsignaled, wtermsig, "
           "wifstopped, wstopsig, wifcontinued, len, str, repr, int, is_alive, exitcode");
    reject("program main {\n  let x = (1 + 2\n}\n", 2, 17,
           "expected ')', found the end of the line");
    reject("program main {\n  let x = rand(1)\n}\n", 2, 17,
           "expected ',' between the two arguments of rand, found ')'");
    reject("program main {\n  let x = 1 +\n}\n", 2, 14,
           "expected a value (a number, a string, a variable or a call), found the end of the line");
    reject("program main {\n  let x = 1 < 2 < 3\n}\n", 2, 17,
           "unexpected '<' after the statement");
    reject("program main {\n  let x = 99999999999999999999\n}\n", 2, 11, "number too large");
}

static void test_expression_nesting_limit(void **state)
{
    (void)state;
    char buf[1024];
    /* 99 parentheses deep is fine, 101 is not. */
    int n = snprintf(buf, sizeof buf, "program main {\n  let x = ");
    for (int i = 0; i < 99; i++)
        buf[n++] = '(';
    buf[n++] = '1';
    for (int i = 0; i < 99; i++)
        buf[n++] = ')';
    snprintf(buf + n, sizeof buf - (size_t)n, "\n}\n");
    scenario_free(parse(buf));
    n = snprintf(buf, sizeof buf, "program main {\n  let x = ");
    for (int i = 0; i < 101; i++)
        buf[n++] = '(';
    snprintf(buf + n, sizeof buf - (size_t)n, "1\n}\n");
    reject(buf, 2, 111, "expression nested too deeply");
    n = snprintf(buf, sizeof buf, "program main {\n  let x = ");
    for (int i = 0; i < 300; i++)
        buf[n++] = '-';
    snprintf(buf + n, sizeof buf - (size_t)n, "1\n}\n");
    reject(buf, 2, 110, "expression nested too deeply");
}

/* ------------------------------------------------------- structural errors */

static void test_block_nesting_limit_is_64(void **state)
{
    (void)state;
    /* The program block and 63 ifs: 64 blocks is the most. */
    size_t cap = 64 * 16 + 64;
    char *buf = malloc(cap), *q = buf;
    q += sprintf(q, "program main {\n");
    for (int i = 0; i < 63; i++)
        q += sprintf(q, "if 1 {\n");
    for (int i = 0; i < 64; i++)
        q += sprintf(q, "}\n");
    scenario_free(parse(buf));
    q = buf;
    q += sprintf(q, "program main {\n");
    for (int i = 0; i < 64; i++)
        q += sprintf(q, "if 1 {\n");
    reject(buf, 65, 1, "blocks nested too deeply (at most 64)");
    free(buf);
}

static void test_statements_in_the_wrong_place(void **state)
{
    (void)state;
    reject("compute 1\n", 1, 1, "'compute' must be inside a program or handler");
    reject("  repeat 3 {\n", 1, 3, "'repeat' must be inside a program or handler");
    reject("program main {\n  spawn main\n}\n", 2, 3,
           "'spawn' is not allowed inside a program; is a '}' missing? 'program main' "
           "(line 1) is still open");
    reject("handler h {\n  lock l\n}\n", 2, 3,
           "'lock' is not allowed inside a program; is a '}' missing? 'handler h' "
           "(line 1) is still open");
    reject("frobnicate 3\n", 1, 1, "unknown statement 'frobnicate'");
    reject("program main {\n  frobnicate\n}\n", 2, 3, "unknown statement 'frobnicate'");
}

static void test_braces_and_line_structure(void **state)
{
    (void)state;
    reject("program main\n{\n}\n", 1, 13,
           "expected '{' at the end of the line after 'program main', found the end of the line");
    reject("program main { compute 1\n}\n", 1, 16,
           "'{' must end the line; put the next statement on its own line");
    reject("\n\nprogram main {\n  if 1 {\n    compute 1\n", 6, 1,
           "expected '}' to close 'program main' opened at line 3");
    reject("program main {\n}\n}\n", 3, 1, "unexpected '}'");
    reject("program main {\n  compute 1 now\n}\n", 2, 13, "unexpected 'now' after the statement");
    reject("program main {\n} junk\n", 2, 3, "unexpected 'junk' after the statement");
    reject("program main {\n  if 1 {\n  } else junk\n}\n", 3, 10,
           "expected '{' at the end of the line after 'else', found 'junk'");
    reject("program main {\n  while 1 {\n  } else {\n  }\n}\n", 3, 5,
           "unexpected 'else' after the statement");
    reject("program main {\n  if {\n  }\n}\n", 2, 6,
           "expected a condition after 'if', found '{'");
}

static void test_missing_operands_say_what_was_expected(void **state)
{
    (void)state;
    reject("program main {\n  compute\n}\n", 2, 10, "expected a number of ticks after 'compute'");
    reject("program main {\n  sleep\n}\n", 2, 8, "expected a number of ticks after 'sleep'");
    reject("program main {\n  disk \"x\"\n}\n", 2, 8,
           "expected a number of ticks after 'disk', found '\"x\"'");
    reject("program main {\n  exec\n}\n", 2, 7, "expected a program name after 'exec'");
    reject("program main {\n  thread\n}\n", 2, 9, "expected a program name after 'thread'");
    reject("program main {\n  wait ->\n}\n", 2, 10,
           "expected a variable name after '->', found the end of the line");
    reject("program main {\n  wait -> a,\n}\n", 2, 13,
           "expected a variable for the status after ',', found the end of the line");
    reject("program main {\n  let = 3\n}\n", 2, 7,
           "expected a variable name after 'let', found '='");
    reject("program main {\n  let x 3\n}\n", 2, 9, "expected '=' after 'x', found '3'");
    reject("program main {\n  signal INT\n}\n", 2, 13,
           "expected default, ignore or a handler name, found the end of the line");
    reject("program main {\n  kill 2\n}\n", 2, 9,
           "expected a signal name after 'kill PID', found the end of the line");
    reject("title\n", 1, 6, "expected text in quotes after 'title', found the end of the line");
}

static void test_literal_counts_out_of_range(void **state)
{
    (void)state;
    reject("program main {\n  compute -1\n}\n", 2, 11,
           "expected a number of ticks (0 or more) after 'compute'");
    reject("program main {\n  sleep -5\n}\n", 2, 9,
           "expected a number of ticks (0 or more) after 'sleep'");
    reject("program main {\n  disk -1\n}\n", 2, 8,
           "expected a number of ticks (0 or more) after 'disk'");
    reject("program main {\n  alarm -2\n}\n", 2, 9,
           "expected a number of ticks (0 or more) after 'alarm'");
    reject("program main {\n  exit 256\n}\n", 2, 8, "exit code must be 0..255");
    reject("program main {\n  exit -1\n}\n", 2, 8, "exit code must be 0..255");
}

static void test_signal_errors(void **state)
{
    (void)state;
    reject("program main {\n  signal SIGFOO ignore\n}\n", 2, 10, "unknown signal 'SIGFOO'");
    reject("program main {\n  signal sigint ignore\n}\n", 2, 10, "unknown signal 'sigint'");
    reject("program main {\n  signal 32 ignore\n}\n", 2, 10, "unknown signal '32'");
    reject("program main {\n  signal KILL h\n}\nhandler h {\n}\n", 2, 10,
           "SIGKILL cannot be caught, blocked or ignored");
    reject("program main {\n  signal SIGSTOP default\n}\n", 2, 10,
           "SIGSTOP cannot be caught, blocked or ignored");
    reject("program main {\n  block 9\n}\n", 2, 9, "SIGKILL cannot be caught, blocked or ignored");
    reject("program main {\n  unblock STOP\n}\n", 2, 11,
           "SIGSTOP cannot be caught, blocked or ignored");
}

/* ----------------------------------------------------------------- lexing */

static void test_lexical_errors(void **state)
{
    (void)state;
    reject("title \"abc\n", 1, 7, "unterminated string: expected '\"' before the end of the line");
    reject("title \"ab\\q\"\n", 1, 10, "unknown escape in a string; use \\\", \\', \\\\, \\n, \\r, \\t or \\xNN");
    reject("program main {\n  compute 1 $\n}\n", 2, 13, "unexpected character '$'");
    reject("program main {\n  compute 1\x01\n}\n", 2, 12,
           "unexpected byte \\x01 (procsim reads UTF-8 text; other characters belong "
           "in strings or comments)");
    reject("program main {\n  compute 9223372036854775808\n}\n", 2, 11, "number too large");
}

static void test_lexer_tracks_lines_columns_and_glue(void **state)
{
    (void)state;
    const char src[] = "config tick=10ms\n\tx -> \"a\\\"b\" # c\n-42";
    struct lexer lx;
    lex_init(&lx, src, sizeof src - 1);
    static const struct { enum tok k; int line, col; bool glued; } want[] = {
        { T_IDENT, 1, 1, true }, { T_IDENT, 1, 8, false }, { T_ASSIGN, 1, 12, true },
        { T_NUM, 1, 13, true }, { T_IDENT, 1, 15, true }, { T_NEWLINE, 1, 17, true },
        { T_IDENT, 2, 2, false }, { T_ARROW, 2, 4, false }, { T_STR, 2, 7, false },
        { T_NEWLINE, 2, 17, false }, { T_MINUS, 3, 1, true }, { T_NUM, 3, 2, true },
        { T_EOF, 3, 4, true },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct token t = lex_next(&lx);
        assert_int_equal(t.kind, want[i].k);
        assert_int_equal(t.line, want[i].line);
        assert_int_equal(t.col, want[i].col);
        assert_int_equal(t.glued, want[i].glued);
        if (t.kind == T_STR) {
            char buf[16];
            assert_int_equal(lex_unescape(&t, buf), 3);
            assert_string_equal(buf, "a\"b");
        }
        if (i == 3)
            assert_int_equal(t.num, 10);
    }
}

/* ------------------------------------------------------------ config_set */

static void test_config_set_accepts_every_key(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    static const char *const good[][2] = {
        { "cpus", "64" }, { "policy", "fifo" }, { "preempt", "off" }, { "slice", "1" },
        { "latency", "1000000" }, { "min_granularity", "3" }, { "wakeup_granularity", "7" },
        { "gil", "on" }, { "switch_interval", "9" }, { "max_procs", "2" },
        { "pid_max", "4194304" }, { "ticks", "10000000000" }, { "seed", "0" },
        { "tick", "1000000us" }, { "eintr", "retry" },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (config_set(&c, good[i][0], good[i][1]))
            fail_msg("%s=%s rejected: %s", good[i][0], good[i][1],
                     config_set(&c, good[i][0], good[i][1]));
    assert_int_equal(c.cpus, 64);
    assert_int_equal(c.policy, POLICY_FIFO);
    assert_false(c.preempt);
    assert_int_equal(c.slice, 1);
    assert_int_equal(c.latency, 1000000);
    assert_int_equal(c.min_granularity, 3);
    assert_int_equal(c.wakeup_granularity, 7);
    assert_true(c.gil);
    assert_int_equal(c.switch_interval, 9);
    assert_int_equal(c.max_procs, 2);
    assert_int_equal(c.pid_max, 4194304);
    assert_int_equal(c.ticks, 10000000000LL);
    assert_int_equal(c.seed, 0);
    assert_int_equal(c.tick_count, 1000000);
    assert_int_equal(c.tick_unit, TICK_US);
    assert_true(c.eintr_retry);
    assert_null(config_set(&c, "eintr", "return"));
    assert_false(c.eintr_retry);
    assert_null(config_set(&c, "policy", "rr"));
    assert_int_equal(c.policy, POLICY_RR);
    assert_null(config_set(&c, "policy", "cfs"));
    assert_int_equal(c.policy, POLICY_CFS);
    assert_null(config_set(&c, "tick", "ms"));
    assert_int_equal(c.tick_count, 1);
    assert_int_equal(c.tick_unit, TICK_MS);
    assert_null(config_set(&c, "tick", "2s"));
    assert_int_equal(c.tick_unit, TICK_S);
    assert_null(config_set(&c, "seed", "9223372036854775807"));
    assert_int_equal(c.seed, INT64_MAX);
}

/* fork_cost and the others: ticks, or a duration rounded up to whole ticks
 * of `tick` (at least 1) whenever it is set, before or after. */
static void test_config_costs_are_ticks_or_durations(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    for (int k = 0; k < COST_COUNT; k++)
        assert_int_equal(config_cost_ticks(&c, k), 1);   /* the contract's 1 tick */
    assert_null(config_set(&c, "fork_cost", "5"));
    assert_int_equal(config_cost_ticks(&c, COST_FORK), 5);
    assert_null(config_set(&c, "exec_cost", "250us"));
    assert_int_equal(config_cost_ticks(&c, COST_EXEC), 1);
    assert_null(config_set(&c, "tick", "10us"));
    assert_int_equal(config_cost_ticks(&c, COST_EXEC), 25);
    assert_null(config_set(&c, "exec_cost", "251us"));
    assert_int_equal(config_cost_ticks(&c, COST_EXEC), 26);     /* rounded up */
    assert_null(config_set(&c, "thread_cost", "1ns"));
    assert_int_equal(config_cost_ticks(&c, COST_THREAD), 1);    /* at least 1 */
    assert_null(config_set(&c, "exit_cost", "2ms"));
    assert_int_equal(config_cost_ticks(&c, COST_EXIT), 200);
    assert_null(config_set(&c, "exit_cost", "1s"));
    assert_int_equal(config_cost_ticks(&c, COST_EXIT), 100000);
    assert_int_equal(config_cost_ticks(&c, COST_FORK), 5);      /* ticks stay ticks */
    assert_null(config_set(&c, "fork_cost", "1000000"));
    assert_int_equal(config_cost_ticks(&c, COST_FORK), 1000000);
    static const char *const bad[] = { "0", "-1", "1000001", "5 ms", "5min", "us",
                                       "1.5ms", "", "86401s", "x" };
    struct config before = c;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *msg = config_set(&c, "fork_cost", bad[i]);
        if (!msg || strcmp(msg, "fork_cost must be a number of ticks from 1 to 1000000, "
                           "or a duration: a whole number and ns, us, ms or s, at most "
                           "a day (80us, 2ms)"))
            fail_msg("fork_cost=%s: got \"%s\"", bad[i], msg ? msg : "(accepted)");
    }
    assert_memory_equal(&c, &before, sizeof c);
    assert_non_null(config_set(&c, "thread_cost", "0us"));
    assert_non_null(config_set(&c, "exit_cost", "2h"));
}

/* python=on sets CPython's keys; keys after it override them; durations
 * for switch_interval become ticks of `tick`, whenever tick is set. */
static void test_config_python_mode(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.stmt_cost_ns, 0);
    assert_int_equal(c.first_pid, 2);
    assert_false(c.python);
    assert_null(config_set(&c, "python", "on"));
    assert_true(c.python);
    assert_int_equal(c.stmt_cost_ns, 26);
    assert_true(c.gil);
    assert_true(c.sigpipe_ignore);
    assert_true(c.eintr_retry);
    assert_int_equal(config_switch_interval(&c), 5);        /* 5ms at tick=1ms */
    assert_int_equal(c.tick_count, 1);
    assert_int_equal(c.tick_unit, TICK_MS);
    assert_null(config_set(&c, "tick", "100us"));
    assert_int_equal(config_switch_interval(&c), 50);
    assert_null(config_set(&c, "tick", "10ms"));
    assert_int_equal(config_switch_interval(&c), 1);       /* rounded, at least 1 */
    assert_null(config_set(&c, "switch_interval", "3"));
    assert_int_equal(config_switch_interval(&c), 3);       /* ticks again */
    assert_null(config_set(&c, "stmt_cost", "0"));
    assert_int_equal(c.stmt_cost_ns, 0);
    assert_null(config_set(&c, "stmt_cost", "2us"));
    assert_int_equal(c.stmt_cost_ns, 2000);
    assert_null(config_set(&c, "gil", "off"));
    assert_false(c.gil);
    assert_true(c.python);
    assert_null(config_set(&c, "first_pid", "1000"));
    assert_int_equal(c.first_pid, 1000);
}

static void test_config_set_rejects_bad_values_with_fixed_messages(void **state)
{
    (void)state;
    struct config c, before;
    config_defaults(&c);
    before = c;
    static const char *const bad[][3] = {
        { "cpus", "0", "cpus must be a number from 1 to 64" },
        { "cpus", "two", "cpus must be a number from 1 to 64" },
        { "cpus", "", "cpus must be a number from 1 to 64" },
        { "policy", "CFS", "policy must be cfs, rr or fifo" },
        { "preempt", "yes", "preempt must be on or off" },
        { "slice", "0", "slice must be a number from 1 to 1000000" },
        { "latency", "1000001", "latency must be a number from 1 to 1000000" },
        { "min_granularity", "-1", "min_granularity must be a number from 1 to 1000000" },
        { "wakeup_granularity", "x", "wakeup_granularity must be a number from 1 to 1000000" },
        { "gil", "maybe", "gil must be on or off" },
        { "eintr", "restart", "eintr must be return (C: a handler ends sleep and wait early) "
                              "or retry (Python 3.5+, PEP 475: they go on after it)" },
        { "switch_interval", "0", "switch_interval must be a number of ticks from 1 to "
                                  "1000000, or a duration: a whole number and ns, us, ms "
                                  "or s (5ms)" },
        { "stmt_cost", "26", "stmt_cost must be 0 (off) or a duration: a whole number and "
                             "ns, us, ms or s, at most a day (26ns)" },
        { "python", "yes", "python must be on or off" },
        { "first_pid", "1", "first_pid must be a number from 2 to 4194303" },
        { "max_procs", "1", "max_procs must be a number from 2 to 4194304" },
        { "pid_max", "4194305", "pid_max must be a number from 3 to 4194304" },
        { "ticks", "0", "ticks must be a number from 1 to 10000000000" },
        { "ticks", "10000000001", "ticks must be a number from 1 to 10000000000" },
        { "seed", "-1", "seed must be a number from 0 to 9223372036854775807" },
        { "seed", "9223372036854775808", "seed must be a number from 0 to 9223372036854775807" },
        { "tick", "0ms", "tick must be a unit us, ms or s, with an optional count first "
                         "(1ms, 10us)" },
        { "tick", "1000001us", "tick must be a unit us, ms or s, with an optional count "
                               "first (1ms, 10us)" },
        { "tick", "5min", "tick must be a unit us, ms or s, with an optional count first "
                          "(1ms, 10us)" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *msg = config_set(&c, bad[i][0], bad[i][1]);
        if (!msg || strcmp(msg, bad[i][2]))
            fail_msg("%s=%s: got \"%s\"", bad[i][0], bad[i][1], msg ? msg : "(accepted)");
    }
    assert_memory_equal(&c, &before, sizeof c);
    const char *msg = config_set(&c, "foo", "1");
    assert_non_null(msg);
    assert_string_equal(msg, "unknown config key; keys are: cpus, policy, preempt, slice, "
                             "latency, min_granularity, wakeup_granularity, gil, "
                             "switch_interval, max_procs, pid_max, ticks, seed, tick, eintr, "
                             "pipe_size, sigpipe, fork_cost, exec_cost, thread_cost, "
                             "exit_cost, nofile, net_latency, tcp_sndbuf, tcp_rcvbuf, "
                             "udp_sndbuf, udp_rcvbuf, somaxconn, udp_loss, scan_cost, "
                             "ready_cost, stmt_cost, shared_cost, python, first_pid");
}

/* --------------------------------------------------------------- signals */

static void test_signal_names_numbers_and_short_forms(void **state)
{
    (void)state;
    assert_int_equal(signal_from_name("SIGINT", 6), SIG_INT);
    assert_int_equal(signal_from_name("INT", 3), SIG_INT);
    assert_int_equal(signal_from_name("2", 1), SIG_INT);
    assert_int_equal(signal_from_name("SIGTSTP", 7), SIG_TSTP);
    assert_int_equal(signal_from_name("CHLD", 4), SIG_CHLD);
    assert_int_equal(signal_from_name("31", 2), 31);
    assert_int_equal(signal_from_name("1", 1), SIG_HUP);
    /* Names are case-sensitive upper case; numbers are 1..31. */
    assert_int_equal(signal_from_name("sigint", 6), 0);
    assert_int_equal(signal_from_name("Int", 3), 0);
    assert_int_equal(signal_from_name("0", 1), 0);
    assert_int_equal(signal_from_name("32", 2), 0);
    assert_int_equal(signal_from_name("002", 3), SIG_INT);
    assert_int_equal(signal_from_name("SIG", 3), 0);
    assert_int_equal(signal_from_name("", 0), 0);
    assert_int_equal(signal_from_name("SIGINTX", 6), SIG_INT);   /* only len bytes */
    static const char *const contract[] = { "SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL",
        "SIGUSR1", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP" };
    static const int nums[] = { 1, 2, 3, 9, 10, 12, 13, 14, 15, 17, 18, 19, 20 };
    for (int i = 0; i < 13; i++) {
        assert_int_equal(signal_from_name(contract[i], strlen(contract[i])), nums[i]);
        assert_string_equal(signal_name(nums[i]), contract[i]);
    }
    assert_null(signal_name(0));
    assert_null(signal_name(32));
    assert_null(signal_name(-1));
}

/* ----------------------------------------------------------- robustness */

/* Every prefix and every single-byte change of a scenario that uses most of
 * the language is either accepted or rejected with a place and a message. */
static void test_truncated_and_mutated_inputs_never_crash(void **state)
{
    (void)state;
    static const char src[] =
        "title \"t\"\nconfig cpus=2 tick=1ms\nshared n = 0\nlock l\n"
        "program main {\n  fork kid -> k\n  repeat 2 {\n    if k == 0 {\n      n += 1\n"
        "    } else if k > 0 {\n      l.acquire\n    } else {\n      exit 1\n    }\n  }\n"
        "  waitpid -1 nohang -> p, st\n  print \"p\" p st\n}\n"
        "program kid {\n  signal INT h\n  sleep 3 -> left\n}\nhandler h {\n  exit 2\n}\n"
        "spawn main fg\nat 2 kill 2 INT\nexpect end pid 2 exit 0\n";
    static const char subst[] = { '\0', '{', '}', '\n', '"', '-', '(', 'x', '#', '\\' };
    char buf[sizeof src];
    int accepted = 0;
    for (size_t len = 0; len < sizeof src; len++) {
        struct diag d;
        struct scenario *s = scenario_parse("t.scn", src, len, &d);
        if (s) {
            accepted++;
            scenario_free(s);
        } else {
            assert_true(d.line >= 1);
            assert_true(d.msg[0] != '\0');
        }
    }
    assert_true(accepted > 0);
    for (size_t i = 0; i + 1 < sizeof src; i++)
        for (size_t k = 0; k < sizeof subst; k++) {
            memcpy(buf, src, sizeof src);
            buf[i] = subst[k];
            struct diag d;
            struct scenario *s = scenario_parse("t.scn", buf, sizeof src - 1, &d);
            if (s)
                scenario_free(s);
            else
                assert_true(d.line >= 1 && d.msg[0] != '\0');
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_file_gives_contract_defaults),
        cmocka_unit_test(test_title_and_describe_lines_are_unescaped),
        cmocka_unit_test(test_second_title_is_an_error),
        cmocka_unit_test(test_utf8_is_allowed_in_strings_and_comments),
        cmocka_unit_test(test_crlf_line_endings_are_accepted),
        cmocka_unit_test(test_nul_byte_is_rejected_with_its_position),
        cmocka_unit_test(test_source_is_a_private_copy),
        cmocka_unit_test(test_buffer_needs_no_nul_terminator),
        cmocka_unit_test(test_compute_sleep_disk_compile_to_timed_opcodes),
        cmocka_unit_test(test_fork_forms_set_program_and_result),
        cmocka_unit_test(test_exec_and_exit_compile),
        cmocka_unit_test(test_wait_and_waitpid_results_and_nohang),
        cmocka_unit_test(test_nice_yield_and_print_compile),
        cmocka_unit_test(test_print_expressions_stop_at_the_next_string),
        cmocka_unit_test(test_assignments_compile_to_set),
        cmocka_unit_test(test_local_marks_the_variable_thread_local),
        cmocka_unit_test(test_if_else_compiles_to_jumps),
        cmocka_unit_test(test_if_without_else_jumps_past_its_body),
        cmocka_unit_test(test_else_if_chain_jumps_to_the_end),
        cmocka_unit_test(test_while_compiles_to_a_loop),
        cmocka_unit_test(test_repeat_compiles_to_counter_loop),
        cmocka_unit_test(test_signal_statements_compile),
        cmocka_unit_test(test_thread_and_join_compile),
        cmocka_unit_test(test_shared_values_and_object_methods_compile),
        cmocka_unit_test(test_every_program_and_handler_ends_with_op_end),
        cmocka_unit_test(test_forward_references_resolve),
        cmocka_unit_test(test_variables_are_numbered_across_the_file),
        cmocka_unit_test(test_variable_assigned_in_another_program_counts),
        cmocka_unit_test(test_unknown_variable_is_reported_at_its_first_read),
        cmocka_unit_test(test_duplicate_names_share_one_namespace),
        cmocka_unit_test(test_unknown_program_lists_programs),
        cmocka_unit_test(test_unknown_handler_lists_handlers),
        cmocka_unit_test(test_object_names_are_not_variables),
        cmocka_unit_test(test_wrong_method_lists_the_methods),
        cmocka_unit_test(test_config_line_sets_several_keys),
        cmocka_unit_test(test_config_errors_point_at_key_or_value),
        cmocka_unit_test(test_spawn_options),
        cmocka_unit_test(test_spawn_errors),
        cmocka_unit_test(test_outside_events_are_sorted_stably_by_tick),
        cmocka_unit_test(test_outside_event_errors),
        cmocka_unit_test(test_expect_forms),
        cmocka_unit_test(test_expect_errors),
        cmocka_unit_test(test_object_declarations),
        cmocka_unit_test(test_queue_and_pipe_operations_are_checked_before_the_gate),
        cmocka_unit_test(test_support_gate_names_the_first_unsupported_object),
        cmocka_unit_test(test_expression_precedence),
        cmocka_unit_test(test_every_comparison_operator),
        cmocka_unit_test(test_expression_builtins),
        cmocka_unit_test(test_expression_stops_at_a_token_that_cannot_continue_it),
        cmocka_unit_test(test_expression_errors),
        cmocka_unit_test(test_expression_nesting_limit),
        cmocka_unit_test(test_block_nesting_limit_is_64),
        cmocka_unit_test(test_statements_in_the_wrong_place),
        cmocka_unit_test(test_braces_and_line_structure),
        cmocka_unit_test(test_missing_operands_say_what_was_expected),
        cmocka_unit_test(test_literal_counts_out_of_range),
        cmocka_unit_test(test_signal_errors),
        cmocka_unit_test(test_lexical_errors),
        cmocka_unit_test(test_lexer_tracks_lines_columns_and_glue),
        cmocka_unit_test(test_config_set_accepts_every_key),
        cmocka_unit_test(test_config_python_mode),
        cmocka_unit_test(test_config_costs_are_ticks_or_durations),
        cmocka_unit_test(test_config_set_rejects_bad_values_with_fixed_messages),
        cmocka_unit_test(test_signal_names_numbers_and_short_forms),
        cmocka_unit_test(test_truncated_and_mutated_inputs_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
