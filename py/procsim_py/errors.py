"""Diagnostics in procsim's format: FILE:LINE:COL: error: MESSAGE, the line
and a caret (as sim/lang/diag.c prints them)."""


class Columns:
    """ast gives columns as UTF-8 byte offsets; CPython's messages (and
    procsim's carets, one space per column) count characters."""

    def __init__(self, source):
        self.wide = {}
        if not source.isascii():
            for i, text in enumerate(source.splitlines(), 1):
                if not text.isascii():
                    self.wide[i] = text.encode("utf-8")

    def col(self, line, offset):
        b = self.wide.get(line)
        if b is None:
            return offset + 1
        return len(b[:offset].decode("utf-8", "replace")) + 1


COLUMNS = Columns("")


class Unsupported(Exception):
    """A construct outside the simulated subset, at an ast node."""

    def __init__(self, node, message):
        super().__init__(message)
        self.line = getattr(node, "lineno", 0) or 0
        self.col = COLUMNS.col(self.line, getattr(node, "col_offset", 0) or 0)
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
