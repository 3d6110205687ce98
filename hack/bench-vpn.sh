#!/usr/bin/env bash
# Benchmark of the application VPN (prints numbers; not a test).
# 1. Data plane: single-stream TCP throughput with iperf3 between two network namespaces joined by a veth pair,
#    over the underlay and over wireguard-go (the userspace WireGuard the agents run where the kernel has none),
#    and the overlay/underlay ratio. This host's kernel has no usable WireGuard: kernel WireGuard is measured
#    between two qemu guests of the agent VM image (hack/bench-vpn-kernel.sh; KERNEL=0 skips it).
# 2. Membership (MEMBERSHIP=0 skips it): its own dev control plane and operator, a local Cloud, a vpn.enabled
#    application and a HelloWorldService on it (every agent in a namespace of its own with wireguard-go).
#    For SIZES (default "10 50"): scaled to size-1, then +1: the time from the new agent's first VPN push (its
#    key known; it turns Running in that same pass) to the moment every other agent applied a peer list with it
#    (operator log times), i.e. "Running to reachable by all peers"; at the largest size also -1: the time from
#    the scale request to every remaining agent applying the list without the removed one.
#
# Needs root (namespaces). Traffic stays inside the namespaces this script (or the local Cloud) makes; they,
# their veths and wireguard-go are removed at exit. Environment: SECONDS_PER_RUN (default 5), ROUNDS (default 3;
# the median is reported), MEMBERSHIP (default 1), SIZES (default "10 50"), KERNEL (default 1;
# its own SECONDS_PER_RUN and ROUNDS apply).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

((EUID == 0)) || die "bench-vpn.sh needs root (network namespaces)"
bash "$CONPAAS_ROOT/hack/install-vpn-deps.sh" >/dev/null
DURATION="${SECONDS_PER_RUN:-5}"
ROUNDS="${ROUNDS:-3}"
A=cpbench-a
B=cpbench-b
WG_A=cpwbencha
WG_B=cpwbenchb
KEYS=

cleanup() {
  for ns in $A $B; do
    for pid in $(ip netns pids $ns 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del $ns 2>/dev/null || true
  done
  rm -f "/var/run/wireguard/$WG_A.sock" "/var/run/wireguard/$WG_B.sock"
  [[ -z "$KEYS" ]] || rm -rf "$KEYS"
}
trap cleanup EXIT
cleanup
KEYS=$(mktemp -d)

ip netns add $A
ip netns add $B
ip -n $A link set lo up
ip -n $B link set lo up
ip link add cpbench0 netns $A type veth peer name cpbench1 netns $B
ip -n $A addr add 10.254.77.1/30 dev cpbench0
ip -n $B addr add 10.254.77.2/30 dev cpbench1
ip -n $A link set cpbench0 up
ip -n $B link set cpbench1 up

umask 077
for side in A B; do
  ns=${!side}; wgif=WG_$side; wgif=${!wgif}
  # In the foreground (-f) as a child of this script: never daemonized, so the namespace's pids find it.
  ip netns exec "$ns" wireguard-go -f "$wgif" >/dev/null 2>&1 &
  disown
  for _ in $(seq 1 100); do ip netns exec "$ns" wg show "$wgif" >/dev/null 2>&1 && break; sleep 0.05; done
  wg genkey > "$KEYS/$side"
  wg pubkey < "$KEYS/$side" > "$KEYS/$side.pub"
  ip netns exec "$ns" wg set "$wgif" listen-port 51820 private-key "$KEYS/$side"
done
ip -n $A addr add 172.16.0.1/12 dev $WG_A
ip -n $B addr add 172.16.0.2/12 dev $WG_B
ip -n $A link set $WG_A up
ip -n $B link set $WG_B up
ip netns exec $A wg set $WG_A peer "$(cat "$KEYS/B.pub")" endpoint 10.254.77.2:51820 allowed-ips 172.16.0.2/32
ip netns exec $B wg set $WG_B peer "$(cat "$KEYS/A.pub")" endpoint 10.254.77.1:51820 allowed-ips 172.16.0.1/32

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gbits() { # gbits ADDRESS: one iperf3 run from A to B, Gbit/s received
  ip netns exec $B iperf3 -s -D -1 >/dev/null 2>&1
  sleep 0.3
  ip netns exec $A iperf3 -c "$1" -t "$DURATION" -J | python3 -c \
    'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))'
}
underlay=(); overlay=()
for ((r = 1; r <= ROUNDS; r++)); do
  underlay+=("$(gbits 10.254.77.2)")
  overlay+=("$(gbits 172.16.0.2)")
done
U=$(printf '%s\n' "${underlay[@]}" | median)
O=$(printf '%s\n' "${overlay[@]}" | median)
echo "single-stream TCP, iperf3 -t $DURATION, median of $ROUNDS runs:"
echo "  underlay (veth between two namespaces): $U Gbit/s  (runs: ${underlay[*]})"
echo "  wireguard-go over that underlay:        $O Gbit/s  (runs: ${overlay[*]})"
python3 -c "print('  overlay/underlay ratio: %.3f' % ($O / $U))"
echo "  (load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg))"

if [[ "${KERNEL:-1}" == 1 ]]; then
  bash "$CONPAAS_ROOT/hack/bench-vpn-kernel.sh" || echo "  (kernel WireGuard figure not measured: see above)"
  echo "  (load average after the guests: $(cut -d' ' -f1-3 /proc/loadavg))"
fi

[[ "${MEMBERSHIP:-1}" == 1 ]] || exit 0
cleanup  # the throughput namespaces go before the agents come
trap - EXIT
cd "$CONPAAS_ROOT"
SIZES="${SIZES:-10 50}"
NS=conpaas-bench-vpn
export CONPAAS_DEV_CLUSTER_DIR="$CONPAAS_CACHE/bench-vpn-cluster"
export CONPAAS_APISERVER_PORT="${CONPAAS_BENCH_VPN_APISERVER_PORT:-16543}"
export CONPAAS_ETCD_PORT="${CONPAAS_BENCH_VPN_ETCD_PORT:-12479}"
export CONPAAS_OPERATOR_DIR="$CONPAAS_CACHE/bench-vpn-operator"
export CONPAAS_NAMESPACES="$NS"
# Every agent namespace holds a neighbour (ARP) entry per peer, and the host kernel's table is shared by all
# namespaces (net.ipv4.neigh.default.gc_thresh3, 1024 by default: ~31 agents in a mesh). Past it the kernel
# refuses new entries and agents stop reaching each other and the operator: this is why 50 agents never all
# ran before. Raised for the run (to what the local Cloud's warning advises), restored at exit.
NEIGH=/proc/sys/net/ipv4/neigh/default
NEIGH_SAVED="$(cat $NEIGH/gc_thresh1) $(cat $NEIGH/gc_thresh2) $(cat $NEIGH/gc_thresh3)"
largest_size=$(printf '%s\n' $SIZES | sort -n | tail -1)
need=$((largest_size * (largest_size - 1) + 2 * largest_size))
if ((4 * need > $(cat $NEIGH/gc_thresh3))); then
  echo $((need)) >$NEIGH/gc_thresh1; echo $((2 * need)) >$NEIGH/gc_thresh2; echo $((4 * need)) >$NEIGH/gc_thresh3
  echo "  (host neighbour table raised for the run: gc_thresh1/2/3 $NEIGH_SAVED -> $(cat $NEIGH/gc_thresh1) $(cat $NEIGH/gc_thresh2) $(cat $NEIGH/gc_thresh3))"
fi
membership_cleanup() {
  kubectl -n "$NS" delete helloworldservice hw --wait=true --timeout=300s >/dev/null 2>&1 || true
  hack/operator.sh stop >/dev/null 2>&1 || true
  hack/dev-cluster.sh down >/dev/null 2>&1 || true
  rm -rf "$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")"
  # Only lowered again when another run did not raise it further meanwhile.
  read -r t1 t2 t3 <<<"$NEIGH_SAVED"
  if (($(cat $NEIGH/gc_thresh3) == 4 * need && t3 < 4 * need)); then
    echo "$t1" >$NEIGH/gc_thresh1; echo "$t2" >$NEIGH/gc_thresh2; echo "$t3" >$NEIGH/gc_thresh3
  fi
}
trap membership_cleanup EXIT
[[ -f "$OPERATOR_JAR" && -f "$AGENT_JAR" ]] || die "build the jars first: mvn -B -DskipTests -pl operator -am package"
cluster_with_crds
rm -rf "$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")"
mkdir -p "$CONPAAS_OPERATOR_DIR"
: > "$CONPAAS_OPERATOR_DIR/operator.log"
hack/operator.sh start
LOG_FILE=$(hack/operator.sh logs)
kubectl create namespace "$NS" >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: conpaas.io/v1alpha1
kind: Cloud
metadata: {name: bench-vpn-local}
spec: {provider: local, maxInstances: 200}
---
apiVersion: conpaas.io/v1alpha1
kind: Application
metadata: {name: bench, namespace: $NS}
spec: {cloud: bench-vpn-local, vpn: {enabled: true}}
YAML

# peers.py OFFSET EXPECT [NEW]: from the operator log after byte OFFSET, the VPN pushes per agent; exits 0 when
# every agent of the bench's last push has EXPECT peers (and prints the times), 1 otherwise.
PEERS_PY='
import re, sys, datetime
log, offset, expect, t0 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
pat = re.compile(r"^(\S+) .*Agent ([^/ ]+)/(\S+): VPN \S+ with (\d+) peers applied")
first, last, count = {}, {}, {}
with open(log, "rb") as f:
    f.seek(offset)
    for line in f.read().decode("utf-8", "replace").splitlines():
        m = pat.match(line)
        if not m or m.group(2) != "'"$NS"'":
            continue
        ts = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp() * 1000
        name, n = m.group(3), int(m.group(4))
        first.setdefault(name, (ts, n))
        count[name] = n
        if n == expect:
            last.setdefault(name, ts)
agents = sys.argv[5].split()
# The Running agents of one read: the new one must be among them (else its peers may look complete without it).
if len(agents) != expect + 1:
    sys.exit(1)
# t0 == 0: the steady state (the latest push of every agent has EXPECT peers); else a change since t0.
if not (all(count.get(a) == expect for a in agents) if t0 == 0 else all(a in last for a in agents)):
    sys.exit(1)
if t0 == 0:
    sys.exit(0)
new = [a for a in agents if a in first and first[a][1] == expect and a not in sys.argv[6].split()]
done = max(last[a] for a in agents if a in last)
if new:
    joined = first[new[0]][0]
    print("%d %d %s" % (done - joined, joined - t0, new[0]))
else:
    print("%d 0 -" % (done - t0))
'
agents_now() { kubectl -n "$NS" get agents -o jsonpath='{range .items[?(@.status.phase=="Running")]}{.metadata.name}{" "}{end}'; }
scale_to() { # scale_to N: RUNNING with N agents, every one with N-1 peers applied
  local n=$1 deadline=$((SECONDS + 900))
  kubectl -n "$NS" patch helloworldservice hw --type merge -p "{\"spec\":{\"agents\":{\"nodes\":$n}}}" >/dev/null
  until [[ $(agents_now | wc -w) -eq $n ]] && [[ $(kubectl -n "$NS" get helloworldservice hw -o jsonpath='{.status.state}') == RUNNING ]]; do
    ((SECONDS < deadline)) || return 1; sleep 1
  done
  until python3 -c "$PEERS_PY" "$LOG_FILE" 0 $((n - 1)) 0 "$(agents_now)" "" >/dev/null; do
    ((SECONDS < deadline)) || return 1; sleep 1
  done
}
kubectl apply -f - >/dev/null <<YAML
apiVersion: conpaas.io/v1alpha1
kind: HelloWorldService
metadata: {name: hw, namespace: $NS}
spec: {application: bench, message: bench, agents: {nodes: 1}}
YAML
echo "VPN membership on the local Cloud (wireguard-go per agent namespace, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)):"
largest=0
for size in $SIZES; do
  if ! scale_to $((size - 1)); then
    echo "  $((size - 1)) agents did not all run with their peers within 15 min on this machine: stopping here"
    break
  fi
  before="$(agents_now)"
  offset=$(stat -c %s "$LOG_FILE")
  t0=$(now_ms)
  kubectl -n "$NS" patch helloworldservice hw --type merge -p "{\"spec\":{\"agents\":{\"nodes\":$size}}}" >/dev/null
  deadline=$((SECONDS + 600)); result=
  until result=$(python3 -c "$PEERS_PY" "$LOG_FILE" "$offset" $((size - 1)) "$t0" "$(agents_now)" "$before" 2>/dev/null); do
    ((SECONDS < deadline)) || { result=; break; }; sleep 0.5
  done
  if [[ -z "$result" ]]; then echo "  $size agents: the new agent did not reach every peer within 10 min"; break; fi
  read -r reach boot name <<<"$result"
  printf '  %2d agents: new agent %s reachable by all %d peers %d ms after it came up on the VPN (Running); scale request -> its first push %d ms (load %s)\n' \
    "$size" "$name" $((size - 1)) "$reach" "$boot" "$(cut -d' ' -f1-3 /proc/loadavg)"
  largest=$size
done
if ((largest > 1)); then
  offset=$(stat -c %s "$LOG_FILE")
  t0=$(now_ms)
  kubectl -n "$NS" patch helloworldservice hw --type merge -p "{\"spec\":{\"agents\":{\"nodes\":$((largest - 1))}}}" >/dev/null
  deadline=$((SECONDS + 600)); result=
  until now_agents="$(agents_now)" \
      && result=$(python3 -c "$PEERS_PY" "$LOG_FILE" "$offset" $((largest - 2)) "$t0" "$now_agents" "$now_agents" 2>/dev/null); do
    ((SECONDS < deadline)) || { result=; break; }; sleep 0.5
  done
  if [[ -n "$result" ]]; then
    printf '  membership change (one of %d agents removed): every remaining agent updated %d ms after the scale request (load %s)\n' \
      "$largest" "${result%% *}" "$(cut -d' ' -f1-3 /proc/loadavg)"
  else
    echo "  membership change (one of $largest agents removed): not every remaining agent updated within 10 min"
  fi
fi
