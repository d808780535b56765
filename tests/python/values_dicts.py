# Dicts: literals, order, keys 1 == 1.0 == True, get/pop/setdefault/update,
# KeyError's message, equality, nested printing.
d = {'a': 1, 2: [3], (1, 'x'): None, 2.5: 'f'}
print(d)
d['b'] = 'two'
d[1] = 'one'
d[1.0] = 'float one'
d[True] = 'true one'
print(d, len(d))
del d[2]
d[2] = 'back'
print(d)
print('a' in d, 'z' in d, 'z' not in d, d.get('z'), d.get('z', 0), d.get('a'))
print(d.pop('a'), d.pop('nope', 'dflt'), d.setdefault('n', []), d)
d['n'].append(5)
print(d['n'], list(d.keys()), list(d.values()))
print(list(d.items()))
e = {}
e.update({'x': 1, 'y': 2})
e.update([('z', 3)])
print(e, e == {'z': 3, 'y': 2, 'x': 1}, e != {'x': 1}, dict(), {} == {})
c = e.copy()
c['x'] = 100
print(e['x'], c['x'])
try:
    print(e['missing'])
except KeyError as k:
    print('KeyError', k)
try:
    print(e[(1, 2)])
except KeyError as k:
    print('KeyError', k)
try:
    e[[1]] = 2
except TypeError as t:
    print('TypeError', t)
counts = {}
for w in 'the cat and the hat and the bat'.split():
    counts[w] = counts.get(w, 0) + 1
print(counts, sorted(counts), max(counts.values()))
nested = {'list': [1, {'k': (1,)}], 'empty': {}, 'str': "it's"}
print(nested, str(nested) == repr(nested))
e.clear()
print(e, len(e), bool(e), bool(nested))
