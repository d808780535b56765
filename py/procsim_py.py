#!/usr/bin/env python3
"""procsim's Python front end: translate a student's .py file into procsim's
scenario language (printed on stdout), or report why it cannot be simulated
(FILE:LINE:COL: error: MESSAGE on stderr, exit status 2).

Usage: python3 procsim_py.py FILE.py

procsim runs this with the python3 on PATH (CPython's own `ast` parses the
file); the C side (sim/pyfront) parses the text it prints."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from procsim_py.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
