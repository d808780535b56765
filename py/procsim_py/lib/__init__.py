"""Python's modules as procsim simulates them: one file per module, each
registering its calls in registry.py's tables. load() imports only the
files a program's imports need (registry.LIB_FILES)."""
from . import registry

_loaded = set()


def _import(stem):
    if stem not in _loaded:
        _loaded.add(stem)
        __import__(stem, globals(), None, (), 1)   # from . import stem, without importlib


def load(modname):
    """Register the handlers of module modname (a top-level name)."""
    stem = registry.LIB_FILES.get(modname)
    if stem is not None:
        _import(stem)
        return
    import os
    here = os.path.dirname(__file__)
    for f in sorted(os.listdir(here)):
        if f.endswith(".py") and f not in ("__init__.py", "registry.py"):
            _import(f[:-3])
