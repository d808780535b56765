"""The threading module: Thread, Timer, current_thread ... in the prelude
(prelude/threading.py, after CPython 3.11.7's Lib/threading.py); Lock,
RLock, Semaphore, BoundedSemaphore, Event as objects made at run time."""
from ..errors import unsupported
from ._objs import EVENT_METHODS, LOCK_METHODS, new, register_methods
from ._util import check_args, prelude_call
from .registry import METHODS, call, prelude

T = "threading"
prelude("threading.Thread", "threading", "Thread")
prelude("threading.Timer", "threading", "Timer")
prelude("threading.local", "threading", "_ThreadLocal")
prelude("threading.Condition", "threading", "Condition")


def _with_methods(cls):
    def enter(tr, item, dest, recv):
        tr.emit("call %s.__enter__(%s)" % (cls, recv))

    def exit_(tr, item, dest, recv):
        tr.emit("call %s.__exit__(%s, None, None, None)" % (cls, recv))
    METHODS["inst:%s.__enter__" % cls] = enter
    METHODS["inst:%s.__exit__" % cls] = exit_


_with_methods("Condition")


def _fn(fname):
    def handler(tr, node, dest):
        prelude_call(tr, node, dest, "threading", fname)
    return handler


for _n, _f in [("current_thread", "_th_current_thread"), ("currentThread", "_th_current_thread"),
               ("main_thread", "_th_main_thread"), ("get_ident", "_th_get_ident"),
               ("get_native_id", "_th_get_native_id"), ("active_count", "_th_active_count"),
               ("activeCount", "_th_active_count"), ("enumerate", "_th_enumerate")]:
    call(T + "." + _n)(_fn(_f))


@call(T + ".Lock")
def lock(tr, node, dest):
    check_args(node, "threading.Lock", "")
    new(tr, dest, "lock")
    return T + ".Lock"


@call(T + ".RLock")
def rlock(tr, node, dest):
    check_args(node, "threading.RLock", "")
    new(tr, dest, "rlock")
    return T + ".Lock"


@call(T + ".Semaphore", T + ".BoundedSemaphore")
def semaphore(tr, node, dest):
    check_args(node, "threading.Semaphore", "value")
    (v,) = tr.bind(node, "value=1")
    new(tr, dest, "semaphore", "(%s)" % v)
    return T + ".Lock"


register_methods(T + ".Lock", LOCK_METHODS)


@call(T + ".Event")
def event(tr, node, dest):
    check_args(node, "threading.Event", "")
    new(tr, dest, "event")
    return T + ".Event"


register_methods(T + ".Event", EVENT_METHODS)


@call(T + ".Barrier", T + ".settrace", T + ".setprofile", T + ".stack_size")
def not_simulated(tr, node, dest):
    unsupported(node, "%s()" % tr.qualname(node.func))
