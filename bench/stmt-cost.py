"""What one statement costs in CPython here: the default of stmt_cost.

`for i in range(10**6): pass` per turn (what python=on's stmt_cost=26ns
stands for), and with `x = x + 1` in the body. Then what reading a
multiprocessing Value costs (python=on's shared_cost=250ns) and what
`v.value += 1` costs (a read and a write). Medians of 7 runs, ns.
"""
import statistics
import sys
import timeit
from multiprocessing import Value

N = 10 ** 6
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
empty = [timeit.timeit("for i in range(N): pass", globals={"N": N}, number=1) for _ in range(runs)]
body = [timeit.timeit("for i in range(N): x = x + 1", setup="x = 0", globals={"N": N}, number=1)
        for _ in range(runs)]
print("CPython %s: for i in range(10**6): pass  median %.1f ns a turn"
      % (sys.version.split()[0], statistics.median(empty) * 1e9 / N))
print("CPython: with x = x + 1 in the body      median %.1f ns a turn"
      % (statistics.median(body) * 1e9 / N))

M = 10 ** 5
v = Value("i", 0)
read = [timeit.timeit("v.value", globals={"v": v}, number=M) for _ in range(runs)]
update = [timeit.timeit("v.value += 1", globals={"v": v}, number=M) for _ in range(runs)]
print("CPython: v.value (a multiprocessing Value)  median %.1f ns a read"
      % (statistics.median(read) * 1e9 / M))
print("CPython: v.value += 1                       median %.1f ns (a read and a write)"
      % (statistics.median(update) * 1e9 / M))
