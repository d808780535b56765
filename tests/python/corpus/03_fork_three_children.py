"""A parent forks three children in a loop and waits for each one."""
import os
import time

children = []
for i in range(3):
    pid = os.fork()
    if pid == 0:
        time.sleep(0.1 * (i + 1))   # child i speaks at 0.1 s, 0.2 s, 0.3 s
        print(f"child {i} done")
        os._exit(10 + i)
    children.append(pid)

codes = []
for pid in children:
    _, status = os.waitpid(pid, 0)
    codes.append(os.WEXITSTATUS(status))
print("exit codes:", codes)
