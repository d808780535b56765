"""pool.apply waits for the result; pool.apply_async returns at once with an AsyncResult."""
import time
from multiprocessing import Pool


def slow_double(x):
    time.sleep(0.2)
    return 2 * x


if __name__ == "__main__":
    with Pool(2) as pool:
        print("apply:", pool.apply(slow_double, (5,)))
        result = pool.apply_async(slow_double, (7,))
        print("apply_async returned, ready:", result.ready())
        print("get:", result.get())
        print("ready now:", result.ready())
