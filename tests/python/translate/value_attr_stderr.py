import sys
class C:
    def __init__(self):
        self.value = 0
    def inc(self):
        self.value += 2
c = C()
c.inc()
c.value += 1
print("v", c.value, file=sys.stderr)
