"""A signal handler runs while the main thread waits in recv, and recv goes
on waiting after it (PEP 475: CPython retries the call; only an exception
raised by the handler would end it). Here the handler itself sends the
bytes the recv is waiting for: it runs first, then recv returns them.
(A handler that raises would end the recv with its exception in CPython;
procsim catches a handler's exceptions only inside the handler, docs
section 15, so that is not part of this pair.)"""
import signal
import socket

ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
c = socket.socket()
c.connect(ls.getsockname())
conn, _ = ls.accept()
rounds = 0


def ring(sig, frame):
    global rounds
    rounds += 1
    print("handler runs, round", rounds, flush=True)
    c.send(b"sent by the handler")


signal.signal(signal.SIGALRM, ring)
signal.setitimer(signal.ITIMER_REAL, 0.05)
print("recv:", conn.recv(100).decode(), flush=True)
