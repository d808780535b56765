"""The time module. Seconds become ticks of the run's `tick` (1 ms unless
`config tick=` or `-c tick=` says otherwise) at run time: secs_to_ticks(S);
the clocks read the simulated time: ticks_to_secs(now()), seconds since the
run began (time.time()'s epoch is the start of the run, 0.0)."""
from ..errors import unsupported
from ._util import check_args, ticks_of
from .registry import call


@call("time.sleep")
def sleep(tr, node, dest):
    (secs,) = tr.bind(node, "secs")
    tr.emit("sleep %s" % ticks_of(tr, node.args[0] if node.args else node.keywords[0].value, secs))
    tr.assign(dest, "None")


@call("time.time", "time.monotonic", "time.perf_counter", pure=True)
def clock(tr, node):
    check_args(node, "time.time", "")
    return "ticks_to_secs(now())"


@call("time.time_ns", "time.monotonic_ns", "time.perf_counter_ns", pure=True)
def clock_ns(tr, node):
    check_args(node, "time.time_ns", "")
    return "(now() * tick_ns())"


@call("time.process_time", "time.thread_time", "time.ctime", "time.localtime",
      "time.gmtime", "time.strftime", "time.asctime", "time.mktime")
def not_simulated(tr, node, dest):
    unsupported(node, "time.%s() (only sleep, time, monotonic and perf_counter "
                "read the simulated clock)" % node.func.attr
                if hasattr(node.func, "attr") else "this time function")
