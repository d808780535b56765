"""The signal module: dispositions (signal.signal with a function, SIG_IGN
or SIG_DFL), alarm, pause, the SIG* numbers, Signals(n).name, strsignal.

A Python handler `def h(signum, frame)` becomes a procsim handler per
(signal, function) that calls it with (signum, None): procsim's handlers run
where CPython's do (the main thread, between statements)."""
from .. import pyast as ast

from ..errors import unsupported
from ._util import SIGNALS, SIGNAME, check_args, decl, name_of, signal_statement, static_int
from .registry import call, const

for _name, _num in SIGNALS.items():
    const("signal." + _name, str(_num))
const("signal.SIG_DFL", "0")
const("signal.SIG_IGN", "1")
const("signal.NSIG", "65")
const("signal.SIG_BLOCK", "0")
const("signal.SIG_UNBLOCK", "1")
const("signal.SIG_SETMASK", "2")

# strsignal(3)'s descriptions (glibc), as signal.strsignal() gives them.
DESCRIPTION = {
    1: "Hangup", 2: "Interrupt", 3: "Quit", 4: "Illegal instruction",
    5: "Trace/breakpoint trap", 6: "Aborted", 7: "Bus error",
    8: "Floating point exception", 9: "Killed", 10: "User defined signal 1",
    11: "Segmentation fault", 12: "User defined signal 2", 13: "Broken pipe",
    14: "Alarm clock", 15: "Terminated", 16: "Stack fault", 17: "Child exited",
    18: "Continued", 19: "Stopped (signal)", 20: "Stopped", 21: "Stopped (tty input)",
    22: "Stopped (tty output)", 23: "Urgent I/O condition", 24: "CPU time limit exceeded",
    25: "File size limit exceeded", 26: "Virtual timer expired",
    27: "Profiling timer expired", 28: "Window changed", 29: "I/O possible",
    30: "Power failure", 31: "Bad system call",
}


def _handler_name(tr, func, sig, node):
    """The procsim handler that calls Python function func for signal sig
    (made once per pair)."""
    made = tr.__dict__.setdefault("_signal_handlers", {})
    key = (func, sig)
    if key not in made:
        name = "_on_%s_%s" % (SIGNAME[sig], func)
        made[key] = name
        pos = "@%d:%d\n" % (node.lineno, node.col_offset + 1)
        decl(tr, "%shandler %s {\n  call %s(%d, None)\n}\n" % (pos, name, func, sig))
    return made[key]


@call("signal.signal")
def signal(tr, node, dest):
    check_args(node, "signal.signal", "signalnum, handler")
    if len(node.args) + len(node.keywords) != 2:
        unsupported(node, "signal.signal() without a signal and a handler")
    signode = node.args[0] if node.args else [k.value for k in node.keywords
                                              if k.arg == "signalnum"][0]
    hnode = node.args[1] if len(node.args) > 1 else [k.value for k in node.keywords
                                                     if k.arg == "handler"][0]
    if dest:
        unsupported(node, "the previous handler signal.signal() returns")
    q = tr.qualname(hnode)
    if q == "signal.SIG_IGN" or static_int(tr, hnode) == 1:
        disp = lambda s: "ignore"  # noqa: E731
    elif q in ("signal.SIG_DFL", "signal.default_int_handler") or static_int(tr, hnode) == 0:
        disp = lambda s: "default"  # noqa: E731
    elif isinstance(hnode, ast.Name) and hnode.id in tr.functions:
        fname = hnode.id
        disp = lambda s: _handler_name(tr, fname, SIGNALS[s], node)  # noqa: E731
    else:
        unsupported(hnode, "a signal handler that is not a function defined at "
                    "the module's top level, SIG_IGN or SIG_DFL")

    def make(s):
        if s in ("SIGKILL", "SIGSTOP"):
            tr.emit('raise OSError "[Errno 22] Invalid argument"')
        else:
            tr.emit("signal %s %s" % (s, disp(s)))
    signal_statement(tr, signode, make)


@call("signal.alarm")
def alarm(tr, node, dest):
    (secs,) = tr.bind(node, "seconds")
    tr.emit("alarm secs_to_ticks(%s)" % secs)
    if dest:
        unsupported(node, "the seconds left that signal.alarm() returns")


@call("signal.pause")
def pause(tr, node, dest):
    check_args(node, "signal.pause", "")
    tr.emit("pause")
    tr.assign(dest, "None")


@call("signal.raise_signal")
def raise_signal(tr, node, dest):
    check_args(node, "signal.raise_signal", "signalnum")
    signal_statement(tr, node.args[0], lambda s: tr.emit("kill getpid() %s" % s))
    tr.assign(dest, "None")


@call("signal.pthread_sigmask")
def pthread_sigmask(tr, node, dest):
    check_args(node, "signal.pthread_sigmask", "how, mask")
    how = static_int(tr, node.args[0]) if node.args else None
    if how not in (0, 1) or len(node.args) != 2 or \
            not isinstance(node.args[1], (ast.List, ast.Set, ast.Tuple)):
        unsupported(node, "signal.pthread_sigmask() other than SIG_BLOCK/SIG_UNBLOCK "
                    "with a literal set of signals")
    word = "block" if how == 0 else "unblock"
    for e in node.args[1].elts:
        signal_statement(tr, e, lambda s: tr.emit("%s %s" % (word, s)))
    if dest:
        unsupported(node, "the old mask signal.pthread_sigmask() returns")


def _names_list():
    return "[" + ", ".join('"%s"' % SIGNAME.get(n, "") for n in range(32)) + "]"


@call("signal.Signals")
def signals_enum(tr, node, dest):
    """signal.Signals(n): an instance with .name and .value."""
    (n,) = tr.bind(node, "value")
    v = name_of(tr, n)
    t = dest or tr.tmp()
    tr.emit("if not (%s in range(1, 32)) {" % v)
    tr.em.depth += 1
    tr.emit('raise ValueError "not a valid Signals"')
    tr.em.depth -= 1
    tr.em.line("}")
    tr.emit('%s = new("Signals")' % t)
    tr.emit("%s.name = %s[%s]" % (t, _names_list(), v))
    tr.emit("%s.value = %s" % (t, v))


@call("signal.strsignal", pure=True)
def strsignal(tr, node):
    (n,) = tr.bind(node, "signalnum")
    table = "[" + ", ".join('"%s"' % DESCRIPTION.get(i, "") for i in range(32)) + "]"
    return "%s[%s]" % (table, n)
