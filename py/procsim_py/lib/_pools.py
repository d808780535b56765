"""multiprocessing.Pool, ThreadPoolExecutor and ProcessPoolExecutor over
procsim's pool statements (docs §7 "Pools and executors"). A pool statement
names its pool statically, so each creation site gets a name (_pool1 ...),
carried in the variable's kind ("multiprocessing.Pool#_pool1"); a method
call on a variable whose kind is known becomes the pool's statement. Task
functions and callbacks must be functions defined at the module's top level
(procsim's statements name programs)."""
from .. import pyast as ast

from ..errors import unsupported
from ._objs import HANDLE_SIGNATURES, kw_invoke, register_methods
from .registry import METHODS

POOL = "multiprocessing.Pool"
THREADPOOL = "concurrent.futures.ThreadPoolExecutor"
PROCESSPOOL = "concurrent.futures.ProcessPoolExecutor"
ASYNC = "multiprocessing.pool.AsyncResult"
IMAP = "multiprocessing.pool.IMapIterator"
FUTURE = "concurrent.futures.Future"

register_methods(ASYNC, ["get", "wait", "ready", "successful"], HANDLE_SIGNATURES)
register_methods(FUTURE, ["result", "exception", "cancel", "done", "running", "cancelled"],
                 HANDLE_SIGNATURES)


def _bind(tr, node, qual, spec):
    """ast nodes of node's arguments by parameter name (spec: "a, b=..."),
    without translating them."""
    names = [p.strip().split("=")[0].strip() for p in spec.split(",") if p.strip()]
    got = {}
    for i, a in enumerate(node.args):
        if isinstance(a, ast.Starred):
            unsupported(a, "*arguments to %s()" % qual)
        if i >= len(names):
            unsupported(a, "this many arguments to %s()" % qual)
        got[names[i]] = a
    for k in node.keywords:
        if k.arg not in names:
            unsupported(k, "the keyword argument %s= of %s()" % (k.arg, qual))
        got[k.arg] = k.value
    return got


def _func(tr, node, what):
    """A task function or callback: the name of a top-level def."""
    if isinstance(node, ast.Name) and node.id in tr.functions and \
            node.id not in tr.scope.locals:
        return node.id
    unsupported(node, "a %s that is not a function defined at the module's top level "
                "(procsim's pools name the function)" % what)


def _args_call(tr, fname, args_node):
    """f(a, b) from a task's args tuple."""
    if args_node is None:
        return "%s()" % fname
    if isinstance(args_node, (ast.Tuple, ast.List)):
        if any(isinstance(x, ast.Starred) for x in args_node.elts):
            unsupported(args_node, "*values in a task's arguments")
        return "%s(%s)" % (fname, ", ".join(tr.exprs(args_node.elts)))
    f = tr.functions[fname]
    n = len(f.args.args)
    t = tr.tmp()
    tr.emit("%s = tuple(%s)" % (t, tr.expr(args_node)))
    return "%s(%s)" % (fname, ", ".join("%s[%d]" % (t, i) for i in range(n)))


def _opt(tr, got, key, word, func=False):
    if key not in got:
        return ""
    n = got[key]
    if isinstance(n, ast.Constant) and n.value is None:
        return ""
    if func:
        return " %s=%s" % (word, _func(tr, n, "callback"))
    return " %s=(%s)" % (word, tr.expr(n))


def _no_kwds(got):
    k = got.get("kwds") or got.get("kwargs")
    if k is not None and not (isinstance(k, ast.Dict) and not k.keys):
        unsupported(k, "keyword arguments (kwds=) for a pool's task")


def make_pool(tr, node, dest, word, kind, spec, size_key, extra=()):
    """Pool(...), ThreadPoolExecutor(...): `pool NAME [N] ...`."""
    got = _bind(tr, node, kind, spec)
    n = tr.__dict__.setdefault("_npools", [0])
    n[0] += 1
    name = "_pool%d" % n[0]
    text = "%s %s" % (word, name)
    size = got.get(size_key)
    if size is not None and not (isinstance(size, ast.Constant) and size.value is None):
        text += " (%s)" % tr.expr(size)
    for key in extra:
        text += _opt(tr, got, key, key)
    if kind == POOL:
        # each worker process starts as the Process object the pool made
        # (ForkPoolWorker-N), then calls the program's initializer
        m = tr.prelude_module("process", node)
        tr.want(m, "def", "_mp_pool_worker", node)
        init, iargs = got.get("initializer"), got.get("initargs")
        init = "None" if init is None else tr.spill(tr.expr(init))
        iargs = "()" if iargs is None else tr.spill("tuple(%s)" % tr.expr(iargs))
        text += " initializer=_mp_pool_worker initargs=(%s, %s) counter=_mp_counter" % (
            init, iargs)
    for key in got:
        if key not in (size_key,) + tuple(extra) and key not in ("thread_name_prefix",) and \
                not (kind == POOL and key in ("initializer", "initargs")):
            unsupported(got[key], "the argument %s= of %s()" % (key, kind.split(".")[-1]))
    tr.emit(text)
    if dest:
        tr.emit("%s = None" % dest)
    k = "%s#%s" % (kind, name)
    _register(k, kind, name)
    return k


def _register(k, kind, name):
    if kind == POOL:
        table = {"apply": pool_apply, "apply_async": pool_apply_async, "map": pool_map,
                 "starmap": pool_starmap, "map_async": pool_map_async,
                 "starmap_async": pool_starmap_async, "imap": pool_imap,
                 "imap_unordered": pool_imap_unordered, "close": simple("close"),
                 "join": simple("join"), "terminate": simple("terminate"),
                 "__exit__": exit_word("terminate"), "__enter__": enter}
    else:
        table = {"submit": ex_submit, "map": ex_map, "shutdown": ex_shutdown,
                 "__exit__": exit_word("shutdown"), "__enter__": enter}
    for m, h in table.items():
        METHODS["%s.%s" % (k, m)] = (lambda h: lambda tr, node, dest, recv:
                                     h(tr, node, dest, name))(h)


def enter(tr, node, dest, name):
    pass


def exit_word(word):
    def h(tr, node, dest, name):
        tr.emit("%s.%s" % (name, word))
    return h


def simple(word):
    def h(tr, node, dest, name):
        if node.args or node.keywords:
            unsupported(node, "arguments to %s()" % word)
        tr.emit("%s.%s" % (name, word))
        tr.assign(dest, "None")
    return h


def pool_apply(tr, node, dest, name):
    got = _bind(tr, node, "apply", "func, args, kwds")
    _no_kwds(got)
    f = _func(tr, got["func"], "task function")
    tr.emit("%s.apply %s%s" % (name, _args_call(tr, f, got.get("args")), tr.arrow(dest)))


def pool_apply_async(tr, node, dest, name):
    got = _bind(tr, node, "apply_async", "func, args, kwds, callback, error_callback")
    _no_kwds(got)
    f = _func(tr, got["func"], "task function")
    call = _args_call(tr, f, got.get("args"))
    d = dest or tr.tmp()
    tr.emit("%s.apply_async %s%s%s -> %s" % (name, call, _opt(tr, got, "callback", "callback", True),
                                             _opt(tr, got, "error_callback", "error_callback", True), d))
    return ASYNC


def _map(word, is_async, spec):
    def h(tr, node, dest, name):
        got = _bind(tr, node, word, spec)
        f = _func(tr, got["func"], "task function")
        items = tr.expr(got["iterable"])
        text = "%s.%s %s (%s)%s" % (name, word, f, items, _opt(tr, got, "chunksize", "chunksize"))
        if is_async:
            text += _opt(tr, got, "callback", "callback", True)
            text += _opt(tr, got, "error_callback", "error_callback", True)
            d = dest or tr.tmp()
            tr.emit("%s -> %s" % (text, d))
            return ASYNC
        tr.emit(text + tr.arrow(dest))
        return "list"
    return h


pool_map = _map("map", False, "func, iterable, chunksize")
pool_starmap = _map("starmap", False, "func, iterable, chunksize")
pool_map_async = _map("map_async", True, "func, iterable, chunksize, callback, error_callback")
pool_starmap_async = _map("starmap_async", True,
                          "func, iterable, chunksize, callback, error_callback")


def _imap(word):
    def h(tr, node, dest, name):
        """imap's iterator, drained into a list as its items come (the loop
        over it then runs once they are all back: a simplification)."""
        got = _bind(tr, node, word, "func, iterable, chunksize")
        f = _func(tr, got["func"], "task function")
        items = tr.expr(got["iterable"])
        it, x = tr.tmp(), tr.tmp()
        d = dest or tr.tmp()
        tr.emit("%s.%s %s (%s)%s -> %s" % (name, word, f, items,
                                          _opt(tr, got, "chunksize", "chunksize"), it))
        tr.emit("%s = []" % d)
        tr.emit("try {")
        tr.em.line("  while True {")
        tr.em.line("    %s.next -> %s" % (it, x))
        tr.em.line("    eval %s.append(%s)" % (d, x))
        tr.em.line("  }")
        tr.em.line("} except StopIteration {")
        tr.em.line("}")
        return "list"
    return h


pool_imap = _imap("imap")
pool_imap_unordered = _imap("imap_unordered")


def ex_submit(tr, node, dest, name):
    if not node.args:
        unsupported(node, "submit() without a function")
    if node.keywords:
        unsupported(node.keywords[0], "keyword arguments to a submitted function")
    f = _func(tr, node.args[0], "task function")
    if any(isinstance(a, ast.Starred) for a in node.args[1:]):
        unsupported(node, "*arguments to submit()")
    args = tr.exprs(node.args[1:])
    d = dest or tr.tmp()
    tr.emit("%s.submit %s(%s) -> %s" % (name, f, ", ".join(args), d))
    return FUTURE


def ex_map(tr, node, dest, name):
    if len(node.args) != 2:
        unsupported(node, "Executor.map() over other than one iterable")
    got = _bind(tr, node, "map", "fn, iterable, timeout, chunksize")
    f = _func(tr, got["fn"], "task function")
    items = tr.expr(got["iterable"])
    to = ""
    if "timeout" in got:
        t = got["timeout"]
        if not (isinstance(t, ast.Constant) and isinstance(t.value, (int, float))):
            unsupported(t, "a timeout of Executor.map() computed at run time")
        to = " timeout=%d" % int(round(t.value * 1000))
    tr.emit("%s.map %s (%s)%s%s%s" % (name, f, items, to,
                                      _opt(tr, got, "chunksize", "chunksize"), tr.arrow(dest)))
    return "list"


def ex_shutdown(tr, node, dest, name):
    got = _bind(tr, node, "shutdown", "wait, cancel_futures")
    text = "%s.shutdown" % name
    for key in ("wait", "cancel_futures"):
        if key in got:
            v = got[key]
            if not (isinstance(v, ast.Constant) and isinstance(v.value, bool)):
                unsupported(v, "%s= other than True or False" % key)
            text += " %s=%s" % (key, v.value)
    tr.emit(text)
    tr.assign(dest, "None")


def future_add_done_callback(tr, node, dest, recv):
    if len(node.args) != 1 or node.keywords:
        unsupported(node, "add_done_callback() with other than one function")
    f = _func(tr, node.args[0], "done callback")
    r = recv if recv.isidentifier() else tr.spill(recv)
    tr.emit("%s.add_done_callback %s" % (r, f))
    tr.assign(dest, "None")


METHODS[FUTURE + ".add_done_callback"] = future_add_done_callback
METHODS[ASYNC + ".get"] = kw_invoke("get", "timeout=None")
