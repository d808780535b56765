#!/bin/sh
# run-viz.sh VIZ SCENARIO - what `make run` does: open the window, or, with
# no display, say so and render a screenshot instead of failing. A DISPLAY
# that is set but dead (an old ssh -X session) counts as no display:
# procsim-viz --check-display asks SDL, which otherwise falls back to an
# invisible off-screen window.
viz=$1
scn=$2
if ! "$viz" --check-display 2>/dev/null; then
    out=build/$(basename "$scn" .scn).png
    "$viz" "$scn" --screenshot "$out" --at 6 || exit $?
    echo "procsim-viz: no display (DISPLAY=${DISPLAY:-unset}); wrote a screenshot to $out instead"
    echo "(on a desktop, 'make run' opens the window; keys: F1 or ? in the window)"
    exit 0
fi
exec "$viz" "$scn"
