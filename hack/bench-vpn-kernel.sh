#!/usr/bin/env bash
# Kernel WireGuard throughput between two qemu guests of the agent VM image (part of hack/bench-vpn.sh;
# prints numbers, not a test). Two guests boot the image's own kernel and root file system (a qcow2
# overlay each; the image stays untouched) with bash as init running a script from a second disk: no
# systemd, no agent. They share one point-to-point ethernet link (qemu socket netdev over the host's
# loopback), make a kernel WireGuard interface as the agent does there (`ip link add ... type wireguard`,
# keys set with wg from wireguard-tools), and guest B sends single-stream TCP to guest A for
# SECONDS_PER_RUN s, first over the link (underlay), then over WireGuard (overlay). The throughput probe
# is a Perl one-liner (perl-base and IO::Socket::INET are in every Debian image; iperf3 is not in it):
# the receiver counts bytes, the sender's bash times the run from the connection to the receiver's count
# (EPOCHREALTIME: the image's perl has no Time::HiRes).
# Under TCG (no usable /dev/kvm) the guests' CPUs are emulated: absolute figures are low, the
# overlay/underlay ratio is the meaningful number. Needs root only for nothing: it runs as any user.
#
# Environment: VM_IMAGE (a .raw of vm-image/build.sh; default the newest cached one), SECONDS_PER_RUN (5),
# QEMU_ACCEL (tcg; kvm where it works), GUEST_MEMORY_MB (512).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (hack/install-deps.sh)"
for tool in mcopy sfdisk qemu-img wg; do command -v "$tool" >/dev/null || die "$tool is missing"; done
DURATION="${SECONDS_PER_RUN:-5}"
ROUNDS="${ROUNDS:-3}"
ACCEL="${QEMU_ACCEL:-tcg}"
MEM="${GUEST_MEMORY_MB:-512}"
IMAGE="${VM_IMAGE:-$(ls -t "$CONPAAS_CACHE"/vm-image/*/conpaas-agent-*.raw 2>/dev/null | head -1 || true)}"
[[ -n "$IMAGE" && -f "$IMAGE" ]] || die "no VM image: run vm-image/build.sh --services helloworld --optimize (or set VM_IMAGE)"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The kernel and initrd from the image's FAT boot partition (mtools reads it in place, no mount).
boot_start=$(sfdisk -d "$IMAGE" | sed -n 's/.*start= *\([0-9]*\),.*bootable.*/\1/p')
mcopy -n -i "$IMAGE@@$((boot_start * 512))" ::/vmlinuz "$WORK/vmlinuz"
mcopy -n -i "$IMAGE@@$((boot_start * 512))" ::/initrd.img "$WORK/initrd.img"
umask 077
wg genkey >"$WORK/a.key"; wg pubkey <"$WORK/a.key" >"$WORK/a.pub"
wg genkey >"$WORK/b.key"; wg pubkey <"$WORK/b.key" >"$WORK/b.pub"
PORT=$(free_port)

# guest_script ME OTHER ROLE: the init script of one guest (ROLE serve or send).
guest_script() {
  local me=$1 other=$2 role=$3 key peer
  key=$(cat "$WORK/$([[ $me == 1 ]] && echo a || echo b).key")
  peer=$(cat "$WORK/$([[ $me == 1 ]] && echo b || echo a).pub")
  cat <<EOF
# bench-vpn-kernel guest $me ($role); runs as init (pid 1), ends with a power-off
for fs in proc:/proc sysfs:/sys devtmpfs:/dev tmpfs:/tmp; do mount -t \${fs%%:*} none \${fs#*:} 2>/dev/null; done
exec >/dev/ttyS0 2>&1
say() { echo "BENCH \$*"; }
ip link set lo up; ip link set eth0 up; ip addr add 10.254.78.$me/30 dev eth0
modprobe wireguard && ip link add wg0 type wireguard && say "dataplane kernel \$(uname -r)" || say "dataplane none"
umask 077; echo '$key' >/tmp/key
wg set wg0 listen-port 51820 private-key /tmp/key peer '$peer' endpoint 10.254.78.$other:51820 allowed-ips 172.16.0.$other/32
ip addr add 172.16.0.$me/12 dev wg0; ip link set wg0 up
EOF
  if [[ $role == serve ]]; then
    sed "s/ROUNDS\$/$ROUNDS/" <<'EOF'
# Each connection: read to EOF, answer the byte count; done after ROUNDS that carried data per path.
perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalPort => 5201, Listen => 4, ReuseAddr => 1) or die;
  $done = 0; while ($done < 2 * $ARGV[0]) { $c = $s->accept or next; $n = 0; while (($r = sysread($c, $b, 1 << 16)) > 0) { $n += $r }
  print $c "$n\n"; close $c; $done++ if $n > 0 }' ROUNDS
say "served"
EOF
  else
    cat <<EOF
# send TO: connect (retrying while the peer boots), say so, write for $DURATION s, half-close, print the count.
send() {
  perl -MIO::Socket::INET -e '\$| = 1; \$d = time + 180; until (\$c = IO::Socket::INET->new(PeerAddr => \$ARGV[0], PeerPort => 5201, Timeout => 2)) { die "no peer" if time > \$d; sleep 1 }
    print "connected\\n"; \$b = "x" x (1 << 16); \$end = time + $DURATION; while (time < \$end) { syswrite(\$c, \$b) or die } shutdown(\$c, 1); print scalar <\$c>' "\$1"
}
# Untimed first: an empty connection to each address (waits for the peer's boot; over the overlay it
# also makes the WireGuard handshake), so the timed run starts on a ready path.
probe() { perl -MIO::Socket::INET -e '\$d = time + 300; until (IO::Socket::INET->new(PeerAddr => \$ARGV[0], PeerPort => 5201, Timeout => 2)) { exit 1 if time > \$d; sleep 1 }' "\$1"; }
for what in underlay:10.254.78.$other overlay:172.16.0.$other; do
  probe \${what#*:}
  for r in \$(seq 1 $ROUNDS); do
    # Timed from the connection to the receiver's count (bash's clock, no fork; perl's start-up is not in it).
    n=0; t0=0; t1=0
    { read -r _ && t0=\${EPOCHREALTIME/./} && read -r n && t1=\${EPOCHREALTIME/./}; } < <(send \${what#*:} 2>/dev/null)
    say "result \${what%%:*} \${n:-0} \$(((t1 - t0) * 1000))"
  done
done
EOF
  fi
  cat <<'EOF'
sync; echo o >/proc/sysrq-trigger
sleep 30
EOF
}

boot() { # boot NAME ME NETDEV: one guest in the background; its console goes to NAME.log
  local name=$1 me=$2 netdev=$3
  qemu-img create -q -f qcow2 -F raw -b "$IMAGE" "$WORK/$name.qcow2"
  # The script on a disk of its own, padded to whole sectors (bash stops at its power-off line).
  guest_script "$me" $((3 - me)) "$([[ $me == 1 ]] && echo serve || echo send)" >"$WORK/$name.sh"
  truncate -s 64K "$WORK/$name.sh"
  qemu-system-x86_64 -machine pc -accel "$ACCEL" -m "$MEM" -smp 1 -nodefaults -no-user-config -display none \
    -serial "file:$WORK/$name.log" -kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" \
    -append "root=LABEL=conpaas-root rw console=ttyS0,115200 quiet net.ifnames=0 init=/bin/bash -- /dev/vdb" \
    -drive "file=$WORK/$name.qcow2,format=qcow2,if=virtio" -drive "file=$WORK/$name.sh,format=raw,if=virtio,readonly=on" \
    -netdev "socket,id=n0,$netdev" -device "virtio-net-pci,netdev=n0,mac=52:54:00:cb:00:0$me" \
    >"$WORK/$name.qemu.log" 2>&1 &
  PIDS+=($!)
}

start=$SECONDS
boot a 1 "listen=127.0.0.1:$PORT"
sleep 1
boot b 2 "connect=127.0.0.1:$PORT"
deadline=$((SECONDS + ${GUEST_DEADLINE_SECONDS:-900}))
until got=$(grep -ac "BENCH result overlay" "$WORK/b.log" 2>/dev/null); ((${got:-0} >= ROUNDS)); do
  if ((SECONDS > deadline)) || ! kill -0 "${PIDS[1]}" 2>/dev/null; then
    echo "  kernel WireGuard (qemu $ACCEL guests): no result within $((SECONDS - start)) s; guest B's console ends with:"
    tail -15 "$WORK/b.log" 2>/dev/null | sed 's/^/    /'
    exit 1
  fi
  sleep 2
done
plane=$(grep -ah "BENCH dataplane" "$WORK/b.log" | head -1 | cut -d' ' -f3- | tr -d '\r')
grep -a "BENCH result" "$WORK/b.log" | tr -d '\r' | python3 -c '
import sys, statistics
runs = {"underlay": [], "overlay": []}
for line in sys.stdin:
    _, _, what, n, ns = line.split()
    if int(n) > 0 and int(ns) > 0:  # a failed run (no count) is left out
        runs[what].append(int(n) * 8 / int(ns))  # Gbit/s (bits per ns)
accel, plane, took, duration, rounds = sys.argv[1:6]
if not runs["underlay"] or not runs["overlay"]:
    sys.exit("kernel WireGuard: no complete run (%s)" % runs)
u, o = statistics.median(runs["underlay"]), statistics.median(runs["overlay"])
fmt = lambda xs: " ".join("%.3f" % x for x in xs)
print("kernel WireGuard between two qemu guests (%s, 1 vCPU each, guest kernel %s; Perl TCP probe, %s s, median of %s "
      "runs; both guests booted and measured in %s s):" % (accel, plane.replace("kernel ", ""), duration, rounds, took))
print("  underlay (virtio-net over a qemu socket link): %.3f Gbit/s  (runs: %s)" % (u, fmt(runs["underlay"])))
print("  kernel WireGuard over that underlay:          %.3f Gbit/s  (runs: %s)" % (o, fmt(runs["overlay"])))
print("  overlay/underlay ratio: %.3f" % (o / u if u else 0))
' "$ACCEL" "$plane" "$((SECONDS - start))" "$DURATION" "$ROUNDS"
