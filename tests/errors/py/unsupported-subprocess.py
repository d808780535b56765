# expect: tests/errors/py/unsupported-subprocess.py:2:1: error: procsim does not simulate the module subprocess
import subprocess

subprocess.run(["ls"])
