#!/usr/bin/env bash
# Benchmark of the first slice (prints numbers; not a test): time from `kubectl apply` of a
# HelloWorldService to state RUNNING, for 1 and for 10 agents on the local cloud, and the
# operator's peak RSS. Runs on its own dev control plane and operator, torn down at the end.
#
# Environment: ROUNDS (default 3) applies per size; the median is reported.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

ROUNDS="${ROUNDS:-3}"
NS=conpaas-bench
export CONPAAS_DEV_CLUSTER_DIR="$CONPAAS_CACHE/bench-cluster"
export CONPAAS_APISERVER_PORT="${CONPAAS_BENCH_APISERVER_PORT:-16443}"
export CONPAAS_ETCD_PORT="${CONPAAS_BENCH_ETCD_PORT:-12379}"
export CONPAAS_OPERATOR_DIR="$CONPAAS_CACHE/bench-operator"
export CONPAAS_NAMESPACES="$NS"

cleanup() {
  hack/operator.sh stop >/dev/null 2>&1 || true
  hack/dev-cluster.sh down >/dev/null 2>&1 || true
  rm -rf "$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")"
}
trap cleanup EXIT

ensure_built
cluster_with_crds
rm -rf "$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")"
hack/operator.sh start
OPERATOR_PID=$(cat "$CONPAAS_OPERATOR_DIR/operator.pid")

kubectl create namespace "$NS" >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: conpaas.io/v1alpha1
kind: Cloud
metadata: {name: bench-local}
spec: {provider: local}
---
apiVersion: conpaas.io/v1alpha1
kind: Application
metadata: {name: bench, namespace: $NS}
spec: {cloud: bench-local}
YAML

# One apply → RUNNING measurement in milliseconds.
measure() {
  local nodes=$1 t0 t1
  t0=$(now_ms)
  kubectl apply -f - >/dev/null <<YAML
apiVersion: conpaas.io/v1alpha1
kind: HelloWorldService
metadata: {name: hw$nodes, namespace: $NS}
spec: {application: bench, message: bench, agents: {nodes: $nodes}}
YAML
  kubectl -n "$NS" wait --for=jsonpath='{.status.state}'=RUNNING "helloworldservice/hw$nodes" --timeout=300s >/dev/null
  t1=$(now_ms)
  echo $((t1 - t0))
  kubectl -n "$NS" delete helloworldservice "hw$nodes" --wait=true --timeout=300s >/dev/null
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "apply -> RUNNING on the local cloud ($ROUNDS rounds each, $(nproc) cores)"
for nodes in 1 10; do
  times=()
  for ((r = 1; r <= ROUNDS; r++)); do
    times+=("$(measure "$nodes")")
  done
  printf '  %2d agent(s): median %5d ms   (runs: %s ms)\n' "$nodes" \
    "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}"
done
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$OPERATOR_PID/status")
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$OPERATOR_PID/status")
printf '  operator peak RSS: %d MiB (now %d MiB)\n' $((hwm_kb / 1024)) $((rss_kb / 1024))
