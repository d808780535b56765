"""py-10m.py - a Python program that executes 10,000,000 statements
(make bench, section (y): procsim stats of it, target <= 2 s; and CPython's
own time for the same program).

How the statements are counted: each executed Python statement counts once,
and a `for` loop's header counts once per iteration (it is the statement
that takes the next item: one charged instruction in procsim, which
compiles `for i in range(...)` to a counter loop). The loop below runs
5,000,000 iterations of two statements (the header and `total += i`):
10,000,000; the three statements outside it are noise.
"""
total = 0
for i in range(5_000_000):
    total += i
print(total)
