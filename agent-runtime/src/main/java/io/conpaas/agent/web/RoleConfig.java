package io.conpaas.agent.web;

import io.conpaas.agent.process.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Typed reading of the config keys the roles share, with messages naming the bad key. */
public final class RoleConfig {
  private RoleConfig() {}

  /**
   * The port for key: the configured one, or for 0/absent the one picked before (kept in
   * portFile so an agent restart keeps its address) or a newly picked free one.
   */
  public static int port(Map<String, String> config, String key, Path portFile, String bindAddress) {
    int wanted = integer(config, key, 0, 0, 65535);
    if (wanted > 0) {
      return wanted;
    }
    try {
      if (Files.isRegularFile(portFile)) {
        return Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
      }
      int picked = FreePort.on(bindAddress);
      Files.createDirectories(portFile.getParent());
      Files.writeString(portFile, Integer.toString(picked), StandardCharsets.US_ASCII);
      return picked;
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot keep the port for " + key + " in " + portFile + ": " + e.getMessage(), e);
    }
  }

  public static int integer(Map<String, String> config, String key, int fallback, int min, int max) {
    String v = config.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int i = Integer.parseInt(v.trim());
      if (i < min || i > max) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": \"" + v + "\" is not a number from " + min + " to " + max);
    }
  }

  public static boolean bool(Map<String, String> config, String key, boolean fallback) {
    String v = config.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "on", "yes", "1" -> true;
      case "false", "off", "no", "0" -> false;
      default -> throw new IllegalArgumentException(key + ": \"" + v + "\" is not true or false");
    };
  }

  /** The address to probe a server bound to bindAddress on (the wildcard is reached via loopback). */
  public static String probeHost(String bindAddress) {
    return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
  }

  /** Creates dir (and parents) and makes it rwxr-xr-x: the worker user must reach sockets and code below it. */
  public static Path publicDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  public static void writeAtomically(Path target, String content) {
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
