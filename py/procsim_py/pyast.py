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
