# fuzz: no answer within 20 s (not a hang: an endless loop, 2000 ticks at 26ns a statement took over 20 s under ASan; fuzz.py now runs 500 ticks)
"""Seed: while/for with break, continue and else-less loops, nested."""
n = 0
while True:
    n += 1
    if n % 2 == 0:
        continue