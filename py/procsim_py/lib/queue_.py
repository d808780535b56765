"""The queue module: queue.Queue, LifoQueue, PriorityQueue, SimpleQueue are
procsim's thread queues (`new threadqueue [N] [fifo|lifo|priority]`),
shared by the threads of one process; Empty and Full its exceptions."""
from ._objs import THREADQUEUE_METHODS, new, register_methods
from ._util import check_args
from .registry import call, const

const("queue.Empty", "Empty")
const("queue.Full", "Full")


def _make(order):
    def handler(tr, node, dest):
        check_args(node, "queue.Queue", "maxsize")
        (m,) = tr.bind(node, "maxsize=0")
        args = "(%s)" % m
        if order != "fifo":
            args += " " + order
        new(tr, dest, "threadqueue", args)
        return "queue.Queue"
    return handler


call("queue.Queue")(_make("fifo"))
call("queue.LifoQueue")(_make("lifo"))
call("queue.PriorityQueue")(_make("priority"))
call("queue.SimpleQueue")(_make("fifo"))
register_methods("queue.Queue", THREADQUEUE_METHODS)
