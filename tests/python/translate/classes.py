class Counter:
    START = 10

    def __init__(self, step=1):
        self.n = Counter.START
        self.step = step

    def bump(self, times=1):
        for _ in range(times):
            self.n += self.step
        return self.n

    def twice(self):
        return self.bump(times=2)


class Fast(Counter):
    def __init__(self):
        super().__init__(step=5)

    def bump(self, times=1):
        return super().bump(times) * 2


c = Counter()
c.bump(times=3)
f = Fast()
print(f.twice(), c.n, isinstance(f, Counter))
