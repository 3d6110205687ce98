#!/usr/bin/env bash
# Benchmark of the cloud drivers (prints numbers; not a test): EC2 API calls by name, counted
# at a proxy in front of moto that enforces a RunInstances limit of 5 burst / 2 per second,
# while the operator launches 1 service x 100 agents in batches (RunInstances calls and API time
# until every Agent is bound to an instance; no agent boots), then converges 1 service x 50 agents
# and 20 services x 5 agents (every agent a real process booted by the hypervisor rig), and the
# DescribeInstances rate once all run. BENCH_CLOUDS=batch runs only the batched launch (~1 min).
# Needs moto (hack/install-deps.sh). Several minutes; ~4 GB of memory for 50 agent JVMs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"
ensure_built
cluster_with_crds
mvn -B -q -pl operator org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.mainClass=io.conpaas.operator.bench.CloudsBench -Dexec.classpathScope=test \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
