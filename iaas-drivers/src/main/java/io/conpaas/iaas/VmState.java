package io.conpaas.iaas;

/** The cloud's view of a VM, reduced to what the operator acts on. */
public enum VmState {
  /** Requested or booting. */
  PENDING,
  /** Powered on (the agent may or may not answer yet). */
  RUNNING,
  /** Being released. */
  TERMINATING,
  /**
   * Not running but not gone, and it may run again with its disks: stopped, suspended, powered
   * off, or in a state the cloud cannot see right now (OpenNebula UNKNOWN during a monitoring
   * blip). Not proof of death: a stateful agent waits for it, a stateless one is replaced only
   * after agent.healthTimeout.
   */
  STOPPED,
  /** Dead for good without being asked to: crashed or failed to boot (the cloud says so). */
  FAILED
}
