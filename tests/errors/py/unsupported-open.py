# expect: tests/errors/py/unsupported-open.py:2:6: error: procsim does not simulate files (open())
with open("log.txt", "w") as f:
    f.write("hello\n")
