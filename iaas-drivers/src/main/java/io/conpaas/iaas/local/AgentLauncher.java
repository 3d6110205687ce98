package io.conpaas.iaas.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that boots an agent on the local cloud, given its context file. */
@FunctionalInterface
public interface AgentLauncher {
  List<String> command(Path contextFile);

  /**
   * Runs the agent jar with a JVM tuned for fast start and a small footprint, from the
   * class-data archive built next to the jar when there is one (a JVM that cannot use it, e.g. a
   * different build, silently starts without it).
   */
  static AgentLauncher javaJar(Path javaHome, Path agentJar) {
    Path java = javaHome.resolve("bin").resolve("java");
    String name = agentJar.getFileName().toString();
    Path archive = agentJar.resolveSibling(name.replaceFirst("\\.jar$", "") + ".jsa");
    return contextFile -> {
      List<String> cmd = new ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1", "-XX:-UsePerfData", "-Xss512k", "-Xmx48m", "-XX:MaxMetaspaceSize=64m",
          "-Xshare:auto"));
      if (Files.isRegularFile(archive)) {
        cmd.add("-XX:SharedArchiveFile=" + archive);
      }
      cmd.addAll(List.of("-jar", agentJar.toString(), contextFile.toString()));
      return cmd;
    };
  }
}
