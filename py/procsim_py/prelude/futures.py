"""concurrent.futures.as_completed, after CPython 3.11.7's
Lib/concurrent/futures/_base.py: a done callback on every future puts it
on a list and sets an event the caller waits on. CPython's is a generator;
this one returns the list of futures in the order they completed, once all
have (a loop over it runs after the last one is done)."""
import _procsim

_cf_done = []
_cf_event = None


def _cf_on_done(fu):
    _cf_done.append(fu)
    _cf_event.set()


def _cf_as_completed(fs, timeout=None):
    global _cf_done, _cf_event
    if timeout is not None:
        raise NotImplementedError("procsim does not simulate as_completed(timeout=...)")
    _cf_done = []
    _cf_event = _procsim.new_event()
    fs = list(fs)
    for f in fs:
        _procsim.add_done_callback(f, _cf_on_done)
    out = []
    while len(out) < len(fs):
        _cf_event.wait()
        _cf_event.clear()
        while len(_cf_done) > 0:
            out.append(_cf_done.pop(0))
    return out
