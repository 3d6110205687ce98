#!/usr/bin/env bash
# Local development cluster: a real upstream Kubernetes control plane (v1.34) on 127.0.0.1:
# kube-apiserver with an embedded etcd, plus kube-controller-manager (garbage collection, namespace
# deletion, service accounts, ...) and kube-scheduler, all from one binary built from the Go module
# proxy. One background process: the apiserver's, which supervises the two others as children
# (they die with it). With --with-node also one node (kubelet, containerd, runc, CNI bridge) in a
# network namespace of ours: see hack/dev-cluster/node.sh.
#
# Usage: hack/dev-cluster.sh up|down|restart|status|kubeconfig|build
#   up [--with-node]
#               start (or reuse) the cluster; prints exactly one line on stdout:
#                 export KUBECONFIG=<path>
#               so that `eval "$(hack/dev-cluster.sh up)"` works. --with-node also starts the
#               node (root only; builds the kubelet the first time) and waits until it is Ready.
#   down        stop the node and the cluster and delete their data (certificates are kept)
#   restart     stop the control plane and start it again on the same ports, keeping its data
#               (a fault test: clients see the API server go away and come back)
#   status      print running/stopped; exit 0 if running and healthy, 1 otherwise
#   kubeconfig  print the path of the admin kubeconfig
#   build       only build the server binary (cached by a hash of its sources; the first build
#               takes several minutes); prints its path
#   build-node  the same for the node's kubelet binary (and its small pause binary)
#   load-image OCI_ARCHIVE REF   import an image into the node's containerd (hack/e2e-helm.sh)
#   node-netns  print the node's network namespace name
#
# Environment:
#   CONPAAS_CACHE            cache root (default ~/.cache/conpaas); binary in $CONPAAS_CACHE/bin
#   CONPAAS_DEV_CLUSTER_DIR  state dir (default ~/.cache/conpaas/dev-cluster)
#   CONPAAS_APISERVER_PORT   preferred apiserver port (default 6443; a free one is used if taken)
#   CONPAAS_ETCD_PORT        preferred etcd client port (default 2379; peer port is +1)
#   CONPAAS_DEV_CLUSTER_TIMEOUT  seconds to wait for readiness (default 90)
set -euo pipefail

HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC_DIR="$SCRIPT_DIR/dev-cluster"
CACHE_DIR="${CONPAAS_CACHE:-$HOME/.cache/conpaas}"
STATE_DIR="${CONPAAS_DEV_CLUSTER_DIR:-$HOME/.cache/conpaas/dev-cluster}"
PKI_DIR="$STATE_DIR/pki"
ETCD_DIR="$STATE_DIR/etcd"
LOG_FILE="$STATE_DIR/apiserver.log"
# The child components append to these (the apiserver's process restarts them if they exit).
CM_LOG_FILE="$STATE_DIR/kube-controller-manager.log"
SCHED_LOG_FILE="$STATE_DIR/kube-scheduler.log"
PID_FILE="$STATE_DIR/apiserver.pid"
PORTS_FILE="$STATE_DIR/ports"
KUBECONFIG_FILE="$STATE_DIR/admin.kubeconfig"
TIMEOUT="${CONPAAS_DEV_CLUSTER_TIMEOUT:-90}"
SERVICE_CIDR="10.0.0.0/24"
SERVICE_IP="10.0.0.1"

log() { echo "dev-cluster: $*" >&2; }
# shellcheck source=dev-cluster/node.sh
source "$SRC_DIR/node.sh"
die() { echo "dev-cluster: ERROR: $*" >&2; exit 1; }

# Last lines of the server log plus the lines that usually name the cause.
show_log() {
  tail -n 15 "$LOG_FILE" >&2 2>/dev/null || true
  grep -E '"command failed"|^F[0-9]{4}|^panic:|^etcd:|did not become ready' "$LOG_FILE" 2>/dev/null |
    head -n 5 | sed 's/^/dev-cluster: cause: /' >&2 || true
}

need() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not installed${2:+ ($2)}"
}

# ---------------------------------------------------------------------------------------------
# Binary

# Version stamping as in upstream hack/lib/version.sh; without it the server reports
# "v0.0.0-master+$Format:%H$", which `kubectl version` and client libraries cannot parse.
build_ldflags() {
  local v major minor pkg flags="-s -w"
  v="$(sed -n 's|^[[:space:]]*k8s.io/kubernetes \(v[0-9][^[:space:]]*\).*|\1|p' "$SRC_DIR/go.mod" | head -n1)"
  [[ -n "$v" ]] || die "cannot find the k8s.io/kubernetes version in $SRC_DIR/go.mod"
  major="${v#v}"; major="${major%%.*}"
  minor="${v#v*.}"; minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=clean"
  done
  echo "$flags"
}

# The cache key covers the sources and the build flags.
binary_path() {
  local hash
  hash="$({ cat "$SRC_DIR/main.go" "$SRC_DIR/go.mod" "$SRC_DIR/go.sum"; build_ldflags; } |
    sha256sum | cut -c1-12)"
  echo "$CACHE_DIR/bin/conpaas-devcluster-$hash"
}

ensure_binary() {
  local bin tmp start
  bin="$(binary_path)"
  if [[ -x "$bin" ]]; then
    # The modification time records the last use (see the clean-up below).
    touch "$bin" 2>/dev/null || true
    echo "$bin"
    return
  fi
  need go "Go >= 1.24 builds the kube-apiserver from the module proxy"
  mkdir -p "$(dirname "$bin")"
  tmp="$bin.tmp.$$"
  log "building $(basename "$bin") (kube-apiserver, etcd, kube-controller-manager, kube-scheduler from source; several minutes the first time)..."
  start=$SECONDS
  if ! (cd "$SRC_DIR" && go build -trimpath -ldflags "$(build_ldflags)" -o "$tmp" .) >&2; then
    rm -f "$tmp"
    die "build failed"
  fi
  mv -f "$tmp" "$bin"
  log "built $bin in $((SECONDS - start))s"
  # Drop binaries of other sources (about 120 MB each) unused for a week: other checkouts (branches,
  # worktrees) on this machine may still use theirs, and would rebuild it if it were deleted.
  find "$(dirname "$bin")" -maxdepth 1 -regextype posix-extended -type f ! -name "$(basename "$bin")" \
    -regex '.*/conpaas-devcluster-[0-9a-f]{12}(\.tmp\.[0-9]+)?' -mtime +7 -delete 2>/dev/null || true
  echo "$bin"
}

# ---------------------------------------------------------------------------------------------
# Process state

# Prints the pid if the server process recorded in the pid file is alive and really ours.
running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against pid reuse: the command line must mention our etcd dir.
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--etcd-dir $ETCD_DIR" || return 1
  fi
  echo "$pid"
}

healthy() {
  [[ -f "$KUBECONFIG_FILE" ]] || return 1
  kubectl --kubeconfig "$KUBECONFIG_FILE" --request-timeout=5s get --raw /readyz >/dev/null 2>&1
}

# kube-controller-manager and kube-scheduler answer /healthz, and the controllers run: the
# ServiceAccount controller has created namespace default's ServiceAccount.
components_healthy() {
  local port name
  for name in CONTROLLER_MANAGER_PORT SCHEDULER_PORT; do
    port="$(sed -n "s/^$name=//p" "$PORTS_FILE" 2>/dev/null)"
    [[ -n "$port" ]] || return 1
    [[ "$(curl -ks --max-time 3 "https://127.0.0.1:$port/healthz" 2>/dev/null)" == ok ]] || return 1
  done
  kubectl --kubeconfig "$KUBECONFIG_FILE" --request-timeout=5s -n default get serviceaccount default \
    >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------
# Ports

# 0 if nothing can be bound on 127.0.0.1:$1 (i.e. the port is free).
port_free() {
  local port=$1
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$port" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
  else
    # Nobody accepting a connection is a good enough approximation.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 1; fi
  fi
}

# Prints a free port; with $2=2 also port+1 must be free (etcd client + peer).
pick_port() {
  local preferred=$1 span=${2:-1} p i
  for ((i = 0; i < 200; i++)); do
    if ((i == 0)); then
      p=$preferred
    else
      p=$((20000 + RANDOM % 40000))
    fi
    port_free "$p" || continue
    if ((span == 2)); then port_free $((p + 1)) || continue; fi
    echo "$p"
    return
  done
  die "no free port found on 127.0.0.1"
}

# ---------------------------------------------------------------------------------------------
# PKI (idempotent: existing files are reused)

gen_pki() {
  need openssl
  mkdir -p "$PKI_DIR"
  chmod 700 "$PKI_DIR"
  local d=$PKI_DIR
  if [[ ! -f "$d/ca.crt" || ! -f "$d/ca.key" ]]; then
    log "generating CA"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.crt" \
      -days 3650 -subj "/CN=conpaas-dev-cluster-ca" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
    # A new CA invalidates all leaf certificates.
    rm -f "$d/apiserver.crt" "$d/admin.crt" "$d/controller-manager.crt" "$d/scheduler.crt"
  fi
  if [[ ! -f "$d/apiserver.crt" || ! -f "$d/apiserver.key" ]]; then
    log "generating apiserver serving certificate"
    sign_leaf apiserver "/CN=kube-apiserver" serverAuth \
      "IP:127.0.0.1,DNS:localhost,IP:$SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  fi
  if [[ ! -f "$d/admin.crt" || ! -f "$d/admin.key" ]]; then
    log "generating admin client certificate (CN=admin, O=system:masters)"
    sign_leaf admin "/O=system:masters/CN=admin" clientAuth ""
  fi
  # The user names the bootstrap RBAC policy grants the two components' permissions to.
  if [[ ! -f "$d/controller-manager.crt" || ! -f "$d/controller-manager.key" ]]; then
    log "generating kube-controller-manager client certificate"
    sign_leaf controller-manager "/CN=system:kube-controller-manager" clientAuth ""
  fi
  if [[ ! -f "$d/scheduler.crt" || ! -f "$d/scheduler.key" ]]; then
    log "generating kube-scheduler client certificate"
    sign_leaf scheduler "/CN=system:kube-scheduler" clientAuth ""
  fi
  if [[ ! -f "$d/sa.key" || ! -f "$d/sa.pub" ]]; then
    log "generating service-account key pair"
    openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
    openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  fi
  chmod 600 "$d"/*.key
}

# sign_leaf NAME SUBJECT EKU SANS
sign_leaf() {
  local name=$1 subj=$2 eku=$3 sans=$4 d=$PKI_DIR ext
  ext="$(mktemp)"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [[ -z "$sans" ]] || echo "subjectAltName=$sans"
  } >"$ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$d/$name.key" -out "$d/$name.csr" \
    -subj "$subj" 2>/dev/null
  openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$ext" -out "$d/$name.crt" 2>/dev/null
  rm -f "$ext" "$d/$name.csr"
}

# write_kubeconfig PORT [FILE USER]: a kubeconfig with the client certificate pki/USER.crt
# (default: the admin kubeconfig).
write_kubeconfig() {
  local port=$1 file=${2:-$KUBECONFIG_FILE} user=${3:-admin} tmp
  tmp="$file.tmp.$$"
  cat >"$tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: conpaas-dev
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $(base64 -w0 <"$PKI_DIR/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 <"$PKI_DIR/$user.crt")
    client-key-data: $(base64 -w0 <"$PKI_DIR/$user.key")
contexts:
- name: conpaas-dev
  context:
    cluster: conpaas-dev
    user: $user
    namespace: default
current-context: conpaas-dev
EOF
  chmod 600 "$tmp"
  mv -f "$tmp" "$file"
}

# ---------------------------------------------------------------------------------------------
# Commands

cmd_up() {
  local with_node=""
  case "${1:-}" in
    --with-node) with_node=1 ;;
    "") ;;
    *) die "unknown option: $1" ;;
  esac
  cmd_up_control_plane
  [[ -z "$with_node" ]] || node_up
  echo "export KUBECONFIG=$KUBECONFIG_FILE"
}

cmd_up_control_plane() {
  need kubectl
  need curl
  mkdir -p "$STATE_DIR"
  local pid
  if pid="$(running_pid)"; then
    if healthy && components_healthy; then
      log "reusing running cluster (pid $pid, $(server_url))"
      return
    fi
    log "process $pid is alive but not healthy (or started without the controller-manager and scheduler); restarting it (log: $LOG_FILE)"
    stop_pid "$pid"
  fi
  rm -f "$PID_FILE"

  local bin
  bin="$(ensure_binary)"
  gen_pki

  # Two control planes starting at once (the IT forks of one `mvn verify`) would both find 6443 free
  # and one server would then fail to bind it: ports are picked and held under a machine-wide lock
  # until this server answers. Fd 9 is closed for the server itself, or it would hold the lock forever.
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/dev-cluster-ports.lock"
  flock -w 300 9 || die "another dev cluster held $CACHE_DIR/dev-cluster-ports.lock for 300s"

  # Prefer the ports of the previous run (keeps an existing etcd data dir consistent).
  local prev_api="" prev_etcd="" api_port etcd_port
  if [[ -f "$PORTS_FILE" ]]; then
    prev_api="$(sed -n 's/^APISERVER_PORT=//p' "$PORTS_FILE")"
    prev_etcd="$(sed -n 's/^ETCD_PORT=//p' "$PORTS_FILE")"
  fi
  api_port="$(pick_port "${CONPAAS_APISERVER_PORT:-${prev_api:-6443}}")"
  etcd_port="$(pick_port "${CONPAAS_ETCD_PORT:-${prev_etcd:-2379}}" 2)"
  if [[ "$etcd_port" == "$api_port" || $((etcd_port + 1)) == "$api_port" ]]; then
    etcd_port="$(pick_port 0 2)"
  fi
  if [[ -d "$ETCD_DIR" && -n "$prev_etcd" && "$prev_etcd" != "$etcd_port" ]]; then
    log "etcd port changed ($prev_etcd -> $etcd_port); discarding old etcd data"
    rm -rf "$ETCD_DIR"
  fi
  # The two components serve /healthz on ports of their own (several dev clusters share a machine).
  local cm_port sched_port taken=" $api_port $etcd_port $((etcd_port + 1)) "
  cm_port="$(pick_port 10257)"
  while [[ "$taken" == *" $cm_port "* ]]; do cm_port="$(pick_port 0)"; done
  taken+="$cm_port "
  sched_port="$(pick_port 10259)"
  while [[ "$taken" == *" $sched_port "* ]]; do sched_port="$(pick_port 0)"; done
  printf 'APISERVER_PORT=%s\nETCD_PORT=%s\nCONTROLLER_MANAGER_PORT=%s\nSCHEDULER_PORT=%s\n' \
    "$api_port" "$etcd_port" "$cm_port" "$sched_port" >"$PORTS_FILE"
  write_kubeconfig "$api_port"
  write_kubeconfig "$api_port" "$STATE_DIR/controller-manager.kubeconfig" controller-manager
  write_kubeconfig "$api_port" "$STATE_DIR/scheduler.kubeconfig" scheduler

  [[ ! -f "$LOG_FILE" ]] || mv -f "$LOG_FILE" "$LOG_FILE.prev"
  local f
  for f in "$CM_LOG_FILE" "$SCHED_LOG_FILE"; do
    [[ ! -f "$f" ]] || mv -f "$f" "$f.prev"
  done
  local p=$PKI_DIR cmk="$STATE_DIR/controller-manager.kubeconfig" sk="$STATE_DIR/scheduler.kubeconfig"
  local args=(
    --etcd-dir "$ETCD_DIR" --etcd-port "$etcd_port" --log-dir "$STATE_DIR" --
    --bind-address=127.0.0.1
    --secure-port="$api_port"
    --advertise-address=127.0.0.1
    --etcd-servers="http://127.0.0.1:$etcd_port"
    --client-ca-file="$p/ca.crt"
    --tls-cert-file="$p/apiserver.crt"
    --tls-private-key-file="$p/apiserver.key"
    --service-account-issuer=https://kubernetes.default.svc
    --service-account-key-file="$p/sa.pub"
    --service-account-signing-key-file="$p/sa.key"
    --authorization-mode=Node,RBAC
    # For logs and exec on the node (--with-node).
    --kubelet-client-certificate="$p/admin.crt"
    --kubelet-client-key="$p/admin.key"
    --kubelet-preferred-address-types=InternalIP
    --service-cluster-ip-range="$SERVICE_CIDR"
    --allow-privileged=true
    --cert-dir="$STATE_DIR/cert-dir"
    # The "kubernetes" Endpoints may not point to a loopback address (validation error every 10 s),
    # and there are no pods that could use it anyway.
    --endpoint-reconciler-type=none
    --profiling=false
    ::kube-controller-manager
    --kubeconfig="$cmk" --authentication-kubeconfig="$cmk" --authorization-kubeconfig="$cmk"
    --bind-address=127.0.0.1
    --secure-port="$cm_port"
    --cert-dir="$STATE_DIR/cert-dir-controller-manager"
    # One instance: no lease to wait for after a restart.
    --leader-elect=false
    # As kubeadm does: each controller acts as its own ServiceAccount (RBAC as on a real cluster).
    --use-service-account-credentials=true
    --service-account-private-key-file="$p/sa.key"
    --root-ca-file="$p/ca.crt"
    --cluster-signing-cert-file="$p/ca.crt"
    --cluster-signing-key-file="$p/ca.key"
    --profiling=false
    ::kube-scheduler
    --kubeconfig="$sk" --authentication-kubeconfig="$sk" --authorization-kubeconfig="$sk"
    --bind-address=127.0.0.1
    --secure-port="$sched_port"
    --cert-dir="$STATE_DIR/cert-dir-scheduler"
    --leader-elect=false
    --profiling=false
  )
  log "starting kube-apiserver on https://127.0.0.1:$api_port (etcd 127.0.0.1:$etcd_port, log: $LOG_FILE)"
  local start=$SECONDS
  # setsid + nohup: the server survives the end of this script and of its terminal/CI step.
  # The inner shell writes its own pid and then execs the server (same pid).
  # shellcheck disable=SC2016
  setsid nohup bash -c 'echo $$ >"$0.tmp" && mv -f "$0.tmp" "$0" && exec "$@"' "$PID_FILE" "$bin" "${args[@]}" \
    </dev/null >"$LOG_FILE" 2>&1 9>&- &
  disown 2>/dev/null || true

  local deadline=$((SECONDS + TIMEOUT)) ready=""
  while ((SECONDS < deadline)); do
    sleep 0.5
    if [[ ! -f "$PID_FILE" ]] && ((SECONDS - start > 15)); then
      show_log
      die "kube-apiserver did not start (log: $LOG_FILE)"
    fi
    if [[ -f "$PID_FILE" ]] && ! running_pid >/dev/null; then
      # The pid file exists but the process is gone: it died.
      show_log
      die "kube-apiserver exited during startup (full log: $LOG_FILE)"
    fi
    if healthy && kubectl --kubeconfig "$KUBECONFIG_FILE" --request-timeout=5s \
      get namespace default >/dev/null 2>&1 && components_healthy; then
      ready=1
      break
    fi
  done
  if [[ -z "$ready" ]]; then
    show_log
    tail -n 5 "$CM_LOG_FILE" "$SCHED_LOG_FILE" >&2 2>/dev/null || true
    die "cluster not ready after ${TIMEOUT}s (logs: $STATE_DIR/*.log); run '$0 down' to clean up"
  fi
  exec 9>&-
  log "cluster ready in $((SECONDS - start))s (pid $(cat "$PID_FILE"), https://127.0.0.1:$api_port)"
}

server_url() {
  sed -n 's/^ *server: //p' "$KUBECONFIG_FILE" 2>/dev/null | head -n1
}

stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do # up to 30 s for a graceful shutdown
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid did not stop after 30s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  die "could not stop pid $pid"
}

cmd_down() {
  local pid
  node_down
  if pid="$(running_pid)"; then
    log "stopping cluster (pid $pid)"
    stop_pid "$pid"
  else
    log "cluster is not running"
  fi
  rm -f "$PID_FILE"
  rm -rf "$ETCD_DIR"
  log "stopped; etcd data removed (certificates kept in $PKI_DIR)"
}

cmd_restart() {
  local pid
  if pid="$(running_pid)"; then
    log "stopping the control plane (pid $pid), keeping etcd data"
    stop_pid "$pid"
  fi
  rm -f "$PID_FILE"
  cmd_up_control_plane
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    if healthy && components_healthy; then
      echo "running (pid $pid, $(server_url), KUBECONFIG=$KUBECONFIG_FILE)"
      return 0
    fi
    echo "unhealthy (pid $pid alive, /readyz or a component's /healthz not ok; logs: $STATE_DIR/*.log)"
    return 1
  fi
  echo "stopped"
  return 1
}

case "${1:-}" in
  up) cmd_up "${2:-}" ;;
  down) cmd_down ;;
  restart) cmd_restart ;;
  status) cmd_status ;;
  kubeconfig) echo "$KUBECONFIG_FILE" ;;
  build) ensure_binary ;;
  build-node) ensure_node_binaries ;;
  node-netns) echo "$NODE_NETNS" ;;
  load-image)
    # load-image OCI_ARCHIVE REF: imports an OCI archive (hack/build-image.sh) into the node's containerd as REF.
    [[ $# == 3 ]] || die "usage: $0 load-image OCI_ARCHIVE REF"
    node_load_image "$2" "$3"
    ;;
  *)
    echo "usage: $0 up [--with-node]|down|restart|status|kubeconfig|build|load-image ARCHIVE REF" >&2
    exit 2
    ;;
esac
