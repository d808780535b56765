#!/bin/sh
# run.sh BUILD_DIR... - the whole test suite, once per build (normal, ASan).
#
# For each build directory: the cmocka unit tests, `procsim check` on every
# scenario, golden outputs of `procsim run` (and of a few other commands),
# every error case under tests/errors, the command-line tests, the
# procsim output quoted in README.md and docs/ (tests/samples.sh), the
# real-kernel pairs (tests/real), the CPython pairs (tests/python), the
# corpus of students' programs (tests/python/corpus) and the library's
# programs (tests/python/lib), the fuzzer's regression inputs and a brief
# runtime campaign (fuzz-runtime: random valid scenarios with their
# invariants checked, and the scenarios it found bugs with). Ends with one
# line: "tests: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
passed=0
failed=0
failures=""

ok()   { passed=$((passed + 1)); }
bad()  { failed=$((failed + 1)); failures="$failures
  $1"; echo "FAIL: $1"; }

# Unit tests: cmocka binaries; each binary is one line here, its own summary
# shows the individual tests.
unit() {
    for t in "$1"/tests/test_* "$1"/vtests/test_*; do
        [ -x "$t" ] || continue
        if SDL_VIDEODRIVER=dummy "$t" >"$tmp/unit.out" 2>&1; then
            ok
            n=$(grep -c '^\[       OK \]' "$tmp/unit.out")
            echo "ok: $t ($n tests)"
        else
            cat "$tmp/unit.out"
            bad "$t"
        fi
    done
}

# Every scenario's expectations hold.
scenarios() {
    for f in scenarios/*.scn; do
        [ -f "$f" ] || continue
        if "$1/procsim" check "$f" >"$tmp/check.out" 2>&1; then
            ok
        else
            cat "$tmp/check.out"
            bad "check $f"
        fi
    done
}

# Golden files: tests/golden/NAME.CMD holds the expected stdout of
# `procsim CMD scenarios/NAME.scn` (CMD: run, stats, output; `ps` and
# `pstree` files name their tick: NAME.ps@T).
golden() {
    for g in tests/golden/*; do
        [ -f "$g" ] || continue
        base=$(basename "$g")
        name=${base%%.*}
        cmd=${base#*.}
        args=""
        case "$cmd" in
            ps-json@*) args="--at ${cmd#*@} --json"; cmd=ps ;;
            ss-json@*) args="--at ${cmd#*@} --json"; cmd=ss ;;
            ps@*|pstree@*|fds@*|ss@*) args="--at ${cmd#*@}"; cmd=${cmd%@*} ;;
            stats-json) cmd=stats; args=--json ;;
            output-stderr) cmd=output; args=--stderr ;;
        esac
        src=scenarios/$name.scn
        [ -f "$src" ] || src=tests/golden-src/$name.scn
        # shellcheck disable=SC2086
        "$1/procsim" "$cmd" "$src" $args >"$tmp/golden.out" 2>&1
        if cmp -s "$tmp/golden.out" "$g"; then
            ok
        else
            diff -u "$g" "$tmp/golden.out" | head -20
            bad "golden $base"
        fi
    done
}

# Error cases: tests/errors/NAME.scn must fail with exit status 2 and
# exactly the message in NAME.err (stderr of `procsim check`).
errors() {
    for f in tests/errors/*.scn; do
        [ -f "$f" ] || continue
        exp=${f%.scn}.err
        "$1/procsim" check "$f" >/dev/null 2>"$tmp/err.out"
        rc=$?
        if [ $rc -eq 2 ] && cmp -s "$tmp/err.out" "$exp"; then
            ok
        else
            echo "exit status $rc"; diff -u "$exp" "$tmp/err.out" | head -20
            bad "error $f"
        fi
    done
    for f in tests/errors/py/*.py; do
        [ -f "$f" ] || continue
        if py_error "$1" "$f" >"$tmp/err.why" 2>&1; then
            ok
        else
            cat "$tmp/err.why"
            bad "error $f"
        fi
    done
}

# Python error cases: tests/errors/py/NAME.py's first line is
# `# expect: LINE`. A LINE with `: error: ` is a compile-time error:
# `procsim check` exits 2 with LINE as its first line of stderr (and for a
# syntax-*.py, CPython's own parser says the same). Any other LINE is the
# last line of an uncaught exception's traceback: CPython prints it last on
# stderr, and procsim's output has a traceback ending with it; the main
# program's exit code is CPython's exit status in both.
py_error() {
    exp=$(head -1 "$2" | sed -n 's/^# expect: //p')
    [ -n "$exp" ] || { echo "$2: no '# expect: ' first line"; return 1; }
    case "$exp" in
    *": error: "*)
        case "$2" in */syntax-*)
            got=$(python3 -c 'import ast, sys
try:
    ast.parse(open(sys.argv[1]).read(), sys.argv[1])
except SyntaxError as e:
    print("%s:%d:%d: error: %s" % (sys.argv[1], e.lineno, e.offset, e.msg))' "$2")
            [ "$got" = "$exp" ] || { echo "CPython says: $got"; return 1; } ;;
        esac
        "$1/procsim" check "$2" >/dev/null 2>"$tmp/err.out"
        rc=$?
        got=$(head -1 "$tmp/err.out")
        [ $rc -eq 2 ] && [ "$got" = "$exp" ] && return 0
        echo "exit status $rc (expected 2)"; echo "expected: $exp"; echo "got:      $got"
        return 1 ;;
    esac
    python3 "$2" >/dev/null 2>"$tmp/err.py"
    real_rc=$?
    got=$(tail -1 "$tmp/err.py")
    [ "$got" = "$exp" ] || { echo "CPython's last line: $got"; return 1; }
    # The main program's exit code (the end-of-run table of procsim run) is
    # CPython's exit status: 1 when the main program raised. Every process
    # is python3 (as on Linux); the main program's is the table's first.
    sim_rc=$("$1/procsim" run "$2" 2>/dev/null | awk '$2 == "python3" && c == "" { c = $3 } END { print c }')
    [ "$sim_rc" = "$real_rc" ] ||
        { echo "the main program exited ${sim_rc:-?} in procsim, $real_rc in CPython"; return 1; }
    "$1/procsim" output --stderr "$2" >"$tmp/err.out" 2>&1
    rc=$?
    if [ $rc -gt 1 ] || ! awk -v e="$exp" '
            { sub(/^[0-9]+ [0-9]+ /, "") }
            /^Traceback \(most recent call last\):$/ { tb = 1; next }
            tb && /^[ \t]/ { next }
            tb { if ($0 == e) found = 1; tb = 0 }
            END { exit !found }' "$tmp/err.out"; then
        echo "procsim output exited $rc; no traceback ending with: $exp"
        head -5 "$tmp/err.out"
        return 1
    fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for build in "$@"; do
    echo "== $build"
    unit "$build"
    scenarios "$build"
    golden "$build"
    errors "$build"
    if PROCSIM="$build/procsim" sh tests/cli.sh >"$tmp/cli.out" 2>&1; then
        ok; tail -1 "$tmp/cli.out"
    else
        cat "$tmp/cli.out"; bad "cli tests ($build)"
    fi
    # The procsim output shown in README.md and docs/ is today's.
    if PROCSIM="$build/procsim" sh tests/samples.sh >"$tmp/samples.out" 2>&1; then
        ok; tail -1 "$tmp/samples.out"
    else
        cat "$tmp/samples.out"; bad "README and docs samples ($build)"
    fi
    # The same programs on the real kernel and in the simulator.
    if sh tests/real/run.sh "$build" >"$tmp/real.out" 2>&1; then
        ok; tail -1 "$tmp/real.out"
    else
        cat "$tmp/real.out"; bad "real-kernel pairs ($build)"
    fi
    # The same programs in CPython and in the simulator.
    if sh tests/python/run.sh "$build" >"$tmp/python.out" 2>&1; then
        ok; tail -1 "$tmp/python.out"
    else
        cat "$tmp/python.out"; bad "CPython pairs ($build)"
    fi
    # Students' Python programs run by CPython and by procsim (issue 14).
    if sh tests/python/corpus/run.sh "$build" >"$tmp/corpus.out" 2>&1; then
        ok; tail -1 "$tmp/corpus.out"
    else
        grep -v '^ok: ' "$tmp/corpus.out"; bad "CPython corpus ($build)"
    fi
    # The library's programs, one or more per simulated Python module.
    if sh tests/python/lib/run.sh "$build" >"$tmp/pylib.out" 2>&1; then
        ok; tail -1 "$tmp/pylib.out"
    else
        grep -v '^ok: ' "$tmp/pylib.out"; bad "CPython library programs ($build)"
    fi
    # What the Python front end's fuzzer found (fuzz/py/regressions).
    if python3 fuzz/py/fuzz.py "$build/procsim" --replay >"$tmp/pyfuzz.out" 2>&1; then
        ok; tail -1 "$tmp/pyfuzz.out"
    else
        cat "$tmp/pyfuzz.out"; bad "Python fuzz regressions ($build)"
    fi
    # Random valid scenarios, checked through the library and the command
    # (fuzz/campaign.h); fewer under the sanitizers, which are slower.
    seeds=${FUZZ_SEEDS:-200}
    case "$build" in *asan*) seeds=${FUZZ_SEEDS:-50} ;; esac
    if [ -x "$build/fuzz-runtime" ]; then
        regress=""
        for f in fuzz/runtime-regressions/*.scn; do
            [ -f "$f" ] && regress="$regress --file $f"
        done
        # shellcheck disable=SC2086
        if "$build/fuzz-runtime" --procsim "$build/procsim" --seeds "$seeds" $regress \
                >"$tmp/fuzz.out" 2>&1; then
            ok; tail -1 "$tmp/fuzz.out"
        else
            cat "$tmp/fuzz.out"; bad "runtime campaign ($build)"
        fi
    else
        bad "runtime campaign ($build): no $build/fuzz-runtime"
    fi
done
[ -n "$failures" ] && printf 'failed:%s\n' "$failures"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
