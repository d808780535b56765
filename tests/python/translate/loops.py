pairs = [(1, "a"), (2, "b")]
for i, (k, v) in enumerate(pairs):
    if k == 2:
        break
    print(i, k, v)
d = {"x": 1, "y": 2}
for key, val in d.items():
    print(key, val)
n = 0
while n < 10:
    n += 3
    if n == 6:
        continue
squares = [i * i for i in range(5) if i % 2 == 0]
inv = {v: k for k, v in d.items()}
print(squares, inv, sum(x for x in squares))
