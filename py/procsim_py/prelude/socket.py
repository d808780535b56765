"""socket.socket, after CPython 3.11.7's Lib/socket.py (a Python class over
the _socket module's fd): the fd is a procsim socket on the simulated
loopback network (docs §7 Sockets). Data are bytes in Python and strings
on procsim's network: send() decodes, recv() encodes. An address's host is
always 127.0.0.1: (host, port) becomes the port."""
import _procsim


def _sock_addr(address):
    if isinstance(address, tuple):
        return address[1]
    return address


def _sock_data(data):
    if isinstance(data, bytes):
        return data.decode()
    return data


def _sock_bytes(data):
    if isinstance(data, str):
        return data.encode()
    return data


class Socket:
    def __init__(self, family=2, type=1, proto=0, fileno=None):
        self.family = family
        self.type = type
        self.proto = proto
        self._timeout = None
        if fileno is None:
            fileno = _procsim.socket(family, type)
        self._fd = fileno
        self._closed = False

    def fileno(self):
        if self._closed:
            return -1
        return self._fd

    def bind(self, address):
        _procsim.sock_bind(self._fd, _sock_addr(address))

    def listen(self, backlog=None):
        if backlog is None:
            _procsim.sock_listen0(self._fd)
        else:
            _procsim.sock_listen(self._fd, backlog)

    def accept(self):
        fd, addr = _procsim.sock_accept(self._fd)
        conn = Socket(self.family, self.type, self.proto, fd)
        if self._timeout is not None:
            conn.settimeout(self._timeout)
        return conn, addr

    def connect(self, address):
        _procsim.sock_connect(self._fd, _sock_addr(address))

    def connect_ex(self, address):
        return _procsim.sock_connect_ex(self._fd, _sock_addr(address))

    def send(self, data, flags=0):
        return _procsim.sock_send(self._fd, _sock_data(data))

    def sendall(self, data, flags=0):
        _procsim.sock_sendall(self._fd, _sock_data(data))

    def sendto(self, data, address):
        return _procsim.sock_sendto(self._fd, _sock_data(data), _sock_addr(address))

    def recv(self, bufsize, flags=0):
        return _sock_bytes(_procsim.sock_recv(self._fd, bufsize))

    def recvfrom(self, bufsize, flags=0):
        data, addr = _procsim.sock_recvfrom(self._fd, bufsize)
        return _sock_bytes(data), addr

    def shutdown(self, how):
        _procsim.sock_shutdown(self._fd, how)

    def close(self):
        if not self._closed:
            self._closed = True
            _procsim.fd_close(self._fd)

    def detach(self):
        self._closed = True
        return self._fd

    def setsockopt(self, level, optname, value):
        _procsim.sock_setsockopt(self._fd, optname, value)

    def getsockopt(self, level, optname):
        return _procsim.sock_getsockopt(self._fd, optname)

    def setblocking(self, flag):
        if flag:
            self._timeout = None
        else:
            self._timeout = 0.0
        _procsim.sock_setblocking(self._fd, flag)

    def settimeout(self, value):
        self._timeout = value
        _procsim.sock_settimeout(self._fd, value)

    def gettimeout(self):
        return self._timeout

    def getblocking(self):
        return self._timeout != 0.0

    def getsockname(self):
        return _procsim.sock_getsockname(self._fd)

    def getpeername(self):
        return _procsim.sock_getpeername(self._fd)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()


def _sock_socketpair(family=1, type=1, proto=0):
    a, b = _procsim.socketpair(type)
    return Socket(1, type, 0, a), Socket(1, type, 0, b)


def _sock_create_connection(address, timeout=None, source_address=None):
    s = Socket(2, 1)
    if timeout is not None:
        s.settimeout(timeout)
    s.connect(address)
    return s


def _sock_create_server(address, family=2, backlog=None, reuse_port=False):
    s = Socket(family, 1)
    s.setsockopt(1, 2, 1)
    s.bind(address)
    s.listen(backlog)
    return s


def _sock_fileno(obj):
    """select's rule: an int, or an object's fileno()."""
    if isinstance(obj, int):
        return obj
    return obj.fileno()
