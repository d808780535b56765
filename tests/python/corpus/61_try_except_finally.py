"""try/except/else/finally: which blocks run, with and without an exception."""


def divide(a, b):
    try:
        result = a // b
    except ZeroDivisionError as e:
        print("error:", e)
        return None
    else:
        print("no error")
        return result
    finally:
        print("finally runs either way")


print(divide(7, 2))
print(divide(1, 0))
try:
    [1, 2, 3][5]
except IndexError as e:
    print("IndexError:", e)
try:
    raise ValueError("custom message")
except (TypeError, ValueError) as e:
    print(type(e).__name__, e)
