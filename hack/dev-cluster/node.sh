# shellcheck shell=bash
# The dev cluster's optional node (hack/dev-cluster.sh up --with-node), sourced by dev-cluster.sh.
#
# One kubelet (built from the Go module proxy, the control plane's version) with Debian's containerd,
# runc and CNI plugins. Everything of the node lives in a network namespace of ours and in a mount
# namespace of its own, so the host's network and mounts are left alone:
#
#   host netns                          node netns (NODE_NETNS)
#   127.0.0.1:<api>  kube-apiserver      eth0 10.214.N.2/30 -- default route via 10.214.N.1
#   10.214.N.1:<api> socat -> 127.0.0.1  kubelet, containerd, hostNetwork Pods
#   route 10.215.N.0/24 via 10.214.N.2   cni0 bridge 10.215.N.1/24 -- Pods 10.215.N.x
#
# There is no kube-proxy: inside the node netns one DNAT rule sends the "kubernetes" Service
# (10.0.0.1:443, what in-cluster clients use) to the apiserver through the socat forwarder, so Pods
# use the standard in-cluster configuration. The apiserver reaches Pods (Service proxy, logs) by
# the route to the Pod subnet. Kubelet checks three global sysctls it would otherwise rewrite on
# the host (vm.overcommit_memory, kernel.panic, kernel.panic_on_oops): in the node's mount
# namespace, files with the values it expects are bound over them (protectKernelDefaults), so the
# host keeps its own.
#
# Needs root, iproute2, iptables, socat, umoci, containerd, runc, containernetworking-plugins.

NODE_DIR="$STATE_DIR/node"
NODE_NAME="conpaas-dev-node"
# One /30 and one /24 per state dir, so dev clusters of several checkouts can have a node each.
NODE_INDEX=$((16#$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-2)))
NODE_NETNS="conpaas-node-$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-8)"
NODE_VETH="cpn$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-8)"
NODE_HOST_IP="10.214.$NODE_INDEX.1"
NODE_IP="10.214.$NODE_INDEX.2"
POD_CIDR="10.215.$NODE_INDEX.0/24"
PAUSE_IMAGE="conpaas.local/pause:dev"
# The Pods' cgroups go below the memory cgroup this script runs in (the machine may account or
# limit it), the same path in every v1 hierarchy, as kubelet's cgroupfs driver wants.
# Recorded at the first up: a later call (down) may run in another cgroup.
if [[ -f "$NODE_DIR/cgroup-root" ]]; then
  NODE_CGROUP_ROOT="$(cat "$NODE_DIR/cgroup-root")"
else
  NODE_CGROUP_PARENT="$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup 2>/dev/null)"
  NODE_CGROUP_ROOT="${NODE_CGROUP_PARENT%/}/$NODE_NETNS"
fi

node_binary_path() {
  local hash
  hash="$({ cat "$SRC_DIR/node/main.go" "$SRC_DIR/go.mod" "$SRC_DIR/go.sum"; build_ldflags; } |
    sha256sum | cut -c1-12)"
  echo "$CACHE_DIR/bin/conpaas-devnode-$hash"
}

# The kubelet binary (cached like the control plane's) and the pause binary (small, rebuilt each up).
ensure_node_binaries() {
  local bin tmp start
  bin="$(node_binary_path)"
  if [[ -x "$bin" ]]; then
    touch "$bin" 2>/dev/null || true
  else
    need go "Go >= 1.24 builds the kubelet from the module proxy"
    mkdir -p "$(dirname "$bin")"
    tmp="$bin.tmp.$$"
    log "building $(basename "$bin") (kubelet from source; several minutes the first time)..."
    start=$SECONDS
    if ! (cd "$SRC_DIR" && go build -trimpath -ldflags "$(build_ldflags)" -o "$tmp" ./node) >&2; then
      rm -f "$tmp"
      die "kubelet build failed"
    fi
    mv -f "$tmp" "$bin"
    log "built $bin in $((SECONDS - start))s"
    find "$(dirname "$bin")" -maxdepth 1 -regextype posix-extended -type f ! -name "$(basename "$bin")" \
      -regex '.*/conpaas-devnode-[0-9a-f]{12}(\.tmp\.[0-9]+)?' -mtime +7 -delete 2>/dev/null || true
  fi
  mkdir -p "$NODE_DIR"
  (cd "$SRC_DIR" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$NODE_DIR/pause" ./pause) >&2 ||
    die "pause build failed"
  echo "$bin"
}

node_pid() {
  local pid
  pid="$(cat "$NODE_DIR/$1.pid" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

node_ctr() {
  ctr --address "$NODE_DIR/containerd.sock" --namespace k8s.io "$@"
}

node_network_up() {
  if ! ip netns list 2>/dev/null | grep -qw "$NODE_NETNS"; then
    ip netns add "$NODE_NETNS"
  fi
  if ! ip link show "$NODE_VETH" >/dev/null 2>&1; then
    ip link add "$NODE_VETH" type veth peer name eth0 netns "$NODE_NETNS"
    ip addr add "$NODE_HOST_IP/30" dev "$NODE_VETH"
    ip link set "$NODE_VETH" up
    ip -n "$NODE_NETNS" addr add "$NODE_IP/30" dev eth0
    ip -n "$NODE_NETNS" link set eth0 up
    ip -n "$NODE_NETNS" link set lo up
    ip -n "$NODE_NETNS" route add default via "$NODE_HOST_IP"
  fi
  ip route replace "$POD_CIDR" via "$NODE_IP" dev "$NODE_VETH"
  ip netns exec "$NODE_NETNS" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$NODE_NETNS" sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  # The one Service a kube-proxy would be needed for: "kubernetes" -> the apiserver (via socat).
  local api_port rule
  api_port="$(sed -n 's/^APISERVER_PORT=//p' "$PORTS_FILE")"
  local chain
  rule=(-d "$SERVICE_IP/32" -p tcp --dport 443 -j DNAT --to-destination "$NODE_HOST_IP:$api_port")
  for chain in PREROUTING OUTPUT; do
    ip netns exec "$NODE_NETNS" iptables -t nat -C "$chain" "${rule[@]}" 2>/dev/null ||
      ip netns exec "$NODE_NETNS" iptables -t nat -A "$chain" "${rule[@]}"
  done
}

node_network_down() {
  ip route del "$POD_CIDR" 2>/dev/null || true
  ip link del "$NODE_VETH" 2>/dev/null || true
  ip netns del "$NODE_NETNS" 2>/dev/null || true
}

node_pki() {
  local d=$PKI_DIR
  if [[ ! -f "$d/node.crt" || ! -f "$d/node.key" ]]; then
    log "generating kubelet client certificate (system:node:$NODE_NAME)"
    sign_leaf node "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth ""
  fi
  # The serving certificate names the node's address, which depends on the state dir.
  if [[ ! -f "$d/node-serving.crt" ]] || ! openssl x509 -in "$d/node-serving.crt" -noout -text |
    grep -qF "IP Address:$NODE_IP"; then
    sign_leaf node-serving "/CN=$NODE_NAME" serverAuth "IP:$NODE_IP,DNS:$NODE_NAME"
  fi
  chmod 600 "$d"/*.key
}

node_config() {
  local n=$NODE_DIR
  mkdir -p "$n/cni" "$n/kubelet" "$n/containerd" "$n/sysctl" "$n/pv"
  cat >"$n/containerd.toml" <<EOF
version = 2
root = "$n/containerd/root"
state = "$n/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.internal.v1.opt", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$n/containerd.sock"
[ttrpc]
  address = "$n/containerd.sock.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # This machine withholds CAP_SYS_RESOURCE: no OOM score below containerd's own (the sandbox's
  # default -998 would make runc fail with "can't get final child").
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$n/cni"
EOF
  cat >"$n/cni/10-conpaas.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "conpaas-dev",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}],
              "dataDir": "$n/cni-ipam"}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  write_kubeconfig "$(sed -n 's/^APISERVER_PORT=//p' "$PORTS_FILE")" "$n/kubelet.kubeconfig" node
  # Inside the node netns the apiserver is the "kubernetes" Service's address (DNAT above).
  sed -i "s|server: https://127.0.0.1:[0-9]*|server: https://$SERVICE_IP:443|" "$n/kubelet.kubeconfig"
  cat >"$n/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI_DIR/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI_DIR/node-serving.crt
tlsPrivateKeyFile: $PKI_DIR/node-serving.key
containerRuntimeEndpoint: unix://$n/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: $NODE_CGROUP_ROOT
failSwapOn: false
failCgroupV1: false
protectKernelDefaults: true
resolvConf: /etc/resolv.conf
clusterDomain: cluster.local
registerNode: true
# This machine's disk is shared and mostly full of other things: evict only when really short.
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%", nodefs.inodesFree: "2%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
serializeImagePulls: false
EOF
  # The values kubelet expects (see the header); bound over /proc/sys in the node's mount namespace.
  echo 1 >"$n/sysctl/overcommit_memory"
  echo 10 >"$n/sysctl/panic"
  echo 1 >"$n/sysctl/panic_on_oops"
  # Started in the node's namespaces: one mount namespace for containerd, its shims and kubelet
  # (kubelet's volume mounts must be what the containers get).
  cat >"$n/node-init.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
mount --make-rprivate /
mount --bind "$n/sysctl/overcommit_memory" /proc/sys/vm/overcommit_memory
mount --bind "$n/sysctl/panic" /proc/sys/kernel/panic
mount --bind "$n/sysctl/panic_on_oops" /proc/sys/kernel/panic_on_oops
mkdir -p /run/containerd
containerd --config "$n/containerd.toml" >"$n/containerd.log" 2>&1 &
echo \$! >"$n/containerd.pid"
for i in \$(seq 1 100); do [[ -S "$n/containerd.sock" ]] && break; sleep 0.1; done
exec "\$@"
EOF
  chmod +x "$n/node-init.sh"
}

# Builds the pause image with umoci and imports it into the node's containerd.
node_pause_image() {
  node_ctr images ls -q | grep -qxF "$PAUSE_IMAGE" && return
  local layout="$NODE_DIR/pause-oci" bundle="$NODE_DIR/pause-bundle"
  rm -rf "$layout" "$bundle"
  umoci init --layout "$layout"
  umoci new --image "$layout:dev"
  umoci unpack --image "$layout:dev" "$bundle" >/dev/null
  install -m 0755 "$NODE_DIR/pause" "$bundle/rootfs/pause"
  umoci repack --image "$layout:dev" "$bundle"
  umoci config --image "$layout:dev" --config.entrypoint /pause --config.user 65535:65535
  umoci gc --layout "$layout"
  tar -C "$layout" -cf "$NODE_DIR/pause.tar" .
  rm -rf "$bundle"
  node_ctr images import --base-name "${PAUSE_IMAGE%:*}" "$NODE_DIR/pause.tar" >&2
}

node_up() {
  need ip "iproute2"
  need iptables
  need socat
  need umoci
  need containerd "Debian package containerd"
  need runc "Debian package runc"
  [[ -x /usr/lib/cni/bridge ]] || die "the CNI plugins are missing (Debian package containernetworking-plugins)"
  [[ $(id -u) == 0 ]] || die "the node needs root (network namespace, containerd, cgroups)"
  local bin api_port
  bin="$(ensure_node_binaries)"
  api_port="$(sed -n 's/^APISERVER_PORT=//p' "$PORTS_FILE")"
  node_pki
  node_network_up
  node_config
  echo "$NODE_CGROUP_ROOT" >"$NODE_DIR/cgroup-root"
  local h
  for h in /sys/fs/cgroup/*/; do
    [[ "$h" == */unified/ ]] || mkdir -p "$h${NODE_CGROUP_ROOT#/}"
  done

  if ! node_pid forwarder >/dev/null; then
    # shellcheck disable=SC2016
    setsid nohup bash -c 'echo $$ >"$0" && exec "$@"' "$NODE_DIR/forwarder.pid" \
      socat "TCP-LISTEN:$api_port,bind=$NODE_HOST_IP,fork,reuseaddr" "TCP:127.0.0.1:$api_port" \
      </dev/null >"$NODE_DIR/forwarder.log" 2>&1 &
  fi
  if ! node_pid kubelet >/dev/null; then
    # A containerd (and its shims) left by a kubelet that died would keep the socket.
    node_kill_processes
    [[ ! -f "$NODE_DIR/kubelet.log" ]] || mv -f "$NODE_DIR/kubelet.log" "$NODE_DIR/kubelet.log.prev"
    log "starting containerd and kubelet in network namespace $NODE_NETNS (node $NODE_NAME, $NODE_IP; logs: $NODE_DIR/*.log)"
    # shellcheck disable=SC2016
    # nsenter, not `ip netns exec`: that one remounts /sys, which hides the cgroup mounts kubelet needs.
    setsid nohup nsenter --net="/run/netns/$NODE_NETNS" unshare --mount --propagation unchanged \
      bash -c 'echo $$ >"$0" && exec "$@"' "$NODE_DIR/kubelet.pid" "$NODE_DIR/node-init.sh" \
      "$bin" --config="$NODE_DIR/kubelet.yaml" --kubeconfig="$NODE_DIR/kubelet.kubeconfig" \
      --root-dir="$NODE_DIR/kubelet" --cert-dir="$NODE_DIR/kubelet-pki" \
      --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" \
      </dev/null >"$NODE_DIR/kubelet.log" 2>&1 &
  fi
  local deadline=$((SECONDS + 60))
  until [[ -S "$NODE_DIR/containerd.sock" ]] && node_ctr version >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { tail -n 20 "$NODE_DIR/containerd.log" "$NODE_DIR/kubelet.log" >&2; die "containerd did not start"; }
    sleep 0.5
  done
  node_pause_image
  node_storage
  deadline=$((SECONDS + TIMEOUT))
  until kubectl --kubeconfig "$KUBECONFIG_FILE" --request-timeout=5s get node "$NODE_NAME" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; do
    if ((SECONDS >= deadline)) || ! node_pid kubelet >/dev/null; then
      tail -n 30 "$NODE_DIR/kubelet.log" >&2
      die "node $NODE_NAME not Ready (logs: $NODE_DIR/kubelet.log, $NODE_DIR/containerd.log)"
    fi
    sleep 1
  done
  log "node $NODE_NAME Ready ($NODE_IP, Pods $POD_CIDR)"
}

# A default StorageClass without a provisioner and static hostPath volumes for it: enough for the
# chart's code-store claim (and a few more), and removed with the node.
node_storage() {
  local i
  kubectl --kubeconfig "$KUBECONFIG_FILE" apply -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: dev-hostpath
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
EOF
  for i in 0 1 2; do
    # Any Pod user may write (the chart runs as 10001; hostPath volumes ignore fsGroup).
    mkdir -p "$NODE_DIR/pv/pv$i" && chmod 0777 "$NODE_DIR/pv/pv$i"
    kubectl --kubeconfig "$KUBECONFIG_FILE" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolume
metadata: {name: dev-hostpath-$i}
spec:
  capacity: {storage: 20Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: dev-hostpath
  hostPath: {path: $NODE_DIR/pv/pv$i, type: Directory}
EOF
  done
}

# The node's processes: those in its network namespace (kubelet, containerd, shims, host-network
# Pods) and those in its Pods' cgroups (Pods with a network namespace of their own).
node_processes() {
  if ip netns list 2>/dev/null | grep -qw "$NODE_NETNS"; then
    ip netns pids "$NODE_NETNS" 2>/dev/null || true
  fi
  local pids_root="/sys/fs/cgroup/pids${NODE_CGROUP_ROOT}"
  [[ ! -d "$pids_root" ]] || find "$pids_root" -name cgroup.procs -exec cat {} + 2>/dev/null || true
}

node_kill_processes() {
  local pid i
  for pid in $(node_processes); do kill -TERM "$pid" 2>/dev/null || true; done
  for ((i = 0; i < 50; i++)); do
    [[ -n "$(node_processes)" ]] || return 0
    sleep 0.1
  done
  for pid in $(node_processes); do kill -KILL "$pid" 2>/dev/null || true; done
}

# Pod sandboxes' network namespaces (/var/run/netns/cni-*) outlive a killed containerd. Only those this
# node's containerd recorded in its metadata are removed: other dev clusters may run Pods right now.
node_pod_netns_down() {
  [[ -d "$NODE_DIR/containerd" ]] || return 0
  local ns
  for ns in $(grep -raoh '/run/netns/cni-[0-9a-f-]*' "$NODE_DIR/containerd" 2>/dev/null | sed 's@.*/@@' | sort -u); do
    [[ -e "/run/netns/$ns" ]] || continue
    ip netns del "$ns" 2>/dev/null || true
  done
}

node_down() {
  [[ -d "$NODE_DIR" ]] || return 0
  local pid p
  for p in kubelet forwarder; do
    if pid="$(node_pid $p)"; then stop_pid "$pid"; fi
  done
  node_kill_processes
  # Mounts of the node's mount namespace die with it; cgroups of its Pods are left empty.
  local h
  for h in /sys/fs/cgroup/*/; do
    [[ -d "$h${NODE_CGROUP_ROOT#/}" ]] || continue
    find "$h${NODE_CGROUP_ROOT#/}" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  node_network_down
  node_pod_netns_down
  rm -rf "$NODE_DIR/containerd" "$NODE_DIR/kubelet" "$NODE_DIR/cni-ipam" "$NODE_DIR/pv"
  rm -f "$NODE_DIR"/*.pid
}

# node_load_image OCI_ARCHIVE REF: the image (its ref.name annotation is REF's tag) under name REF.
node_load_image() {
  local archive=$1 ref=$2
  [[ -f "$archive" ]] || die "no such archive: $archive"
  node_ctr version >/dev/null 2>&1 || die "the node is not running (up --with-node)"
  node_ctr images import --base-name "${ref%:*}" "$archive" >&2
  node_ctr images ls -q | grep -xF "$ref" >/dev/null || die "$ref not found in the node's containerd after the import"
  echo "$ref"
}
