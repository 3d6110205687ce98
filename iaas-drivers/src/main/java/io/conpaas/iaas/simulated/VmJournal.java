package io.conpaas.iaas.simulated;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated cloud's durable record: one line per VM created or terminated, appended and
 * flushed before the call answers (so an operator killed right after a create finds the VM again),
 * compacted to the live VMs when opened. Flushed, not fsynced: it survives the operator's death, a
 * machine crash may lose the last lines (as a real cloud would not, which is fine for a simulation).
 */
final class VmJournal implements AutoCloseable {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder D64 = Base64.getUrlDecoder();

  private final Path file;
  private BufferedWriter out;

  private VmJournal(Path file) {
    this.file = file;
  }

  /** Reads the journal in dir (if any), rewrites it with only the live VMs, and keeps it open for appends. */
  static VmJournal open(Path dir, Map<String, SimulatedVm> into) {
    try {
      Files.createDirectories(dir);
      VmJournal journal = new VmJournal(dir.resolve("vms.journal"));
      Map<String, SimulatedVm> vms = new LinkedHashMap<>();
      if (Files.exists(journal.file)) {
        for (String line : Files.readAllLines(journal.file, StandardCharsets.UTF_8)) {
          apply(line, vms);
        }
      }
      vms.values().removeIf(vm -> !vm.live());
      Path tmp = dir.resolve("vms.journal.tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
        for (SimulatedVm vm : vms.values()) {
          w.write(created(vm));
          w.newLine();
        }
      }
      Files.move(tmp, journal.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      journal.out = Files.newBufferedWriter(journal.file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      into.putAll(vms);
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the simulated cloud's journal in " + dir, e);
    }
  }

  /** A line cut short by a crash mid-write is skipped: its VM was never reported as created. */
  private static void apply(String line, Map<String, SimulatedVm> vms) {
    String[] f = line.split("\t", -1);
    try {
      if ("C".equals(f[0]) && f.length == 10) {
        vms.put(f[1], new SimulatedVm(f[1], text(f[2]), text(f[3]), tags(text(f[4])),
            f[5].isEmpty() ? null : text(f[5]), Instant.ofEpochMilli(Long.parseLong(f[6])), f[7], "1".equals(f[8]),
            f[9].isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(f[9]))));
      } else if ("T".equals(f[0]) && f.length == 3) {
        SimulatedVm vm = vms.get(f[1]);
        if (vm != null) {
          vms.put(f[1], vm.terminated(Instant.ofEpochMilli(Long.parseLong(f[2]))));
        }
      }
    } catch (RuntimeException e) {
      // A torn last line: ignore it.
    }
  }

  synchronized void recordCreated(SimulatedVm vm) {
    write(created(vm));
  }

  synchronized void recordTerminated(String instanceId, Instant at) {
    write("T\t" + instanceId + "\t" + at.toEpochMilli());
  }

  private void write(String line) {
    try {
      out.write(line);
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  private static String created(SimulatedVm vm) {
    return String.join("\t", List.of("C", vm.instanceId(), b64(vm.clientToken()), b64(vm.name()),
        b64(tagText(vm.tags())), vm.instanceType() == null ? "" : b64(vm.instanceType()),
        Long.toString(vm.createdAt().toEpochMilli()), vm.address(), vm.failsToBoot() ? "1" : "0",
        vm.terminatedAt() == null ? "" : Long.toString(vm.terminatedAt().toEpochMilli())));
  }

  private static String b64(String s) {
    return B64.encodeToString((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
  }

  private static String text(String b64) {
    return new String(D64.decode(b64), StandardCharsets.UTF_8);
  }

  private static String tagText(Map<String, String> tags) {
    List<String> lines = new ArrayList<>();
    new TreeMap<>(tags).forEach((k, v) -> lines.add(b64(k) + "=" + b64(v)));
    return String.join(",", lines);
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

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      // Everything was flushed line by line.
    }
  }
}
