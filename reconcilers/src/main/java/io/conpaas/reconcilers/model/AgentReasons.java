package io.conpaas.reconcilers.model;

import java.util.Set;

/** Reasons of an Agent's Degraded condition that the service's status builds on. */
public final class AgentReasons {
  /** The Cloud refused a request in a way only a user change fixes (credentials, image...). */
  public static final String CLOUD_REJECTED = "CloudRejected";
  /** The Cloud is unreachable or throttling; retried. */
  public static final String CLOUD_UNAVAILABLE = "CloudUnavailable";
  /** The Cloud holds maxInstances VMs already. */
  public static final String CLOUD_FULL = "CloudFull";
  public static final String CLOUD_NOT_FOUND = "CloudNotFound";
  public static final String REPLACING = "Replacing";
  public static final String RETRYING = "Retrying";
  /** The agent of a VM that ran stopped answering; it is waited for (or held), not replaced yet. */
  public static final String UNREACHABLE = "AgentUnreachable";
  public static final String FAILED = "AgentFailed";
  /** The agent exited at start for a reason a new VM would repeat (the cloud says so): not retried. */
  public static final String START_FAILED = "AgentStartFailed";
  /** Releasing the VM of a deleted Agent failed (the Cloud is unreachable); retried with backoff. */
  public static final String RELEASE_RETRYING = "ReleaseRetrying";
  /** The Agent's Cloud is being deleted: no new VM is started on it. */
  public static final String CLOUD_DELETING = "CloudDeleting";
  /** A stateful agent's VM is gone; it is not replaced by an empty one. */
  public static final String STATEFUL_VM_LOST = "StatefulVmLost";
  /** The Secret an agent's credentials come from is missing; it waits for it. */
  public static final String CREDENTIALS_MISSING = "CredentialsMissing";
  /** A code version the Agent's spec lists is not in the operator's store. */
  public static final String CODE_MISSING = "CodeMissing";
  /** The agent answers but refused a call (e.g. a configuration it cannot apply): alive, not replaced. */
  public static final String AGENT_REFUSED = "AgentRefused";

  /** Reasons that mean "waiting for the Cloud", reported by the service as why it waits. */
  public static final Set<String> WAITING = Set.of(CLOUD_UNAVAILABLE, CLOUD_FULL, CLOUD_NOT_FOUND,
      CREDENTIALS_MISSING, CLOUD_DELETING);

  private AgentReasons() {}
}
