package io.conpaas.plugin;

import io.conpaas.testing.DevCluster;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs the plugin's picocli command line in-process against the dev cluster, capturing its output. */
final class Plugin {
  /** Exit code, stdout and stderr of one run. */
  record Result(int exitCode, String out, String err) {
    /** The stderr lines (without the trailing empty one). */
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Plugin() {}

  /** {@code kubectl conpaas ARGS} with the dev cluster's admin kubeconfig. */
  static Result run(String... args) {
    return run(ServiceKinds.standard(), args);
  }

  /** Like {@link #run(String...)} with another set of service kinds. */
  static Result run(ServiceKinds kinds, String... args) {
    List<String> all = new ArrayList<>(List.of("--kubeconfig", DevCluster.kubeconfig()));
    all.addAll(List.of(args));
    return runWithoutCluster(kinds, all.toArray(String[]::new));
  }

  /** The plugin with exactly {@code args} (no kubeconfig added). */
  static Result runWithoutCluster(ServiceKinds kinds, String... args) {
    return runWithInput(kinds, "", () -> null, args);
  }

  /**
   * {@code kubectl conpaas ARGS} against the dev cluster with {@code stdin} as standard input and
   * {@code terminal} as the terminal (it may give null: no terminal).
   */
  static Result runWithInput(String stdin, Supplier<PasswordInput.Terminal> terminal, String... args) {
    List<String> all = new ArrayList<>(List.of("--kubeconfig", DevCluster.kubeconfig()));
    all.addAll(List.of(args));
    return runWithInput(ServiceKinds.standard(), stdin, terminal, all.toArray(String[]::new));
  }

  private static Result runWithInput(ServiceKinds kinds, String stdin, Supplier<PasswordInput.Terminal> terminal,
      String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (ConpaasCommand root = new ConpaasCommand(kinds)) {
      root.withInput(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), terminal);
      code = root.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
    return new Result(code, out.toString(), err.toString());
  }
}
