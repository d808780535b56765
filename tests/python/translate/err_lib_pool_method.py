from multiprocessing import Pool


class C:
    def f(self, x):
        return x


with Pool(2) as p:
    p.map(C().f, [1])
