"""The time module (skeleton: pylib extends it). Seconds become ticks of
`tick` (1 ms by default in Python mode)."""
from .registry import call


@call("time.sleep")
def sleep(tr, node, dest):
    (secs,) = tr.bind(node, "secs")
    tr.emit("sleep %s" % tr.ticks(secs))
    tr.assign(dest, "None")
