import os
import time

pid = os.fork()
if pid == 0:
    print("child", os.getpid())
    time.sleep(0.005)
    os._exit(3)
else:
    cpid, status = os.wait()   # blocks until the child exits
    print("reaped", cpid, os.WEXITSTATUS(status))
