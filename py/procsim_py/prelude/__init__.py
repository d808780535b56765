"""Python source of the library classes procsim simulates (Process, Thread,
Timer, Connection, socket ...), after CPython 3.11.7's Lib/, over the
_procsim intrinsics (lib/intrinsics.py). The translator translates a class
of these files, and what it references, when a program uses it
(lib/registry.py, PRELUDE)."""
