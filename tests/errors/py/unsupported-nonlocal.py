# expect: tests/errors/py/unsupported-nonlocal.py:5:9: error: procsim does not simulate nonlocal
def outer():
    count = 0
    def inner():
        nonlocal count
        count += 1
    inner()
    return count
