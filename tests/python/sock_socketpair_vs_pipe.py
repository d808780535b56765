"""multiprocessing.Pipe() is built on socket.socketpair(), but its
Connection frames each message with its length, so two sends come out of
two recvs; a raw socketpair is a byte stream, and two sends that have both
arrived come out of one recv. The parent reads after the child has exited,
so everything has arrived."""
import multiprocessing as mp
import socket

ctx = mp.get_context("fork")
a, b = socket.socketpair()
pa, pb = ctx.Pipe()


def child():
    a.close()
    b.sendall(b"one")
    b.sendall(b"two")
    pb.send("one")
    pb.send("two")
    b.close()


p = ctx.Process(target=child)
p.start()
b.close()
p.join()
print("socketpair: one recv gives", a.recv(100).decode())
print("Pipe: recv gives", pa.recv())
print("Pipe: recv gives", pa.recv())
print("socketpair: then EOF:", a.recv(100) == b"")
