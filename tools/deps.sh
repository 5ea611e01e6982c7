#!/usr/bin/env bash
# Installs the Debian packages ccx needs, only those missing. Quiet and quick when all
# are present. Runs apt-get update first when something must be installed (a fresh
# machine may have empty package lists).
set -euo pipefail
PACKAGES=(
  g++ cmake ninja-build make pkg-config python3
  libboost-dev libboost-program-options-dev libabsl-dev libfmt-dev
  libtomlplusplus-dev nlohmann-json3-dev catch2 libbenchmark-dev
  libsodium-dev libsqlite3-dev libspdlog-dev zlib1g-dev tshark
)
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
