"""The translator: a Python module's ast in, scenario-language text out.

Structure of the output (docs/python.md):
    config python=on
    program __main__ { the module's top-level code }   (globals = process
                                                         variables)
    def NAME(params) { ... }                            (one per function)
    def CLASS.NAME(self, ...) { ... }                   (one per class and
                                                         method, inherited
                                                         ones included)
    spawn __main__

Expressions that call user functions or library functions that block are
lowered into statements with temporaries (`call f(x) -> _t1`), in Python's
evaluation order, because the scenario language evaluates expressions
without blocking. Pure builtins stay inline.
"""
from . import pyast as ast

from . import lib
from .emit import Emitter
from .errors import Unsupported, unsupported
from .lib.registry import ATEXIT, CALLS, CONSTS, METHODS, MODULES, PRELUDE, SIGNATURES

# Builtins that the scenario language evaluates inline, same name.
PURE_BUILTINS = {"len", "str", "repr", "int", "float", "abs", "min", "max", "sum",
                 "sorted", "reversed", "list", "tuple", "dict", "range", "enumerate",
                 "zip", "round", "divmod", "pow", "chr", "ord", "hex", "bool"}
TYPE_NAMES = {"int", "float", "str", "list", "tuple", "dict", "bool", "bytes"}

# Methods of values (lists, dicts, strings...) the core evaluates inline.
VALUE_METHODS = {
    "list": {"index", "count", "copy"},
    "dict": {"get", "keys", "values", "items", "copy"},
    "str": {"upper", "lower", "strip", "lstrip", "rstrip", "split", "join", "replace",
            "startswith", "endswith", "find", "count", "encode", "isdigit", "ljust",
            "rjust", "center", "zfill"},
}

# Methods of lists and dicts that change them (values' v_method): as a
# statement, `eval x.m(args)` when x is known to be a list or dict, or when no
# class defines a method of that name.
MUTATING_METHODS = {
    "list": {"append", "extend", "insert", "pop", "remove", "sort", "reverse", "clear"},
    "dict": {"pop", "setdefault", "update", "clear"},
}
VALUE_ONLY_METHODS = {"append", "extend", "insert", "remove", "sort", "reverse", "setdefault",
                      "update", "keys", "values", "items", "startswith", "endswith", "upper",
                      "lower", "strip", "lstrip", "rstrip", "split", "splitlines", "replace",
                      "isdigit", "ljust", "rjust", "zfill", "decode", "encode"}

BUILTIN_KINDS = {"set": "set", "str": "str", "repr": "str", "list": "list", "sorted": "list",
                 "dict": "dict", "format": "str", "chr": "str", "hex": "str"}
STR_RESULT = {"upper", "lower", "strip", "lstrip", "rstrip", "join", "replace",
              "format", "ljust", "rjust", "center", "zfill", "split"}

BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.FloorDiv: "//",
          ast.Pow: "**", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^",
          ast.LShift: "<<", ast.RShift: ">>"}
CMPOPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=",
          ast.Gt: ">", ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in",
          ast.Is: "is", ast.IsNot: "is not"}

# Python's exceptions as the scenario language names them.
EXCEPTIONS = {n: n for n in (
    "Exception BaseException EOFError OSError BrokenPipeError TimeoutError TypeError "
    "IndexError ValueError AssertionError MemoryError RuntimeError StopIteration "
    "BlockingIOError ConnectionError ConnectionRefusedError ConnectionResetError "
    "ConnectionAbortedError FileNotFoundError InterruptedError KeyError FileExistsError "
    "ZeroDivisionError AttributeError NameError RecursionError SystemExit "
    "KeyboardInterrupt NotImplementedError ArithmeticError LookupError ChildProcessError "
    "ProcessLookupError PermissionError").split()}
EXCEPTIONS.update({"IOError": "OSError", "EnvironmentError": "OSError"})
# Exceptions with subclasses among procsim's (sim/lang/exceptions.c).
EXCEPTION_PARENTS = {"BaseException", "Exception", "OSError", "ConnectionError",
                     "ArithmeticError", "LookupError", "RuntimeError"}
QUAL_EXCEPTIONS = {
    "queue.Empty": "Empty", "queue.Full": "Full",
    "multiprocessing.queues.Empty": "Empty", "multiprocessing.queues.Full": "Full",
    "multiprocessing.TimeoutError": "PoolTimeoutError",
    "multiprocessing.context.TimeoutError": "PoolTimeoutError",
    "concurrent.futures.TimeoutError": "TimeoutError",
    "concurrent.futures.CancelledError": "CancelledError",
    "socket.timeout": "TimeoutError", "socket.error": "OSError",
    "pickle.UnpicklingError": "UnpicklingError",
    "select.error": "OSError",
}

# Words the scenario language reads as statements or declarations: a Python
# name spelt like one gets a trailing underscore in the translation.
RESERVED = set("""
alarm at block call cancel compute config describe disk except exec exit expect for
fork handler if join kill let local nice pause pool print processpool program raise
repeat return setpgid setsid signal sleep spawn subreaper tcsetpgrp terminate thread
threadpool timer title try unblock wait waitpid while with yield shared lock rlock
semaphore event queue pipe array joinablequeue threadqueue select poll epoll selector
socket def global eval invoke new break continue del else in and or not is fn ref
greenlet gevent asyncio None True False
""".split())

PRELUDE_DIR = __file__.rpartition("/")[0] + "/prelude"    # no os.path: see procsim_py.py


class Module:
    """One translated source file: the student's, or a prelude file."""

    def __init__(self, path, tree, prelude=False):
        self.path = path
        self.tree = tree
        self.prelude = prelude
        self.aliases = {}      # local name -> qualified name ("mp" -> "multiprocessing")
        self.functions = {}    # def name -> ast.FunctionDef
        self.classes = {}      # class name -> ClassInfo


class ClassInfo:
    def __init__(self, node, module):
        self.node = node
        self.module = module
        self.name = node.name
        self.base = None       # ClassInfo or None
        self.methods = {}      # own methods: name -> ast.FunctionDef
        self.consts = []       # (name, ast expr) class-level assignments

    def mro(self):
        c = self
        while c is not None:
            yield c
            c = c.base

    def find(self, name):
        """(defining ClassInfo, FunctionDef) of method name, or (None, None)."""
        for c in self.mro():
            if name in c.methods:
                return c, c.methods[name]
        return None, None

    def all_methods(self):
        seen = {}
        for c in self.mro():
            for n, f in c.methods.items():
                seen.setdefault(n, (c, f))
        return seen


class Scope:
    """A function's (or the module's) names."""

    def __init__(self, kind, assigned=(), params=(), globals_=(), cls=None):
        self.kind = kind                # "module" or "function"
        self.locals = set(assigned) | set(params)
        self.globals = set(globals_)
        self.locals -= self.globals
        self.kinds = {}                 # variable -> kind (registry) or "inst:C", "list"...
        self.cls = cls                  # ClassInfo defining the method, or None
        self.finally_stack = []         # finally bodies a return must run
        self.loop_marks = []            # len(finally_stack) at each enclosing loop
        self.except_names = []          # `except ... as e` names, innermost last


def assigned_names(body):
    """Names a function body assigns (Python's rule for locals), and the
    names it declares global. Only statements are walked (fast): the
    expressions that could bind a name (:=) are refused elsewhere."""
    names, globs = set(), set()

    def target(t):
        k = type(t)
        if k is ast.Name:
            names.add(t.id)
        elif k is ast.Tuple or k is ast.List:
            for e in t.elts:
                target(e)
        elif k is ast.Starred:
            target(t.value)

    Name = ast.Name
    stack = list(body)
    while stack:
        n = stack.pop()
        k = type(n)
        if k is ast.Assign:
            for t in n.targets:
                if type(t) is Name:
                    names.add(t.id)             # the common case, without a call
                else:
                    target(t)
            continue
        if k is ast.Expr or k is ast.Return or k is ast.Pass:
            continue
        if k is ast.AugAssign or k is ast.AnnAssign or k is ast.For:
            t = n.target
            if type(t) is Name:
                names.add(t.id)
            else:
                target(t)
        elif k is ast.Global:
            globs.update(n.names)
        elif k is ast.With:
            for it in n.items:
                if it.optional_vars is not None:
                    target(it.optional_vars)
        elif k is ast.ExceptHandler:
            if n.name:
                names.add(n.name)
        elif k is ast.FunctionDef or k is ast.ClassDef or k is ast.AsyncFunctionDef:
            names.add(n.name)
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            sub = getattr(n, field, None)
            if sub:
                stack.extend(sub)
    return names, globs


def loop_jumps(body):
    """Does body break or continue a loop around it (not one of its own)?"""
    stack = list(body)
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Break, ast.Continue)):
            return True
        if isinstance(n, (ast.For, ast.While)):
            stack.extend(n.orelse)            # the else belongs to the outer level
            continue
        if isinstance(n, (ast.FunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            sub = getattr(n, field, None)
            if sub:
                stack.extend(sub)
    return False


def is_atom(text):
    """A variable, a number or one string literal: safe as a print argument."""
    if text.isidentifier() or text in ("None", "True", "False"):
        return True
    if text.startswith('"'):
        if "\\" not in text:             # no escapes: is its closing quote the last?
            return text.find('"', 1) == len(text) - 1
        i = 1
        while i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == '"':
                return i == len(text) - 1
            i += 1
        return False
    return text.replace(".", "", 1).isdigit()


def is_wrapped(text):
    """'(...)' whose first parenthesis closes at the very end."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    instr = False
    escaped = False
    last = len(text) - 1
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif instr:
            if ch == "\\":
                escaped = True            # the next character is part of the string
            elif ch == '"':
                instr = False
        elif ch == '"':
            instr = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and i != last:
                return False
    return True


def mangle(name):
    return name + "_" if name in RESERVED else name


def is_const(text):
    """Text that later code cannot change: literals and temporaries."""
    if text.startswith("_t") and text[2:].isdigit():
        return True
    if text.startswith('"') or text in ("None", "True", "False"):
        return True
    t = text.lstrip("(-").rstrip(")")
    return t.replace(".", "", 1).replace("e", "", 1).replace("-", "").isdigit()


class _Nowhere:
    """The position of prelude code (Process, Thread...): `@0:0`, no line
    of the student's file, so a task in it shows its caller's line."""
    lineno = 0
    col_offset = -1


NOWHERE = _Nowhere()

# Translator.st_X and Translator.ex_X by node type, found once (stmt, expr).
_STMT_METHODS = {}
_EXPR_METHODS = {}
# kind_of's answer for literals and displays of these node types.
_LITERAL_KINDS = {ast.List: "list", ast.ListComp: "list", ast.Dict: "dict",
                  ast.DictComp: "dict", ast.Set: "set", ast.SetComp: "set",
                  ast.JoinedStr: "str"}


class Translator:
    def __init__(self, path, source, tree):
        from . import errors
        errors.COLUMNS = errors.Columns(source)   # this file's character columns
        self.path = path
        self.source = source
        self.em = Emitter()
        self.ntmp = 0
        self.main = Module(path, tree)
        self.mod = self.main           # the module being translated
        self.scope = None
        self.node = None               # the statement being translated
        self.renames = {}              # comprehension variables -> temps
        self.preludes = {}             # prelude file -> Module
        self.pending = []              # prelude items to emit: ("class"|"def", Module, name)
        self.emitted = set()
        self.fixed_pos = None          # prelude code: the position of its first use
        self.module_scope = None
        self.global_names = None       # for NameError's suggestion (bound_anywhere)
        self.global_lines = {}
        self.builtin_names = set()
        self.node_function = None      # the def being translated
        self.prelude_order = []        # prelude Modules in the order they were loaded
        self.defaults_of = {}          # FunctionDef -> defaults(f)
        self.params_of = {}            # FunctionDef -> params(f)

    # ------------------------------------------------------------ helpers for lib/
    @property
    def aliases(self):
        return self.mod.aliases

    @property
    def functions(self):
        return self.mod.functions

    def tmp(self):
        self.ntmp += 1
        return "_t%d" % self.ntmp

    def emit(self, text):
        self.em.at_line(NOWHERE if self.fixed_pos is not None else self.node, text)

    def arrow(self, dest):
        return " -> " + dest if dest else ""

    def assign(self, dest, text):
        if dest:
            self.emit("%s = %s" % (dest, text))

    def ticks(self, secs_text):
        """Seconds (an expression) as a whole number of the run's ticks."""
        return "secs_to_ticks(%s)" % secs_text

    def bind(self, call, spec):
        """Match call's arguments to the parameters in spec ("a, b=None"),
        translating each; returns their texts in spec's order."""
        names, defaults = _parse_spec(spec)
        nodes = {}
        for i, a in enumerate(call.args):
            if isinstance(a, ast.Starred):
                unsupported(a, "*arguments in this call")
            if i >= len(names):
                unsupported(a, "this many arguments to %s" % ast.unparse(call.func))
            nodes[names[i]] = a
        for k in call.keywords:
            if k.arg is None or k.arg not in names:
                unsupported(k, "the keyword argument %s= here" % k.arg)
            nodes[k.arg] = k.value
        order = list(call.args) + [k.value for k in call.keywords]
        texts = dict(zip(map(id, order), self.exprs(order)))
        out = []
        for n in names:
            if n in nodes:
                out.append(texts[id(nodes[n])])
            elif n in defaults:
                out.append(defaults[n])
            else:
                unsupported(call, "a call of %s without its argument %s"
                            % (ast.unparse(call.func), n))
        return out

    def qualname(self, node):
        """'os.fork' for os.fork (through imports and aliases), else None."""
        t = type(node)
        if t is ast.Name:
            if self.scope is not None and (node.id in self.scope.locals or
                                           self.module_scope is not None and
                                           node.id in self.module_scope.locals):
                kind = self.kind_of(node)
                if kind and kind.startswith("module:"):
                    return kind[7:]       # ctx = mp.get_context("fork"): ctx.X is mp.X
                if node.id in self.scope.locals:
                    return None
            return self.mod.aliases.get(node.id)
        if t is ast.Attribute:
            base = self.qualname(node.value)
            return base + "." + node.attr if base else None
        return None

    def kind_of(self, node):
        """What the translator knows of an expression's value: a registry
        kind, "inst:CLASS", "list", "dict", "str", or None. (Node types are
        compared with `is`: the parser makes no subclasses of them, and
        this runs for most expressions.)"""
        t = type(node)
        kind = _LITERAL_KINDS.get(t)
        if kind is not None:
            return kind
        if t is ast.Constant:
            return "str" if isinstance(node.value, str) else None
        if t is ast.BinOp:
            return "str" if type(node.op) is ast.Mod and self.kind_of(node.left) == "str" \
                else None
        if t is ast.Call:
            f = node.func
            if type(f) is ast.Name and f.id in BUILTIN_KINDS and \
                    f.id not in self.scope.locals and self.qualname(f) is None:
                return BUILTIN_KINDS[f.id]
            if type(f) is ast.Attribute and f.attr in STR_RESULT and \
                    self.kind_of(f.value) == "str":
                return "str" if f.attr != "split" else "list"
            return None
        if t is ast.Name:
            key = node.id
        elif t is ast.Attribute and type(node.value) is ast.Name and node.value.id == "self":
            key = "self." + node.attr
        else:
            return None
        s = self.scope
        if key in s.kinds:
            return s.kinds[key]
        if t is ast.Name and node.id not in s.locals and self.module_scope:
            return self.module_scope.kinds.get(key)
        return None

    def kind_key(self, node):
        t = type(node)
        if t is ast.Name:
            return node.id
        if t is ast.Attribute and type(node.value) is ast.Name and node.value.id == "self":
            return "self." + node.attr
        return None

    def set_kind(self, target, kind):
        key = self.kind_key(target)
        if key is None:
            return
        if kind is None:
            self.scope.kinds.pop(key, None)
        else:
            self.scope.kinds[key] = kind

    # ------------------------------------------------------------ capture
    def capture(self, depth_delta=0):
        """Translate into a separate buffer: returns a Capture whose .lines
        are the statements emitted meanwhile."""
        return Capture(self, depth_delta)

    def stable(self, text):
        """Text whose value no call can change: constants, temporaries, and
        a function's own locals (a callee cannot assign them)."""
        if is_const(text):
            return True
        s = self.scope
        return s is not None and s.kind == "function" and \
            any(text == mangle(n) for n in s.locals) and text.isidentifier()

    def exprs(self, nodes):
        """Translate expressions in Python's evaluation order: when one
        needs statements (a lowered call), the earlier ones are saved in
        temporaries first, so the call cannot change what they read."""
        texts = []
        for n in nodes:
            if type(n) is ast.Constant:           # cannot need statements: no capture
                texts.append(self.ex_Constant(n))
                continue
            if type(n) is ast.Name and n.id in self.scope.locals and n.id not in self.renames \
                    and not self.scope.except_names:
                n = n.id                          # a local variable (as ex_Name): no capture
                texts.append(n + "_" if n in RESERVED else n)      # mangle(n)
                continue
            # what Capture does, inline (this runs for most expressions)
            em = self.em
            saved_out, saved_pos = em.out, em.pos
            lines = em.out = []
            try:
                t = self.expr(n)
            finally:
                em.out = saved_out
                end_pos = em.pos
                em.pos = saved_pos
            if lines:
                for i, prev in enumerate(texts):
                    if not self.stable(prev):
                        tmp = self.tmp()
                        self.emit("%s = %s" % (tmp, prev))
                        texts[i] = tmp
                if em.pos is not None and lines[0] == "@%d:%d\n" % em.pos:
                    del lines[0]                  # (Capture.flush)
                em.out.extend(lines)
                em.pos = end_pos
            texts.append(t)
        return texts

    # ------------------------------------------------------------ module
    def translate(self):
        mod = self.main
        body = mod.tree.body
        doc = None
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            doc = body[0].value.value             # the module's docstring
            body = body[1:]
        self.em.line("config python=on")
        if doc:
            # the window's "what to watch" notes: one describe per paragraph
            for para in doc.strip().split("\n\n"):
                text = " ".join(x.strip() for x in para.splitlines() if x.strip())
                if text:
                    self.em.line("describe " + str_literal(text))
        body = self.flatten_main(body)
        main = self.collect(mod, body)
        assigned, _ = assigned_names(main)
        self.module_scope = Scope("module", assigned)
        self.scope = self.module_scope
        for st in main:                           # imports first: names for the defs
            if isinstance(st, (ast.Import, ast.ImportFrom)):
                self.stmt(st)
        self.resolve_bases(mod)
        with self.em.block("program __main__"):
            slot = len(self.em.out)
            self.em.out.append("")            # the used prelude files' globals, below
            pos_at_slot = None
            for st in main:
                if not isinstance(st, (ast.Import, ast.ImportFrom)):
                    self.stmt(st)
            end_slot = len(self.em.out)
            self.em.out.append("")            # the used prelude files' atexit calls
            end_depth = self.em.depth
        for f in mod.functions.values():
            self.function(f, f.name)
        for c in mod.classes.values():
            self.class_methods(c)
        self.emit_pending()
        self.em.out[slot] = self.prelude_globals(pos_at_slot)
        self.em.out[end_slot] = self.atexit_calls(main, end_depth)
        self.emit_pending()
        self.em.line("spawn __main__")
        return self.em.text()

    def flatten_main(self, body):
        """`if __name__ == "__main__":` at top level: its body is the
        module's (so its defs and classes are the module's too)."""
        out = []
        for st in body:
            if isinstance(st, ast.If) and self.is_main_check(st.test) and not st.orelse:
                out.extend(self.flatten_main(st.body))
            else:
                out.append(st)
        return out

    def collect(self, mod, body):
        """Register the module's defs and classes; return the other statements."""
        rest = []
        for st in body:
            if isinstance(st, ast.FunctionDef):
                if st.decorator_list:
                    unsupported(st.decorator_list[0], "decorators")
                mod.functions[st.name] = st
            elif isinstance(st, ast.ClassDef):
                mod.classes[st.name] = self.class_info(st, mod)
            elif isinstance(st, ast.AsyncFunctionDef):
                unsupported(st, "async functions (asyncio) in Python source")
            else:
                rest.append(st)
        return rest

    def class_info(self, st, mod):
        if st.decorator_list:
            unsupported(st.decorator_list[0], "class decorators")
        if st.keywords:
            unsupported(st, "metaclasses or class keywords")
        if len(st.bases) > 1:
            unsupported(st.bases[1], "multiple inheritance")
        c = ClassInfo(st, mod)
        for s in st.body:
            if isinstance(s, ast.FunctionDef):
                if s.decorator_list:
                    unsupported(s.decorator_list[0],
                                "decorators (@staticmethod, @property...) on methods")
                c.methods[s.name] = s
            elif isinstance(s, ast.Assign) and len(s.targets) == 1 \
                    and isinstance(s.targets[0], ast.Name):
                c.consts.append((s.targets[0].id, s.value))
            elif isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(
                    s.value, ast.Constant) and isinstance(s.value.value, str)):
                pass
            else:
                unsupported(s, "this statement in a class body")
        return c

    def resolve_bases(self, mod):
        saved = self.mod
        self.mod = mod
        for c in mod.classes.values():
            if not c.node.bases:
                continue
            b = c.node.bases[0]
            if isinstance(b, ast.Name) and b.id == "object":
                continue
            if isinstance(b, ast.Name) and b.id in mod.classes:
                c.base = mod.classes[b.id]
                continue
            q = self.qualname(b)
            if q in PRELUDE:
                c.base = self.prelude_class(q, b)
                continue
            name = ast.unparse(b)
            if name in EXCEPTIONS or q in QUAL_EXCEPTIONS:
                unsupported(b, "your own exception classes (raise a built-in one, "
                               "e.g. raise ValueError(\"...\"))")
            unsupported(b, "subclasses of %s" % (q or name))
        self.mod = saved

    # ------------------------------------------------------------ prelude
    def prelude_module(self, file, at):
        m = self.preludes.get(file)
        if m is not None:
            return m
        path = PRELUDE_DIR + "/" + file + ".py"
        try:
            with open(path, encoding="utf-8") as f:
                src = f.read()
        except OSError:
            raise Unsupported(at, "procsim's prelude file %s.py is missing" % file)
        tree = ast.parse(src, filename=path)
        m = Module(path, tree, prelude=True)
        self.preludes[file] = m
        saved_mod, saved_scope, saved_node = self.mod, self.scope, self.node
        self.mod = m
        self.scope = Scope("module")
        try:
            rest = self.collect(m, tree.body)
            body = rest
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            m.rest = body
            self.prelude_order.append((m, self.fixed_pos or at))
            for st in rest:
                if isinstance(st, (ast.Import, ast.ImportFrom)):
                    self.stmt(st)
            self.resolve_bases(m)
        finally:
            self.mod, self.scope, self.node = saved_mod, saved_scope, saved_node
        return m

    def atexit_calls(self, main, depth):
        """Calls the used prelude files want at the normal end of the
        program (registry.ATEXIT: multiprocessing joins its children)."""
        out = []
        last = main[-1] if main else None
        for file, fname in ATEXIT:
            m = self.preludes.get(file)
            if m is None or fname not in m.functions:
                continue
            saved = self.em.out, self.em.depth, self.mod, self.fixed_pos
            self.em.out, self.em.depth, self.mod = out, depth, m
            self.fixed_pos = self.fixed_pos or last
            self.em.pos = None
            try:
                self.want(m, "def", fname, last)
                self.emit("call %s()" % fname)
            finally:
                self.em.out, self.em.depth, self.mod, self.fixed_pos = saved
                self.em.pos = self.em.want = None
        return "".join(out)

    def prelude_globals(self, pos_after):
        """The module-level assignments of the prelude files used, run at
        the start of __main__ (process variables, as Python's module globals)."""
        out = []
        for m, at in self.prelude_order:
            saved = self.em.out, self.em.depth, self.mod, self.scope, self.fixed_pos
            self.em.out, self.em.depth = out, 1
            self.em.pos = None
            self.mod, self.scope, self.fixed_pos = m, self.module_scope, at
            try:
                for st in m.rest:
                    if not isinstance(st, (ast.Import, ast.ImportFrom)):
                        self.stmt(st)
            finally:
                self.em.out, self.em.depth, self.mod, self.scope, self.fixed_pos = saved
                self.em.pos = self.em.want = None
            self.emit_pending()
        return "".join(out)

    def prelude_class(self, qual, at):
        file, cls = PRELUDE[qual]
        m = self.prelude_module(file, at)
        if cls not in m.classes:
            raise Unsupported(at, "procsim's prelude %s.py has no class %s" % (file, cls))
        self.want(m, "class", cls, at)
        return m.classes[cls]

    def want(self, mod, what, name, at):
        """Emit a prelude class or function (once), at the end."""
        if not mod.prelude:
            return
        key = (mod.path, what, name)
        if key not in self.emitted:
            self.emitted.add(key)
            pos = self.fixed_pos or at
            self.pending.append((what, mod, name, pos))
            if what == "class":
                base = mod.classes[name].base
                if base is not None:
                    self.want(base.module, "class", base.name, at)

    def emit_pending(self):
        while self.pending:
            what, mod, name, pos = self.pending.pop(0)
            saved = self.mod, self.fixed_pos
            self.mod, self.fixed_pos = mod, pos
            try:
                if what == "class":
                    self.class_methods(mod.classes[name])
                else:
                    self.function(mod.functions[name], name)
            finally:
                self.mod, self.fixed_pos = saved

    # ------------------------------------------------------------ defs
    def function(self, f, emitted_name, cls=None):
        a = f.args
        if a.vararg or a.kwarg or a.posonlyargs:
            unsupported(f, "*args or **kwargs parameters")
        params = self.params(f)
        assigned, globs = assigned_names(f.body)
        saved_scope, saved_fn = self.scope, self.node_function
        self.node_function = f
        self.scope = Scope("function", assigned, params, globs, cls)
        self.node = f
        if cls is not None and params and params[0] == "self":
            self.scope.kinds["self"] = "inst:" + cls.name
        try:
            texts = []
            defaults = self.defaults(f)
            for p in params:
                if p in defaults:
                    with self.capture() as cap:
                        d = self.expr(defaults[p])
                    if cap.lines:
                        unsupported(defaults[p], "a default value that calls a function")
                    texts.append("%s=%s" % (mangle(p), d))
                else:
                    if texts and "=" in texts[-1]:
                        unsupported(f, "a parameter without a default after one with a "
                                       "default (keyword-only parameters)")
                    texts.append(mangle(p))
            self.em.at(NOWHERE if self.fixed_pos is not None else f)
            with self.em.block("def %s(%s)" % (emitted_name, ", ".join(texts))):
                self.body(f.body)
        finally:
            self.scope, self.node_function = saved_scope, saved_fn

    def params(self, f):
        """The names of f's parameters, positional then keyword-only (the
        same list for every call: callers only read it)."""
        out = self.params_of.get(f)
        if out is None:
            a = f.args
            out = self.params_of[f] = [p.arg for p in a.args] + [p.arg for p in a.kwonlyargs]
        return out

    def defaults(self, f):
        """f's parameters with a default: name -> the default's node (the
        same dict for every call: callers only read it)."""
        out = self.defaults_of.get(f)
        if out is not None:
            return out
        a = f.args
        out = self.defaults_of[f] = {}
        pos = [p.arg for p in a.args]
        for p, d in zip(pos[len(pos) - len(a.defaults):], a.defaults):
            out[p] = d
        for p, d in zip(a.kwonlyargs, a.kw_defaults):
            if d is not None:
                out[p.arg] = d
        return out

    def class_methods(self, c):
        for name, (owner, f) in c.all_methods().items():
            # an inherited method is compiled in its own module (its names,
            # imports); prelude code carries the position of its use
            saved = self.mod, self.fixed_pos
            self.mod = owner.module
            if owner.module.prelude and self.fixed_pos is None:
                self.fixed_pos = c.node
            try:
                self.function(f, "%s.%s" % (c.name, name), owner)
            finally:
                self.mod, self.fixed_pos = saved

    def body(self, stmts):
        for st in stmts:
            self.stmt(st)

    # ------------------------------------------------------------ statements
    def stmt(self, st):
        self.node = st
        self.em.at(NOWHERE if self.fixed_pos is not None else st)
        k = type(st)
        m = _STMT_METHODS.get(k)
        if m is None:
            m = getattr(Translator, "st_" + k.__name__, None)
            if m is None:
                unsupported(st, STMT_NAMES.get(k.__name__, "%s statements" % k.__name__))
            _STMT_METHODS[k] = m
        m(self, st)
        self.node = st

    def st_Import(self, st):
        for a in st.names:
            top = a.name.split(".")[0]
            lib.load(top)
            if top not in MODULES:
                unsupported(st, "the module %s" % a.name)
            if a.asname:
                self.mod.aliases[a.asname] = a.name
            else:
                self.mod.aliases[top] = top

    def st_ImportFrom(self, st):
        if st.level:
            unsupported(st, "relative imports")
        top = (st.module or "").split(".")[0]
        lib.load(top)
        if top not in MODULES:
            unsupported(st, "the module %s" % st.module)
        for a in st.names:
            if a.name == "*":
                unsupported(st, "import *")
            self.mod.aliases[a.asname or a.name] = st.module + "." + a.name

    def st_Expr(self, st):
        v = st.value
        t = type(v)
        if t is ast.Constant:
            return                                 # a docstring, or `...`
        if t is ast.Call:
            self.call(v, None)
            return
        text = self.expr(v)
        if not is_const(text):
            self.emit("eval " + text)

    def st_Pass(self, st):
        pass

    def st_FunctionDef(self, st):
        unsupported(st, "functions defined inside functions or blocks (define them "
                        "at the top level)")

    def st_ClassDef(self, st):
        unsupported(st, "classes defined inside functions or blocks")

    def st_Assign(self, st):
        v = st.value
        if len(st.targets) == 1:
            self.assign_to(st.targets[0], v)
            return
        t = self.tmp()
        self.value_to(t, v)
        for target in st.targets:
            self.store(target, t, self.kind_of(v))

    def st_AnnAssign(self, st):
        if st.value is not None:
            self.assign_to(st.target, st.value)

    def value_to(self, dest, v):
        """Evaluate v into the variable dest; returns the value's kind."""
        if isinstance(v, ast.Call):
            return self.call(v, dest)
        self.emit("%s = %s" % (dest, self.expr(v)))
        return self.kind_of(v)

    def assign_to(self, target, v):
        if type(target) is ast.Name:
            name = self.var(target.id)
            kind = self.value_to(name, v)
            self.set_kind(target, kind)
            return
        self.class_attr_target(target)
        if isinstance(target, (ast.Tuple, ast.List)) and \
                all(isinstance(e, ast.Name) for e in target.elts):
            kinds = None
            if isinstance(v, ast.Call):
                t = self.tmp()
                kinds = self.call(v, t)
                text = t
            else:
                text = self.expr(v)
            self.emit("%s = %s" % (", ".join(self.var(e.id) for e in target.elts), text))
            # a handler may return one kind per item (a, b = Pipe())
            if not (isinstance(kinds, tuple) and len(kinds) == len(target.elts)):
                kinds = (None,) * len(target.elts)
            for e, k in zip(target.elts, kinds):
                self.set_kind(e, k)
            return
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and not isinstance(v, ast.Call) and self.qualname(target.value) is None \
                and self.attr_hook(target.value, "__setattr__") is None:
            # X.attr = E: Python evaluates E, then X.
            text = self.expr(v)
            self.emit("%s.%s = %s" % (self.expr(target.value), target.attr, text))
            self.set_kind(target, self.kind_of(v))
            return
        t = self.tmp()
        kind = self.value_to(t, v)
        self.store(target, t, kind)

    def attr_hook(self, recv, hook):
        """The class whose `hook` (__getattr__, __setattr__, __delattr__)
        handles attributes of recv (threading.local), or None; inside the
        class's own methods `self.x` is a plain attribute."""
        kind = self.kind_of(recv)
        if not (kind and kind.startswith("inst:")):
            return None
        cls = self.find_class(kind[5:])
        if cls is None or cls.find(hook)[1] is None:
            return None
        if isinstance(recv, ast.Name) and recv.id == "self" and self.scope.cls is not None:
            return None
        return cls

    def class_attr_target(self, t):
        if type(t) is ast.Attribute and type(t.value) is ast.Name and \
                t.value.id in self.mod.classes and t.value.id not in self.scope.locals:
            unsupported(t, "changing a class attribute (%s); keep the value in a global "
                           "variable" % ast.unparse(t))

    def store(self, target, text, kind=None):
        """Store the value text (a constant or temporary) in target."""
        self.class_attr_target(target)
        if isinstance(target, ast.Name):
            self.emit("%s = %s" % (self.var(target.id), text))
            self.set_kind(target, kind)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if any(isinstance(e, ast.Starred) for e in target.elts):
                unsupported(target, "starred assignment (a, *b = ...)")
            if all(isinstance(e, ast.Name) for e in target.elts):
                self.emit("%s = %s" % (", ".join(self.var(e.id) for e in target.elts), text))
                return
            temps = [self.tmp() for _ in target.elts]
            self.emit("%s = %s" % (", ".join(temps), text))
            for e, t in zip(target.elts, temps):
                self.store(e, t)
        elif isinstance(target, ast.Subscript):
            obj, key = self.exprs([target.value, target.slice])
            self.emit("%s[%s] = %s" % (obj, key, text))
        elif isinstance(target, ast.Attribute):
            if self.qualname(target.value) is not None:
                unsupported(target, "assigning to a module's attribute")
            hook = self.attr_hook(target.value, "__setattr__")
            if hook is not None:
                self.emit("call %s.__setattr__(%s, %s, %s)" % (
                    hook.name, self.expr(target.value), str_literal(target.attr), text))
                return
            self.emit("%s.%s = %s" % (self.expr(target.value), target.attr, text))
            self.set_kind(target, kind)
        elif isinstance(target, ast.Starred):
            unsupported(target, "starred assignment (a, *b = ...)")
        else:
            unsupported(target, "assignment to this target")

    def st_AugAssign(self, st):
        op = BINOPS.get(type(st.op))
        t = st.target
        self.class_attr_target(t)
        if isinstance(st.op, ast.Add) and "list" in (self.kind_of(t), self.kind_of(st.value)):
            # a list's += extends it in place (its other names see it): iadd()
            if isinstance(t, ast.Name):
                self.emit("%s = %s" % (self.var(t.id), self.iadd_text(t, st.value)))
            else:
                tmp = self.tmp()
                self.emit("%s = %s" % (tmp, self.iadd_text(t, st.value)))
                self.store(t, tmp)
            return
        if isinstance(t, ast.Name):
            name = self.var(t.id)
            if op in ("+", "-") and not isinstance(st.value, ast.Call):
                self.emit("%s %s= %s" % (name, op, self.expr(st.value)))
                return
            fake = ast.BinOp(left=ast.Name(t.id, ast.Load()), op=st.op, right=st.value)
            ast.copy_location(fake, st)
            ast.fix_missing_locations(fake)
            self.emit("%s = %s" % (name, self.expr(fake)))
            return
        if isinstance(t, ast.Subscript):
            obj, key = self.exprs([t.value, t.slice])
            obj, key = self.spill(obj), self.spill(key)
            cur = "%s[%s]" % (obj, key)
        elif isinstance(t, ast.Attribute):
            if self.qualname(t.value) is not None:
                unsupported(t, "assigning to a module's attribute")
            if self.attr_hook(t.value, "__setattr__") is not None:
                # x.a += v through __getattr__/__setattr__ (threading.local)
                obj = ast.Name(id=self.spill(self.expr(t.value)), ctx=ast.Load())
                fake = ast.BinOp(left=ast.Attribute(value=t.value, attr=t.attr, ctx=ast.Load()),
                                 op=st.op, right=st.value)
                ast.copy_location(fake, st)
                ast.fix_missing_locations(fake)
                val = self.spill(self.expr(fake))
                self.store(t, val)
                return
            obj = self.spill(self.expr(t.value))
            cur = "%s.%s" % (obj, t.attr)
        else:
            unsupported(t, "augmented assignment to this target")
        with self.capture() as cap:
            val = self.expr(st.value)
        kind = self.kind_of(t.value)
        if op in ("+", "-") and not cap.lines and (
                isinstance(t, ast.Subscript) or
                (t.attr == "value" and not (kind and kind.startswith("inst:")))):
            # X[K] += E, and `v.value += 1`: the shared Value's own (non-atomic) form
            self.emit("%s %s= %s" % (cur, op, val))
            return
        if cap.lines:
            old = self.tmp()
            self.emit("%s = %s" % (old, cur))
            cap.flush()
            cur_read = old
        else:
            cur_read = cur
        self.emit("%s = %s" % (cur, self.binop_text(st.op, cur_read, val, st)))

    def iadd_text(self, target, value):
        load = ast.Attribute(value=target.value, attr=target.attr, ctx=ast.Load()) \
            if isinstance(target, ast.Attribute) else \
            ast.Subscript(value=target.value, slice=target.slice, ctx=ast.Load()) \
            if isinstance(target, ast.Subscript) else ast.Name(id=target.id, ctx=ast.Load())
        ast.copy_location(load, target)
        a, b = self.exprs([load, value])
        return "iadd(%s, %s)" % (a, b)

    def spill(self, text):
        if is_const(text) or text.isidentifier():
            return text
        t = self.tmp()
        self.emit("%s = %s" % (t, text))
        return t

    def st_Delete(self, st):
        for t in st.targets:
            if isinstance(t, ast.Subscript):
                obj, key = self.exprs([t.value, t.slice])
                self.emit("del %s[%s]" % (obj, key))
            elif isinstance(t, ast.Attribute) and self.attr_hook(t.value, "__delattr__"):
                hook = self.attr_hook(t.value, "__delattr__")
                self.emit("call %s.__delattr__(%s, %s)" % (hook.name, self.expr(t.value),
                                                          str_literal(t.attr)))
            else:
                unsupported(t, "del of a variable or attribute (only del x[key])")

    def st_If(self, st):
        if self.is_main_check(st.test):
            self.body(st.body)
            return
        self.emit("if %s {" % self.expr(st.test))
        self.em.depth += 1
        self.body(st.body)
        self.em.depth -= 1
        orelse = st.orelse
        while orelse:
            if len(orelse) == 1 and isinstance(orelse[0], ast.If):
                sub = orelse[0]
                self.node = sub
                self.em.at(NOWHERE if self.fixed_pos is not None else sub)
                with self.capture() as cap:
                    cond = self.expr(sub.test)
                if not cap.lines:
                    self.em.line("} else if %s {" % cond)
                    self.em.depth += 1
                    self.body(sub.body)
                    self.em.depth -= 1
                    orelse = sub.orelse
                    continue
            self.em.line("} else {")
            self.em.depth += 1
            self.body(orelse)
            self.em.depth -= 1
            break
        self.em.line("}")

    def is_main_check(self, test):
        return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
                and test.left.id == "__name__" and len(test.ops) == 1
                and isinstance(test.ops[0], ast.Eq)
                and isinstance(test.comparators[0], ast.Constant)
                and test.comparators[0].value == "__main__")

    def loop_else_flag(self, st):
        """for/while ... else: a flag that a break sets (else runs when it
        stays False)."""
        if not st.orelse:
            return None
        flag = self.tmp()
        self.emit("%s = False" % flag)
        return flag

    def loop_else(self, st, flag):
        if flag is None:
            return
        self.node = st
        self.em.at(self.fixed_pos or st.orelse[0])
        self.emit("if not %s {" % flag)
        self.em.depth += 1
        self.body(st.orelse)
        self.em.depth -= 1
        self.em.line("}")

    def loop_body(self, stmts, flag=None):
        self.scope.loop_marks.append((len(self.scope.finally_stack), flag))
        try:
            self.body(stmts)
        finally:
            self.scope.loop_marks.pop()

    def st_While(self, st):
        flag = self.loop_else_flag(st)
        with self.capture(1) as cap:
            cond = self.expr(st.test)
        if not cap.lines:
            self.emit("while %s {" % cond)
            self.em.depth += 1
        else:
            # The condition needs statements: evaluate it at the top of each round.
            self.emit("while True {")
            self.em.depth += 1
            cap.flush()
            self.emit("if not %s {" % cond)
            self.em.line("  break")
            self.em.line("}")
        self.loop_body(st.body, flag)
        self.em.depth -= 1
        self.em.line("}")
        self.loop_else(st, flag)

    def st_For(self, st):
        flag = self.loop_else_flag(st)
        it = st.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" \
                and "range" not in self.scope.locals and not it.keywords \
                and 1 <= len(it.args) <= 3 and isinstance(st.target, ast.Name):
            args = self.exprs(it.args)
            head = "for %s in range(%s)" % (self.var(st.target.id), ", ".join(args))
            post = []
        elif not st.orelse and self.is_imap(it):
            # for x in pool.imap(...): next() each turn, so the body runs as
            # the items come back and a failed item raises at its place
            self.imap_loop = True
            src = self.tmp()
            self.call(it, src)
            target, post = self.loop_target(st.target)
            x = self.tmp()
            self.emit("while True {")
            self.em.depth += 1
            self.emit("try {")
            self.em.line("  %s.next -> %s" % (src, x))
            self.em.line("} except StopIteration {")
            self.em.line("  break")
            self.em.line("}")
            self.emit("%s = %s" % (target, x))
            for target, t in post:
                self.store(target, t)
            self.loop_body(st.body, flag)
            self.em.depth -= 1
            self.em.line("}")
            return
        else:
            src = self.expr(it)
            target, post = self.loop_target(st.target)
            head = "for %s in %s" % (target, src)
        self.emit(head + " {")
        self.em.depth += 1
        for target, t in post:
            self.store(target, t)
        self.loop_body(st.body, flag)
        self.em.depth -= 1
        self.em.line("}")
        self.loop_else(st, flag)

    def is_imap(self, it):
        """Is `it` a call of a Pool's imap or imap_unordered?"""
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and
                it.func.attr in ("imap", "imap_unordered")):
            return False
        kind = self.kind_of(it.func.value)
        return bool(kind) and ("%s.%s" % (kind, it.func.attr)) in METHODS

    def loop_target(self, target):
        """The loop variable text, and (target, temp) stores for nested parts."""
        if isinstance(target, ast.Name):
            self.set_kind(target, None)
            return self.var(target.id), []
        if isinstance(target, (ast.Tuple, ast.List)):
            names, post = [], []
            for e in target.elts:
                if isinstance(e, ast.Name):
                    names.append(self.var(e.id))
                elif isinstance(e, (ast.Tuple, ast.List)):
                    t = self.tmp()
                    names.append(t)
                    post.append((e, t))
                else:
                    unsupported(e, "this loop target")
            return ", ".join(names), post
        unsupported(target, "this loop target")

    def st_Return(self, st):
        if self.scope.kind != "function":
            unsupported(st, "return outside a function")
        text = None
        if st.value is not None:
            text = self.expr(st.value)
            if self.scope.finally_stack and not is_const(text):
                t = self.tmp()
                self.emit("%s = %s" % (t, text))
                text = t
        for fin in reversed(self.scope.finally_stack):
            self.inline_finally(fin)
        self.node = st
        self.emit("return" + (" " + text if text is not None else ""))

    def inline_finally(self, fin):
        """Run a finally body (statements) or a with's exit (a function)
        before a return, break or continue leaves it."""
        saved = self.scope.finally_stack
        self.scope.finally_stack = saved[:next(i for i, f in enumerate(saved) if f is fin)]
        try:
            if callable(fin):
                fin()
            else:
                self.body(fin)
        finally:
            self.scope.finally_stack = saved

    def loop_jump(self, st, word):
        if not self.scope.loop_marks:
            unsupported(st, "%s outside a loop" % word)
        mark, flag = self.scope.loop_marks[-1]
        for fin in reversed(self.scope.finally_stack[mark:]):
            self.inline_finally(fin)
        self.node = st
        if flag is not None and word == "break":
            self.emit("%s = True" % flag)
        self.emit(word)

    def st_Break(self, st):
        self.loop_jump(st, "break")

    def st_Continue(self, st):
        self.loop_jump(st, "continue")

    def st_Global(self, st):
        if self.scope.kind == "function":
            self.emit("global " + ", ".join(mangle(n) for n in st.names))

    def st_Nonlocal(self, st):
        unsupported(st, "nonlocal (nested functions)")

    def st_Assert(self, st):
        with self.capture(1) as cap:
            msg = self.expr(st.msg) if st.msg is not None else None
        self.emit("if not %s {" % self.expr(st.test))
        self.em.depth += 1
        cap.flush()
        self.emit("raise AssertionError" + (" str(%s)" % msg if msg is not None and
                                             not msg.startswith('"') else
                                             (" " + msg if msg else "")))
        self.em.depth -= 1
        self.em.line("}")

    def st_Raise(self, st):
        if st.exc is None:
            self.emit("raise")
            return
        e = st.exc
        if isinstance(e, ast.Name) and self.scope.except_names and \
                e.id == self.scope.except_names[-1][0]:
            self.emit("raise")                    # `except X as e: ... raise e`
            return
        args = []
        if isinstance(e, ast.Call):
            if e.keywords or len(e.args) > 1:
                unsupported(e, "an exception with several arguments")
            args = e.args
            e = e.func
        name = self.exception_name(e)
        if not args:
            self.emit("raise " + name)
            return
        msg = self.expr(args[0])
        if not msg.startswith('"') and self.kind_of(args[0]) != "str":
            msg = "str(%s)" % msg
        self.emit("raise %s %s" % (name, msg))

    def exception_name(self, e):
        q = self.qualname(e)                  # `from queue import Empty`: queue.Empty
        if q in QUAL_EXCEPTIONS:
            return QUAL_EXCEPTIONS[q]
        if isinstance(e, ast.Name) and e.id in EXCEPTIONS and q is None:
            return EXCEPTIONS[e.id]
        if isinstance(e, ast.Name) and e.id in self.mod.classes:
            unsupported(e, "your own exception classes (raise a built-in one, "
                           "e.g. raise ValueError(\"...\"))")
        unsupported(e, "the exception %s" % ast.unparse(e))

    def st_Try(self, st):
        if st.finalbody:
            self.try_finally(st)
        else:
            self.try_except(st)

    def try_finally(self, st):
        fin = st.finalbody
        self.scope.finally_stack.append(fin)
        self.emit("try {")
        self.em.depth += 1
        try:
            if st.handlers:
                self.try_except(st)
            else:
                self.body(st.body)
        finally:
            self.scope.finally_stack.pop()
        self.em.depth -= 1
        self.node = st
        self.em.line("} except {")
        self.em.depth += 1
        self.body(fin)
        self.node = st
        self.emit("raise")
        self.em.depth -= 1
        self.em.line("}")
        self.body(fin)

    def try_except(self, st):
        flag = None
        if st.orelse:
            flag = self.tmp()
            self.emit("%s = False" % flag)
        self.emit("try {")
        self.em.depth += 1
        self.body(st.body)
        if flag:
            self.emit("%s = True" % flag)
        self.em.depth -= 1
        for h in st.handlers:
            self.node = h
            self.em.at(self.fixed_pos or h)
            if h.type is None:
                names = [None]
            elif isinstance(h.type, ast.Tuple):
                names = [self.exception_name(x) for x in h.type.elts]
            else:
                names = [self.exception_name(h.type)]
            for n in names:
                head = "} except"
                if n is not None:
                    head += " " + n
                    if h.name:
                        head += " as " + self.var(h.name)
                self.em.line(head + " {")
                self.em.depth += 1
                self.scope.except_names.append((h.name, n))
                try:
                    self.body(h.body)
                finally:
                    self.scope.except_names.pop()
                self.em.depth -= 1
        self.em.line("}")
        if flag:
            self.node = st
            self.emit("if %s {" % flag)
            self.em.depth += 1
            self.body(st.orelse)
            self.em.depth -= 1
            self.em.line("}")

    def st_With(self, st):
        self.with_items(st, list(st.items))

    def with_guarded(self, st, items, leave):
        """The rest of a `with` (its other items and its body) in a try
        whose every way out runs leave(): the end, an exception (raised
        again), and a return, break or continue (finally_stack)."""
        self.emit("try {")
        self.em.depth += 1
        self.scope.finally_stack.append(leave)
        try:
            self.with_items(st, items)
        finally:
            self.scope.finally_stack.pop()
        self.em.depth -= 1
        self.em.line("} except {")
        self.em.depth += 1
        self.node = st
        leave()
        self.emit("raise")
        self.em.depth -= 1
        self.em.line("}")
        self.node = st
        leave()

    def with_items(self, st, items):
        if not items:
            self.body(st.body)
            return
        item = items[0]
        self.node = st
        ctx = item.context_expr
        var = item.optional_vars
        if var is not None and not isinstance(var, ast.Name):
            unsupported(var, "this with ... as target")
        dest = self.var(var.id) if var is not None else self.tmp()
        if isinstance(ctx, ast.Name) and var is None:
            dest = self.var(ctx.id)
            kind = self.kind_of(ctx)
        else:
            kind = self.value_to(dest, ctx)
            if var is not None:
                self.set_kind(var, kind)
        enter = METHODS.get("%s.__enter__" % kind) if kind else None
        exit_ = METHODS.get("%s.__exit__" % kind) if kind else None
        cls = self.find_class(kind[5:]) if kind and kind.startswith("inst:") else None
        if cls is not None and not exit_ and cls.find("__exit__")[1] is not None:
            # a class of the program's: its own __enter__ and __exit__
            obj = self.tmp()
            self.emit("%s = %s" % (obj, dest))
            if cls.find("__enter__")[1] is not None:
                self.emit("call %s.__enter__(%s)%s" % (cls.name, obj,
                                                      self.arrow(dest if var is not None
                                                                 else None)))

            def exit_(tr, node, d, recv, cls=cls, obj=obj):
                tr.emit("call %s.__exit__(%s, None, None, None)" % (cls.name, obj))
        elif enter:
            enter(self, item, None, dest)
        if exit_:
            # try/finally with the kind's own exit.
            def leave(exit_=exit_, item=item, dest=dest):
                exit_(self, item, None, dest)
            self.with_guarded(st, items[1:], leave)
            return
        if kind and (kind.startswith("inst:") or kind in ("list", "dict", "str")):
            unsupported(ctx, "with on this object")
        if loop_jumps(st.body):
            # break/continue cannot leave the language's `with`: acquire and
            # release explicitly, the release run on every way out.
            def release(dest=dest):
                self.emit("invoke %s.release()" % dest)
            self.emit("invoke %s.acquire()" % dest)
            self.with_guarded(st, items[1:], release)
            return
        self.emit("with %s {" % dest)
        self.em.depth += 1
        self.with_items(st, items[1:])
        self.em.depth -= 1
        self.em.line("}")

    # ------------------------------------------------------------ names
    def var(self, name):
        """A variable's name in the translation."""
        if name in self.renames:
            return self.renames[name]
        return name + "_" if name in RESERVED else name       # mangle(name)

    # ------------------------------------------------------------ calls
    def call(self, c, dest):
        """A call as a statement; its result goes to dest (or nowhere).
        Returns the kind of the result when known."""
        f = c.func
        is_name = type(f) is ast.Name
        local = is_name and (f.id in self.scope.locals or f.id in self.renames)
        if is_name and not local:
            if f.id == "print" and "print" not in self.mod.aliases:
                self.print_call(c)
                self.assign(dest, "None")
                return None
            if f.id in self.mod.functions:
                self.call_function(c, f.id, self.mod.functions[f.id], dest)
                return None
            if f.id in self.mod.classes:
                return self.construct(c, self.mod.classes[f.id], dest)
        q = None if local else self.qualname(f)
        if q in CALLS:
            h = CALLS[q]
            if h.pure:
                text = h(self, c)
                self.emit("%s = %s" % (dest, text) if dest else "eval " + text)
                return None
            return h(self, c, dest)
        if q in PRELUDE:
            return self.construct(c, self.prelude_class(q, c), dest)
        if isinstance(f, ast.Name) and not local and q is None:
            if f.id in ("exit", "quit") and "sys.exit" in CALLS:
                return CALLS["sys.exit"](self, c, dest)
            h = CALLS.get("builtins." + f.id)
            if h is not None:                     # a builtin a lib module handles
                if h.pure:
                    text = h(self, c)
                    self.emit("%s = %s" % (dest, text) if dest else "eval " + text)
                    return None
                return h(self, c, dest)
            text = self.builtin(c)
            if text is not None:
                self.emit("%s = %s" % (dest, text) if dest else "eval " + text)
                return None
            if f.id not in self.scope.locals and f.id not in (self.module_scope.locals
                                                              if self.module_scope else ()):
                if self.mod is self.main and not self.bound_anywhere(f.id):
                    self.name_error(f, f.id)      # CPython: NameError when the call runs
                    self.assign(dest, "None")
                    return None
                unsupported(c, "the function %s()" % f.id)
        if q is not None:
            unsupported(c, "%s()" % q)
        if isinstance(f, ast.Attribute):
            return self.method_call(c, dest)
        # A function held in a variable: a dynamic call.
        self.dynamic_call("call", self.expr(f), c, dest)
        return None

    def args_tuple(self, c, fn_text=None):
        """A call's positional arguments as one tuple expression (`*xs` too)."""
        if c.keywords and not (self.mod.prelude and all(k.arg is None for k in c.keywords)):
            unsupported(c.keywords[0], "keyword arguments when calling a function held "
                                       "in a variable")
        parts, plain = [], []
        nodes = [a.value if isinstance(a, ast.Starred) else a for a in c.args]
        texts = self.exprs(nodes)
        for a, t in zip(c.args, texts):
            if isinstance(a, ast.Starred):
                if plain:
                    parts.append("(" + ", ".join(plain) + ",)")
                    plain = []
                parts.append("tuple(%s)" % t)
            else:
                plain.append(t)
        if plain or not parts:
            parts.append("(" + ", ".join(plain) + ("," if plain else "") + ")")
        return " + ".join(parts)

    def dynamic_call(self, word, fn_text, c, dest):
        fn_text = self.spill(fn_text) if not fn_text.isidentifier() else fn_text
        args = self.args_tuple(c)
        self.emit("%s @%s %s%s" % (word, fn_text, args, self.arrow(dest)))

    def resolve_args(self, c, f, skip_self=False):
        """Python's binding of c's arguments to def f's parameters, done
        here: positional texts in parameter order (defaults filled only
        where a later argument is given)."""
        a = f.args
        params = self.params(f)
        npos = len(a.args)
        if skip_self:
            params, npos = params[1:], npos - 1
        if ast.Starred in map(type, c.args) or \
                c.keywords and None in [k.arg for k in c.keywords]:
            return None
        if len(c.args) > npos:
            type_error(c, "%s() takes %d positional argument%s but %d %s given"
                       % (f.name, npos, "" if npos == 1 else "s", len(c.args),
                          "was" if len(c.args) == 1 else "were"))
        nodes = {}
        for p, x in zip(params, c.args):
            nodes[p] = x
        for k in c.keywords:
            if k.arg not in params:
                type_error(k, "%s() got an unexpected keyword argument '%s'"
                           % (f.name, k.arg))
            if k.arg in nodes:
                type_error(k, "%s() got multiple values for argument '%s'"
                           % (f.name, k.arg))
            nodes[k.arg] = k.value
        order = list(c.args) + [k.value for k in c.keywords]
        texts = dict(zip(map(id, order), self.exprs(order)))
        defaults = self.defaults(f)
        last = max([params.index(p) for p in nodes] or [-1])
        out = []
        for i, p in enumerate(params[:last + 1]):
            if p in nodes:
                out.append(texts[id(nodes[p])])
            elif p in defaults:
                saved = self.scope
                with self.capture() as cap:
                    out.append(self.expr(defaults[p]))
                self.scope = saved
                cap.flush()
            else:
                type_error(c, "%s() missing required argument: '%s'" % (f.name, p))
        for p in params[last + 1:]:
            if p not in defaults:
                type_error(c, "%s() missing required argument: '%s'" % (f.name, p))
        return out

    def call_function(self, c, name, f, dest):
        self.want(self.mod, "def", name, c)
        for k in c.keywords:
            if k.arg is None and not self.mod.prelude:
                unsupported(k, "**mapping arguments (write the keywords out)")
        args = self.resolve_args(c, f)
        if args is None:
            self.dynamic_call("call", "fn(%s)" % name, c, dest)
        else:
            self.emit("call %s(%s)%s" % (name, ", ".join(args), self.arrow(dest)))

    def construct(self, c, cls, dest):
        """C(args): a new instance, then its __init__."""
        self.want(cls.module, "class", cls.name, c)
        obj = dest if dest and dest.isidentifier() and dest.startswith("_t") else self.tmp()
        owner, init = cls.find("__init__")
        if init is not None:
            args = self.resolve_args(c, init, skip_self=True)
            if args is None:
                unsupported(c, "*args or **kwargs when creating an object")
        elif c.args or c.keywords:
            unsupported(c, "%s() takes no arguments" % cls.name)
        self.emit("%s = new(\"%s\")" % (obj, cls.name))
        for cl in reversed(list(cls.mro())):
            for n, v in cl.consts:
                saved = self.mod
                self.mod = cl.module
                try:
                    self.emit("%s.%s = %s" % (obj, n, self.expr(v)))
                finally:
                    self.mod = saved
        if init is not None:
            self.emit("call %s.__init__(%s)" % (cls.name, ", ".join([obj] + args)))
        if dest and dest != obj:
            self.emit("%s = %s" % (dest, obj))
        return "inst:" + cls.name

    def method_call(self, c, dest):
        f = c.func
        recv = f.value
        name = f.attr
        # super().m(...): the defining class's base, called directly.
        if isinstance(recv, ast.Call) and isinstance(recv.func, ast.Name) \
                and recv.func.id == "super" and not recv.args:
            cls = self.scope.cls
            if cls is None or cls.base is None:
                unsupported(recv, "super() outside a method of a subclass")
            owner, m = cls.base.find(name)
            if m is None:
                if name == "__init__":
                    self.assign(dest, "None")
                    return None
                unsupported(c, "super().%s(): no base class defines it" % name)
            self.want(owner.module, "class", owner.name, c)
            args = self.resolve_args(c, m, skip_self=True)
            if args is None:
                unsupported(c, "*args or **kwargs in a super() call")
            # the base's own copy of the method (inherited ones are emitted per class)
            self.emit("call %s.%s(%s)%s" % (cls.base.name, name,
                                           ", ".join(["self"] + args), self.arrow(dest)))
            return None
        # C.m(self, ...): a class's method called through the class.
        if isinstance(recv, ast.Name) and recv.id in self.mod.classes and \
                recv.id not in self.scope.locals:
            cls = self.mod.classes[recv.id]
            owner, m = cls.find(name)
            if m is None:
                unsupported(c, "%s.%s" % (recv.id, name))
            args = self.resolve_args(c, m)
            if args is None:
                unsupported(c, "*args or **kwargs here")
            self.emit("call %s.%s(%s)%s" % (cls.name, name, ", ".join(args), self.arrow(dest)))
            return None
        kind = self.kind_of(recv)
        # "...".format(...): formatted at translation time.
        if name == "format" and isinstance(recv, ast.Constant) and isinstance(recv.value, str):
            text = self.str_format(recv, c)
            self.emit("%s = %s" % (dest, text) if dest else "eval " + text)
            return "str"
        if kind and ("%s.%s" % (kind, name)) in METHODS:
            r = self.expr(recv)
            return METHODS["%s.%s" % (kind, name)](self, c, dest, r)
        if kind and kind.startswith("inst:"):
            cls = self.find_class(kind[5:])
            if cls is not None:
                owner, m = cls.find(name)
                if m is not None and not (isinstance(recv, ast.Name) and recv.id == "self"):
                    r = self.spill(self.expr(recv))
                    args = self.resolve_args(c, m, skip_self=True)
                    if args is not None:
                        self.emit("call %s.%s(%s)%s" % (cls.name, name, ", ".join([r] + args),
                                                       self.arrow(dest)))
                        return None
        if kind == "set" and name in ("add", "discard") and len(c.args) == 1:
            r, x = self.exprs([recv, c.args[0]])
            x = self.spill(x)
            if name == "add":
                self.emit("if not (%s in %s) {" % (x, r))
                self.em.line("  eval %s.append(%s)" % (r, x))
            else:
                self.emit("if %s in %s {" % (x, r))
                self.em.line("  eval %s.remove(%s)" % (r, x))
            self.em.line("}")
            self.assign(dest, "None")
            return None
        text = self.value_method(c, kind)
        if text is None and not c.keywords and not any(isinstance(a, ast.Starred)
                                                       for a in c.args):
            if name in MUTATING_METHODS.get(kind, ()) or (
                    kind is None and name in VALUE_ONLY_METHODS and
                    not self.any_class_defines(name)):
                parts = self.exprs([recv] + list(c.args))
                r = parts[0] if parts[0].isidentifier() else "(%s)" % parts[0]
                text = "%s.%s(%s)" % (r, name, ", ".join(parts[1:]))
        if text is not None:
            self.emit("%s = %s" % (dest, text) if dest else "eval " + text)
            return None
        if ast.Starred in map(type, c.args):
            # obj.f(*args): a method of a known class, or a function held in
            # an attribute (self._target(*self._args)): a dynamic call.
            r = self.spill(self.expr(recv))
            cls = self.find_class(kind[5:]) if kind and kind.startswith("inst:") else None
            owner, m = cls.find(name) if cls is not None else (None, None)
            if m is not None:
                fake = ast.Call(func=ast.Name(id="_", ctx=ast.Load()),
                                args=[ast.Name(id="self", ctx=ast.Load())] + list(c.args),
                                keywords=c.keywords)
                ast.copy_location(fake, c)
                saved_renames = self.renames
                self.renames = dict(saved_renames, self=r)
                try:
                    args = self.args_tuple(fake)
                finally:
                    self.renames = saved_renames
                self.emit("call @fn(%s.%s) %s%s" % (cls.name, name, args, self.arrow(dest)))
            else:
                # `call @(r.name) ARGS`: parenthesised, else it reads as a method call
                self.emit("call @(%s.%s) %s%s" % (r, name, self.args_tuple(c),
                                                 self.arrow(dest)))
            return None
        # Unknown receiver: dispatched at run time by its type.
        r = self.expr(recv)
        if c.keywords:
            args = self.method_kwargs(c, name)
        else:
            if ast.Starred in map(type, c.args):
                unsupported(c, "*arguments in a method call")
            args = self.exprs(c.args)
            if args and not is_const(r):
                r = self.spill(r)
        if not (r.isidentifier() or is_const(r)):
            r = "(%s)" % r
        self.emit("invoke %s.%s(%s)%s" % (r, name, ", ".join(args), self.arrow(dest)))
        return None

    def method_kwargs(self, c, name):
        """Keyword arguments of a method whose class is not known here:
        resolved with the signature every class defining it shares."""
        sigs = []
        for mod in [self.main] + list(self.preludes.values()):
            for cls in mod.classes.values():
                if name in cls.methods:
                    sigs.append(cls.methods[name])
        shapes = {ast.dump(m.args) for m in sigs}
        if not sigs and name in SIGNATURES:
            spec = SIGNATURES[name]
            fake = ast.parse("def %s(self, %s): pass" % (name, spec)).body[0]
            return self.resolve_args(c, fake, skip_self=True)
        if len(shapes) != 1:
            unsupported(c.keywords[0], "keyword arguments to the method %s() here "
                                       "(write them positionally)" % name)
        return self.resolve_args(c, sigs[0], skip_self=True)

    def any_class_defines(self, name):
        for mod in [self.main] + list(self.preludes.values()):
            for cls in mod.classes.values():
                if name in cls.methods:
                    return True
        return False

    def find_class(self, name):
        for mod in [self.mod, self.main] + list(self.preludes.values()):
            if name in mod.classes:
                return mod.classes[name]
        return None

    def value_method(self, c, kind):
        """recv.m(args) evaluated inline when recv is known to be a list,
        dict or str and m is a pure method; else None."""
        name = c.func.attr
        if kind not in VALUE_METHODS or name not in VALUE_METHODS[kind] or c.keywords:
            return None
        if ast.Starred in map(type, c.args):
            return None
        parts = self.exprs([c.func.value] + list(c.args))
        r = parts[0]
        if not (r.isidentifier() or r.startswith('"') or r.startswith("(")):
            r = "(%s)" % r
        return "%s.%s(%s)" % (r, name, ", ".join(parts[1:]))

    def print_call(self, c):
        if ast.Starred in map(type, c.args):
            unsupported(c, "print(*values)")
        opts = {}
        stderr = False
        for k in c.keywords:
            if k.arg in ("sep", "end", "flush"):
                opts[k.arg] = k.value
            elif k.arg == "file":
                q = self.qualname(k.value)
                if q == "sys.stdout":
                    continue
                if q == "sys.stderr":
                    stderr = True
                    continue
                unsupported(k, "print(file=...) (only sys.stdout and sys.stderr)")
            else:
                unsupported(k, "print(%s=...)" % k.arg)
        nodes = list(c.args) + list(opts.values())
        for a in c.args:
            self.no_set(a)
        texts = self.exprs(nodes)
        parts = [t if is_atom(t) or is_wrapped(t) else "(%s)" % t
                 for t in texts[:len(c.args)]]
        names = list(opts.keys())
        for n, t in zip(names, texts[len(c.args):]):
            parts.append("%s=%s" % (n, t if is_atom(t) else "(%s)" % t))
        if stderr:
            parts.append("file=stderr")
        self.emit(" ".join(["print"] + parts))

    def builtin(self, c):
        """A builtin call as inline text, or None when it is not one."""
        f = c.func.id
        if f == "isinstance" and len(c.args) == 2 and not c.keywords:
            types = c.args[1].elts if isinstance(c.args[1], ast.Tuple) else [c.args[1]]
            names = []
            for t in types:
                if isinstance(t, ast.Name) and t.id in self.mod.classes:
                    # a user class: it or any class derived from it
                    for mod in [self.main] + list(self.preludes.values()):
                        for k in mod.classes.values():
                            if any(x is self.mod.classes[t.id] for x in k.mro()):
                                names.append(k.name)
                elif isinstance(t, ast.Name) and t.id in TYPE_NAMES:
                    names.append(t.id)
                else:
                    unsupported(t, "isinstance with this type")
            x = self.spill(self.expr(c.args[0])) if len(names) > 1 else self.expr(c.args[0])
            return "(" + " or ".join('isinstance(%s, "%s")' % (x, n) for n in names) + ")"
        if f == "sorted" and c.keywords:
            if len(c.keywords) == 1 and c.keywords[0].arg == "reverse" and len(c.args) == 1:
                xs, rev = self.exprs([c.args[0], c.keywords[0].value])
                t = self.tmp()
                self.emit("%s = sorted(%s)" % (t, xs))
                self.emit("if %s {" % rev)
                self.em.line("  %s = list(reversed(%s))" % (t, t))
                self.em.line("}")
                return t
            unsupported(c.keywords[0], "sorted(key=...)")
        if f == "dict" and c.keywords and not c.args:
            vals = self.exprs([k.value for k in c.keywords])
            return "{" + ", ".join('"%s": %s' % (k.arg, v)
                                   for k, v in zip(c.keywords, vals)) + "}"
        if f == "set" and len(c.args) <= 1 and not c.keywords:
            if not c.args:
                return "[]"
            a = c.args[0]
            return self.dedup(self.comprehension(a, "list") if isinstance(a, ast.GeneratorExp)
                              else self.expr(a))
        if f in ("str", "repr", "format") and c.args:
            self.no_set(c.args[0])
        if f in ("any", "all") and len(c.args) == 1 and not c.keywords:
            return self.any_all(f, c.args[0])
        if f == "type" and len(c.args) == 1:
            return None
        if f in PURE_BUILTINS:
            if c.keywords:
                unsupported(c.keywords[0], "%s(%s=...)" % (f, c.keywords[0].arg))
            if ast.Starred in map(type, c.args):
                unsupported(c, "%s(*values)" % f)
            if f in ("sum", "min", "max", "sorted", "list", "tuple", "any", "all") and \
                    len(c.args) == 1 and isinstance(c.args[0], ast.GeneratorExp):
                g = c.args[0]
                return "%s(%s)" % (f, self.comprehension(g, "list"))
            return "%s(%s)" % (f, ", ".join(self.exprs(c.args)))
        if f in NOT_SIMULATED:
            unsupported(c, NOT_SIMULATED[f])
        return None

    def any_all(self, f, arg):
        t = self.tmp()
        items = self.expr(arg) if not isinstance(arg, ast.GeneratorExp) else \
            self.comprehension(arg, "list")
        v = self.tmp()
        self.emit("%s = %s" % (t, "False" if f == "any" else "True"))
        self.emit("for %s in %s {" % (v, items))
        self.em.line("  if %s%s {" % ("" if f == "any" else "not ", v))
        self.em.line("    %s = %s" % (t, "True" if f == "any" else "False"))
        self.em.line("    break")
        self.em.line("  }")
        self.em.line("}")
        return t

    # ------------------------------------------------------------ expressions
    def expr(self, e):
        k = type(e)
        m = _EXPR_METHODS.get(k)
        if m is None:
            m = getattr(Translator, "ex_" + k.__name__, None)
            if m is None:
                unsupported(e, EXPR_NAMES.get(k.__name__, "%s expressions" % k.__name__))
            _EXPR_METHODS[k] = m
        return m(self, e)

    def ex_Constant(self, e):
        v = e.value
        t = type(v)
        if t is str:                            # the common cases first
            return str_literal(v)
        if t is int:
            return repr(v) if v >= 0 else "(%d)" % v
        if v is None or isinstance(v, bool):
            return repr(v)
        if isinstance(v, int):
            return repr(v) if v >= 0 else "(%d)" % v
        if isinstance(v, float):
            if v != v:
                return 'float("nan")'
            if v in (float("inf"), float("-inf")):
                return 'float("%s")' % repr(v)
            return repr(v)
        if isinstance(v, str):
            return str_literal(v)
        if isinstance(v, bytes):
            return "b" + str_literal(v.decode("latin-1"))
        if v is Ellipsis:
            return "None"
        unsupported(e, "this constant (%s)" % type(v).__name__)

    def ex_Name(self, e):
        n = e.id
        if n in self.renames:
            return self.renames[n]
        if n not in self.scope.locals:
            if n in self.mod.functions:
                self.want(self.mod, "def", n, e)
                return "fn(%s)" % n
            if n in self.mod.classes:
                unsupported(e, "a class used as a value")
            q = self.mod.aliases.get(n)
            if q is not None:
                if q in CONSTS:
                    return CONSTS[q]
                if q in QUAL_EXCEPTIONS:
                    unsupported(e, "an exception class used as a value")
                unsupported(e, "%s used as a value" % q)
            if n == "__name__":
                return '"__main__"'
            if self.mod is self.main and not self.bound_anywhere(n):
                return self.name_error(e, n)
        for name, exc in reversed(self.scope.except_names):
            if name == n:
                if exc in ("SystemExit", "BaseException"):
                    # the core binds a SystemExit's code (e.code); str(e)
                    # is "" for a None code (sys.exit()), else str(code)
                    v = mangle(n)
                    return '[str(%s), ""][int(%s is None)]' % (v, v)
                break
        return mangle(n)

    MODULE_DUNDERS = ("__name__", "__doc__", "__package__", "__loader__", "__spec__",
                      "__annotations__", "__builtins__", "__file__", "__cached__")

    def bound_anywhere(self, n):
        """Is n a name the program binds somewhere, or a builtin?"""
        if self.global_names is None:
            import builtins
            names = list(self.MODULE_DUNDERS)
            seen = set(names)

            def add(x):
                if x not in seen:
                    seen.add(x)
                    names.append(x)
            for st in ast.walk(self.main.tree):
                if isinstance(st, ast.Global):
                    for x in st.names:
                        add(x)
            order = []
            for st in self.main.tree.body:
                if isinstance(st, (ast.FunctionDef, ast.ClassDef)):
                    order.append((st.lineno, st.name))
                elif isinstance(st, (ast.Import, ast.ImportFrom)):
                    for a in st.names:
                        order.append((st.lineno, (a.asname or a.name).split(".")[0]))
                else:
                    got, _ = assigned_names([st])
                    for x in sorted(got):
                        order.append((st.lineno, x))
            order.sort(key=lambda p: p[0])
            self.global_lines = {}
            for line, x in order:
                add(x)
                self.global_lines.setdefault(x, line)
            self.global_names = names
            self.builtin_names = set(vars(builtins))
        return n in self.global_lines or n in self.builtin_names or \
            n in self.MODULE_DUNDERS

    def name_error(self, e, n):
        """A name nothing binds: Python's NameError when the line runs."""
        from .suggest import name_error
        line = e.lineno
        if self.scope.kind == "module":
            glob = [x for x in self.global_names
                    if self.global_lines.get(x, 0) < line or x in self.MODULE_DUNDERS]
            local = []
        else:
            glob = self.global_names
            f = self.node_function
            local = [a.arg for a in f.args.args + f.args.kwonlyargs] + \
                sorted(self.scope.locals - {a.arg for a in f.args.args + f.args.kwonlyargs}) \
                if f is not None else []
        self.emit("raise NameError %s" % str_literal(name_error(n, local, glob)))
        return "None"

    def ex_Attribute(self, e):
        q = self.qualname(e)
        if q in CONSTS:
            return CONSTS[q]
        if q is not None:
            unsupported(e, q)
        v = e.value
        if e.attr == "__name__" and isinstance(v, ast.Call) and isinstance(v.func, ast.Name) \
                and v.func.id == "type" and len(v.args) == 1 and not v.keywords:
            return self.type_name(v.args[0])
        if isinstance(v, ast.Name) and v.id in self.mod.classes and v.id not in self.scope.locals:
            cls = self.mod.classes[v.id]
            for cl in cls.mro():
                for n, val in cl.consts:
                    if n == e.attr:
                        return self.expr(val)
            unsupported(e, "%s.%s" % (v.id, e.attr))
        if isinstance(v, ast.Name):
            for name, exc in reversed(self.scope.except_names):
                if name == v.id:
                    # a caught exception is its value (sys.exit's code, the message)
                    if e.attr == "code" and exc == "SystemExit":
                        return self.var(name)
                    if e.attr == "args":
                        return "(%s,)" % self.var(name)
                    unsupported(e, "the attribute %s of an exception" % e.attr)
        if e.attr == "exitcode" and not self.mod.prelude and self.uses_multiprocessing():
            # Process.exitcode is a property that polls the child; the
            # prelude's function decides by the receiver's run-time class
            m = self.prelude_module("process", e)
            self.want(m, "def", "_mp_exitcode", e)
            r = self.spill(self.expr(v))
            t = self.tmp()
            self.emit("call _mp_exitcode(%s) -> %s" % (r, t))
            return t
        hook = self.attr_hook(v, "__getattr__")
        if hook is not None:
            r = self.spill(self.expr(v))
            t = self.tmp()
            self.emit("call %s.__getattr__(%s, %s) -> %s" % (hook.name, r, str_literal(e.attr), t))
            return t
        kind = self.kind_of(v)
        if kind and kind.startswith("inst:"):
            cls = self.find_class(kind[5:])
            if cls is not None and cls.find(e.attr)[1] is not None:
                unsupported(e, "a bound method used as a value (%s); pass a function "
                               "and the object as its argument" % ast.unparse(e))
        r = self.expr(v)
        if not (r.isidentifier() or r.startswith("(") or "." in r and r.replace(".", "").replace(
                "_", "a").isalnum()):
            r = "(%s)" % r
        return "%s.%s" % (r, e.attr)

    def uses_multiprocessing(self):
        """Does the program import multiprocessing (or a part of it)?"""
        return any(q == "multiprocessing" or q.startswith("multiprocessing.")
                   for q in self.main.aliases.values())

    def type_name(self, x):
        """type(x).__name__; of a caught exception, the clause's class when
        it has no subclasses (the caught value is the message)."""
        if isinstance(x, ast.Name):
            for name, exc in reversed(self.scope.except_names):
                if name == x.id:
                    if exc is None or exc in EXCEPTION_PARENTS:
                        unsupported(x, "type(e) of an exception caught by a clause "
                                       "that names a base class (name the exact class)")
                    return str_literal(exc)
        return "type_name(%s)" % self.expr(x)

    def binop_text(self, op, a, b, node):
        if isinstance(op, ast.Div):
            return "truediv(%s, %s)" % (a, b)
        if isinstance(op, ast.Mod):
            return "mod(%s, %s)" % (a, b)
        o = BINOPS.get(type(op))
        if o is None:
            unsupported(node, "the operator %s" % OP_NAMES.get(type(op).__name__, "?"))
        return "(%s %s %s)" % (a, o, b)

    def ex_BinOp(self, e):
        a, b = self.exprs([e.left, e.right])
        return self.binop_text(e.op, a, b, e)

    def ex_UnaryOp(self, e):
        v = self.expr(e.operand)
        if isinstance(e.op, ast.Not):
            return "(not %s)" % v
        if isinstance(e.op, ast.USub):
            return "(-%s)" % v
        if isinstance(e.op, ast.UAdd):
            return v
        if isinstance(e.op, ast.Invert):
            return "(~%s)" % v
        unsupported(e, "this unary operator")

    def ex_BoolOp(self, e):
        word = " and " if isinstance(e.op, ast.And) else " or "
        texts = [self.expr(e.values[0])]
        for i in range(1, len(e.values)):
            with self.capture(1) as cap:
                t = self.expr(e.values[i])
            if not cap.lines:
                texts.append(t)
                continue
            # An operand needs statements: short-circuit with an `if`; the
            # rest is translated again inside it.
            res = self.tmp()
            self.emit("%s = %s" % (res, "(" + word.join(texts) + ")" if len(texts) > 1
                                   else texts[0]))
            self.emit("if %s%s {" % ("" if word == " and " else "not ", res))
            self.em.depth += 1
            rest = e.values[i:]
            if len(rest) > 1:
                node = ast.BoolOp(op=e.op, values=rest)
                ast.copy_location(node, e)
            else:
                node = rest[0]
            self.emit("%s = %s" % (res, self.expr(node)))
            self.em.depth -= 1
            self.em.line("}")
            return res
        return "(" + word.join(texts) + ")" if len(texts) > 1 else texts[0]

    def ex_Compare(self, e):
        left = self.expr(e.left)
        if len(e.ops) == 1:
            right = self.exprs_after(left, e.comparators[0])
            return self.cmp_text(e.ops[0], right[0], right[1], e)
        # a < b < c: (a < b) and (b < c), b evaluated once, c only if needed.
        res = self.tmp()
        cur = left
        first = True
        depth = 0
        for op, comp in zip(e.ops, e.comparators):
            with self.capture() as cap:
                r = self.expr(comp)
            if not first:
                self.emit("if %s {" % res)
                self.em.depth += 1
                depth += 1
            cap.flush()
            if not is_const(r):
                t = self.tmp()
                self.emit("%s = %s" % (t, r))
                r = t
            self.emit("%s = %s" % (res, self.cmp_text(op, cur, r, e)))
            cur = r
            first = False
        for _ in range(depth):
            self.em.depth -= 1
            self.em.line("}")
        return res

    def exprs_after(self, left_text, node):
        with self.capture() as cap:
            r = self.expr(node)
        if cap.lines and not self.stable(left_text):
            t = self.tmp()
            self.emit("%s = %s" % (t, left_text))
            left_text = t
        cap.flush()
        return left_text, r

    def cmp_text(self, op, a, b, node):
        o = CMPOPS.get(type(op))
        if o is None:
            unsupported(node, "this comparison")
        return "(%s %s %s)" % (a, o, b)

    def ex_IfExp(self, e):
        res = self.tmp()
        cond = self.expr(e.test)
        self.emit("if %s {" % cond)
        self.em.depth += 1
        self.emit("%s = %s" % (res, self.expr(e.body)))
        self.em.depth -= 1
        self.em.line("} else {")
        self.em.depth += 1
        self.emit("%s = %s" % (res, self.expr(e.orelse)))
        self.em.depth -= 1
        self.em.line("}")
        return res

    def ex_Tuple(self, e):
        if ast.Starred in map(type, e.elts):
            unsupported(e, "*values in a tuple")
        items = self.exprs(e.elts)
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"

    def ex_List(self, e):
        if ast.Starred in map(type, e.elts):
            unsupported(e, "*values in a list")
        return "[" + ", ".join(self.exprs(e.elts)) + "]"

    def ex_Dict(self, e):
        if any(k is None for k in e.keys):
            unsupported(e, "**mapping in a dict")
        nodes = []
        for k, v in zip(e.keys, e.values):
            nodes += [k, v]
        texts = self.exprs(nodes)
        return "{" + ", ".join("%s: %s" % (texts[i], texts[i + 1])
                               for i in range(0, len(texts), 2)) + "}"

    def ex_Set(self, e):
        # A set is kept as a list without duplicates (see dedup()).
        return self.dedup("[" + ", ".join(self.exprs(e.elts)) + "]")

    def dedup(self, items_text):
        """A list of the distinct items of items_text, in first-seen order:
        procsim's stand-in for a set (printing one is refused: its order
        would differ from CPython's)."""
        res, v = self.tmp(), self.tmp()
        self.emit("%s = []" % res)
        self.emit("for %s in %s {" % (v, items_text))
        self.em.line("  if not (%s in %s) {" % (v, res))
        self.em.line("    eval %s.append(%s)" % (res, v))
        self.em.line("  }")
        self.em.line("}")
        return res

    def no_set(self, node):
        if self.kind_of(node) == "set":
            unsupported(node, "printing a set (procsim keeps a set's items in the order "
                              "they came; print sorted(s) instead)")

    def ex_Subscript(self, e):
        v, s = self.exprs([e.value, e.slice])
        if not (v.isidentifier() or v.startswith("(") or v.startswith("[")):
            v = "(%s)" % v
        return "%s[%s]" % (v, s)

    def ex_Slice(self, e):
        parts = [p for p in (e.lower, e.upper, e.step)]
        texts = self.exprs([p for p in parts if p is not None])
        it = iter(texts)
        out = [next(it) if p is not None else "" for p in parts]
        return ":".join(out[:2]) + (":" + out[2] if e.step is not None else "")

    def ex_Call(self, e):
        f = e.func
        local = isinstance(f, ast.Name) and (f.id in self.scope.locals or f.id in self.renames)
        if isinstance(f, ast.Name) and not local and f.id not in self.mod.functions \
                and f.id not in self.mod.classes and self.qualname(f) is None \
                and f.id not in ("print", "exit", "quit") and \
                "builtins." + f.id not in CALLS:
            text = self.builtin(e)
            if text is not None:
                return text
        if not local:
            q = self.qualname(f)
            if q is None and isinstance(f, ast.Name) and f.id not in self.mod.functions:
                q = "builtins." + f.id
            if q in CALLS and CALLS[q].pure:
                return CALLS[q](self, e)
        if isinstance(f, ast.Attribute):
            if f.attr == "format" and isinstance(f.value, ast.Constant) and \
                    isinstance(f.value.value, str):
                return self.str_format(f.value, e)
            kind = self.kind_of(f.value)
            if not (kind and "%s.%s" % (kind, f.attr) in METHODS):
                text = self.value_method(e, kind)
                if text is not None:
                    return text
        # Anything else may block or call user code: lower it.
        t = self.tmp()
        self.call(e, t)
        return t

    def ex_JoinedStr(self, e):
        parts = []
        for v in e.values:
            if isinstance(v, ast.Constant):
                parts.append(self.ex_Constant(v))
                continue
            self.no_set(v.value)
            inner = self.expr(v.value)
            if v.conversion == ord("r"):
                inner = "repr(%s)" % inner
            elif v.conversion == ord("a"):
                unsupported(v, "!a in f-strings")
            if v.format_spec is None:
                parts.append(inner if v.conversion == ord("r") else "str(%s)" % inner)
            else:
                spec = self.ex_JoinedStr(v.format_spec)
                parts.append("format(%s, %s)" % (inner, spec))
        if not parts:
            return '""'
        return parts[0] if len(parts) == 1 and parts[0].startswith('"') else \
            "(" + " + ".join(parts) + ")"

    def ex_FormattedValue(self, e):
        return self.ex_JoinedStr(ast.JoinedStr(values=[e]))

    def str_format(self, fmt_node, c):
        """'...{}...{:>5}'.format(a, b): concatenation of format() calls."""
        import _string    # string.Formatter().parse without string's import of re
        try:
            pieces = list(_string.formatter_parser(fmt_node.value))
        except ValueError as err:
            unsupported(fmt_node, "this format string (%s)" % err)
        if ast.Starred in map(type, c.args) or \
                any(k.arg is None for k in c.keywords):
            unsupported(c, "*args or **kwargs in str.format")
        nodes = list(c.args) + [k.value for k in c.keywords]
        texts = self.exprs(nodes)
        pos = texts[:len(c.args)]
        kw = dict(zip([k.arg for k in c.keywords], texts[len(c.args):]))
        auto = 0
        out = []
        for lit, field, spec, conv in pieces:
            if lit:
                out.append(str_literal(lit))
            if field is None:
                continue
            if field == "":
                idx = auto
                auto += 1
                if idx >= len(pos):
                    unsupported(c, "a format string with more {} than arguments")
                val = pos[idx]
            elif field.isdigit():
                if int(field) >= len(pos):
                    unsupported(c, "a format string field {%s} without its argument" % field)
                val = pos[int(field)]
            elif field in kw:
                val = kw[field]
            else:
                unsupported(fmt_node, "the format field {%s}" % field)
            if "{" in spec:
                unsupported(fmt_node, "nested fields in a format spec")
            if conv == "r":
                val = "repr(%s)" % val
            elif conv not in (None, "s"):
                unsupported(fmt_node, "!%s in a format string" % conv)
            out.append("format(%s, %s)" % (val, str_literal(spec)) if spec else
                       (val if conv == "r" else "str(%s)" % val))
        if not out:
            return '""'
        return "(" + " + ".join(out) + ")" if len(out) > 1 else out[0]

    # comprehensions: lowered to loops over temporaries
    def ex_ListComp(self, e):
        return self.comprehension(e, "list")

    def ex_GeneratorExp(self, e):
        return self.comprehension(e, "list")

    def ex_DictComp(self, e):
        return self.comprehension(e, "dict")

    def ex_SetComp(self, e):
        return self.dedup(self.comprehension(e, "list"))

    def comprehension(self, e, what):
        res = self.tmp()
        self.emit("%s = %s" % (res, "[]" if what == "list" else "{}"))
        saved = dict(self.renames)
        opened = 0
        try:
            for g in e.generators:
                if g.is_async:
                    unsupported(g, "async comprehensions")
                it = g.iter
                if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and \
                        it.func.id == "range" and isinstance(g.target, ast.Name) and \
                        1 <= len(it.args) <= 3 and not it.keywords:
                    args = self.exprs(it.args)
                    src = "range(%s)" % ", ".join(args)
                else:
                    src = self.expr(it)
                names = []
                targets = g.target.elts if isinstance(g.target, ast.Tuple) else [g.target]
                for t in targets:
                    if not isinstance(t, ast.Name):
                        unsupported(t, "this comprehension target")
                    tv = self.tmp()
                    self.renames[t.id] = tv
                    names.append(tv)
                self.emit("for %s in %s {" % (", ".join(names), src))
                self.em.depth += 1
                opened += 1
                for cond in g.ifs:
                    c = self.expr(cond)
                    self.emit("if %s {" % c)
                    self.em.depth += 1
                    opened += 1
            if what == "list":
                v = self.expr(e.elt)
                self.emit("eval %s.append(%s)" % (res, v))
            else:
                k, v = self.exprs([e.key, e.value])
                self.emit("%s[%s] = %s" % (res, k, v))
        finally:
            self.renames = saved
        for _ in range(opened):
            self.em.depth -= 1
            self.em.line("}")
        return res

    def ex_Lambda(self, e):
        unsupported(e, "lambda (define the function with def)")

    def ex_NamedExpr(self, e):
        unsupported(e, "the walrus operator :=")

    def ex_Starred(self, e):
        unsupported(e, "*values here")

    def ex_Await(self, e):
        unsupported(e, "await in Python source")

    def ex_Yield(self, e):
        unsupported(e, "generators (yield)")

    def ex_YieldFrom(self, e):
        unsupported(e, "generators (yield from)")


_SPECS = {}


def _parse_spec(spec):
    """bind()'s spec "a, b=None" as (names, {name: default text}), parsed
    once per spec (callers only read them)."""
    got = _SPECS.get(spec)
    if got is None:
        names, defaults = [], {}
        for part in [p.strip() for p in spec.split(",") if p.strip()]:
            if "=" in part:
                n, d = part.split("=", 1)
                names.append(n.strip())
                defaults[n.strip()] = d.strip()
            else:
                names.append(part)
        got = _SPECS[spec] = (names, defaults)
    return got


def type_error(node, message):
    """A call Python would reject with TypeError, known when translating."""
    raise Unsupported(node, "TypeError: " + message + " (Python raises it when the "
                      "call runs)")


_ESCAPES = {i: "\\x%02x" % i for i in list(range(32)) + [127]}
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n",
                 ord("\t"): "\\t", ord("\r"): "\\r"})


def str_literal(s):
    """s as a scenario-language string literal."""
    if s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'          # nothing to escape (_ESCAPES: unprintable, " and \)
    return '"' + s.translate(_ESCAPES) + '"'


class Capture:
    def __init__(self, tr, depth_delta):
        self.tr = tr
        self.depth_delta = depth_delta
        self.lines = []

    def __enter__(self):
        em = self.tr.em
        self.saved = em.out
        self.saved_pos = em.pos
        em.out = self.lines
        em.depth += self.depth_delta
        return self

    def __exit__(self, *exc):
        # The captured lines carry their own position line; what is emitted
        # before they are flushed gets one too.
        em = self.tr.em
        em.out = self.saved
        self.end_pos = em.pos
        em.pos = self.saved_pos
        em.depth -= self.depth_delta
        return False

    def flush(self):
        """Append the captured lines to the output, where we are now."""
        em = self.tr.em
        if self.lines:
            if em.pos is not None and self.lines[0] == "@%d:%d\n" % em.pos:
                del self.lines[0]             # already there
            em.out.extend(self.lines)
            em.pos = self.end_pos
        self.lines = []


STMT_NAMES = {
    "AsyncFunctionDef": "async functions (asyncio) in Python source",
    "AsyncFor": "async for", "AsyncWith": "async with",
    "Match": "match statements", "TryStar": "except* (exception groups)",
}
EXPR_NAMES = {
    "Await": "await", "Yield": "generators (yield)", "Set": "sets",
    "SetComp": "sets", "Lambda": "lambda (define the function with def)",
}
OP_NAMES = {"MatMult": "@ (matrix multiplication)"}
NOT_SIMULATED = {
    "open": "files (open())",
    "input": "input() (a simulated process has no keyboard)",
    "eval": "eval()", "exec": "exec()", "compile": "compile()",
    "globals": "globals()", "locals": "locals()", "vars": "vars()",
    "getattr": "getattr()", "setattr": "setattr()", "hasattr": "hasattr()",
    "id": "id()", "hash": "hash()", "iter": "iter()", "next": "next()",
    "frozenset": "frozensets", "map": "map() (use a list comprehension)",
    "filter": "filter() (use a list comprehension)", "callable": "callable()",
    "object": "object()", "super": "super() outside a method call",
    "bytes": "bytes()", "bytearray": "bytearray()", "memoryview": "memoryview()",
    "type": "type()", "__import__": "__import__()", "help": "help()", "dir": "dir()",
}
