package io.conpaas.plugin;

import io.conpaas.plugin.ServiceKind.Feature;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fs mount-command SERVICE VOLUME}: how to mount a volume of an XtreemFS service by FUSE. */
@Command(name = "fs",
    header = "Print how to mount a volume of an XtreemFS (SeaweedFS) service by FUSE.",
    description = {"`mount-command SERVICE VOLUME` reads the service's filer endpoint (status.endpoints "
        + "filer-grpc) and prints the weed mount command for VOLUME (SeaweedFS's weed binary, hack/seaweedfs.sh "
        + "builds it; fuse3's fusermount3 lets an unprivileged user mount) and the credentials it needs. Agents of "
        + "other services of the same application mount volumes themselves (TaskFarmService spec.fileSystem)."})
final class FsCommand extends PluginCommand {
  enum Action { mount_command }

  @Parameters(index = "0", paramLabel = "ACTION", description = "mount-command.")
  String action;

  @Parameters(index = "1", paramLabel = "SERVICE", description = "XtreemFS service NAME or TYPE/NAME.")
  String service;

  @Parameters(index = "2", paramLabel = "VOLUME", description = "A volume of spec.volumes.")
  String volume;

  @Override
  public Integer call() {
    if (!"mount-command".equals(action)) {
      throw new CliException("unknown fs action '" + action + "'; known: mount-command");
    }
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.FILE_SYSTEM,
        "file system", "fs");
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

  private static String endpoint(ServiceObject s, String name) {
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
