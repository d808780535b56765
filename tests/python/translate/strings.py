name = "bob"
n = 3
print(f"{name!r} has {n:>4} items, {n / 2:.2f} each")
print("%s has %d" % (name, n))
print("{} / {:<6}|{x}".format(name, n, x=1.5))
print(", ".join(["a", "b"]).upper(), "a\tb\"c\\")
