# expect: tests/errors/py/unsupported-numpy.py:2:1: error: procsim does not simulate the module numpy
import numpy as np

print(np.zeros(3))
