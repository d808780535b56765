def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


def collect(out, n):
    out.append(n)
    out.sort()


results = []
for i in range(3):
    results.append(fact(i + 3))
collect(results, 1)
counts = {}
counts.setdefault("a", 0)
counts.update({"b": 2})
print(results, counts.get("a"), results.pop())
