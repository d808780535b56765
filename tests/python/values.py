"""procsim's values print as CPython prints them, compare as CPython
compares them, and fail with CPython's exceptions and messages.

Each line below has its twin in values.scn. Exceptions are caught and
printed as type name and message (str(e)), which is what a procsim
`except NAME as e` sees."""
name = "bob"
print("hello! " + name, 3, (2, name), [1, "a"], None, True, False, (7,), ())
print("ab" * 3, (1, 2) + (3,), [0] * 2, repr("it's"), repr("a\nb"), str(12) + "!")
print(1 == True, (1, "a") == (1, "a"), 1 == "1", (1,) == [1], "abc" < "abd",
      (1, 2) < (1, 3), not "")
print(0 or "x", [] or None, 3 and 4, len((1, 2, 3)), len("abc"), int("42") + 1)
t = (10, "ab", [3, 4])
print(t[0], t[-1], t[1][1], t[2][0], ("x", ("y", 'q"z')), ['it\'s'])
a, b = (1, "x")
c, d = [a + 1, b * 2]
print(a, b, c, d)
for thunk in (lambda: "a" + 1, lambda: t[5], lambda: "abc"[-4], lambda: int("x1"),
              lambda: (1, 2) < ("a",)):
    try:
        thunk()
    except Exception as e:
        # int()'s message quotes the text as CPython's does (issue 14)
        print(type(e).__name__, str(e))
try:
    e, f = (1, 2, 3)
except ValueError as err:
    print("ValueError", str(err).split(" (")[0])
