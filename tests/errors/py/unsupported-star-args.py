# expect: tests/errors/py/unsupported-star-args.py:2:1: error: procsim does not simulate *args or **kwargs parameters
def log(*args):
    print(*args)
