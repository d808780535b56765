# expect: tests/errors/py/unsupported-lambda.py:2:10: error: procsim does not simulate lambda (define the function with def)
square = lambda x: x * x
print(square(3))
