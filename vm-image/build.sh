#!/usr/bin/env bash
# Builds the ConPaaS agent VM image: a bootable Debian 12 disk (raw + qcow2 + sha256) with the
# Debian cloud kernel (with WireGuard; wg from wireguard-tools), syslinux as its own bootloader, a
# headless Java 17, conpaas-agent.jar with a class-data archive made by the image's own JVM, a systemd
# unit, a boot helper that finds the contextualization document (qemu fw_cfg / seed disk, OpenNebula
# context CD-ROM, EC2 IMDSv2) and a firewall rule that keeps non-root processes away from 169.254.169.254.
#
# No container engine and no loop mounts: the root file system is made by mmdebstrap into a
# directory and packed with mkfs.ext4 -d; the boot partition is FAT, filled with mtools and made
# bootable with syslinux (which works on an image file); the partitions are copied into the disk.
#
# Usage: vm-image/build.sh [--services helloworld,php,mysql,java,...] [--optimize]
#                          [--agent-jar PATH] [--out DIR] [--mirror URL]
# Cached in ~/.cache/conpaas/vm-image/<hash of this script + agent jar + options>; prints sizes and
# build time. Needs root (mmdebstrap root mode), mmdebstrap, syslinux, mtools, dosfstools, qemu-utils.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${CONPAAS_CACHE:-$HOME/.cache/conpaas}/vm-image"
SERVICES=helloworld
OPTIMIZE=no
AGENT_JAR="$ROOT/agent-runtime/target/conpaas-agent.jar"
OUT=""
MIRROR="${CONPAAS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
log() { echo "vm-image/build.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

while (($#)); do
  case "$1" in
    --services) SERVICES="$2"; shift 2 ;;
    --optimize) OPTIMIZE=yes; shift ;;
    --agent-jar) AGENT_JAR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --mirror) MIRROR="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ -f "$AGENT_JAR" ]] || die "agent jar $AGENT_JAR not found (mvn -pl agent-runtime -am package -DskipTests)"
((EUID == 0)) || die "run as root (mmdebstrap root mode writes device nodes and owners)"
for tool in mmdebstrap mkfs.ext4 mkfs.vfat mcopy syslinux qemu-img sfdisk sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is missing (hack/install-deps.sh installs it)"
done

# Per-service packages, like ConPaaS's create-img-script.cfg: only what the selected roles run.
packages_for() {
  case "$1" in
    helloworld) echo "" ;;
    php) echo "nginx-light php-fpm php-mysql" ;;
    web) echo "nginx-light" ;;
    java) echo "nginx-light tomcat10" ;;
    mysql) echo "mariadb-server mariadb-client" ;;
    *) die "unknown service '$1' (helloworld, php, web, java, mysql)" ;;
  esac
}
SERVICE_PKGS=""
IFS=',' read -ra SERVICE_LIST <<<"$SERVICES"
for s in "${SERVICE_LIST[@]}"; do SERVICE_PKGS+=" $(packages_for "$s")"; done
SERVICES_SORTED=$(printf '%s\n' "${SERVICE_LIST[@]}" | sort -u | paste -sd, -)

# The jar's content (entry names and CRCs), not its bytes: a rebuild with new timestamps keeps the key.
jar_content_hash() {
  python3 -c 'import sys, zipfile, hashlib
h = hashlib.sha256()
for i in sorted(zipfile.ZipFile(sys.argv[1]).infolist(), key=lambda i: i.filename):
    h.update(("%s %08x\n" % (i.filename, i.CRC)).encode())
print(h.hexdigest())' "$1"
}
KEY=$( { sha256sum "$0" "$HERE/customize.sh" "$HERE"/files/* | cut -d' ' -f1; jar_content_hash "$AGENT_JAR"; echo "services=$SERVICES_SORTED optimize=$OPTIMIZE mirror=$MIRROR"; } \
  | sha256sum | cut -c1-16)
SUFFIX=""
[[ $OPTIMIZE == yes ]] && SUFFIX=-opt
NAME="conpaas-agent-${SERVICES_SORTED//,/-}$SUFFIX"
DEST="$CACHE/$KEY"
report() {
  local raw_alloc qcow
  raw_alloc=$(du -k "$DEST/$NAME.raw" | cut -f1)
  qcow=$(stat -c %s "$DEST/$NAME.qcow2")
  echo "image $NAME (key $KEY): qcow2 $((qcow / 1048576)) MiB, raw allocated $((raw_alloc / 1024)) MiB" \
    "(virtual $(($(stat -c %s "$DEST/$NAME.raw") / 1048576)) MiB), root fs content $(cat "$DEST/content-mib") MiB," \
    "build $(cat "$DEST/build-seconds") s"
  echo "qcow2: $DEST/$NAME.qcow2"
  if [[ -n "$OUT" ]]; then
    mkdir -p "$OUT"
    ln -sf "$DEST/$NAME.qcow2" "$OUT/$NAME.qcow2"
    ln -sf "$DEST/$NAME.raw" "$OUT/$NAME.raw"
    ln -sf "$DEST/$NAME.sha256" "$OUT/$NAME.sha256"
  fi
}
if [[ -f "$DEST/done" ]]; then
  log "cached"
  report
  exit 0
fi

START=$(date +%s)
mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
RFS="$WORK/rootfs"

OPT_ARGS=()
if [[ $OPTIMIZE == yes ]]; then
  # dpkg never unpacks docs, man pages or translations; apt lists and caches go at the end.
  OPT_ARGS=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
    --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/i18n/*'
    --aptopt='APT::Install-Recommends "false"'
    # openjdk's postinst links its man page into man1 (update-alternatives), which must exist.
    --setup-hook='mkdir -p "$1/usr/share/man/man1"')
fi
# wireguard-tools (wg) for every selection: any agent may join its application's VPN, and the agent
# drives the cloud kernel's own WireGuard module with it (no wireguard-go in the guest).
BASE_PKGS="systemd-sysv udev linux-image-cloud-amd64 initramfs-tools openjdk-17-jre-headless nftables curl
  iproute2 ca-certificates wireguard-tools"

log "mmdebstrap bookworm from $MIRROR (services: $SERVICES_SORTED, optimize: $OPTIMIZE)"
mkdir -p "$WORK/files"
install -m 0644 "$AGENT_JAR" "$WORK/files/conpaas-agent.jar"
install -m 0755 "$HERE/files/conpaas-context" "$WORK/files/conpaas-context"
install -m 0755 "$HERE/files/conpaas-metadata-check" "$WORK/files/conpaas-metadata-check"
cp "$HERE"/files/*.service "$HERE/files/nftables.conf" "$HERE/files/10-dhcp.network" "$WORK/files/"
export CONPAAS_FILES="$WORK/files" CONPAAS_OPTIMIZE="$OPTIMIZE"
# shellcheck disable=SC2086
mmdebstrap --mode=root --variant=minbase --components=main \
  --include="$(echo $BASE_PKGS $SERVICE_PKGS | tr ' ' ',')" \
  "${OPT_ARGS[@]}" \
  --customize-hook='bash '"$HERE"'/customize.sh "$1"' \
  bookworm "$RFS" "$MIRROR" >"$WORK/mmdebstrap.log" 2>&1 \
  || { cp "$WORK/mmdebstrap.log" "$CACHE/last-failure.log"; tail -40 "$WORK/mmdebstrap.log" >&2
       die "mmdebstrap failed (log: $CACHE/last-failure.log)"; }

# Boot partition: FAT with the kernel, the initrd and syslinux; root: ext4 labelled conpaas-root.
KERNEL=$(cd "$RFS/boot" && ls vmlinuz-* | sort -V | tail -1)
INITRD="initrd.img-${KERNEL#vmlinuz-}"
BOOT_MIB=$(( ( $(du -cm "$RFS/boot/$KERNEL" "$RFS/boot/$INITRD" | tail -1 | cut -f1) + 16 ) ))
mkfs.vfat -F 16 -C -n CPBOOT "$WORK/boot.img" $((BOOT_MIB * 1024)) >/dev/null
cat >"$WORK/syslinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT conpaas
PROMPT 0
TIMEOUT 0
LABEL conpaas
  LINUX /vmlinuz
  INITRD /initrd.img
  APPEND root=LABEL=conpaas-root rw console=tty0 console=ttyS0,115200 quiet net.ifnames=0
EOF
mcopy -i "$WORK/boot.img" "$RFS/boot/$KERNEL" ::/vmlinuz
mcopy -i "$WORK/boot.img" "$RFS/boot/$INITRD" ::/initrd.img
mcopy -i "$WORK/boot.img" "$WORK/syslinux.cfg" ::/syslinux.cfg
syslinux --install "$WORK/boot.img"
rm -f "$RFS/boot/$INITRD" "$RFS/boot/$KERNEL"   # they live on the boot partition

CONTENT_MIB=$(du -sm "$RFS" | cut -f1)
ROOT_MIB=$((CONTENT_MIB + CONTENT_MIB / 4 + 512))   # room for the agent's work dir and logs
mkfs.ext4 -q -L conpaas-root -d "$RFS" "$WORK/root.img" "${ROOT_MIB}M"
rm -rf "$RFS"

# The disk: MBR (syslinux's boot code), partition 1 boot (active), partition 2 root.
RAW="$WORK/$NAME.raw"
truncate -s $((1 + BOOT_MIB + ROOT_MIB))M "$RAW"
sfdisk -q "$RAW" <<EOF
label: dos
start=1MiB, size=${BOOT_MIB}MiB, type=e, bootable
start=$((1 + BOOT_MIB))MiB, size=${ROOT_MIB}MiB, type=83
EOF
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$RAW" bs=440 count=1 conv=notrunc status=none
dd if="$WORK/boot.img" of="$RAW" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$WORK/root.img" of="$RAW" bs=1M seek=$((1 + BOOT_MIB)) conv=notrunc,sparse status=none
rm -f "$WORK/boot.img" "$WORK/root.img"
qemu-img convert -f raw -O qcow2 "$RAW" "$WORK/$NAME.qcow2"
(cd "$WORK" && sha256sum "$NAME.raw" "$NAME.qcow2" >"$NAME.sha256")
echo "$CONTENT_MIB" >"$WORK/content-mib"
echo $(($(date +%s) - START)) >"$WORK/build-seconds"
cp "$WORK/mmdebstrap.log" "$WORK/build.log"
mkdir -p "$DEST"
mv "$WORK/$NAME.raw" "$WORK/$NAME.qcow2" "$WORK/$NAME.sha256" "$WORK/content-mib" "$WORK/build-seconds" \
  "$WORK/build.log" "$DEST/"
touch "$DEST/done"
report
