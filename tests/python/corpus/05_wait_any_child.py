"""os.wait() returns whichever child ends first, with its status."""
import os
import time

slow = os.fork()
if slow == 0:
    time.sleep(0.3)
    os._exit(2)
fast = os.fork()
if fast == 0:
    time.sleep(0.1)
    os._exit(1)

pid, status = os.wait()
print("first to end is the fast one:", pid == fast, "code", os.WEXITSTATUS(status))
pid, status = os.wait()
print("then the slow one:", pid == slow, "code", os.WEXITSTATUS(status))
