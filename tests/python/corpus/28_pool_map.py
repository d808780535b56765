"""pool.map applies a function to every item and keeps the order of the results."""
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    with Pool(3) as pool:
        print(pool.map(square, [1, 2, 3, 4, 5, 6, 7]))
        print(pool.map(square, range(10), chunksize=2))
