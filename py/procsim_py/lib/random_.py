"""The random module, seeded from the run's seed (config seed=N, -c seed=N):
procsim's rand(A, B). The numbers are procsim's generator's, not CPython's
Mersenne Twister's, so a run is repeatable but differs from CPython's.
random.seed() is accepted and does nothing: the run's seed decides."""
from ..errors import unsupported
from ._util import check_args, name_of
from .registry import call

TWO53 = 9007199254740992


@call("random.seed")
def seed(tr, node, dest):
    check_args(node, "random.seed", "a, version")
    tr.bind(node, "a=None, version=2")
    tr.assign(dest, "None")


@call("random.randint", pure=True)
def randint(tr, node):
    a, b = tr.bind(node, "a, b")
    return "rand(%s, %s)" % (a, b)


@call("random.randrange")
def randrange(tr, node, dest):
    check_args(node, "random.randrange", "start, stop, step")
    start, stop, step = tr.bind(node, "start, stop=None, step=1")
    t = dest or tr.tmp()
    if stop == "None":
        tr.emit("%s = rand(0, (%s) - 1)" % (t, start))
    elif step == "1":
        tr.emit("%s = rand(%s, (%s) - 1)" % (t, start, stop))
    else:
        s = name_of(tr, step)
        tr.emit("%s = (%s) + %s * rand(0, ((%s) - (%s) + %s - 1) // %s - 1)"
                % (t, start, s, stop, start, s, s))


@call("random.random", pure=True)
def random(tr, node):
    check_args(node, "random.random", "")
    return "truediv(rand(0, %d), %d)" % (TWO53 - 1, TWO53)


@call("random.uniform")
def uniform(tr, node, dest):
    a, b = tr.bind(node, "a, b")
    a, b = name_of(tr, a), name_of(tr, b)
    tr.assign(dest or tr.tmp(), "%s + (%s - %s) * truediv(rand(0, %d), %d)"
              % (a, b, a, TWO53 - 1, TWO53))


@call("random.choice")
def choice(tr, node, dest):
    (seq,) = tr.bind(node, "seq")
    s = name_of(tr, seq)
    tr.emit("if len(%s) == 0 {" % s)
    tr.em.depth += 1
    tr.emit('raise IndexError "Cannot choose from an empty sequence"')
    tr.em.depth -= 1
    tr.em.line("}")
    tr.assign(dest or tr.tmp(), "%s[rand(0, len(%s) - 1)]" % (s, s))


@call("random.shuffle")
def shuffle(tr, node, dest):
    (x,) = tr.bind(node, "x")
    s = name_of(tr, x)
    i, j, t = tr.tmp(), tr.tmp(), tr.tmp()
    # Fisher-Yates, as random.shuffle does it (from the end).
    tr.emit("for %s in range(len(%s) - 1, 0, -1) {" % (i, s))
    tr.em.depth += 1
    tr.emit("%s = rand(0, %s)" % (j, i))
    tr.emit("%s = %s[%s]" % (t, s, i))
    tr.emit("%s[%s] = %s[%s]" % (s, i, s, j))
    tr.emit("%s[%s] = %s" % (s, j, t))
    tr.em.depth -= 1
    tr.em.line("}")
    tr.assign(dest, "None")


@call("random.sample", "random.choices", "random.gauss", "random.getrandbits",
      "random.Random", "random.SystemRandom", "random.expovariate")
def not_simulated(tr, node, dest):
    unsupported(node, "%s()" % tr.qualname(node.func))
