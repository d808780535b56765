# expect: IndexError: list index out of range
children = [101, 102]
for i in range(3):
    print(children[i])
