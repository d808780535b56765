# An uncaught exception in CPython: the traceback on stderr ends with the
# exception and its message, here made at run time; stdout's lines before it
# are kept; the process exits 1 (here a child, so that this program ends 0).
import os
def check(n):
    if n > 2:
        raise ValueError("too big: " + str(n))
    return n


def outer(items):
    total = 0
    for x in items:
        total = total + check(x)
        print("ok", x, total)
    return total


pid = os.fork()
if pid == 0:
    outer([1, 2, 3, 4])
    print("not reached")
_, st = os.waitpid(pid, 0)
print("child exit", os.WEXITSTATUS(st))
