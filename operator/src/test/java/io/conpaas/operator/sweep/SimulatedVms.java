package io.conpaas.operator.sweep;

import io.conpaas.iaas.VmTags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a simulated Cloud's journal (read-only, while its operator may run) into the live VMs:
 * the cloud's own record of what exists, independent of what the operator believes.
 */
final class SimulatedVms {
  private SimulatedVms() {}

  /** A live VM: its instance id and tags. */
  record Vm(String instanceId, String clientToken, Map<String, String> tags) {
    String agentUid() {
      return tags.get(VmTags.AGENT_UID);
    }
  }

  static List<Vm> live(Path journal) {
    Map<String, Vm> vms = new LinkedHashMap<>();
    if (!Files.exists(journal)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : lines) {
      String[] f = line.split("\t", -1);
      if ("C".equals(f[0]) && f.length == 10 && f[9].isEmpty()) {
        vms.put(f[1], new Vm(f[1], text(f[2]), tags(text(f[4]))));
      } else if ("T".equals(f[0]) && f.length == 3) {
        vms.remove(f[1]);
      }
    }
    return List.copyOf(vms.values());
  }

  private static String text(String b64) {
    return new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  private static Map<String, String> tags(String text) {
    Map<String, String> tags = new TreeMap<>();
    if (!text.isEmpty()) {
      for (String kv : text.split(",")) {
        int eq = kv.indexOf('=');
        tags.put(text(kv.substring(0, eq)), text(kv.substring(eq + 1)));
      }
    }
    return tags;
  }
}
