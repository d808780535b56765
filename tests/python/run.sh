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
        if ! "$procsim" output "$scn" >"$tmp/$name.out" 2>"$tmp/$name.serr"; then
            why="${why:+$why; }procsim output failed: $(cat "$tmp/$name.serr")"
        fi
        cut -d' ' -f3- <"$tmp/$name.out" >"$tmp/$name.sim"
        if ! cmp -s "$tmp/$name.real" "$tmp/$name.sim"; then
            why="${why:+$why; }outputs differ (--- CPython, +++ procsim)"
        fi
    fi
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        echo "ok: $name"
    else
        failed=$((failed + 1))
        echo "FAIL: $name: $why"
        if [ -f "$tmp/$name.sim" ]; then
            diff -u --label python "$tmp/$name.real" --label procsim "$tmp/$name.sim" |
                sed 's/^/    /'
            [ -s "$tmp/$name.err" ] && sed 's/^/    stderr: /' "$tmp/$name.err"
        fi
    fi
done
echo "python: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
