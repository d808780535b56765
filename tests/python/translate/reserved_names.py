lock = 1
queue = [lock]
for event in queue:
    print(event)
