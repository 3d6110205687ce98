package io.conpaas.agent.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** A stable hash of a role configuration, computed the same way by operator and agent. */
public final class ConfigHash {
  private ConfigHash() {}

  /** SHA-256 over the entries in key order, each key and value length-prefixed. */
  public static String of(Map<String, String> config) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : new TreeMap<>(config == null ? Map.of() : config).entrySet()) {
        update(digest, e.getKey());
        update(digest, e.getValue() == null ? "" : e.getValue());
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void update(MessageDigest digest, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(bytes);
  }
}
