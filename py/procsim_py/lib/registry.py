"""What each supported library name means.

CALLS maps a qualified name ("os.fork", "multiprocessing.Queue") to a
handler(tr, node, dest): tr is the Translator (core.py), node the ast.Call,
dest the scenario variable that must receive the call's result (a name the
translator chose, or None when the result is unused). The handler emits
statements with tr.emit(...) and may use tr.expr(n) to translate argument
expressions and tr.bind(node, "a, b=None") to match arguments to parameters.

CONSTS maps a qualified name ("os.WNOHANG", "signal.SIGINT") to the
scenario-language expression text it stands for.

MODULES lists the module names `import` accepts.
"""
CALLS = {}
CONSTS = {}
MODULES = set()


def call(*names):
    """Decorator: register a handler under each qualified name."""
    def register(fn):
        for n in names:
            CALLS[n] = fn
            MODULES.add(n.split(".")[0])
        return fn
    return register


def const(name, text):
    CONSTS[name] = text
    MODULES.add(name.split(".")[0])
