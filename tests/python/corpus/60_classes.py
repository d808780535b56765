"""A small class with an attribute, methods and __init__."""


class Counter:
    def __init__(self, start):
        self.value = start

    def add(self, n):
        self.value += n
        return self.value

    def describe(self):
        return f"Counter at {self.value}"


c = Counter(10)
c.add(5)
print(c.describe())
d = Counter(0)
print(d.add(1), d.add(2), c.value)
