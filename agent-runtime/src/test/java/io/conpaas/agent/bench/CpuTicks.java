package io.conpaas.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time (Linux clock ticks, 1/100 s) of the benchmark's parts, read from /proc: this JVM (the
 * clients), each server the roles started as children of this JVM (with their live and reaped
 * children), and the whole machine's busy time. Only for reporting; empty where /proc is absent.
 */
final class CpuTicks {
  static final String CLIENTS = "clients";
  static final String MACHINE = "machine busy";
  static final String MACHINE_ALL = "machine all";

  private CpuTicks() {}

  /** groups: a substring of a child's command line → its group name (first match wins). */
  static Map<String, Long> snapshot(Map<String, String> groups) {
    Map<String, Long> ticks = new LinkedHashMap<>();
    groups.values().forEach(g -> ticks.put(g, 0L));
    ticks.put(CLIENTS, own(ProcessHandle.current().pid()));
    ProcessHandle.current().children().forEach(child -> {
      String group = group(child.pid(), groups);
      if (group != null) {
        long t = own(child.pid()) + reaped(child.pid())
            + child.descendants().mapToLong(d -> own(d.pid())).sum();
        ticks.merge(group, t, Long::sum);
      }
    });
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long all = 0;
      for (int i = 1; i < Math.min(cpu.length, 9); i++) {
        all += Long.parseLong(cpu[i]);
      }
      ticks.put(MACHINE, all - Long.parseLong(cpu[4]) - Long.parseLong(cpu[5]));
      ticks.put(MACHINE_ALL, all);
    } catch (IOException | RuntimeException e) {
      // Not Linux: no machine figures.
    }
    return ticks;
  }

  /** The group of process pid by its command line (null: none). */
  static String group(long pid, Map<String, String> groups) {
    String cmd = commandLine(pid);
    return groups.entrySet().stream().filter(e -> cmd.contains(e.getKey())).map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }

  static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> d = new LinkedHashMap<>();
    after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
    return d;
  }

  static Map<String, Long> plus(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> s = new LinkedHashMap<>(a);
    b.forEach((k, v) -> s.merge(k, v, Long::sum));
    return s;
  }

  private static long own(long pid) {
    String[] f = stat(pid);
    return f == null ? 0 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long reaped(long pid) {
    String[] f = stat(pid);
    return f == null ? 0 : Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }

  /** The fields of /proc/pid/stat after the command name (field 3, state, is index 0). */
  private static String[] stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
