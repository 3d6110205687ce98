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

  /** Called once every Agent of a deleted service is gone: forget what the operator stored for it. */
  default void released(R service) {}
}
