#!/usr/bin/env bash
# `npm start`: builds, starts `drover serve` with a local cluster and a demo workload, prints the
# dashboard URL with its token. Ctrl-C stops everything (serve, its cluster, the workload).
#   DROVER_PORT=N npm start     another port (default 8787; 0 picks a free one)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
npm run build >/dev/null
exec node scripts/start-demo.mjs
