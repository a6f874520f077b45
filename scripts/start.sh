#!/usr/bin/env bash
# The one start command: installs dependencies, builds the admin app and starts
# Mailroom all-in-one (API + admin app + ingestion engine) on the embedded
# database in ./.data. Extra arguments go to `mailroom start`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
pnpm_install
"$PNPM" exec turbo run build --output-logs=errors-only
exec "$PNPM" run --silent mailroom start "$@"
