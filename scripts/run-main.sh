#!/usr/bin/env bash
# Sets up, builds and runs the main job: the seed tour (every experiment the seeds show).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target kobai_cli
build/bin/kobai tour "$@"
