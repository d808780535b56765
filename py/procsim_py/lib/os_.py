"""The os module: processes (fork, wait, waitpid and the status macros,
_exit, kill, nice, process groups) and os-level pipes (pipe, read, write,
close), over procsim's statements (docs/python-modules.md, "os")."""
from ..errors import unsupported
from ._util import check_args, if_chain, name_of, raw_status, signal_statement, static_int
from .registry import call, const

const("os.WNOHANG", "1")
const("os.WUNTRACED", "2")
const("os.WCONTINUED", "8")
const("os.EX_OK", "0")
const("os.name", '"posix"')
const("os.sep", '"/"')
const("os.linesep", '"\\n"')


@call("os.getpid", pure=True)
def getpid(tr, node):
    check_args(node, "os.getpid", "")
    return "getpid()"


@call("os.getppid", pure=True)
def getppid(tr, node):
    check_args(node, "os.getppid", "")
    return "getppid()"


@call("os.getpgrp", pure=True)
def getpgrp(tr, node):
    check_args(node, "os.getpgrp", "")
    return "getpgrp()"


@call("os.getpgid")
def getpgid(tr, node, dest):
    (pid,) = tr.bind(node, "pid")
    t = dest or tr.tmp()
    tr.emit("%s = getpgid(%s)" % (t, pid))
    _errno(tr, t, "ProcessLookupError")


@call("os.getsid")
def getsid(tr, node, dest):
    (pid,) = tr.bind(node, "pid")
    t = dest or tr.tmp()
    tr.emit("%s = getsid(%s)" % (t, pid))
    _errno(tr, t, "ProcessLookupError")


@call("os.setpgid")
def setpgid(tr, node, dest):
    pid, pgrp = tr.bind(node, "pid, pgrp")
    t = tr.tmp()
    tr.emit("setpgid (%s) (%s) -> %s" % (pid, pgrp, t))
    _errno(tr, t, "OSError")
    tr.assign(dest, "None")


@call("os.setsid")
def setsid(tr, node, dest):
    check_args(node, "os.setsid", "")
    t = tr.tmp()
    tr.emit("setsid -> %s" % t)
    _errno(tr, t, "OSError")
    tr.assign(dest, "None")


@call("os.tcgetpgrp")
def tcgetpgrp(tr, node, dest):
    tr.bind(node, "fd")
    t = dest or tr.tmp()
    tr.emit("%s = tcgetpgrp()" % t)
    _errno(tr, t, "OSError")


@call("os.tcsetpgrp")
def tcsetpgrp(tr, node, dest):
    _fd, pg = tr.bind(node, "fd, pgid")
    t = tr.tmp()
    tr.emit("tcsetpgrp (%s) -> %s" % (pg, t))
    _errno(tr, t, "OSError")
    tr.assign(dest, "None")


# errno values procsim's calls return (negated) and the messages CPython
# prints for them ("[Errno 3] No such process"), and OSError's subclass
# CPython raises for them (PermissionError is not simulated: OSError).
ERRNO = {1: "Operation not permitted", 3: "No such process", 10: "No child processes",
         13: "Permission denied", 22: "Invalid argument",
         25: "Inappropriate ioctl for device"}
SUBCLASS = {3: "ProcessLookupError", 10: "ChildProcessError"}


def _errno(tr, var, _pyname):
    """var holds 0/a result or -errno: raise OSError "[Errno N] ..." as
    CPython does for a failing call."""
    branches = []
    for n, msg in sorted(ERRNO.items()):
        branches.append(("%s == -%d" % (var, n),
                         (lambda n=n, msg=msg:
                          tr.emit('raise %s "[Errno %d] %s"' % (SUBCLASS.get(n, "OSError"), n, msg)))))
    tr.emit("if %s < 0 {" % var)
    tr.em.depth += 1
    if_chain(tr, branches)
    tr.em.depth -= 1
    tr.em.line("}")


@call("os.fork")
def fork(tr, node, dest):
    check_args(node, "os.fork", "")
    t = dest or tr.tmp()
    tr.emit("fork -> %s" % t)
    # procsim's fork gives -1 at max_procs: CPython raises BlockingIOError
    # (EAGAIN, "Resource temporarily unavailable").
    tr.emit("if %s == -1 {" % t)
    tr.em.depth += 1
    tr.emit('raise BlockingIOError "[Errno 11] Resource temporarily unavailable"')
    tr.em.depth -= 1
    tr.em.line("}")


def _no_child(tr, pidvar):
    tr.emit("if %s == -1 {" % pidvar)
    tr.em.depth += 1
    tr.emit('raise ChildProcessError "[Errno 10] No child processes"')
    tr.em.depth -= 1
    tr.em.line("}")


@call("os.wait")
def wait(tr, node, dest):
    check_args(node, "os.wait", "")
    a, b = tr.tmp(), tr.tmp()
    tr.emit("wait -> %s, %s" % (a, b))
    _no_child(tr, a)
    raw_status(tr, b)
    tr.assign(dest, "(%s, %s)" % (a, b))


WAIT_OPTS = {1: "nohang", 2: "untraced", 8: "continued"}


@call("os.waitpid")
def waitpid(tr, node, dest):
    check_args(node, "os.waitpid", "pid, options")
    if len(node.args) + len(node.keywords) < 2:
        unsupported(node, "os.waitpid() without its options (CPython requires them)")
    pid, _ = tr.bind(node, "pid, options")
    opt_node = node.args[1] if len(node.args) > 1 else node.keywords[0].value
    opts = static_int(tr, opt_node)
    if opts is None:
        unsupported(opt_node, "os.waitpid options computed at run time (write os.WNOHANG ...)")
    words = []
    for bit, w in sorted(WAIT_OPTS.items()):
        if opts & bit:
            words.append(w)
            opts &= ~bit
    if opts:
        unsupported(opt_node, "these os.waitpid options")
    a, b = tr.tmp(), tr.tmp()
    tr.emit("waitpid (%s)%s -> %s, %s" % (pid, "".join(" " + w for w in words), a, b))
    _no_child(tr, a)
    raw_status(tr, b)
    tr.assign(dest, "(%s, %s)" % (a, b))


# The status macros on the raw status (glibc's <bits/waitstatus.h>), which
# is what os.wait()/os.waitpid() give a Python program.
MACROS = {
    "WIFEXITED": "((%s & 127) == 0)",
    "WEXITSTATUS": "((%s >> 8) & 255)",
    "WIFSIGNALED": "(((%s & 127) != 0) and ((%s & 127) != 127))",
    "WTERMSIG": "(%s & 127)",
    "WIFSTOPPED": "((%s & 255) == 127)",
    "WSTOPSIG": "((%s >> 8) & 255)",
    "WIFCONTINUED": "(%s == 65535)",
    "WCOREDUMP": "((%s & 128) != 0)",
}


def _macro(name):
    def handler(tr, node):
        (s,) = tr.bind(node, "status")
        if not (s.isidentifier() or s.replace("_", "").isalnum()):
            s = "(%s)" % s
        return MACROS[name].replace("%s", s)
    return handler


for _m in MACROS:
    call("os." + _m, pure=True)(_macro(_m))


@call("os.waitstatus_to_exitcode")
def waitstatus_to_exitcode(tr, node, dest):
    (s,) = tr.bind(node, "status")
    v = name_of(tr, s)
    t = dest or tr.tmp()
    if_chain(tr, [("(%s & 127) == 0" % v, lambda: tr.emit("%s = (%s >> 8) & 255" % (t, v))),
                  ("(%s & 127) != 127" % v, lambda: tr.emit("%s = -(%s & 127)" % (t, v)))],
             lambda: tr.emit('raise ValueError "invalid wait status"'))


def _exit_code(tr, text):
    """An exit code as the kernel keeps it: the low 8 bits."""
    try:
        return str(int(text) & 255)
    except ValueError:
        return "(%s) & 255" % text


@call("os._exit")
def _exit(tr, node, dest):
    (n,) = tr.bind(node, "n")
    tr.emit("_exit %s" % _exit_code(tr, n))


def _kill(tr, node, dest, qual, neg):
    check_args(node, qual, "pid, sig")
    if len(node.args) != 2:
        unsupported(node, "%s() without its two arguments written in order" % qual)
    pidnode, signode = node.args
    if static_int(tr, signode) is not None:
        pid, sig = tr.expr(pidnode), None
    else:
        pid, sig = tr.exprs([pidnode, signode])
    p = name_of(tr, pid)
    if static_int(tr, signode) == 0 and not neg:
        _exists(tr, p)
    elif sig is not None and not neg:
        # signal 0 checks that the process exists (kill(2))
        tr.emit("if %s == 0 {" % sig)
        tr.em.depth += 1
        _exists(tr, p)
        tr.em.depth -= 1
        tr.em.line("} else {")
        tr.em.depth += 1
        signal_statement(tr, signode, lambda s: tr.emit("kill (%s%s) %s" % (neg, p, s)), sig)
        tr.em.depth -= 1
        tr.em.line("}")
    else:
        signal_statement(tr, signode, lambda s: tr.emit("kill (%s%s) %s" % (neg, p, s)), sig)
    tr.assign(dest, "None")


def _exists(tr, p):
    """os.kill(pid, 0): ProcessLookupError unless pid exists (zombies do)."""
    tr.emit("if getpgid(%s) == -3 {" % p)
    tr.em.line("  raise %s \"[Errno 3] No such process\"" % SUBCLASS.get(3, "OSError"))
    tr.em.line("}")


@call("os.kill")
def kill(tr, node, dest):
    _kill(tr, node, dest, "os.kill", "")


@call("os.killpg")
def killpg(tr, node, dest):
    _kill(tr, node, dest, "os.killpg", "-")


@call("os.nice")
def nice(tr, node, dest):
    (inc,) = tr.bind(node, "increment")
    tr.emit("nice (%s)" % inc)
    if dest:
        unsupported(node, "the value os.nice() returns")


@call("os.sched_yield")
def sched_yield(tr, node, dest):
    check_args(node, "os.sched_yield", "")
    tr.emit("yield")
    tr.assign(dest, "None")


@call("os.cpu_count", pure=True)
def cpu_count(tr, node):
    check_args(node, "os.cpu_count", "")
    return "cpu_count()"


# ------------------------------------------------------------ os-level pipes
# procsim's pipes carry messages (docs §7 Pipes): os.write sends its bytes as
# one message and os.read gets one message whole (its size argument is not a
# limit), b"" at end of file as CPython's read returns.

@call("os.pipe")
def pipe(tr, node, dest):
    check_args(node, "os.pipe", "")
    r, w = tr.tmp(), tr.tmp()
    tr.emit("pipe -> %s, %s simplex" % (r, w))
    tr.assign(dest, "(%s, %s)" % (r, w))


@call("os.write")
def write(tr, node, dest):
    fd, data = tr.bind(node, "fd, data")
    f = name_of(tr, fd)
    d = name_of(tr, data)
    tr.emit("%s.send %s" % (f, d))
    tr.assign(dest, "len(%s)" % d)


@call("os.read")
def read(tr, node, dest):
    fd, _n = tr.bind(node, "fd, n")
    f = name_of(tr, fd)
    t = dest or tr.tmp()
    tr.emit("try {")
    tr.em.depth += 1
    tr.emit("%s.recv -> %s" % (f, t))
    tr.em.depth -= 1
    tr.em.line("} except EOFError {")
    tr.em.depth += 1
    tr.emit('%s = b""' % t)
    tr.em.depth -= 1
    tr.em.line("}")


@call("os.close")
def close(tr, node, dest):
    (fd,) = tr.bind(node, "fd")
    tr.emit("%s.close" % name_of(tr, fd))
    tr.assign(dest, "None")


@call("os.unlink", "os.remove")
def unlink(tr, node, dest):
    (path,) = tr.bind(node, "path")
    tr.emit("unlink %s" % path)
    tr.assign(dest, "None")
