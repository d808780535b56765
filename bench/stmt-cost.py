"""What one statement costs in CPython here: the default of stmt_cost.

`for i in range(10**6): pass` per turn (what python=on's stmt_cost=26ns
stands for), and with `x = x + 1` in the body. Medians of 7 runs, ns.
"""
import statistics
import sys
import timeit

N = 10 ** 6
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
empty = [timeit.timeit("for i in range(N): pass", globals={"N": N}, number=1) for _ in range(runs)]
body = [timeit.timeit("for i in range(N): x = x + 1", setup="x = 0", globals={"N": N}, number=1)
        for _ in range(runs)]
print("CPython %s: for i in range(10**6): pass  median %.1f ns a turn"
      % (sys.version.split()[0], statistics.median(empty) * 1e9 / N))
print("CPython: with x = x + 1 in the body      median %.1f ns a turn"
      % (statistics.median(body) * 1e9 / N))
