#!/bin/sh
# samples.sh [--update] - the procsim output shown in README.md and docs/ is
# what procsim prints today.
#
# A sample is a fenced block right after a marker line (an HTML comment,
# invisible on the rendered page):
#   <!-- output: procsim run scenarios/zombie.scn --changes -->
#       the block is exactly the command's stdout (a first line "$ ..."
#       showing the command is allowed and skipped);
#   <!-- excerpt: procsim run @previous -->
#       the block's lines appear, in a row, in the command's stdout;
#       @previous is the fenced block before this one, as a scenario file.
# Commands run from the top of the repository with PROCSIM (default
# build/procsim) for `procsim`. --update rewrites the `output:` blocks from
# the current build (read the diff: each change must be intended).
set -u
cd "$(dirname "$0")/.." || exit 2
P=${PROCSIM:-build/procsim}
update=false
[ "${1:-}" = "--update" ] && update=true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# Split a markdown file into samples: $tmp/N.{where,mode,cmd,want,prev}.
extract() {
    awk -v dir="$tmp" -v file="$1" '
    function flush_prev() { close(dir "/" n ".prev") }
    /^<!-- (output|excerpt): .* -->$/ {
        line = $0
        sub(/^<!-- /, "", line); sub(/ -->$/, "", line)
        mode = line; sub(/:.*/, "", mode)
        cmd = line; sub(/^[a-z]*: /, "", cmd)
        pending = 1; next
    }
    /^```/ {
        if (!inblock) {
            inblock = 1; prompt = 1
            if (pending) {
                n++; sample = 1; pending = 0
                print file ":" NR > (dir "/" n ".where")
                print mode > (dir "/" n ".mode")
                print cmd > (dir "/" n ".cmd")
                printf "" > (dir "/" n ".want")
                printf "%s", last > (dir "/" n ".prev")
            }
            cur = ""
            next
        }
        inblock = 0
        if (sample) { close(dir "/" n ".want"); sample = 0 }
        last = cur
        next
    }
    inblock {
        cur = cur $0 "\n"
        if (sample) {
            if (prompt && $0 ~ /^\$ /) next
            prompt = 0
            print > (dir "/" n ".want")
        }
    }
    END { print n + 0 > (dir "/count") }
    ' "$1"
}

# Rewrite the output: blocks of file $1 from $tmp/N.got.
rewrite() {
    awk -v dir="$tmp" '
    /^<!-- output: .* -->$/ { pending = 1 }
    /^<!-- excerpt: .* -->$/ { pending = 2 }
    /^```/ {
        if (!inblock) {
            inblock = 1; print
            if (pending) { n++; mine = (pending == 1); prompt = 1 }
            pending = 0
            next
        }
        if (mine) {
            f = dir "/" n ".got"
            while ((getline l < f) > 0) print l
            close(f)
        }
        inblock = 0; mine = 0; print; next
    }
    inblock && mine {
        if (prompt && $0 ~ /^\$ /) { print; next }
        prompt = 0; next
    }
    { print }
    ' "$1" >"$tmp/rewritten" && cat "$tmp/rewritten" >"$1"
}

# Whether the lines of $1 appear in a row in $2.
in_a_row() {
    awk 'NR == FNR { want[++n] = $0; next }
         { got[++m] = $0 }
         END {
             for (i = 1; i + n - 1 <= m; i++) {
                 for (j = 1; j <= n && got[i + j - 1] == want[j]; j++) ;
                 if (j > n) exit 0
             }
             exit 1
         }' "$1" "$2"
}

for md in README.md docs/*.md; do
    rm -f "$tmp"/[0-9]*
    extract "$md"
    count=$(cat "$tmp/count")
    i=1
    while [ "$i" -le "$count" ]; do
        where=$(cat "$tmp/$i.where")
        mode=$(cat "$tmp/$i.mode")
        cmd=$(cat "$tmp/$i.cmd")
        cp "$tmp/$i.prev" "$tmp/previous.scn"
        # shellcheck disable=SC2086
        set -- $cmd
        shift                                  # the word procsim
        args=""
        for a in "$@"; do
            [ "$a" = "@previous" ] && a="$tmp/previous.scn"
            args="$args $a"
        done
        # shellcheck disable=SC2086
        "$P" $args >"$tmp/$i.got" 2>/dev/null
        if [ "$mode" = output ] && cmp -s "$tmp/$i.want" "$tmp/$i.got"; then
            pass=$((pass + 1))
        elif [ "$mode" = excerpt ] && in_a_row "$tmp/$i.want" "$tmp/$i.got"; then
            pass=$((pass + 1))
        elif [ "$mode" = output ] && $update; then
            pass=$((pass + 1))
            echo "updated: $where ($cmd)"
        else
            fail=$((fail + 1))
            echo "FAIL: $where: the $mode of '$cmd' is not what it prints:"
            diff -u "$tmp/$i.want" "$tmp/$i.got" | head -30
        fi
        i=$((i + 1))
    done
    $update && [ "$count" -gt 0 ] && rewrite "$md"
done
echo "samples: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
