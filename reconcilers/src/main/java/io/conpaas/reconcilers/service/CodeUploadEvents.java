package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;

/** Triggers a web service when an upload to it completes: its new version goes to its agents. */
final class CodeUploadEvents {
  private CodeUploadEvents() {}

  static <R extends ServiceResource<?>> EventSource<CodeUpload, R> of(EventSourceContext<R> context) {
    String kind = io.fabric8.kubernetes.api.model.HasMetadata.getKind(context.getPrimaryResourceClass());
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(CodeUpload.class,
            context.getPrimaryResourceClass())
        .withName("codeuploads")
        .withSecondaryToPrimaryMapper(upload -> {
          boolean done = upload.getStatus() != null && upload.getStatus().getPhase() == CodeUploadPhase.Completed;
          boolean ours = upload.getSpec() != null && upload.getSpec().getServiceKind() != null
              && kind.equals(upload.getSpec().getServiceKind().name());
          return done && ours
              ? Set.of(new ResourceID(upload.getSpec().getService(), upload.getMetadata().getNamespace()))
              : Set.of();
        }).build(), context);
  }
}
