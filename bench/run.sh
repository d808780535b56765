#!/bin/sh
# run.sh BUILD_DIR - the benchmarks of the README (make bench). Medians of
# RUNS runs (default 7); quote medians and ratios, not single runs.
#  (a) the per-tick table for 50 processes x compute 100 under fifo, vs
#      OSTEP's process-run.py doing the same (set OSTEP_PROCESS_RUN to its path)
#  (b) 200,000 ticks of cfs with 1,000 vs 100,000 runnable processes
#  (c) memory per process
#  (d) the state at a random tick of a 1,000,000-tick run
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
RUNS=${RUNS:-7}
out=$B/bench
mkdir -p "$out"
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 $(for d in lang kernel sched objects record; do printf -- "-Isim/%s " $d; done) bench/ticks.c "$B/libprocsim.a" -o "$out/ticks"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
repeat() { i=0; while [ $i -lt "$RUNS" ]; do "$@"; i=$((i + 1)); done; }

# hyperfine's median (seconds) of the n-th command in its JSON export.
hf_median() { grep -o '"median": *[0-9.e-]*' "$1" | sed -n "${2}p" | awk '{printf "%.3f", $2 * 1000}'; }

echo "== (a) per-tick table, 50 processes x compute 100, fifo"
echo "procsim run prints $("$B/procsim" run bench/ostep-50x100.scn | wc -l) lines"
if [ -n "${OSTEP_PROCESS_RUN:-}" ] && [ -f "$OSTEP_PROCESS_RUN" ]; then
    L=$(awk 'BEGIN { for (i = 0; i < 50; i++) printf "%s100:100", i ? "," : "" }')
    echo "process-run.py prints $(python3 "$OSTEP_PROCESS_RUN" -l "$L" -c -S SWITCH_ON_END | wc -l) lines"
    hyperfine -N -w 3 -r "$((RUNS * 3))" --export-json "$out/a.json" \
        "$B/procsim run bench/ostep-50x100.scn" \
        "python3 $OSTEP_PROCESS_RUN -l $L -c -S SWITCH_ON_END" >/dev/null
    a_ms=$(hf_median "$out/a.json" 1)
    o_ms=$(hf_median "$out/a.json" 2)
    echo "procsim run: median $a_ms ms; process-run.py: median $o_ms ms;" \
         "ratio $(echo "$o_ms $a_ms" | awk '{printf "%.0f", $1 / $2}')x"
else
    hyperfine -N -w 3 -r "$((RUNS * 3))" --export-json "$out/a.json" \
        "$B/procsim run bench/ostep-50x100.scn" >/dev/null
    echo "procsim run: median $(hf_median "$out/a.json" 1) ms"
    echo "(set OSTEP_PROCESS_RUN to OSTEP's cpu-intro/process-run.py to compare)"
fi

echo "== (b) 200,000 ticks of cfs, 1,000 vs 100,000 runnable processes"
for n in 1000 100000; do
    f=$out/hogs$n.scn
    [ -f "$f" ] || {
        echo "config max_procs=200000 pid_max=400000 ticks=200000"
        printf 'program hog {\n  compute 10000000\n}\n'
        awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) print "spawn hog" }'
    } > "$f"
    repeat "$out/ticks" ticks "$f" > "$out/ticks$n.txt"
done
l1=$(awk '{print $2}' "$out/ticks1000.txt" | median)
l2=$(awk '{print $2}' "$out/ticks100000.txt" | median)
echo "tick loop: 1,000 processes median $l1 ms; 100,000 processes median $l2 ms;" \
     "ratio $(echo "$l2 $l1" | awk '{printf "%.2f", $1 / $2}')"
echo "set-up (parse + spawn): 1,000: $(awk '{print $1}' "$out/ticks1000.txt" | median) ms;" \
     "100,000: $(awk '{print $1}' "$out/ticks100000.txt" | median) ms"

echo "== (c) memory per process"
bpp=$(head -1 "$out/ticks100000.txt" | awk '{print $5}')
r1=$(awk '{print $6}' "$out/ticks1000.txt" | median)
r2=$(awk '{print $6}' "$out/ticks100000.txt" | median)
echo "machine_bytes_per_process: $bpp bytes"
echo "max RSS growth from 1,000 to 100,000 processes (parse included): " \
     "$(echo "$r1 $r2" | awk '{printf "%.0f", ($2 - $1) * 1024 / 99000}') bytes/process"

echo "== (d) state at a random tick of a 1,000,000-tick run"
repeat "$out/ticks" state bench/long-run.scn 200 7 > "$out/state.txt"
echo "record: median $(awk '{print $1}' "$out/state.txt" | median) ms;" \
     "state at a random tick: median $(awk '{print $2}' "$out/state.txt" | median) ms," \
     "max $(awk '{print $3}' "$out/state.txt" | sort -n | tail -1) ms over $RUNS x 200 ticks;" \
     "$(head -1 "$out/state.txt" | awk '{print $4 " ticks, " $5 " checkpoints"}')"

echo "== the window (off-screen, software renderer, 1280x800)"
if [ -x "$B/procsim-viz" ]; then
    for n in 200 1000; do
        echo "$n processes: $("$B/procsim-viz" bench/viz-$n.scn --bench | tail -1)"
    done
    echo "100,000-tick run: $("$B/procsim-viz" bench/viz-100k.scn --bench | grep '^step back')"
fi
