"""concurrent.futures: ThreadPoolExecutor and ProcessPoolExecutor over
procsim's threadpool/processpool statements; Future's methods."""
from . import _pools
from ._util import prelude_call
from .registry import call, const

CF = "concurrent.futures"
const(CF + ".TimeoutError", "TimeoutError")
const(CF + ".CancelledError", "CancelledError")


@call(CF + ".ThreadPoolExecutor", CF + ".thread.ThreadPoolExecutor")
def thread_pool(tr, node, dest):
    return _pools.make_pool(tr, node, dest, "threadpool", _pools.THREADPOOL,
                            "max_workers, thread_name_prefix", "max_workers")


@call(CF + ".ProcessPoolExecutor", CF + ".process.ProcessPoolExecutor")
def process_pool(tr, node, dest):
    return _pools.make_pool(tr, node, dest, "processpool", _pools.PROCESSPOOL,
                            "max_workers", "max_workers")


@call(CF + ".as_completed")
def as_completed(tr, node, dest):
    prelude_call(tr, node, dest, "futures", "_cf_as_completed")
