#!/bin/sh
# run.sh BUILD_DIR - check procsim against CPython.
#
# Each pair tests/python/NAME.py + tests/python/NAME.scn does the same thing
# in Python (run here by python3) and in the simulator. The scenario is run
# with `BUILD_DIR/procsim output`, and its lines lose their first two fields
# (tick and pid). Both outputs must be equal, line by line. The programs
# make their outcome deterministic with their own synchronisation (pipes,
# events, waits), never with sleeps that merely tend to be long enough.
#
# Prints one line per pair ("ok: NAME" or "FAIL: NAME" followed by a diff)
# and ends with exactly "python: N passed, M failed"; exits 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILD_DIR}
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
procsim=$build/procsim
python=${PYTHON:-python3}
if [ ! -x "$procsim" ]; then
    echo "run.sh: $procsim not found" >&2
    echo "python: 0 passed, 1 failed"
    exit 1
fi
if ! command -v "$python" >/dev/null 2>&1; then
    echo "run.sh: $python not found" >&2
    echo "python: 0 passed, 1 failed"
    exit 1
fi
tmp=$(mktemp -d) || exit 2
. "$here/../pairs.sh"

# Uncaught exceptions: CPython prints a traceback on stderr whose last line
# names the exception ("ValueError: boom"); procsim prints one line on the
# process's output ("Traceback (most recent call last): line 3, in child:
# ValueError: boom", or "Exception in thread 4: ..."). For a scenario with
# the line `# python: uncaught`, both sides become their ordinary lines
# followed by "uncaught: " and each exception's last line, in order. In
# Python mode (config python=on) procsim prints CPython's traceback shape on
# the process's stderr (`procsim output --stderr`): its last lines are taken
# the same way as CPython's.
pair_filter() {
    grep -q '^# python: uncaught' "$2" || return 0
    awk '/^Traceback \(most recent call last\):$/ { tb = 1; next }
         tb && /^[^ ]/ { print "uncaught: " $0; tb = 0 }' \
        "$tmp/$1.err" >"$tmp/$1.exc"
    cat "$tmp/$1.exc" >>"$tmp/$1.real"
    grep -v -e '^Traceback (most recent call last): line ' \
            -e '^Exception in thread [0-9]*: line ' "$tmp/$1.sim" >"$tmp/$1.plain"
    sed -n -e 's/^Traceback (most recent call last): line [0-9]*, in [^:]*: /uncaught: /p' \
           -e 's/^Exception in thread [0-9]*: line [0-9]*, in [^:]*: /uncaught: /p' \
        "$tmp/$1.sim" >>"$tmp/$1.plain"
    "$procsim" output --stderr "$2" 2>/dev/null | cut -d' ' -f3- |
        awk '/^Traceback \(most recent call last\):$/ { tb = 1; next }
             tb && /^[^ ]/ { print "uncaught: " $0; tb = 0 }' >>"$tmp/$1.plain"
    mv "$tmp/$1.plain" "$tmp/$1.sim"
}
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
for scn in "$here"/*.scn; do
    [ -f "$scn" ] || continue
    name=$(basename "$scn" .scn)
    src=$here/$name.py
    why=""
    if [ ! -f "$src" ]; then
        why="no $name.py beside $name.scn"
    else
        # The Python program: stdout is its outcome; a non-zero exit (or
        # the timeout) is a failure of its own.
        timeout 20 "$python" "$src" >"$tmp/$name.real" 2>"$tmp/$name.err"
        rc=$?
        if [ $rc -ne 0 ]; then
            why="python program exited $rc"
        fi
        pair_compare "$name" "$scn" "CPython"
    fi
    pair_report "$name" python
done
echo "python: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
