package io.conpaas.api.v1alpha1;

/**
 * The ConPaaS service states, ordered from best to worst so that an application reports the
 * worst state of its services.
 */
public enum ServiceState {
  /** Every role has its desired ready agents, and they answer. */
  RUNNING,
  /** Stopped on request or because credits ran out. */
  STOPPED,
  /** Accepted, nothing provisioned yet. */
  INIT,
  /** The first agents are starting. */
  PROLOGUE,
  /** Nodes are being added or removed, or configuration pushed. */
  ADAPTING,
  /** Agents are being released because the service is stopping. */
  EPILOGUE,
  /** Cannot progress without a change by the user; the message says why. */
  ERROR
}
