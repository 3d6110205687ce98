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

apt_install_without_services "nginx php8.2-fpm" "${PACKAGES[@]}"
have_all || die "installation finished but nginx, php-fpm8.2, php or Tomcat 10 is still missing"
log "web roles' servers ready: $(nginx -v 2>&1), $(php-fpm8.2 -v | head -1 | cut -d' ' -f1-2), Tomcat 10"
