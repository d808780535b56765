"""concurrent.futures: submit, result, exception, add_done_callback, map,
shutdown; Pool.apply_async with a callback (lib/futures.py, _pools.py)."""
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool


def square(x):
    return x * x


def fail(x):
    raise ValueError("bad " + str(x))


def done(fu):
    print("done callback:", fu.result())


def got(r):
    print("pool callback:", r)


if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=2) as ex:
        f = ex.submit(square, 7)
        f.add_done_callback(done)
        print("result", f.result(timeout=1))
        g = ex.submit(fail, 3)
        print("exception:", g.exception())
        print("map", list(ex.map(square, [1, 2, 3])))
    with Pool(2) as p:
        r = p.apply_async(square, (5,), callback=got)
        print("apply_async", r.get(timeout=1))
        print("map", p.map(square, range(4)))
