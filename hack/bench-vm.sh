#!/usr/bin/env bash
# Benchmark of the agent VM image and the qemu Cloud (prints numbers; not a test):
# 1. image build time and size per profile (vm-image/build.sh; cached builds print their recorded
#    build time), and checks that a helloworld-only image is smaller than a php+mysql one and that
#    --optimize shrinks it;
# 2. Agent created -> RUNNING on the qemu Cloud (QemuCloudIT's timeline, sampled every 0.2 s: VM created,
#    guest booted, agent started, TLS bootstrap done, configured), split into guest boot, agent (JVM) start,
#    and the operator's share (VM creation + TLS bootstrap + configure; target <= 1 s), with KVM or TCG
#    as the probe decides (the Cloud's Ready message, printed).
# Needs root and hack/install-deps.sh. A fresh build is ~5 min per profile here; the boot part
# several minutes under TCG. BENCH_VM_PROFILES overrides the profiles; BENCH_VM_BOOT=no skips part 2.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"
[[ -f "$AGENT_JAR" ]] || (cd "$CONPAAS_ROOT" && mvn -B -q -pl agent-runtime -am package -DskipTests)
PROFILES=${BENCH_VM_PROFILES:-"helloworld:--optimize helloworld: php,mysql:--optimize"}
declare -A CONTENT
for profile in $PROFILES; do
  services=${profile%%:*}
  opt=${profile#*:}
  # shellcheck disable=SC2086
  line=$(bash vm-image/build.sh --services "$services" $opt | grep '^image ')
  echo "profile $services ${opt:-(not optimized)}: ${line#image }"
  CONTENT["$services$opt"]=$(sed -n 's/.*root fs content \([0-9]*\) MiB.*/\1/p' <<<"$line")
done
check() {  # smaller-profile larger-profile what
  local a=${CONTENT[$1]:-} b=${CONTENT[$2]:-}
  [[ -n "$a" && -n "$b" ]] || return 0
  if ((a < b)); then echo "OK: $3 ($a MiB < $b MiB)"; else echo "FAIL: $3 ($a MiB >= $b MiB)"; exit 1; fi
}
check "helloworld--optimize" "php,mysql--optimize" "a helloworld-only image is smaller than a php+mysql one"
check "helloworld--optimize" "helloworld" "--optimize shrinks the image"
if [[ "${BENCH_VM_BOOT:-yes}" == yes ]]; then
  export CONPAAS_DEV_CLUSTER_DIR=${CONPAAS_DEV_CLUSTER_DIR:-/tmp/devcluster-bench-vm}
  mvn -B -q -o -pl operator -am verify -Dtest=NoSuchTest -Dit.test=QemuCloudIT -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false >/dev/null 2>&1 || true
  out=operator/target/failsafe-reports/io.conpaas.operator.QemuCloudIT-output.txt
  grep -h "qemu Cloud Ready\|QemuCloudIT" "$out"
  grep -o "qemu accelerator [a-z]*" "$out" | head -1 | sed 's/^/accelerator used: /'
  grep -o "operator's share [0-9.]* s" "$out" | awk '{s=$3; n++; if (s>m) m=s; t+=s} END {
    if (n) printf "operator share over %d agents: mean %.1f s, max %.1f s (target <= 1 s: %s)\n", n, t/n, m, (m<=1?"met":"not met") }'
fi
