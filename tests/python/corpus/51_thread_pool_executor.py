"""ThreadPoolExecutor: submit() returns futures; map() keeps the order of the inputs."""
from concurrent.futures import ThreadPoolExecutor


def square(x):
    return x * x


with ThreadPoolExecutor(max_workers=3) as ex:
    futures = [ex.submit(square, i) for i in range(4)]
    print("submit:", [f.result() for f in futures])
    print("map:", list(ex.map(square, [5, 6, 7])))
