"""A stand-in for procsim's Python translator, for the window's tests
(PROCSIM_PY=tests/viz/py/translate.py): for NAME.py it prints NAME.scn,
whose statements stand on NAME.py's lines and columns, with an `@L:C`
line before each, as the translator writes them. The tests of the
inspector and of the events then depend on positions only, not on how
much of Python the translator knows."""
import os
import sys

scn = os.path.splitext(sys.argv[1])[0] + ".scn"
with open(scn, encoding="utf-8") as f:
    lines = f.read().split("\n")
out = []
for n, line in enumerate(lines, 1):
    text = line.strip()
    if text and not text.startswith("}") and not text.startswith("spawn"):
        out.append("@%d:%d" % (n, len(line) - len(line.lstrip()) + 1))
    out.append(line)
sys.stdout.write("\n".join(out))
