# expect: tests/errors/py/unsupported-yield.py:4:9: error: procsim does not simulate generators (yield)
def numbers():
    for i in range(3):
        yield i


print(list(numbers()))
