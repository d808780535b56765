"""Pool(4).map over 8 items: four worker processes share the work.

Each task takes 0.2 s, so the 8 tasks take about 0.4 s with 4 workers
instead of 1.6 s one after another. map() gives the results in the order of
the inputs, whichever worker computed them.
"""
import time
from multiprocessing import Pool


def slow_square(x):
    time.sleep(0.2)      # pretend this is hard work
    return x * x


if __name__ == "__main__":
    start = time.time()
    with Pool(4) as pool:
        squares = pool.map(slow_square, range(8))
    print("squares:", squares)
    print("took at least 0.4 s:", round(time.time() - start, 2) >= 0.4)
