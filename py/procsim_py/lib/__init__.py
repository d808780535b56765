"""Python's modules as procsim simulates them: one file per module, each
registering its calls in registry.CALLS by qualified name."""
from . import registry  # noqa: F401
from . import os_, time_  # noqa: F401  (each registers its calls)
