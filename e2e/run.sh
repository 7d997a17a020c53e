#!/usr/bin/env bash
# The end-to-end tests: widget.test.mjs (the widget in a browser), streaming.test.mjs (its answer
# streamed from an LLM), richtext.test.mjs (answers as safe rich text), feedback.test.mjs (a thumbs
# down from the widget to the owner's gaps), identity.test.mjs (a signed-in visitor on two devices),
# dashboard.test.mjs (the owner dashboard at /app/), pipeline.test.mjs (the event pipeline through
# all four services), live.test.mjs (the owner's live updates across two chat-api replicas),
# documents.test.mjs (an uploaded document answers and closes a gap). They need the built jars (mvn
# package or verify), the local PostgreSQL and Kafka (./clara up or ./clara test start them) and
# what setup.sh installs.
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
bash "$E2E/setup.sh"
cd "$E2E"
exec node --test --test-concurrency=1 widget.test.mjs streaming.test.mjs richtext.test.mjs feedback.test.mjs identity.test.mjs dashboard.test.mjs pipeline.test.mjs live.test.mjs documents.test.mjs
