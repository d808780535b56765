#!/bin/sh
# run.sh SECONDS - fuzz the scenario parser and a short run of what it
# accepts, with libFuzzer + ASan + UBSan (clang). Crashes found are copied to
# fuzz/regressions/, which `make test` replays with the gcc build.
#
# Beside it, for the same time, the runtime campaign (build/asan/fuzz-runtime,
# built by `make fuzz`) runs random valid scenarios and checks their
# invariants; its failures, each with its scenario, are in
# build/fuzz/runtime.log: keep a scenario in fuzz/runtime-regressions/.
# And the Python front end's fuzzer (fuzz/py/fuzz.py): mutated students'
# programs; what breaks its rules is kept in fuzz/py/regressions/, which
# `make test` replays; its log is build/fuzz/python.log.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
mkdir -p build/fuzz
log=$(pwd)/build/fuzz/runtime.log
runtime_pid=""
if [ -x build/asan/fuzz-runtime ]; then
    build/asan/fuzz-runtime --procsim build/asan/procsim --seconds "$secs" \
        >"$log" 2>&1 &
    runtime_pid=$!
fi
sh tools/deps.sh clang libclang-rt-14-dev
out=build/fuzz
mkdir -p $out/corpus
clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    $(for d in value lang kernel sched objects record net mux coro; do printf -- "-Isim/%s " $d; done) -Ifuzz \
    fuzz/fuzz_parse.c sim/value/*.c sim/lang/*.c sim/kernel/*.c sim/sched/*.c sim/objects/*.c sim/record/*.c sim/net/*.c sim/mux/*.c sim/coro/*.c -o $out/fuzz_parse
cp scenarios/*.scn fuzz/seeds/* fuzz/regressions/* $out/corpus/ 2>/dev/null || true
# Python seeds, translated (procsim compile): the scenario text the
# translator emits (`@L:C` lines, def, invoke...) seeds the parser's fuzzing.
for f in fuzz/py/seeds/*.py tests/python/corpus/*.py scenarios/python/*.py; do
    [ -f "$f" ] || continue
    build/asan/procsim compile "$f" >"$out/corpus/py-$(basename "$f" .py).scn" 2>/dev/null ||
        rm -f "$out/corpus/py-$(basename "$f" .py).scn"
done
# The Python front end itself (fuzz/py/fuzz.py): mutated programs through
# translator, parser and a short run, for the same time, beside libFuzzer.
python3 fuzz/py/fuzz.py build/asan/procsim "$secs" >build/fuzz/python.log 2>&1 &
python_pid=$!
cd $out
rm -f crash-* leak-* timeout-*      # only what this run finds is kept
./fuzz_parse -max_total_time="$secs" -max_len=4096 -timeout=10 \
    -print_final_stats=1 corpus 2>&1 | tail -20 || true
for c in crash-* leak-* timeout-*; do
    [ -f "$c" ] || continue
    cp "$c" ../../fuzz/regressions/
    echo "fuzz: kept $c in fuzz/regressions/"
done
cd ../..                # back at the top: the logs' paths are from there
wait "$python_pid" || true
grep '^fuzz:' build/fuzz/python.log || true
tail -1 build/fuzz/python.log
if [ -n "$runtime_pid" ]; then
    wait "$runtime_pid" || true
    grep '^FAIL' "$log" || true
    tail -1 "$log"
    echo "fuzz: the runtime campaign's report is in build/fuzz/runtime.log"
fi
