#!/bin/sh
# run.sh BUILD_DIR - check procsim against the real kernel.
#
# Each pair tests/real/NAME.c + tests/real/NAME.scn does the same thing with
# real system calls and in the simulator. The C program is compiled and run
# here; the scenario is run with `BUILD_DIR/procsim output`, and its lines
# lose their first two fields (tick and pid). Both outputs must be equal,
# line by line. A scenario containing the line `# real: unordered` is
# compared after sorting both outputs (used where the real order of the
# lines is up to the scheduler).
#
# Prints one line per pair ("ok: NAME" or "FAIL: NAME" followed by a diff)
# and ends with exactly "real: N passed, M failed"; exits 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILD_DIR}
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
procsim=$build/procsim
cc=${CC:-cc}
if [ ! -x "$procsim" ]; then
    echo "run.sh: $procsim not found" >&2
    echo "real: 0 passed, 1 failed"
    exit 1
fi
tmp=$(mktemp -d) || exit 2
. "$here/../pairs.sh"
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
for scn in "$here"/*.scn; do
    [ -f "$scn" ] || continue
    name=$(basename "$scn" .scn)
    src=$here/$name.c
    why=""
    if [ ! -f "$src" ]; then
        why="no $name.c beside $name.scn"
    elif ! $cc -std=c11 -D_GNU_SOURCE -pthread -Wall -O1 -o "$tmp/$name" "$src" \
            2>"$tmp/$name.cc"; then
        why="does not compile: $(cat "$tmp/$name.cc")"
    else
        # The real program: stdout is its outcome; a non-zero exit (or
        # the timeout) is a failure of its own.
        timeout 20 "$tmp/$name" >"$tmp/$name.real" 2>"$tmp/$name.err"
        rc=$?
        if [ $rc -ne 0 ]; then
            why="real program exited $rc"
        fi
        pair_compare "$name" "$scn" "real kernel"
    fi
    pair_report "$name" real
done
echo "real: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
