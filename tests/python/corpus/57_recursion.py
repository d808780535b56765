"""Recursive functions: factorial and Fibonacci."""


def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print("5! =", factorial(5))
print("fib(0..10) =", [fib(i) for i in range(11)])
print("20! has", len(str(factorial(20))), "digits")
