# Instances: attributes set and read, shared by reference, AttributeError,
# copied into a forked child.
import os
class Point:
    pass
p = Point()
p.x = 1
p.y = [2]
q = p
q.x += 10
q.y.append(3)
print(p.x, p.y, p is q, p == q, isinstance(p, Point), type(p).__name__)
try:
    print(p.z)
except AttributeError as e:
    print('AttributeError', e)
r = Point()
print(p == r, p is not r)
pid = os.fork()
if pid == 0:
    p.x = 'child'
    print('child', p.x, flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print('parent', p.x)
