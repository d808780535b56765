"""The sys module: exit, argv (empty program arguments), the switch
interval, stdout/stderr flush."""
from ..errors import unsupported
from ._util import check_args
from .registry import call, const

const("sys.argv", '["prog.py"]')
const("sys.maxsize", "9223372036854775807")
const("sys.platform", '"linux"')


@call("sys.exit")
def exit_(tr, node, dest):
    check_args(node, "sys.exit", "status")
    code = tr.bind(node, "status=None")[0]
    # SystemExit: catchable; uncaught, the process exits with the code
    # (None: 0; an int: its low 8 bits; anything else is printed, exit 1).
    tr.emit("raise SystemExit %s" % ("(%s)" % code))


@call("sys.getswitchinterval")
def getswitchinterval(tr, node, dest):
    check_args(node, "sys.getswitchinterval", "")
    tr.assign(dest, "0.005")


@call("sys.stdout.flush", "sys.stderr.flush")
def flush(tr, node, dest):
    tr.emit("print end=\"\" flush=True")
    tr.assign(dest, "None")


@call("sys.stdout.write")
def stdout_write(tr, node, dest):
    (s,) = tr.bind(node, "s")
    v = s if s.isidentifier() or s.startswith('"') else "(%s)" % s
    tr.emit('print %s end=""' % v)
    tr.assign(dest, "len(%s)" % v)


@call("sys.setrecursionlimit", "sys.setswitchinterval",
      "sys.stderr.write", "sys.stdin.readline", "sys.getrecursionlimit")
def not_simulated(tr, node, dest):
    unsupported(node, "%s()" % tr.qualname(node.func))
