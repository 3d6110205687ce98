package io.conpaas.iaas.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The on-disk record of one qemu VM, the durable state a restarted operator adopts it from:
 * meta.properties (token, name, tags, creation time), overlay.qcow2 (the VM's disk), context.img
 * (the seed disk with its document), port (the host port of the agent), pid, console.log,
 * qemu.log and a terminated marker. Directory rwx------, files rw-------.
 */
final class QemuVmDirectory {
  private static final String TAG_PREFIX = "tag.";
  private static final FileAttribute<?> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<?> PRIVATE_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private final Path dir;

  QemuVmDirectory(Path dir) {
    this.dir = dir;
  }

  Path path() { return dir; }
  String instanceId() { return dir.getFileName().toString(); }
  Path overlay() { return dir.resolve("overlay.qcow2"); }
  Path seed() { return dir.resolve("context.img"); }
  Path console() { return dir.resolve("console.log"); }
  Path qemuLog() { return dir.resolve("qemu.log"); }
  Path networkSeed() { return dir.resolve("network.img"); }
  boolean exists() { return Files.isRegularFile(dir.resolve("meta.properties")); }
  boolean terminated() { return Files.exists(dir.resolve("terminated")); }

  void create(String token, String name, Map<String, String> tags, Instant createdAt) {
    Properties p = new Properties();
    p.setProperty("clientToken", token);
    p.setProperty("name", name == null ? "" : name);
    p.setProperty("createdAt", createdAt.toString());
    tags.forEach((k, v) -> p.setProperty(TAG_PREFIX + k, v));
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir, PRIVATE_DIR);
      }
      Path tmp = dir.resolve("meta.properties.tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PRIVATE_FILE);
      try (var out = Files.newOutputStream(tmp)) {
        p.store(out, "conpaas qemu VM");
      }
      // Written last: a directory without meta.properties is an aborted create, never a VM.
      Files.move(tmp, dir.resolve("meta.properties"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void ensureDir() {
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir, PRIVATE_DIR);
      }
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

  /** The seed disk: the document, NUL-padded to whole sectors (the boot helper strips the NULs). */
  void writeSeed(byte[] document) {
    writePadded(seed(), document);
  }

  /** The network seed disk (bridge network): the guest's MAC and address, NUL-padded. */
  void writeNetworkSeed(byte[] content) {
    writePadded(networkSeed(), content);
  }

  private void writePadded(Path file, byte[] document) {
    int size = Math.max(512, (document.length + 511) / 512 * 512);
    byte[] padded = java.util.Arrays.copyOf(document, size);
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PRIVATE_FILE);
      Files.write(file, padded);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void writePid(long pid) { writeSmall("pid", Long.toString(pid)); }
  void writePort(int port) { writeSmall("port", Integer.toString(port)); }
  void writeNetIndex(int index) { writeSmall("netindex", Integer.toString(index)); }
  Optional<Integer> netIndex() { return readSmall("netindex").map(Integer::parseInt); }
  void markTerminated() { writeSmall("terminated", Instant.now().toString()); }
  Optional<Long> pid() { return readSmall("pid").map(Long::parseLong); }
  Optional<Integer> port() { return readSmall("port").map(Integer::parseInt); }

  void delete() {
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
}
