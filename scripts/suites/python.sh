#!/usr/bin/env bash
# Python suite: the drover package (core/python) against a real drover serve and real Dask, and the
# smoke notebooks in real kernels (ipykernel, Deno). Writes test-artifacts/suites/python.json.
# Installs what it needs (Debian packages, npm packages, the build) only when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

needed=()
/usr/bin/python3 -c 'import distributed, psutil' 2>/dev/null || needed+=(python3-distributed python3-psutil)
/usr/bin/python3 -c 'import ipykernel, IPython' 2>/dev/null || needed+=(python3-ipykernel)
/usr/bin/python3 -c 'import nbclient, nbformat' 2>/dev/null || needed+=(python3-nbclient python3-nbformat)
/usr/bin/python3 -c 'import ipywidgets' 2>/dev/null || needed+=(python3-ipywidgets)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "python suite: missing ${needed[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f core/dist/notebook/index.js ] || npm run build
# Deno 2.7.14 and its kernelspec are installed by the tests (scripts/install-deno-kernel.mjs, in a
# private XDG_DATA_HOME).

mkdir -p test-artifacts/suites
exec /usr/bin/python3 core/python/tests/run.py --json test-artifacts/suites/python.json
