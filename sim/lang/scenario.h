/*
 * scenario.h - a loaded scenario: configuration, programs compiled to flat
 * instruction lists, spawns, outside events and expectations.
 *
 * The parser (parse.c) builds one of these from a buffer; the kernel
 * (machine.c, exec.c) only reads it. Everything the kernel needs to know
 * about a name (which program, which variable, which object) has been
 * resolved to an index at load time, so the kernel never compares strings.
 *
 * Memory: a scenario owns everything it points to; scenario_free() releases
 * it all. Nothing here is modified after scenario_parse() returns.
 */
#ifndef PROCSIM_SCENARIO_H
#define PROCSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* ------------------------------------------------------------------------
 * Source positions
 * --------------------------------------------------------------------- */

struct srcpos {
    int line;                  /* 1-based line in the scenario file */
    int col;                   /* 1-based column (bytes) */
};

/* ------------------------------------------------------------------------
 * Expressions (trees; evaluated by expr.c)
 * --------------------------------------------------------------------- */

enum expr_kind {
    EX_NUM,                    /* num */
    EX_VAR,                    /* variable index `var` (see scenario.vars) */
    EX_SHARED,                 /* shared value index `obj` (issue 5) */
    EX_NEG, EX_NOT,            /* unary: a */
    EX_ADD, EX_SUB, EX_MUL, EX_DIV, EX_MOD,            /* binary: a, b */
    EX_EQ, EX_NE, EX_LT, EX_LE, EX_GT, EX_GE,          /* binary: a, b */
    EX_AND, EX_OR,             /* short-circuit: a, b */
    EX_GETPID, EX_GETPPID, EX_GETTID, EX_NOW,          /* built-ins, no args */
    EX_RAND,                   /* rand(a, b), inclusive */
    /* job control (docs §5 "Jobs"): no args, then one arg `a` */
    EX_GETPGRP, EX_TCGETPGRP,
    EX_GETPGID,                /* getpgid(a): a's group, 0 = own */
    EX_GETSID,                 /* getsid(a): a's session, 0 = own */
    EX_WIFEXITED, EX_WEXITSTATUS, EX_WIFSIGNALED, EX_WTERMSIG,
    EX_WIFSTOPPED, EX_WSTOPSIG, EX_WIFCONTINUED,  /* over a wait status a */
    /* values (issue 11) */
    EX_STR,                    /* a string literal: str, num = its length */
    EX_NONE, EX_TRUE, EX_FALSE,
    EX_TUPLE, EX_LIST,         /* items[0..nitems) */
    EX_INDEX,                  /* a[b] */
    EX_LEN, EX_STRFN, EX_REPR, EX_INTFN,   /* len(a), str(a), repr(a), int(a) */
    EX_QEMPTY, EX_QFULL, EX_QSIZE,         /* queue obj: empty() full() qsize() */
    /* the Process object and arrays (issue 11; sim/objects/procobj.c) */
    EX_IS_ALIVE, EX_EXITCODE,  /* is_alive(a), exitcode(a): a thread or child */
    EX_ARRAY_GET,              /* array obj's item a */
    EX_ARRAY_LEN,              /* len(obj), obj an array */
    EX_POLL,                   /* END.poll(): obj = a pipe end's object, or
                                  -1 and a = the fd (a variable) */
    /* pools and executors (issue 12; sim/objects/pool.c) */
    EX_HANDLE_Q,               /* r.ready(), fu.done() ...: a = the handle
                                  (a variable), num = HQ_* */
    /* issue 13 (sim/mux): masks of select/poll/epoll */
    EX_BITOR, EX_BITAND,       /* a | b, a & b: integers */
    EX_IN,                     /* a in b: b a list, tuple or string */
    /* issue 14 (Python), reserved so the helpers' branches merge */
    EX_FN,                     /* exec: fn(NAME), a V_FUNC of program `var` */
    EX_REF,                    /* objs: num = ROP_*: ROP_REF ref(NAME), a
                                  V_OBJ of object `obj`; else a query of
                                  the object a evaluates to (a.value ...) */
    EX_EXC_NAME,               /* exec: exc_name(), the class name of the
                                  exception the last `except` took
                                  (type(e).__name__), None if none */
    /* issue 14, values (sim/kernel/expr.c) */
    EX_FLOAT,                  /* a float literal: num holds the double's bits */
    EX_BYTES,                  /* b"...": str, num = its length */
    EX_DICT,                   /* {k: v, ...}: items = k0, v0, k1, v1 ... */
    EX_FLOORDIV, EX_POW, EX_XOR, EX_SHL, EX_SHR,   /* binary: a, b */
    EX_INVERT,                 /* ~a */
    EX_NOT_IN, EX_IS, EX_IS_NOT,                    /* binary: a, b */
    EX_SLICE,                  /* a[lo:hi:step]: items[0..3), NULL = absent */
    EX_ATTR,                   /* a.NAME: str = NAME */
    EX_METHOD,                 /* a.NAME(items...): str = NAME */
    EX_BUILTIN,                /* NAME(items...): num = enum vbuiltin */
};

/* What an EX_REF asks (sim/objects/objref.c). */
enum { ROP_REF, ROP_VALUE, ROP_QSIZE, ROP_EMPTY, ROP_FULL, ROP_IS_SET, ROP_LOCKED };

/* What EX_HANDLE_Q asks of an AsyncResult or a Future. */
enum { HQ_READY, HQ_SUCCESSFUL, HQ_DONE, HQ_RUNNING, HQ_CANCELLED };

struct expr {
    enum expr_kind kind;
    int64_t num;               /* EX_NUM: the value */
    int var;                   /* EX_VAR: variable index */
    int obj;                   /* EX_SHARED: object index */
    struct expr *a, *b;        /* operands, NULL when unused */
    const char *str;           /* EX_STR: the text (unescaped, num bytes) */
    struct expr **items;       /* EX_TUPLE, EX_LIST */
    int nitems;
    struct srcpos pos;         /* where it starts, for runtime errors */
};

/* ------------------------------------------------------------------------
 * Signals (numbers are Linux x86 numbers; issue 4 gives them behaviour)
 * --------------------------------------------------------------------- */

enum {
    SIG_HUP = 1, SIG_INT = 2, SIG_QUIT = 3, SIG_KILL = 9, SIG_USR1 = 10,
    SIG_USR2 = 12, SIG_PIPE = 13, SIG_ALRM = 14, SIG_TERM = 15,
    SIG_CHLD = 17, SIG_CONT = 18, SIG_STOP = 19, SIG_TSTP = 20,
    SIG_TTIN = 21, SIG_TTOU = 22,
    NSIG_MAX = 32              /* signal numbers are 1..31 */
};

/* A wait status as a program sees it (wait's STATUSVAR): the exit code
 * 0..255, or -SIG after a death by a signal (Python's Process.exitcode);
 * for a stop and a continue (waitpid untraced / continued), Linux's own
 * raw status, which is never in -31..255. The built-ins wifexited() ...
 * wifcontinued() read all four. */
#define WSTATUS_STOPPED(sig) (((sig) << 8) | 0x7f)
#define WSTATUS_CONTINUED 0xffff

/* ------------------------------------------------------------------------
 * Exceptions (issue 11): the Python exceptions a failing operation raises.
 * A name catches its subclasses (exc_parent); EXC_EXCEPTION catches all.
 * --------------------------------------------------------------------- */

enum exc {
    EXC_EXCEPTION, EXC_EMPTY, EXC_FULL, EXC_EOF, EXC_OS, EXC_BROKEN_PIPE,
    EXC_TIMEOUT, EXC_TYPE, EXC_INDEX, EXC_VALUE, EXC_ASSERTION, EXC_MEMORY,
    EXC_UNPICKLING, EXC_RUNTIME,
    EXC_CANCELLED,             /* concurrent.futures.CancelledError */
    EXC_POOL_TIMEOUT,          /* multiprocessing.TimeoutError (not the
                                  builtin TimeoutError; scenario spelling
                                  PoolTimeoutError) */
    EXC_STOP_ITERATION,        /* StopIteration: an imap's items are done */
    /* sockets (issue 13): OSError's subclasses, as Python maps errno */
    EXC_BLOCKING_IO,           /* BlockingIOError: EAGAIN, EINPROGRESS */
    EXC_CONNECTION,            /* ConnectionError (BrokenPipeError's parent) */
    EXC_CONN_REFUSED,          /* ConnectionRefusedError: ECONNREFUSED */
    EXC_CONN_RESET,            /* ConnectionResetError: ECONNRESET */
    EXC_CONN_ABORTED,          /* ConnectionAbortedError: ECONNABORTED */
    EXC_FILE_NOT_FOUND,        /* FileNotFoundError: ENOENT (a Unix path) */
    EXC_INTERRUPTED,           /* InterruptedError: EINTR */
    EXC_KEY,                   /* KeyError: a selector's unknown fd */
    EXC_FILE_EXISTS,           /* FileExistsError: EEXIST (epoll register twice) */
    /* issue 14 (Python) */
    EXC_ZERO_DIV,              /* ZeroDivisionError (Python mode raises it) */
    EXC_ATTRIBUTE,             /* AttributeError */
    EXC_NAME,                  /* NameError */
    EXC_RECURSION,             /* RecursionError (a RuntimeError) */
    EXC_SYSTEM_EXIT,           /* SystemExit: sys.exit() (not an Exception) */
    EXC_KEYBOARD_INTERRUPT,    /* KeyboardInterrupt: SIGINT in Python mode */
    EXC_NOT_IMPLEMENTED,       /* NotImplementedError (a RuntimeError) */
    EXC_ARITHMETIC,            /* ArithmeticError (ZeroDivisionError's parent) */
    EXC_LOOKUP,                /* LookupError (IndexError's, KeyError's) */
    EXC_BASE,                  /* BaseException: catches everything */
    EXC_CHILD_PROCESS,         /* ChildProcessError: ECHILD (os.wait) */
    EXC_PROCESS_LOOKUP,        /* ProcessLookupError: ESRCH (os.kill) */
    EXC_COUNT
};

/* The name a scenario writes ("Empty"), the name Python prints
 * ("_queue.Empty"), and the parent class. */
const char *exc_name(int exc);
const char *exc_qualname(int exc);
int exc_parent(int exc);
/* EXC_* for a name, or -1. */
int exc_from_name(const char *name, size_t len);
/* Does an exception of kind `raised` match a clause for `clause`? */
bool exc_matches(int raised, int clause);

/* ------------------------------------------------------------------------
 * Instructions
 *
 * Blocks (if/else, while, repeat) are compiled away into jumps, so a task's
 * position in its program is just an instruction index. `repeat E { B }`
 * becomes
 *     SET  r = E            (r: a hidden thread-local variable)
 *  L: JIF  (r > 0) -> end
 *     SET  r = r - 1
 *     B
 *     JUMP L
 *  end:
 * Every program ends with OP_END (implicit `exit 0`; for a thread program,
 * the end of the thread).
 * --------------------------------------------------------------------- */

enum opcode {
    /* untimed (0 ticks) */
    OP_SET,          /* var = e1                                            */
    OP_JUMP,         /* goto target                                         */
    OP_JIF,          /* if !e1 goto target                                  */
    /* timed: section 3 of the contract */
    OP_COMPUTE,      /* e1 = ticks                                          */
    OP_SLEEP,        /* e1 = ticks; var = where the ticks left go, or -1    */
    OP_DISK,         /* e1 = ticks                                          */
    OP_FORK,         /* prog = program for the child, or -1 (plain fork);
                        var = result variable or -1; flags & INSN_DAEMON
                        (fork PROG daemon: a daemon Process)               */
    OP_EXEC,         /* prog                                                */
    OP_EXIT,         /* e1 = code, or NULL for 0; flags & INSN_QUICK        */
    OP_WAIT,         /* var = pid result or -1; var2 = status or -1         */
    OP_WAITPID,      /* e1 = pid; flags & INSN_NOHANG, INSN_UNTRACED,
                        INSN_CONTINUED; var, var2 as wait                   */
    OP_NICE,         /* e1 = increment                                      */
    OP_YIELD,
    OP_PRINT,        /* args[0..nargs-1]; issue 14: e1 = sep=, e2 = end=, or
                        NULL; argv[0] = flush= when argc is 1              */
    OP_END,          /* end of the program: exit 0 (or end of thread)       */
    /* signals (issue 4) */
    OP_SIGNAL,       /* sig; disp = SIGDISP_*; handler = handler index      */
    OP_KILL,         /* e1 = pid; sig                                       */
    OP_ALARM,        /* e1 = ticks                                          */
    OP_PAUSE,
    OP_BLOCK,        /* sig                                                 */
    OP_UNBLOCK,      /* sig                                                 */
    OP_SUBREAPER,
    /* threads (issue 5) */
    OP_THREAD,       /* prog; flags & INSN_DAEMON; var = tid result or -1   */
    OP_JOIN,         /* e1 = tid or child pid; timeout = ticks or -1;
                        var = the thread's result / the child's exit code  */
    /* shared objects (issue 5) */
    OP_SHARED_SET,   /* obj = shared value; e1; aop = AOP_SET/ADD/SUB       */
    OP_OBJ,          /* obj; method = METHOD_*; e1 = argument (put/send);
                        var = result (get/recv) or -1;
                        flags & INSN_NOWAIT; timeout = ticks or -1          */
    /* job control */
    OP_SETPGID,      /* e1 = pid, e2 = pgid; var = 0 or -errno, or -1       */
    OP_TCSETPGRP,    /* e1 = pgid; var = 0 or -errno, or -1                 */
    OP_SETSID,       /* var = the new session id, or -errno, or -1          */
    /* exceptions and results (issue 11), all untimed */
    OP_TRY,          /* push a handler: target = its first OP_EXCEPT        */
    OP_TRY_END,      /* pop it: the try block ended without an exception    */
    OP_EXCEPT,       /* exc = EXC_* to match (EXC_EXCEPTION: any); var =
                        `as` variable or -1; target = next clause          */
    OP_RERAISE,      /* no clause matched: raise the exception again        */
    OP_RAISE,        /* exc; args[0].str = message or none (nargs 0); issue
                        14: args[0].e = a message made at run time; exc -1:
                        a bare `raise` (the exception being handled)       */
    OP_RETURN,       /* e1 = the result or NULL; then as OP_END             */
    OP_UNPACK,       /* vars[0..nvars) = the items of e1 (untimed)          */
    /* the Process object and arrays (issue 11) */
    OP_TERMINATE,    /* e1 = pid: SIGTERM to that child                     */
    OP_ARRAY_SET,    /* obj = array; e2 = index; e1 = value; aop            */
    /* pipes and file descriptors (issue 11) */
    OP_PIPE,         /* `pipe -> A, B`: var = A, var2 = B (their fds);
                        flags & INSN_SIMPLEX                                */
    OP_FD,           /* FD.send/recv/close on a variable holding an fd:
                        e2 = the fd; method; e1 = message; var = result     */
    /* pools and executors (issue 12; sim/objects/pool.c) */
    OP_POOL,         /* method = PM_*; obj = the pool's name (scenario.pools);
                        prog + argv/argc = the task's function and
                        arguments; e1 = workers (PM_NEW) or the items
                        (maps); e2 = the handle variable (handle methods),
                        maxtasksperchild (PM_NEW) or chunksize (maps);
                        cb, ecb = callback programs, -1; var = result;
                        timeout; flags INSN_NOWAIT (shutdown wait=False),
                        INSN_CANCEL_FUTURES                                */
    /* function calls (issue 12) */
    OP_CALL,         /* `call PROG(args) -> VAR`: prog, argv/argc; var =
                        where its result goes, or -1 (untimed)              */
    /* threading.Timer (issue 12) */
    OP_TIMER,        /* timer e1 PROG(argv) -> var: prog; flags &
                        INSN_DAEMON; target = the
                        thread's hidden program; var2 = its hidden local
                        variable for the interval                          */
    OP_TIMER_WAIT,   /* a timer thread's wait (its hidden program's first
                        instruction): var2 = the interval's variable; then
                        it becomes prog, or ends if cancelled              */
    OP_CANCEL,       /* cancel e1: the timer thread with that tid          */
    /* issue 13: each subject's statements, its own methods (below) */
    OP_SOCK,         /* sockets (sim/net): method = SOCKM_*                 */
    OP_MUX,          /* select, poll, epoll (sim/mux): method = MUXM_*      */
    OP_GREEN,        /* greenlets (sim/coro): method = GREENM_*             */
    /* issue 14 (Python): reserved here so the helpers' branches merge;
     * each owner documents its fields */
    OP_SETITEM,      /* values: X[K] = E (and augmented forms): e1 = X, e2 =
                        K, argv[0] = E; method = 0 for `=`, else 1 + the
                        operator (enum varith: += is 1 + VA_ADD)            */
    OP_SETATTR,      /* values: X.attr = E: e1 = X, args[0].str = attr,
                        argv[0] = E; method as OP_SETITEM                   */
    OP_DELITEM,      /* values: del X[K]: e1 = X, e2 = K                    */
    OP_EVAL,         /* values: `eval E`, an expression for its effect: e1  */
    OP_CALL_DYN,     /* exec: `call @F ARGS -> V`, `fork @F ARGS -> V`,
                        `thread @F ARGS -> V`: e1 = F (a V_FUNC), e2 = ARGS
                        (a tuple or list); var; method = OP_CALL, OP_FORK
                        or OP_THREAD; flags & INSN_DAEMON                   */
    OP_FOR_RANGE,    /* exec: `for V in range(A, B, C)`: flags 1: the setup
                        (argv[0..2] = A, B, C into vars[0..2] = the hidden
                        counter, stop, step); flags 2: `for X in E`'s
                        start, var = E (a dict: a list of its keys); else
                        one turn: var = V, target = the loop's end         */
    OP_INVOKE,       /* objs: `invoke E.NAME(ARGS) -> V`                    */
    OP_NEWOBJ,       /* objs: `new KIND ... -> V`                           */
};

enum { INSN_NOHANG = 1, INSN_DAEMON = 2, INSN_NOWAIT = 4,
       INSN_UNTRACED = 8, INSN_CONTINUED = 16, INSN_SIMPLEX = 32,
       INSN_CANCEL_FUTURES = 64,
       INSN_AWAIT = 128, /* `await S.recv ...`: asyncio's loop.sock_* (sim/coro) */
       INSN_QUICK = 256, /* `_exit CODE` (os._exit): stdout's partial line is
                           lost (issue 14) */
       INSN_STDERR = 512 /* `print ... file=stderr` (issue 14) */ };

/* OP_POOL's methods: what the statement does. */
enum pool_method {
    PM_NEW,                    /* pool/threadpool/processpool NAME [N] */
    PM_APPLY, PM_APPLY_ASYNC, PM_MAP, PM_MAP_ASYNC, PM_STARMAP,
    PM_STARMAP_ASYNC, PM_CLOSE, PM_JOIN, PM_TERMINATE,      /* Pool */
    PM_SUBMIT, PM_EXMAP, PM_SHUTDOWN,                        /* executors */
    /* on a handle (AsyncResult / Future) */
    PM_GET, PM_WAIT, PM_RESULT, PM_EXCEPTION, PM_CANCEL, PM_ADD_DONE_CB,
    PM_IMAP, PM_IMAP_UNORDERED,                              /* Pool */
    PM_NEXT,                   /* it.next: an IMapIterator's next item */
    /* the hidden programs' steps (workers, result handler threads) */
    PM_W_TAKE, PM_W_DONE, PM_W_FAIL, PM_H_TAKE, PM_H_CB_DONE,
    PM_COUNT
};

/* OP_SOCK's methods (sim/net; parse_net.c). */
enum sock_method {
    SOCKM_NONE,
    SOCKM_SOCKET,    /* socket [KIND] -> var: aop = the kind (SOCK_*)      */
    SOCKM_PAIR,      /* socketpair [unix|unixdgram] -> var, var2; aop      */
    /* the rest: e2 = the socket's fd (a variable) */
    SOCKM_BIND,      /* e1 = the address                                   */
    SOCKM_LISTEN,    /* e1 = backlog or NULL                               */
    SOCKM_ACCEPT,    /* var = the new fd, var2 = the peer's address        */
    SOCKM_CONNECT,   /* e1 = the address                                   */
    SOCKM_CONNECT_EX,/* e1 = the address; var = 0 or the errno             */
    SOCKM_SENDALL,   /* e1 = the data                                      */
    SOCKM_SENDTO,    /* e1 = the data, argv[0] = the address; var = bytes  */
    SOCKM_RECVFROM,  /* e1 = N; var = data, var2 = the sender's address    */
    SOCKM_SHUTDOWN,  /* aop = SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2            */
    SOCKM_SETBLOCKING,   /* e1                                             */
    SOCKM_SETTIMEOUT,    /* e1: ticks or None                              */
    SOCKM_SETSOCKOPT,    /* aop = SO_*; e1 = the value                     */
    SOCKM_GETSOCKOPT,    /* aop = SO_*; var                                */
    SOCKM_GETSOCKNAME,   /* var                                            */
    SOCKM_GETPEERNAME,   /* var                                            */
    SOCKM_UNLINK,    /* unlink PATH (os.unlink of a socket's path): e1     */
};
/* socket kinds (SOCKM_SOCKET's aop) and options (SETSOCKOPT's) */
enum { SOCK_KIND_TCP, SOCK_KIND_UDP, SOCK_KIND_UNIX, SOCK_KIND_UNIX_DGRAM };
enum { SOCKOPT_SNDBUF, SOCKOPT_RCVBUF, SOCKOPT_REUSEADDR, SOCKOPT_ERROR,
       SOCKOPT_TYPE };

/* OP_MUX's methods (sim/mux; parse_mux.c). */
enum mux_method {
    MUXM_NONE,
    MUXM_SELECT,     /* select R, W, X [timeout=T] -> r, w, x: argv[0..2] =
                        the lists, argv[3] = the timeout (argc 4) or none;
                        vars[0..nvars) = results (1: the tuple, or 3)     */
    MUXM_POLL_NEW,   /* poll -> p: var                                     */
    MUXM_EPOLL_NEW,  /* epoll -> ep: var                                   */
    MUXM_SELECTOR_NEW,   /* selector -> sel: var                           */
    /* on e2 (a variable holding a poll object, an epoll fd, a selector) */
    MUXM_REGISTER,   /* e1 = the fd; argv[0] = mask or none; argv[1] data  */
    MUXM_MODIFY,     /* e1 = the fd; argv[0] = mask; argv[1] = data        */
    MUXM_UNREGISTER, /* e1 = the fd                                        */
    MUXM_WAIT,       /* p.poll / ep.poll / sel.select [T] [maxevents=K]:
                        e1 = timeout or NULL; argv[0] = maxevents or none;
                        var = the events                                  */
};

/* OP_GREEN's methods (sim/coro; parse_coro.c). */
enum green_method {
    GREENM_NONE,
    GREENM_SPAWN,    /* gevent.spawn PROG(argv) [-> var]                    */
    GREENM_SLEEP,    /* gevent.sleep e1                                     */
    GREENM_JOIN,     /* G.join [timeout=N]: e2 = the greenlet              */
    GREENM_JOINALL,  /* gevent.joinall e1 [timeout=N] [-> var]              */
    GREENM_PATCH,    /* monkey.patch_all                                    */
    /* asyncio (the same hub): GREENM_SPAWN with aop 1 is create_task */
    GREENM_AWAIT,    /* await e2 [-> var]: a task's result                  */
    GREENM_GATHER,   /* await asyncio.gather e1 [-> var]: the results       */
};

/* Kinds of pool (scenario.pools[].kind). */
enum pool_kind { PK_POOL, PK_THREADS, PK_PROCESSES };
enum sigdisp { SIGDISP_DEFAULT, SIGDISP_IGNORE, SIGDISP_HANDLER };
enum assign_op { AOP_SET, AOP_ADD, AOP_SUB };
enum method {
    METHOD_ACQUIRE, METHOD_RELEASE,            /* lock, rlock, semaphore */
    METHOD_SET, METHOD_CLEAR, METHOD_WAIT,     /* event */
    METHOD_PUT, METHOD_GET,                    /* queue */
    METHOD_SEND, METHOD_RECV, METHOD_CLOSE,    /* pipe (close: queue too) */
    METHOD_TASK_DONE, METHOD_QJOIN,            /* joinable and thread queues */
    METHOD_FEED,     /* a feeder thread's step (its hidden program)         */
};

/* One argument of `print`: a string literal or an expression. */
struct print_arg {
    const char *str;           /* string literal (unescaped), or NULL */
    struct expr *e;            /* expression, when str is NULL */
};

struct insn {
    enum opcode op;
    struct srcpos pos;         /* the statement's first token */
    struct expr *e1;           /* main operand (see the opcode comments) */
    struct expr *e2;           /* second operand (setpgid's PGID) */
    struct expr *e3;           /* `thread @F ARGS name E`: the thread's name */
    int var, var2;             /* result variables, -1 when absent */
    int prog;                  /* program index, -1 when absent */
    int target;                /* jump target (instruction index) */
    int flags;                 /* INSN_* */
    int sig;                   /* signal number */
    int disp;                  /* enum sigdisp */
    int handler;               /* handler index (into scenario.handlers) */
    int obj;                   /* object index (into scenario.objects) */
    int method;                /* enum method */
    int aop;                   /* enum assign_op */
    int64_t timeout;           /* OP_OBJ, OP_JOIN timeout=N, -1 when absent */
    struct print_arg *args;    /* OP_PRINT */
    int nargs;
    struct expr **argv;        /* program arguments (fork, thread, exec) */
    int argc;
    int exc;                   /* OP_EXCEPT, OP_RAISE: enum exc */
    int *vars;                 /* OP_UNPACK: the variables */
    int nvars;
    int cb, ecb;               /* OP_POOL: callback, error_callback, -1 */
};

/* A program takes at most this many parameters; try blocks nest at most
 * this deep in a task (handlers running inside try blocks included). */
#define MAX_PARAMS 16
#define MAX_TRY 8
/* Calls (`call`, and the pools' workers calling a task's function) nest at
 * most this deep in a task. */
#define MAX_CALL 8

/* A program or a signal handler: a name and its compiled code. */
struct program {
    const char *name;
    struct srcpos pos;         /* of the name in `program NAME {` */
    int *params;               /* variable indices of its parameters */
    int nparams;
    struct insn *code;
    int ncode;                 /* the last instruction is OP_END */
    /* issue 14: `def NAME(a, b=E) { }`, a function with frame locals */
    bool def;
    int nlocals;               /* its frame's variables (parameters first) */
    struct expr **defaults;    /* of the last ndefaults parameters, evaluated
                                  at each call that leaves them out */
    int ndefaults;
};

/* ------------------------------------------------------------------------
 * Variables and shared objects
 * --------------------------------------------------------------------- */

struct variable {
    const char *name;          /* hidden repeat counters start with '#' */
    bool local;                /* per thread (`local`, repeat counters) */
    int frame;                 /* a def's local: its slot in the frame + 1;
                                  0 not one (call.c) */
    int alias;                 /* a name a def reads but never assigns:
                                  the process (or `local`) variable it
                                  reads, + 1; 0 none */
};

enum object_kind { OBJ_SHARED, OBJ_LOCK, OBJ_RLOCK, OBJ_SEMAPHORE,
                   OBJ_EVENT, OBJ_QUEUE, OBJ_PIPE,
                   OBJ_ARRAY };    /* multiprocessing.Array of ints */

struct object {
    enum object_kind kind;
    const char *name;
    struct srcpos pos;
    int64_t init;              /* shared: initial value; semaphore: count;
                                  queue: maxsize (<= 0 unbounded) */
    bool duplex;               /* pipe */
    uint8_t qkind;             /* queue: QK_* */
    uint8_t qorder;            /* thread queue: QO_* */
    int feeder_prog;           /* multiprocessing queue: the program its
                                  feeder threads run, -1 */
    int64_t *items;            /* array: initial items (NULL: all 0) */
    int nitems;                /* array: its length */
    int pipe;                  /* pipe: which top-level pipe (0, 1, ... in
                                  declaration order); its ends are fds
                                  3 + 2 * pipe and 4 + 2 * pipe */
    int end;                   /* pipe: -1 `pipe NAME` (both ends: recv
                                  reads end 0, send writes on end 1); 0 or
                                  1 `pipe A, B` (A is end 0, B end 1) */
};

/* A pool's name (`pool p 4` in some program declares p for the rest of
 * the file); each process that runs the statement has its own pool of that
 * name (sim/objects/pool.c). */
struct pooldecl {
    const char *name;
    enum pool_kind kind;
    struct srcpos pos;         /* its first `pool` statement */
};

/* Queues: multiprocessing.Queue, JoinableQueue, queue.Queue (and Lifo,
 * Priority). */
enum { QK_MP, QK_JOINABLE, QK_THREAD };
enum { QO_FIFO, QO_LIFO, QO_PRIORITY };
/* The largest maxsize (CPython's SEM_VALUE_MAX on Linux). */
#define QUEUE_MAXSIZE_MAX 2147483647

/* The longest array a scenario may declare. */
#define ARRAY_MAX_ITEMS 100000

/* ------------------------------------------------------------------------
 * Configuration (section 5 of the contract)
 * --------------------------------------------------------------------- */

enum policy { POLICY_CFS, POLICY_RR, POLICY_FIFO };
enum tick_unit { TICK_US, TICK_MS, TICK_S };

#define MAX_CPUS 64

/* What a statement that creates or ends a task costs (config fork_cost ...):
 * indices into config.cost_ns / cost_ticks. */
enum cost_kind { COST_FORK, COST_EXEC, COST_THREAD, COST_EXIT, COST_COUNT,
                 /* costs of multiplexing (issue 13), per item, usually a
                  * fraction of a tick: the caller adds them up
                  * (config_tick_ns) */
                 COST_SCAN = COST_COUNT,   /* select/poll: per fd watched */
                 COST_READY,               /* epoll_wait: per event */
                 COST_ALL };
/* The largest cost in ticks, and as a duration (a day, in ns). */
#define COST_MAX_TICKS 1000000
#define COST_MAX_NS (86400LL * 1000000000LL)

struct config {
    int cpus;                  /* 1..MAX_CPUS, default 1 */
    enum policy policy;        /* default cfs */
    bool preempt;              /* default on */
    int slice;                 /* rr quantum, ticks, default 4 */
    int latency;               /* cfs target latency, default 12 */
    int min_granularity;       /* cfs minimum slice, default 2 */
    int wakeup_granularity;    /* cfs wakeup preemption threshold, default 2
                                  (an addition to the contract) */
    bool gil;                  /* default off */
    int switch_interval;       /* default 5 */
    bool eintr_retry;          /* eintr=retry: sleep and wait resume after a
                                  handler (PEP 475); default eintr=return
                                  (C: they end early) */
    int max_procs;             /* default 1024 */
    int pid_max;               /* default 32768 */
    int64_t ticks;             /* default 100000 */
    uint64_t seed;             /* default 1 */
    int tick_count;            /* `tick=10ms` -> 10, default 1 */
    enum tick_unit tick_unit;  /* default ms */
    int64_t pipe_size;         /* a pipe's capacity in bytes, default 65536 */
    bool sigpipe_ignore;       /* sigpipe=ignore: new processes start with
                                  SIGPIPE ignored (Python); default off */
    /* files and the network (issue 13; docs §7 "Sockets") */
    int nofile;                /* RLIMIT_NOFILE: fds 0..nofile-1, 1024 */
    int net_latency;           /* ticks a segment takes on the loopback */
    int64_t tcp_sndbuf, tcp_rcvbuf;   /* bytes (SO_SNDBUF / SO_RCVBUF) */
    int64_t udp_sndbuf, udp_rcvbuf;
    int somaxconn;             /* the cap on listen's backlog */
    int udp_loss;              /* percent of datagrams lost (seeded) */
    /* fork_cost, exec_cost, thread_cost, exit_cost: either a number of
     * ticks (cost_ticks > 0), or a duration in ns (cost_ns > 0) that
     * config_cost_ticks turns into ticks with `tick` when asked, so `tick`
     * may come after it on the line or from the command line. The
     * defaults are durations measured on a real machine (bench/). */
    int64_t cost_ticks[COST_ALL];
    int64_t cost_ns[COST_ALL];
    /* issue 14 (Python) */
    int64_t stmt_cost_ns;      /* stmt_cost: what each executed statement
                                  costs, ns; 0 (default) = the contract's
                                  one tick per timed statement (exec.c) */
    int64_t shared_cost_ns;    /* shared_cost: what one read or one write of
                                  a shared Value or Array element costs on
                                  top of its statement, ns (stmt_cost mode) */
    int64_t switch_interval_ns;    /* switch_interval given as a duration
                                  (5ms): turned into ticks with `tick` by
                                  config_switch_interval; 0 = ticks */
    bool python;               /* python=on: CPython's tracebacks and
                                  KeyboardInterrupt (and the keys it sets) */
    int first_pid;             /* the first pid after init's, default 2 */
};

/* Fill *c with the contract's defaults. */
void config_defaults(struct config *c);

/*
 * Apply one KEY=VALUE setting (from a `config` line, or `-c` on the command
 * line). Returns NULL on success, else a static message saying what was
 * expected ("cpus must be 1..64", "unknown config key 'foo'; keys are: ...").
 */
const char *config_set(struct config *c, const char *key, const char *value);

/* The cost `which` (COST_*) in ticks: its number of ticks, or its duration
 * rounded up to whole ticks of c's `tick`; at least 1. */
int64_t config_cost_ticks(const struct config *c, int which);
/* The length of one tick in ns (tick=1ms: 1,000,000). */
int64_t config_tick_ns(const struct config *c);
/* switch_interval in ticks: its number of ticks, or its duration rounded
 * to the nearest whole tick of c's `tick`, at least 1. */
int config_switch_interval(const struct config *c);
/* pid_max as the machine uses it: a first_pid at or past pid_max raises it
 * to first_pid + 32768 (at most 4194304). Tables indexed by pid (the run
 * table, the window) must be this large. */
int config_pid_max(const struct config *c);

/* ------------------------------------------------------------------------
 * Spawns, outside events, expectations
 * --------------------------------------------------------------------- */

struct spawn {
    int prog;                  /* program index */
    struct expr **argv;        /* its arguments (literals), argc of them */
    int argc;
    int nice;                  /* -20..19 */
    int64_t at;                /* tick, >= 0 */
    bool fg;                   /* explicitly `fg` */
    struct srcpos pos;
};

enum outside_kind { OUT_KILL, OUT_CTRL_C, OUT_CTRL_Z, OUT_FG, OUT_BG,
                    OUT_CTRL_BACKSLASH };   /* SIGQUIT (ctrl-backslash) */

struct outside {
    enum outside_kind kind;
    int64_t at;                /* tick */
    int pid;                   /* kill/fg/bg target; fg without PID: -1 */
    int sig;                   /* kill */
    struct srcpos pos;
};

enum expect_kind {
    EXP_STATE,                 /* expect T pid P state X */
    EXP_PPID,                  /* expect T pid P ppid Q  or  end pid P ppid Q */
    EXP_EXIT,                  /* expect end pid P exit CODE */
    EXP_SHARED,                /* expect end shared NAME = V */
    EXP_OUTPUT,                /* expect end output pid P "text" */
    EXP_TICKS,                 /* expect end ticks <= N */
    EXP_ARRAY,                 /* expect end array NAME[I] = V */
};

#define EXPECT_END (-1)        /* `expect end ...`: at the end of the run */

struct expect {
    enum expect_kind kind;
    int64_t tick;              /* a tick, or EXPECT_END */
    int pid;
    char state;                /* 'R','S','D','T','Z', or 'X' for gone */
    int ppid;
    int64_t value;             /* exit code (may be -SIG), shared value, N */
    int obj;                   /* EXP_SHARED, EXP_ARRAY: object index */
    int index;                 /* EXP_ARRAY: the item */
    const char *text;          /* EXP_OUTPUT */
    struct srcpos pos;
};

/* ------------------------------------------------------------------------
 * The scenario
 * --------------------------------------------------------------------- */

struct scenario {
    const char *file;          /* file name used in messages */
    const char *src;           /* a private copy of the source text */
    size_t srclen;
    const char *title;         /* NULL when absent */
    const char **describe;     /* `describe` lines, in order */
    int ndescribe;
    struct config config;      /* after every `config` line */
    struct program *programs;  /* in file order */
    int nprograms;
    struct program *handlers;  /* signal handlers, in file order */
    int nhandlers;
    struct variable *vars;     /* every variable name used anywhere */
    int nvars;
    struct object *objects;    /* shared objects, in file order */
    int nobjects;
    int npipes;                /* top-level pipe declarations (`pipe A, B`
                                  is one, with two objects) */
    struct spawn *spawns;      /* in file order */
    int nspawns;
    struct outside *outside;   /* sorted by tick, file order kept in ties */
    int noutside;
    struct expect *expects;    /* in file order */
    int nexpects;
    bool asks_exitcode;        /* some program reads exitcode(): the kernel
                                  then keeps reaped children's statuses */
    bool joins_results;        /* some `join X -> R`: the kernel then keeps
                                  the results of threads nobody joined yet */
    struct pooldecl *pools;    /* pool and executor names (issue 12) */
    int npools;
    /* the hidden programs pools run, -1 when no pool of that kind is made:
     * a worker (by pool kind) and the owner's result handler thread (Pool:
     * _handle_results; ProcessPoolExecutor: its manager thread) */
    int pool_worker_prog[3];
    int pool_handler_prog[3];
    int pool_ret_var;          /* the hidden thread-local variable a worker's
                                  call returns into, -1 */
    /* issue 14: a scenario translated from a Python file (sim/pyfront,
     * py/procsim_py). Positions (`@L:C` lines) are the .py file's; the .py
     * source is kept for diagnostics and the window's inspector. */
    bool python;               /* translated from Python */
    bool mutable;              /* some construct mutates a list, dict or
                                  instance: fork and messages copy them */
    const char *py_name;       /* the .py file's name, NULL when not Python */
    const char *py_text;       /* a private copy of its source */
    size_t py_len;
    void *arena;               /* the parser's allocations (names, exprs) */
};

/* A process's command name (comm: ps COMMAND, pstree, stats, the run's
 * columns, the window's lanes and cards) when it runs program `prog`
 * (< 0: init): the program's name; for a translated .py (alone or named
 * by a scenario's `python "x.py"`) `python3`, as on Linux, where every
 * process of a Python program runs the interpreter and a fork keeps its
 * parent's comm. A scenario file's programs keep their names, with
 * `config python=on` too. */
static inline const char *scenario_comm(const struct scenario *s, int prog)
{
    if (prog < 0 || prog >= s->nprograms)
        return "init";
    return s->python ? "python3" : s->programs[prog].name;
}

/*
 * Parse and compile a scenario from buf[0..len) (no NUL terminator needed).
 * `file` names the file in messages. On success returns a scenario and
 * leaves *err untouched; on the first error returns NULL and fills *err
 * (position, message, the offending line). Never aborts, exits or prints.
 */
struct scenario *scenario_parse(const char *file, const char *buf, size_t len,
                                struct diag *err);

/*
 * The same for text translated from a Python file (py/procsim_py.py): its
 * `@L:C` lines give positions in py_text (named py_name), which the
 * scenario keeps (python, py_name, py_text) for messages and the window.
 * Lines after `@-K` are the scenario file's own (`python "x.py"`).
 */
struct scenario *scenario_parse_python(const char *file, const char *buf, size_t len,
                                       const char *py_name, const char *py_text,
                                       size_t py_len, struct diag *err);

void scenario_free(struct scenario *s);

/* Index of the program called `name`, or -1. */
int scenario_find_program(const struct scenario *s, const char *name);

/* The text of line `line` (1-based) without its newline; *len gets its
 * length. Returns "" with *len = 0 for a line that does not exist. */
const char *scenario_line(const struct scenario *s, int line, size_t *len);

/* Signal name ("SIGINT") for a number, or NULL. */
const char *signal_name(int sig);

/* Signal number for "SIGINT", "INT" or "2"; 0 when unknown. */
int signal_from_name(const char *name, size_t len);

#endif
