"""An exception raised in a Pool worker is raised again by get() in the parent."""
from multiprocessing import Pool


def risky(x):
    if x == 3:
        raise ValueError(f"bad input {x}")
    return x + 100


if __name__ == "__main__":
    with Pool(2) as pool:
        ok = pool.apply_async(risky, (1,))
        bad = pool.apply_async(risky, (3,))
        print("ok:", ok.get())
        try:
            bad.get()
        except ValueError as e:
            print("the worker raised:", e)
