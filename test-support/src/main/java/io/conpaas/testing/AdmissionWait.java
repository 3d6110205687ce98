package io.conpaas.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;

/**
 * Waits until admission refuses a change, judged by a dry run (admission runs, nothing is stored). A
 * new ValidatingAdmissionPolicy takes a moment to be enforced; a real call retried until refused
 * could slip through before then and change what the test checks next.
 */
public final class AdmissionWait {
  private AdmissionWait() {}

  /** Retries dryRun until it fails with a message containing because, for at most atMost. */
  public static void untilRefused(Runnable dryRun, String because, Duration atMost) {
    await().atMost(atMost).ignoreExceptionsMatching(e -> !(e instanceof KubernetesClientException)).until(() -> {
      try {
        dryRun.run();
        return false;
      } catch (KubernetesClientException e) {
        return e.getMessage() != null && e.getMessage().contains(because);
      }
    });
  }
}
