# Objects as values (issue 14): dining philosophers over a list of locks.
# Each philosopher takes its two forks lowest-numbered first (the ordered
# acquisition that makes a deadlock impossible), eats three times, and
# counts its meals in a shared list. Paired with objref_philosophers.scn.
import threading

N = 5
forks = [threading.Lock() for _ in range(N)]
meals = [0] * N


def philosopher(i):
    left, right = i, (i + 1) % N
    first, second = min(left, right), max(left, right)
    for _ in range(3):
        with forks[first]:
            with forks[second]:
                meals[i] += 1


threads = [threading.Thread(target=philosopher, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(meals, sum(meals))
print([f.locked() for f in forks])
