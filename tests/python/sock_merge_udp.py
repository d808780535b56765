"""TCP is a byte stream: two sends that have both arrived before the reader
reads come out of one recv (the reader waits until a peek sees all 10
bytes). UDP keeps each datagram whole: two recvfrom calls; a recvfrom
smaller than the datagram returns its start and the rest is lost."""
import socket
import time

ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
c = socket.socket()
c.connect(ls.getsockname())
conn, _ = ls.accept()
c.send(b"hello")
c.send(b"world")
while len(conn.recv(100, socket.MSG_PEEK)) < 10:
    time.sleep(0.001)
data = conn.recv(100)
print("tcp recv:", len(data), "bytes", data.decode())
c.close()
conn.close()
ls.close()

r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.bind(("127.0.0.1", 0))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for msg in [b"hello", b"world", b"abcdefgh", b"next"]:
    s.sendto(msg, r.getsockname())
for n in [100, 100, 3, 100]:
    data, addr = r.recvfrom(n)
    print("udp recvfrom", n, ":", len(data), "bytes", data.decode(), "from", addr[0])
s.close()
r.close()
