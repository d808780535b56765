from multiprocessing import Pool


def f(x):
    return x * x


def cb(r):
    print(r)


with Pool(2) as p:
    r = p.apply_async(f, (3,), callback=cb)
    print(p.map(f, [1, 2]), r.get(timeout=1))
