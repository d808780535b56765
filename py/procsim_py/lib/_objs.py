"""Objects made at run time (`new KIND ... -> V`: queues, locks, events,
shared values, arrays) and their methods: calls with keyword arguments are
put in CPython's positional order for `invoke` (which takes Python's
seconds for timeouts), so `q.get(timeout=0.5)` is `invoke q.get(True, 0.5)`."""
from .. import pyast as ast
from ..errors import unsupported
from .registry import METHODS

def is_temp(dest):
    """A temporary of the translator (_t12): what `^_t\d+$` matched (no re:
    importing it cost 2 ms a load)."""
    return dest[:2] == "_t" and dest[2:].isdecimal()


def display_name(dest):
    """The object's name in events: the Python variable it is assigned to."""
    if dest and not is_temp(dest):
        return ' "%s"' % dest.rstrip("_")
    return ""


def new(tr, dest, kind, args=""):
    d = dest or tr.tmp()
    tr.emit("new %s%s%s -> %s" % (kind, " " + args if args else "", display_name(dest), d))


# CPython's signatures of the objects' methods (positional order).
SIGNATURES = {
    "put": "item, block=True, timeout=None",
    "get": "block=True, timeout=None",
    "put_nowait": "item",
    "get_nowait": "",
    "acquire": "blocking=True, timeout=-1",
    "release": "",
    "wait": "timeout=None",
    "set": "", "clear": "", "is_set": "", "locked": "",
    "qsize": "", "empty": "", "full": "", "close": "",
    "task_done": "", "join": "", "get_lock": "",
    "join_thread": "", "cancel_join_thread": "",
}
HANDLE_SIGNATURES = {
    "get": "timeout=None", "wait": "timeout=None", "ready": "", "successful": "",
    "result": "timeout=None", "exception": "timeout=None", "cancel": "",
    "done": "", "running": "", "cancelled": "",
}


def _params(spec):
    out = []
    for part in [p.strip() for p in spec.split(",") if p.strip()]:
        if "=" in part:
            n, d = part.split("=", 1)
            out.append((n.strip(), d.strip()))
        else:
            out.append((part, None))
    return out


def kw_invoke(name, spec):
    """A METHODS handler: recv.name(args) with keywords put in order."""
    params = _params(spec)

    def handler(tr, node, dest, recv):
        if any(isinstance(a, ast.Starred) for a in node.args):
            unsupported(node, "*arguments in a method call")
        if len(node.args) > len(params):
            unsupported(node, "%s() with this many arguments" % name)
        given = {}
        for (p, _), a in zip(params, node.args):
            given[p] = a
        for k in node.keywords:
            names = [p for p, _ in params]
            if k.arg not in names:
                unsupported(k, "the keyword argument %s= of %s()" % (k.arg, name))
            given[k.arg] = k.value
        last = max([i for i, (p, _) in enumerate(params) if p in given] or [-1])
        nodes = [given[p] for p, _ in params[:last + 1] if p in given]
        texts = dict(zip([p for p, _ in params[:last + 1] if p in given], tr.exprs(nodes)))
        args = []
        for p, d in params[:last + 1]:
            if p in texts:
                args.append(texts[p])
            elif d is not None:
                args.append(d)
        r = recv if recv.isidentifier() else "(%s)" % recv
        tr.emit("invoke %s.%s(%s)%s" % (r, name, ", ".join(args), tr.arrow(dest)))
    return handler


# multiprocessing's SemLock: acquire(block=True, timeout=None)
MP_SIGNATURES = dict(SIGNATURES, acquire="block=True, timeout=None", put="obj, block=True, timeout=None")


def register_methods(kind, names, table=SIGNATURES):
    if table is SIGNATURES and kind.startswith("multiprocessing."):
        table = MP_SIGNATURES
    for n in names:
        METHODS["%s.%s" % (kind, n)] = kw_invoke(n, table[n])


QUEUE_METHODS = ["put", "get", "put_nowait", "get_nowait", "qsize", "empty", "full"]
MPQUEUE_METHODS = QUEUE_METHODS + ["close", "join_thread", "cancel_join_thread"]
JOINABLE_METHODS = MPQUEUE_METHODS + ["task_done", "join"]
THREADQUEUE_METHODS = QUEUE_METHODS + ["task_done", "join"]
LOCK_METHODS = ["acquire", "release", "locked"]
EVENT_METHODS = ["set", "clear", "is_set", "wait"]
VALUE_METHODS = ["get_lock", "acquire", "release"]


def seconds_to_ticks(text):
    return "secs_to_ticks(%s)" % text
