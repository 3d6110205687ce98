#!/usr/bin/env bash
# Benchmark of the dashboard's page load with many services (issue 17): N HelloWorldServices (default
# 200) in one namespace of the dev cluster, `kubectl conpaas dashboard` as the admin, then the list call
# the page makes (/api/services: every kind listed with the caller's client), timed with curl (median of 5).
# (The browser's own render time is not measured here: the page keeps its live stream open, so headless
# chromium's --dump-dom has no idle point; DashboardIT prints the list's load time in a real browser.)
# Needs the shaded plugin jar (mvn -pl kubectl-plugin -am package -DskipTests). Prints numbers only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-200}"
JAR="$ROOT/kubectl-plugin/target/kubectl-conpaas.jar"
export CONPAAS_DEV_CLUSTER_DIR="${CONPAAS_DEV_CLUSTER_DIR:-/tmp/devcluster-bench-dashboard}"
[[ -f "$JAR" ]] || { echo "build the plugin first: mvn -B -pl kubectl-plugin -am package -DskipTests" >&2; exit 1; }
eval "$(bash "$ROOT/hack/dev-cluster.sh" up)"
kubectl apply --server-side --force-conflicts -f "$ROOT/helm/conpaas/crds" >/dev/null
NS="bench-dash-$RANDOM"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
kubectl create namespace "$NS" >/dev/null
for i in $(seq 1 "$N"); do
  printf -- '---\napiVersion: conpaas.io/v1alpha1\nkind: HelloWorldService\nmetadata: {name: hw-%03d}\nspec: {application: app-%d, agents: {nodes: 1}}\n' "$i" $((i % 10))
done > "$WORK/services.yaml"
kubectl apply -n "$NS" -f "$WORK/services.yaml" >/dev/null

start_dashboard() { # NAMESPACE: runs the dashboard in the background (this shell keeps its pid)
  java -jar "$JAR" dashboard --kubeconfig "$KUBECONFIG" -n "$1" > "$WORK/$1.out" 2>&1 &
  PIDS+=($!)
}
entry_url() { # NAMESPACE -> the entry URL the dashboard printed (waits up to 2 min for the JVM)
  for _ in $(seq 1 600); do
    grep -q '?token=' "$WORK/$1.out" 2>/dev/null && break
    sleep 0.2
  done
  grep -o 'http://127.0.0.1:[0-9]*/?token=[0-9a-f]*' "$WORK/$1.out"
}
ms() { date +%s%3N; }

start_dashboard "$NS"
URL="$(entry_url "$NS")"
BASE="${URL%%/?token=*}"
COOKIE="$(curl -s -o /dev/null -D - "$URL" | sed -n 's/^set-cookie: \([^;]*\);.*/\1/Ip' | tr -d '\r')"
curl -s -H "Cookie: $COOKIE" "$BASE/api/services?ns=$NS" >/dev/null   # warm-up (client, discovery)
times=()
for _ in 1 2 3 4 5; do
  t0=$(ms); curl -s -H "Cookie: $COOKIE" "$BASE/api/services?ns=$NS" -o "$WORK/list.json"; t1=$(ms)
  times+=($((t1 - t0)))
done
ROWS_API="$( (grep -o '"kind":"HelloWorldService"' "$WORK/list.json" || true) | wc -l)"
MEDIAN="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)"
echo "services=$N api_services_rows=$ROWS_API api_services_ms_median=$MEDIAN api_services_ms_all=${times[*]}"

