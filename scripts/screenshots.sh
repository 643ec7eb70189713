#!/usr/bin/env bash
# Makes the README's screenshots with kobai's own reports and a headless chromium:
#   docs/images/compare_beale.png  (kobai compare on Beale: five paths on the contour map)
#   docs/images/tangent_1d.png     (the 1-D tangent-line animation of seed 002, at iteration 3)
#   docs/images/playground.png     (kobai playground: five optimizers on Beale, mid-run)
# Builds the kobai program in $BUILD_DIR (default: build) first. Needs scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target kobai_cli kobai_playground -j "$(nproc)"
node web/tests/screenshots.mjs --kobai "$build/bin/kobai" --out docs/images
node web/tests/playground_screenshot.mjs --kobai "$build/bin/kobai" --out docs/images
