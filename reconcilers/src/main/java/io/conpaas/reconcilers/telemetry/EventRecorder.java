package io.conpaas.reconcilers.telemetry;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Records Kubernetes Events about our objects (what `kubectl describe` shows). Best effort. */
public interface EventRecorder {
  void normal(HasMetadata about, String reason, String message);

  void warning(HasMetadata about, String reason, String message);

  /** Records nothing (for unit tests of code that emits events). */
  EventRecorder NONE = new EventRecorder() {
    @Override
    public void normal(HasMetadata about, String reason, String message) {}

    @Override
    public void warning(HasMetadata about, String reason, String message) {}
  };
}
