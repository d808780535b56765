"""parse_pieces.py FILE.py... : the translator parses a module a piece at a
time (pyast.parse_module); check that the tree is exactly the whole-file
parse's (every node, every position) and that a file CPython rejects fails
with the same error, for each file cut at every possible piece size (1, 2,
3, 7 and 50 lines: pieces as small as the rule allows, and the default).
Prints "parse pieces: N passed, N failed"; exit status 1 on a failure."""
import ast
import sys
import warnings

sys.path.insert(0, __file__.rsplit("/", 5)[0] + "/py")   # the repository's py/

from procsim_py import pyast  # noqa: E402


def outcome(parse, source, name):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = parse(source, name)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
        return "%s %r %s" % (type(e).__name__, e.args, getattr(e, "offset", None))
    return ast.dump(tree, include_attributes=True)


def main(paths):
    passed = failed = 0
    for path in paths:
        for newline in (None, ""):       # as the translator reads it; as it is
            with open(path, encoding="utf-8", newline=newline) as f:
                source = f.read()
            whole = outcome(pyast.parse, source, path)
            for piece in (1, 2, 3, 7, 50):
                got = outcome(lambda s, n: pyast.parse_module(s, n, piece, 0), source, path)
                if got == whole:
                    passed += 1
                else:
                    failed += 1
                    print("FAIL: parse pieces of %d lines: %s" % (piece, path))
    print("parse pieces: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
