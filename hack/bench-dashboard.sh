#!/usr/bin/env bash
# Benchmark of the dashboard (issue 17), three figures:
#  1. api: N HelloWorldServices (default 200) in one namespace of the dev cluster, `kubectl conpaas dashboard`
#     as the admin, the list call the page makes (/api/services: every kind listed with the caller's client),
#     timed with curl (median of 5).
#  2. page: the same list in headless chromium (Debian's chromium + chromedriver, driven over the W3C
#     WebDriver protocol by a few lines of python3): from navigation to all N rows rendered (median of 3).
#  3. scale: the real operator jar with a local Cloud, a HelloWorldService of 1 agent on the dashboard's
#     service page: from the click on + to the page showing the new Agent's row Running (R rounds, default 3:
#     1 -> 2, 2 -> 3, ...). The agents are real processes of the local Cloud.
# Needs the jars (mvn -B -pl kubectl-plugin -am package -DskipTests). Prints numbers only (logs on stderr).
# Env: N (services, default 200), R (scale rounds, default 3), CONPAAS_DEV_CLUSTER_DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/hack/lib.sh"
N="${N:-200}"
R="${R:-3}"
export CONPAAS_DEV_CLUSTER_DIR="${CONPAAS_DEV_CLUSTER_DIR:-/tmp/devcluster-bench-dashboard}"
for jar in "$PLUGIN_JAR" "$OPERATOR_JAR" "$AGENT_JAR"; do
  [[ -f "$jar" ]] || die "missing $jar: mvn -B -pl kubectl-plugin -am package -DskipTests"
done
command -v chromedriver >/dev/null && [[ -x /usr/bin/chromium ]] || die "needs chromium and chromium-driver (hack/install-deps.sh)"
cluster_with_crds
NS="bench-dash-$RANDOM"
NS_OP="$NS-op"
CLOUD="bench-dash-$NS"
WORK="$(mktemp -d /tmp/bench-dashboard.XXXXXX)"
chmod 755 "$WORK"   # agents as root drop their servers to other accounts, which must reach the VM dirs
PIDS=()
cleanup() {
  kubectl delete helloworldservices --all -n "$NS_OP" --wait=false >/dev/null 2>&1 || true
  # The operator must see its service go (and release the agents) before it stops.
  for _ in $(seq 1 60); do
    [[ -z "$(kubectl get agents -n "$NS_OP" -o name 2>/dev/null)" ]] && break
    sleep 1
  done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  kubectl delete cloud "$CLOUD" --wait=false >/dev/null 2>&1 || true
  kubectl delete namespace "$NS" "$NS_OP" --wait=false >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
kubectl create namespace "$NS" >/dev/null
kubectl create namespace "$NS_OP" >/dev/null
for i in $(seq 1 "$N"); do
  printf -- '---\napiVersion: conpaas.io/v1alpha1\nkind: HelloWorldService\nmetadata: {name: hw-%03d}\nspec: {application: app-%d, agents: {nodes: 1}}\n' "$i" $((i % 10))
done > "$WORK/services.yaml"
kubectl apply -n "$NS" -f "$WORK/services.yaml" >/dev/null

start_dashboard() { # NAMESPACE: runs the dashboard in the background (this shell keeps its pid)
  java -jar "$PLUGIN_JAR" dashboard --kubeconfig "$KUBECONFIG" -n "$1" > "$WORK/$1.out" 2>&1 &
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

# ---- 1. the list call ----
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

# ---- the browser: chromedriver and a small W3C WebDriver client ----
DRIVER_PORT="$(free_port)"
chromedriver --port="$DRIVER_PORT" --allowed-ips=127.0.0.1 > "$WORK/chromedriver.log" 2>&1 &
PIDS+=($!)
cat > "$WORK/wd.py" <<'EOF'
"""Minimal W3C WebDriver client (stdlib only) for the dashboard bench: prints milliseconds."""
import json, sys, time, urllib.request

DRIVER = "http://127.0.0.1:" + sys.argv[1]

def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(DRIVER + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["value"]

def session(profile):
    args = ["--headless=new", "--window-size=1280,1000", "--no-proxy-server", "--disable-gpu",
            "--disable-dev-shm-usage", "--user-data-dir=" + profile]
    import os
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}}
    return call("POST", "/session", caps)["sessionId"]

def js(sid, script, *args):
    return call("POST", f"/session/{sid}/execute/sync", {"script": script, "args": list(args)})

def until(sid, script, timeout, *args):
    end = time.time() + timeout
    while time.time() < end:
        v = js(sid, script, *args)
        if v:
            return v
        time.sleep(0.05)
    raise SystemExit("timed out waiting for: " + script)

def now():
    return time.monotonic() * 1000

cmd = sys.argv[2]
sid = session(sys.argv[3])
try:
    entry, base, ns = sys.argv[4], sys.argv[5], sys.argv[6]
    call("POST", f"/session/{sid}/url", {"url": entry})
    until(sid, "return !!document.getElementById('live')", 60)
    if cmd == "list":
        n, runs = int(sys.argv[7]), []
        for _ in range(3):
            t0 = now()
            call("POST", f"/session/{sid}/url", {"url": base + "/#/ns/" + ns + "/"})
            call("POST", f"/session/{sid}/refresh", {})
            until(sid, "return document.querySelectorAll('tr[data-service]').length >= arguments[0]", 120, n)
            runs.append(round(now() - t0))
        print(" ".join(map(str, runs)))
    elif cmd == "scale":
        svc, rounds, out = sys.argv[7], int(sys.argv[8]), []
        call("POST", f"/session/{sid}/url", {"url": base + "/#/ns/" + ns + "/svc/HelloWorldService/" + svc})
        for k in range(1, rounds + 1):
            until(sid, "const r = document.querySelector(arguments[0]); return r && r.textContent.includes('Running')",
                  180, f"tr[data-agent='{svc}-agents-{k - 1}']")
            until(sid, "const s = document.querySelector('#svc-head .state'); return s && s.textContent === 'RUNNING'", 180)
            t0 = now()
            js(sid, "document.getElementById('plus-agents').click()")
            until(sid, "const r = document.querySelector(arguments[0]); return r && r.textContent.includes('Running')",
                  180, f"tr[data-agent='{svc}-agents-{k}']")
            out.append(round(now() - t0))
        print(" ".join(map(str, out)))
finally:
    call("DELETE", f"/session/{sid}")
EOF
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$DRIVER_PORT/status" >/dev/null && break; sleep 0.1; done

# ---- 2. the list page in the browser ----
PAGE="$(python3 "$WORK/wd.py" "$DRIVER_PORT" list "$WORK/profile-list" "$URL" "$BASE" "$NS" "$N")"
PAGE_MEDIAN="$(printf '%s\n' $PAGE | sort -n | sed -n 2p)"
echo "services=$N page_rows_rendered_ms_median=$PAGE_MEDIAN page_ms_all=$PAGE"

# ---- 3. scale click -> new Agent Running, with the real operator and a local Cloud ----
HEALTH_PORT="$(free_port)"
mkdir -p "$WORK/local" "$WORK/code-store"
KUBECONFIG="$KUBECONFIG" CONPAAS_NAMESPACES="$NS_OP" CONPAAS_HEALTH_PORT="$HEALTH_PORT" \
  CONPAAS_LOCAL_WORK_DIR="$WORK/local" CONPAAS_CODE_STORE_DIR="$WORK/code-store" CONPAAS_UPLOAD_PORT=0 \
  CONPAAS_LOCAL_AGENT_JAR="$AGENT_JAR" \
  java -XX:+UseSerialGC -Xmx256m -jar "$OPERATOR_JAR" > "$WORK/operator.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 450); do curl -sf "http://127.0.0.1:$HEALTH_PORT/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$HEALTH_PORT/readyz" >/dev/null || { tail -20 "$WORK/operator.log" >&2; die "operator not ready"; }
kubectl apply -f - >/dev/null <<EOF
apiVersion: conpaas.io/v1alpha1
kind: Cloud
metadata: {name: $CLOUD}
spec: {provider: local, local: {workDir: $WORK/local/cloud}}
---
apiVersion: conpaas.io/v1alpha1
kind: Application
metadata: {name: app, namespace: $NS_OP}
spec: {cloud: $CLOUD}
---
apiVersion: conpaas.io/v1alpha1
kind: HelloWorldService
metadata: {name: hw, namespace: $NS_OP}
spec: {application: app, agents: {nodes: 1}}
EOF
start_dashboard "$NS_OP"
URL_OP="$(entry_url "$NS_OP")"
SCALE="$(python3 "$WORK/wd.py" "$DRIVER_PORT" scale "$WORK/profile-scale" "$URL_OP" "${URL_OP%%/?token=*}" "$NS_OP" hw "$R")"
SCALE_MEDIAN="$(printf '%s\n' $SCALE | sort -n | sed -n "$(( (R + 1) / 2 ))p")"
echo "scale_click_to_agent_running_ms_median=$SCALE_MEDIAN rounds=$R scale_ms_all=$SCALE load=$(cut -d' ' -f1 /proc/loadavg)"
