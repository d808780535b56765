def square(x):
    return x * x


def apply(fn, args):
    return fn(*args)


g = square
print(g(3), apply(square, (4,)))
