#!/usr/bin/env bash
# Debian packages the tests and benchmarks use. Installs only what is missing; needs root (CI is root).
set -euo pipefail
needed=()
/usr/bin/python3 -c 'import distributed' 2>/dev/null || needed+=(python3-distributed python3-psutil)
# Debian's Chromium for the dashboard's browser tests and bench (playwright-core drives it; no browser is downloaded).
[ -x /usr/bin/chromium ] || needed+=(chromium)
# openssl makes the throwaway certificate authority of the TLS tests.
command -v openssl >/dev/null || needed+=(openssl)
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "install-system-packages: missing ${needed[*]}; run as root or install them with apt-get" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
