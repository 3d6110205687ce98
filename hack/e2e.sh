#!/usr/bin/env bash
# End-to-end check of the quickstart path, with kubectl and the plugin only, on a control plane
# of its own: CRDs as the Helm chart ships them, the operator jar, the examples applied for
# real, then GitOps and scaling checks. Ends with "e2e: N passed, M failed"; exit 1 on failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

export CONPAAS_DEV_CLUSTER_DIR="$CONPAAS_CACHE/e2e-cluster"
export CONPAAS_APISERVER_PORT="${CONPAAS_E2E_APISERVER_PORT:-17443}"
export CONPAAS_ETCD_PORT="${CONPAAS_E2E_ETCD_PORT:-13379}"
export CONPAAS_OPERATOR_DIR="$CONPAAS_CACHE/e2e-operator"
# Agent processes of this run (the [l] keeps the pattern from matching the shells that carry it).
LOCAL_CLOUD_DIR="$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")"
LOCAL_CLOUD_BASE="${LOCAL_CLOUD_DIR##*/}"
AGENTS_RE="${LOCAL_CLOUD_DIR%/*}/[${LOCAL_CLOUD_BASE:0:1}]${LOCAL_CLOUD_BASE:1}"
PLUGIN=(java -jar "$CONPAAS_ROOT/kubectl-plugin/target/kubectl-conpaas.jar")
STEP_LOG=/tmp/conpaas-e2e-step.log
passed=0
failed=0

cleanup() {
  hack/operator.sh stop >/dev/null 2>&1 || true
  hack/dev-cluster.sh down >/dev/null 2>&1 || true
  pkill -f "$AGENTS_RE" 2>/dev/null || true
  rm -rf "$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")" "$CONPAAS_OPERATOR_DIR/code-store"
}
trap cleanup EXIT

ensure_built
[[ -f kubectl-plugin/target/kubectl-conpaas.jar ]] || die "kubectl-plugin/target/kubectl-conpaas.jar missing: build first"
eval "$(hack/dev-cluster.sh up)"
export KUBECONFIG
# The chart's crds/ directory, as `helm install` applies it (each file on its own).
kubectl apply --server-side -f helm/conpaas/crds/ >/dev/null
kubectl wait --for condition=established --timeout=60s crd --all >/dev/null
kubectl apply --server-side -f helm/conpaas/templates/codeupload-policy.yaml >/dev/null
rm -rf "$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")" "$CONPAAS_OPERATOR_DIR/code-store"
hack/operator.sh start

generation() { kubectl get helloworldservice helloworld -o jsonpath='{.metadata.generation}'; }
running() { kubectl wait --for=jsonpath='{.status.state}'=RUNNING helloworldservice/helloworld --timeout=180s; }

check "examples apply" kubectl apply -f examples/local-cloud.yaml -f examples/helloworld.yaml
check "helloworld reaches RUNNING" running
check "two agents are Running" bash -c "[[ \$(kubectl get agents -l conpaas.io/service=helloworld \
  -o jsonpath='{range .items[*]}{.status.phase}{\"\\n\"}{end}' | grep -c Running) == 2 ]]"
check "an agent answers get_helloworld with the message" bash -c \
  "java -jar '$OPERATOR_JAR' agent-call default helloworld-agents-0 /helloworld | grep -q 'Hello from ConPaaS on Kubernetes'"
gen=$(generation)
check "applying the example again changes nothing" bash -c \
  "kubectl apply -f examples/helloworld.yaml | grep -q 'helloworldservice.conpaas.io/helloworld unchanged' \
   && [[ \$(kubectl get helloworldservice helloworld -o jsonpath='{.metadata.generation}') == $gen ]]"
check "kubectl diff is empty after convergence" kubectl diff -f examples/helloworld.yaml
check "kubectl conpaas lists the service as RUNNING" bash -c "${PLUGIN[*]} list | grep helloworld | grep -q RUNNING"
check "kubectl conpaas add-nodes 1 brings a third agent" bash -c "${PLUGIN[*]} add-nodes helloworld 1 \
  && kubectl wait --for=jsonpath='{.status.replicas}'=3 helloworldservice/helloworld --timeout=120s \
  && kubectl wait --for=jsonpath='{.status.state}'=RUNNING helloworldservice/helloworld --timeout=120s"
check "kubectl scale back to 1 leaves one agent process" bash -c "kubectl scale helloworldservice/helloworld \
  --replicas=1 && kubectl wait --for=jsonpath='{.status.replicas}'=1 helloworldservice/helloworld --timeout=120s \
  && for i in \$(seq 1 60); do [[ \$(pgrep -fc '$AGENTS_RE') == 1 ]] && exit 0; sleep 1; done; exit 1"
check "deleting the example releases every agent before the service goes" bash -c \
  "kubectl delete -f examples/helloworld.yaml --wait=true --timeout=120s && [[ -z \"\$(pgrep -f '$AGENTS_RE')\" ]]"

# PHP hosting: the example manifest, code uploaded and activated with the plugin, served by the proxy.
check "the PHP example reaches RUNNING" bash -c "kubectl apply -f examples/php/phpservice.yaml \
  && kubectl wait --for=jsonpath='{.status.state}'=RUNNING phpservice/web --timeout=180s"
check "kubectl conpaas upload-code --activate serves the example app through the proxy" bash -c \
  "(cd examples/php/app && python3 -m zipfile -c /tmp/conpaas-e2e-app.zip *) \
   && ${PLUGIN[*]} upload-code web /tmp/conpaas-e2e-app.zip --version v1 --activate \
   && kubectl wait --for=jsonpath='{.status.code.active}'=v1 phpservice/web --timeout=120s \
   && u=\$(kubectl get phpservice web -o jsonpath='{.status.endpoints[0].url}') \
   && for i in \$(seq 1 15); do \
        code=\$(curl -sS -o /tmp/conpaas-e2e-page -w '%{http_code}' \"\$u\"); \
        if [[ \$code == 200 ]] && grep -q 'Hello from ConPaaS PHP hosting' /tmp/conpaas-e2e-page; then exit 0; fi; \
        echo \"answer \$i: HTTP \$code: \$(head -c 300 /tmp/conpaas-e2e-page)\"; sleep 1; \
      done; exit 1"
check "kubectl conpaas versions lists v1 as active" bash -c "${PLUGIN[*]} versions web | grep -E '^v1 .*\\*'"
check "kubectl conpaas toggle-debug turns PHP errors on" bash -c "${PLUGIN[*]} toggle-debug web --on \
  && [[ \$(kubectl get phpservice web -o jsonpath='{.spec.debug}') == true ]]"
check "deleting the PHP example releases its agents" bash -c \
  "kubectl delete -f examples/php/phpservice.yaml --wait=true --timeout=120s && [[ -z \"\$(pgrep -f '$AGENTS_RE')\" ]]"
# The Cloud waits (finalizer) until its VMs are gone; a failed check above may have left some.
kubectl delete -f examples/local-cloud.yaml --ignore-not-found --timeout=120s >/dev/null || echo "e2e: the local Cloud still has VMs: $(kubectl get cloud -o jsonpath="{.items[*].status.conditions}")" >&2

echo "e2e: $passed passed, $failed failed"
((failed == 0))
