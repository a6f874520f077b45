# Shared shell helpers for scripts/*.sh. Sourced, never run.
# Makes pnpm 12.4.2 available without a global install: a machine with Node 20 and npm is enough.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PNPM_VERSION="12.4.2"
export TURBO_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1

ensure_node() {
  if ! command -v node >/dev/null 2>&1; then
    echo "mailroom: Node.js 20 or newer is required (https://nodejs.org); install it and run again." >&2
    exit 1
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then
    echo "mailroom: Node.js $(node -v) is too old; Node.js 20 or newer is required." >&2
    exit 1
  fi
}

ensure_pnpm() {
  ensure_node
  if [ "$(pnpm --version 2>/dev/null || true)" = "$PNPM_VERSION" ]; then
    PNPM="pnpm"
  else
    if [ "$("$ROOT/.tools/node_modules/.bin/pnpm" --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
      echo "mailroom: installing pnpm $PNPM_VERSION into .tools/" >&2
      npm install --silent --no-audit --no-fund --prefix "$ROOT/.tools" -E "pnpm@$PNPM_VERSION" >&2
    fi
    PNPM="$ROOT/.tools/node_modules/.bin/pnpm"
    export PATH="$ROOT/.tools/node_modules/.bin:$PATH"
  fi
}

pnpm_install() {
  ensure_pnpm
  (cd "$ROOT" && "$PNPM" install --frozen-lockfile --reporter=append-only)
}
