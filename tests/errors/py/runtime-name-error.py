# expect: NameError: name 'cuont' is not defined. Did you mean: 'count'?
count = 3
print(cuont)
