"""The translator's output: scenario-language lines, each statement preceded
by an `@L:C` position line when the Python position changes, so everything
the C side reports (errors, tracebacks, the inspector's current line) names
the .py file's line and column."""
from contextlib import contextmanager


class Emitter:
    def __init__(self):
        self.out = []          # finished text pieces
        self.depth = 0
        self.pos = None        # (line, col) last written

    def at(self, node):
        """Make the next lines carry node's position."""
        line = getattr(node, "lineno", None)
        if line is None:
            return
        pos = (line, node.col_offset + 1)
        if pos != self.pos:
            self.out.append("@%d:%d\n" % pos)
            self.pos = pos

    def line(self, text):
        self.out.append("  " * self.depth + text + "\n")

    @contextmanager
    def block(self, header):
        """`header {` ... `}`"""
        self.line(header + " {")
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            self.line("}")

    def text(self):
        return "".join(self.out)
