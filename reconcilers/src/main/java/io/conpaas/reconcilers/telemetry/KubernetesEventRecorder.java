package io.conpaas.reconcilers.telemetry;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events. A failure to record one is logged and ignored: events inform people,
 * they are never state the operator depends on.
 */
public final class KubernetesEventRecorder implements EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;

  public KubernetesEventRecorder(KubernetesClient client, String component, Clock clock) {
    this.client = client;
    this.component = component;
    this.clock = clock;
  }

  @Override
  public void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  @Override
  public void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  private void record(HasMetadata about, String type, String reason, String message) {
    String ns = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
    String now = clock.instant().toString();
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    try {
      client.v1().events().inNamespace(ns).resource(new EventBuilder()
          .withNewMetadata().withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString()
              .replace("-", "").substring(0, 16)).withNamespace(ns).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(about.getApiVersion())
              .withKind(about.getKind()).withName(about.getMetadata().getName()).withNamespace(ns)
              .withUid(about.getMetadata().getUid()).build())
          .withType(type).withReason(reason).withMessage(text)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent(component).endSource()
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.debug("could not record event {} on {}: {}", reason, about.getMetadata().getName(), e.getMessage());
    }
  }
}
