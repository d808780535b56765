"""py-10m.py - a Python program that executes 10,000,000 statements
(make bench, section (y): procsim stats of it, target <= 2 s; and CPython's
own time for the same program).

How the statements are counted: each executed Python statement counts once,
and a `for` loop's header counts once per iteration (it is the statement
that takes the next item: one charged instruction in procsim, which
compiles `for i in range(...)` to a counter loop). The loop below runs
5,000,000 iterations of two statements (the header and `total += i`):
10,000,000; the three statements outside it are noise. procsim agrees:
each is one charged instruction of stmt_cost (26 ns in Python mode), and
`procsim stats` gives __main__ 261 ticks of CPU (1 ms each): 10,000,000 x
26 ns = 260 ms, plus the print.
"""
total = 0
for i in range(5_000_000):
    total += i
print(total)
