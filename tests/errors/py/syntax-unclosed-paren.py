# expect: tests/errors/py/syntax-unclosed-paren.py:3:6: error: '(' was never closed
import os
print(os.getpid()
