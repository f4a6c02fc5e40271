#!/usr/bin/env bash
# `npm test`: installs what the suites need (npm packages, system packages), builds, runs every suite.
# Safe to run again: each step skips what is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-packages.sh
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
npm run build

# One local SLURM, the Torque (PBS) wrappers and Grid Engine for every job-queue suite; stopped at exit.
bash scripts/ci/batch-systems.sh up
trap 'bash scripts/ci/batch-systems.sh down >/dev/null 2>&1 || true' EXIT

mkdir -p test-artifacts
# The JSON report is what .ci/run counts; the default reporter is for people.
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@"
