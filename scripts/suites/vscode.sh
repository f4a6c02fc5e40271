#!/usr/bin/env bash
# The VS Code extension's suites in a real VS Code (code-server 4.100.3): mocha integration tests
# inside the extension host, then the UI test of the packaged .vsix through Chromium.
# Installs code-server (once), builds, and writes test-artifacts/suites/vscode.json with the counts.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=test-artifacts/suites/vscode.json
mkdir -p test-artifacts/suites test-artifacts/vscode
fail() { echo "vscode suite: $1" >&2; echo '{"passed":0,"failed":1,"skipped":0}' >"$out"; exit 1; }

bash scripts/install-code-server.sh >/dev/null || fail "code-server could not be installed"
[ -f core/dist/manager/index.js ] && [ -f core/dist/ui/dashboard.css ] || npm run build -w core >/dev/null || fail "core does not build"
npm run build -w vscode-ext >/dev/null || fail "the extension does not build"
# The SLURM tests need the local SLURM; this leaves a running one alone.
bash scripts/ci/batch-systems.sh up >/dev/null || fail "the local SLURM could not be started"

status=0
MOCHA_REPORT=test-artifacts/vscode/mocha.json node vscode-ext/e2e/run-ext-tests.mjs || status=1
UI_REPORT=test-artifacts/vscode/ui.json node vscode-ext/e2e/ui-test.mjs || status=1
node -e '
const fs = require("fs");
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return { passed: 0, failed: 1, skipped: 0 }; } };
const parts = [read("test-artifacts/vscode/mocha.json"), read("test-artifacts/vscode/ui.json")];
const sum = { passed: 0, failed: 0, skipped: 0 };
for (const p of parts) for (const k of Object.keys(sum)) sum[k] += p[k] ?? 0;
fs.writeFileSync(process.argv[1], JSON.stringify(sum));
console.log(`vscode: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`);
process.exit(sum.failed > 0 ? 1 : 0);
' "$out" || status=1
exit $status
