package io.conpaas.plugin;

import io.conpaas.plugin.ServiceKind.Feature;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fs mount-command|download-manifest|restore}: an XtreemFS service's volumes: mounting, snapshots. */
@Command(name = "fs",
    header = "Mount, snapshot or restore the volumes of an XtreemFS (SeaweedFS) service.",
    description = {"`mount-command SERVICE VOLUME` reads the service's filer endpoint (status.endpoints "
        + "filer-grpc) and prints the weed mount command for VOLUME (SeaweedFS's weed binary, hack/seaweedfs.sh "
        + "builds it; fuse3's fusermount3 lets an unprivileged user mount) and the credentials it needs. Agents of "
        + "other services of the same application mount volumes themselves (TaskFarmService spec.fileSystem).",
        "`download-manifest SERVICE FILE` (ConPaaS download_manifest) makes every volume read-only (spec.readOnly: "
        + "you must be allowed to update the service), streams every volume's directories and files with "
        + "checksums from the filer into FILE (written as FILE.partial, synced, read back and verified, then "
        + "renamed), and only then STOPS the service: its VMs and their data go. If anything fails first, no file "
        + "is left, the volumes are writable again and the service keeps running.",
        "`restore SERVICE FILE` (ConPaaS manifest) checks all of FILE first (a truncated or altered file creates "
        + "nothing), then creates a NEW XtreemFsService SERVICE with the snapshot's spec (volumes with quota and "
        + "replication, policies, roles; --application to place it elsewhere) and writes every file back once it "
        + "is RUNNING, reading each back to compare. Annotation conpaas.io/restore says Restoring, Restored or "
        + "Failed: reason.",
        "Data goes between this machine and the filer's HTTP address, as with mount-command: the filer takes no "
        + "authentication of its own, so your machine must reach the service's network."})
final class FsCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "ACTION", description = "mount-command, download-manifest or restore.")
  String action;

  @Parameters(index = "1", paramLabel = "SERVICE", description = "XtreemFS service NAME or TYPE/NAME (restore: the "
      + "new service's NAME).")
  String service;

  @Parameters(index = "2", paramLabel = "VOLUME|FILE", description = "mount-command: a volume of spec.volumes; "
      + "download-manifest and restore: the snapshot file.")
  String volume;

  @Option(names = "--application", paramLabel = "APP", description = "restore: the Application of the new service "
      + "(default: the snapshot's).")
  String application;

  @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", converter = Durations.class,
      description = "download-manifest: how long to wait for read-only volumes; restore: for the new service to be "
          + "RUNNING (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--max-bytes", defaultValue = "68719476736", paramLabel = "BYTES",
      description = "The largest snapshot written or read (default: ${DEFAULT-VALUE}, 64 GiB).")
  long maxBytes;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if ("restore".equals(action)) {
      ServiceKind kind = root.kinds().all().stream().filter(k -> k.has(Feature.FILE_SYSTEM)).findFirst()
          .orElseThrow(() -> new CliException("no file system kind is known"));
      String name = service.contains("/") ? service.substring(service.indexOf('/') + 1) : service;
      new FsRestore(root.locator(), kind, this::say, timeout, maxBytes).run(root.namespace(), name, Path.of(volume),
          application);
      return 0;
    }
    if (!"mount-command".equals(action) && !"download-manifest".equals(action)) {
      throw new CliException("unknown fs action '" + action + "'; known: mount-command, download-manifest, restore");
    }
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.FILE_SYSTEM,
        "file system", "fs");
    if ("download-manifest".equals(action)) {
      new FsDownload(root.client(), root.patcher(), this::say, this::warn, timeout, maxBytes).run(s, Path.of(volume));
      return 0;
    }
    if (!hasVolume(s, volume)) {
      throw new CliException(s.ref() + " has no volume '" + volume + "' (spec.volumes)");
    }
    String filer = endpoint(s, "filer-grpc");
    if (filer == null) {
      throw new CliException(s.ref() + " has no filer running yet (state " + s.state() + "; kubectl conpaas list -n "
          + s.namespace() + ")");
    }
    out().println("weed mount -filer=" + filer + " -filer.path=/buckets/" + volume + " -dir=/mnt/xtreemfs"
        + " -dirAutoCreate -allowOthers=false");
    out().println("# credentials: none; the filer takes no authentication, so only machines that reach "
        + filer + " (the service's network) can mount it");
    out().flush();
    return 0;
  }

  private static boolean hasVolume(ServiceObject s, String name) {
    Object volumes = s.object().get("spec", "volumes");
    return volumes instanceof List<?> list && list.stream().anyMatch(v -> v instanceof Map<?, ?> m
        && name.equals(m.get("name")));
  }

  static String endpoint(ServiceObject s, String name) {
    Object eps = s.object().get("status", "endpoints");
    if (eps instanceof List<?> list) {
      for (Object e : list) {
        if (e instanceof Map<?, ?> m && name.equals(m.get("name")) && m.get("url") instanceof String url
            && !url.isBlank()) {
          return url;
        }
      }
    }
    return null;
  }
}
