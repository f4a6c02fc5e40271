#!/usr/bin/env bash
# `npm test`: installs what the suites need (npm packages, system packages), builds, runs every suite.
# Safe to run again: each step skips what is already in place.
#   npm test                 every suite: vitest, then each scripts/suites/*.sh
#   npm test -- <vitest args> only vitest, with those arguments (e.g. a file filter)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-packages.sh
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
npm run build

# One local SLURM, the Torque (PBS) wrappers and Grid Engine for every job-queue suite; stopped at
# exit, unless they were already up (someone else's run is using them).
already_up=false
pgrep -x slurmctld >/dev/null && pgrep -x sge_qmaster >/dev/null && already_up=true
bash scripts/ci/batch-systems.sh up
$already_up || trap 'bash scripts/ci/batch-systems.sh down >/dev/null 2>&1 || true' EXIT

rm -rf test-artifacts/suites
mkdir -p test-artifacts/suites
status=0
# The JSON report is what .ci/run counts; the default reporter is for people.
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@" || status=1
[ $# -eq 0 ] || exit $status

# Suites outside vitest (Python, JupyterLab, VS Code, notebooks). Each writes
# test-artifacts/suites/<name>.json = {"passed": N, "failed": N, "skipped": N}; one that exits without
# writing it counts as one failure.
for suite in scripts/suites/*.sh; do
  [ -e "$suite" ] || continue
  name=$(basename "$suite" .sh)
  echo "== suite $name"
  bash "$suite" || status=1
  [ -s "test-artifacts/suites/$name.json" ] || echo '{"passed":0,"failed":1,"skipped":0}' >"test-artifacts/suites/$name.json"
done
exit $status
