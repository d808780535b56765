"""A zombie: the child has exited but its parent has not waited yet.

In the window, the child turns Z (zombie) at about 0.1 s and stays Z for a
second, until the parent calls os.waitpid; then it disappears. Its exit
status was kept by the kernel just for that call.
"""
import os
import time

pid = os.fork()
if pid == 0:
    print("child: exiting with status 7")
    os._exit(7)            # the child is now a zombie: dead, not yet reaped

time.sleep(1)              # the parent is busy: look at the child's state now
_, status = os.waitpid(pid, 0)     # reap it: the zombie is gone
print("parent: the child exited with", os.WEXITSTATUS(status))
