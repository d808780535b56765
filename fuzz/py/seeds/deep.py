"""Seed: recursion near the limit, big numbers, many children."""
import os


def depth(k):
    return 0 if k == 0 else 1 + depth(k - 1)


print(depth(900), 2 ** 100, -7 // 2, -7 % 3)
pids = []
for i in range(20):
    pid = os.fork()
    if pid == 0:
        os._exit(i)
    pids.append(pid)
print(sum(os.WEXITSTATUS(os.waitpid(p, 0)[1]) for p in pids))
