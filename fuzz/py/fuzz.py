"""fuzz.py - fuzz the Python front end: mutated students' programs through
the translator (py/procsim_py.py) and the scenario parser, and a short run.

    python3 fuzz/py/fuzz.py PROCSIM SECONDS     mutate for SECONDS (make fuzz)
    python3 fuzz/py/fuzz.py PROCSIM --replay    run fuzz/py/regressions/*.py

Seeds: fuzz/py/seeds/*.py, tests/python/corpus/*.py, scenarios/python/*.py
and tests/errors/py/*.py. Each input is written to a file and given to
`PROCSIM check --ticks 500 FILE.py` (500 ticks: an endless loop at
stmt_cost=26ns runs 19 million statements in them, some 10 s under ASan on
a loaded machine; 2000 ticks took over 20 s). The rules an input must keep (any
input, valid Python or not):
  - procsim exits 0, 1 or 2 (never a signal, never another status) within
    20 s (no hang; a run is cut at 500 ticks);
  - exit 2 comes with a first line of stderr `FILE:LINE:COL: error: MESSAGE`
    or `FILE: error: MESSAGE` (a place and a message, never a Python
    traceback of the translator itself);
  - deterministic: a second `check` of the same file gives the same bytes
    (stdout, stderr, status).
An input that breaks a rule is kept in fuzz/py/regressions/ (named by its
hash), which --replay (and `make test`) runs again. Mutations are line- and
token-level (delete, duplicate, swap, replace a name, number or operator by
another from the seeds, cut the file short), seeded, so a run is repeatable:
FUZZ_SEED=N.
"""
import glob
import hashlib
import os
import random
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DIAG = re.compile(r"^[^:\n]+(:\d+:\d+)?: error: \S")
TOKEN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|\d+(\.\d+)?|==|!=|<=|>=|//|\*\*|[-+*/%<>=()\[\]{}:,.]")


def seeds():
    files = []
    for pattern in ["fuzz/py/seeds/*.py", "tests/python/corpus/*.py",
                    "scenarios/python/*.py", "tests/errors/py/*.py"]:
        files += sorted(glob.glob(os.path.join(ROOT, pattern)))
    return [open(f, encoding="utf-8").read() for f in files]


def mutate(rng, text, pool):
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(6)
        i = rng.randrange(len(lines))
        if op == 0 and len(lines) > 1:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            toks = list(TOKEN.finditer(lines[i]))
            if toks:
                t = rng.choice(toks)
                lines[i] = lines[i][:t.start()] + rng.choice(pool) + lines[i][t.end():]
        elif op == 4:
            lines = lines[:i + 1]
        else:
            lines.insert(i, rng.choice(pool_lines))
    return "\n".join(lines)


def run_check(procsim, path):
    return subprocess.run([procsim, "check", "--ticks", "500", path],
                          capture_output=True, text=True, errors="replace", timeout=20)


def check(procsim, path):
    """None when the input keeps the rules, else why not."""
    try:
        r = run_check(procsim, path)
        again = run_check(procsim, path)
    except subprocess.TimeoutExpired:
        return "no answer within 20 s"
    if (r.returncode, r.stdout, r.stderr) != (again.returncode, again.stdout, again.stderr):
        return "two checks of the same file differ"
    if r.returncode < 0:
        return "killed by signal %d" % -r.returncode
    if r.returncode not in (0, 1, 2):
        return "exit status %d" % r.returncode
    first = r.stderr.split("\n", 1)[0]
    if r.returncode == 2 and not DIAG.match(first):
        return "exit 2 without a diagnostic: %r" % first[:200]
    if "Traceback (most recent call last)" in r.stderr and "procsim_py" in r.stderr:
        return "the translator crashed"
    return None


def keep(text, why):
    name = hashlib.sha1(text.encode()).hexdigest()[:12] + ".py"
    path = os.path.join(HERE, "regressions", name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("# fuzz: %s\n" % why.replace("\n", " ") + text)
    return path


def main():
    global pool_lines
    procsim = sys.argv[1]
    if sys.argv[2] == "--replay":
        bad = 0
        files = sorted(glob.glob(os.path.join(HERE, "regressions", "*.py")))
        for f in files:
            why = check(procsim, f)
            if why:
                bad += 1
                print("FAIL: %s: %s" % (os.path.relpath(f, ROOT), why))
        print("python fuzz regressions: %d passed, %d failed" % (len(files) - bad, bad))
        return 1 if bad else 0
    seconds = float(sys.argv[2])
    rng = random.Random(int(os.environ.get("FUZZ_SEED", "1")))
    texts = seeds()
    pool = sorted({t.group(0) for s in texts for t in TOKEN.finditer(s)})
    pool_lines = sorted({ln for s in texts for ln in s.split("\n") if ln.strip()})
    end = time.time() + seconds
    runs = kept = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fuzz.py")
        while time.time() < end:
            text = mutate(rng, rng.choice(texts), pool)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            runs += 1
            why = check(procsim, path)
            if why:
                kept += 1
                print("fuzz: %s: kept %s" % (why, os.path.relpath(keep(text, why), ROOT)))
    print("python fuzz: %d inputs, %d kept in fuzz/py/regressions/" % (runs, kept))
    return 0


pool_lines = []
if __name__ == "__main__":
    sys.exit(main())
