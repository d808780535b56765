#!/bin/sh
# cli.sh - the `procsim` command's behaviour: options, exit statuses,
# output formats, determinism. Run by tests/run.sh with PROCSIM set.
set -u
P=${PROCSIM:-build/procsim}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
check() {   # check NAME COMMAND... : the command must succeed
    name=$1; shift
    if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
status() {  # status WANT NAME COMMAND... : exit status must be WANT
    want=$1 name=$2; shift 2
    "$@" >"$t/out" 2>"$t/err"
    got=$?
    if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name (exit $got, wanted $want)"; cat "$t/err"; fi
}
has() {     # has NAME FILE TEXT : FILE contains TEXT
    if grep -qF -- "$3" "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: no '$3' in:"; cat "$2"; fi
}

cat >"$t/ok.scn" <<'SCN'
title "two jobs"
program kid {
  compute 2
  exit 3
}
program main {
  fork kid -> k
  print "child is" k
  wait -> p, st
  print "reaped" p st
  print "coin" rand(1, 1000000)
}
spawn main
expect end pid 3 exit 3
expect end output pid 2 "reaped 3 3"
SCN
sed 's/^  exit 3$/  exit 4/' "$t/ok.scn" | sed '/^title/d' >"$t/fails.scn"
printf 'program main {\n  compute x\n}\n' >"$t/bad.scn"

status 0 "version" "$P" --version
has "version text" "$t/out" "procsim "
status 0 "help" "$P" --help
has "help lists commands" "$t/out" "pstree FILE --at T"
status 0 "run --help" "$P" run --help
has "run help" "$t/out" "--changes"
status 2 "no command" "$P"
status 2 "unknown command" "$P" frobnicate "$t/ok.scn"
has "unknown command message" "$t/err" "unknown command 'frobnicate'"
status 2 "unknown option" "$P" run "$t/ok.scn" --bogus
has "unknown option message" "$t/err" "unknown option '--bogus'"
status 2 "missing file" "$P" run "$t/nosuch.scn"
has "missing file message" "$t/err" "cannot read the file"
status 2 "ps needs --at" "$P" ps "$t/ok.scn"
status 2 "bad -c key" "$P" run "$t/ok.scn" -c nosuch=1
status 2 "bad -c value" "$P" run "$t/ok.scn" -c cpus=0

status 0 "check passes" "$P" check "$t/ok.scn"
status 1 "check fails" "$P" check "$t/fails.scn"
has "failure names file and line" "$t/out" "fails.scn:13: expected pid 3 to exit 3, got 4"
status 2 "check invalid file" "$P" check "$t/bad.scn"
has "error format" "$t/err" "bad.scn:2:11: error: unknown variable 'x'"
has "error shows line" "$t/err" "    compute x"
status 2 "check mixed files: invalid wins" "$P" check "$t/ok.scn" "$t/fails.scn" "$t/bad.scn"
has "totals line" "$t/out" "expectations: 2 passed, 2 failed"

status 0 "run" "$P" run "$t/ok.scn"
has "run title" "$t/out" "two jobs"
has "run columns" "$t/out" "2:main"
has "run events" "$t/out" "pid 2 forked 3"
has "run summary" "$t/out" "CPU utilisation:"
"$P" run "$t/ok.scn" >"$t/a"
"$P" run "$t/ok.scn" >"$t/b"
check "run is deterministic" cmp -s "$t/a" "$t/b"
"$P" run "$t/ok.scn" --changes >"$t/c"
check "--changes prints fewer rows" test "$(wc -l <"$t/c")" -le "$(wc -l <"$t/a")"
"$P" output "$t/ok.scn" --seed 1 >"$t/s1"
"$P" output "$t/ok.scn" --seed 2 >"$t/s2"
check "--seed changes rand" sh -c "! cmp -s '$t/s1' '$t/s2'"
"$P" output "$t/ok.scn" -c seed=2 >"$t/s3"
check "-c seed= same as --seed" cmp -s "$t/s2" "$t/s3"
has "output format" "$t/s1" "1 2 child is 3"

status 0 "run --ticks" "$P" run "$t/ok.scn" --ticks 2
has "tick limit in summary" "$t/out" "the tick limit was reached"

status 0 "ps" "$P" ps "$t/ok.scn" --at 2
has "ps header" "$t/out" "  PID  PPID STAT   NI WCHAN     TIME COMMAND"
has "ps init" "$t/out" "Ss"
status 0 "ps --json" "$P" ps "$t/ok.scn" --at 2 --json
has "ps json fields" "$t/out" '"pid": 2, "tid": 2, "ppid": 1'
if command -v python3 >/dev/null 2>&1; then
    check "ps --json is valid JSON" python3 -c "import json,sys; json.load(open('$t/out'))"
    "$P" stats "$t/ok.scn" --json >"$t/stats.json"
    check "stats --json is valid JSON" python3 -c "
import json; d = json.load(open('$t/stats.json'))
assert set(d) == {'ticks', 'cpu_utilization', 'processes'}
p = {x['pid']: x for x in d['processes']}
assert p[3]['exit'] == 3 and p[3]['cpu_ticks'] == 3
for k in ('pid','comm','cpu_ticks','turnaround','waiting','response','voluntary_switches','involuntary_switches','exit'):
    assert k in p[2], k"
fi
status 0 "pstree" "$P" pstree "$t/ok.scn" --at 3
has "pstree root" "$t/out" "init(1) S"
has "pstree child" "$t/out" "kid(3) R"
status 0 "stats" "$P" stats "$t/ok.scn"
has "stats header" "$t/out" "TURNAROUND"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
