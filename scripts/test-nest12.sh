#!/usr/bin/env bash
# Runs the whole Jest suite (unit, conformance, e2e) on NestJS 12 and Node 24 (`npm run test:nest12`).
# The workspace develops on NestJS 11 because Jest on the system Node 20 cannot load ESM-only Nest 12.
set -euo pipefail
cd "$(dirname "$0")/.."

node24="$(bash scripts/node24.sh)"
overlay=.tmp/nest12
if ! cmp -s test/nest12/package-lock.json "$overlay/package-lock.json" || [ ! -d "$overlay/node_modules" ]; then
  rm -rf "$overlay"
  mkdir -p "$overlay"
  cp test/nest12/package.json test/nest12/package-lock.json test/nest12/.npmrc "$overlay/"
  (cd "$overlay" && PATH="$node24/bin:$PATH" npm ci --no-audit --no-fund --loglevel=error)
fi
EXPECT_NEST_MAJOR=12 NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" \
  "$node24/bin/node" node_modules/jest/bin/jest.js -c jest.nest12.config.js "$@"
