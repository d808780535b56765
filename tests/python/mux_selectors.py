"""selectors.DefaultSelector (an EpollSelector on Linux) over the read ends
of two multiprocessing pipes and the write end of one: what select()
returns is a list of (key, events), and key.data is what register was
given. A pipe with a message is EVENT_READ; a write end with room is
EVENT_WRITE; a read end whose writer is gone is EVENT_READ too (EOF), and
recv raises EOFError. timeout=0 with nothing ready returns []. Registering
the same fd twice, or unregistering one that is not, raises KeyError.
Everything runs in one process, so the order is fixed."""
import multiprocessing as mp
import selectors

ra, wa = mp.Pipe(duplex=False)
rb, wb = mp.Pipe(duplex=False)
sel = selectors.DefaultSelector()
sel.register(ra, selectors.EVENT_READ, "pipe a")
sel.register(rb, selectors.EVENT_READ, "pipe b")
print("nothing ready:", sel.select(timeout=0), flush=True)
wb.send("hello")
for key, mask in sel.select():
    print("ready:", key.data, "mask", mask, "message", key.fileobj.recv(), flush=True)
sel.register(wa, selectors.EVENT_WRITE, "write end of a")
for key, mask in sel.select(timeout=0):
    print("ready:", key.data, "mask", mask, flush=True)
sel.unregister(wa)
wa.close()
for key, mask in sel.select(timeout=0):
    print("ready:", key.data, "mask", mask, flush=True)
    try:
        key.fileobj.recv()
    except EOFError:
        print("EOFError: the writer is gone", flush=True)
try:
    sel.register(rb, selectors.EVENT_READ)
except KeyError:
    print("KeyError: registered twice", flush=True)
sel.unregister(ra)
try:
    sel.unregister(ra)
except KeyError:
    print("KeyError: not registered", flush=True)
sel.close()
