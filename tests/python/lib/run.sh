#!/bin/sh
# tests/python/lib/run.sh BUILD_DIR [NAME...] - the library's programs (one
# or more per Python module procsim simulates: os, signal, multiprocessing,
# threading, concurrent.futures, select/selectors ...), each run by CPython
# and by procsim and compared as the corpus is (tests/python/corpus/run.sh:
# pids and large numbers normalised, tracebacks' last lines compared).
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILD_DIR [NAME...]}
shift
names=""
if [ $# -gt 0 ]; then
    for n in "$@"; do names="$names $here/${n%.py}"; done
else
    for f in "$here"/*.py; do names="$names ${f%.py}"; done
fi
# shellcheck disable=SC2086
sh "$here/../corpus/run.sh" "$build" $names | sed 's/^python corpus:/python lib:/'
