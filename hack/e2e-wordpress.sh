#!/usr/bin/env bash
# The WordPress tutorial of the ConPaaS manual (2.2) end to end, with kubectl and the plugin only,
# on a control plane and operator of its own: a MysqlService and a PhpService wired by
# spec.database, the blog uploaded and activated, posts written through the proxy and found on
# the slave, PHP backends scaled 1 -> 3 -> 1 and slaves 1 -> 2 -> 1 while posting (no failed
# request, no lost post), the password reset while the blog keeps working.
# Ends with "e2e-wordpress: N passed, M failed"; exit 1 on failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

export CONPAAS_DEV_CLUSTER_DIR="$CONPAAS_CACHE/e2e-wp-cluster"
export CONPAAS_APISERVER_PORT="${CONPAAS_E2E_WP_APISERVER_PORT:-18443}"
export CONPAAS_ETCD_PORT="${CONPAAS_E2E_WP_ETCD_PORT:-14379}"
export CONPAAS_OPERATOR_DIR="$CONPAAS_CACHE/e2e-wp-operator"
LOCAL_CLOUD_DIR="$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")"
LOCAL_CLOUD_BASE="${LOCAL_CLOUD_DIR##*/}"
AGENTS_RE="${LOCAL_CLOUD_DIR%/*}/[${LOCAL_CLOUD_BASE:0:1}]${LOCAL_CLOUD_BASE:1}"
PLUGIN=(java -jar "$CONPAAS_ROOT/kubectl-plugin/target/kubectl-conpaas.jar")
STEP_LOG=/tmp/conpaas-e2e-wp-step.log
passed=0
failed=0

cleanup() {
  [[ -n "${WRITER_PID:-}" ]] && kill "$WRITER_PID" 2>/dev/null || true
  hack/operator.sh stop >/dev/null 2>&1 || true
  hack/dev-cluster.sh down >/dev/null 2>&1 || true
  pkill -f "$AGENTS_RE" 2>/dev/null || true
  rm -rf "$LOCAL_CLOUD_DIR" /tmp/conpaas-e2e-wp "$CONPAAS_OPERATOR_DIR/code-store"
}
trap cleanup EXIT

ensure_built
[[ -f kubectl-plugin/target/kubectl-conpaas.jar ]] || die "kubectl-plugin/target/kubectl-conpaas.jar missing: build first"
cluster_with_crds
rm -rf "$LOCAL_CLOUD_DIR" /tmp/conpaas-e2e-wp "$CONPAAS_OPERATOR_DIR/code-store"
mkdir -p /tmp/conpaas-e2e-wp
hack/operator.sh start
kubectl apply -f examples/local-cloud.yaml >/dev/null

url() { kubectl get phpservice blog-web -o jsonpath='{.status.endpoints[0].url}'; }
password() { kubectl get secret blog-db-mysql -o jsonpath='{.data.password}' | base64 -d; }
# SQL as mysqladb on host:port $1, the password in a 600 defaults file (never on a command line).
sql() {
  local cnf=/tmp/conpaas-e2e-wp/client.cnf
  (umask 077 && printf '[client]\nuser=mysqladb\npassword="%s"\n' "$(password)" > "$cnf")
  mariadb --defaults-extra-file="$cnf" --protocol=TCP -h "${1%:*}" -P "${1##*:}" --batch --skip-column-names -e "$2"
}
master() { kubectl get mysqlservice blog-db -o jsonpath='{.status.endpoints[0].url}'; }
slaves() { kubectl get agents -l conpaas.io/service=blog-db,conpaas.io/role=slaves \
  -o jsonpath='{range .items[*]}127.0.0.1:{.status.facts.port}{"\n"}{end}'; }
posts_on() { sql "$1" "SELECT COUNT(*) FROM blog.posts"; }
running() { kubectl wait --for=jsonpath='{.status.state}'=RUNNING "$@" --timeout=300s; }

check "the tutorial's manifests reach RUNNING" bash -c "kubectl apply -f examples/wordpress/wordpress.yaml \
  && kubectl wait --for=jsonpath='{.status.state}'=RUNNING mysqlservice/blog-db phpservice/blog-web --timeout=300s"
check "kubectl conpaas upload-code --activate deploys the blog" bash -c \
  "(cd examples/wordpress/app && python3 -m zipfile -c /tmp/conpaas-e2e-wp/blog.zip *) \
   && ${PLUGIN[*]} upload-code blog-web /tmp/conpaas-e2e-wp/blog.zip --version v1 --activate \
   && kubectl wait --for=jsonpath='{.status.code.active}'=v1 phpservice/blog-web --timeout=120s"
check "the first visit creates the schema, like WordPress's installer" bash -c \
  "curl -fsS \"\$(kubectl get phpservice blog-web -o jsonpath='{.status.endpoints[0].url}')index.php\" | grep -q '0 posts'"
check "a post written through the proxy is listed" bash -c \
  "u=\$(kubectl get phpservice blog-web -o jsonpath='{.status.endpoints[0].url}'); \
   curl -fsS -d title=Hello -d body=ConPaaS \"\${u}post.php\" | grep -q 'created post' \
   && curl -fsS \"\${u}index.php\" | grep -q 'Hello'"
export -f sql password posts_on slaves master
check "the post is on the slave" bash -c 'for i in $(seq 1 30); do
  [[ "$(posts_on "$(slaves | head -1)")" == 1 ]] && exit 0; sleep 1; done; exit 1'
check "kubectl conpaas connect prints the mysql command" bash -c \
  "${PLUGIN[*]} connect blog-db | grep -q -- '-u mysqladb'"

# Post continuously while scaling; count what the blog confirmed.
BASE_URL=$(url)
: > /tmp/conpaas-e2e-wp/writes
(
  i=0
  while true; do
    i=$((i + 1))
    code=$(curl -sS -m 20 -o /dev/null -w '%{http_code}' -d "title=load $i" -d body=x "${BASE_URL}post.php" 2>/dev/null)
    if [[ "$code" =~ ^[23] ]]; then
      echo ok >> /tmp/conpaas-e2e-wp/writes
    else
      # When and how it failed (000 = no answer within 20 s or refused), for the log below.
      echo "failed $(date -u +%H:%M:%S.%N | cut -c1-12) http=$code post=$i" >> /tmp/conpaas-e2e-wp/writes
    fi
  done
) &
WRITER_PID=$!
check "PHP backends scale 1 -> 3 -> 1 while posting" bash -c "kubectl scale phpservice/blog-web --replicas=3 \
  && kubectl wait --for=jsonpath='{.status.replicas}'=3 phpservice/blog-web --timeout=180s \
  && kubectl scale phpservice/blog-web --replicas=1 \
  && kubectl wait --for=jsonpath='{.status.replicas}'=1 phpservice/blog-web --timeout=180s \
  && kubectl wait --for=jsonpath='{.status.state}'=RUNNING phpservice/blog-web --timeout=180s"
check "MySQL slaves scale 1 -> 0 -> 2 -> 1 while posting" bash -c "${PLUGIN[*]} remove-nodes blog-db 1 \
  && kubectl wait --for=jsonpath='{.status.replicas}'=0 mysqlservice/blog-db --timeout=180s \
  && ${PLUGIN[*]} add-nodes blog-db 2 \
  && kubectl wait --for=jsonpath='{.status.replicas}'=2 mysqlservice/blog-db --timeout=240s \
  && ${PLUGIN[*]} remove-nodes blog-db 1 \
  && kubectl wait --for=jsonpath='{.status.replicas}'=1 mysqlservice/blog-db --timeout=180s \
  && kubectl wait --for=jsonpath='{.status.state}'=RUNNING mysqlservice/blog-db --timeout=180s"
kill "$WRITER_PID" 2>/dev/null || true
wait "$WRITER_PID" 2>/dev/null || true
WRITER_PID=""
ok=$(grep -c '^ok$' /tmp/conpaas-e2e-wp/writes || true)
bad=$(grep -c '^failed' /tmp/conpaas-e2e-wp/writes || true)
echo "       posts while scaling: $ok confirmed, $bad failed"
grep '^failed' /tmp/conpaas-e2e-wp/writes | head -5 | sed 's/^/       /' || true
check "no post failed while scaling" test "$bad" -eq 0
export ok
check "no confirmed post is lost, on the master and on the slave" bash -c \
  'want=$((ok + 1)); got=$(posts_on "$(master)"); [[ "$got" -ge "$want" ]] || { echo "master has $got, want >= $want"; exit 1; }
   for i in $(seq 1 30); do [[ "$(posts_on "$(slaves | head -1)")" == "$got" ]] && exit 0; sleep 1; done
   echo "slave has $(posts_on "$(slaves | head -1)"), master $got"; exit 1'
check "kubectl conpaas reset-password: the old password stops working, the blog keeps working" bash -c \
  "old=\$(kubectl get secret blog-db-mysql -o jsonpath='{.data.password}' | base64 -d); \
   echo 'e2e-New-password-42' | ${PLUGIN[*]} reset-password blog-db --password-stdin \
   && printf '[client]\nuser=mysqladb\npassword=\"%s\"\n' \"\$old\" > /tmp/conpaas-e2e-wp/old.cnf \
   && ! mariadb --defaults-extra-file=/tmp/conpaas-e2e-wp/old.cnf --protocol=TCP \
        -h 127.0.0.1 -P \"\$(kubectl get mysqlservice blog-db -o jsonpath='{.status.endpoints[0].url}' | cut -d: -f2)\" -e 'SELECT 1' \
   && for i in \$(seq 1 30); do curl -fsS -d title=after-reset -d body=x \
        \"\$(kubectl get phpservice blog-web -o jsonpath='{.status.endpoints[0].url}')post.php\" && exit 0; sleep 1; done; exit 1"
check "no password in the services' YAML, the events or the operator log" bash -c \
  "pw=\$(kubectl get secret blog-db-mysql -o jsonpath='{.data.password}' | base64 -d); \
   ! { kubectl get mysqlservice,phpservice,agents -o yaml; kubectl get events -o yaml; \
       cat \"$CONPAAS_OPERATOR_DIR/operator.log\"; } | grep -qF \"\$pw\""
check "deleting the tutorial releases every agent" bash -c \
  "kubectl delete -f examples/wordpress/wordpress.yaml --wait=true --timeout=180s && [[ -z \"\$(pgrep -f '$AGENTS_RE')\" ]]"
# The Cloud waits (finalizer) until its VMs are gone; a failed check above may have left some.
kubectl delete -f examples/local-cloud.yaml --ignore-not-found --timeout=120s >/dev/null || echo "e2e: the local Cloud still has VMs: $(kubectl get cloud -o jsonpath="{.items[*].status.conditions}")" >&2

echo "e2e-wordpress: $passed passed, $failed failed"
((failed == 0))
