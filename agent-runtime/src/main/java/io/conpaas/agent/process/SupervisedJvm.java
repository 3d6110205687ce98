package io.conpaas.agent.process;

import io.conpaas.agent.web.RoleConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server in a JVM of its own (a Selenium Grid component, a Hadoop daemon), supervised as
 * {@link SupervisedProcess} says, with a temp directory the worker owns (java.io.tmpdir) beside its home.
 */
public final class SupervisedJvm extends SupervisedProcess<SupervisedJvm.Launch> {

  /** What to run: environment additions, JVM options, class path, main class and its arguments. */
  public record Launch(Map<String, String> env, List<String> jvmOptions, String classpath, String mainClass,
      List<String> args) {
    public Launch {
      env = Map.copyOf(env);
      jvmOptions = List.copyOf(jvmOptions);
      args = List.copyOf(args);
    }
  }

  /**
   * label: what logs call it (e.g. "selenium hub"); dir: its directory (created; logs/ and the pid
   * file are the agent's, home/ and tmp/ the worker's).
   */
  public SupervisedJvm(String name, String label, Path dir, WorkerUser user) {
    super(name, label, dir, user, "java");
    SafeFiles.workerDirectory(RoleConfig.publicDirectory(dir).resolve("tmp"), user.name(), "rwx------");
  }

  /** The worker's temp directory (java.io.tmpdir of the JVM). */
  public Path tmp() {
    return dir().resolve("tmp");
  }

  @Override
  Map<String, String> environment(Launch launch) {
    return launch.env();
  }

  @Override
  List<String> commandLine(Launch launch) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Binaries.java().toString());
    cmd.addAll(launch.jvmOptions());
    cmd.addAll(List.of("-Djava.io.tmpdir=" + tmp(), "-cp", launch.classpath(), launch.mainClass()));
    cmd.addAll(launch.args());
    return cmd;
  }

  @Override
  Path workingDirectory() {
    return dir();
  }
}
