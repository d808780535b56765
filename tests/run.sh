#!/bin/sh
# run.sh BUILD_DIR... - the whole test suite, once per build (normal, ASan).
#
# For each build directory: the cmocka unit tests, `procsim check` on every
# scenario, golden outputs of `procsim run` (and of a few other commands),
# every error case under tests/errors, the command-line tests, the
# real-kernel pairs (tests/real), the CPython pairs (tests/python) and the
# fuzzer's regression inputs. Ends with one line: "tests: N passed, N failed".
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
            ps@*|pstree@*) args="--at ${cmd#*@}"; cmd=${cmd%@*} ;;
            stats-json) cmd=stats; args=--json ;;
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
done
[ -n "$failures" ] && printf 'failed:%s\n' "$failures"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
