#!/usr/bin/env bash
# Installs the `kubectl conpaas` plugin: an executable `kubectl-conpaas` wrapper on PATH (kubectl
# runs any `kubectl-NAME` it finds on PATH as `kubectl NAME`) that runs this work tree's jar.
#
# Usage: hack/install-plugin.sh [DIR]
#   DIR  where to put the wrapper (default: ${PREFIX:-/usr/local/bin})
# Builds kubectl-plugin/target/kubectl-conpaas.jar first if it is missing. Safe to run again:
# the wrapper is replaced atomically. Later builds of the jar need no reinstall.
# Without installing: java -jar kubectl-plugin/target/kubectl-conpaas.jar COMMAND ...
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JAR="$CONPAAS_ROOT/kubectl-plugin/target/kubectl-conpaas.jar"
DEST="${1:-${PREFIX:-/usr/local/bin}}"

if [[ ! -f "$JAR" ]]; then
  command -v mvn >/dev/null 2>&1 || die "mvn is needed to build $JAR"
  log "building $JAR"
  if grep -q '<module>kubectl-plugin</module>' "$CONPAAS_ROOT/pom.xml"; then
    (cd "$CONPAAS_ROOT" && mvn -B -q -DskipTests -pl kubectl-plugin -am install) >&2
  else
    # The module is not in the root reactor: install what it depends on, then build it alone.
    (cd "$CONPAAS_ROOT" && mvn -B -q -DskipTests install &&
      mvn -B -q -DskipTests -f kubectl-plugin/pom.xml install) >&2
  fi
  [[ -f "$JAR" ]] || die "the build did not produce $JAR"
fi
command -v java >/dev/null 2>&1 || log "warning: no java on PATH; the plugin needs Java 17 or later"

mkdir -p "$DEST"
tmp="$(mktemp "$DEST/.kubectl-conpaas.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
{
  echo '#!/bin/sh'
  echo "# kubectl conpaas, installed by $CONPAAS_ROOT/hack/install-plugin.sh"
  printf 'exec java -jar %q "$@"\n' "$JAR"
} >"$tmp"
chmod 0755 "$tmp"
mv -f "$tmp" "$DEST/kubectl-conpaas"
trap - EXIT
log "installed $DEST/kubectl-conpaas (runs $JAR)"
case ":$PATH:" in
  *":$DEST:"*) ;;
  *) log "note: $DEST is not on PATH; add it so that 'kubectl conpaas' finds the plugin" ;;
esac
