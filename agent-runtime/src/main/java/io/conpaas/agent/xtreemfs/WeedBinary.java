package io.conpaas.agent.xtreemfs;

import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.UnusableSetupException;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * SeaweedFS's one binary, {@code weed}: the file named by CONPAAS_WEED (the local Cloud passes the
 * operator's: hack/seaweedfs.sh builds it), else {@code weed} on the PATH (a VM image). When the
 * VM's account cannot reach it (a build cache under /root), the agent links it (or copies it) into
 * the VM's own directory, root-owned and world-executable.
 */
final class WeedBinary {
  static final String ENV = "CONPAAS_WEED";

  private WeedBinary() {}

  /** The binary the worker user can run; UnusableSetupException saying how to get one. */
  static Path locate(WorkerUser user, Path vmDir) {
    String configured = System.getenv(ENV);
    Path weed;
    if (configured != null && !configured.isBlank()) {
      weed = Path.of(configured.strip()).toAbsolutePath().normalize();
      if (!Files.isExecutable(weed)) {
        throw new UnusableSetupException(ENV + "=" + weed + " is not an executable file (hack/seaweedfs.sh builds one)");
      }
    } else {
      try {
        weed = Binaries.find("weed");
      } catch (UnusableSetupException e) {
        throw new UnusableSetupException("SeaweedFS's weed is not on the PATH and " + ENV + " is not set "
            + "(hack/seaweedfs.sh builds it from the Go module proxy)");
      }
    }
    try {
      // A cache keeps a stable link to its newest build: link or copy the file itself.
      weed = weed.toRealPath();
    } catch (IOException e) {
      throw new UnusableSetupException("cannot resolve " + weed + ": " + e.getMessage());
    }
    try {
      user.checkCanReach(weed);
      return weed;
    } catch (UnusableSetupException closed) {
      return reachableCopy(weed, RoleConfig.publicDirectory(vmDir.resolve("bin")).resolve("weed"));
    }
  }

  private static Path reachableCopy(Path weed, Path target) {
    try {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == Files.size(weed)
          && Files.getLastModifiedTime(target).equals(Files.getLastModifiedTime(weed))) {
        return target;
      }
      Path tmp = target.resolveSibling("weed.tmp");
      Files.deleteIfExists(tmp);
      try {
        // A hard link costs nothing and needs no path through /root (same file system as the cache).
        Files.createLink(tmp, weed);
      } catch (IOException | UnsupportedOperationException notLinkable) {
        Files.copy(weed, tmp, StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot place weed where the VM's account reaches it: " + e.getMessage(), e);
    }
  }
}
