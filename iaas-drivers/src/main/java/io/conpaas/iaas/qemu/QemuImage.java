package io.conpaas.iaas.qemu;

import io.conpaas.iaas.CloudException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Cloud's base image before any VM boots from it: a qcow2 image must pass qemu-img check
 * (its metadata is consistent), a raw image must carry a boot sector. Every failure names the file.
 */
final class QemuImage {
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern FORMAT = Pattern.compile("\"format\"\\s*:\\s*\"([a-z0-9]+)\"");

  private QemuImage() {}

  /** The image's format (qcow2 or raw), or a CloudException ImageUnusable naming the file. */
  static String check(Path image, String qemuImg) {
    if (!Files.isRegularFile(image)) {
      throw unusable(image, "no such file");
    }
    if (!Files.isReadable(image)) {
      throw unusable(image, "not readable");
    }
    BoundedRun.Result info = BoundedRun.run(List.of(qemuImg, "info", "-U", "--output=json", image.toString()),
        CHECK_TIMEOUT, null);
    if (!info.ok()) {
      throw unusable(image, "qemu-img info failed: " + brief(info.output()));
    }
    Matcher m = FORMAT.matcher(info.output());
    String format = m.find() ? m.group(1) : "unknown";
    if ("qcow2".equals(format)) {
      BoundedRun.Result check = BoundedRun.run(List.of(qemuImg, "check", "-U", "-f", "qcow2", image.toString()),
          CHECK_TIMEOUT, null);
      if (!check.ok()) {
        throw unusable(image, "corrupt qcow2 image: " + brief(check.output()));
      }
      return format;
    }
    if ("raw".equals(format)) {
      if (!bootSector(image)) {
        throw unusable(image, "neither a qcow2 image nor a raw disk with a boot sector (corrupt or not a disk image)");
      }
      return format;
    }
    throw unusable(image, "unsupported image format " + format + " (qcow2 or raw)");
  }

  private static boolean bootSector(Path image) {
    try (InputStream in = Files.newInputStream(image)) {
      byte[] sector = in.readNBytes(512);
      return sector.length == 512 && (sector[510] & 0xff) == 0x55 && (sector[511] & 0xff) == 0xaa;
    } catch (IOException e) {
      return false;
    }
  }

  private static String brief(String out) {
    String line = out.replaceAll("\\s+", " ").strip();
    return line.length() > 300 ? line.substring(0, 300) : line;
  }

  private static CloudException unusable(Path image, String why) {
    return new CloudException("ImageUnusable", "image " + image + ": " + why, false);
  }
}
