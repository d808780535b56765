def f(a, b=1):
    return a


d = {"b": 2}
f(1, **d)
