"""The time module. Seconds become ticks of `tick` (1 ms in Python mode);
the clocks read the simulated time: now() ticks as seconds since the run
began (time.time()'s epoch is the start of the run, 0.0)."""
from ..errors import unsupported
from ._util import check_args, ticks_of
from .registry import call

TICKS_PER_SECOND = 1000


@call("time.sleep")
def sleep(tr, node, dest):
    (secs,) = tr.bind(node, "secs")
    tr.emit("sleep %s" % ticks_of(tr, node.args[0] if node.args else node.keywords[0].value, secs))
    tr.assign(dest, "None")


@call("time.time", "time.monotonic", "time.perf_counter", pure=True)
def clock(tr, node):
    check_args(node, "time.time", "")
    return "truediv(now(), %d)" % TICKS_PER_SECOND


@call("time.time_ns", "time.monotonic_ns", "time.perf_counter_ns", pure=True)
def clock_ns(tr, node):
    check_args(node, "time.time_ns", "")
    return "(now() * %d)" % (1000000000 // TICKS_PER_SECOND)


@call("time.process_time", "time.thread_time", "time.ctime", "time.localtime",
      "time.gmtime", "time.strftime", "time.asctime", "time.mktime")
def not_simulated(tr, node, dest):
    unsupported(node, "time.%s() (only sleep, time, monotonic and perf_counter "
                "read the simulated clock)" % node.func.attr
                if hasattr(node.func, "attr") else "this time function")
