# expect: tests/errors/py/unsupported-open.py:2:6: error: procsim does not simulate open() (files)
with open("log.txt", "w") as f:
    f.write("hello\n")
