"""A reader sees end-of-file only when every write end of the pipe is closed."""
import os

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    for i in range(3):
        os.write(w, f"line {i}\n".encode())
    os._exit(0)          # exiting closes the child's write end

os.close(w)              # without this the parent would wait forever
chunks = []
while True:
    data = os.read(r, 1024)
    if not data:
        break
    chunks.append(data)
os.waitpid(pid, 0)
text = b"".join(chunks).decode()
print(text, end="")
print("end of file after", len(text), "bytes")
