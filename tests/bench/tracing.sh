#!/usr/bin/env bash
# The inspector's cost: every benchmark program under lunette as it always runs (event ring,
# coroutine registry, clock map) against the same binary with --no-inspector, in the same run.
# Usage: tracing.sh LUNETTE [filter]     (a Release build; see README.md)
# The target is a ratio of at most 1.05 for every program.
set -u
if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 LUNETTE [filter]" >&2
  exit 2
fi
lunette=$(realpath "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/tracing.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf '#!/bin/sh\nexec "%s" --no-inspector "$@"\n' "$lunette" > "$work/lunette-no-inspector"
chmod +x "$work/lunette-no-inspector"
PEER_NAME=untraced bash "$(dirname "$0")/run.sh" "$lunette" "$work/lunette-no-inspector" "${2:-}"
