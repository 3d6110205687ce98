package io.conpaas.plugin;

import io.conpaas.plugin.ServiceKind.Feature;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reset-password}: a new password for a MySQL service's user, through its Secret (ConPaaS set_password). */
@Command(name = "reset-password", aliases = "set_password",
    header = "Set a new password for the user of a MySQL service (ConPaaS set_password).",
    description = {"Asks twice, without echo, for the new password of the service's user (mysqladb), or reads "
        + "it from the first line of stdin with --password-stdin. It needs at least 8 characters, no control "
        + "characters and no blank at either end. ConPaaS keeps no copy: forgotten, it can only be reset.",
        "The password goes into the service's password Secret only (status.mysql.passwordSecret, else "
            + "spec.passwordSecretRef, else SERVICE-mysql): a merge patch of data.password and of the label "
            + "conpaas.io/mysql-service=SERVICE, which the operator watches; the Secret is created when missing. "
            + "The plugin then waits until every running agent of the service uses it (reports the Secret's "
            + "resourceVersion as its credentialsVersion). The password is never printed.",
        "  kubectl conpaas reset-password db",
        "  kubectl conpaas reset-password db --password-stdin < password.txt"})
final class ResetPasswordCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "MySQL service NAME or TYPE/NAME.")
  String service;

  @Option(names = "--password-stdin", description = "Read the new password from the first line of stdin.")
  boolean passwordStdin;

  @Option(names = "--timeout", defaultValue = "90s", paramLabel = "DURATION", converter = Durations.class,
      description = "How long to wait for the agents to use the new password (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.DATABASE,
        "database", "reset-password");
    String password = passwordStdin ? PasswordInput.fromStream(root.stdin())
        : PasswordInput.fromTerminal(root.terminal(), "New password for " + s.databaseUser() + " of " + s.ref() + ": ");
    String secretName = s.passwordSecret();
    PasswordSecrets secrets = new PasswordSecrets(root.client());
    Secret written = secrets.setPassword(s, secretName, password);
    // Every resourceVersion seen holding the new password counts: the operator may write other keys after us.
    Set<String> versions = new LinkedHashSet<>();
    versions.add(written.getMetadata().getResourceVersion());
    AtomicReference<CredentialsRollout> last = new AtomicReference<>();
    CredentialsRollout done = Polling.until(timeout, () -> {
      String now = secrets.versionHolding(s.namespace(), secretName, password);
      if (now != null) {
        versions.add(now);
      }
      CredentialsRollout rollout = CredentialsRollout.of(AgentsCommand.agentsOf(root, s), versions);
      last.set(rollout);
      return rollout.done() ? Optional.of(rollout) : Optional.empty();
    }, () -> new CliException("timed out after " + Durations.format(timeout) + " waiting for the agents of "
        + s.ref() + " to use the new password, which is set in Secret " + secretName + "; not yet: "
        + String.join(", ", last.get().pending()) + " (is the operator running?)"));
    if (done.using().isEmpty()) {
      warn("no agent of " + s.ref() + " is running; they use the new password when they start");
    }
    say(s.ref() + ": password reset (Secret " + secretName + "); " + done.summary());
    return 0;
  }
}
