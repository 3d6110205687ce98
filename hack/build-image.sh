#!/usr/bin/env bash
# Builds the operator's OCI image without a container engine or daemon (what operator/Dockerfile
# describes, made from this machine's Debian packages):
#   - a Java 17 runtime cut with jlink from Debian's openjdk-17-jdk-headless (with its base
#     class-data archive), the shared libraries it needs taken from the Debian packages that own
#     them (apt-get download + dpkg-deb -x: no package manager, no shell in the image),
#   - the operator and agent jars and the agents' class-data archive, recorded with the image's
#     own JVM (chroot), as the Dockerfile's RUN step does,
#   - user 10001 (conpaas), entrypoint java -jar the operator,
# assembled with umoci into an OCI layout and an OCI archive.
#
# Usage: hack/build-image.sh [OUT_DIR]   (default target/image; needs `mvn package` first)
# Prints the image reference (the chart's default: <values image.repository>:<Chart appVersion>).
# Env: CONPAAS_IMAGE_REPOSITORY, CONPAAS_IMAGE_TAG override the reference.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/target/image}"
log() { echo "build-image: $*" >&2; }
die() { echo "build-image: ERROR: $*" >&2; exit 1; }

REPO="${CONPAAS_IMAGE_REPOSITORY:-$(sed -n 's/^  repository: *//p' "$ROOT/helm/conpaas/values.yaml" | head -n1)}"
TAG="${CONPAAS_IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$ROOT/helm/conpaas/Chart.yaml")}"
[[ -n "$REPO" && -n "$TAG" ]] || die "cannot read image.repository / appVersion from the chart"
OPERATOR_JAR="$ROOT/operator/target/conpaas-operator.jar"
AGENT_JAR="$ROOT/agent-runtime/target/conpaas-agent.jar"
[[ -f "$OPERATOR_JAR" && -f "$AGENT_JAR" ]] || die "run 'mvn -B -DskipTests package' first"
for tool in jlink umoci dpkg-deb apt-get chroot; do
  command -v "$tool" >/dev/null || die "'$tool' is required (hack/install-deps.sh)"
done
[[ $(id -u) == 0 ]] || die "needs root (chroot, files owned by root in the image)"

JDK="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")"
WORK="$OUT/work"
ROOTFS="$WORK/rootfs"
JAVA_HOME_IMG=/opt/java
start=$SECONDS
rm -rf "$WORK"
mkdir -p "$ROOTFS" "$WORK/debs"

log "jlink runtime from $JDK"
# The modules of `jdeps --print-module-deps` on the operator and agent jars, plus what is loaded as
# a service or by name (jdeps cannot see it): EC keys for TLS, zip file systems, DNS for JNDI.
MODULES=java.base,java.compiler,java.desktop,java.management,java.naming,java.net.http,java.scripting,java.sql
MODULES+=,jdk.httpserver,jdk.management,jdk.net,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns
jlink --module-path "$JDK/jmods" --add-modules "$MODULES" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive \
  --output "$ROOTFS$JAVA_HOME_IMG" >&2
# java.desktop is there for java.beans (YAML and JSON binding); its native AWT, sound and image
# libraries are never loaded by a headless server and would pull in X11, ALSA and font packages.
rm -f "$ROOTFS$JAVA_HOME_IMG"/lib/lib{awt,awt_headless,awt_xawt,fontmanager,javajpeg,jsound,lcms,mlib_image,splashscreen}.so
# Debian's JDK points cacerts at /etc/ssl/certs/java: put the store itself into the runtime.
rm -f "$ROOTFS$JAVA_HOME_IMG/lib/security/cacerts"
cp -L /etc/ssl/certs/java/cacerts "$ROOTFS$JAVA_HOME_IMG/lib/security/cacerts"

log "shared libraries from their Debian packages"
# Which libraries the runtime needs, and which packages own them on this (Debian) machine.
mapfile -t libs < <(find "$ROOTFS$JAVA_HOME_IMG" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
  xargs -0 ldd 2>/dev/null | awk '/=> \// {print $3} /ld-linux/ {print $1}' | sort -u)
mapfile -t pkgs < <(for l in "${libs[@]}"; do
  [[ "$l" != "$ROOTFS"* ]] || continue # the runtime's own libraries
  dpkg -S "$(readlink -f "$l")" 2>/dev/null || dpkg -S "$l"
done |
  cut -d: -f1 | sort -u)
pkgs+=(netbase tzdata) # /etc/protocols, /etc/services; time zones for the JVM's zone ids
log "packages: ${pkgs[*]}"
(cd "$WORK/debs" && apt-get download "${pkgs[@]}" >&2)
for deb in "$WORK/debs"/*.deb; do
  dpkg-deb -x "$deb" "$ROOTFS"
done
rm -rf "$ROOTFS/usr/share/doc" "$ROOTFS/usr/share/man" "$ROOTFS/usr/share/lintian" "$ROOTFS/usr/share/info"
# The Debian packages use merged-/usr paths; the dynamic loader is looked up at /lib64.
for d in lib lib64 bin sbin; do
  [[ -e "$ROOTFS/$d" ]] || { [[ -d "$ROOTFS/usr/$d" ]] && ln -s "usr/$d" "$ROOTFS/$d"; } || true
done

log "files: user, jars, agent class-data archive"
mkdir -p "$ROOTFS/etc" "$ROOTFS/opt/conpaas" "$ROOTFS/tmp" "$ROOTFS/var/lib/conpaas"
chmod 1777 "$ROOTFS/tmp"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nconpaas:x:10001:10001:conpaas:/var/lib/conpaas:/usr/sbin/nologin\n' \
  >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nconpaas:x:10001:\n' >"$ROOTFS/etc/group"
printf 'hosts: files dns\n' >"$ROOTFS/etc/nsswitch.conf"
chown 10001:10001 "$ROOTFS/var/lib/conpaas"
install -m 0644 "$OPERATOR_JAR" "$ROOTFS/opt/conpaas/conpaas-operator.jar"
install -m 0644 "$AGENT_JAR" "$ROOTFS/opt/conpaas/conpaas-agent.jar"
# The agents' class-data archive must come from the image's JVM (AgentWarmup): record it in the
# image's root, which also proves the runtime starts with only what the image holds.
# (/proc: the launcher finds its libraries through $ORIGIN, which glibc reads from /proc/self/exe.)
mkdir -p "$ROOTFS/proc"
mount -t proc proc "$ROOTFS/proc"
warm=0
chroot "$ROOTFS" "$JAVA_HOME_IMG/bin/java" -XX:ArchiveClassesAtExit=/opt/conpaas/conpaas-agent.jsa \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar /opt/conpaas/conpaas-agent.jar --warmup >&2 || warm=$?
umount "$ROOTFS/proc"
((warm == 0)) || die "the image's JVM could not run the agent's warm-up"
[[ -s "$ROOTFS/opt/conpaas/conpaas-agent.jsa" ]] || die "no class-data archive recorded"
[[ ! -e "$ROOTFS/bin/sh" && ! -e "$ROOTFS/usr/bin/sh" ]] || die "a shell slipped into the image"

log "OCI image $REPO:$TAG (umoci)"
LAYOUT="$OUT/oci"
rm -rf "$LAYOUT" "$WORK/bundle"
umoci init --layout "$LAYOUT"
umoci new --image "$LAYOUT:$TAG"
umoci unpack --image "$LAYOUT:$TAG" "$WORK/bundle" >/dev/null
rmdir "$WORK/bundle/rootfs" 2>/dev/null || rm -rf "$WORK/bundle/rootfs"
mv "$ROOTFS" "$WORK/bundle/rootfs"
umoci repack --image "$LAYOUT:$TAG" --history.created_by "hack/build-image.sh" "$WORK/bundle"
umoci config --image "$LAYOUT:$TAG" --config.user 10001:10001 --config.workingdir /var/lib/conpaas \
  --config.env "JAVA_HOME=$JAVA_HOME_IMG" --config.env "PATH=$JAVA_HOME_IMG/bin" \
  --config.entrypoint "$JAVA_HOME_IMG/bin/java" --config.entrypoint -XX:+UseSerialGC \
  --config.entrypoint -XX:MaxRAMPercentage=60 --config.entrypoint -jar \
  --config.entrypoint /opt/conpaas/conpaas-operator.jar \
  --config.label "org.opencontainers.image.title=conpaas-operator" \
  --config.label "org.opencontainers.image.version=$TAG" \
  --config.label "org.opencontainers.image.source=hack/build-image.sh"
umoci gc --layout "$LAYOUT"
rm -rf "$WORK"
tar -C "$LAYOUT" -cf "$OUT/conpaas-operator.oci.tar" .
log "built in $((SECONDS - start))s: $OUT/conpaas-operator.oci.tar ($(du -m "$OUT/conpaas-operator.oci.tar" | cut -f1) MiB)"
echo "$REPO:$TAG"
