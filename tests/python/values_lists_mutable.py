# Lists are shared by reference: b = a; b.append(x) changes a. Methods,
# slices, sorting, and what a forked child and a pickled message get.
import os
a = [3, 1, 2]
b = a
b.append(4)
print(a, b, a is b, a == b, a is not [3, 1, 2, 4])
c = a.copy()
c.append(5)
print(a, c, a == c)
a.extend((7, 8))
a.insert(0, 10)
a.insert(-1, 11)
a.insert(100, 12)
p1 = a.pop()
p2 = a.pop(0)
print(a, p1, p2)
a.remove(11)
print(a, a.index(2), a.count(7), len(a))
a.sort()
print(a, sorted([3, 1, 2], reverse=True), sorted(['b', 'a', 'C']))
a.sort(reverse=True)
a.reverse()
print(a, a[1:3], a[::-1], a[-2:], a[:100], a[::2], 'hello'[1:4], 'hello'[::-1], (1, 2, 3)[1:])
a[0] = 'first'
a[-1] += 100
print(a)
del a[1]
print(a, a[2:2])
m = [[0, 0, 0], [0, 0, 0]]
m[1][2] = 9
print(m)
s = [1]
s += [2]
t = s
t += [3]
print(s, t, s is t)
l = []
l.append(l)
print(l)
x = [1, 2]
y = (x, x)
x.append(3)
print(y)
d = {'k': x}
x.clear()
print(d, x)
try:
    [].pop()
except IndexError as e:
    print('IndexError', e)
try:
    [1].remove(5)
except ValueError as e:
    print('ValueError', e)
try:
    [1, 2].index(7)
except ValueError as e:
    print('ValueError', e)
shared = [1, 2]
pid = os.fork()
if pid == 0:
    shared.append('child')
    print('child has', shared, flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print('parent has', shared)
