"""select.select, select.poll, select.epoll and selectors.DefaultSelector
(an EpollSelector on Linux), after CPython 3.11.7's Modules/selectmodule.c
and Lib/selectors.py, over procsim's select/poll/epoll/selector
statements. Objects with fileno() (sockets) are accepted where fds are, as
CPython does; the results give back the objects passed in."""
import _procsim


def _sel_fileno(obj):
    if isinstance(obj, int):
        return obj
    return obj.fileno()


def _sel_fds(objs):
    fds = []
    for o in objs:
        fds.append(_sel_fileno(o))
    return fds


def _sel_pick(objs, ready):
    out = []
    for o in objs:
        if _sel_fileno(o) in ready:
            out.append(o)
    return out


def _sel_select(rlist, wlist, xlist, timeout=None):
    if timeout is not None and timeout < 0:
        raise ValueError("timeout must be non-negative")
    r, w, x = _procsim.select(_sel_fds(rlist), _sel_fds(wlist), _sel_fds(xlist), timeout)
    return _sel_pick(rlist, r), _sel_pick(wlist, w), _sel_pick(xlist, x)


class _Poll:
    def __init__(self):
        self._p = _procsim.poll_new()

    def register(self, fd, eventmask=7):
        _procsim.mux_register(self._p, _sel_fileno(fd), eventmask)

    def modify(self, fd, eventmask):
        _procsim.mux_modify(self._p, _sel_fileno(fd), eventmask)

    def unregister(self, fd):
        _procsim.mux_unregister(self._p, _sel_fileno(fd))

    def poll(self, timeout=None):
        """timeout in milliseconds (None or negative: wait)."""
        ticks = None
        if timeout is not None and timeout >= 0:
            ticks = _procsim.ms_to_ticks(timeout)
        return _procsim.mux_wait(self._p, "poll", ticks)


class _Epoll:
    def __init__(self, sizehint=-1, flags=0):
        self._ep = _procsim.epoll_new()
        self.closed = False

    def fileno(self):
        return self._ep

    def register(self, fd, eventmask=7):
        _procsim.mux_register(self._ep, _sel_fileno(fd), eventmask)

    def modify(self, fd, eventmask):
        _procsim.mux_modify(self._ep, _sel_fileno(fd), eventmask)

    def unregister(self, fd):
        _procsim.mux_unregister(self._ep, _sel_fileno(fd))

    def poll(self, timeout=None, maxevents=-1):
        """timeout in seconds (None or negative: wait)."""
        ticks = None
        if timeout is not None and timeout >= 0:
            ticks = _procsim.secs_to_ticks(timeout)
        if maxevents is None or maxevents < 0:
            return _procsim.mux_wait(self._ep, "poll", ticks)
        return _procsim.mux_wait(self._ep, "poll", ticks, maxevents)

    def close(self):
        if not self.closed:
            self.closed = True
            _procsim.fd_close(self._ep)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()


class SelectorKey:
    def __init__(self, fileobj, fd, events, data):
        self.fileobj = fileobj
        self.fd = fd
        self.events = events
        self.data = data


class EpollSelector:
    def __init__(self):
        self._sel = _procsim.selector_new()
        self._keys = {}

    def register(self, fileobj, events, data=None):
        fd = _sel_fileno(fileobj)
        _procsim.mux_register(self._sel, fd, events)
        key = SelectorKey(fileobj, fd, events, data)
        self._keys[fd] = key
        return key

    def unregister(self, fileobj):
        fd = _sel_fileno(fileobj)
        if fd not in self._keys:
            raise KeyError(str(fileobj) + " is not registered")
        _procsim.mux_unregister(self._sel, fd)
        key = self._keys[fd]
        del self._keys[fd]
        return key

    def modify(self, fileobj, events, data=None):
        fd = _sel_fileno(fileobj)
        if fd not in self._keys:
            raise KeyError(str(fileobj) + " is not registered")
        _procsim.mux_modify(self._sel, fd, events)
        key = SelectorKey(fileobj, fd, events, data)
        self._keys[fd] = key
        return key

    def get_key(self, fileobj):
        fd = _sel_fileno(fileobj)
        if fd not in self._keys:
            raise KeyError(str(fileobj) + " is not registered")
        return self._keys[fd]

    def select(self, timeout=None):
        """timeout in seconds (None: wait; 0 or less: just look)."""
        ticks = None
        if timeout is not None:
            if timeout <= 0:
                ticks = 0
            else:
                ticks = _procsim.secs_to_ticks(timeout)
        ready = []
        for ev in _procsim.mux_wait(self._sel, "select", ticks):
            ready.append((self._keys[ev[0]], ev[1]))
        return ready

    def close(self):
        _procsim.fd_close(self._sel)
        self._keys = {}

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()
