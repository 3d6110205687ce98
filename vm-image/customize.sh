#!/usr/bin/env bash
# mmdebstrap customize hook of vm-image/build.sh: $1 is the root file system being built.
# Installs the agent, its class-data archive (made by the image's own JVM, which must match the
# archive), the boot helper, the units, the firewall and the network setup.
set -euo pipefail
R="$1"
F="$CONPAAS_FILES"
install -d -m 0755 "$R/opt/conpaas" "$R/var/lib/conpaas"
install -d -m 0700 "$R/var/lib/conpaas/agent"
install -m 0644 "$F/conpaas-agent.jar" "$R/opt/conpaas/conpaas-agent.jar"
install -m 0755 "$F/conpaas-context" "$F/conpaas-metadata-check" "$R/usr/local/sbin/"
install -m 0644 "$F/conpaas-context.service" "$F/conpaas-agent.service" "$F/conpaas-metadata-check.service" \
  "$R/etc/systemd/system/"
install -m 0644 "$F/nftables.conf" "$R/etc/nftables.conf"
install -d "$R/etc/systemd/network"
install -m 0644 "$F/10-dhcp.network" "$R/etc/systemd/network/10-dhcp.network"
echo conpaas-agent >"$R/etc/hostname"
echo "LABEL=conpaas-root / ext4 defaults,noatime 0 1" >"$R/etc/fstab"
# Services: enabled by links, as systemctl enable would make them.
wants="$R/etc/systemd/system/multi-user.target.wants"
install -d "$wants" "$R/etc/systemd/system/sysinit.target.wants"
ln -sf /etc/systemd/system/conpaas-agent.service "$wants/conpaas-agent.service"
ln -sf /etc/systemd/system/conpaas-context.service "$wants/conpaas-context.service"
ln -sf /etc/systemd/system/conpaas-metadata-check.service "$wants/conpaas-metadata-check.service"
ln -sf /lib/systemd/system/nftables.service "$R/etc/systemd/system/sysinit.target.wants/nftables.service"
ln -sf /lib/systemd/system/systemd-networkd.service "$wants/systemd-networkd.service"
# A VM boots to its agent and nothing else: no periodic apt or fs scrubs competing for a small CPU.
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
    man-db.timer systemd-timesyncd.service getty@tty1.service; do
  ln -sf /dev/null "$R/etc/systemd/system/$unit"
done
# Servers of the selected roles are started by the agent, not at boot.
for unit in nginx.service php8.2-fpm.service mariadb.service tomcat10.service; do
  [[ -e "$R/lib/systemd/system/$unit" ]] && ln -sf /dev/null "$R/etc/systemd/system/$unit"
done
# The class-data archive: the same warm-up run as the agent-runtime build, with the image's JVM.
chroot "$R" /usr/bin/java -XX:ArchiveClassesAtExit=/opt/conpaas/conpaas-agent.jsa -XX:+UseSerialGC \
  -XX:TieredStopAtLevel=1 -jar /opt/conpaas/conpaas-agent.jar --warmup >/dev/null 2>&1 \
  || echo "customize.sh: warning: no class-data archive (the agent starts without it)" >&2
if [[ "${CONPAAS_OPTIMIZE:-no}" == yes ]]; then
  rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/var/cache/apt/archives/*.deb \
    "$R"/usr/share/doc/*/changelog* "$R"/var/log/*.log
fi
