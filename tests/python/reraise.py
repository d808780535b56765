# A bare `raise` in an except block raises the exception again (the
# translator's `finally` is built on it); type(e).__name__ names the class
# a broader clause caught.
def cleanup_then_fail(n):
    try:
        if n > 1:
            raise ValueError("n is " + str(n))
        print("fine", n)
    except BaseException:
        print("cleanup", n)
        raise


for n in [1, 2]:
    try:
        cleanup_then_fail(n)
    except ValueError as e:
        print("caught again:", e)
for exc in [KeyError("k"), IndexError("i"), ZeroDivisionError("z")]:
    try:
        raise exc
    except LookupError as e:
        print("LookupError clause:", type(e).__name__)
    except Exception as e:
        print("Exception clause:", type(e).__name__)
