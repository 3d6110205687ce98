package io.conpaas.iaas.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The on-disk record of one local VM: meta.properties (token, name, tags, creation time),
 * context.json, pid, port, agent.log, exit-reason (the agent's last words when it ended by
 * itself), tmp/ and a terminated marker. The directory is the durable state that lets a
 * restarted operator adopt a running agent.
 *
 * <p>Permissions: the directory is rwx--x--- with the VM's own account as its group when it has
 * one (its servers reach their files below it; other VMs' servers cannot even enter it), else
 * rwx------; every file the driver writes is rw------- (the context holds the agent's key).
 */
final class LocalVmDirectory {
  private static final String TAG_PREFIX = "tag.";
  private static final java.nio.file.attribute.FileAttribute<?> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private final Path dir;

  LocalVmDirectory(Path dir) {
    this.dir = dir;
  }

  Path path() { return dir; }
  String instanceId() { return dir.getFileName().toString(); }
  Path contextFile() { return dir.resolve("context.json"); }
  Path portFile() { return dir.resolve("port"); }
  Path logFile() { return dir.resolve("agent.log"); }
  Path exitFile() { return dir.resolve("exit-reason"); }
  Path tmpDir() { return dir.resolve("tmp"); }
  boolean exists() { return Files.isRegularFile(dir.resolve("meta.properties")); }
  boolean terminated() { return Files.exists(dir.resolve("terminated")); }

  void writeMeta(String token, String name, Map<String, String> tags, Instant createdAt) {
    Properties p = new Properties();
    p.setProperty("clientToken", token);
    p.setProperty("name", name == null ? "" : name);
    p.setProperty("createdAt", createdAt.toString());
    tags.forEach((k, v) -> p.setProperty(TAG_PREFIX + k, v));
    try {
      Files.createDirectories(dir.getParent());
      if (!Files.isDirectory(dir)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Path tmp = dir.resolve("meta.properties.tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PRIVATE_FILE);
      try (var out = Files.newOutputStream(tmp)) {
        p.store(out, "conpaas local VM");
      }
      Files.move(tmp, dir.resolve("meta.properties"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Properties readMeta() {
    Properties p = new Properties();
    try (var in = Files.newInputStream(dir.resolve("meta.properties"))) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  static Map<String, String> tags(Properties meta) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String key : meta.stringPropertyNames()) {
      if (key.startsWith(TAG_PREFIX)) {
        tags.put(key.substring(TAG_PREFIX.length()), meta.getProperty(key));
      }
    }
    return tags;
  }

  void writeContext(byte[] context) {
    try {
      Path file = contextFile();
      Files.deleteIfExists(file);
      Files.createFile(file, PRIVATE_FILE);
      Files.write(file, context);
      Path log = logFile();
      if (!Files.exists(log, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createFile(log, PRIVATE_FILE);
      }
      Files.deleteIfExists(exitFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Opens the directory to the VM's own account (group), if it has one: enter only, no listing;
   * tmp/ is that account's too (sticky, like /tmp). Without one, both stay the agent's alone.
   */
  void seal(Optional<String> vmAccount) {
    try {
      Path tmp = tmpDir();
      if (!Files.isDirectory(tmp, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (vmAccount.isEmpty()) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return;
      }
      var group = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(vmAccount.get());
      for (Path p : java.util.List.of(tmp, dir)) {
        Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS).setGroup(group);
      }
      // rwxrwx--T: the sticky bit keeps one writer from removing another's files, as in /tmp.
      Files.setAttribute(tmp, "unix:mode", 01770, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x---"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set the permissions of " + dir + ": " + e.getMessage(), e);
    }
  }

  void writePid(long pid) {
    writeSmall("pid", Long.toString(pid));
  }

  void markTerminated() {
    writeSmall("terminated", Instant.now().toString());
  }

  Optional<Long> pid() {
    return readSmall("pid").map(Long::parseLong);
  }

  Optional<Integer> port() {
    return readSmall("port").map(Integer::parseInt);
  }

  void delete() {
    // A VM's mounts go with it (a FUSE volume mounted by one of its accounts): unmounted lazily first,
    // or the walk below would stop at them (root may not enter another user's FUSE mount).
    unmountBelow(dir);
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeSmall(String name, String value) {
    try {
      Path tmp = dir.resolve(name + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PRIVATE_FILE);
      Files.writeString(tmp, value, StandardCharsets.US_ASCII);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<String> readSmall(String name) {
    try {
      Path f = dir.resolve(name);
      if (!Files.isRegularFile(f)) {
        return Optional.empty();
      }
      String s = Files.readString(f, StandardCharsets.US_ASCII).trim();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Lazily unmounts every mount point below dir (deepest first), as the kernel's mount table lists them. */
  static void unmountBelow(Path dir) {
    String prefix = dir.toAbsolutePath().normalize() + "/";
    java.util.List<String> points = new java.util.ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4 && f[4].startsWith(prefix)) {
          points.add(f[4]);
        }
      }
    } catch (IOException e) {
      return;
    }
    points.sort(Comparator.reverseOrder());
    for (String point : points) {
      try {
        Process p = new ProcessBuilder("umount", "-l", point).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (IOException e) {
        // not root, or no umount: the walk below reports what it cannot delete
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
