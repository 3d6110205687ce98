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
# Usage: hack/build-image.sh [--local-php] [OUT_DIR]   (default target/image; needs `mvn package` first)
# Prints the image reference (the chart's default: <values image.repository>:<Chart appVersion>).
# Env: CONPAAS_IMAGE_REPOSITORY, CONPAAS_IMAGE_TAG override the reference.
#
# --local-php also tags <TAG>-local-php in the same layout and archive: the image plus one layer
# with nginx and php-fpm 8.2 (Debian's packages and the libraries they need, the PHP extensions
# enabled as Debian's phpenmod would), for a *local* Cloud whose PhpService agents are processes
# inside the operator's Pod (dev clusters, demos, hack/e2e-helm.sh). The default image stays
# without them: agents of real Clouds run on VMs whose image brings its own servers. Needs nginx
# and php8.2-fpm installed on this machine (hack/install-web-deps.sh), which is where the list of
# their libraries' packages comes from. The second tag is printed on a second line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_PHP=0
if [[ "${1:-}" == --local-php ]]; then
  LOCAL_PHP=1
  shift
fi
OUT="${1:-$ROOT/target/image}"
log() { echo "build-image: $*" >&2; }
die() { echo "build-image: ERROR: $*" >&2; exit 1; }

REPO="${CONPAAS_IMAGE_REPOSITORY:-$(sed -n 's/^  repository: *//p' "$ROOT/helm/conpaas/values.yaml" | head -n1)}"
TAG="${CONPAAS_IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$ROOT/helm/conpaas/Chart.yaml")}"
[[ -n "$REPO" && -n "$TAG" ]] || die "cannot read image.repository / appVersion from the chart"
OPERATOR_JAR="$ROOT/operator/target/conpaas-operator.jar"
AGENT_JAR="$ROOT/agent-runtime/target/conpaas-agent.jar"
# The plugin jar runs the chart's in-cluster dashboard (dashboard.enabled) from the same image.
PLUGIN_JAR="$ROOT/kubectl-plugin/target/kubectl-conpaas.jar"
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

# Debian packages are downloaded once per version into a cache (a rebuild needs no network, and
# a passing mirror hiccup does not fail it); into DIR go links to the cached files.
DEB_CACHE="${CONPAAS_CACHE:-$HOME/.cache/conpaas}/image-debs"
fetch_debs() {
  local dir=$1 p v f
  shift
  mkdir -p "$dir" "$DEB_CACHE"
  local -a missing=()
  for p in "$@"; do
    v="$(apt-cache policy "$p" | awk '/Candidate:/ {print $2}' | sed 's/:/%3a/')"
    f="$(find "$DEB_CACHE" -maxdepth 1 -name "${p}_${v}_*.deb" | head -n1)"
    [[ -n "$v" && -n "$f" ]] || missing+=("$p")
  done
  if ((${#missing[@]})); then
    (cd "$DEB_CACHE" && apt-get download "${missing[@]}" >&2)
  fi
  for p in "$@"; do
    v="$(apt-cache policy "$p" | awk '/Candidate:/ {print $2}' | sed 's/:/%3a/')"
    f="$(find "$DEB_CACHE" -maxdepth 1 -name "${p}_${v}_*.deb" | head -n1)"
    [[ -n "$f" ]] || die "no .deb of $p $v after the download"
    ln -sf "$f" "$dir/$(basename "$f")"
  done
}

log "shared libraries from their Debian packages"
# The Debian packages (on this machine) owning the shared libraries that the programs and
# libraries under $1 need, except those under $1 itself.
lib_packages() {
  local tree=$1 l
  local -a libs
  mapfile -t libs < <(find "$tree" -type f \( -name '*.so' -o -name '*.so.*' -o -path '*/bin/*' -o -path '*/sbin/*' \) \
    -print0 | xargs -0 ldd 2>/dev/null | awk '/=> \// {print $3} /ld-linux/ {print $1}' | sort -u)
  for l in "${libs[@]}"; do
    [[ "$l" != "$tree"* ]] || continue # the tree's own libraries
    dpkg -S "$(readlink -f "$l")" 2>/dev/null || dpkg -S "$l"
  done | cut -d: -f1 | sort -u
}
mapfile -t pkgs < <(lib_packages "$ROOTFS$JAVA_HOME_IMG")
pkgs+=(netbase tzdata) # /etc/protocols, /etc/services; time zones for the JVM's zone ids
log "packages: ${pkgs[*]}"
fetch_debs "$WORK/debs" "${pkgs[@]}"
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
# Not in the image: SeleniumService's Grid and MapReduceService's Hadoop jars (~150 MiB). A local Cloud
# in the operator's Pod could start those daemons but not use them (YARN containers need bash, Selenium
# nodes a browser); real Clouds' VMs bring them (vm-image/).
[[ -f "$PLUGIN_JAR" ]] || die "$PLUGIN_JAR is missing (the in-cluster dashboard runs it): run 'mvn -B -DskipTests package' first"
install -m 0644 "$PLUGIN_JAR" "$ROOTFS/opt/conpaas/kubectl-conpaas.jar"
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

# The --local-php layer: nginx and php-fpm with what they need that the image lacks.
PHP_ROOTFS="$WORK/local-php"
if ((LOCAL_PHP)); then
  log "local-php layer: nginx, php-fpm 8.2"
  for tool in nginx php-fpm8.2; do
    command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || die "--local-php needs $tool here (hack/install-web-deps.sh)"
  done
  php_pkgs=(nginx nginx-common php8.2-fpm php8.2-common php8.2-opcache php8.2-readline php8.2-mysql php-common)
  mkdir -p "$PHP_ROOTFS" "$WORK/php-debs"
  fetch_debs "$WORK/php-debs" "${php_pkgs[@]}"
  for deb in "$WORK/php-debs"/*.deb; do
    dpkg-deb -x "$deb" "$PHP_ROOTFS"
  done
  # The agents signal their nginx and php-fpm masters (reload, graceful restart) with kill(1):
  # procps's kill only, not the rest of procps.
  fetch_debs "$WORK/procps-deb" procps
  dpkg-deb -x "$WORK"/procps-deb/procps_*.deb "$WORK/procps"
  install -D -m 0755 "$(find "$WORK/procps" -path '*bin/kill' -type f | head -n1)" "$PHP_ROOTFS/usr/bin/kill"
  mapfile -t php_libs < <(comm -23 <(lib_packages "$PHP_ROOTFS") <(printf '%s\n' "${pkgs[@]}" "${php_pkgs[@]}" | sort -u))
  log "their libraries' packages: ${php_libs[*]}"
  if ((${#php_libs[@]})); then
    fetch_debs "$WORK/php-debs" "${php_libs[@]}"
    for p in "${php_libs[@]}"; do
      dpkg-deb -x "$WORK/php-debs/${p}"_*.deb "$PHP_ROOTFS"
    done
  fi
  rm -rf "$PHP_ROOTFS"/usr/share/{doc,man,lintian,info,bug} "$PHP_ROOTFS"/etc/{init.d,logrotate.d,apache2,systemd} \
    "$PHP_ROOTFS"/lib/systemd "$PHP_ROOTFS"/usr/lib/systemd
  # Where the image has lib -> usr/lib (merged /usr), the layer's /lib would hide it: merge into usr/.
  for d in lib lib64 bin sbin; do
    if [[ -L "$ROOTFS/$d" && -d "$PHP_ROOTFS/$d" && ! -L "$PHP_ROOTFS/$d" ]]; then
      mkdir -p "$PHP_ROOTFS/usr/$d"
      cp -a "$PHP_ROOTFS/$d/." "$PHP_ROOTFS/usr/$d/"
      rm -rf "${PHP_ROOTFS:?}/$d"
    fi
  done
  # What the packages' maintainer scripts would do: php.ini from the production template, and
  # every shipped extension enabled in conf.d at its priority (phpenmod).
  install -m 0644 "$PHP_ROOTFS/usr/lib/php/8.2/php.ini-production" "$PHP_ROOTFS/etc/php/8.2/fpm/php.ini"
  mkdir -p "$PHP_ROOTFS/etc/php/8.2/fpm/conf.d" "$PHP_ROOTFS/etc/php/8.2/mods-available"
  install -m 0644 "$PHP_ROOTFS"/usr/share/php8.2-*/*/*.ini "$PHP_ROOTFS/etc/php/8.2/mods-available/"
  for ini in "$PHP_ROOTFS"/etc/php/8.2/mods-available/*.ini; do
    name="$(basename "$ini")"
    prio="$(sed -n 's/^; *priority=\([0-9]*\).*/\1/p' "$ini" | head -n1)"
    ln -sf "/etc/php/8.2/mods-available/$name" "$PHP_ROOTFS/etc/php/8.2/fpm/conf.d/${prio:-20}-$name"
  done
  [[ ! -e "$PHP_ROOTFS/bin/sh" && ! -e "$PHP_ROOTFS/usr/bin/sh" ]] || die "a shell slipped into the local-php layer"
  # Both servers start with only what the image and the layer hold (read-only checks, as user 10001).
  mkdir -p "$WORK/check-rootfs"
  cp -a "$ROOTFS/." "$WORK/check-rootfs/"
  cp -a "$PHP_ROOTFS/." "$WORK/check-rootfs/"
  chroot --userspec=10001:10001 "$WORK/check-rootfs" /usr/sbin/nginx -v >&2 || die "nginx does not start in the image"
  chroot --userspec=10001:10001 "$WORK/check-rootfs" /usr/bin/kill -l >/dev/null || die "kill does not run in the image"
  chroot --userspec=10001:10001 "$WORK/check-rootfs" /usr/sbin/php-fpm8.2 -m >"$WORK/php-modules" ||
    die "php-fpm does not start in the image"
  grep -qx 'pdo_mysql' "$WORK/php-modules" || die "php-fpm in the image lacks its extensions (conf.d)"
  rm -rf "$WORK/check-rootfs"
fi

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
if ((LOCAL_PHP)); then
  umoci tag --image "$LAYOUT:$TAG" "$TAG-local-php"
  umoci insert --image "$LAYOUT:$TAG-local-php" --history.created_by "hack/build-image.sh --local-php" \
    "$PHP_ROOTFS" /
  # The agents run kill(1) by name: /usr/bin must be on the PATH they inherit from the operator.
  umoci config --image "$LAYOUT:$TAG-local-php" --config.env "PATH=$JAVA_HOME_IMG/bin:/usr/sbin:/usr/bin" \
    --config.label "org.opencontainers.image.version=$TAG-local-php"
fi
umoci gc --layout "$LAYOUT"
rm -rf "$WORK"
tar -C "$LAYOUT" -cf "$OUT/conpaas-operator.oci.tar" .
log "built in $((SECONDS - start))s: $OUT/conpaas-operator.oci.tar ($(du -m "$OUT/conpaas-operator.oci.tar" | cut -f1) MiB)"
echo "$REPO:$TAG"
((LOCAL_PHP == 0)) || echo "$REPO:$TAG-local-php"
