# expect: tests/errors/py/unsupported-decorator.py:5:2: error: procsim does not simulate decorators
import functools


@functools.lru_cache
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
