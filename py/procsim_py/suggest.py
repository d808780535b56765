"""CPython 3.11's "Did you mean: 'x'?" for a NameError (Python/suggestions.c,
the same algorithm and limits), so a misspelt name reads as CPython says it."""
MAX_CANDIDATE_ITEMS = 750
MAX_STRING_SIZE = 40
MOVE_COST = 2
CASE_COST = 1


def _substitution_cost(a, b):
    if (ord(a) & 31) != (ord(b) & 31):
        return MOVE_COST
    if a == b:
        return 0
    if a.lower() == b.lower() and a.isascii() and b.isascii():
        return CASE_COST
    return MOVE_COST


def _distance(a, b, max_cost):
    # suggestions.c works on UTF-8 bytes; names here are ASCII in practice
    while a and b and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return (len(a) + len(b)) * MOVE_COST
    if len(a) > MAX_STRING_SIZE or len(b) > MAX_STRING_SIZE:
        return max_cost + 1
    if len(b) < len(a):
        a, b = b, a
    if (len(b) - len(a)) * MOVE_COST > max_cost:
        return max_cost + 1
    buf = [MOVE_COST * (i + 1) for i in range(len(a))]
    result = 0
    for bi, code in enumerate(b):
        distance = result = bi * MOVE_COST
        minimum = None
        for i, ch in enumerate(a):
            substitute = distance + _substitution_cost(code, ch)
            distance = buf[i]
            insert_delete = min(result, distance) + MOVE_COST
            result = min(insert_delete, substitute)
            buf[i] = result
            if minimum is None or result < minimum:
                minimum = result
        if minimum > max_cost:
            return max_cost + 1
    return result


def _best(candidates, name):
    if len(candidates) >= MAX_CANDIDATE_ITEMS:
        return None
    best, best_d = None, None
    for item in candidates:
        if item == name:
            continue
        max_d = (len(name) + len(item) + 3) * MOVE_COST // 6
        if best_d is not None:
            max_d = min(max_d, best_d - 1)
        d = _distance(name, item, max_d)
        if d > max_d:
            continue
        if best is None or d < best_d:
            best, best_d = item, d
    return best


def name_error(name, local_names, global_names):
    """CPython's message for an undefined name: the function's variables
    are tried first, then the module's globals, then the builtins."""
    import builtins
    for cands in (list(local_names), list(global_names), list(vars(builtins))):
        s = _best(cands, name)
        if s is not None:
            return "name '%s' is not defined. Did you mean: '%s'?" % (name, s)
    return "name '%s' is not defined" % name
