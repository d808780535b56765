"""The translator's output: scenario-language lines, each statement preceded
by an `@L:C` position line when the Python position changes, so everything
the C side reports (errors, tracebacks, the inspector's current line) names
the .py file's line and column. A position is written only in front of a
line that is actually emitted (statements that emit nothing leave none)."""
from . import errors


class Emitter:
    def __init__(self):
        self.out = []          # finished text pieces
        self.depth = 0
        self.pos = None        # (line, col) last written into out
        self.want = None       # (line, col) the next line must carry
        self.at_node = None    # the node of the last at() and the want it left:
        self.at_want = None    # at(node) again changes nothing while want is that

    def at(self, node):
        """Make the next lines carry node's position."""
        if node is self.at_node and self.want is self.at_want:
            return
        line = getattr(node, "lineno", None)
        if line is not None:
            columns = errors.COLUMNS
            self.want = (line, columns.col(line, node.col_offset) if columns.wide
                         else node.col_offset + 1)
        self.at_node = node
        self.at_want = self.want

    def at_line(self, node, text):
        """at(node), then line(text) (one call: a translation makes thousands)."""
        if node is not self.at_node or self.want is not self.at_want:
            self.at(node)
        want = self.want
        if want is not None and want != self.pos:
            self.out.append("@%d:%d\n" % want)
            self.pos = want
        self.out.append("  " * self.depth + text + "\n")

    def line(self, text):
        if self.want is not None and self.want != self.pos:
            self.out.append("@%d:%d\n" % self.want)
            self.pos = self.want
        self.out.append("  " * self.depth + text + "\n")

    def block(self, header):
        """`header {` ... `}` (with: a class, not contextlib's generators)."""
        return _Block(self, header)

    def text(self):
        return "".join(self.out)


class _Block:
    def __init__(self, em, header):
        self.em = em
        self.header = header

    def __enter__(self):
        self.em.line(self.header + " {")
        self.em.depth += 1

    def __exit__(self, *exc):
        self.em.depth -= 1
        self.em.line("}")
        return False
