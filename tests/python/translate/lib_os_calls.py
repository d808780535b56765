import os
import signal

pid = os.fork()
if pid == 0:
    os._exit(3)
got, status = os.waitpid(pid, os.WNOHANG | os.WUNTRACED)
print(os.WIFEXITED(status), os.WEXITSTATUS(status))
os.kill(pid, signal.SIGTERM)
r, w = os.pipe()
os.write(w, b"x")
data = os.read(r, 10)
