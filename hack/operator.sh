#!/usr/bin/env bash
# Runs the operator jar beside the dev control plane (not in a pod): start|stop|status|logs.
#
#   start   start it (or keep the running one); waits for /readyz
#   stop    stop it (agents on the local cloud keep running, like VMs: delete services first)
#   status  running or stopped (exit 0/1)
#   logs    the log file's path
#
# Environment: CONPAAS_OPERATOR_DIR (state: pid, port, log, local cloud; default
# ~/.cache/conpaas/operator), KUBECONFIG (default: the dev cluster's), and any operator setting
# such as CONPAAS_AGENT_HEALTH_TIMEOUT, CONPAAS_AGENT_MAX_ATTEMPTS, CONPAAS_NAMESPACES.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE="${CONPAAS_OPERATOR_DIR:-$CONPAAS_CACHE/operator}"
PID_FILE="$STATE/operator.pid"
LOG_FILE="$STATE/operator.log"

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  kill -0 "$pid" 2>/dev/null && grep -q conpaas-operator "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

cmd_start() {
  if pid=$(running_pid); then
    log "operator already running (pid $pid, log $LOG_FILE)"
    return
  fi
  ensure_built
  mkdir -p "$STATE"
  : "${KUBECONFIG:=$("$CONPAAS_ROOT/hack/dev-cluster.sh" kubeconfig)}"
  local port work_dir
  port=$(free_port)
  work_dir="${CONPAAS_LOCAL_WORK_DIR:-$(local_cloud_dir "$STATE")}"
  mkdir -p "$work_dir" && chmod 755 "$work_dir"
  echo "$port" > "$STATE/health.port"
  log "starting operator (log $LOG_FILE)"
  KUBECONFIG="$KUBECONFIG" \
  CONPAAS_HEALTH_PORT="$port" \
  CONPAAS_LOCAL_AGENT_JAR="${CONPAAS_LOCAL_AGENT_JAR:-$AGENT_JAR}" \
  CONPAAS_LOCAL_WORK_DIR="$work_dir" \
  CONPAAS_CODE_STORE_DIR="${CONPAAS_CODE_STORE_DIR:-$STATE/code-store}" \
  CONPAAS_UPLOAD_PORT="${CONPAAS_UPLOAD_PORT:-0}" \
    setsid nohup java ${CONPAAS_OPERATOR_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m -Xss512k} -jar "$OPERATOR_JAR" \
      >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
      log "operator ready (pid $(cat "$PID_FILE"), probes on 127.0.0.1:$port)"
      return
    fi
    running_pid >/dev/null || { tail -n 30 "$LOG_FILE" >&2; die "operator exited during start"; }
    sleep 0.5
  done
  tail -n 30 "$LOG_FILE" >&2
  die "operator not ready after 60s"
}

cmd_stop() {
  local pid
  if pid=$(running_pid); then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    log "operator stopped"
  else
    log "operator not running"
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) if pid=$(running_pid); then echo "running (pid $pid, log $LOG_FILE)"; else echo stopped; exit 1; fi ;;
  logs) echo "$LOG_FILE" ;;
  *) echo "usage: $0 start|stop|status|logs" >&2; exit 2 ;;
esac
