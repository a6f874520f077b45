# Installs the Debian packages the integration tests run for real: Dovecot
# (IMAP), PostgreSQL (second database engine), Chromium (admin app e2e) and
# openssl (test certificates). Sourced by scripts/test.sh. Installs when it can
# (root or password-less sudo) and otherwise stops with one line saying what to
# install: tests never skip because a service is missing.

need_packages() {
  local missing=()
  [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
  printf '%s\n' "${missing[@]}"
}

ensure_system_packages() {
  local missing
  mapfile -t missing < <(need_packages | sed '/^$/d')
  [ "${#missing[@]}" -eq 0 ] && return 0
  local apt=(apt-get)
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      apt=(sudo -n apt-get)
    else
      echo "mailroom: the tests need these Debian packages: ${missing[*]} — install them (sudo apt-get install ${missing[*]}) or run as root." >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "mailroom: the tests need ${missing[*]} and this machine has no apt-get; install them with your package manager." >&2
    exit 1
  fi
  echo "mailroom: installing ${missing[*]}" >&2
  "${apt[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  mapfile -t missing < <(need_packages | sed '/^$/d')
  if [ "${#missing[@]}" -ne 0 ]; then
    echo "mailroom: still missing after install: ${missing[*]}" >&2
    exit 1
  fi
}
