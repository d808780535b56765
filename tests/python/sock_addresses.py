"""Addresses: accept returns the client's address, which is the client's
getsockname and the server connection's getpeername; the server connection's
getsockname is the listening address. A UDP recvfrom returns the sender's
port (its host is 127.0.0.1, while the sender's own getsockname, bound
implicitly by sendto, says 0.0.0.0: procsim says 127.0.0.1 there, so only
the ports are compared). Ports are compared, never printed."""
import socket

ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
c = socket.socket()
c.connect(ls.getsockname())
conn, addr = ls.accept()
print("host:", addr[0])
print("accept's address is the client's getsockname:", addr == c.getsockname())
print("and the connection's getpeername:", conn.getpeername() == addr)
print("the connection's getsockname is the listener's:", conn.getsockname() == ls.getsockname())
print("the client's getpeername is the listener's:", c.getpeername() == ls.getsockname())
print("the client got a port of its own:", c.getsockname()[1] != ls.getsockname()[1])
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.bind(("127.0.0.1", 0))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"hi", r.getsockname())
data, frm = r.recvfrom(10)
print("recvfrom gives the sender's host:", frm[0])
print("and its port:", frm[1] == s.getsockname()[1])
