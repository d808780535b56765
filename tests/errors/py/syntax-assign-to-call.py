# expect: tests/errors/py/syntax-assign-to-call.py:3:1: error: cannot assign to function call here. Maybe you meant '==' instead of '='?
import os
os.getpid() = 3
