# Floats and Python's arithmetic: repr, mixing with ints, //, %, **, round.
print(1.5, 0.1, 0.1 + 0.2, 1e16, 1e-05, 3.0, 1e22, 123456789.125, -0.0)
print(0.0001, 1e15, 2.5e-7, 1 / 3, 2 / 3, 10 / 4)
print(float("inf"), -float("inf"), float("nan"), float("  2.5 "))
print(7 // 2, -7 // 2, 7 // -2, -7 % 3, 7 % -3, 7.5 // 2, -7.5 // 2, 7.5 % -2)
print(2 ** 10, 2 ** -1, (-2) ** 3, -2 ** 2, 2.0 ** 0.5, 10 ** 18)
print(5 ^ 3, 1 << 10, -16 >> 2, ~5, 6 & 3, 6 | 3)
print(1 + 2.5, 3 * 1.5, 2 - 0.5, 1 == 1.0, 1 < 1.5, 2.0 > 3, True + 0.5)
print(round(2.5), round(3.5), round(-2.5), round(0.125, 2), round(2.675, 2), round(1234, -2))
print(round(1.5), round(7.0), round(1e3, 1), round(-0.5))
print(divmod(7, 2), divmod(-7, 2), divmod(-7.5, 2), pow(2, 8), pow(2, -2), abs(-3), abs(-2.5))
print(int(3.9), int(-3.9), float(3), float(True), str(2.5), repr(0.1))
print(12.5.is_integer(), 3.0.is_integer())
for e in ["1/0", "1//0", "1%0", "1.0/0", "1.0//0.0", "1.0%0.0", "0.0**-1", "divmod(1.0, 0)"]:
    try:
        eval(e)
    except ZeroDivisionError as x:
        print("ZeroDivisionError:", x)
