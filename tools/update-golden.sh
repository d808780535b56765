#!/bin/sh
# update-golden.sh [NAME...] - rewrite the golden outputs under tests/golden
# from the current build, for every scenario (or the ones named). Review the
# diff before committing: a golden file is only right if its output is.
set -e
cd "$(dirname "$0")/.."
P=build/procsim
[ -x $P ] || make build/procsim
names=${*:-$(for f in scenarios/*.scn; do basename "$f" .scn; done)}
for n in $names; do
    $P run scenarios/$n.scn > tests/golden/$n.run || true
done
# A few other views, pinned on scenarios that show them best.
$P stats scenarios/tour.scn > tests/golden/tour.stats 2>/dev/null || true
$P stats scenarios/tour.scn --json > tests/golden/tour.stats-json 2>/dev/null || true
$P output scenarios/fork-twice.scn > tests/golden/fork-twice.output 2>/dev/null || true
$P ps scenarios/zombie.scn --at 10 > tests/golden/zombie.ps@10 2>/dev/null || true
$P pstree scenarios/orphan.scn --at 20 > tests/golden/orphan.pstree@20 2>/dev/null || true
$P ps scenarios/sig-kill-d-vs-s.scn --at 5 --json > tests/golden/sig-kill-d-vs-s.ps-json@5 2>/dev/null || true
$P ps scenarios/gil-threads.scn --at 50 > tests/golden/gil-threads.ps@50 2>/dev/null || true
for f in tests/golden/*; do [ -s "$f" ] || rm -f "$f"; done
git status --short tests/golden
