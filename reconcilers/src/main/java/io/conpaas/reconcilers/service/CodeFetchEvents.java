package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.reconcilers.code.CodeSourceFetcher;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;

/** Triggers a web service when a fetch of its spec.code.source ends (stored or failed). */
final class CodeFetchEvents {
  private CodeFetchEvents() {}

  static <R extends ServiceResource<?>> EventSource<?, R> of(CodeSourceFetcher fetcher, String kind) {
    SimpleInboundEventSource<R> source = new SimpleInboundEventSource<>("codefetches");
    fetcher.onFinished(service -> {
      if (service.kind().equals(kind)) {
        source.propagateEvent(new ResourceID(service.name(), service.namespace()));
      }
    });
    return source;
  }
}
