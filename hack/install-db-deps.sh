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

apt_install_without_services "mariadb" "${PACKAGES[@]}"
have_all || die "installation finished but mariadbd, mariadb-install-db, mariadb or mariadb-dump is still missing"
log "MySQL roles' server ready: $(mariadbd --version 2>/dev/null || /usr/sbin/mariadbd --version)"
