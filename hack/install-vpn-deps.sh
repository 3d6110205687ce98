#!/usr/bin/env bash
# Installs what the application VPN needs on a host whose kernel WireGuard is unusable (as on the development
# host): Debian's wireguard-go (userspace WireGuard) and wireguard-tools (wg), plus iproute2 (ip netns, veth,
# bridges: local Clouds put VPN agents in network namespaces) and iperf3 and python3 (hack/bench-vpn.sh, VpnIT's
# echo probes). Without recommends: they would pull a kernel image. Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

have() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]] || [[ -x "/usr/bin/$1" ]]; }
if have wireguard-go && have wg && have ip && have iperf3 && have python3; then
  log "VPN tools already installed"
  exit 0
fi
apt_install_without_services "iperf3" wireguard-go wireguard-tools iproute2 iperf3 python3
have wireguard-go && have wg && have ip || die "installation finished but wireguard-go, wg or ip is still missing"
log "VPN tools ready: $(wg --version 2>&1 | head -1)"
