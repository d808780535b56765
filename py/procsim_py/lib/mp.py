"""The multiprocessing module (the fork start method, CPython 3.11.7):
Process, current_process, Pipe in the prelude (prelude/process.py,
connection.py); queues, locks, events, Value and Array as objects made at
run time (`new KIND -> V`); Pool over procsim's pool statement."""
from .. import pyast as ast

from ..errors import unsupported
from . import _pools
from ._objs import (EVENT_METHODS, JOINABLE_METHODS, LOCK_METHODS, MPQUEUE_METHODS,
                    VALUE_METHODS, new, register_methods)
from ._util import check_args, prelude_call, static_int
from .registry import call, const, prelude

MP = "multiprocessing"

prelude("multiprocessing.Process", "process", "Process")
prelude("multiprocessing.process.BaseProcess", "process", "Process")
prelude("multiprocessing.context.Process", "process", "Process")
const("multiprocessing.TimeoutError", "PoolTimeoutError")


def _fn(file, fname):
    def handler(tr, node, dest):
        prelude_call(tr, node, dest, file, fname)
    return handler


for _n, _f in [("current_process", "_mp_current_process"),
               ("active_children", "_mp_active_children"),
               ("parent_process", "_mp_parent_process")]:
    call(MP + "." + _n, MP + ".process." + _n)(_fn("process", _f))
@call(MP + ".Pipe", MP + ".connection.Pipe")
def pipe(tr, node, dest):
    prelude_call(tr, node, dest, "connection", "_mp_Pipe")
    tr.want(tr.prelude_module("connection", node), "class", "Connection", node)
    return ("inst:Connection", "inst:Connection")


@call(MP + ".cpu_count", pure=True)
def cpu_count(tr, node):
    check_args(node, "multiprocessing.cpu_count", "")
    return "cpu_count()"


@call(MP + ".get_context")
def get_context(tr, node, dest):
    check_args(node, "multiprocessing.get_context", "method")
    m = node.args[0] if node.args else (node.keywords[0].value if node.keywords else None)
    if m is not None and not (isinstance(m, ast.Constant) and m.value in ("fork", None)):
        unsupported(m, "start methods other than fork (procsim simulates Linux's "
                    "default before Python 3.14)")
    tr.assign(dest, "None")
    return "module:multiprocessing"


@call(MP + ".set_start_method")
def set_start_method(tr, node, dest):
    check_args(node, "multiprocessing.set_start_method", "method, force")
    m = node.args[0] if node.args else None
    if not (isinstance(m, ast.Constant) and m.value == "fork"):
        unsupported(node, "start methods other than fork (procsim simulates Linux's "
                    "default before Python 3.14)")
    tr.assign(dest, "None")


@call(MP + ".get_start_method")
def get_start_method(tr, node, dest):
    tr.assign(dest, '"fork"')


@call(MP + ".freeze_support")
def freeze_support(tr, node, dest):
    tr.assign(dest, "None")


# ------------------------------------------------------------ objects
def _maxsize(tr, node, qual):
    """A queue's maxsize: procsim's queues take a number written in the
    program (0 or less: unbounded)."""
    check_args(node, qual, "maxsize")
    m = node.args[0] if node.args else (node.keywords[0].value if node.keywords else None)
    if m is None:
        return ""
    n = static_int(tr, m)
    if n is None:
        return "(%s)" % tr.expr(m)
    return "" if n <= 0 else str(n)


@call(MP + ".Queue")
def queue(tr, node, dest):
    new(tr, dest, "queue", _maxsize(tr, node, "multiprocessing.Queue"))
    return MP + ".Queue"


@call(MP + ".JoinableQueue")
def joinable_queue(tr, node, dest):
    new(tr, dest, "joinablequeue", _maxsize(tr, node, "multiprocessing.JoinableQueue"))
    return MP + ".JoinableQueue"


@call(MP + ".SimpleQueue")
def simple_queue(tr, node, dest):
    check_args(node, "multiprocessing.SimpleQueue", "")
    new(tr, dest, "queue")
    return MP + ".Queue"


register_methods(MP + ".Queue", MPQUEUE_METHODS)
register_methods(MP + ".JoinableQueue", JOINABLE_METHODS)


@call(MP + ".Lock")
def lock(tr, node, dest):
    check_args(node, "multiprocessing.Lock", "")
    new(tr, dest, "lock")
    return MP + ".Lock"


@call(MP + ".RLock")
def rlock(tr, node, dest):
    check_args(node, "multiprocessing.RLock", "")
    new(tr, dest, "rlock")
    return MP + ".Lock"


@call(MP + ".Semaphore", MP + ".BoundedSemaphore")
def semaphore(tr, node, dest):
    check_args(node, "multiprocessing.Semaphore", "value")
    (v,) = tr.bind(node, "value=1")
    new(tr, dest, "semaphore", "(%s)" % v)
    return MP + ".Lock"


register_methods(MP + ".Lock", LOCK_METHODS)


@call(MP + ".Event")
def event(tr, node, dest):
    check_args(node, "multiprocessing.Event", "")
    new(tr, dest, "event")
    return MP + ".Event"


register_methods(MP + ".Event", EVENT_METHODS)

# ctypes' type codes of Value and Array (integers; 'd'/'f' floats).
TYPECODES = {"i", "l", "h", "b", "B", "H", "I", "L", "q", "Q", "d", "f", "c", "u"}


def _typecode(node, qual):
    if not node.args:
        unsupported(node, "%s() without a type code" % qual)
    tc = node.args[0]
    if isinstance(tc, ast.Constant) and isinstance(tc.value, str) and tc.value in TYPECODES:
        return tc.value
    q = None
    if isinstance(tc, ast.Attribute) and isinstance(tc.value, ast.Name) and \
            tc.value.id == "ctypes":
        q = tc.attr
    if q in ("c_int", "c_long", "c_double", "c_float", "c_bool"):
        return q
    unsupported(tc, "this type code for %s() (use 'i', 'd' ...)" % qual)


def _lock_kw(tr, node, qual):
    for k in node.keywords:
        if k.arg != "lock":
            unsupported(k, "the keyword argument %s= of %s()" % (k.arg, qual))


@call(MP + ".Value", MP + ".RawValue")
def value(tr, node, dest):
    _typecode(node, "multiprocessing.Value")
    _lock_kw(tr, node, "multiprocessing.Value")
    if len(node.args) > 2:
        unsupported(node.args[2], "this many arguments to multiprocessing.Value()")
    init = tr.expr(node.args[1]) if len(node.args) > 1 else "0"
    new(tr, dest, "shared", "(%s)" % init)
    return MP + ".Value"


@call(MP + ".Array", MP + ".RawArray")
def array(tr, node, dest):
    _typecode(node, "multiprocessing.Array")
    _lock_kw(tr, node, "multiprocessing.Array")
    if len(node.args) != 2:
        unsupported(node, "multiprocessing.Array() without a size or initializer")
    a = node.args[1]
    n = static_int(tr, a)
    if n is not None and n >= 0:
        init = str(n)
    elif isinstance(a, (ast.List, ast.Tuple)) and all(
            static_int(tr, x) is not None for x in a.elts):
        init = "[" + ", ".join(str(static_int(tr, x)) for x in a.elts) + "]"
    elif isinstance(a, ast.Call) and isinstance(a.func, ast.Name) and a.func.id == "range" \
            and all(static_int(tr, x) is not None for x in a.args):
        init = "[" + ", ".join(str(i) for i in range(*[static_int(tr, x) for x in a.args])) + "]"
    else:
        init = "(%s)" % tr.expr(a)
        if isinstance(a, ast.Call) and isinstance(a.func, ast.Name) and a.func.id == "range":
            init = "(list(%s))" % tr.expr(a)
    new(tr, dest, "array", init)
    return MP + ".Value"


register_methods(MP + ".Value", VALUE_METHODS)


# ------------------------------------------------------------ Pool
@call(MP + ".Pool", MP + ".pool.Pool")
def pool(tr, node, dest):
    return _pools.make_pool(tr, node, dest, "pool", _pools.POOL,
                            "processes, initializer, initargs, maxtasksperchild",
                            "processes", extra=("maxtasksperchild",))


@call(MP + ".Manager", MP + ".Condition", MP + ".Barrier")
def not_simulated(tr, node, dest):
    unsupported(node, "%s() (procsim simulates Process, Pool, Queue, JoinableQueue, "
                "SimpleQueue, Pipe, Value, Array, Lock, RLock, Semaphore and Event)"
                % tr.qualname(node.func))
