"""A selectors echo server (selectors.DefaultSelector, an EpollSelector on
Linux) and one client process over TCP on 127.0.0.1: the listening socket is
EVENT_READ when a connection waits; the connection is EVENT_READ with the
request, then again when the client closes (recv gives b''); key.data tells
the listening socket from the connection. The client prints its answer
before it closes, so the order of the lines is fixed."""
import multiprocessing as mp
import selectors
import socket

ctx = mp.get_context("fork")
lsock = socket.socket()
lsock.bind(("127.0.0.1", 0))
lsock.listen(5)
port = lsock.getsockname()[1]


def client():
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    s.sendall(b"hello")
    print("client got", s.recv(100).decode(), flush=True)
    s.close()


sel = selectors.DefaultSelector()
sel.register(lsock, selectors.EVENT_READ, "listener")
p = ctx.Process(target=client)
p.start()
done = False
while not done:
    for key, mask in sel.select():
        if key.data == "listener":
            conn, addr = lsock.accept()
            print("accepted, mask", mask, flush=True)
            sel.register(conn, selectors.EVENT_READ, "conn")
        else:
            data = key.fileobj.recv(100)
            if data:
                print("echo", data.decode(), "mask", mask, flush=True)
                key.fileobj.sendall(data)
            else:
                print("EOF: the client closed", flush=True)
                sel.unregister(key.fileobj)
                key.fileobj.close()
                done = True
p.join()
print("client exitcode", p.exitcode, flush=True)
