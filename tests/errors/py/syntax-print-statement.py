# expect: tests/errors/py/syntax-print-statement.py:3:1: error: Missing parentheses in call to 'print'. Did you mean print(...)?
import os
print "hello from", os.getpid()
