#!/usr/bin/env bash
# Sets up, builds and runs every test: the Release build under CTest (unit tests, PyTorch/SciPy
# conformance, browser tests, fuzzing), then the unit tests again under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/install-deps.sh test

echo "== Release build and tests"
# Tests and benchmarks on explicitly: scripts/run-main.sh configures the same build directory
# without them (it installs only the main job's packages).
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKOBAI_BUILD_TESTS=ON -DKOBAI_BUILD_BENCH=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and unit tests"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKOBAI_SANITIZE=ON -DKOBAI_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -L unit

# ---- Fuzzing the expression parser (issue 3; owned by autodiff) ------------------------------
# libFuzzer + ASan + UBSan, clang++-14, 60 seconds from the seed corpus in fuzz/corpus (new
# inputs go to build-fuzz/corpus, crash reproducers to build-fuzz/). A crash fails the script.
echo "== Fuzzing the expression parser (libFuzzer, 60 s)"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DKOBAI_FUZZ=ON -DKOBAI_BUILD_TESTS=OFF -DKOBAI_BUILD_BENCH=OFF -DKOBAI_BUILD_APPS=OFF >/dev/null
cmake --build build-fuzz --target expr_fuzz -j "$jobs"
mkdir -p build-fuzz/corpus
build-fuzz/fuzz/expr_fuzz -dict=fuzz/expr.dict -max_total_time=60 -timeout=10 \
  -artifact_prefix=build-fuzz/ -print_final_stats=1 build-fuzz/corpus fuzz/corpus
