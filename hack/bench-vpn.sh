#!/usr/bin/env bash
# Benchmark of the application VPN's data plane (prints numbers; not a test): single-stream TCP throughput
# with iperf3 between two network namespaces joined by a veth pair, over the underlay and over wireguard-go
# (the userspace WireGuard the agents run where the kernel has none), and the overlay/underlay ratio.
# The reachable-after-Running and membership-change times come from VpnIT (it prints them).
#
# Needs root (namespaces). Traffic stays inside the two namespaces this script makes; they, their veth and
# wireguard-go are removed at exit. Environment: SECONDS_PER_RUN (default 5), ROUNDS (default 3; the median
# is reported).
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
