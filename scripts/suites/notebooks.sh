#!/usr/bin/env bash
# Example notebooks suite: executes every notebook in examples/notebooks/ headless with Debian's
# nbclient (scripts/run-notebooks.py) in its real kernel, against a real `drover serve` whose only
# way in is the private manager file the kernels inherit (DROVER_MANAGER_FILE). Keeps the executed
# copies in test-artifacts/notebooks/, writes test-artifacts/suites/notebooks.json (totals and, per
# notebook, passed/failed/seconds), and fails on a cell error, a timeout, a notebook without a figure,
# or a worker process of the manager left running after a notebook closed its cluster.
# Installs what it needs (Debian packages, npm packages, the build, the Deno kernel) only when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

needed=()
/usr/bin/python3 -c 'import ipykernel, IPython' 2>/dev/null || needed+=(python3-ipykernel)
/usr/bin/python3 -c 'import nbclient, nbformat' 2>/dev/null || needed+=(python3-nbclient python3-nbformat)
# The Python notebooks' scientific libraries, only when there are Python notebooks.
if grep -qs '"name": "python3"' examples/notebooks/*.ipynb; then
  /usr/bin/python3 -c 'import matplotlib' 2>/dev/null || needed+=(python3-matplotlib)
  /usr/bin/python3 -c 'import MDAnalysis' 2>/dev/null || needed+=(python3-mdanalysis)
  /usr/bin/python3 -c 'import emcee' 2>/dev/null || needed+=(python3-emcee)
  /usr/bin/python3 -c 'import ase' 2>/dev/null || needed+=(python3-ase)
  /usr/bin/python3 -c 'import torch' 2>/dev/null || needed+=(python3-torch)
fi
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "notebooks suite: missing ${needed[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f core/dist/notebook/index.js ] || npm run build
# The batch notebooks submit to the local SLURM and to PBS, which here is Slurm's Torque-compatible
# qsub: its bin goes first on the manager's PATH (no notebook uses Grid Engine's qsub).
# Started here (a suite run alone) means stopped here; when the test command started them, it stops them.
batch_systems_were_up=false
pgrep -x slurmctld >/dev/null && pgrep -x sge_qmaster >/dev/null && batch_systems_were_up=true
bash scripts/ci/batch-systems.sh up
export PATH=$(bash scripts/ci/torque-wrappers.sh):$PATH

# Private homes: the kernelspecs, the manager file and the manager's state live and die here.
home=$(mktemp -d /tmp/drover-notebooks-XXXXXX)
mkdir -m 700 "$home/runtime"
export XDG_DATA_HOME=$home/data XDG_RUNTIME_DIR=$home/runtime XDG_STATE_HOME=$home/state \
  XDG_CONFIG_HOME=$home/config NO_COLOR=1
for v in $(env | grep -o '^DROVER_[A-Z_]*' || true); do unset "$v"; done
# Python kernels import this checkout's `drover` package (what core/python/install_pth.py does for a user).
export PYTHONPATH=$root/core/python${PYTHONPATH:+:$PYTHONPATH}
node scripts/install-deno-kernel.mjs >/dev/null

# The manager's worker processes (node running this checkout's drover.mjs, other than serve itself),
# Dask schedulers and workers, this checkout's Deno kernels, and batch jobs in the queues.
workers() {
  {
    { pgrep -f -- "$root/core/bin/drover.mjs|$root/.deno-kernel/|distributed\\.cli\\.dask_" || true; } |
      { grep -vx -- "${serve_pid:-none}" || true; }
    if command -v squeue >/dev/null; then squeue -h -o 'slurm-job-%i' 2>/dev/null || true; fi
    if [ -x /usr/bin/qstat ]; then /usr/bin/qstat 2>/dev/null | awk 'NR > 2 {print "sge-job-" $1}' || true; fi
  } | sort
}

token=nb-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
DROVER_TOKEN=$token node core/bin/drover.mjs serve --port 0 --no-restore >"$home/serve.log" 2>&1 &
serve_pid=$!
cleanup() {
  if kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid"
    for _ in $(seq 150); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$serve_pid" 2>/dev/null || true
  fi
  rm -rf "$home"
  $batch_systems_were_up || bash scripts/ci/batch-systems.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT
export DROVER_MANAGER_FILE=$XDG_RUNTIME_DIR/drover/serve-$serve_pid.json
for _ in $(seq 300); do [ -f "$DROVER_MANAGER_FILE" ] && break; sleep 0.1; done
if [ ! -f "$DROVER_MANAGER_FILE" ]; then
  echo "notebooks suite: drover serve did not start:" >&2
  cat "$home/serve.log" >&2
  exit 1
fi

mkdir -p test-artifacts/suites test-artifacts/notebooks
results=$home/results.jsonl
: >"$results"
# Arguments: only these notebooks (for a developer at work on one); default all of them.
if [ $# -gt 0 ]; then chosen=("$@"); else chosen=(examples/notebooks/*.ipynb); fi
for nb in "${chosen[@]}"; do
  before=$(workers)
  start=$(date +%s%N)
  status=passed
  /usr/bin/python3 scripts/run-notebooks.py --timeout 180 --grace 0 --out test-artifacts/notebooks "$nb" || status=failed
  ms=$((($(date +%s%N) - start) / 1000000))
  # Every example shows at least one figure: an image in the executed copy's outputs.
  if [ $status = passed ] && ! /usr/bin/python3 -c '
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
sys.exit(0 if any(k.startswith("image/") for c in nb.cells for o in c.get("outputs", []) for k in o.get("data", {})) else 1)
' "test-artifacts/notebooks/$(basename "$nb")"; then
    echo "FAIL $nb shows no figure (no image output)" >&2
    status=failed
  fi
  # A notebook closes what it starts: give the manager a moment to reap, then compare.
  for _ in $(seq 50); do [ "$(workers)" = "$before" ] && break; sleep 0.2; done
  left=$(comm -13 <(echo "$before") <(workers) | tr '\n' ' ')
  if [ -n "${left// /}" ]; then
    echo "FAIL $nb left worker processes running: $left" >&2
    pids=$(echo "$left" | tr " " "\n" | grep -E "^[0-9]+$" | tr "\n" " " || true)
    [ -z "${pids// /}" ] || ps -o pid,args -p $pids >&2 || true
    status=failed
  fi
  printf '{"notebook":"%s","status":"%s","seconds":%d.%d}\n' "$(basename "$nb")" "$status" $((ms / 1000)) $((ms % 1000 / 100)) >>"$results"
done

/usr/bin/python3 - "$results" test-artifacts/suites/notebooks.json <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
per = {r["notebook"]: {"passed": int(r["status"] == "passed"), "failed": int(r["status"] == "failed"),
                       "seconds": r["seconds"]} for r in rows}
total = {"passed": sum(p["passed"] for p in per.values()), "failed": sum(p["failed"] for p in per.values()),
         "skipped": 0, "notebooks": per}
open(sys.argv[2], "w").write(json.dumps(total, indent=1) + "\n")
for name, p in per.items():
    print(f"{name}: {'passed' if p['passed'] else 'FAILED'} in {p['seconds']} s")
print(f"notebooks: {total['passed']} passed, {total['failed']} failed")
sys.exit(0 if rows and not total["failed"] else 1)
PY
