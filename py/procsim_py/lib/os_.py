"""The os module (skeleton: pylib extends it)."""
from .registry import call, const


@call("os.getpid")
def getpid(tr, node, dest):
    tr.assign(dest, "getpid()")


@call("os.getppid")
def getppid(tr, node, dest):
    tr.assign(dest, "getppid()")


@call("os.fork")
def fork(tr, node, dest):
    tr.emit("fork" + tr.arrow(dest))


@call("os.wait")
def wait(tr, node, dest):
    a, b = tr.tmp(), tr.tmp()
    tr.emit("wait -> %s, %s" % (a, b))
    tr.assign(dest, "(%s, %s)" % (a, b))


const("os.WNOHANG", "1")
