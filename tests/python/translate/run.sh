#!/bin/sh
# tests/python/translate/run.sh - unit tests of the Python translator
# (py/procsim_py): each NAME.py here is translated by python3; NAME.scn
# holds the exact translation expected, or NAME.err the first line of the
# diagnostic expected (exit status 2); a NAME.py with neither must translate
# (exit status 0, no diagnostic: the library's programs, which other runners
# compare with CPython); so must the corpus's programs. Ends with
# "translate: N passed, N failed".
cd "$(dirname "$0")" || exit 2
tr="../../../py/procsim_py.py"
passed=0
failed=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
for py in *.py; do
    name=${py%.py}
    python3 -B "$tr" "$py" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ -f "$name.scn" ]; then
        if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$name.scn"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL: translate $py (status $rc)"
            cat "$tmp/err"
            diff "$name.scn" "$tmp/out" | head -20
        fi
    elif [ -f "$name.err" ]; then
        if [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && head -1 "$tmp/err" | cmp -s - "$name.err"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL: translate $py (status $rc), expected: $(cat "$name.err")"
            head -3 "$tmp/err"
        fi
    elif [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && [ -s "$tmp/out" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: translate $py (status $rc)"
        head -3 "$tmp/err"
    fi
done
# The students' programs of the corpus and the window's Python examples must
# translate (what they print is compared with CPython by corpus/run.sh).
for py in ../corpus/*.py ../../../scenarios/python/*.py; do
    [ -f "$py" ] || continue
    if python3 -B "$tr" "$py" >/dev/null 2>"$tmp/err"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: translate $py"
        head -3 "$tmp/err"
    fi
done
# The translator parses a long module a piece at a time (pyast.parse_module):
# the same tree as the whole-file parse, and the same errors.
python3 ../../../bench/py-gen.py "$tmp/gen2000.py" 2000
if python3 -B pieces/parse_pieces.py *.py pieces/*.py ../*.py ../corpus/*.py ../lib/*.py \
        ../../errors/py/*.py ../../../fuzz/py/seeds/*.py ../../../scenarios/python/*.py \
        ../../../bench/*.py "$tmp/gen2000.py" >"$tmp/pieces"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    cat "$tmp/pieces"
fi
echo "translate: $passed passed, $failed failed"
[ $failed -eq 0 ]
