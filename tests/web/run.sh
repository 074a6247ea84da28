#!/usr/bin/env bash
# Builds the playground and runs its browser tests (node --test, playwright-core, Debian's
# headless Chromium). Usage: tests/web/run.sh [--fake] [node --test args...]
#   default  the real lunette worker and wasm (builds wasm/dist with wasm/build.sh if missing)
#   --fake   tests/web/fake-worker.js stands in for the worker; no wasm needed
# Screenshots land in tests/web/artifacts/ (gitignored).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

mode=real
if [ "${1:-}" = "--fake" ]; then mode=fake; shift; fi

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium (Debian)"
  apt-get install -y --no-install-recommends chromium >/dev/null
fi
command -v npm >/dev/null || { echo "run.sh: npm is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }

echo "== npm ci (web/)"
(cd web && npm ci --no-audit --no-fund --loglevel=error)

if [ "$mode" = real ]; then
  if [ ! -f wasm/dist/lunette.wasm ] || [ ! -f wasm/dist/lunette.mjs ]; then
    echo "== building the wasm module (wasm/build.sh)"
    bash wasm/build.sh
  fi
  echo "== building the page"
  node web/build.mjs
else
  echo "== building the page without wasm (fake worker)"
  node web/build.mjs --no-wasm
fi

echo "== browser tests ($mode worker)"
mkdir -p tests/web/artifacts
LUNETTE_WEB_WORKER=$mode node --test --test-concurrency=1 "$@" tests/web/
