"""_procsim: the intrinsics the prelude (prelude/*.py, Python source of
Process, Thread, Connection, socket ...) is written over. Each maps one to
one onto a scenario statement or built-in (docs/scenario-language.md), so
the prelude reads like CPython's Lib/ with the system calls replaced.

Times given to intrinsics are seconds (as the Python API takes them) or
None (no timeout); they become ticks here."""
from .. import pyast as ast

from ..errors import unsupported
from ._util import block, if_chain, name_of
from .registry import call


def _ticks(tr, secs_text):
    return "secs_to_ticks(%s)" % secs_text


def _flag(node):
    """The static truth of a flag argument, or None when known only at run time."""
    if isinstance(node, ast.Constant):
        return bool(node.value)
    return None


def _dest(tr, dest):
    return dest or tr.tmp()


# ------------------------------------------------------------ processes
@call("_procsim.fork")
def fork(tr, node, dest):
    """_procsim.fork(f, args, daemon) -> pid: `fork @f args [daemon] -> pid`.
    The pid goes through a process variable (_ps_forked): the child of
    `fork PROG` starts PROG without the caller's frame, so the statement's
    variable must not be one of the frame's locals."""
    f, args, daemon = tr.bind(node, "f, args, daemon=False")
    f = name_of(tr, f)
    a = name_of(tr, args)
    d = "_ps_forked"
    if tr.scope is not None and tr.scope.kind == "function":
        tr.emit("global _ps_forked")
    static = _flag(node.args[2]) if len(node.args) > 2 else False
    if static is None:
        if_chain(tr, [(daemon, lambda: tr.emit("fork @%s %s daemon -> %s" % (f, a, d)))],
                 lambda: tr.emit("fork @%s %s -> %s" % (f, a, d)))
    else:
        tr.emit("fork @%s %s%s -> %s" % (f, a, " daemon" if static else "", d))
    tr.assign(dest, d)


@call("_procsim.join")
def join(tr, node, dest):
    """_procsim.join(id, timeout) -> status or None: `join X -> R`; with a
    timeout, `join X timeout=N` when N is written in the program, else (the
    statement takes a number) a wait of a tick at a time until X ends or the
    time is up."""
    x, timeout = tr.bind(node, "x, timeout=None")
    x = name_of(tr, x)
    d = _dest(tr, dest)
    if timeout == "None":
        tr.emit("join %s -> %s" % (x, d))
        return
    t = name_of(tr, timeout)
    end = tr.tmp()

    def timed():
        tr.emit("%s = now() + %s" % (end, _ticks(tr, t)))
        tr.emit("while is_alive(%s) and now() < %s {" % (x, end))
        tr.em.line("  sleep 1")
        tr.em.line("}")
        tr.emit("if is_alive(%s) {" % x)
        tr.em.line("  %s = None" % d)
        tr.em.line("} else {")
        tr.em.line("  join %s -> %s" % (x, d))
        tr.em.line("}")
    if_chain(tr, [("%s is None" % t, lambda: tr.emit("join %s -> %s" % (x, d)))], timed)


@call("_procsim.is_alive", pure=True)
def is_alive(tr, node):
    (x,) = tr.bind(node, "x")
    return "is_alive(%s)" % x


@call("_procsim.exitcode", pure=True)
def exitcode(tr, node):
    (x,) = tr.bind(node, "x")
    return "exitcode(%s)" % x


@call("_procsim.terminate")
def terminate(tr, node, dest):
    (x,) = tr.bind(node, "x")
    tr.emit("terminate %s" % name_of(tr, x))
    tr.assign(dest, "None")


@call("_procsim.kill")
def kill(tr, node, dest):
    """_procsim.kill(pid): SIGKILL (Process.kill)."""
    (x,) = tr.bind(node, "x")
    tr.emit("kill (%s) SIGKILL" % x)
    tr.assign(dest, "None")


@call("_procsim.getpid", pure=True)
def getpid(tr, node):
    return "getpid()"


@call("_procsim.getppid", pure=True)
def getppid(tr, node):
    return "getppid()"


@call("_procsim.gettid", pure=True)
def gettid(tr, node):
    return "gettid()"


@call("_procsim.cpu_count", pure=True)
def cpu_count(tr, node):
    return "cpu_count()"


# ------------------------------------------------------------ threads
@call("_procsim.thread")
def thread(tr, node, dest):
    """_procsim.thread(f, args, daemon, name) -> tid: `thread @f args [daemon]
    [name N] -> tid` (N: Thread.name, which the run's columns, the window
    and "Exception in thread N:" show)."""
    f, args, daemon, name = tr.bind(node, "f, args, daemon=False, name=None")
    f = name_of(tr, f)
    a = name_of(tr, args)
    d = _dest(tr, dest)
    n = "" if name == "None" else " name %s" % name_of(tr, name)
    static = _flag(node.args[2]) if len(node.args) > 2 else False
    if static is None:
        if_chain(tr, [(daemon, lambda: tr.emit("thread @%s %s daemon%s -> %s" % (f, a, n, d)))],
                 lambda: tr.emit("thread @%s %s%s -> %s" % (f, a, n, d)))
    else:
        tr.emit("thread @%s %s%s%s -> %s" % (f, a, " daemon" if static else "", n, d))


@call("_procsim.set_local")
def set_local(tr, node, dest):
    """_procsim.set_local("NAME", value): `local NAME = value` (thread-local)."""
    if not node.args or not isinstance(node.args[0], ast.Constant):
        unsupported(node, "_procsim.set_local without a literal name")
    (_, v) = tr.bind(node, "name, value")
    tr.emit("local %s = %s" % (node.args[0].value, v))
    tr.assign(dest, "None")


# ------------------------------------------------------------ file descriptors
@call("_procsim.pipe")
def pipe(tr, node, dest):
    """_procsim.pipe(duplex) -> (fd0, fd1)."""
    (duplex,) = tr.bind(node, "duplex=True")
    a, b = tr.tmp(), tr.tmp()
    static = _flag(node.args[0]) if node.args else True
    if static is None:
        if_chain(tr, [(duplex, lambda: tr.emit("pipe -> %s, %s duplex" % (a, b)))],
                 lambda: tr.emit("pipe -> %s, %s simplex" % (a, b)))
    else:
        tr.emit("pipe -> %s, %s %s" % (a, b, "duplex" if static else "simplex"))
    tr.assign(dest, "(%s, %s)" % (a, b))


@call("_procsim.fd_send")
def fd_send(tr, node, dest):
    fd, obj = tr.bind(node, "fd, obj")
    tr.emit("%s.send %s" % (name_of(tr, fd), obj))
    tr.assign(dest, "None")


@call("_procsim.fd_recv")
def fd_recv(tr, node, dest):
    (fd,) = tr.bind(node, "fd")
    tr.emit("%s.recv -> %s" % (name_of(tr, fd), _dest(tr, dest)))


@call("_procsim.fd_close")
def fd_close(tr, node, dest):
    (fd,) = tr.bind(node, "fd")
    tr.emit("%s.close" % name_of(tr, fd))
    tr.assign(dest, "None")


@call("_procsim.fd_poll")
def fd_poll(tr, node, dest):
    """Connection.poll(timeout): readable now, or within timeout seconds."""
    fd, timeout = tr.bind(node, "fd, timeout=0.0")
    f = name_of(tr, fd)
    d = _dest(tr, dest)
    if timeout in ("0", "0.0"):
        tr.emit("%s = %s.poll()" % (d, f))
        return
    r, w, x = tr.tmp(), tr.tmp(), tr.tmp()
    t = name_of(tr, timeout)
    if_chain(tr, [("%s is None" % t,
                   lambda: tr.emit("select [%s], [], [] -> %s, %s, %s" % (f, r, w, x)))],
             lambda: tr.emit("select [%s], [], [] timeout=%s -> %s, %s, %s"
                             % (f, _ticks(tr, t), r, w, x)))
    tr.emit("%s = len(%s) > 0" % (d, r))


# ------------------------------------------------------------ sockets
SOCK_KINDS = {(2, 1): "tcp", (2, 2): "udp", (1, 1): "unix", (1, 2): "unixdgram"}


@call("_procsim.socket")
def socket(tr, node, dest):
    """_procsim.socket(family, type) -> fd."""
    fam, typ = tr.bind(node, "family, type")
    fam, typ = name_of(tr, fam), name_of(tr, typ)
    d = _dest(tr, dest)
    branches = [("%s == %d and %s == %d" % (fam, f, typ, t),
                 (lambda k=k: tr.emit("socket %s -> %s" % (k, d))))
                for (f, t), k in sorted(SOCK_KINDS.items())]
    if_chain(tr, branches, lambda: tr.emit('raise OSError "[Errno 97] Address family not supported by protocol"'))


@call("_procsim.socketpair")
def socketpair(tr, node, dest):
    (typ,) = tr.bind(node, "type")
    t = name_of(tr, typ)
    a, b = tr.tmp(), tr.tmp()
    if_chain(tr, [("%s == 2" % t, lambda: tr.emit("socketpair unixdgram -> %s, %s" % (a, b)))],
             lambda: tr.emit("socketpair unix -> %s, %s" % (a, b)))
    tr.assign(dest, "(%s, %s)" % (a, b))


def _sock_stmt(word, spec, result=False):
    def handler(tr, node, dest):
        args = tr.bind(node, spec)
        fd = name_of(tr, args[0])
        rest = ", ".join("(%s)" % a for a in args[1:])
        text = "%s.%s%s" % (fd, word, " " + rest if rest else "")
        if result:
            tr.emit("%s -> %s" % (text, _dest(tr, dest)))
        else:
            tr.emit(text)
            tr.assign(dest, "None")
    return handler


for _w, _spec, _res in [
        ("bind", "fd, addr", False), ("listen", "fd, n", False), ("connect", "fd, addr", False),
        ("connect_ex", "fd, addr", True), ("send", "fd, data", True),
        ("sendall", "fd, data", False), ("recv", "fd, n", True),
        ("sendto", "fd, data, addr", True), ("getsockname", "fd", True),
        ("getpeername", "fd", True)]:
    call("_procsim.sock_" + _w)(_sock_stmt(_w, _spec, _res))


@call("_procsim.sock_listen0")
def sock_listen0(tr, node, dest):
    (fd,) = tr.bind(node, "fd")
    tr.emit("%s.listen" % name_of(tr, fd))
    tr.assign(dest, "None")


@call("_procsim.sock_accept")
def sock_accept(tr, node, dest):
    (fd,) = tr.bind(node, "fd")
    c, a = tr.tmp(), tr.tmp()
    tr.emit("%s.accept -> %s, %s" % (name_of(tr, fd), c, a))
    tr.assign(dest, "(%s, %s)" % (c, a))


@call("_procsim.sock_recvfrom")
def sock_recvfrom(tr, node, dest):
    fd, n = tr.bind(node, "fd, n")
    c, a = tr.tmp(), tr.tmp()
    tr.emit("%s.recvfrom (%s) -> %s, %s" % (name_of(tr, fd), n, c, a))
    tr.assign(dest, "(%s, %s)" % (c, a))


SHUT = {0: "SHUT_RD", 1: "SHUT_WR", 2: "SHUT_RDWR"}
SOCKOPT = {7: "SO_SNDBUF", 8: "SO_RCVBUF", 2: "SO_REUSEADDR", 4: "SO_ERROR", 3: "SO_TYPE"}


@call("_procsim.sock_shutdown")
def sock_shutdown(tr, node, dest):
    fd, how = tr.bind(node, "fd, how")
    f, h = name_of(tr, fd), name_of(tr, how)
    if_chain(tr, [("%s == %d" % (h, n), (lambda w=w: tr.emit("%s.shutdown %s" % (f, w))))
                  for n, w in sorted(SHUT.items())],
             lambda: tr.emit('raise OSError "[Errno 22] Invalid argument"'))
    tr.assign(dest, "None")


@call("_procsim.sock_setsockopt")
def sock_setsockopt(tr, node, dest):
    fd, opt, val = tr.bind(node, "fd, opt, value")
    f, o = name_of(tr, fd), name_of(tr, opt)
    if_chain(tr, [("%s == %d" % (o, n), (lambda w=w: tr.emit("%s.setsockopt %s (%s)" % (f, w, val))))
                  for n, w in sorted(SOCKOPT.items()) if w not in ("SO_ERROR", "SO_TYPE")],
             lambda: None)
    tr.assign(dest, "None")


@call("_procsim.sock_getsockopt")
def sock_getsockopt(tr, node, dest):
    fd, opt = tr.bind(node, "fd, opt")
    f, o = name_of(tr, fd), name_of(tr, opt)
    d = _dest(tr, dest)
    if_chain(tr, [("%s == %d" % (o, n), (lambda w=w: tr.emit("%s.getsockopt %s -> %s" % (f, w, d))))
                  for n, w in sorted(SOCKOPT.items())],
             lambda: tr.emit('raise OSError "[Errno 92] Protocol not available"'))


@call("_procsim.sock_setblocking")
def sock_setblocking(tr, node, dest):
    fd, flag = tr.bind(node, "fd, flag")
    f = name_of(tr, fd)
    if_chain(tr, [(flag, lambda: tr.emit("%s.setblocking True" % f))],
             lambda: tr.emit("%s.setblocking False" % f))
    tr.assign(dest, "None")


@call("_procsim.sock_settimeout")
def sock_settimeout(tr, node, dest):
    fd, t = tr.bind(node, "fd, t")
    f, tv = name_of(tr, fd), name_of(tr, t)
    if_chain(tr, [("%s is None" % tv, lambda: tr.emit("%s.settimeout None" % f))],
             lambda: tr.emit("%s.settimeout %s" % (f, _ticks(tr, tv))))
    tr.assign(dest, "None")


# ------------------------------------------------------------ multiplexing
@call("_procsim.select")
def select(tr, node, dest):
    """_procsim.select(rfds, wfds, xfds, timeout) -> (r, w, x) lists of fds."""
    r, w, x, timeout = tr.bind(node, "r, w, x, timeout=None")
    rr, ww, xx = tr.tmp(), tr.tmp(), tr.tmp()
    head = "select %s, %s, %s" % (name_of(tr, r), name_of(tr, w), name_of(tr, x))
    if timeout == "None":
        tr.emit("%s -> %s, %s, %s" % (head, rr, ww, xx))
    else:
        t = name_of(tr, timeout)
        if_chain(tr, [("%s is None" % t, lambda: tr.emit("%s -> %s, %s, %s" % (head, rr, ww, xx)))],
                 lambda: tr.emit("%s timeout=%s -> %s, %s, %s" % (head, _ticks(tr, t), rr, ww, xx)))
    tr.assign(dest, "(%s, %s, %s)" % (rr, ww, xx))


def _mux_new(word):
    def handler(tr, node, dest):
        tr.emit("%s -> %s" % (word, _dest(tr, dest)))
    return handler


call("_procsim.poll_new")(_mux_new("poll"))
call("_procsim.epoll_new")(_mux_new("epoll"))
call("_procsim.selector_new")(_mux_new("selector"))


@call("_procsim.mux_register")
def mux_register(tr, node, dest):
    """_procsim.mux_register(obj, fd, mask[, data]): p.register fd mask [data]."""
    obj, fd, mask, data = tr.bind(node, "obj, fd, mask, data=None")
    extra = "" if len(node.args) < 4 else " (%s)" % data
    tr.emit("%s.register %s, (%s)%s" % (name_of(tr, obj), name_of(tr, fd), mask, extra))
    tr.assign(dest, "None")


@call("_procsim.mux_modify")
def mux_modify(tr, node, dest):
    obj, fd, mask, data = tr.bind(node, "obj, fd, mask, data=None")
    extra = "" if len(node.args) < 4 else " (%s)" % data
    tr.emit("%s.modify %s, (%s)%s" % (name_of(tr, obj), name_of(tr, fd), mask, extra))
    tr.assign(dest, "None")


@call("_procsim.mux_unregister")
def mux_unregister(tr, node, dest):
    obj, fd = tr.bind(node, "obj, fd")
    tr.emit("%s.unregister %s" % (name_of(tr, obj), name_of(tr, fd)))
    tr.assign(dest, "None")


@call("_procsim.mux_wait")
def mux_wait(tr, node, dest):
    """_procsim.mux_wait(obj, word, timeout_ticks_or_None, maxevents) -> events:
    `p.poll N -> ev`, `ep.poll N maxevents=M -> ev`, `sel.select N -> ev`."""
    obj, word, timeout, maxev = tr.bind(node, "obj, word, timeout=None, maxevents=None")
    if not isinstance(node.args[1], ast.Constant):
        unsupported(node, "_procsim.mux_wait without a literal call word")
    w = node.args[1].value
    o = name_of(tr, obj)
    d = _dest(tr, dest)
    mx = "" if maxev == "None" else " maxevents=(%s)" % maxev
    t = name_of(tr, timeout)
    if_chain(tr, [("%s is None" % t, lambda: tr.emit("%s.%s%s -> %s" % (o, w, mx, d)))],
             lambda: tr.emit("%s.%s (%s)%s -> %s" % (o, w, t, mx, d)))


@call("_procsim.fd_close_mux")
def fd_close_mux(tr, node, dest):
    (fd,) = tr.bind(node, "fd")
    tr.emit("%s.close" % name_of(tr, fd))
    tr.assign(dest, "None")


@call("_procsim.is_int", pure=True)
def is_int(tr, node):
    (x,) = tr.bind(node, "x")
    return 'isinstance(%s, "int")' % x


@call("_procsim.func_name", pure=True)
def func_name(tr, node):
    (f,) = tr.bind(node, "f")
    # str() of a function is "<function NAME at 0x...>"
    return 'str(%s).split(" ")[1]' % f


@call("_procsim.secs_to_ticks", pure=True)
def secs_to_ticks(tr, node):
    (x,) = tr.bind(node, "x")
    return "secs_to_ticks(%s)" % x


@call("_procsim.ms_to_ticks", pure=True)
def ms_to_ticks(tr, node):
    (x,) = tr.bind(node, "x")
    return "secs_to_ticks(truediv(%s, 1000))" % x


@call("_procsim.new_event")
def new_event(tr, node, dest):
    tr.emit("new event -> %s" % (dest or tr.tmp()))


@call("_procsim.add_done_callback")
def add_done_callback(tr, node, dest):
    """_procsim.add_done_callback(fu, f): `fu.add_done_callback f`, f a def
    of the prelude file being translated."""
    fu = name_of(tr, tr.expr(node.args[0]))
    f = node.args[1]
    if not (isinstance(f, ast.Name) and f.id in tr.functions):
        unsupported(f, "_procsim.add_done_callback without a function's name")
    tr.want(tr.mod, "def", f.id, node)
    tr.emit("%s.add_done_callback %s" % (fu, f.id))
    tr.assign(dest, "None")


@call("_procsim.new_lock")
def new_lock(tr, node, dest):
    tr.emit("new lock -> %s" % (dest or tr.tmp()))


@call("_procsim.new_rlock")
def new_rlock(tr, node, dest):
    tr.emit("new rlock -> %s" % (dest or tr.tmp()))


@call("_procsim.new_semaphore")
def new_semaphore(tr, node, dest):
    (n,) = tr.bind(node, "n")
    tr.emit("new semaphore (%s) -> %s" % (n, dest or tr.tmp()))
