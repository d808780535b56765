"""Command line of the translator: read, parse with CPython's ast, translate,
print; report errors in procsim's format (exit status 2)."""
import gc
import sys

from . import pyast as ast
from .core import Translator
from .errors import Unsupported, format_diag


def main(argv):
    if len(argv) != 1:
        sys.stderr.write("usage: procsim_py.py FILE.py\n")
        return 2
    path = argv[0]
    # A run of the translator is short and its objects (the tree, the
    # output) live to its end: the cyclic collector's passes over them
    # would free nothing.
    gc.disable()
    try:
        with open(path, encoding="utf-8") as f:
            source = f.read()
    except (OSError, UnicodeDecodeError) as e:
        sys.stderr.write("%s: error: cannot read the file: %s\n" % (path, e))
        return 2
    lines = source.splitlines()
    try:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # SyntaxWarning: not our diagnostics
            tree = ast.parse(source, filename=path)
    except SyntaxError as e:
        # CPython's own message and position (its offset is 1-based).
        sys.stderr.write(format_diag(path, lines, e.lineno or 0, e.offset or 1, e.msg))
        return 2
    except (ValueError, MemoryError) as e:        # e.g. a NUL byte in the source
        sys.stderr.write("%s: error: %s\n" % (path, e))
        return 2
    tr = Translator(path, source, tree)
    try:
        text = tr.translate()
    except Unsupported as e:
        sys.stderr.write(format_diag(path, lines, e.line, e.col, e.message))
        return 2
    except RecursionError:
        sys.stderr.write("%s: error: the program is nested too deeply to simulate\n" % path)
        return 2
    except Exception as e:                        # a bug of the translator: say where
        node = tr.node
        line = getattr(node, "lineno", 0) or 0
        from . import errors
        col = errors.COLUMNS.col(line, getattr(node, "col_offset", 0) or 0)
        sys.stderr.write(format_diag(
            path, lines, line, col,
            "internal error of procsim's Python translator (%s: %s); please report it"
            % (type(e).__name__, e)))
        return 2
    sys.stdout.write(text)
    return 0
