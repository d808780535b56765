"""Helpers shared by the library modules: constant folding of arguments
(signal numbers, option masks), emitting blocks, the raw wait status."""
from .. import pyast as ast

from ..errors import unsupported
from .registry import CONSTS

# Linux x86's signal numbers (sim/lang/signals.c): Python's signal.SIG*.
SIGNALS = {
    "SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5,
    "SIGABRT": 6, "SIGIOT": 6, "SIGBUS": 7, "SIGFPE": 8, "SIGKILL": 9,
    "SIGUSR1": 10, "SIGSEGV": 11, "SIGUSR2": 12, "SIGPIPE": 13, "SIGALRM": 14,
    "SIGTERM": 15, "SIGSTKFLT": 16, "SIGCHLD": 17, "SIGCONT": 18, "SIGSTOP": 19,
    "SIGTSTP": 20, "SIGTTIN": 21, "SIGTTOU": 22, "SIGURG": 23, "SIGXCPU": 24,
    "SIGXFSZ": 25, "SIGVTALRM": 26, "SIGPROF": 27, "SIGWINCH": 28, "SIGIO": 29,
    "SIGPOLL": 29, "SIGPWR": 30, "SIGSYS": 31,
}
SIGNAME = {}
for _n, _v in SIGNALS.items():
    SIGNAME.setdefault(_v, _n)


def static_int(tr, node):
    """The integer value of node if it is known when translating: a literal,
    a library constant (os.WNOHANG, signal.SIGINT), or | + of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int) \
            and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        v = static_int(tr, node.operand)
        return None if v is None else -v
    if isinstance(node, (ast.Name, ast.Attribute)):
        q = tr.qualname(node)
        if q in CONSTS:
            try:
                return int(CONSTS[q], 0)
            except ValueError:
                return None
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.Add)):
        a, b = static_int(tr, node.left), static_int(tr, node.right)
        if a is None or b is None:
            return None
        return a | b if isinstance(node.op, ast.BitOr) else a + b
    return None


def arg(node, i, name):
    """Argument i (positional) or keyword name of a call, or None."""
    if i is not None and len(node.args) > i:
        return node.args[i]
    for k in node.keywords:
        if k.arg == name:
            return k.value
    return None


def check_args(node, qual, spec):
    """Reject arguments beyond spec's names (positional or keyword)."""
    names = [p.strip().split("=")[0].strip() for p in spec.split(",") if p.strip()]
    if len(node.args) > len(names):
        unsupported(node.args[len(names)], "this many arguments to %s()" % qual)
    for k in node.keywords:
        if k.arg not in names:
            unsupported(k, "the keyword argument %s= of %s()" % (k.arg, qual))
        if isinstance(k.value, ast.Starred):
            unsupported(k, "**arguments")
    for a in node.args:
        if isinstance(a, ast.Starred):
            unsupported(a, "*arguments to %s()" % qual)


class block:
    """`header {` ... `}` around what the body emits (a class, not a
    contextlib.contextmanager: contextlib's import and generators cost)."""

    def __init__(self, tr, header):
        self.tr = tr
        self.header = header

    def __enter__(self):
        self.tr.emit(self.header + " {")
        self.tr.em.depth += 1

    def __exit__(self, *exc):
        self.tr.em.depth -= 1
        self.tr.em.line("}")
        return False


def if_chain(tr, branches, otherwise=None):
    """if C1 { f1() } else if C2 { f2() } ... else { otherwise() }."""
    for k, (cond, body) in enumerate(branches):
        if k == 0:
            tr.emit("if %s {" % cond)
        else:
            tr.em.line("} else if %s {" % cond)
        tr.em.depth += 1
        body()
        tr.em.depth -= 1
    if otherwise is not None:
        tr.em.line("} else {")
        tr.em.depth += 1
        otherwise()
        tr.em.depth -= 1
    tr.em.line("}")


def name_of(tr, text):
    """text if it is a plain variable name, else a temporary holding it (the
    statements that take a variable: `V.close`, `V.send ...`)."""
    if text.isidentifier():
        return text
    t = tr.tmp()
    tr.emit("%s = %s" % (t, text))
    return t


def raw_status(tr, statusvar):
    """Turn procsim's STATUSVAR (code, -SIG, or a raw stop/continue status)
    into the raw status os.wait/os.waitpid return (docs §4 "Exit status")."""
    if_chain(tr, [("%s < 0" % statusvar, lambda: tr.emit("%s = -%s" % (statusvar, statusvar))),
                  ("%s < 256" % statusvar,
                   lambda: tr.emit("%s = %s * 256" % (statusvar, statusvar)))])


def signal_statement(tr, signode, make, text=None):
    """Emit make(SIGNAME) for a signal given by signode: one statement when it
    is known while translating, else a chain over every signal (text: the
    signal's expression when the caller has translated it already)."""
    s = static_int(tr, signode)
    if s is not None:
        if s not in SIGNAME:
            tr.emit('raise ValueError "signal number out of range 1-64"')
            return
        make(SIGNAME[s])
        return
    v = name_of(tr, text if text is not None else tr.expr(signode))
    nums = sorted(SIGNAME)
    if_chain(tr, [("%s == %d" % (v, n), (lambda n=n: make(SIGNAME[n]))) for n in nums],
             lambda: tr.emit('raise ValueError "signal number out of range 1-64"'))


def decl(tr, text):
    """A top-level declaration (a handler): front's tr.toplevel when it has
    one, else placed right after the first line (`config python=on`) of the
    finished text."""
    if not text.endswith("\n"):
        text += "\n"
    if hasattr(tr, "toplevel"):
        tr.toplevel(text)
        return
    if not hasattr(tr, "_ps_decls"):
        tr._ps_decls = []
        finish = tr.em.text

        def text_with_decls():
            t = finish()
            first, nl, rest = t.partition("\n")
            return first + nl + "".join(tr._ps_decls) + rest
        tr.em.text = text_with_decls
    tr._ps_decls.append(text)


def prelude_call(tr, node, dest, file, fname):
    """A module-level function written in the prelude (prelude/FILE.py),
    e.g. multiprocessing.current_process: emit it (once) and call it."""
    m = tr.prelude_module(file, node)
    f = m.functions.get(fname)
    if f is None:
        unsupported(node, "%s (procsim's prelude %s.py has no %s)" % (fname, file, fname))
    tr.want(m, "def", fname, node)
    args = tr.resolve_args(node, f)
    if args is None:
        unsupported(node, "*args or **kwargs in this call")
    tr.emit("call %s(%s)%s" % (fname, ", ".join(args), tr.arrow(dest)))


def ticks_of(tr, node, text):
    """Seconds as whole ticks, at run time: the tick is the run's (config
    tick, -c tick=), which the translation does not know."""
    return "secs_to_ticks(%s)" % text
