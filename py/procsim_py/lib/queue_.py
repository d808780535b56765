"""The queue module: queue.Queue, LifoQueue, PriorityQueue, SimpleQueue are
procsim's thread queues (`new threadqueue [N] [fifo|lifo|priority]`),
shared by the threads of one process; Empty and Full its exceptions."""
from ._objs import THREADQUEUE_METHODS, new, register_methods
from ._util import check_args, static_int
from .registry import call, const

const("queue.Empty", "Empty")
const("queue.Full", "Full")


def _make(order):
    def handler(tr, node, dest):
        check_args(node, "queue.Queue", "maxsize")
        m = node.args[0] if node.args else (node.keywords[0].value if node.keywords else None)
        size = ""
        if m is not None:
            n = static_int(tr, m)
            if n is None:
                size = "(%s) " % tr.expr(m)
            else:
                size = "%d " % n if n > 0 else ""
        new(tr, dest, "threadqueue", size + order)
        return "queue.Queue"
    return handler


call("queue.Queue")(_make("fifo"))
call("queue.LifoQueue")(_make("lifo"))
call("queue.PriorityQueue")(_make("priority"))
call("queue.SimpleQueue")(_make("fifo"))
register_methods("queue.Queue", THREADQUEUE_METHODS)
