"""The translator: a Python module's ast in, scenario-language text out.

Structure of the output (docs/python.md):
    config python=on
    program __main__ { the module's top-level code }   (globals = process
                                                         variables)
    def NAME(params) { ... }                            (one per function)
    spawn __main__

Expressions that call user functions or library functions that block are
lowered into statements with temporaries (`call f(x) -> _t1`), because the
scenario language evaluates expressions without blocking.
"""
import ast

from . import lib
from .emit import Emitter
from .errors import unsupported
from .lib.registry import CALLS, CONSTS, MODULES

# Builtins whose scenario-language spelling is the same call.
SAME_BUILTINS = {"len", "str", "repr", "int"}

BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.FloorDiv: "//",
          ast.Pow: "**", ast.BitOr: "|", ast.BitAnd: "&"}
CMPOPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=",
          ast.Gt: ">", ast.GtE: ">=", ast.In: "in"}


class Translator:
    def __init__(self, path, source, tree):
        self.path = path
        self.source = source
        self.tree = tree
        self.em = Emitter()
        self.ntmp = 0
        self.aliases = {}      # local name -> qualified name ("mp" -> "multiprocessing")
        self.functions = {}    # def name -> ast.FunctionDef
        self.node = None       # the statement being translated

    # ------------------------------------------------------------ helpers
    def tmp(self):
        self.ntmp += 1
        return "_t%d" % self.ntmp

    def emit(self, text):
        self.em.at(self.node)
        self.em.line(text)

    def arrow(self, dest):
        return " -> " + dest if dest else ""

    def assign(self, dest, text):
        if dest:
            self.emit("%s = %s" % (dest, text))

    def ticks(self, secs_text):
        """Seconds (an expression) as a whole number of ticks (1 ms)."""
        return "int(round(%s * 1000))" % secs_text if "." in secs_text or "(" in secs_text \
            else "%s * 1000" % secs_text

    def bind(self, call, spec):
        """Match call's arguments to the parameters in spec ("a, b=None"),
        translating each; returns their texts in spec's order."""
        names, defaults = [], {}
        for part in [p.strip() for p in spec.split(",") if p.strip()]:
            if "=" in part:
                n, d = part.split("=", 1)
                names.append(n.strip())
                defaults[n.strip()] = d.strip()
            else:
                names.append(part)
        got = {}
        for i, a in enumerate(call.args):
            if isinstance(a, ast.Starred):
                unsupported(a, "*arguments in this call")
            if i >= len(names):
                unsupported(a, "this many arguments to %s" % ast.unparse(call.func))
            got[names[i]] = self.expr(a)
        for k in call.keywords:
            if k.arg is None or k.arg not in names:
                unsupported(k, "the keyword argument %s= here" % k.arg)
            got[k.arg] = self.expr(k.value)
        out = []
        for n in names:
            if n in got:
                out.append(got[n])
            elif n in defaults:
                out.append(defaults[n])
            else:
                unsupported(call, "a call of %s without its argument %s"
                            % (ast.unparse(call.func), n))
        return out

    def qualname(self, node):
        """'os.fork' for os.fork (through imports and aliases), else None."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value)
            return base + "." + node.attr if base else None
        return None

    # ------------------------------------------------------------ module
    def translate(self):
        body = self.tree.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]                       # the module's docstring
        self.em.line("config python=on")
        main = []
        for st in body:
            if isinstance(st, ast.FunctionDef):
                self.functions[st.name] = st
            else:
                main.append(st)
        for st in main:                           # imports first: names for the defs
            if isinstance(st, (ast.Import, ast.ImportFrom)):
                self.node = st
                self.stmt(st)
        with self.em.block("program __main__"):
            for st in main:
                if not isinstance(st, (ast.Import, ast.ImportFrom)):
                    self.stmt(st)
        for f in self.functions.values():
            self.function(f)
        self.em.line("spawn __main__")
        return self.em.text()

    def function(self, f):
        a = f.args
        if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
            unsupported(f, "*args, **kwargs or keyword-only parameters")
        params = [p.arg for p in a.args]
        first_default = len(params) - len(a.defaults)
        texts = []
        for i, p in enumerate(params):
            if i >= first_default:
                texts.append("%s=%s" % (p, self.expr(a.defaults[i - first_default])))
            else:
                texts.append(p)
        self.node = f
        self.em.at(f)
        with self.em.block("def %s(%s)" % (f.name, ", ".join(texts))):
            for st in f.body:
                self.stmt(st)

    # ------------------------------------------------------------ statements
    def stmt(self, st):
        self.node = st
        m = getattr(self, "st_" + type(st).__name__, None)
        if m is None:
            unsupported(st, "%s statements" % type(st).__name__)
        m(st)

    def st_Import(self, st):
        for a in st.names:
            top = a.name.split(".")[0]
            if top not in MODULES:
                unsupported(st, "the module %s" % a.name)
            self.aliases[a.asname or top] = a.name if a.asname else top

    def st_ImportFrom(self, st):
        if st.module not in MODULES and (st.module or "").split(".")[0] not in MODULES:
            unsupported(st, "the module %s" % st.module)
        for a in st.names:
            if a.name == "*":
                unsupported(st, "import *")
            self.aliases[a.asname or a.name] = st.module + "." + a.name

    def st_Expr(self, st):
        v = st.value
        if isinstance(v, ast.Constant) and isinstance(v.value, str):
            return                                 # a docstring
        if isinstance(v, ast.Call):
            self.call(v, None)
            return
        unsupported(st, "an expression statement that is not a call")

    def st_Pass(self, st):
        pass

    def st_Assign(self, st):
        if len(st.targets) != 1:
            unsupported(st, "chained assignment (a = b = ...)")
        t = st.targets[0]
        if isinstance(t, ast.Name):
            if isinstance(st.value, ast.Call):
                self.call(st.value, t.id)
            else:
                self.emit("%s = %s" % (t.id, self.expr(st.value)))
            return
        if isinstance(t, ast.Tuple) and all(isinstance(e, ast.Name) for e in t.elts):
            self.emit("%s = %s" % (", ".join(e.id for e in t.elts), self.expr(st.value)))
            return
        unsupported(t, "assignment to %s" % type(t).__name__)

    def st_AugAssign(self, st):
        if not isinstance(st.target, ast.Name):
            unsupported(st, "augmented assignment to %s" % type(st.target).__name__)
        fake = ast.BinOp(left=ast.Name(st.target.id, ast.Load()), op=st.op, right=st.value)
        ast.copy_location(fake, st)
        self.emit("%s = %s" % (st.target.id, self.expr(fake)))

    def st_If(self, st):
        if self.is_main_check(st.test):
            for s in st.body:
                self.stmt(s)
            return
        cond = self.expr(st.test)
        self.node = st
        self.emit("if %s {" % cond)
        self.em.depth += 1
        for s in st.body:
            self.stmt(s)
        self.em.depth -= 1
        if st.orelse:
            self.em.line("} else {")
            self.em.depth += 1
            for s in st.orelse:
                self.stmt(s)
            self.em.depth -= 1
        self.em.line("}")

    def is_main_check(self, test):
        return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
                and test.left.id == "__name__" and len(test.ops) == 1
                and isinstance(test.ops[0], ast.Eq)
                and isinstance(test.comparators[0], ast.Constant)
                and test.comparators[0].value == "__main__")

    def st_While(self, st):
        if st.orelse:
            unsupported(st, "while ... else")
        cond = self.expr(st.test)
        self.node = st
        self.emit("while %s {" % cond)
        self.em.depth += 1
        for s in st.body:
            self.stmt(s)
        self.em.depth -= 1
        self.em.line("}")

    def st_For(self, st):
        if st.orelse:
            unsupported(st, "for ... else")
        if not isinstance(st.target, ast.Name):
            unsupported(st.target, "this loop target")
        it = st.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range":
            head = "for %s in range(%s)" % (st.target.id, ", ".join(self.expr(a) for a in it.args))
        else:
            head = "for %s in %s" % (st.target.id, self.expr(it))
        self.node = st
        self.emit(head + " {")
        self.em.depth += 1
        for s in st.body:
            self.stmt(s)
        self.em.depth -= 1
        self.em.line("}")

    def st_Return(self, st):
        self.emit("return" + (" " + self.expr(st.value) if st.value else ""))

    def st_Break(self, st):
        self.emit("break")

    def st_Continue(self, st):
        self.emit("continue")

    def st_Global(self, st):
        self.emit("global " + ", ".join(st.names))

    # ------------------------------------------------------------ calls
    def call(self, c, dest):
        """A call as a statement; its result goes to dest (or nowhere)."""
        f = c.func
        if isinstance(f, ast.Name) and f.id == "print":
            self.print_call(c)
            self.assign(dest, "None")
            return
        q = self.qualname(f)
        if q in CALLS:
            CALLS[q](self, c, dest)
            return
        if isinstance(f, ast.Name) and f.id in self.functions:
            args = ", ".join(self.expr(a) for a in c.args)
            if c.keywords:
                unsupported(c, "keyword arguments to your own functions (yet)")
            self.emit("call %s(%s)%s" % (f.id, args, self.arrow(dest)))
            return
        if q is not None:
            unsupported(c, "%s()" % q)
        # A builtin or a value's method: an expression.
        text = self.expr(c)
        self.emit("%s = %s" % (dest, text) if dest else "eval " + text)

    def print_call(self, c):
        parts = [self.expr(a) for a in c.args]
        opts = []
        for k in c.keywords:
            if k.arg in ("sep", "end", "flush"):
                opts.append("%s=%s" % (k.arg, self.expr(k.value)))
            else:
                unsupported(k, "print(%s=...)" % k.arg)
        self.emit(" ".join(["print"] + ["(%s)" % p for p in parts] + opts))

    # ------------------------------------------------------------ expressions
    def expr(self, e):
        m = getattr(self, "ex_" + type(e).__name__, None)
        if m is None:
            unsupported(e, "%s expressions" % type(e).__name__)
        return m(e)

    def ex_Constant(self, e):
        v = e.value
        if v is None or isinstance(v, bool):
            return repr(v)
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, str):
            return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
                .replace("\t", "\\t")
        unsupported(e, "this constant")

    def ex_Name(self, e):
        return e.id

    def ex_Attribute(self, e):
        q = self.qualname(e)
        if q in CONSTS:
            return CONSTS[q]
        if q is not None:
            unsupported(e, q)
        return "%s.%s" % (self.expr(e.value), e.attr)

    def ex_BinOp(self, e):
        a, b = self.expr(e.left), self.expr(e.right)
        if isinstance(e.op, ast.Div):
            return "truediv(%s, %s)" % (a, b)
        if isinstance(e.op, ast.Mod):
            return "mod(%s, %s)" % (a, b)
        op = BINOPS.get(type(e.op))
        if op is None:
            unsupported(e, "the operator %s" % type(e.op).__name__)
        return "(%s %s %s)" % (a, op, b)

    def ex_UnaryOp(self, e):
        v = self.expr(e.operand)
        if isinstance(e.op, ast.Not):
            return "(not %s)" % v
        if isinstance(e.op, ast.USub):
            return "(-%s)" % v
        if isinstance(e.op, ast.UAdd):
            return v
        unsupported(e, "the operator %s" % type(e.op).__name__)

    def ex_BoolOp(self, e):
        op = " and " if isinstance(e.op, ast.And) else " or "
        return "(" + op.join(self.expr(v) for v in e.values) + ")"

    def ex_Compare(self, e):
        if len(e.ops) != 1:
            unsupported(e, "chained comparisons (a < b < c) yet")
        op = CMPOPS.get(type(e.ops[0]))
        if op is None:
            unsupported(e, "the comparison %s" % type(e.ops[0]).__name__)
        return "(%s %s %s)" % (self.expr(e.left), op, self.expr(e.comparators[0]))

    def ex_Tuple(self, e):
        items = [self.expr(x) for x in e.elts]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"

    def ex_List(self, e):
        return "[" + ", ".join(self.expr(x) for x in e.elts) + "]"

    def ex_Subscript(self, e):
        return "%s[%s]" % (self.expr(e.value), self.expr(e.slice))

    def ex_Call(self, e):
        f = e.func
        if isinstance(f, ast.Name) and f.id in SAME_BUILTINS and not e.keywords:
            return "%s(%s)" % (f.id, ", ".join(self.expr(a) for a in e.args))
        # Anything else may block or call user code: lower it.
        t = self.tmp()
        self.call(e, t)
        return t

    def ex_JoinedStr(self, e):
        parts = []
        for v in e.values:
            if isinstance(v, ast.Constant):
                parts.append(self.ex_Constant(v))
            else:
                inner = self.expr(v.value)
                if v.conversion == ord("r"):
                    inner = "repr(%s)" % inner
                elif v.conversion == ord("s"):
                    inner = "str(%s)" % inner
                spec = ast.unparse(v.format_spec)[2:-1] if v.format_spec else ""
                parts.append('format(%s, "%s")' % (inner, spec))
        return "(" + " + ".join(parts or ['""']) + ")"
