package io.conpaas.agent.web;

import io.conpaas.agent.process.FreePort;
import io.conpaas.agent.process.SafeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
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
      java.util.Optional<String> kept = SafeFiles.readTail(portFile, 32);
      if (kept.isPresent()) {
        return Integer.parseInt(kept.get().trim());
      }
      int picked = FreePort.on(bindAddress);
      SafeFiles.write(portFile, Integer.toString(picked));
      return picked;
    } catch (UncheckedIOException | NumberFormatException e) {
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

  /**
   * Creates dir (and parents) as the agent's and makes it rwxr-xr-x: the worker user must reach
   * sockets and code below it, but not write there (the agent writes its configuration there).
   * A directory an older agent gave to the worker user is taken back.
   */
  public static Path publicDirectory(Path dir) {
    try {
      Files.createDirectories(dir.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    SafeFiles.agentDirectory(dir, "rwxr-xr-x");
    return dir;
  }

  /**
   * Replaces target by content (mode rw-r--r--) without following a link; its directory must be
   * one only the agent writes (see {@link SafeFiles#write}).
   */
  public static void writeAtomically(Path target, String content) {
    SafeFiles.write(target, content);
  }
}
