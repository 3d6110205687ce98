package io.conpaas.api.v1alpha1;

/** Lifecycle of the one VM an Agent owns. */
public enum AgentPhase {
  /** No VM yet; no client token recorded. */
  Pending,
  /** Client token recorded; the cloud is being asked for the VM. */
  Creating,
  /** The VM exists; waiting for its agent to answer the health check. */
  Booting,
  /** The agent answers; the role's configuration is being pushed. */
  Configuring,
  /** The agent answers and runs the current configuration. */
  Running,
  /** The VM could not be brought up within the allowed attempts. */
  Failed,
  /** The VM is being released. */
  Deleting
}
