#!/usr/bin/env bash
# Benchmark of the PHP proxy hop (prints numbers; not a test): requests per second of a small PHP
# page straight to one backend's nginx + php-fpm and through a proxy (nginx load balancer) in front
# of that same backend, with a fixed number of keep-alive clients, and the ratio proxy/direct
# (target >= 0.9). The agent roles run in-process (agent-runtime's PhpBackendRole and ProxyRole on
# real nginx and php-fpm, see hack/install-web-deps.sh); rounds alternate direct and proxy, medians
# are reported, and the CPU time per request of each part (clients, proxy nginx, backend nginx,
# php-fpm). Exits non-zero when any request failed.
#
# Servers and clients share this machine's cores, so by default the proxy's CPU is taken from the
# backend's: the ratio then is about (backend + clients) / (backend + clients + proxy) per request.
# PIN=1 puts the backend's servers on CPU 0 and the proxy and the clients on CPU 1, as if the proxy
# ran on a VM of its own (the deployed layout).
#
# Environment: CLIENTS (default 16) concurrent clients, DURATION (3) seconds per measurement,
# ROUNDS (6) measurements of each target, WARMUP (2) seconds against each target first, PIN (0).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

CLIENTS="${CLIENTS:-16}"
DURATION="${DURATION:-3}"
ROUNDS="${ROUNDS:-6}"
WARMUP="${WARMUP:-2}"
PIN="${PIN:-0}"

for bin in nginx php-fpm8.2; do
  command -v "$bin" >/dev/null 2>&1 || [[ -x "/usr/sbin/$bin" ]] \
    || die "$bin is missing: run hack/install-web-deps.sh"
done
if [[ "$PIN" == 1 ]] && ! command -v taskset >/dev/null 2>&1; then
  die "PIN=1 needs taskset (util-linux)"
fi

# Test classes (the bench lives in agent-runtime's test tree) and the classpath they need; offline
# when the local repository already has everything, online otherwise.
CLASSPATH_FILE=agent-runtime/target/bench-web.classpath
build=(-B -q -pl agent-runtime -am test-compile dependency:build-classpath
  -Dmdep.outputFile=target/bench-web.classpath -Dmdep.includeScope=test)
log "building agent-runtime's test classes"
if ! mvn -o "${build[@]}" >/dev/null 2>&1; then
  log "offline build failed; retrying online"
  mvn "${build[@]}" >&2
fi

exec java -XX:+UseSerialGC \
  -cp "agent-runtime/target/test-classes:agent-runtime/target/classes:$(cat "$CLASSPATH_FILE")" \
  -Dbench.clients="$CLIENTS" -Dbench.seconds="$DURATION" -Dbench.rounds="$ROUNDS" -Dbench.warmup="$WARMUP" \
  -Dbench.pin="$([[ "$PIN" == 1 ]] && echo true || echo false)" \
  io.conpaas.agent.bench.WebProxyBench
