"""Diagnostics in procsim's format: FILE:LINE:COL: error: MESSAGE, the line
and a caret (as sim/lang/diag.c prints them)."""


class Unsupported(Exception):
    """A construct outside the simulated subset, at an ast node."""

    def __init__(self, node, message):
        super().__init__(message)
        self.line = getattr(node, "lineno", 0) or 0
        self.col = (getattr(node, "col_offset", 0) or 0) + 1
        self.message = message


def unsupported(node, what):
    """Raise the standard 'procsim does not simulate ...' error."""
    raise Unsupported(node, "procsim does not simulate " + what)


def format_diag(path, lines, line, col, message):
    if line <= 0 or line > len(lines):
        return "%s: error: %s\n" % (path, message)
    text = lines[line - 1].rstrip("\n")
    caret = "".join("\t" if c == "\t" else " " for c in text[: col - 1]) + "^"
    return "%s:%d:%d: error: %s\n    %s\n    %s\n" % (path, line, col, message, text, caret)
