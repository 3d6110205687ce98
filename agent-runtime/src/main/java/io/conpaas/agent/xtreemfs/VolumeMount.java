package io.conpaas.agent.xtreemfs;

import io.conpaas.agent.api.XtreemFsKeys;
import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.Commands;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.SupervisedNative;
import io.conpaas.agent.process.WorkerUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A volume of an XtreemFsService mounted by FUSE ({@code weed mount}) on an agent of another
 * service, for the processes its role runs as the worker user (TaskFarm tasks). The mount runs as
 * that user, so it needs no privilege beyond /dev/fuse and the setuid fusermount3 (Debian's fuse3)
 * and no {@code user_allow_other}: only that account (and its tasks) sees the files. The mount
 * point is &lt;roleDir&gt;/fs/xtreemfs, inside a directory only that account enters (several local
 * VMs share one host, so /mnt/xtreemfs cannot serve them all). Supervised: a mount that dies is
 * unmounted and started again.
 */
public final class VolumeMount {
  private static final Pattern FILER = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,260}:[0-9]{1,5}\\.[0-9]{1,5}");
  private static final Duration UNMOUNT_TIMEOUT = Duration.ofSeconds(15);

  private final Path roleDir;
  private final Path vmDir;
  private WorkerUser user;
  private SupervisedNative process;
  private Path mountPoint;
  private String mounted;

  public VolumeMount(Path roleDir, Path vmDir) {
    this.roleDir = roleDir;
    this.vmDir = vmDir;
  }

  /** The filer and volume a role's configuration names, or empty when it names none. */
  public static Optional<Map.Entry<String, String>> wanted(Map<String, String> config) {
    String filer = config.getOrDefault(XtreemFsKeys.MOUNT_FILER, "").strip();
    String volume = config.getOrDefault(XtreemFsKeys.MOUNT_VOLUME, "").strip();
    if (filer.isEmpty() && volume.isEmpty()) {
      return Optional.empty();
    }
    if (!FILER.matcher(filer).matches()) {
      throw new IllegalArgumentException(XtreemFsKeys.MOUNT_FILER + " must be host:port.grpcPort");
    }
    new XtreemFsKeys.Volume(volume, 0, "", "");
    return Optional.of(Map.entry(filer, volume));
  }

  /** Mounts filer's volume (replacing another mount); returns the mount point. Idempotent. */
  public synchronized Path mount(String filer, String volume) {
    String key = filer + " " + volume;
    if (key.equals(mounted) && process != null && process.alive()) {
      return mountPoint;
    }
    if (user == null) {
      user = WorkerUser.detect();
      Path fs = SafeFiles.workerDirectory(roleDir.resolve("fs"), user.name(), "rwx------");
      mountPoint = fs.resolve("xtreemfs");
      process = new SupervisedNative("mount", "seaweedfs mount", roleDir.resolve("fs-mount"), user, "weed");
    }
    stopMount();
    Path weed = WeedBinary.locate(user, vmDir);
    List<String> cmd = new ArrayList<>(user.commandPrefix());
    cmd.addAll(List.of(Binaries.find("mkdir").toString(), "-p", mountPoint.toString()));
    Commands.run(cmd, Duration.ofSeconds(10));
    // Only this account reaches the mount (no allow_other), and the volume is shared by the application's
    // agents, whose accounts differ: files keep their modes, but the kernel does not check them against uids.
    // Every mounting account is the volume's one owner on the filer (uid/gid 0 there, as files written
    // through the filer's HTTP API are): weed mount checks modes itself, and the application's agents
    // run as different accounts.
    int uid;
    int gid;
    try {
      uid = (Integer) Files.getAttribute(mountPoint.getParent(), "unix:uid");
      gid = (Integer) Files.getAttribute(mountPoint.getParent(), "unix:gid");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    process.start(new SupervisedNative.Launch(Map.of(), List.of(weed.toString(), "mount", "-filer=" + filer,
        "-filer.path=" + XtreemFsKeys.VOLUMES_DIR + "/" + volume, "-dir=" + mountPoint, "-allowOthers=false",
        "-defaultPermissions=false", "-map.uid=" + uid + ":0", "-map.gid=" + gid + ":0",
        "-cacheDir=" + process.home(), "-dirAutoCreate")));
    mounted = key;
    return mountPoint;
  }

  /** The mount point while the mount is in the kernel's table. */
  public synchronized Optional<Path> mountPoint() {
    return mountPoint != null && isMounted(mountPoint) ? Optional.of(mountPoint) : Optional.empty();
  }

  /** Unmounts and stops the mount process. */
  public synchronized void unmount() {
    stopMount();
    mounted = null;
  }

  private void stopMount() {
    if (process != null) {
      process.stop();
    }
    if (mountPoint != null && isMounted(mountPoint)) {
      List<String> cmd = new ArrayList<>(user.commandPrefix());
      cmd.addAll(List.of(Binaries.find("fusermount3", "fusermount").toString(), "-u", "-z", mountPoint.toString()));
      Commands.tryRun(cmd, UNMOUNT_TIMEOUT);
    }
  }

  /** Whether path is a mount point (the kernel's mount table, not a stat that could hang). */
  static boolean isMounted(Path path) {
    try {
      String target = " " + path.toAbsolutePath().normalize() + " ";
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        if (line.contains(target)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
