package io.conpaas.iaas.local;

import java.nio.file.Path;
import java.util.List;

/** The command that boots an agent on the local cloud, given its context file. */
@FunctionalInterface
public interface AgentLauncher {
  List<String> command(Path contextFile);

  /** Runs the agent jar with a JVM tuned for fast start and a small footprint. */
  static AgentLauncher javaJar(Path javaHome, Path agentJar) {
    Path java = javaHome.resolve("bin").resolve("java");
    return contextFile -> List.of(java.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-XX:CICompilerCount=1", "-XX:-UsePerfData",
        "-Xss512k", "-Xmx48m", "-XX:MaxMetaspaceSize=64m", "-Xshare:auto",
        "-jar", agentJar.toString(), contextFile.toString());
  }
}
