xs = [1]
ys = xs
xs += [2]
d = {"k": []}
d["k"] += [3]
n = 1
n += 2
print(xs, ys, d, n)
