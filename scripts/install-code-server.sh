#!/usr/bin/env bash
# install-code-server.sh [PREFIX]: code-server 4.100.3 (a real VS Code 1.100.3 server with its web
# workbench) for the VS Code extension's tests, into its own gitignored prefix, offline (npm only).
# Idempotent: a second run with the same version in place returns at once.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${1:-.vscode-test/code-server}
CS_VERSION=4.100.3
CS="$PREFIX/node_modules/.bin/code-server"
if [ -x "$CS" ] && "$CS" --version 2>/dev/null | grep -q "^$CS_VERSION "; then
  echo "code-server $CS_VERSION already in $PREFIX"
  exit 0
fi
need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v chromium >/dev/null || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev) # the kerberos addon needs gssapi/gssapi.h
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${need[@]}" >/dev/null
fi
# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the archive: seed it
# with Debian's rg.
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TGZ" ]; then
  mkdir -p "$RG_CACHE"
  t=$(mktemp -d)
  cp "$(command -v rg)" "$t/rg"
  tar czf "$RG_TGZ.part" -C "$t" rg && mv "$RG_TGZ.part" "$RG_TGZ"
  rm -rf "$t"
fi
mkdir -p "$PREFIX"
[ -f "$PREFIX/package.json" ] || echo '{"name":"code-server-host","private":true}' >"$PREFIX/package.json"
# unsafe_perm: code-server's postinstall refuses root without it; yes: node-pty's postinstall runs
# `npx node-gyp` (npx would ask); nodedir: build native addons against /usr/include/node, no download.
npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
  npm install --prefix "$PREFIX" --no-audit --no-fund --no-save --loglevel=error "code-server@$CS_VERSION"
"$CS" --version
