#!/usr/bin/env bash
# Installs what building and testing Lunette needs on Debian 12 (only what is missing).
# Node.js: an existing Node (NodeSource's Node 20 with its npm, on our machines) is left alone:
# installing Debian's npm beside it would replace it (see TOOLCHAIN). Without one, Debian's
# nodejs (Node 18; emscripten depends on it anyway) and npm are installed. Node 18 and 20 both
# work: playwright-core stays at a version that supports 18 (web/package.json).
set -euo pipefail

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "$@"
}

packages=(cmake ninja-build g++ clang libclang-rt-14-dev libgtest-dev libgmock-dev lua5.4 emscripten chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  apt_install "${missing[@]}"
fi
# Debian's nodejs: its version carries "dfsg" (NodeSource's says "nodesource").
debian_node() { dpkg-query -W -f='${Version}' nodejs 2>/dev/null | grep -q dfsg; }

if ! command -v node > /dev/null; then
  echo "Installing Debian's nodejs and npm"
  apt_install nodejs npm
elif ! command -v npm > /dev/null; then
  if debian_node; then
    echo "Installing Debian's npm (for Debian's nodejs)"
    apt_install npm
  else
    echo "install-deps: this Node.js ($(node --version)) has no npm, and Debian's npm would replace it; install the npm that goes with it." >&2
    exit 1
  fi
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "install-deps: Node.js 18 or newer is needed; this one is $(node --version)." >&2
  exit 1
fi
