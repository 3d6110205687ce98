#!/usr/bin/env bash
# Scale benchmark (issue 16; prints numbers, not a test): one operator (the jar as a process), the
# dev control plane, SERVICES HelloWorldServices x AGENTS agents on the simulated Cloud. For three
# phases -- apply of all -> all RUNNING, a 10% scale-up (AGENTS -> AGENTS+AGENTS/10 each), deleting
# everything -> no Agent and no VM left -- it prints the wall time, API-server requests per second by
# verb (apiserver_request_total), cloud calls by API (the operator's conpaas_cloud_api_calls), and at
# the end the operator's peak RSS and heap and reconcile latency p50/p99 per controller.
#
# Environment: SERVICES (default 100), AGENTS (default 10), BOOT_SECONDS (2), DESCRIBE_LAG (1),
# RUN_BURST/RUN_RATE (RunInstances bucket, default 1000/500: unthrottled, see the README; EC2's is 5/2),
# OPERATOR_JAVA_OPTS (default -XX:+UseSerialGC -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m; MALLOC_ARENA_MAX 2),
# TIMEOUT seconds per phase (900), PHASES (all; "apply": only apply -> all RUNNING, as CI's smoke run does),
# HEAP_HISTO (a file: the operator's live-object histogram, jmap -histo:live, after the last phase),
# CI's regression guards (exit 1 when exceeded, checked after the run):
#   SMOKE_MAX_CONVERGE_S         wall time of the apply phase (loose: it depends on the machine's load),
#   SMOKE_MAX_WRITES_PER_AGENT   API-server writes (POST, PUT, PATCH, APPLY, DELETE) of the apply phase per
#                                agent (load-independent: catches status-patch storms and retry loops),
#   SMOKE_MAX_LIST_CALLS_PER_MIN cloud list calls per minute of the apply phase (must not grow with agents).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

SERVICES="${SERVICES:-100}"
AGENTS="${AGENTS:-10}"
BOOT_SECONDS="${BOOT_SECONDS:-2}"
DESCRIBE_LAG="${DESCRIBE_LAG:-1}"
RUN_BURST="${RUN_BURST:-1000}"
RUN_RATE="${RUN_RATE:-500}"
TIMEOUT="${TIMEOUT:-900}"
NS=conpaas-bench-scale
export CONPAAS_DEV_CLUSTER_DIR="${CONPAAS_DEV_CLUSTER_DIR:-$CONPAAS_CACHE/bench-scale-cluster}"
export CONPAAS_OPERATOR_DIR="${CONPAAS_OPERATOR_DIR_BENCH:-$CONPAAS_CACHE/bench-scale-operator}"
export CONPAAS_NAMESPACES="$NS"
# 256 MiB of heap holds 1,000 Agents since the caches drop managedFields and each kind caches only its own
# Agents (the live set was ~210 MiB before); fewer malloc arenas keep 200+ threads from growing RSS.
export CONPAAS_OPERATOR_JAVA_OPTS="${OPERATOR_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
CLOUD=bench-simulated
WORK=$(mktemp -d)

cleanup() {
  [[ -z "${SAMPLER:-}" ]] || kill "$SAMPLER" 2>/dev/null || true
  hack/operator.sh stop >/dev/null 2>&1 || true
  hack/dev-cluster.sh down >/dev/null 2>&1 || true
  rm -rf "$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")" "$WORK"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

ensure_built
hack/dev-cluster.sh down >/dev/null 2>&1 || true   # a fresh etcd: earlier runs' objects skew the figures
cluster_with_crds
rm -rf "$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")" "$CONPAAS_OPERATOR_DIR/operator.log"
hack/operator.sh start
OPERATOR_PID=$(cat "$CONPAAS_OPERATOR_DIR/operator.pid")
METRICS="http://127.0.0.1:$(cat "$CONPAAS_OPERATOR_DIR/health.port")/metrics"

# Heap after each sample (jstat: used survivor + eden + old, KiB), every 2 s, for the peak.
( while kill -0 "$OPERATOR_PID" 2>/dev/null; do
    jstat -gc "$OPERATOR_PID" 2>/dev/null | awk 'NR==2 {printf "%d\n", $3+$4+$6+$8}' >> "$WORK/heap"
    sleep 2
  done ) &
SAMPLER=$!

kubectl create namespace "$NS" >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: conpaas.io/v1alpha1
kind: Cloud
metadata: {name: $CLOUD}
spec:
  provider: simulated
  simulated:
    bootSeconds: $BOOT_SECONDS
    describeLagSeconds: $DESCRIBE_LAG
    apiRates: {RunInstances: {burst: $RUN_BURST, perSecond: $RUN_RATE}}
---
apiVersion: conpaas.io/v1alpha1
kind: Application
metadata: {name: bench, namespace: $NS}
spec: {cloud: $CLOUD}
YAML

services_yaml() { # nodes
  for ((i = 0; i < SERVICES; i++)); do
    printf -- '---\napiVersion: conpaas.io/v1alpha1\nkind: HelloWorldService\nmetadata: {name: hw%04d, namespace: %s}\nspec: {application: bench, message: bench, agents: {nodes: %d}}\n' \
      "$i" "$NS" "$1"
  done
}

# Counters: apiserver requests by verb and the operator's cloud calls by API, as "key value" lines.
apiserver_counts() {
  kubectl get --raw /metrics | awk '/^apiserver_request_total\{/ {
      match($0, /verb="[A-Z]+"/); v = substr($0, RSTART + 6, RLENGTH - 7); n[v] += $NF }
    END { for (v in n) printf "%s %d\n", v, n[v] }' | sort
}
cloud_counts() {
  curl -fsS "$METRICS" | awk -v c="$CLOUD" '/^conpaas_cloud_api_calls_seconds_count\{/ && index($0, "cloud=\"" c "\"") {
      match($0, /api="[A-Za-z]+"/); a = substr($0, RSTART + 5, RLENGTH - 6); n[a] += $NF }
    /^conpaas_cloud_api_throttles_total\{/ && index($0, "cloud=\"" c "\"") {
      match($0, /api="[A-Za-z]+"/); a = substr($0, RSTART + 5, RLENGTH - 6); t[a] += $NF }
    END { for (a in n) printf "%s %d %d\n", a, n[a], t[a] }' | sort
}
# Differences of two "key value [value2]" files, per second over $3 ms.
rates() { # before after ms label
  join -a 2 -e 0 -o 0,1.2,2.2,1.3,2.3 "$1" "$2" | awk -v ms="$3" -v label="$4" '{
      d = $3 - $2; t = $5 - $4
      printf "    %-22s %-10s %7d  (%6.1f/s)%s\n", label, $1, d, d * 1000 / ms, (t > 0 ? "  throttled " t : "") }'
}

ready_count() { # desired nodes: services RUNNING with nodes/nodes ready
  kubectl -n "$NS" get helloworldservices -o jsonpath='{range .items[*]}{.status.state} {.status.ready}{"\n"}{end}' \
    | awk -v want="$1/$1" '$1 == "RUNNING" && $2 == want {n++} END {print n + 0}'
}

phase() { # label, command, wait-function
  local label=$1 t0 t1 ms
  apiserver_counts > "$WORK/a0"; cloud_counts > "$WORK/c0"
  t0=$(now_ms)
  eval "$2"
  local deadline=$((SECONDS + TIMEOUT))
  until eval "$3"; do
    (( SECONDS < deadline )) || { log "$label: not done after ${TIMEOUT}s"; tail -n 20 "$(hack/operator.sh logs)" >&2; exit 1; }
    sleep 2
  done
  t1=$(now_ms); ms=$((t1 - t0))
  apiserver_counts > "$WORK/a1"; cloud_counts > "$WORK/c1"
  printf '  %s: %d.%01d s (load average %s)\n' "$label" $((ms / 1000)) $((ms % 1000 / 100)) \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  rates "$WORK/a0" "$WORK/a1" "$ms" "api-server requests"
  rates "$WORK/c0" "$WORK/c1" "$ms" "cloud calls"
  echo "$ms" > "$WORK/last_ms"
  # Writes = every verb that changes something; per agent of the phase ($4, when given).
  join -a 2 -e 0 -o 0,1.2,2.2 "$WORK/a0" "$WORK/a1" | awk '$1 ~ /^(POST|PUT|PATCH|APPLY|DELETE)$/ {w += $3 - $2}
    END {print w + 0}' > "$WORK/last_writes"
  join -a 2 -e 0 -o 0,1.2,2.2 "$WORK/c0" "$WORK/c1" | awk '$1 == "list" {l = $3 - $2} END {print l + 0}' \
    > "$WORK/last_lists"
  if [[ -n "${4:-}" ]]; then
    awk -v w="$(cat "$WORK/last_writes")" -v n="$4" -v l="$(cat "$WORK/last_lists")" -v ms="$ms" 'BEGIN {
      printf "    api-server writes per agent %.1f, cloud list calls per minute %.1f\n", w / n, l * 60000 / ms }'
  fi
}

TOTAL=$((SERVICES * AGENTS))
UP=$((AGENTS + (AGENTS + 9) / 10))
echo "bench-scale: $SERVICES services x $AGENTS agents ($TOTAL agents) on the simulated Cloud, $(nproc) cores"
echo "  simulated: boot ${BOOT_SECONDS}s, describe lag ${DESCRIBE_LAG}s, RunInstances bucket $RUN_BURST/${RUN_RATE}/s"
services_yaml "$AGENTS" > "$WORK/all.yaml"
services_yaml "$UP" > "$WORK/up.yaml"
phase "apply -> all RUNNING ($TOTAL agents)" 'kubectl apply -f "$WORK/all.yaml" >/dev/null' \
  '[[ $(ready_count "$AGENTS") -eq $SERVICES ]]' "$TOTAL"
CONVERGE_MS=$(cat "$WORK/last_ms")
CONVERGE_WRITES=$(cat "$WORK/last_writes")
CONVERGE_LISTS=$(cat "$WORK/last_lists")
if [[ "${PHASES:-all}" == all ]]; then
phase "scale-up $AGENTS -> $UP per service (+$((SERVICES * (UP - AGENTS))) agents)" \
  'kubectl apply -f "$WORK/up.yaml" >/dev/null' '[[ $(ready_count "$UP") -eq $SERVICES ]]' "$((SERVICES * (UP - AGENTS)))"
phase "delete everything -> no Agent, no VM" \
  'kubectl -n "$NS" delete helloworldservices --all --wait=false >/dev/null' \
  '[[ -z $(kubectl -n "$NS" get agents -o name) && $(kubectl get cloud "$CLOUD" -o jsonpath="{.status.instances}") == 0 ]]'
fi

if [[ -n "${HEAP_HISTO:-}" ]]; then
  jmap -histo:live "$OPERATOR_PID" > "$HEAP_HISTO"
  echo "  live heap after the last phase: $(awk '/^Total/ {printf "%d MiB in %d objects", $3 / 1048576, $2}' \
    "$HEAP_HISTO") (histogram in $HEAP_HISTO)"
fi
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$OPERATOR_PID/status")
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$OPERATOR_PID/status")
heap_peak_kb=$(sort -n "$WORK/heap" 2>/dev/null | tail -1); heap_peak_kb=${heap_peak_kb:-0}
printf '  operator peak RSS %d MiB (now %d MiB), peak heap used %d MiB (%s)\n' $((hwm_kb / 1024)) $((rss_kb / 1024)) \
  $((heap_peak_kb / 1024)) "$CONPAAS_OPERATOR_JAVA_OPTS"
echo "  reconcile latency per controller (whole run):"
curl -fsS "$METRICS" | awk '/^operator_sdk_controllers_execution_reconcile_seconds_bucket\{/ {
    match($0, /controller="[^"]+"/); c = substr($0, RSTART + 12, RLENGTH - 13)
    match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5); if (le == "+Inf") le = 1e9
    n[c " " le] += $NF }
  END { for (k in n) print k, n[k] }' | sort -k1,1 -k2,2g | awk '
  { c = $1; if (c != prev) { flush(); prev = c; i = 0 } le[++i] = $2; v[i] = $3; cnt = i; total = $3 }
  function bound(le) { return le >= 1e9 ? "> largest bucket" : sprintf("<= %.3f s", le) }
  function flush(   j, p50, p99) {
    if (prev == "") return
    p50 = ""; p99 = ""
    for (j = 1; j <= cnt; j++) {
      if (p50 == "" && v[j] >= 0.5 * total) p50 = le[j]
      if (p99 == "" && v[j] >= 0.99 * total) p99 = le[j]
    }
    # Above the largest bucket (30 s in the JOSDK histogram) shows as such.
    printf "    %-22s %8d reconciles  p50 %s  p99 %s\n", prev, total, bound(p50), bound(p99)
  }
  END { flush() }'
if [[ -n "${SMOKE_MAX_CONVERGE_S:-}" ]] && (( CONVERGE_MS > SMOKE_MAX_CONVERGE_S * 1000 )); then
  die "converge took ${CONVERGE_MS} ms, more than SMOKE_MAX_CONVERGE_S=${SMOKE_MAX_CONVERGE_S}s"
fi
if [[ -n "${SMOKE_MAX_WRITES_PER_AGENT:-}" ]] && (( CONVERGE_WRITES > SMOKE_MAX_WRITES_PER_AGENT * TOTAL )); then
  die "converging made ${CONVERGE_WRITES} API-server writes for ${TOTAL} agents, more than" \
    "SMOKE_MAX_WRITES_PER_AGENT=${SMOKE_MAX_WRITES_PER_AGENT} each"
fi
if [[ -n "${SMOKE_MAX_LIST_CALLS_PER_MIN:-}" ]] && (( CONVERGE_LISTS * 60000 > SMOKE_MAX_LIST_CALLS_PER_MIN * CONVERGE_MS )); then
  die "converging made ${CONVERGE_LISTS} cloud list calls in ${CONVERGE_MS} ms, more than" \
    "SMOKE_MAX_LIST_CALLS_PER_MIN=${SMOKE_MAX_LIST_CALLS_PER_MIN}"
fi
