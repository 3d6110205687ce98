package io.conpaas.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the local cloud's on-disk VM records, to find and check agent processes. */
public final class LocalVms {
  private LocalVms() {}

  /** The pid of the local VM, if its directory still exists. */
  public static Optional<Long> pid(Path workDir, String instanceId) {
    try {
      Path f = workDir.resolve(instanceId).resolve("pid");
      return Files.isRegularFile(f) ? Optional.of(Long.parseLong(Files.readString(f).trim())) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Agent processes still alive under the work dir (any state). */
  public static long liveProcesses(Path workDir) {
    if (!Files.isDirectory(workDir)) {
      return 0;
    }
    try (var dirs = Files.list(workDir)) {
      return dirs.map(d -> pid(workDir, d.getFileName().toString())).flatMap(Optional::stream)
          .filter(LocalVms::alive).count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
