package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.ServiceResource;
import java.util.Map;

/** What differs between service kinds for the generic service reconciler. */
public interface ServiceKind<R extends ServiceResource<?>> {
  /** The role backing the scale subresource. */
  String scaleRole();

  /** The configuration each role's agents must run, by role (pure: from the spec). */
  Map<String, Map<String, String>> roleConfig(R service);
}
