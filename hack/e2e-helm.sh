#!/usr/bin/env bash
# The chart for real: the operator image (hack/build-image.sh) on a dev cluster with a node
# (hack/dev-cluster.sh up --with-node), `helm install`, the operator Pod Ready (its probes
# answering), helloworld RUNNING with the operator in the Pod (in-cluster config, its
# ServiceAccount's RBAC, the code-store claim on the node's storage), `helm upgrade` with a
# changed value (the image with the local Cloud's PHP servers, hack/build-image.sh --local-php), a
# PhpService whose spec.code.source.git names a bare repository served over HTTP from the node's
# address (a network namespace of ours; allowed with code.sourceAllowedNetworks) serving that commit
# with the operator in its Pod (JGit: no git binary in the image), leader election with two replicas
# (the leader Pod deleted, the takeover timed), `helm uninstall` (CRDs kept, as Helm does). Ends
# with "e2e-helm: N passed, M failed". Needs root (the node), git and python3 (the test's git
# server). Takes ~5 min with the binaries and the image built.
# Env: CONPAAS_E2E_HELM_CLUSTER_DIR, CONPAAS_E2E_HELM_APISERVER_PORT, CONPAAS_E2E_HELM_ETCD_PORT
# (a second checkout's run must not share the first one's cluster), KEEP=1 leaves the cluster up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

export CONPAAS_DEV_CLUSTER_DIR="${CONPAAS_E2E_HELM_CLUSTER_DIR:-$CONPAAS_CACHE/e2e-helm-cluster}"
export CONPAAS_APISERVER_PORT="${CONPAAS_E2E_HELM_APISERVER_PORT:-18443}"
export CONPAAS_ETCD_PORT="${CONPAAS_E2E_HELM_ETCD_PORT:-14379}"
HELM="${HELM:-$CONPAAS_CACHE/bin/helm}"
[[ -x "$HELM" ]] || HELM="$(command -v helm)" || die "helm missing (hack/install-deps.sh builds it)"
RELEASE=conpaas
OP_NS=conpaas-system
NS=e2e-helm
# Per cluster dir, so runs of two checkouts do not write each other's step log.
STEP_LOG="/tmp/conpaas-e2e-helm-step-$(printf '%s' "$CONPAAS_DEV_CLUSTER_DIR" | sha256sum | cut -c1-8).log"
GIT_PORT=8418
GIT_DIR_SERVED="$(mktemp -d /tmp/conpaas-e2e-helm-git.XXXXXX)"
git_server_pid=""
passed=0
failed=0

cleanup() {
  [[ -z "$git_server_pid" ]] || kill "$git_server_pid" 2>/dev/null || true
  rm -rf "$GIT_DIR_SERVED"
  [[ -n "${KEEP:-}" ]] || hack/dev-cluster.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The jars as `mvn verify` (hack/test.sh) or `mvn package` left them; the image is rebuilt from them,
# with its -local-php tag (the same image and a layer with nginx and php-fpm).
built="$(hack/build-image.sh --local-php)"
mapfile -t refs <<<"$built"
ref="${refs[0]}"
php_ref="${refs[1]:-}"
[[ -n "$php_ref" ]] || die "hack/build-image.sh --local-php printed no second reference"
# The image as built: its user, entrypoint and size (OCI layout, read with jq).
image_config() {
  local layout=target/image/oci manifest config tag=${1:-${ref##*:}}
  manifest="$(jq -r --arg t "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t)
    | .digest' "$layout/index.json" | cut -d: -f2)"
  config="$(jq -r '.config.digest' "$layout/blobs/sha256/$manifest" | cut -d: -f2)"
  jq -c '.config | {User, Entrypoint}' "$layout/blobs/sha256/$config"
  jq '[.layers[].size] | add' "$layout/blobs/sha256/$manifest" | awk '{printf "layers: %.1f MiB\n", $1 / 1048576}'
}
image_ok() {
  local out
  out="$(image_config)"
  echo "$out"
  grep -qF '{"User":"10001:10001","Entrypoint":["/opt/java/bin/java"' <<<"$out" || return 1
  out="$(image_config "${php_ref##*:}")"
  echo "$out" | sed 's/^layers/local-php layers/'
  grep -qF '{"User":"10001:10001","Entrypoint":["/opt/java/bin/java"' <<<"$out"
}
check "the image (and its -local-php tag) runs java -jar the operator as user 10001" image_ok
sed -n 's/^\(local-php \)\{0,1\}layers/     image &/p' "$STEP_LOG"
eval "$(hack/dev-cluster.sh up --with-node)"
export KUBECONFIG
hack/dev-cluster.sh load-image target/image/conpaas-operator.oci.tar "$ref" >/dev/null
node_ctr() { ctr --address "$CONPAAS_DEV_CLUSTER_DIR/node/containerd.sock" -n k8s.io "$@"; }
node_ctr images ls -q | grep -xF "$php_ref" >/dev/null || die "$php_ref was not imported with $ref"

# The test's git server: a bare repository with one commit, served over git's dumb HTTP protocol
# (static files) on the node's address, inside the node's network namespace (ours), where the
# operator Pod reaches it. The chart allows exactly that address (code.sourceAllowedNetworks):
# private addresses are refused otherwise.
NODE_IP="$(kubectl get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')"
GIT_MARKER="served from git by the operator Pod $(date +%s%N)"
git_repo() {
  local work="$GIT_DIR_SERVED/work"
  git init --quiet --initial-branch=main "$work"
  printf '<?php echo "%s";\n' "$GIT_MARKER" >"$work/index.php"
  git -C "$work" add index.php
  git -C "$work" -c user.name=e2e -c user.email=e2e@example.org commit --quiet -m "e2e-helm app"
  git clone --quiet --bare "$work" "$GIT_DIR_SERVED/app.git"
  git -C "$GIT_DIR_SERVED/app.git" update-server-info
  git -C "$work" rev-parse HEAD
}
GIT_COMMIT="$(git_repo)"
nsenter --net="/run/netns/$(hack/dev-cluster.sh node-netns)" \
  python3 -m http.server --bind "$NODE_IP" --directory "$GIT_DIR_SERVED" "$GIT_PORT" >/dev/null 2>&1 &
git_server_pid=$!

pod_of() { kubectl -n "$OP_NS" get pods -l app.kubernetes.io/name=conpaas-operator -o name "$@"; }
ready_pods() {
  kubectl -n "$OP_NS" get pods -l app.kubernetes.io/name=conpaas-operator \
    -o jsonpath='{range .items[?(@.metadata.deletionTimestamp)]}{end}{range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' |
    awk '$2 == "True" {print $1}'
}
state() { kubectl -n "$NS" get helloworldservice hello -o jsonpath='{.status.state}'; }
leader() { kubectl -n "$OP_NS" get lease -o jsonpath='{.items[0].spec.holderIdentity}' 2>/dev/null; }

kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
check "helm install: the operator Pod becomes Ready (probes answer)" \
  "$HELM" install "$RELEASE" helm/conpaas -n "$OP_NS" --create-namespace --wait --timeout 5m \
  --set "watchNamespaces={$NS}" --set "code.sourceAllowedNetworks={$NODE_IP}"
check "the code-store claim is bound on the node's storage" bash -c \
  "[[ \$(kubectl -n $OP_NS get pvc -l app.kubernetes.io/instance=$RELEASE -o jsonpath='{.items[0].status.phase}') == Bound ]]"
# The user of the operator container's process, as the node's containerd reports its pid.
operator_pid() {
  local id
  id="$(kubectl -n "$OP_NS" get pods -l app.kubernetes.io/name=conpaas-operator \
    -o jsonpath='{.items[0].status.containerStatuses[0].containerID}')"
  node_ctr task ls | awk -v id="${id#containerd://}" '$1 == id {print $2}'
}
operator_uid() {
  local pid
  pid="$(operator_pid)"
  [[ -n "$pid" ]] && awk '/^Uid:/ {print $2}' "/proc/$pid/status"
}
runs_as_10001() { [[ "$(operator_uid)" == 10001 ]]; }
check "the operator process runs as user 10001, not root" runs_as_10001

kubectl apply -f - >/dev/null <<EOF
apiVersion: conpaas.io/v1alpha1
kind: Cloud
metadata: {name: e2e-helm-local}
spec: {provider: local, default: true}
---
apiVersion: conpaas.io/v1alpha1
kind: Application
metadata: {name: app, namespace: $NS}
spec: {cloud: e2e-helm-local}
---
apiVersion: conpaas.io/v1alpha1
kind: HelloWorldService
metadata: {name: hello, namespace: $NS}
spec: {application: app, agents: {nodes: 1}, message: "Hello from the operator Pod"}
EOF
check "helloworld reaches RUNNING with the operator in its Pod" \
  kubectl -n "$NS" wait --for=jsonpath='{.status.state}'=RUNNING helloworldservice/hello --timeout=180s

# Leader election is on by default, one replica included: during the upgrade below the new Pod waits for
# the Lease instead of acting beside the old one (two operators once replaced each other's VMs until the
# Agent gave up, which lost the service at the failover check further down).
holds_the_lease() {
  local pod holder
  pod="$(pod_of)"
  holder="$(leader)"
  echo "lease holder: ${holder:-none}, operator Pod: ${pod#pod/}"
  [[ -n "$holder" && "$holder" == "${pod#pod/}" ]]
}
check "the single operator Pod holds the leader Lease (an upgrade never runs two operators at once)" \
  holds_the_lease

before="$(pod_of)"
# The local cloud's VMs are processes in the operator's Pod: a new Pod replaces them (hence the short
# health timeout: 90 s, as agent JVMs on a loaded CI machine took more than 30 s to answer); the
# service object and its Agents are kept.
# The upgrade also moves to the -local-php image: the PhpService below has its agents (nginx,
# php-fpm) in the Pod, hence more memory too.
check "helm upgrade (changed values: the -local-php image) rolls the Pod and keeps the service" bash -c \
  "'$HELM' upgrade $RELEASE helm/conpaas -n $OP_NS --reuse-values --set agent.healthTimeout=90s \
     --set image.tag=${php_ref##*:} --set resources.limits.memory=1536Mi --wait --timeout 5m \
   && [[ \"\$(kubectl -n $OP_NS get deploy -o jsonpath='{.items[0].spec.template.spec.containers[0].env[?(@.name==\"CONPAAS_AGENT_HEALTH_TIMEOUT\")].value}')\" == 90s ]] \
   && [[ \"\$(kubectl -n $OP_NS get pods -l app.kubernetes.io/name=conpaas-operator -o name)\" != '$before' ]] \
   && kubectl -n $NS get helloworldservice hello \
   && kubectl -n $NS wait --for=jsonpath='{.status.state}'=RUNNING helloworldservice/hello --timeout=180s"

# The operator Pod runs as user 10001, so a local Cloud cannot give PHP code an account of its own:
# this Cloud opts in to the development-only setting that lets it run as the operator's user.
kubectl apply -f - >/dev/null <<EOF
apiVersion: conpaas.io/v1alpha1
kind: Cloud
metadata: {name: e2e-helm-php}
spec: {provider: local, local: {allowUnisolatedRoles: true}}
---
apiVersion: conpaas.io/v1alpha1
kind: Application
metadata: {name: shop, namespace: $NS}
spec: {cloud: e2e-helm-php}
---
apiVersion: conpaas.io/v1alpha1
kind: PhpService
metadata: {name: site, namespace: $NS}
spec:
  application: shop
  backend: {nodes: 1}
  web: {nodes: 0}
  proxy: {nodes: 1}
  code:
    source:
      git: {url: "http://$NODE_IP:$GIT_PORT/app.git", ref: main}
EOF
# The page as the proxy serves it, asked from inside the operator Pod's network namespace (the
# local Cloud's agents listen there).
git_page() {
  local url pid
  url="$(kubectl -n "$NS" get phpservice site -o jsonpath='{.status.endpoints[0].url}')"
  pid="$(operator_pid)"
  [[ -n "$url" && -n "$pid" ]] && nsenter --net="/proc/$pid/ns/net" curl -sS --max-time 10 "${url}index.php"
}
serves_the_commit() {
  local i page
  kubectl -n "$NS" wait --for=jsonpath='{.status.code.active}'="git-${GIT_COMMIT:0:12}" phpservice/site \
    --timeout=240s || { kubectl -n "$NS" get phpservice site -o yaml | tail -n 40; return 1; }
  kubectl -n "$NS" wait --for=jsonpath='{.status.state}'=RUNNING phpservice/site --timeout=180s || return 1
  for i in $(seq 1 30); do
    page="$(git_page 2>&1)" && [[ "$page" == "$GIT_MARKER" ]] && { echo "commit ${GIT_COMMIT:0:12}: $page"; return 0; }
    echo "answer $i: ${page:0:300}"
    sleep 1
  done
  return 1
}
check "a PhpService with code.source.git (local bare repo over HTTP) serves that commit from the operator Pod" \
  serves_the_commit
kubectl -n "$NS" delete phpservice site --timeout=120s >/dev/null 2>&1 || true

check "two replicas with leader election: one leads" bash -c \
  "'$HELM' upgrade $RELEASE helm/conpaas -n $OP_NS --reuse-values --set replicaCount=2 \
     --wait --timeout 5m \
   && for i in \$(seq 1 60); do [[ -n \"\$(kubectl -n $OP_NS get lease -o jsonpath='{.items[0].spec.holderIdentity}')\" ]] && exit 0; sleep 1; done; exit 1"
old_leader="$(leader)"
takeover() {
  local start new
  start=$(now_ms)
  kubectl -n "$OP_NS" delete pod "$old_leader" --wait=false
  for _ in $(seq 1 120); do
    new="$(leader)"
    if [[ -n "$new" && "$new" != "$old_leader" ]]; then
      echo "leader $old_leader -> $new after $(($(now_ms) - start)) ms"
      return 0
    fi
    sleep 0.5
  done
  return 1
}
check "deleting the leader Pod: the other replica takes over" takeover
grep -h 'leader .* after' "$STEP_LOG" | sed 's/^/     /' || true
check "the new leader brings the service back to RUNNING (its VMs were in the deleted Pod)" \
  kubectl -n "$NS" wait --for=jsonpath='{.status.state}'=RUNNING helloworldservice/hello --timeout=180s

# The in-cluster dashboard (dashboard.enabled, from the same image): it holds no credentials and acts
# with the bearer token of each request (an authenticating proxy's job; here curl in the node's network
# namespace, where Pod addresses answer): none is refused, a read-only ServiceAccount sees the services
# and is refused scaling with the API server's message.
kubectl -n "$NS" create serviceaccount dash-viewer >/dev/null
kubectl -n "$NS" create role dash-viewer --verb=get,list,watch \
  --resource=helloworldservices.conpaas.io,agents.conpaas.io >/dev/null
kubectl -n "$NS" create rolebinding dash-viewer --role=dash-viewer --serviceaccount="$NS:dash-viewer" >/dev/null
check "helm upgrade with dashboard.enabled: the dashboard Pod becomes Ready" \
  "$HELM" upgrade "$RELEASE" helm/conpaas -n "$OP_NS" --reuse-values --set dashboard.enabled=true --wait --timeout 3m
dashboard_acts_as_the_user() {
  local ip base code token out
  ip="$(kubectl -n "$OP_NS" get pods -l app.kubernetes.io/name=conpaas-dashboard -o jsonpath='{.items[0].status.podIP}')"
  base="http://$ip:8080"
  in_node() { nsenter --net="/run/netns/$(hack/dev-cluster.sh node-netns)" "$@"; }
  code="$(in_node curl -s -o /dev/null -w '%{http_code}' -m 10 "$base/api/services?ns=$NS")"
  echo "without a token: HTTP $code"
  [[ $code == 401 ]] || return 1
  token="$(kubectl -n "$NS" create token dash-viewer --duration=10m)"
  out="$(in_node curl -s -m 30 -H "Authorization: Bearer $token" "$base/api/services?ns=$NS")"
  grep -q '"name":"hello"' <<<"$out" || { echo "the viewer's list: ${out:0:300}"; return 1; }
  out="$(in_node curl -s -m 30 -H "Authorization: Bearer $token" -H "Origin: $base" \
    --data "{\"ns\":\"$NS\",\"kind\":\"HelloWorldService\",\"name\":\"hello\",\"role\":\"agents\",\"nodes\":2}" \
    -w ' HTTP %{http_code}' "$base/api/scale")"
  echo "viewer's scale: ${out:0:300}"
  [[ $out == *"HTTP 403" && $out == *"system:serviceaccount:$NS:dash-viewer"* ]]
}
check "the in-cluster dashboard: 401 without a token; a read-only token lists the services, is refused scaling" \
  dashboard_acts_as_the_user
grep -h "without a token\|viewer's scale" "$STEP_LOG" | sed 's/^/     /' || true

# Services and Clouds go first while the operator runs (their finalizers need it).
kubectl -n "$NS" delete helloworldservice hello --timeout=120s >/dev/null 2>&1 || true
kubectl delete cloud e2e-helm-local e2e-helm-php --timeout=120s >/dev/null 2>&1 || true
check "helm uninstall removes the operator and keeps the CRDs" bash -c \
  "'$HELM' uninstall $RELEASE -n $OP_NS --wait --timeout 3m \
   && kubectl -n $OP_NS wait --for=delete pod -l app.kubernetes.io/name=conpaas-operator --timeout=120s \
   && kubectl get crd helloworldservices.conpaas.io"

echo "e2e-helm: $passed passed, $failed failed"
[[ $failed == 0 ]]
