# expect: tests/errors/py/unsupported-nested-def.py:4:5: error: procsim does not simulate functions defined inside functions or blocks (define them at the top level)
def outer():
    count = 0
    def inner():
        nonlocal count
        count += 1
    inner()
    return count
