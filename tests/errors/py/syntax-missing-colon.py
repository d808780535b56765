# expect: tests/errors/py/syntax-missing-colon.py:3:18: error: expected ':'
import os
if os.fork() == 0
    print("child")
