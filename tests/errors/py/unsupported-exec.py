# expect: tests/errors/py/unsupported-exec.py:2:1: error: procsim does not simulate exec()
exec("print('hello')")
