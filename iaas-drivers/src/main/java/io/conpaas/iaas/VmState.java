package io.conpaas.iaas;

/** The cloud's view of a VM, reduced to what the operator acts on. */
public enum VmState {
  /** Requested or booting. */
  PENDING,
  /** Powered on (the agent may or may not answer yet). */
  RUNNING,
  /** Being released. */
  TERMINATING,
  /** Dead without being asked to: crashed, failed to boot, or stopped behind our back. */
  FAILED
}
