"""select (select, poll, epoll) and selectors (DefaultSelector and its
Linux kin): prelude/select.py, over procsim's multiplexing statements."""
from ._util import prelude_call
from .registry import call, const, prelude

for _n, _v in [("POLLIN", 1), ("POLLPRI", 2), ("POLLOUT", 4), ("POLLERR", 8),
               ("POLLHUP", 16), ("POLLNVAL", 32), ("POLLRDHUP", 0x2000),
               ("EPOLLIN", 1), ("EPOLLPRI", 2), ("EPOLLOUT", 4), ("EPOLLERR", 8),
               ("EPOLLHUP", 16), ("EPOLLRDHUP", 0x2000), ("EPOLLONESHOT", 1 << 30),
               ("EPOLLET", 1 << 31)]:
    const("select." + _n, str(_v))
const("selectors.EVENT_READ", "1")
const("selectors.EVENT_WRITE", "2")
const("select.error", "OSError")

prelude("select.poll", "select", "_Poll")
prelude("select.epoll", "select", "_Epoll")
for _n in ("DefaultSelector", "EpollSelector", "PollSelector", "SelectSelector"):
    prelude("selectors." + _n, "select", "EpollSelector")


@call("select.select")
def select(tr, node, dest):
    prelude_call(tr, node, dest, "select", "_sel_select")
