def f(v):
    return v


a = 1 < f(2) < 3
b = 0 <= a is not None
print(a, b, 2 not in [1, 3])
