#!/usr/bin/env bash
# Benchmark of bags of tasks (issue 14; prints numbers, not a test): BENCH_TASKS (1000) short tasks
# ("sleep BENCH_TASK_SECONDS", 0.2) on BENCH_WORKERS (10) workers of one instance type on the local Cloud,
# with a real operator and real agent processes (operator/src/test/.../BagsBench, run through failsafe
# on a dev control plane of its own, which is stopped at the end):
#  - TaskFarm, BENCH_RUNS (5) times: sample, then the fastest schedule (every worker); per run and as
#    mean/min/max: scheduling overhead per task (ms: the mean idle gap between a worker's consecutive
#    tasks), worker utilisation (task time over each worker's active span, and over workers x makespan
#    including the boot of the workers the schedule adds), predicted vs actual makespan and cost
#    (billing unit 60 s so that cost differs between runs); then the model's inputs (seconds per task with the
#    sampled gap, startup = launch lag + boot, dispatch latency) and per worker VM its creation, first start,
#    last end and gaps (median/p90/max), to show where a prediction missed;
#  - HTC once (BENCH_HTC=0 skips it): a pool of the same size, running first, then one online job of the
#    same bag: the same overhead and utilisation, and the measured throughput.
# One host runs every worker and the operator: the figures measure the software on these cores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"
export CONPAAS_DEV_CLUSTER_DIR=${CONPAAS_DEV_CLUSTER_DIR:-/tmp/devcluster-bench-bags}
export BENCH_TASKS=${BENCH_TASKS:-1000} BENCH_WORKERS=${BENCH_WORKERS:-10} BENCH_RUNS=${BENCH_RUNS:-5}
export BENCH_TASK_SECONDS=${BENCH_TASK_SECONDS:-0.2} BENCH_HTC=${BENCH_HTC:-1}
trap 'hack/dev-cluster.sh down >/dev/null 2>&1 || true' EXIT
log "TaskFarm x $BENCH_RUNS and HTC x $BENCH_HTC: $BENCH_TASKS tasks on $BENCH_WORKERS workers (several minutes)"
rc=0
mvn -B -q -o -pl operator -am verify -Dtest=NoSuchTest -Dit.test=BagsBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false >/tmp/bench-bags-mvn.$$.log 2>&1 || rc=$?
out=operator/target/failsafe-reports/io.conpaas.operator.BagsBench-output.txt
if [[ -f "$out" ]]; then grep -h '^bench-bags:' "$out"; fi
if ((rc != 0)); then
  tail -n 40 /tmp/bench-bags-mvn.$$.log >&2
  die "the benchmark failed (exit $rc); output in $out"
fi
rm -f /tmp/bench-bags-mvn.$$.log
