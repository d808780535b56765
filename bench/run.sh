#!/bin/sh
# run.sh BUILD_DIR - the benchmarks of the README (make bench). Medians of
# RUNS runs (default 7); quote medians and ratios, not single runs.
#  (a) the per-tick table for 50 processes x compute 100 under fifo, vs
#      OSTEP's process-run.py doing the same (bench/ostep/process-run.py,
#      or set OSTEP_PROCESS_RUN to its path; Python's default buffering)
#  (b) 200,000 ticks of cfs with 1,000 vs 100,000 runnable processes
#  (g) 200,000 ticks of 1,000 threads of one process, GIL on vs off
#  (q) 1,000,000 messages through a multiprocessing queue among 1,000
#      processes (bench/queue-1m.scn), vs 100,000: time and max RSS
#  (c) memory per process, with what each command records
#  (d) the state at a random tick of a 1,000,000-tick run
#  (e) check, stats and output at 1,000, 100,000 and 1,000,000 processes
#  (f) loading a file of 100,000 programs
#  (p) 1,000,000 messages through a pipe among 1,000 processes
#  (k) what creating a process, a thread and a new program costs, in C and
#      in CPython (bench/creation-cost.c, .py): the defaults of fork_cost,
#      exec_cost, thread_cost and exit_cost
#  (l) a Pool of 64 workers over 1,000,000 tasks: apply_async one by one
#      (bench/pool-1m.scn) and one map of 1,000,000 items (bench/pool-map-1m.scn)
#  (m) an epoll server with 10,000 connections over 100,000 ticks
#      (bench/epoll-10k.scn) and the same with poll (bench/select-10k.scn):
#      procsim's time, and the server's CPU in simulated ticks; what select,
#      poll and epoll_wait cost on this machine (bench/mux-cost.c: the
#      defaults of scan_cost and ready_cost)
#  (y) a student's Python program: procsim compile and check of a 2,000-line
#      file (bench/py-gen.py), target <= 50 ms; procsim stats of a program
#      executing 10,000,000 statements (bench/py-10m.py), target <= 2 s,
#      and CPython's time for the same program
#  (s) 10,000,000 statements in Python mode (bench/py-stmts-10m.scn,
#      issue 14: <= 2 s), and what a statement costs in CPython here
#      (bench/stmt-cost.py: the default of stmt_cost)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
RUNS=${RUNS:-7}
out=$B/bench
mkdir -p "$out"
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 $(for d in lang kernel sched objects record; do printf -- "-Isim/%s " $d; done) bench/ticks.c "$B/libprocsim.a" -o "$out/ticks"
OSTEP_PROCESS_RUN=${OSTEP_PROCESS_RUN:-bench/ostep/process-run.py}
unset PYTHONUNBUFFERED      # Python's default: block-buffered into a pipe

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
repeat() { i=0; while [ $i -lt "$RUNS" ]; do "$@"; i=$((i + 1)); done; }

# hyperfine's median wall time (ms) of the n-th command in its JSON export,
# and its mean CPU time (user + system, ms): on a shared machine the CPU
# time is the steadier of the two.
hf_median() { grep -o '"median": *[0-9.e-]*' "$1" | sed -n "${2}p" | awk '{printf "%.3f", $2 * 1000}'; }
hf_cpu() {
    u=$(grep -o '"user": *[0-9.e-]*' "$1" | sed -n "${2}p" | awk '{print $2}')
    s=$(grep -o '"system": *[0-9.e-]*' "$1" | sed -n "${2}p" | awk '{print $2}')
    echo "$u $s" | awk '{printf "%.3f", ($1 + $2) * 1000}'
}
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1 / $2}'; }

echo "== (a) per-tick table, 50 processes x compute 100, fifo"
echo "procsim run prints $("$B/procsim" run bench/ostep-50x100.scn | wc -l) lines"
if [ -f "$OSTEP_PROCESS_RUN" ]; then
    L=$(awk 'BEGIN { for (i = 0; i < 50; i++) printf "%s100:100", i ? "," : "" }')
    echo "process-run.py prints $(python3 "$OSTEP_PROCESS_RUN" -l "$L" -c -S SWITCH_ON_END | wc -l) lines"
    hyperfine -N -w 3 -r "$((RUNS * 3))" --export-json "$out/a.json" \
        "$B/procsim run bench/ostep-50x100.scn" \
        "python3 $OSTEP_PROCESS_RUN -l $L -c -S SWITCH_ON_END" >/dev/null
    a_ms=$(hf_median "$out/a.json" 1)
    o_ms=$(hf_median "$out/a.json" 2)
    a_cpu=$(hf_cpu "$out/a.json" 1)
    o_cpu=$(hf_cpu "$out/a.json" 2)
    echo "procsim run: median $a_ms ms; process-run.py: median $o_ms ms;" \
         "ratio $(echo "$o_ms $a_ms" | awk '{printf "%.0f", $1 / $2}')x"
    echo "CPU time (user + system, mean): procsim run $a_cpu ms; process-run.py $o_cpu ms;" \
         "ratio $(echo "$o_cpu $a_cpu" | awk '{printf "%.0f", $1 / $2}')x"
else
    hyperfine -N -w 3 -r "$((RUNS * 3))" --export-json "$out/a.json" \
        "$B/procsim run bench/ostep-50x100.scn" >/dev/null
    echo "procsim run: median $(hf_median "$out/a.json" 1) ms"
    echo "(no $OSTEP_PROCESS_RUN: see README.md, Performance, to fetch it)"
fi

hogs() {    # hogs N: the file of N processes spinning for 200,000 ticks
    f=$out/hogs-$1.scn
    [ -f "$f" ] || {
        awk -v n="$1" 'BEGIN { p = n * 2 < 32768 ? 32768 : n * 2
                               printf "config max_procs=%d pid_max=%d ticks=200000\n", n + 10, p }'
        printf 'program hog {\n  compute 10000000\n}\n'
        awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print "spawn hog" }'
    } > "$f"
    echo "$f"
}

echo "== (b) 200,000 ticks of cfs, 1,000 vs 100,000 runnable processes"
for n in 1000 100000; do
    repeat "$out/ticks" ticks "$(hogs $n)" > "$out/ticks$n.txt"
done
l1=$(awk '{print $2}' "$out/ticks1000.txt" | median)
l2=$(awk '{print $2}' "$out/ticks100000.txt" | median)
echo "tick loop: 1,000 processes median $l1 ms; 100,000 processes median $l2 ms;" \
     "ratio $(echo "$l2 $l1" | awk '{printf "%.2f", $1 / $2}')"
echo "set-up (parse + spawn): 1,000: $(awk '{print $1}' "$out/ticks1000.txt" | median) ms;" \
     "100,000: $(awk '{print $1}' "$out/ticks100000.txt" | median) ms"

echo "== (g) 200,000 ticks of 1,000 CPU-bound threads of one process, GIL on vs off"
for g in on off; do
    repeat "$out/ticks" ticks bench/gil-1000.scn gil=$g > "$out/gil-$g.txt"
done
g1=$(awk '{print $2}' "$out/gil-off.txt" | median)
g2=$(awk '{print $2}' "$out/gil-on.txt" | median)
echo "tick loop: gil=off median $g1 ms; gil=on median $g2 ms;" \
     "ratio $(echo "$g2 $g1" | awk '{printf "%.2f", $1 / $2}')"

# Max RSS in KiB of a command (its output thrown away).
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

echo "== (q) 1,000,000 messages through a multiprocessing queue among 1,000 processes"
qfile() {   # qfile N: bench/queue-1m.scn with N messages per producer
    f=$out/queue-$1.scn
    sed "s/repeat 2000/repeat $1/" bench/queue-1m.scn > "$f"
    echo "$f"
}
for n in 200 2000; do
    repeat "$out/ticks" ticks "$(qfile $n)" > "$out/q$n.txt"
done
echo "tick loop: 1,000,000 messages median $(awk '{print $2}' "$out/q2000.txt" | median) ms" \
     "($(awk 'NR == 1 {print $3}' "$out/q2000.txt") ticks); 100,000 messages median" \
     "$(awk '{print $2}' "$out/q200.txt" | median) ms"
echo "max RSS: 1,000,000 messages $(awk '{print $6}' "$out/q2000.txt" | median) KiB;" \
     "100,000 messages $(awk '{print $6}' "$out/q200.txt" | median) KiB (memory follows what is" \
     "in flight, not what has passed)"

echo "== (l) a Pool of 64 workers over 1,000,000 tasks"
repeat "$out/ticks" ticks bench/pool-1m.scn > "$out/l1.txt"
repeat "$out/ticks" ticks bench/pool-map-1m.scn > "$out/l2.txt"
echo "1,000,000 apply_async: tick loop median $(awk '{print $2}' "$out/l1.txt" | median) ms" \
     "($(awk 'NR == 1 {print $3}' "$out/l1.txt") ticks), max RSS" \
     "$(awk '{print $6}' "$out/l1.txt" | median) KiB (target: 2,000 ms)"
echo "map of 1,000,000 items: tick loop median $(awk '{print $2}' "$out/l2.txt" | median) ms" \
     "($(awk 'NR == 1 {print $3}' "$out/l2.txt") ticks), max RSS" \
     "$(awk '{print $6}' "$out/l2.txt" | median) KiB"

echo "== (c) memory per process"
bpp=$(head -1 "$out/ticks100000.txt" | awk '{print $5}')
r1=$(awk '{print $6}' "$out/ticks1000.txt" | median)
r2=$(awk '{print $6}' "$out/ticks100000.txt" | median)
echo "machine_bytes_per_process: $bpp bytes"
echo "max RSS growth from 1,000 to 100,000 processes, per process (parse included):"
echo "  the tick loop alone: $(echo "$r1 $r2" | awk '{printf "%.0f", ($2 - $1) * 1024 / 99000}') bytes"
for cmd in check stats output "run --ticks 2000"; do
    # shellcheck disable=SC2086
    a=$(rss "$B/procsim" $cmd "$(hogs 1000)")
    # shellcheck disable=SC2086
    b=$(rss "$B/procsim" $cmd "$(hogs 100000)")
    echo "  procsim $cmd: $(echo "$a $b" | awk '{printf "%.0f", ($2 - $1) * 1024 / 99000}') bytes"
done

echo "== (d) state at a random tick of a 1,000,000-tick run"
repeat "$out/ticks" state bench/long-run.scn 200 7 > "$out/state.txt"
echo "record: median $(awk '{print $1}' "$out/state.txt" | median) ms;" \
     "state at a random tick: median $(awk '{print $2}' "$out/state.txt" | median) ms," \
     "max $(awk '{print $3}' "$out/state.txt" | sort -n | tail -1) ms over $RUNS x 200 ticks;" \
     "$(head -1 "$out/state.txt" | awk '{print $4 " ticks, " $5 " checkpoints"}')"

echo "== (e) check, stats and output: time and memory (200,000 ticks of N spinning processes)"
for n in 1000 100000 1000000; do
    f=$(hogs $n)
    r=$RUNS
    [ "$n" -lt 1000000 ] || r=3
    hyperfine -N -w 1 -r "$r" --export-json "$out/e$n.json" \
        "$B/procsim check $f" "$B/procsim stats $f" "$B/procsim output $f" >/dev/null
    c=$(hf_median "$out/e$n.json" 1)
    st=$(hf_median "$out/e$n.json" 2)
    o=$(hf_median "$out/e$n.json" 3)
    cc=$(hf_cpu "$out/e$n.json" 1)
    sc=$(hf_cpu "$out/e$n.json" 2)
    oc=$(hf_cpu "$out/e$n.json" 3)
    for cmd in check stats output; do
        for i in 1 2 3; do rss "$B/procsim" $cmd "$f"; done | median > "$out/e$n-$cmd.rss"
    done
    mc=$(cat "$out/e$n-check.rss")
    ms=$(cat "$out/e$n-stats.rss")
    mo=$(cat "$out/e$n-output.rss")
    echo "$n processes: wall (median) check $c ms, stats $st ms ($(ratio "$st" "$c")x)," \
         "output $o ms ($(ratio "$o" "$c")x)"
    echo "  CPU (user + system) check $cc ms, stats $sc ms ($(ratio "$sc" "$cc")x)," \
         "output $oc ms ($(ratio "$oc" "$cc")x)"
    echo "  max RSS check $((mc / 1024)) MiB, stats $((ms / 1024)) MiB ($(ratio "$ms" "$mc")x)," \
         "output $((mo / 1024)) MiB ($(ratio "$mo" "$mc")x)"
done

echo "== (f) loading 100,000 programs (each named once by a spawn line)"
f=$out/names-100000.scn
[ -f "$f" ] || awk 'BEGIN { for (i = 0; i < 100000; i++) printf "program p%d {\n  compute 1\n}\nspawn p%d\n", i, i
                          print "config max_procs=100010 pid_max=200000" }' > "$f"
hyperfine -N -w 1 -r "$RUNS" --export-json "$out/f.json" "$B/procsim check $f" >/dev/null
echo "procsim check: median $(hf_median "$out/f.json" 1) ms (CPU $(hf_cpu "$out/f.json" 1) ms)"

echo "== (p) 1,000,000 messages through one pipe among 1,000 processes (64 CPUs)"
hyperfine -N -w 1 -r "$RUNS" --export-json "$out/p.json" "$B/procsim check bench/pipes-1m.scn" >/dev/null
echo "procsim check: median $(hf_median "$out/p.json" 1) ms (CPU $(hf_cpu "$out/p.json" 1) ms)"

echo "== (m) an epoll server with 10,000 connections, 100,000 ticks; the same with poll"
hyperfine -N -w 1 -r "$RUNS" --export-json "$out/m.json" "$B/procsim check bench/epoll-10k.scn" \
    "$B/procsim check bench/select-10k.scn" >/dev/null
echo "procsim check: epoll median $(hf_median "$out/m.json" 1) ms (CPU $(hf_cpu "$out/m.json" 1) ms);" \
     "poll median $(hf_median "$out/m.json" 2) ms (CPU $(hf_cpu "$out/m.json" 2) ms)"
for f in epoll-10k select-10k; do
    echo "$f: server CPU $("$B/procsim" stats bench/$f.scn | awk '$2 == "server" { print $3 }') ticks of 10 us;" \
         "$("$B/procsim" output bench/$f.scn | cut -d' ' -f3-)"
done
cc -std=c11 -O2 bench/mux-cost.c -o "$out/mux-cost"
"$out/mux-cost" 20000

echo "== (s) 10,000,000 statements in Python mode"
hyperfine -N -w 1 -r "$RUNS" --export-json "$out/s.json" "$B/procsim check bench/py-stmts-10m.scn" >/dev/null
echo "procsim check: median $(hf_median "$out/s.json" 1) ms (CPU $(hf_cpu "$out/s.json" 1) ms);" \
     "$("$B/procsim" output bench/py-stmts-10m.scn | cut -d' ' -f3-)"
python3 bench/stmt-cost.py "$RUNS"

echo "== (k) what creating a process costs (C, then CPython)"
cc -std=c11 -O2 -pthread bench/creation-cost.c -o "$out/creation-cost"
"$out/creation-cost" 2000
python3 bench/creation-cost.py 300

echo "== (y) a student's Python program: loading 2,000 lines; executing 10,000,000 statements"
python3 bench/py-gen.py "$out/py-2000.py" 2000
if "$B/procsim" compile "$out/py-2000.py" >/dev/null 2>"$out/y.err"; then
    hyperfine -N -w 2 -r "$((RUNS * 3))" --export-json "$out/y1.json" \
        "$B/procsim compile $out/py-2000.py" "$B/procsim check $out/py-2000.py" >/dev/null
    echo "2,000 lines: procsim compile median $(hf_median "$out/y1.json" 1) ms" \
         "(CPU $(hf_cpu "$out/y1.json" 1) ms); procsim check median $(hf_median "$out/y1.json" 2) ms" \
         "(CPU $(hf_cpu "$out/y1.json" 2) ms); target <= 50 ms"
    hyperfine -N -w 1 -r "$RUNS" --export-json "$out/y2.json" \
        "$B/procsim stats bench/py-10m.py" "python3 bench/py-10m.py" >/dev/null
    echo "10,000,000 statements: procsim stats median $(hf_median "$out/y2.json" 1) ms" \
         "(CPU $(hf_cpu "$out/y2.json" 1) ms), target <= 2000 ms; CPython median" \
         "$(hf_median "$out/y2.json" 2) ms (CPU $(hf_cpu "$out/y2.json" 2) ms)"
    echo "simulated CPU of the main program: $("$B/procsim" stats bench/py-10m.py |
          awk '$2 == "python3" { print $3; exit }') ticks (10,000,000 x 26 ns = 260 ms)"
else
    echo "procsim cannot load a .py file: $(head -1 "$out/y.err")"
fi

echo "== the window (off-screen, software renderer, 1280x800)"
if [ -x "$B/procsim-viz" ]; then
    for n in 200 1000 20000; do
        echo "$n processes: $("$B/procsim-viz" bench/viz-$n.scn --bench | tail -1)"
    done
    echo "100,000-tick run: $("$B/procsim-viz" bench/viz-100k.scn --bench | grep '^step back')"
fi
