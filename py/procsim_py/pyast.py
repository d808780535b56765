"""CPython's syntax tree without the `ast` module's import: `ast` imports
contextlib, collections, functools, enum... (~7 ms of the ~10 ms the
translator spent importing), while its node classes live in the C module
`_ast` and `ast.parse` is compile() with PyCF_ONLY_AST. The modules of the
translator `from . import pyast as ast`: the same names, the same trees.

copy_location, fix_missing_locations and walk are CPython 3.11's own
(Lib/ast.py), walk without collections.deque (the same order). unparse and
dump, used only in messages and a rare path, import `ast` when called."""
from _ast import *  # noqa: F401,F403  (the node classes: Name, Call...)
from _ast import AST, PyCF_ONLY_AST


def parse(source, filename="<unknown>"):
    """ast.parse(source, filename): CPython's parser, the same tree."""
    return compile(source, filename, "exec", PyCF_ONLY_AST)


# Statements that start a piece of a module parsed on its own (parse_module).
_PIECE_STARTS = ("def ", "class ", "async def ", "@")


def parse_module(source, filename="<unknown>", piece=50, least=2000):
    """parse(source, filename), the same tree, made a piece of about
    `piece` lines at a time: CPython's parser keeps a whole file's tokens
    and memo in one arena (megabytes for 2,000 lines, each page a fault
    when first touched); pieces reuse one piece's memory, which makes a
    2,000-line file load ~8% faster.

    A piece starts at a line that begins a def, a class or a decorator in
    column 0 (not after a decorator line), and is parsed after as many
    newlines as lines come before it, so every node keeps its line and
    column. A top-level statement lies within one piece, and nothing else
    of one statement's parse depends on another's, except a __future__
    import (skipped: whole file). A line such as `def ...` inside a string
    or brackets is no statement start: the piece before it is then cut in
    the middle of a string or brackets and fails to parse; any failure
    parses the whole file, so errors (SyntaxError, ValueError) are
    exactly CPython's for the whole file. Lines end at \n only (a file
    with \r is parsed whole), and a file under `least` characters is
    parsed whole."""
    if len(source) < least or "__future__" in source or "\r" in source:
        return parse(source, filename)
    lines = source.split("\n")
    starts = [0]
    for i, text in enumerate(lines):
        if i - starts[-1] >= piece and text.startswith(_PIECE_STARTS) and \
                not lines[i - 1].startswith("@"):
            starts.append(i)
    if len(starts) == 1:
        return parse(source, filename)
    starts.append(len(lines))
    try:
        tree = parse("\n".join(lines[:starts[1]]) + "\n", filename)
        for k in range(1, len(starts) - 1):
            a, b = starts[k], starts[k + 1]
            text = "\n" * a + "\n".join(lines[a:b])
            if b < len(lines):
                text += "\n"
            tree.body.extend(parse(text, filename).body)
    except Exception:
        return parse(source, filename)
    return tree


def iter_child_nodes(node):
    for name in node._fields:
        try:
            field = getattr(node, name)
        except AttributeError:
            continue
        if isinstance(field, AST):
            yield field
        elif isinstance(field, list):
            for item in field:
                if isinstance(item, AST):
                    yield item


def walk(node):
    """Every node of the tree from node, breadth first (as ast.walk)."""
    todo = [node]
    i = 0
    while i < len(todo):
        node = todo[i]
        i += 1
        todo.extend(iter_child_nodes(node))
        yield node


def copy_location(new_node, old_node):
    for attr in 'lineno', 'col_offset', 'end_lineno', 'end_col_offset':
        if attr in old_node._attributes and attr in new_node._attributes:
            value = getattr(old_node, attr, None)
            # end_lineno and end_col_offset are optional attributes, and they
            # should be copied whether the value is None or not.
            if value is not None or (
                hasattr(old_node, attr) and attr.startswith("end_")
            ):
                setattr(new_node, attr, value)
    return new_node


def fix_missing_locations(node):
    def _fix(node, lineno, col_offset, end_lineno, end_col_offset):
        if 'lineno' in node._attributes:
            if not hasattr(node, 'lineno'):
                node.lineno = lineno
            else:
                lineno = node.lineno
        if 'end_lineno' in node._attributes:
            if getattr(node, 'end_lineno', None) is None:
                node.end_lineno = end_lineno
            else:
                end_lineno = node.end_lineno
        if 'col_offset' in node._attributes:
            if not hasattr(node, 'col_offset'):
                node.col_offset = col_offset
            else:
                col_offset = node.col_offset
        if 'end_col_offset' in node._attributes:
            if getattr(node, 'end_col_offset', None) is None:
                node.end_col_offset = end_col_offset
            else:
                end_col_offset = node.end_col_offset
        for child in iter_child_nodes(node):
            _fix(child, lineno, col_offset, end_lineno, end_col_offset)
    _fix(node, 1, 0, 1, 0)
    return node


def unparse(node):
    import ast
    return ast.unparse(node)


def dump(node, *args, **kwargs):
    import ast
    return ast.dump(node, *args, **kwargs)
