#!/usr/bin/env bash
# `npm start`: installs, builds, and runs the demo on a local cluster. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
npm run build >/dev/null
exec node examples/local-demo.mjs
