"""multiprocessing.Process and _mp_current_process, after CPython 3.11.7's
Lib/multiprocessing/process.py and popen_fork.py (the fork start method).

Simplifications (docs/python-modules.md): exitcode, pid, name, daemon and
ident are plain attributes; a read of X.exitcode outside this file calls
_mp_exitcode, which polls the child as CPython's property does."""
import _procsim

# This process's identity: () in the main process, (1,) in Process-1,
# (1, 2) in its second child ... (BaseProcess._identity); _mp_counter numbers
# the Process objects this process makes; _mp_children lists them.
_mp_identity = ()
_mp_counter = 0
_mp_children = []
_mp_current = None


class Process:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs={}, daemon=None):
        global _mp_counter
        assert group is None, 'group argument must be None for now'
        _mp_counter += 1
        self._identity = _mp_identity + (_mp_counter,)
        self._parent_pid = _procsim.getpid()
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs)
        self._started = False
        if name is None:
            name = 'Process-' + _mp_join_identity(self._identity)
        self.name = name
        if daemon is None:
            daemon = _mp_current_process().daemon
        self.daemon = daemon
        self.pid = None
        self.ident = None
        self.exitcode = None

    def run(self):
        if self._target is not None:
            if len(self._kwargs) > 0:
                raise NotImplementedError('procsim does not simulate kwargs= of a Process target')
            target = self._target
            target(*self._args)

    def start(self):
        assert not self._started, 'cannot start a process twice'
        assert self._parent_pid == _procsim.getpid(), \
            'can only start a process object created by current process'
        self._started = True
        self.pid = _procsim.fork(_mp_bootstrap, (self,), self.daemon)
        self.ident = self.pid
        _mp_children.append(self)

    def join(self, timeout=None):
        assert self._parent_pid == _procsim.getpid(), 'can only join a child process'
        assert self._started, 'can only join a started process'
        _procsim.join(self.pid, timeout)
        self.exitcode = _procsim.exitcode(self.pid)

    def is_alive(self):
        if self is _mp_current:
            return True
        assert self._parent_pid == _procsim.getpid(), 'can only test a child process'
        if not self._started:
            return False
        alive = _procsim.is_alive(self.pid)
        self.exitcode = _procsim.exitcode(self.pid)
        return alive

    def terminate(self):
        if self._started:
            _procsim.terminate(self.pid)

    def kill(self):
        if self._started and _procsim.exitcode(self.pid) is None:
            _procsim.kill(self.pid)

    def close(self):
        pass


def _mp_exitcode(obj):
    """obj.exitcode: a Process's is a property in CPython that polls the
    child (Popen.poll: waitpid WNOHANG), so an ended child's code shows, and
    the child is reaped, without join() or is_alive(); any other object's is
    its own attribute (the translator calls this for every `X.exitcode`)."""
    if isinstance(obj, Process):
        if obj.exitcode is None and obj._started and obj._parent_pid == _procsim.getpid():
            _procsim.is_alive(obj.pid)
            obj.exitcode = _procsim.exitcode(obj.pid)
    return obj.exitcode


def _mp_join_identity(identity):
    text = ''
    for i in identity:
        if text != '':
            text = text + ':'
        text = text + str(i)
    return text


def _mp_bootstrap(proc):
    """The child's side of start(): BaseProcess._bootstrap."""
    global _mp_identity, _mp_counter, _mp_children, _mp_current
    _mp_identity = proc._identity
    _mp_counter = 0
    _mp_children = []
    _mp_current = proc
    try:
        proc.run()
    finally:
        _mp_exit_function()


def _mp_exit_function():
    """multiprocessing.util._exit_function, run at a normal exit: the
    kernel terminates the daemonic children (procsim's daemon flag); the
    others are joined, so a parent waits for the Processes it started."""
    for p in _mp_children:
        if not p.daemon and p.is_alive():
            p.join()


class _MainProcess:
    def __init__(self):
        self.name = 'MainProcess'
        self.daemon = False
        self.pid = _procsim.getpid()
        self.ident = self.pid
        self.exitcode = None
        self._identity = ()

    def is_alive(self):
        return True


class _PoolWorker:
    """The Process object a Pool made for one of its workers, as the worker
    sees it: ForkPoolWorker-N (Process's name with 'Process' replaced by
    'PoolWorker'; the fork context's class is ForkProcess), daemonic."""
    def __init__(self, identity):
        self._identity = identity
        self.name = 'ForkPoolWorker-' + _mp_join_identity(identity)
        self.daemon = True
        self.pid = _procsim.getpid()
        self.ident = self.pid
        self.exitcode = None

    def is_alive(self):
        return True


def _mp_pool_worker(initializer, initargs):
    """The start of a Pool's worker process (the pool's initializer=, which
    the core calls first in each worker): BaseProcess._bootstrap for the
    Process object the pool made, numbered by the owner's _mp_counter (the
    pool's counter=, counted at each fork), then multiprocessing.pool.
    worker's initializer(*initargs)."""
    global _mp_identity, _mp_counter, _mp_children, _mp_current
    proc = _PoolWorker(_mp_identity + (_mp_counter,))
    _mp_identity = proc._identity
    _mp_counter = 0
    _mp_children = []
    _mp_current = proc
    if initializer is not None:
        initializer(*initargs)


def _mp_current_process():
    global _mp_current
    if _mp_current is None:
        _mp_current = _MainProcess()
    _mp_current.pid = _procsim.getpid()
    _mp_current.ident = _mp_current.pid
    return _mp_current


def _mp_active_children():
    global _mp_children
    alive = []
    for p in _mp_children:
        if p.is_alive():
            alive.append(p)
    _mp_children = alive
    return list(alive)


def _mp_parent_process():
    if len(_mp_identity) == 0:
        return None
    return _ParentProcess()


class _ParentProcess:
    def __init__(self):
        self.pid = _procsim.getppid()
        self.ident = self.pid
        self.name = 'MainProcess'
        self.daemon = False
