"""os.fork() returns twice: 0 in the child, the child's pid in the parent."""
import os

pid = os.fork()
if pid == 0:
    print("child: fork returned 0")
    os._exit(0)
os.waitpid(pid, 0)
print("parent: fork returned a pid:", pid > 0)
