"""threading.Thread, Timer, _th_current_thread, after CPython 3.11.7's
Lib/threading.py: start() starts a procsim thread running
self.run(); join/is_alive are procsim's join and is_alive().

_th_current is a thread-local variable (procsim's `local`): each
thread sees the Thread object it runs; the main thread sees None until it
asks, then its _MainThread."""
import _procsim

_th_counter = 0
_th_current = None
_th_main = None
_th_threads = []
_th_workers = {}


def _th_newname(template):
    global _th_counter
    _th_counter += 1
    return template % _th_counter


class Thread:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, daemon=None):
        assert group is None, "group argument must be None for now"
        if kwargs is None:
            kwargs = {}
        if name is None:
            name = _th_newname("Thread-%d")
            if target is not None:
                name = name + " (" + _procsim.func_name(target) + ")"
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs)
        self.name = name
        if daemon is None:
            daemon = _th_current_thread().daemon
        self.daemon = daemon
        self.ident = None
        self.native_id = None
        self._started = False

    def run(self):
        if self._target is not None:
            if len(self._kwargs) > 0:
                raise NotImplementedError("procsim does not simulate kwargs= of a Thread target")
            target = self._target
            target(*self._args)

    def start(self):
        if self._started:
            raise RuntimeError("threads can only be started once")
        global _th_threads
        self._started = True
        self.ident = _procsim.thread(_th_bootstrap, (self,), self.daemon, self.name)
        self.native_id = self.ident
        _th_threads.append(self)

    def join(self, timeout=None):
        if not self._started:
            raise RuntimeError("cannot join thread before it is started")
        if self is _th_current_thread():
            raise RuntimeError("cannot join current thread")
        _procsim.join(self.ident, timeout)

    def is_alive(self):
        if not self._started:
            return False
        return _procsim.is_alive(self.ident)

    def getName(self):
        return self.name

    def setName(self, name):
        self.name = name

    def isDaemon(self):
        return self.daemon

    def setDaemon(self, daemonic):
        self.daemon = daemonic


def _th_bootstrap(thread):
    global _th_current
    _procsim.set_local("_th_current", thread)
    thread.run()


class _MainThread:
    def __init__(self):
        self.name = "MainThread"
        self.daemon = False
        self.ident = _procsim.gettid()
        self.native_id = self.ident

    def is_alive(self):
        return True


def _th_current_thread():
    global _th_main
    if not _th_current:
        tid = _procsim.gettid()
        if tid != _procsim.getpid():
            return _th_worker(tid)
        if _th_main is None:
            _th_main = _MainThread()
        _th_main.ident = tid
        _th_main.native_id = tid
        return _th_main
    return _th_current


def _th_worker(tid):
    """A thread procsim's kernel started (a ThreadPoolExecutor's worker)
    asking for its Thread object: named as CPython names the first
    executor's workers, ThreadPoolExecutor-0_0, _1 ... in the order they
    first ask (their start order in practice)."""
    if tid not in _th_workers:
        w = _MainThread()
        w.name = "ThreadPoolExecutor-0_" + str(len(_th_workers))
        w.daemon = False
        w.ident = tid
        w.native_id = tid
        _th_workers[tid] = w
    return _th_workers[tid]


def _th_main_thread():
    global _th_main
    if _th_main is None:
        _th_main = _MainThread()
    return _th_main


def _th_get_ident():
    return _procsim.gettid()


def _th_get_native_id():
    return _procsim.gettid()


class Timer(Thread):
    """Call a function after a number of seconds (CPython's Timer: a Thread
    whose run() waits on an Event with a timeout)."""

    def __init__(self, interval, function, args=None, kwargs=None):
        Thread.__init__(self)
        self.interval = interval
        self.function = function
        if args is None:
            args = []
        self.args = args
        self.finished = _procsim.new_event()

    def cancel(self):
        self.finished.set()

    def run(self):
        self.finished.wait(self.interval)
        if not self.finished.is_set():
            function = self.function
            function(*self.args)
        self.finished.set()


class _ThreadLocal:
    """threading.local: one set of attributes per thread (CPython's
    _threading_local keeps a dict per thread). Reads and writes of its
    attributes outside its own methods go through __getattr__/__setattr__."""

    def __init__(self):
        self._vals = {}

    def __getattr__(self, name):
        key = (_procsim.gettid(), name)
        if key not in self._vals:
            raise AttributeError("'_thread._local' object has no attribute '" + name + "'")
        return self._vals[key]

    def __setattr__(self, name, value):
        self._vals[(_procsim.gettid(), name)] = value

    def __delattr__(self, name):
        key = (_procsim.gettid(), name)
        if key not in self._vals:
            raise AttributeError(name)
        del self._vals[key]


def _th_active():
    """The Thread objects of this process that are alive, main first."""
    alive = [_th_main_thread()]
    for t in _th_threads:
        if t.is_alive():
            alive.append(t)
    return alive


def _th_active_count():
    return len(_th_active())


def _th_enumerate():
    return _th_active()


class Condition:
    """threading.Condition, after CPython's: each waiter waits on a lock of
    its own (here a semaphore of 0, which any thread may release) that
    notify() releases. An RLock held several times is released once by
    wait() (CPython releases it fully)."""

    def __init__(self, lock=None):
        if lock is None:
            lock = _procsim.new_rlock()
        self._lock = lock
        self._waiters = []

    def acquire(self, blocking=True, timeout=-1):
        if timeout is None or timeout < 0:
            return self._lock.acquire(blocking)
        return self._lock.acquire(blocking, timeout)

    def release(self):
        self._lock.release()

    def __enter__(self):
        self._lock.acquire()
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self._lock.release()

    def wait(self, timeout=None):
        waiter = _procsim.new_semaphore(0)
        self._waiters.append(waiter)
        self._lock.release()
        gotit = False
        try:
            if timeout is None:
                waiter.acquire()
                gotit = True
            else:
                gotit = waiter.acquire(True, timeout)
        finally:
            self._lock.acquire()
            if not gotit and waiter in self._waiters:
                self._waiters.remove(waiter)
        return gotit

    def wait_for(self, predicate, timeout=None):
        result = predicate()
        while not result:
            if not self.wait(timeout) and timeout is not None:
                return predicate()
            result = predicate()
        return result

    def notify(self, n=1):
        k = 0
        while k < n and len(self._waiters) > 0:
            w = self._waiters.pop(0)
            w.release()
            k += 1

    def notify_all(self):
        self.notify(len(self._waiters))
