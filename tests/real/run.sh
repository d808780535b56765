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
        if ! "$procsim" output "$scn" >"$tmp/$name.out" 2>"$tmp/$name.serr"; then
            why="${why:+$why; }procsim output failed: $(cat "$tmp/$name.serr")"
        fi
        cut -d' ' -f3- <"$tmp/$name.out" >"$tmp/$name.sim"
        if grep -q '^# real: unordered' "$scn"; then
            sort "$tmp/$name.real" >"$tmp/$name.a" && mv "$tmp/$name.a" "$tmp/$name.real"
            sort "$tmp/$name.sim" >"$tmp/$name.a" && mv "$tmp/$name.a" "$tmp/$name.sim"
        fi
        if ! cmp -s "$tmp/$name.real" "$tmp/$name.sim"; then
            why="${why:+$why; }outputs differ (--- real kernel, +++ procsim)"
        fi
    fi
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        echo "ok: $name"
    else
        failed=$((failed + 1))
        echo "FAIL: $name: $why"
        if [ -f "$tmp/$name.sim" ]; then
            diff -u --label real "$tmp/$name.real" --label procsim "$tmp/$name.sim" |
                sed 's/^/    /'
            [ -s "$tmp/$name.err" ] && sed 's/^/    stderr: /' "$tmp/$name.err"
        fi
    fi
done
echo "real: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
