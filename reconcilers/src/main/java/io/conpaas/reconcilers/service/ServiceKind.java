package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.ServiceResource;

/**
 * What differs between service kinds for the generic {@link ServiceReconciler}. A pass calls
 * {@link #observe} once (every side effect and read particular to the kind), then the pure
 * {@link #plan}, whose result the reconciler applies and turns into one status patch. A kind keeps
 * no state between these calls: what observe found travels in the context.
 */
public interface ServiceKind<R extends ServiceResource<?>> {
  /** The role backing the scale subresource. */
  String scaleRole();

  /**
   * Side effects and reads beyond the generic ones (e.g. ensuring a password Secret, starting or
   * polling a code fetch); must not block on slow work. Default: nothing to observe.
   */
  default Observation observe(ServiceContext<R> context) {
    return Observation.NONE;
  }

  /** The desired state of the pass: pure, from the context alone. */
  KindPlan plan(ServiceContext<R> context);

  /**
   * Roles whose agents differ in instance type, slot by slot (TaskFarm's VM mix): role -> the
   * instance type of each slot; the list's size is the role's node count. Roles not listed follow
   * their spec block. Pure, from the context alone.
   */
  default java.util.Map<String, java.util.List<String>> slots(ServiceContext<R> context) {
    return java.util.Map.of();
  }

  /** Called once every Agent of a deleted service is gone: forget what the operator stored for it. */
  default void released(R service) {}
}
