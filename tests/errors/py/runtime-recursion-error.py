# expect: RecursionError: maximum recursion depth exceeded
def forever(n):
    return forever(n + 1)


forever(0)
