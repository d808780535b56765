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

# Words a newcomer reads: who sent a signal, plurals, how a process ended.
cat >"$t/words.scn" <<'SCN'
program main {
  sleep 1
  compute 20
}
program stuck {
  pause
}
spawn main
spawn stuck
at 3 kill 2 SIGSTOP
at 4 ctrl-c
at 5 kill 3 SIGUSR2
expect 0 pid 2 state R
SCN
status 0 "run words" "$P" run "$t/words.scn"
has "an outside kill is a kill command" "$t/out" "kill command sends SIGSTOP to 2"
has "ctrl-c is the terminal" "$t/out" "terminal sends SIGINT to 2"
has "a stopped process at a stuck end" "$t/out" "main         stopped"
status 0 "check one expectation" "$P" check "$t/words.scn"
has "one expectation: singular" "$t/out" "words.scn: the expectation held"
printf 'program p {\n  pause\n}\nspawn p\n' >"$t/pause.scn"
status 0 "run a pause forever" "$P" run "$t/pause.scn"
has "waiting forever is not running" "$t/out" "p            waits forever"
printf 'handler h {\n  print "h"\n}\nprogram p {\n  signal SIGUSR1 h\n  sleep 3\n}\nspawn p\nat 4 kill 2 SIGUSR1\n' >"$t/left.scn"
status 0 "run an interrupted sleep" "$P" run "$t/left.scn"
has "one tick: singular" "$t/out" "interrupts its sleep (1 tick left)"
: >"$t/empty.scn"
status 0 "an empty file runs" "$P" run "$t/empty.scn"
has "an empty file says so" "$t/err" "empty.scn: warning: the file is empty or has no \`spawn\` line"
printf 'program p {\n  compute 1\n}\n' >"$t/nospawn.scn"
status 0 "no spawn checks" "$P" check "$t/nospawn.scn"
has "no spawn says so" "$t/err" "nospawn.scn: warning: there is no \`spawn\` line, so no process runs"
status 0 "ps past the end" "$P" ps "$t/ok.scn" --at 1000
has "ps past the end says so" "$t/err" "the run ended at tick"
status 0 "ps during the run" "$P" ps "$t/ok.scn" --at 1
check "ps during the run is quiet" test ! -s "$t/err"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
