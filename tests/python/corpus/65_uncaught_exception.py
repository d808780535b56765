"""An uncaught exception prints a traceback and ends the program with exit code 1."""


def check(x):
    if x < 0:
        raise ValueError(f"negative value: {x}")
    return x


print(check(3))
print(check(-1))
print("not reached")
