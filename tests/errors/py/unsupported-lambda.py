# expect: tests/errors/py/unsupported-lambda.py:3:25: error: procsim does not simulate lambda
pairs = [(1, "b"), (2, "a")]
print(sorted(pairs, key=lambda p: p[1]))
