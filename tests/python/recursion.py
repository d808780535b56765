# Recursion with per-call locals (procsim: `def`, issue 14): each call has
# its own n, a and b; a default argument; a global counted through calls;
# runaway recursion raises RecursionError.
calls = 0


def fib(n):
    global calls
    calls = calls + 1
    if n < 2:
        return n
    a = fib(n - 1)
    b = fib(n - 2)
    return a + b


def fact(n, acc=1):
    if n <= 1:
        return acc
    return fact(n - 1, acc * n)


def down(n):
    return down(n + 1)


def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


for i in range(8):
    print("fib", i, fib(i))
print("calls", calls)
print("fact", fact(10), fact(20))
print("even", is_even(10), is_odd(7), is_even(7))
try:
    down(0)
except RecursionError:
    print("RecursionError caught")
n = 5
fact(3)
print("n is still", n)
