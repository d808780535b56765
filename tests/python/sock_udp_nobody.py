"""UDP has no connection: sendto a port where nobody is bound succeeds (the
datagram is simply lost), and nothing tells the sender: its recvfrom with a
timeout raises TimeoutError. (Only a connect()ed UDP socket would hear of
the ICMP 'port unreachable' as ConnectionRefusedError.)"""
import socket

holder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
holder.bind(("127.0.0.1", 0))
port = holder.getsockname()[1]
holder.close()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print("sendto a port nobody has:", s.sendto(b"hello", ("127.0.0.1", port)), "bytes")
s.settimeout(0.1)
try:
    s.recvfrom(100)
except TimeoutError as e:
    print("recvfrom: TimeoutError", e)
print("sendto again:", s.sendto(b"hello", ("127.0.0.1", port)), "bytes")
