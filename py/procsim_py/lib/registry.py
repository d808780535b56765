"""What each supported library name means (the contract between the
translator core, core.py, and the library modules lib/*.py and prelude/).

CALLS maps a qualified name ("os.fork", "multiprocessing.Queue") to a
handler(tr, node, dest): tr is the Translator (core.py), node the ast.Call,
dest the scenario variable that must receive the call's result (a name the
translator chose, or None when the result is unused). The handler emits
statements with tr.emit(...) and may use tr.expr(n) to translate argument
expressions and tr.bind(node, "a, b=None") to match arguments to parameters.
A handler may return a *kind* string ("multiprocessing.Queue"): the
translator remembers it for the variable that receives the result, and a
later method call on that variable (`q.put(x)`) is looked up in METHODS
under "KIND.NAME" before the generic run-time dispatch (`invoke`). A tuple
of kinds gives each variable of `a, b = Pipe()` its own.

A builtin that a library module gives meaning to (`next(it)` on a pool's
imap iterator) is registered as "builtins.NAME"; the program's own
functions of that name take precedence.

A handler registered with `@call(NAME, pure=True)` blocks nothing and
emits nothing: it is handler(tr, node) and returns the expression text
(`os.getpid()` -> "getpid()"), so the call stays inline in expressions.

METHODS maps "KIND.NAME" to handler(tr, node, dest, recv): recv is the
receiver's expression text (already evaluated). "KIND.__enter__" and
"KIND.__exit__" (handler(tr, node, dest, recv), node the ast.With item)
make `with X as v:` call them instead of the language's `with v { }`.

CONSTS maps a qualified name ("os.WNOHANG", "signal.SIGINT") to the
scenario-language expression text it stands for.

PRELUDE maps a qualified name ("multiprocessing.Process") to (FILE, CLASS):
the class CLASS written in Python in prelude/FILE.py. The translator
translates it as an ordinary class when the program uses the name (a call
`Process(...)` or a base class `class W(Process)`), and with it whatever
functions and classes of that file it references; nothing unused is
emitted. Prelude files import their intrinsics like any module (names
registered in CALLS, e.g. "_procsim.fork_call"); in prelude code, a call's
`**kwargs` is accepted and ignored.

SIGNATURES maps a method name to its parameters ("block=True,
timeout=None") for calls whose receiver's type is known only at run time
(`invoke q.get(True, 0.3)`): keyword arguments are put in CPython's order.
A user class's method of the same name takes precedence.

ATEXIT lists (FILE, FUNCTION): a prelude function that the end of the
program calls when the program uses that prelude file (CPython's atexit
handlers: multiprocessing's util._exit_function joins the children).

MODULES lists the module names `import` accepts. LIB_FILES maps a module
name to the lib/ file that registers it ("multiprocessing": "mp"), so the
translator imports only the lib files a program needs; a module not listed
there makes it import every lib file.
"""
CALLS = {}
CONSTS = {}
METHODS = {}
PRELUDE = {}
ATEXIT = [("process", "_mp_exit_function")]
MODULES = set()
SIGNATURES = {
    # CPython 3.11's signatures of the library objects' methods
    "put": "obj, block=True, timeout=None",
    "get": "block=True, timeout=None",
    "acquire": "blocking=True, timeout=-1",
    "wait": "timeout=None",
    "join": "timeout=None",
    "map": "func, iterable, chunksize=None",
    "imap": "func, iterable, chunksize=1",
    "imap_unordered": "func, iterable, chunksize=1",
    "starmap": "func, iterable, chunksize=None",
    "apply": "func, args=(), kwds={}",
    "apply_async": "func, args=(), kwds={}, callback=None, error_callback=None",
    "map_async": "func, iterable, chunksize=None, callback=None, error_callback=None",
    "result": "timeout=None",
    "exception": "timeout=None",
    "shutdown": "wait=True, cancel_futures=False",
    "send": "obj",
    "recv": "bufsize, flags=0",
    "poll": "timeout=0",
}
LIB_FILES = {
    "os": "os_",
    "time": "time_",
    "sys": "sys_",
    "signal": "signal_",
    "random": "random_",
    "multiprocessing": "mp",
    "threading": "threading_",
    "queue": "queue_",
    "concurrent": "futures",
    "socket": "socket_",
    "select": "select_",
    "selectors": "select_",
    "_procsim": "intrinsics",
}


def call(*names, pure=False):
    """Decorator: register a handler under each qualified name."""
    def register(fn):
        fn.pure = pure
        for n in names:
            CALLS[n] = fn
            MODULES.add(n.split(".")[0])
        return fn
    return register


def method(*names):
    """Decorator: register a method handler under each "KIND.NAME"."""
    def register(fn):
        for n in names:
            METHODS[n] = fn
        return fn
    return register


def const(name, text):
    CONSTS[name] = text
    MODULES.add(name.split(".")[0])


def prelude(name, file, cls):
    PRELUDE[name] = (file, cls)
    MODULES.add(name.split(".")[0])


def module(name):
    """Accept `import NAME` even when nothing of it is registered yet."""
    MODULES.add(name.split(".")[0])
