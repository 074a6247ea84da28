#!/usr/bin/env bash
# Installs what building and testing Lunette needs on Debian 12 (only what is missing).
# Node.js 20 with npm comes from NodeSource on our machines; never from apt (see TOOLCHAIN).
set -euo pipefail

packages=(cmake ninja-build g++ clang libclang-rt-14-dev libgtest-dev libgmock-dev lua5.4 emscripten chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
if ! command -v npm > /dev/null; then
  echo "install-deps: Node.js 20 with npm is required (NodeSource); it is not installed." >&2
  exit 1
fi
