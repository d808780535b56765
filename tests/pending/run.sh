#!/bin/sh
# run.sh BUILD_DIR - run the pending pairs as tests/real and tests/python
# would, without moving them: each kind is copied beside a copy of its
# run.sh (and real.h, pairs.sh) in a temporary tree. Not part of `make
# test`; for checking a pair while the feature it waits for lands.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tests=$here/..
build=${1:?usage: run.sh BUILD_DIR}
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/tests/real" "$tmp/tests/python"
cp "$tests/pairs.sh" "$tmp/tests/"
cp "$tests/real/run.sh" "$tests/real/real.h" "$tmp/tests/real/"
cp "$tests/python/run.sh" "$tmp/tests/python/"
status=0
for kind in real python; do
    set -- "$here/$kind"/*.scn
    [ -f "$1" ] || continue
    for scn in "$here/$kind"/*; do
        cp "$scn" "$tmp/tests/$kind/"
    done
    sh "$tmp/tests/$kind/run.sh" "$build" || status=1
done
exit $status
