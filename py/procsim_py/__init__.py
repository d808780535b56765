"""procsim's Python front end (see ../procsim_py.py and docs/python.md)."""
