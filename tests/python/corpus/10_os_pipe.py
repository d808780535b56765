"""os.pipe: the child writes, the parent reads what it wrote."""
import os

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.write(w, b"hello from the child")
    os.close(w)
    os._exit(0)
os.close(w)
data = os.read(r, 100)
print("parent read:", data.decode())
os.waitpid(pid, 0)
