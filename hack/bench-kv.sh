#!/usr/bin/env bash
# Benchmark of the key-value store (ScalarisService; prints numbers, not a test), on a dev control
# plane and an operator of its own, torn down at the end:
#  1. operations per second with 1, 3 and 5 members, through the HTTP API (GET/PUT /kv/bench/<key>,
#     THREADS client threads spread over every member's API) and through the Hazelcast client
#     (smart routing: each operation goes to the key's owner), for SECONDS s each: half reads, half
#     writes of VALUE_BYTES-byte values over KEYS keys; ratios against one member.
#  2. migration time: DATA_MB MiB (64 KiB values, map "bulk") in a 3-member store, then the time
#     for a scale-up 3 -> 4 to finish (service RUNNING with 4 members and the cluster safe: every
#     partition and backup in place) and for a scale-down 4 -> 3 to finish (the leaving member's
#     agent answered LEAVING until its partitions moved; its Agent is gone and the cluster safe);
#     every bulk entry is counted afterwards.
# One host runs every member, the load generator and the operator: the numbers measure the
# software on these cores, not a cluster of VMs (each member would have its own cores there).
#
# DATA_MB is capped at what fits the members' heaps (the agent JVM's; see below).
# Environment: SECONDS_EACH (10), THREADS (8), KEYS (10000), VALUE_BYTES (100), DATA_MB (100),
# CONPAAS_BENCH_KV_APISERVER_PORT (19643), CONPAAS_BENCH_KV_ETCD_PORT (15579).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

SECONDS_EACH="${SECONDS_EACH:-10}"
THREADS="${THREADS:-8}"
KEYS="${KEYS:-10000}"
VALUE_BYTES="${VALUE_BYTES:-100}"
DATA_MB="${DATA_MB:-100}"
NS=conpaas-bench-kv
SVC=bench-kv
export CONPAAS_DEV_CLUSTER_DIR="$CONPAAS_CACHE/bench-kv-cluster"
export CONPAAS_APISERVER_PORT="${CONPAAS_BENCH_KV_APISERVER_PORT:-19643}"
export CONPAAS_ETCD_PORT="${CONPAAS_BENCH_KV_ETCD_PORT:-15579}"
export CONPAAS_OPERATOR_DIR="$CONPAAS_CACHE/bench-kv-op"
export CONPAAS_NAMESPACES="$NS"
CLOUD=bkv
LOCAL_CLOUD_DIR="$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")"
WORK="$(mktemp -d /tmp/conpaas-bench-kv.XXXXXX)"
HAZELCAST_JAR="$(find "$HOME/.m2/repository/com/hazelcast/hazelcast" -name 'hazelcast-5.*.jar' 2>/dev/null | sort | tail -1)"
[[ -f "$HAZELCAST_JAR" ]] || die "no Hazelcast jar in ~/.m2 (build the agent first: mvn -B -pl agent-runtime -am package)"
CLUSTER_UP=""

# Stops agents a pid file under the local cloud names if they still run from there (what deleting
# the service did not release, or what an interrupted run left).
stop_leftovers() {
  [[ -d "$LOCAL_CLOUD_DIR" ]] || return 0
  local f pid pids=()
  while IFS= read -r f; do
    pid=$(cat "$f" 2>/dev/null) || continue
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$LOCAL_CLOUD_DIR" || continue
    kill "$pid" 2>/dev/null && pids+=("$pid")
  done < <(find "$LOCAL_CLOUD_DIR" -name pid -type f 2>/dev/null)
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

cleanup() {
  local rc=$?
  if [[ -n "$CLUSTER_UP" ]]; then
    kubectl -n "$NS" delete scalarisservice "$SVC" --ignore-not-found --wait=true --timeout=180s >/dev/null 2>&1 || true
  fi
  if ((rc != 0)); then
    log "failed (exit $rc); last lines of $CONPAAS_OPERATOR_DIR/operator.log:"
    tail -n 15 "$CONPAAS_OPERATOR_DIR/operator.log" >&2 2>/dev/null || true
  fi
  hack/operator.sh stop >/dev/null 2>&1 || true
  stop_leftovers
  hack/dev-cluster.sh down >/dev/null 2>&1 || true
  rm -rf "$LOCAL_CLOUD_DIR" "$WORK"
}
trap cleanup EXIT

# The load generator: plain Java (single-file source launch) with the Hazelcast client.
cat > "$WORK/KvBench.java" <<'JAVA'
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** http SECONDS THREADS KEYS BYTES URL,URL... | hz SECONDS THREADS KEYS BYTES CLUSTER ADDRESS | fill|count CLUSTER ADDRESS MIB */
public class KvBench {
  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "http" -> http(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]),
          Integer.parseInt(a[4]), a[5].split(","));
      case "hz" -> hz(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]),
          Integer.parseInt(a[4]), a[5], a[6]);
      case "fill" -> fill(a[1], a[2], Integer.parseInt(a[3]));
      case "count" -> count(a[1], a[2], Integer.parseInt(a[3]));
      default -> throw new IllegalArgumentException(a[0]);
    }
  }

  static HazelcastInstance client(String cluster, String address) {
    ClientConfig cc = new ClientConfig();
    cc.setClusterName(cluster);
    cc.setProperty("hazelcast.logging.type", "none");
    cc.getNetworkConfig().addAddress(address);
    cc.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(30_000);
    return HazelcastClient.newHazelcastClient(cc);
  }

  interface Op { boolean run(int key, boolean write) throws Exception; }

  /** THREADS threads for SECONDS s, half reads and half writes of random keys; prints "ops/s errors". */
  static void load(int seconds, int threads, int keys, java.util.function.IntFunction<Op> perThread) throws Exception {
    AtomicLong ops = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      Op op = perThread.apply(t);
      ts[t] = new Thread(() -> {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
          try {
            if (op.run(r.nextInt(keys), r.nextBoolean())) ops.incrementAndGet(); else errors.incrementAndGet();
          } catch (Exception e) {
            errors.incrementAndGet();
          }
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) t.join();
    System.out.printf("%.0f %d%n", ops.get() / (double) seconds, errors.get());
  }

  static void http(int seconds, int threads, int keys, int bytes, String[] urls) throws Exception {
    String value = "x".repeat(bytes);
    load(seconds, threads, keys, t -> {
      HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      String base = urls[t % urls.length] + "bench/k";
      return (key, write) -> {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + key)).timeout(Duration.ofSeconds(10));
        int code = c.send(write ? b.PUT(HttpRequest.BodyPublishers.ofString(value)).build() : b.GET().build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        return code / 100 == 2;
      };
    });
  }

  static void hz(int seconds, int threads, int keys, int bytes, String cluster, String address) throws Exception {
    HazelcastInstance hz = client(cluster, address);
    try {
      IMap<String, String> m = hz.getMap("bench");
      String value = "x".repeat(bytes);
      if (m.size() < keys) {
        Map<String, String> all = new HashMap<>();
        for (int i = 0; i < keys; i++) all.put("k" + i, value);
        m.putAll(all);
      }
      load(seconds, threads, keys, t -> (key, write) -> {
        if (write) {
          m.set("k" + key, value);
          return true;
        }
        return m.get("k" + key) != null;
      });
    } finally {
      hz.shutdown();
    }
  }

  static void fill(String cluster, String address, int mib) throws Exception {
    HazelcastInstance hz = client(cluster, address);
    try {
      IMap<Integer, byte[]> m = hz.getMap("bulk");
      byte[] value = new byte[64 * 1024];
      ThreadLocalRandom.current().nextBytes(value);
      int n = mib * 16;
      for (int i = 0; i < n; i += 16) {
        Map<Integer, byte[]> batch = new HashMap<>();
        for (int j = i; j < Math.min(n, i + 16); j++) batch.put(j, value);
        m.putAll(batch);
      }
      System.out.println(m.size());
    } finally {
      hz.shutdown();
    }
  }

  static void count(String cluster, String address, int mib) throws Exception {
    HazelcastInstance hz = client(cluster, address);
    try {
      IMap<Integer, byte[]> m = hz.getMap("bulk");
      int present = 0;
      for (int i = 0; i < mib * 16; i++) if (m.containsKey(i)) present++;
      System.out.println(present);
    } finally {
      hz.shutdown();
    }
  }
}
JAVA
kvbench() { java -XX:+UseSerialGC -Xmx256m -cp "$HAZELCAST_JAR" "$WORK/KvBench.java" "$@"; }

svc() { kubectl -n "$NS" get scalarisservice "$SVC" -o jsonpath="$1"; }
# Waits until the service is RUNNING with $1 ready nodes, $1 Agents and every member in a safe
# cluster (first node's status page: $1 members, clusterSafe).
await_store() {
  local n=$1 state ready agents deadline=$(($(now_ms) + 300000))
  while (($(now_ms) < deadline)); do
    state=$(svc '{.status.state}') ready=$(svc '{.status.replicas}')
    agents=$(kubectl -n "$NS" get agents -l "conpaas.io/service=$SVC" -o name | wc -l)
    if [[ "$state" == RUNNING && "$ready" == "$n" && "$agents" == "$n" ]] &&
        curl -fsS --max-time 5 "$(svc '{.status.endpoints[1].url}')status" 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
sys.exit(0 if s["clusterSafe"] and len(s["members"]) == int(sys.argv[1]) else 1)' "$n" 2>/dev/null; then
      return
    fi
    [[ "$state" == ERROR ]] && die "$SVC: $(svc '{.status.message}')"
    sleep 0.1
  done
  die "$SVC not RUNNING with $n safe members after 300 s: $(svc '{.status.message}')"
}
scale() { kubectl -n "$NS" scale scalarisservice "$SVC" --replicas="$1" >/dev/null; }
api_urls() {
  kubectl -n "$NS" get scalarisservice "$SVC" \
    -o jsonpath='{range .status.endpoints[*]}{.name} {.url}{"\n"}{end}' | awk '$1 ~ /^kv/ {print $2}' | paste -sd, -
}
seconds_since() { awk -v ms=$(($(now_ms) - $1)) 'BEGIN { printf "%.1f", ms / 1000 }'; }

ensure_built
hack/operator.sh stop >/dev/null 2>&1 || true
hack/dev-cluster.sh down >/dev/null 2>&1 || true
stop_leftovers
rm -rf "$LOCAL_CLOUD_DIR"
cluster_with_crds
CLUSTER_UP=yes
hack/operator.sh start

kubectl create namespace "$NS" >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: conpaas.io/v1alpha1
kind: Cloud
metadata: {name: $CLOUD}
spec: {provider: local}
---
apiVersion: conpaas.io/v1alpha1
kind: Application
metadata: {name: bench, namespace: $NS}
spec: {cloud: $CLOUD}
---
apiVersion: conpaas.io/v1alpha1
kind: ScalarisService
metadata: {name: $SVC, namespace: $NS}
spec: {application: bench, backupCount: 1, nodes: {nodes: 1}}
YAML
t0=$(now_ms)
await_store 1
t_running=$(seconds_since "$t0")
CLUSTER="conpaas.$NS.$SVC.$(svc '{.metadata.uid}')"
HZ=$(svc '{.status.endpoints[2].url}')

echo "Key-value store (ScalarisService, embedded Hazelcast) on the local cloud ($(nproc) cores, load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg) at start)"
echo "  apply -> RUNNING (1 member): $t_running s"
echo "  ops/s, ${SECONDS_EACH}s each, $THREADS threads, 50% GET / 50% PUT of $VALUE_BYTES-byte values over $KEYS keys:"
printf '  %-8s %12s %8s %8s %12s %8s %8s\n' members "HTTP ops/s" errors ratio "client ops/s" errors ratio
declare -A HTTP_OPS HZ_OPS
for n in 1 3 5; do
  if ((n > 1)); then
    scale "$n"
    await_store "$n"
  fi
  read -r hz_ops hz_err < <(kvbench hz "$SECONDS_EACH" "$THREADS" "$KEYS" "$VALUE_BYTES" "$CLUSTER" "$HZ")
  read -r http_ops http_err < <(kvbench http "$SECONDS_EACH" "$THREADS" "$KEYS" "$VALUE_BYTES" "$(api_urls)")
  HTTP_OPS[$n]=$http_ops HZ_OPS[$n]=$hz_ops
  printf '  %-8s %12s %8s %8s %12s %8s %8s\n' "$n" "$http_ops" "$http_err" \
    "$(awk -v a="$http_ops" -v b="${HTTP_OPS[1]}" 'BEGIN { printf "%.2f", a / b }')" "$hz_ops" "$hz_err" \
    "$(awk -v a="$hz_ops" -v b="${HZ_OPS[1]}" 'BEGIN { printf "%.2f", a / b }')"
done

# --- 2. migration of DATA_MB MiB ----------------------------------------------------------------
scale 3
await_store 3
# Each member lives in its agent's JVM, whose heap the local cloud fixes (-Xmx48m): DATA_MB with one
# backup over 3 members must fit in about a third of each heap, or members die of OutOfMemoryError
# (100 MiB did on 2026-12-05). Above that the run uses what fits and says so.
heap_mib=$(curl -fsS --max-time 5 "$(svc '{.status.endpoints[1].url}')status" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["memory"]["heapMaxBytes"] // 1048576)')
fits=$((heap_mib * 3 / 2 / 3))
if ((DATA_MB > fits)); then
  echo "  NOTE: $DATA_MB MiB (+1 backup) does not fit 3 members of $heap_mib MiB heap each (the agent JVM's);" \
    "migrating $fits MiB instead"
  DATA_MB=$fits
fi
t0=$(now_ms)
entries=$(kvbench fill "$CLUSTER" "$HZ" "$DATA_MB")
echo "  $DATA_MB MiB written to 3 members ($entries entries of 64 KiB, 1 backup each) in $(seconds_since "$t0") s"
t0=$(now_ms)
scale 4
await_store 4
echo "  scale-up 3 -> 4 with $DATA_MB MiB: RUNNING, 4 members, cluster safe after $(seconds_since "$t0") s"
t0=$(now_ms)
scale 3
await_store 3
echo "  scale-down 4 -> 3 with $DATA_MB MiB: leaving member gone, cluster safe after $(seconds_since "$t0") s"
present=$(kvbench count "$CLUSTER" "$HZ" "$DATA_MB")
echo "  bulk entries present afterwards: $present of $((DATA_MB * 16))"
