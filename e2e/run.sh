#!/usr/bin/env bash
# The widget's browser test (widget.test.mjs): needs the built jars (mvn package or verify), the
# local PostgreSQL (./clara up or ./clara test start it) and what setup.sh installs.
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
bash "$E2E/setup.sh"
cd "$E2E"
exec node --test --test-concurrency=1 widget.test.mjs
