#!/usr/bin/env bash
# Installs the MySQL service roles' server from Debian's packages (idempotent): MariaDB (mariadbd,
# mariadb-install-db, and the mariadb / mariadb-dump clients). Each agent runs its own mariadbd with its own
# datadir, socket and configuration under its role directory, so the package's system service is neither
# started nor enabled.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PACKAGES=(mariadb-server mariadb-client)

# A non-root PATH may lack the sbin directories, where mariadbd lives.
have() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]]; }
have_all() { have mariadbd && have mariadb-install-db && have mariadb && have mariadb-dump; }

if have_all; then
  log "MySQL roles' server already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Agents start their own mariadbd; the package's service must not start (nor hold port 3306).
# policy-rc.d answering 101 is Debian's documented way; ours is removed again, an existing one is left alone.
POLICY=/usr/sbin/policy-rc.d
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\nexit 101\n' > "$POLICY"
  chmod 755 "$POLICY"
  trap 'rm -f "$POLICY"' EXIT
fi

log "installing Debian packages: ${PACKAGES[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null

# Where the service did start (a machine with a running init), stop and disable it: agents run their own.
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  systemctl disable --now mariadb >/dev/null 2>&1 || true
fi
have_all || die "installation finished but mariadbd, mariadb-install-db, mariadb or mariadb-dump is still missing"
log "MySQL roles' server ready: $(mariadbd --version 2>/dev/null || /usr/sbin/mariadbd --version)"
