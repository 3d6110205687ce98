# Shared helpers for the hack/ scripts (sourced, not run).
CONPAAS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONPAAS_CACHE="${CONPAAS_CACHE:-$HOME/.cache/conpaas}"
OPERATOR_JAR="$CONPAAS_ROOT/operator/target/conpaas-operator.jar"
AGENT_JAR="$CONPAAS_ROOT/agent-runtime/target/conpaas-agent.jar"
PLUGIN_JAR="$CONPAAS_ROOT/kubectl-plugin/target/kubectl-conpaas.jar"

log() { echo "${0##*/}: $*" >&2; }
die() { echo "${0##*/}: ERROR: $*" >&2; exit 1; }

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Builds the jars when they are missing or older than any source file.
ensure_built() {
  local stale="" jar
  for jar in "$OPERATOR_JAR" "$AGENT_JAR" "$PLUGIN_JAR"; do
    if [[ ! -f "$jar" || -n "$(find "$CONPAAS_ROOT" -path '*/src/*' -newer "$jar" -print -quit)" ]]; then
      stale=yes
    fi
  done
  if [[ -n "$stale" ]]; then
    log "building (mvn -DskipTests package; a minute or two the first time)"
    # One build at a time: two scripts shading the same jars at once break each other.
    mkdir -p "$CONPAAS_CACHE"
    (cd "$CONPAAS_ROOT" && flock "$CONPAAS_CACHE/build.lock" mvn -B -q -DskipTests package) >&2
  fi
}

# Starts the dev control plane (or reuses it) and installs the generated CRDs.
cluster_with_crds() {
  eval "$("$CONPAAS_ROOT/hack/dev-cluster.sh" up)"
  export KUBECONFIG
  kubectl apply --server-side --force-conflicts -f "$CONPAAS_ROOT/helm/conpaas/crds/" >/dev/null
  kubectl wait --for condition=established --timeout=60s -f "$CONPAAS_ROOT/helm/conpaas/crds/" >/dev/null
  # The admission policy that lets only callers who may update a service upload code to it.
  kubectl apply --server-side --force-conflicts -f "$CONPAAS_ROOT/helm/conpaas/templates/codeupload-policy.yaml" >/dev/null
}

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

# The local cloud's directory of the operator whose state is in $1. Agents running as root drop
# their web servers to www-data, which must be able to reach it: not so under /root (mode 700),
# so root's local clouds live under /var/lib/conpaas.
local_cloud_dir() {
  if [[ $EUID -eq 0 && "$1" == /root/* ]]; then
    echo "/var/lib/conpaas/local-clouds/$(basename "$1")"
  else
    echo "$1/local-cloud"
  fi
}

# Installs Debian packages ($2...) without letting their system services start: agents run their
# own servers (nor may a service hold port 80 or 3306). policy-rc.d answering 101 is Debian's
# documented way; ours is removed again, an existing one is left alone. Where a running init
# started a service anyway, the services named in $1 (space-separated) are stopped and disabled.
apt_install_without_services() {
  local services=$1 policy=/usr/sbin/policy-rc.d ours="" rc=0
  shift
  export DEBIAN_FRONTEND=noninteractive
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    ours=yes
  fi
  log "installing Debian packages: $*"
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }; then
    rc=1
  fi
  [[ -z "$ours" ]] || rm -f "$policy"
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    # shellcheck disable=SC2086 # a list of unit names
    systemctl disable --now $services >/dev/null 2>&1 || true
  fi
  return "$rc"
}

# One end-to-end step: runs the command with its output in $STEP_LOG, prints "ok   - what" or
# "FAIL - what" and the log's last lines, and counts into the caller's passed/failed.
check() { # check "description" command...
  local what=$1
  shift
  if "$@" >"$STEP_LOG" 2>&1; then
    passed=$((passed + 1))
    echo "ok   - $what"
  else
    failed=$((failed + 1))
    echo "FAIL - $what"
    sed 's/^/       /' "$STEP_LOG" | tail -n 20
  fi
}

