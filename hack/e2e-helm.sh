#!/usr/bin/env bash
# The chart for real: the operator image (hack/build-image.sh) on a dev cluster with a node
# (hack/dev-cluster.sh up --with-node), `helm install`, the operator Pod Ready (its probes
# answering), helloworld RUNNING with the operator in the Pod (in-cluster config, its
# ServiceAccount's RBAC, the code-store claim on the node's storage), `helm upgrade` with a
# changed value, leader election with two replicas (the leader Pod deleted, the takeover timed),
# `helm uninstall` (CRDs kept, as Helm does). Ends with "e2e-helm: N passed, M failed".
# Needs root (the node). Takes ~5 min with the binaries and the image built.
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
STEP_LOG=/tmp/conpaas-e2e-helm-step.log
passed=0
failed=0

cleanup() {
  [[ -n "${KEEP:-}" ]] || hack/dev-cluster.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The jars as `mvn verify` (hack/test.sh) or `mvn package` left them; the image is rebuilt from them.
ref="$(hack/build-image.sh)"
# The image as built: its user, entrypoint and size (OCI layout, read with jq).
image_config() {
  local layout=target/image/oci manifest config
  manifest="$(jq -r '.manifests[0].digest' "$layout/index.json" | cut -d: -f2)"
  config="$(jq -r '.config.digest' "$layout/blobs/sha256/$manifest" | cut -d: -f2)"
  jq -c '.config | {User, Entrypoint}' "$layout/blobs/sha256/$config"
  jq '[.layers[].size] | add' "$layout/blobs/sha256/$manifest" | awk '{printf "layers: %.1f MiB\n", $1 / 1048576}'
}
image_ok() {
  local out
  out="$(image_config)"
  echo "$out"
  grep -qF '{"User":"10001:10001","Entrypoint":["/opt/java/bin/java"' <<<"$out"
}
check "the image runs java -jar the operator as user 10001" image_ok
sed -n 's/^layers/     image layers/p' "$STEP_LOG"
eval "$(hack/dev-cluster.sh up --with-node)"
export KUBECONFIG
hack/dev-cluster.sh load-image target/image/conpaas-operator.oci.tar "$ref" >/dev/null

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
  --set "watchNamespaces={$NS}"
check "the code-store claim is bound on the node's storage" bash -c \
  "[[ \$(kubectl -n $OP_NS get pvc -l app.kubernetes.io/instance=$RELEASE -o jsonpath='{.items[0].status.phase}') == Bound ]]"
# The user of the operator container's process, as the node's containerd reports its pid.
operator_uid() {
  local id pid
  id="$(kubectl -n "$OP_NS" get pods -l app.kubernetes.io/name=conpaas-operator \
    -o jsonpath='{.items[0].status.containerStatuses[0].containerID}')"
  pid="$(ctr --address "$CONPAAS_DEV_CLUSTER_DIR/node/containerd.sock" -n k8s.io task ls |
    awk -v id="${id#containerd://}" '$1 == id {print $2}')"
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

before="$(pod_of)"
# The local cloud's VMs are processes in the operator's Pod: a new Pod replaces them (hence the short
# health timeout); the service object and its Agents are kept.
check "helm upgrade (a changed value) rolls the Pod and keeps the service" bash -c \
  "'$HELM' upgrade $RELEASE helm/conpaas -n $OP_NS --reuse-values --set agent.healthTimeout=30s --wait --timeout 5m \
   && [[ \"\$(kubectl -n $OP_NS get deploy -o jsonpath='{.items[0].spec.template.spec.containers[0].env[?(@.name==\"CONPAAS_AGENT_HEALTH_TIMEOUT\")].value}')\" == 30s ]] \
   && [[ \"\$(kubectl -n $OP_NS get pods -l app.kubernetes.io/name=conpaas-operator -o name)\" != '$before' ]] \
   && kubectl -n $NS get helloworldservice hello \
   && kubectl -n $NS wait --for=jsonpath='{.status.state}'=RUNNING helloworldservice/hello --timeout=180s"

check "two replicas with leader election: one leads" bash -c \
  "'$HELM' upgrade $RELEASE helm/conpaas -n $OP_NS --reuse-values --set replicaCount=2 \
     --set leaderElection.enabled=true --wait --timeout 5m \
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

# Services and Clouds go first while the operator runs (their finalizers need it).
kubectl -n "$NS" delete helloworldservice hello --timeout=120s >/dev/null 2>&1 || true
kubectl delete cloud e2e-helm-local --timeout=120s >/dev/null 2>&1 || true
check "helm uninstall removes the operator and keeps the CRDs" bash -c \
  "'$HELM' uninstall $RELEASE -n $OP_NS --wait --timeout 3m \
   && kubectl -n $OP_NS wait --for=delete pod -l app.kubernetes.io/name=conpaas-operator --timeout=120s \
   && kubectl get crd helloworldservices.conpaas.io"

echo "e2e-helm: $passed passed, $failed failed"
[[ $failed == 0 ]]
