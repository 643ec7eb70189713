#!/usr/bin/env bash
# Sets up, builds and runs the main job: the seed tour (every experiment the seeds show).
# Installs only what that needs (scripts/install-deps.sh main; the web assets too when the tour
# is asked for a --report) and builds only the kobai program, without the tests and benchmarks,
# whose packages scripts/test.sh installs. Build directory: $BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
scripts/install-deps.sh main
# A report embeds the bundled page scripts and the WebAssembly engine (target kobai_playground).
targets=(kobai_cli)
for argument in "$@"; do
  if [[ $argument == --report* ]]; then scripts/install-deps.sh reports; targets+=(kobai_playground); break; fi
done
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKOBAI_BUILD_TESTS=OFF -DKOBAI_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"
"$build"/bin/kobai tour "$@"
