#!/usr/bin/env bash
# The one test command: installs what the tests need (Debian packages, pnpm,
# dependencies), then lints, typechecks, builds and runs every test of every
# package against real services. Exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/system-deps.sh"
cd "$ROOT"

ensure_system_packages
pnpm_install

echo "== lint" >&2
"$PNPM" run lint
echo "== typecheck + build" >&2
"$PNPM" exec turbo run typecheck build
echo "== test" >&2
# One package at a time: the integration suites start Dovecot, PostgreSQL and Chromium and
# assert push latencies in seconds; two suites at once on a 2-core machine made the OAuth
# engine test miss its 5 s resume bound once.
find . -name .vitest-report.json -not -path '*/node_modules/*' -delete
status=0
"$PNPM" exec turbo run test --concurrency=1 --continue -- \
  --reporter=default --reporter=json --outputFile.json=.vitest-report.json || status=$?
node scripts/test-summary.mjs || status=1
exit "$status"
