#!/usr/bin/env bash
# Browser tests of the desk. Needs Debian's chromium and node; `npm ci` in this folder (run here
# when node_modules is missing). Builds the recount binary, then runs the tests with node's runner.
# RECOUNT_SCREENSHOTS=DIR also saves screenshots of the main pages (docs/screenshots uses them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cd "$repo"
cargo build -p recount-cli --bin recount
target="${CARGO_TARGET_DIR:-$repo/target}"
export RECOUNT_BIN="$target/debug/recount"
cd "$here"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
node --test --test-concurrency=1 desk.test.mjs
