package io.conpaas.agent.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A native server (a SeaweedFS daemon) supervised as {@link SupervisedProcess} says, working in the
 * worker's home directory.
 */
public final class SupervisedNative extends SupervisedProcess<SupervisedNative.Launch> {

  /** What to run: environment additions and the command line (program first). */
  public record Launch(Map<String, String> env, List<String> command) {
    public Launch {
      env = Map.copyOf(env);
      command = List.copyOf(command);
    }
  }

  /** program: the binary's file name, to recognise a process left by an agent killed without warning. */
  public SupervisedNative(String name, String label, Path dir, WorkerUser user, String program) {
    super(name, label, dir, user, program);
  }

  /** Starts launch without waiting, replacing a running process whose launch differs; false when it runs already. */
  public boolean start(Launch wanted) {
    return launch(wanted);
  }

  @Override
  Map<String, String> environment(Launch launch) {
    return launch.env();
  }

  @Override
  List<String> commandLine(Launch launch) {
    return launch.command();
  }

  @Override
  Path workingDirectory() {
    return home();
  }
}
