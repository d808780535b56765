"""Nobody listening: connect raises ConnectionRefusedError ([Errno 111]
Connection refused), a ConnectionError and an OSError; connect_ex returns
the errno instead. The port is held by a socket that is bound but does not
listen; once it listens, connect_ex returns 0."""
import socket

holder = socket.socket()
holder.bind(("127.0.0.1", 0))
port = holder.getsockname()[1]
c = socket.socket()
try:
    c.connect(("127.0.0.1", port))
except ConnectionRefusedError as e:
    print("ConnectionRefusedError", e)
c.close()
c = socket.socket()
try:
    c.connect(("127.0.0.1", port))
except ConnectionError as e:
    print("caught as ConnectionError:", e)
c.close()
c = socket.socket()
print("connect_ex:", c.connect_ex(("127.0.0.1", port)))
c.close()
holder.listen(5)
c = socket.socket()
print("after listen, connect_ex:", c.connect_ex(("127.0.0.1", port)))
c.close()
holder.close()
