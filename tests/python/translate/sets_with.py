"""Sets as lists without duplicates; with on a lock-like variable."""
import os


def worker(lock, seen):
    with lock:
        seen.add(os.getpid())
    return len(seen)


if __name__ == "__main__":
    seen = set()
    ids = {x % 3 for x in range(10)}
    print(sorted(ids), len(seen), 2 in ids)
