"""An orphan gets a new parent when its parent exits before it."""
import os
import time

r, w = os.pipe()
middle = os.fork()
if middle == 0:
    os.close(r)
    me = os.getpid()
    grandchild = os.fork()
    if grandchild == 0:
        time.sleep(0.3)             # the middle process has exited by now
        print("orphan: my parent changed:", os.getppid() != me)
        os.write(w, b"done")
        os._exit(0)
    time.sleep(0.1)
    print("middle process exits, leaving its child")
    os._exit(0)

os.close(w)
os.waitpid(middle, 0)
print("orphan says:", os.read(r, 10))   # returns when the orphan writes
