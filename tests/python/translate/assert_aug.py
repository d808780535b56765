data = {"k": [1, 2]}
data["k"][0] += 5
data["n"] = len(data["k"])
a, b = data["k"]
assert a > b, "a must be larger"
del data["n"]
print(data, a, b, 7 // 2, 2 ** 10, -a)
