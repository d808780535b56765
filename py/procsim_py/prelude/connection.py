"""multiprocessing.Pipe and Connection, after CPython 3.11.7's
Lib/multiprocessing/connection.py: a Connection wraps a file descriptor
(here an end of a procsim pipe, which carries whole messages: send() and
recv() are Connection.send/recv; the pickling is the message's copy)."""
import _procsim


class Connection:
    def __init__(self, handle, readable=True, writable=True):
        self._handle = handle
        self.readable = readable
        self.writable = writable
        self.closed = False

    def fileno(self):
        return self._handle

    def _check_closed(self):
        if self.closed:
            raise OSError("handle is closed")

    def _check_readable(self):
        if not self.readable:
            raise OSError("connection is write-only")

    def _check_writable(self):
        if not self.writable:
            raise OSError("connection is read-only")

    def send(self, obj):
        self._check_closed()
        self._check_writable()
        _procsim.fd_send(self._handle, obj)

    def recv(self):
        self._check_closed()
        self._check_readable()
        return _procsim.fd_recv(self._handle)

    def send_bytes(self, buf):
        self.send(buf)

    def recv_bytes(self, maxlength=None):
        return self.recv()

    def poll(self, timeout=0.0):
        self._check_closed()
        self._check_readable()
        return _procsim.fd_poll(self._handle, timeout)

    def close(self):
        if not self.closed:
            self.closed = True
            _procsim.fd_close(self._handle)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()


def _mp_Pipe(duplex=True):
    a, b = _procsim.pipe(duplex)
    if duplex:
        return Connection(a), Connection(b)
    return Connection(a, True, False), Connection(b, False, True)
