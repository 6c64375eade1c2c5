#!/usr/bin/env bash
# Makes a deployment folder fit AWS Lambda (250 MB unzipped at most) after `npm ci --omit=dev` in it:
# removes what neither function loads, then checks that both handler modules still load and the size.
#   usage: deploy/aws/prune.sh build/lambda [x86_64|arm64]
# Removed: the Temporal core's native libraries for the other platforms and its Rust sources (about
# 110 MB); the embedded PGlite (a function always has DATABASE_URL, and PGlite is imported only
# without it); TypeScript (an optional peer of i18next, never loaded); SWC's native compiler (loaded only
# to bundle workflow code, which the build has done).
set -euo pipefail
dir=${1:?usage: prune.sh FOLDER [x86_64|arm64]}
case "${2:-x86_64}" in
  x86_64) keep=x86_64-unknown-linux-gnu ;;
  arm64) keep=aarch64-unknown-linux-gnu ;;
  *) echo "prune: architecture x86_64 or arm64" >&2; exit 2 ;;
esac
modules="$dir/node_modules"
[ -d "$modules/@temporalio/core-bridge/releases/$keep" ] || {
  echo "prune: $modules has no Temporal core for $keep (npm ci --omit=dev in $dir first)" >&2
  exit 1
}
core="$modules/@temporalio/core-bridge"
find "$core/releases" -mindepth 1 -maxdepth 1 ! -name "$keep" -exec rm -rf {} +
rm -rf "$core/sdk-core" "$core/src" "$modules/@electric-sql" "$modules/typescript" "$modules/@swc"

# Both handlers load: the API's module builds nothing before its first event; the worker's reads its
# configuration at once, so without one it stops there, after every module it needs has loaded.
(cd "$dir" && node --input-type=module -e "await import('./dist/api/lambda.js')")
said=$(cd "$dir" && env -i PATH="$PATH" HOME=/tmp node --input-type=module \
  -e "await import('./dist/worker/lambda.js')" 2>&1 || true)
case "$said" in
  *"needs TEMPORAL_ADDRESS and DATABASE_URL"*) ;;
  *) echo "prune: the worker's handler did not load:" >&2; echo "$said" >&2; exit 1 ;;
esac

size=$(du -sm "$dir" | cut -f1)
echo "prune: $dir is $size MB unzipped (Lambda takes 250 MB at most); both handlers load"
[ "$size" -lt 250 ]
