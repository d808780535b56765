#!/bin/sh
# run-viz.sh VIZ SCENARIO - what `make run` does: open the window, or, with
# no display, say so and render a screenshot instead of failing.
viz=$1
scn=$2
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    out=build/$(basename "$scn" .scn).png
    "$viz" "$scn" --screenshot "$out" --at 6 || exit $?
    echo "procsim-viz: no display; wrote a screenshot to $out instead"
    echo "(on a desktop, 'make run' opens the window; keys: F1 or ? in the window)"
    exit 0
fi
exec "$viz" "$scn"
