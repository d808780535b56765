"""An exception's message made at run time survives the trip back from a Pool or an executor's worker."""
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import Pool


def risky(x):
    if x % 3 == 0:
        raise ValueError(f"bad input {x}")
    return x * 10


def show(e):
    print("error_callback got:", e)


if __name__ == "__main__":
    with Pool(2) as pool:
        try:
            pool.map(risky, [1, 2, 3, 4])
        except ValueError as e:
            print("map raised:", e)
        try:
            print("imap:", list(pool.imap(risky, [1, 3, 4])))
        except ValueError as e:
            print("imap raised:", e)
        r = pool.apply_async(risky, (6,), error_callback=show)
        r.wait()
        try:
            r.get()
        except ValueError as e:
            print("get raised:", e)
    with ThreadPoolExecutor(max_workers=2) as ex:
        f = ex.submit(risky, 9)
        try:
            f.result()
        except ValueError as e:
            print("thread future raised:", e)
        print("exception():", f.exception())
    with ProcessPoolExecutor(max_workers=2) as ex:
        f = ex.submit(risky, 12)
        try:
            f.result()
        except ValueError as e:
            print("process future raised:", e)
        try:
            list(ex.map(risky, [1, 15]))
        except ValueError as e:
            print("executor map raised:", e)
