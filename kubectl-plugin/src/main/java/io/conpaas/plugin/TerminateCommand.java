package io.conpaas.plugin;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code terminate}: delete a service and, by default, wait until it is gone (cpsclient terminate). */
@Command(name = "terminate",
    header = "Delete a service and wait until it is gone (cpsclient terminate).",
    description = "Deletes the service and, unless --no-wait, waits until it is gone: the operator's "
        + "finalizer releases every agent VM before the object goes.")
final class TerminateCommand extends PluginCommand {
  private static final Duration POLL = Duration.ofMillis(500);

  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service NAME or TYPE/NAME.")
  String service;

  @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Wait until the service is gone (default); --no-wait returns once deletion is requested.")
  boolean waitUntilGone;

  @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION", converter = Durations.class,
      description = "How long to wait, e.g. 90s, 5m, 1h (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    ServiceObject s = root.locator().find(root.namespace(), service);
    String uid = s.object().getMetadata().getUid();
    Resource<GenericKubernetesResource> resource = root.locator().resource(s.kind(), s.namespace(), s.name());
    resource.delete();
    if (!waitUntilGone) {
      say(s.ref() + " terminating (the operator releases its agents, then the object goes)");
      return 0;
    }
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      GenericKubernetesResource current = resource.get();
      if (current == null || !uid.equals(current.getMetadata().getUid())) {
        say(s.ref() + " terminated");
        return 0;
      }
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        List<String> finalizers = current.getMetadata().getFinalizers();
        throw new CliException("timed out after " + Durations.format(timeout) + " waiting for " + s.ref()
            + " to be terminated" + (finalizers == null || finalizers.isEmpty() ? ""
            : "; finalizers still pending: " + String.join(", ", finalizers) + " (is the operator running?)"));
      }
      Thread.sleep(Math.min(POLL.toMillis(), left.toMillis()));
    }
  }
}
