"""waitpid(-1, 0) in a loop reaps every child; ChildProcessError says none are left."""
import os
import time

for i in range(3):
    if os.fork() == 0:
        time.sleep(0.1 * (3 - i))     # the last forked ends first
        os._exit(i)

codes = []
while True:
    try:
        pid, status = os.waitpid(-1, 0)
    except ChildProcessError:
        break
    codes.append(os.WEXITSTATUS(status))
print("exit codes in order of ending:", codes)
