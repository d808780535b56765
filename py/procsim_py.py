#!/usr/bin/env python3
"""procsim's Python front end: translate a student's .py file into procsim's
scenario language (printed on stdout), or report why it cannot be simulated
(FILE:LINE:COL: error: MESSAGE on stderr, exit status 2).

Usage: python3 procsim_py.py FILE.py

procsim runs this with the interpreter make found behind python3 (CPython's
own parser reads the file); the C side (sim/pyfront) parses the text it
prints."""
import sys

# The package beside this file (__file__ is absolute since Python 3.9; no
# os.path: importing os costs ~1 ms of a load, and nothing else needs it).
sys.path.insert(0, __file__.rpartition("/")[0] or ".")

from procsim_py.main import main  # noqa: E402

if __name__ == "__main__":
    status = main(sys.argv[1:])
    # Out without the interpreter's shutdown: tearing down the syntax tree
    # and the modules object by object costs ~4% of a load, and nothing
    # is left to do but flush what was written.
    sys.stdout.flush()
    sys.stderr.flush()
    import posix
    posix._exit(status)
