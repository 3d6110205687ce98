#!/usr/bin/env bash
# Installs what a fresh machine lacks for the build, the tests and the quickstart (idempotent):
# Debian packages for missing tools, moto (PyPI), then the dev control plane and helm (built once from the Go
# module proxy into ~/.cache/conpaas; several minutes the first time).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

missing=()
have() { command -v "$1" >/dev/null 2>&1; }
have java || missing+=(openjdk-17-jdk-headless)
have mvn || missing+=(maven)
have openssl || missing+=(openssl)
have curl || missing+=(curl)
have python3 || missing+=(python3)
have setsid || missing+=(util-linux)
have git || missing+=(git)
have promtool || missing+=(prometheus)  # prometheus and promtool, for the alert and dashboard tests
# The dev cluster's node (hack/dev-cluster.sh up --with-node) and the operator image (hack/build-image.sh).
have containerd || missing+=(containerd)
have runc || missing+=(runc)
[[ -x /usr/lib/cni/bridge ]] || missing+=(containernetworking-plugins)
have umoci || missing+=(umoci)
have socat || missing+=(socat)
have iptables || missing+=(iptables)
have ip || missing+=(iproute2)
have jq || missing+=(jq)
# The agent VM image (vm-image/build.sh) and the qemu Cloud.
have qemu-system-x86_64 || missing+=(qemu-system-x86)
have qemu-img || missing+=(qemu-utils)
have mmdebstrap || missing+=(mmdebstrap)
have syslinux || missing+=(syslinux)
[[ -f /usr/lib/syslinux/mbr/mbr.bin ]] || missing+=(syslinux-common)
have mcopy || missing+=(mtools)
have mkfs.vfat || missing+=(dosfstools)
have sfdisk || missing+=(fdisk)
# The OpenNebula image test writes a context CD-ROM as OpenNebula does (mkisofs/genisoimage).
have genisoimage || missing+=(genisoimage)
# XtreemFsService: agents of other services mount volumes by FUSE as their VM's account (setuid fusermount3).
have fusermount3 || missing+=(fuse3)
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The qemu Cloud's network "bridge": qemu-bridge-helper may attach taps to the Cloud's bridge cpqbr0
# (the bridge lives in a network namespace of the Cloud's own; this line names no host bridge).
if [[ -x /usr/lib/qemu/qemu-bridge-helper ]] && ! grep -qx 'allow cpqbr0' /etc/qemu/bridge.conf 2>/dev/null; then
  mkdir -p /etc/qemu && echo 'allow cpqbr0' >>/etc/qemu/bridge.conf
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
((${java_major%%.*} >= 17)) || die "Java 17 or newer is needed, found $java_major"
have go || die "Go 1.24 or newer is needed to build the dev control plane (not found on PATH)"
have kubectl || die "kubectl is needed by the quickstart and the tests (not found on PATH)"

# nginx, php-fpm and Tomcat for the web hosting roles of the agent (run as local processes).
bash "$CONPAAS_ROOT/hack/install-web-deps.sh"
# MariaDB for the MySQL service roles (each agent runs its own mariadbd).
bash "$CONPAAS_ROOT/hack/install-db-deps.sh"
# Headless Chromium and its driver for the SeleniumService nodes (Grid's own jars come from Maven).
if ! have chromium || ! have chromedriver; then
  log "installing Debian packages: chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
# wireguard-go, wg, ip and iperf3 for the application VPN (agents in network namespaces on local Clouds).
bash "$CONPAAS_ROOT/hack/install-vpn-deps.sh"

# moto in server mode is the EC2 endpoint the EC2 driver's tests run against.
MOTO_VERSION=5.2.5
if ! python3 -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  log "installing moto[server]==$MOTO_VERSION (pip)"
  python3 -m pip install -q "moto[server]==$MOTO_VERSION"
fi

"$CONPAAS_ROOT/hack/dev-cluster.sh" build >/dev/null
# kstatus + Argo CD health checker for GitOpsStatusIT (right after the dev cluster: it reuses its compiled packages).
"$CONPAAS_ROOT/hack/gitops-check.sh" build >/dev/null
"$CONPAAS_ROOT/hack/dev-cluster.sh" build-node >/dev/null
# SeaweedFS's weed for XtreemFsService (XtreemFsServiceIT): 1,738 Go packages, ~4 min from an empty build
# cache on 2 idle cores (plus a ~470 MiB module download on a fresh machine), then cached by hash.
bash "$CONPAAS_ROOT/hack/seaweedfs.sh" >/dev/null

# helm, for the chart's lint and render tests: built from the Go module proxy (no web download).
HELM_VERSION=v3.19.0
HELM="$CONPAAS_CACHE/bin/helm"
# (go install leaves helm's own version string short, so a marker file records which one it is)
if [[ ! -x "$HELM" || "$(cat "$HELM.version" 2>/dev/null)" != "$HELM_VERSION" ]]; then
  log "building helm $HELM_VERSION from the Go module proxy (a few minutes, once)"
  mkdir -p "$CONPAAS_CACHE/bin"
  GOBIN="$CONPAAS_CACHE/bin" GOFLAGS=-buildvcs=false go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  echo "$HELM_VERSION" > "$HELM.version"
fi
log "dependencies ready"
