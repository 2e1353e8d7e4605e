#!/usr/bin/env bash
# Installs every Debian 12 package Resurgence needs to build, test, fuzz and plot. Idempotent:
# packages already present are skipped by apt, and `apt-get update` runs only when something
# is missing. Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake git pkg-config
  libeigen3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev catch2 libcli11-dev
  libboost-dev                        # headers: Sobol sequences, Student t quantiles
  libopenmpi-dev openmpi-bin
  clang libclang-rt-14-dev            # libFuzzer and sanitizer runtimes
  python3 python3-matplotlib python3-pandas python3-numpy
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
  -o DPkg::Lock::Timeout=300 "${missing[@]}"
