#!/usr/bin/env bash
# What the end-to-end tests need, installed only when missing: Debian's chromium (/usr/bin/chromium),
# Debian's kcat (the analysts' Kafka reader) and e2e/node_modules from the lock file (playwright-core,
# which never downloads a browser; ajv for the JSON Schemas).
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 "$@"; }
apt_install() { # refresh the package lists only when apt does not know a package yet
  local p
  for p; do
    if [[ $(apt-cache policy "$p" 2>/dev/null) != *"Candidate: "[0-9]* ]]; then apt_get update -qq; break; fi
  done
  apt_get install -y "$@" > /dev/null
}

if [[ ! -x /usr/bin/chromium ]]; then
  echo "e2e: apt-get install chromium"
  apt_install chromium
fi
if ! command -v kcat > /dev/null; then
  echo "e2e: apt-get install kcat"
  apt_install kcat
fi
if ! command -v npm > /dev/null; then
  echo "e2e: apt-get install nodejs npm"
  apt_install nodejs npm
fi
# playwright-core and `node --test --test-concurrency` need Node.js 20; Debian 12's own package is 18
if (( $(node -p 'process.versions.node.split(".")[0]') < 20 )); then
  echo "e2e: Node.js 20 or newer is needed, this is $(node --version); install a newer Node.js first" >&2
  exit 1
fi
# npm ci leaves node_modules/.package-lock.json newer than the lock file it installed
if [[ ! "$E2E/node_modules/.package-lock.json" -nt "$E2E/package-lock.json" ]]; then
  echo "e2e: npm ci"
  (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)
fi
