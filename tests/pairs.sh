# pairs.sh - sourced by tests/real/run.sh and tests/python/run.sh: the part
# of a pair's check that both share. The caller has run the reference
# program into $tmp/NAME.real (and its stderr into $tmp/NAME.err) and set
# $why to any failure of its own; these compare it with the scenario.

# pair_compare NAME SCN REFERENCE: run `procsim output SCN`, drop each
# line's tick and pid, and compare with $tmp/NAME.real. A scenario with the
# line `# real: unordered` is compared after sorting both sides.
pair_compare() {
    if ! "$procsim" output "$2" >"$tmp/$1.out" 2>"$tmp/$1.serr"; then
        why="${why:+$why; }procsim output failed: $(cat "$tmp/$1.serr")"
    fi
    cut -d' ' -f3- <"$tmp/$1.out" >"$tmp/$1.sim"
    # A caller may rewrite both sides first (tests/python: uncaught
    # exceptions, which CPython reports on stderr).
    if command -v pair_filter >/dev/null 2>&1; then
        pair_filter "$1" "$2"
    fi
    if grep -q '^# real: unordered' "$2"; then
        sort "$tmp/$1.real" >"$tmp/$1.a" && mv "$tmp/$1.a" "$tmp/$1.real"
        sort "$tmp/$1.sim" >"$tmp/$1.a" && mv "$tmp/$1.a" "$tmp/$1.sim"
    fi
    if ! cmp -s "$tmp/$1.real" "$tmp/$1.sim"; then
        why="${why:+$why; }outputs differ (--- $3, +++ procsim)"
    fi
}

# pair_report NAME REFERENCE: count the pair and print "ok: NAME", or
# "FAIL: NAME: why" and the diff.
pair_report() {
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        echo "ok: $1"
    else
        failed=$((failed + 1))
        echo "FAIL: $1: $why"
        if [ -f "$tmp/$1.sim" ]; then
            diff -u --label "$2" "$tmp/$1.real" --label procsim "$tmp/$1.sim" |
                sed 's/^/    /'
            [ -s "$tmp/$1.err" ] && sed 's/^/    stderr: /' "$tmp/$1.err"
        fi
    fi
}
