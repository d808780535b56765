"""A parent forks three children and reaps them in the order they end."""
import os
import time


def child(n):
    print("child", n, "is pid", os.getpid())
    if n == 1:
        time.sleep(0.004)   # child 1 ends first
    else:
        time.sleep(0.008)
    os._exit(n)


for n in range(3, 0, -1):
    pid = os.fork()
    if pid == 0:
        child(n)

for i in range(3):
    pid, status = os.wait()
    print("reaped", pid, "status", status)
print("all children reaped")
