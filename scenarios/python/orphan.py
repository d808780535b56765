"""An orphan: its parent exits first, and it is adopted.

The middle process forks a child and exits at once. The child, now an
orphan, gets a new parent (init, or a "subreaper" such as systemd --user):
watch its parent change in the process tree. The original process reads a
pipe to know when the orphan has finished (it cannot wait for a process
that is not its child).
"""
import os
import time

r, w = os.pipe()
middle = os.fork()
if middle == 0:
    me = os.getpid()                       # the orphan's parent, for now
    if os.fork() == 0:
        time.sleep(0.5)                    # by now the middle process is gone
        print("orphan: adopted by a new parent:", os.getppid() != me)
        os.write(w, b"x")                  # tell the original process we are done
        os._exit(0)
    print("middle: exiting, leaving my child behind")
    os._exit(0)

os.close(w)
os.waitpid(middle, 0)                      # reap the middle process
os.read(r, 1)                              # returns when the orphan writes
print("original: the orphan has finished")
