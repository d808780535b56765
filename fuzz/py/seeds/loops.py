"""Seed: while/for with break, continue and else-less loops, nested."""
n = 0
while True:
    n += 1
    if n % 2 == 0:
        continue
    if n > 9:
        break
    for i in range(n):
        for j in range(i, 0, -1):
            if j == 3:
                break
print(n)
