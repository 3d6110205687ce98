package io.conpaas.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs kubectl against the dev cluster, as a user would. */
public final class Kubectl {
  /** Exit code and combined output of one kubectl run. */
  public record Result(int exitCode, String output) {}

  private Kubectl() {}

  public static Result run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", DevCluster.kubeconfig()));
    cmd.addAll(List.of(args));
    BoundedCommand.Outcome r = BoundedCommand.run(cmd, Duration.ofSeconds(60), true);
    return new Result(r.exitCode(), r.output());
  }

  /** Runs kubectl and fails unless it exits 0. */
  public static String ok(String... args) {
    Result r = run(args);
    if (r.exitCode() != 0) {
      throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + r.output());
    }
    return r.output();
  }
}
