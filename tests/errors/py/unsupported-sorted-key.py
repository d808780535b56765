# expect: tests/errors/py/unsupported-sorted-key.py:3:21: error: procsim does not simulate sorted(key=...)
pairs = [(1, "b"), (2, "a")]
print(sorted(pairs, key=lambda p: p[1]))
