#!/usr/bin/env bash
# The main job: ConPaaS's helloworld service on the local cloud, end to end.
#
#   hack/quickstart.sh        build if needed, start the dev control plane, install the CRDs,
#                             start the operator with a local Cloud marked default, apply
#                             examples/helloworld.yaml, wait for RUNNING, and print the
#                             service, its agents and each agent's get_helloworld answer.
#                             Cluster and operator keep running afterwards.
#   hack/quickstart.sh down   delete the example (its agents are released), stop the operator
#                             and the dev control plane.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

if [[ "${1:-}" == "down" ]]; then
  if hack/dev-cluster.sh status >/dev/null 2>&1; then
    export KUBECONFIG="$(hack/dev-cluster.sh kubeconfig)"
    if hack/operator.sh status >/dev/null 2>&1; then
      kubectl delete -f examples/helloworld.yaml --ignore-not-found --wait=true --timeout=120s || true
    fi
  fi
  hack/operator.sh stop
  hack/dev-cluster.sh down
  exit 0
fi

ensure_built
cluster_with_crds
hack/operator.sh start
kubectl apply -f examples/local-cloud.yaml -f examples/helloworld.yaml
log "waiting for helloworldservice/helloworld to be RUNNING"
if ! kubectl wait --for=jsonpath='{.status.state}'=RUNNING helloworldservice/helloworld --timeout=180s >/dev/null; then
  kubectl get helloworldservice/helloworld -o yaml >&2
  die "not RUNNING within 180s; operator log: $(hack/operator.sh logs)"
fi
echo
kubectl get helloworldservices,agents
echo
for agent in $(kubectl get agents -l conpaas.io/service=helloworld -o jsonpath='{.items[*].metadata.name}'); do
  printf '%s get_helloworld: ' "$agent"
  java -jar "$OPERATOR_JAR" agent-call default "$agent" /helloworld
done
cat <<MSG

The dev control plane and the operator keep running. Try:
  export KUBECONFIG=$KUBECONFIG
  kubectl scale helloworldservice/helloworld --replicas=3
  kubectl get helloworldservices,agents
Stop everything with: hack/quickstart.sh down
MSG
