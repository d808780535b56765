"""The child's getpid() is what fork returned to the parent; its getppid() is the parent."""
import os

parent = os.getpid()
pid = os.fork()
if pid == 0:
    print("child", os.getpid(), "my parent is", os.getppid())
    print("child: parent matches:", os.getppid() == parent)
    os._exit(0)
os.wait()
print("parent", os.getpid(), "forked", pid)
