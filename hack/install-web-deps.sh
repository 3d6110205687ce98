#!/usr/bin/env bash
# Installs the web-hosting roles' servers from Debian's packages (idempotent): nginx (proxy, web and the PHP
# backend's front), php-fpm + php-cli (PhpService backend) and Tomcat 10 (JavaService backend). Each agent runs
# its own instances of these with its own configuration directory, so no system service is started or enabled:
# Tomcat comes from tomcat10-common (catalina.sh, bootstrap.jar and the libraries) without the tomcat10 service.
# php8.2-mysql: PDO/mysqli for PHP code that uses a MysqlService. procps brings kill (graceful reloads are signals) and util-linux setpriv (Tomcat drops root with it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PACKAGES=(nginx php8.2-fpm php8.2-cli php8.2-mysql tomcat10-common procps util-linux)

# A non-root PATH may lack the sbin directories, where nginx and php-fpm live.
have() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]]; }
have_all() {
  have nginx && have php-fpm8.2 && have php && have kill && have setpriv \
    && [[ -f /usr/share/tomcat10/bin/bootstrap.jar ]] && php -m 2>/dev/null | grep -qi '^pdo_mysql$'
}

if have_all; then
  log "web roles' servers already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Agents start their own nginx/php-fpm; the packages' system services must not start (nor hold port 80).
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

# Where a service did start (a machine with a running init), stop and disable it: agents run their own.
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  systemctl disable --now nginx php8.2-fpm >/dev/null 2>&1 || true
fi
have_all || die "installation finished but nginx, php-fpm8.2, php or Tomcat 10 is still missing"
log "web roles' servers ready: $(nginx -v 2>&1), $(php-fpm8.2 -v | head -1 | cut -d' ' -f1-2), Tomcat 10"
