#!/bin/sh
# run.sh BUILD_DIR [NAME...] - run students' Python programs in CPython and
# in procsim, and compare what they print.
#
# Each tests/python/corpus/NN_name.py is run twice:
#   - by CPython: `python3 -u NN_name.py` (unbuffered, so the lines of
#     several processes reach the pipe in the order they were printed);
#   - by procsim: `BUILD_DIR/procsim output -c first_pid=10000 NN_name.py`,
#     whose lines `TICK PID TEXT` lose their first two fields.
# Each side's outcome is its printed lines, then one line
# `Traceback: LAST` per uncaught exception (LAST: the traceback's last line,
# e.g. `ValueError: boom`), in the order the tracebacks were printed.
# CPython's tracebacks are on stderr. procsim's are taken from the lines of
# `procsim output --stderr` (stdout and stderr lines, in order): a block
# starting with `Traceback (most recent call last):`, its
# indented lines and its last line, with a `Process Process-1:` or
# `Exception in thread ...:` line just before it (CPython's headers).
#
# Normalisation (each side alone, the same way): every integer >= 300
# becomes N1, N2... in the order of its first appearance in that side's
# outcome, so a pid printed twice keeps its name, and two outcomes that
# name the same processes in the same places normalise to the same text.
# Why 300 and not 1000: Linux hands out pids from 300 after wrapping at
# pid_max (kernel/pid.c RESERVED_PIDS), so a real pid may be as low as
# 300; the programs print no other number of 300 or more. procsim starts
# its pids at 10000 (first_pid; pid_max stays Linux's 32768). Times are
# printed rounded by the programs themselves. Ordering is the programs'
# business (joins, waits, queues, pipes, events, sleeps of 0.1 s or more
# between ordered events); nothing here loosens the comparison.
#
# Prints "ok: NAME" or "FAIL: NAME" (with a diff, CPython's side first) per
# program and ends with exactly "python corpus: N passed, M failed"; exits 1
# if any failed. A program procsim cannot run fails: nothing is skipped.
#
#   sh tests/python/corpus/run.sh build              every program
#   sh tests/python/corpus/run.sh build 07_zombie    one (or a few) programs
#   sh tests/python/corpus/run.sh build fork-twice   a teacher's example
# The teachers' examples in scenarios/python/*.py are run the same way.
#   sh tests/python/corpus/run.sh --stable 20 [NAME...]
#       runs CPython 20 times on each program and checks that its normalised
#       output is the same every time (how the corpus's determinism is
#       checked; no procsim involved)
set -u
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
stable=0
if [ "${1:-}" = "--stable" ]; then
    stable=${2:?usage: run.sh --stable N [NAME...]}
    shift 2
else
    build=${1:?usage: run.sh BUILD_DIR [NAME...] | run.sh --stable N [NAME...]}
    shift
    case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
    procsim=$build/procsim
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# The programs to run, as paths: the names given (NN_name, with or without
# .py, looked for here and then in scenarios/python/, or a path), else every
# NN_name.py here and every teacher's example in scenarios/python/.
examples=$(cd "$here/../../../scenarios/python" 2>/dev/null && pwd)
files=""
if [ $# -gt 0 ]; then
    for n in "$@"; do
        n=${n%.py}
        if [ -f "$here/$n.py" ]; then files="$files $here/$n.py"
        elif [ -n "$examples" ] && [ -f "$examples/$n.py" ]; then files="$files $examples/$n.py"
        else files="$files $n.py"
        fi
    done
else
    for f in "$here"/[0-9]*.py ${examples:+"$examples"/*.py}; do
        [ -f "$f" ] && files="$files $f"
    done
fi

# normalise FILE: integers >= 300 become N1, N2... by first appearance.
normalise() {
    awk '{
        out = ""; s = $0
        while (match(s, /[0-9]+/)) {
            num = substr(s, RSTART, RLENGTH)
            rep = num
            if (length(num) > 3 || num + 0 >= 300) {
                key = num + 0
                if (!(key in name)) name[key] = "N" (++n)
                rep = name[key]
            }
            out = out substr(s, 1, RSTART - 1) rep
            s = substr(s, RSTART + RLENGTH)
        }
        print out s
    }' "$1"
}

# split_tracebacks IN PLAIN TB: copy IN's lines to PLAIN except traceback
# blocks (and the header line CPython prints before a child's or a thread's
# traceback); write "Traceback: LAST" for each block to TB.
split_tracebacks() {
    awk -v plain="$2" -v tb="$3" '
        function flush_held() { if (held != "") { print held > plain; held = "" } }
        /^Traceback \(most recent call last\):$/ { held = ""; intb = 1; next }
        intb && /^[ \t]/ { next }
        intb { print "Traceback: " $0 > tb; intb = 0; next }
        /^Process [^ ]*:$/ || /^Exception in thread .*:$/ { flush_held(); held = $0; next }
        { flush_held(); print > plain }
        END { flush_held(); close(plain); close(tb) }
    ' "$1"
    touch "$2" "$3"
}

# real NAME DIR: CPython's outcome for DIR/NAME.py in $tmp/NAME.real;
# returns non-zero with $why set when the program could not be run.
real() {
    (cd "$2" && timeout 30 "$python" -u -B "$1.py") >"$tmp/$1.out" 2>"$tmp/$1.err"
    rc=$?
    if [ $rc -eq 124 ]; then why="python3 timed out"; return 1; fi
    split_tracebacks "$tmp/$1.err" "$tmp/$1.junk" "$tmp/$1.tb"
    cat "$tmp/$1.out" "$tmp/$1.tb" >"$tmp/$1.raw"
    normalise "$tmp/$1.raw" >"$tmp/$1.real"
}

# sim NAME DIR: procsim's outcome for DIR/NAME.py in $tmp/NAME.sim.
sim() {
    (cd "$2" && timeout 60 "$procsim" output $stderr_opt -c first_pid=10000 "$1.py") \
        >"$tmp/$1.simout" 2>"$tmp/$1.simerr"
    rc=$?
    if [ $rc -ne 0 ]; then
        why="procsim output exited $rc: $(head -1 "$tmp/$1.simerr")"
        return 1
    fi
    sed -e 's/^[0-9]* [0-9]* \{0,1\}//' "$tmp/$1.simout" >"$tmp/$1.simtext"
    split_tracebacks "$tmp/$1.simtext" "$tmp/$1.simplain" "$tmp/$1.simtb"
    cat "$tmp/$1.simplain" "$tmp/$1.simtb" >"$tmp/$1.simraw"
    normalise "$tmp/$1.simraw" >"$tmp/$1.sim"
}

passed=0
failed=0

if [ "$stable" -gt 0 ]; then
    for f in $files; do
        name=$(basename "$f" .py)
        dir=$(dirname "$f")
        why=""
        i=0
        while [ $i -lt "$stable" ] && [ -z "$why" ]; do
            if real "$name" "$dir"; then
                if [ $i -eq 0 ]; then
                    cp "$tmp/$name.real" "$tmp/$name.first"
                elif ! cmp -s "$tmp/$name.first" "$tmp/$name.real"; then
                    why="run $((i + 1)) differs from run 1"
                    diff -u "$tmp/$name.first" "$tmp/$name.real" | head -20
                fi
            fi
            i=$((i + 1))
        done
        if [ -z "$why" ]; then
            passed=$((passed + 1)); echo "stable: $name ($stable runs)"
        else
            failed=$((failed + 1)); echo "UNSTABLE: $name: $why"
        fi
    done
    echo "python corpus stability: $passed stable, $failed unstable"
    [ "$failed" -eq 0 ]
    exit
fi

if ! command -v "$python" >/dev/null 2>&1; then
    echo "run.sh: $python not found" >&2
    echo "python corpus: 0 passed, 1 failed"
    exit 1
fi
if [ ! -x "$procsim" ]; then
    echo "run.sh: $procsim not found" >&2
    echo "python corpus: 0 passed, 1 failed"
    exit 1
fi
# `output --stderr` adds the processes' stderr lines (tracebacks), in order.
stderr_opt=""
"$procsim" output --help 2>&1 | grep -q -e '--stderr' && stderr_opt=--stderr
# Say once, plainly, when this procsim cannot run a .py file at all.
printf 'print("probe")\n' >"$tmp/probe.py"
if ! "$procsim" output "$tmp/probe.py" >"$tmp/probe.out" 2>&1; then
    echo "run.sh: $procsim cannot run a .py file yet: $(head -1 "$tmp/probe.out")" >&2
fi

for f in $files; do
    name=$(basename "$f" .py)
    dir=$(dirname "$f")
    why=""
    if [ ! -f "$f" ]; then
        why="no $name.py in tests/python/corpus or scenarios/python"
    elif real "$name" "$dir" && sim "$name" "$dir"; then
        if ! cmp -s "$tmp/$name.real" "$tmp/$name.sim"; then
            why="output differs"
        fi
    fi
    if [ -z "$why" ]; then
        passed=$((passed + 1)); echo "ok: $name"
    else
        failed=$((failed + 1)); echo "FAIL: $name: $why"
        if [ "$why" = "output differs" ]; then
            diff -u --label "CPython $name" --label "procsim $name" \
                "$tmp/$name.real" "$tmp/$name.sim" | head -30
        fi
    fi
done
echo "python corpus: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
