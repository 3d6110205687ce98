package io.conpaas.api.v1alpha1;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One service kind as every module sees it: its resource class, its cpsclient type name, its
 * agent roles (the scale role first) and what may be uploaded to it. See {@link KindRegistry}.
 */
public record RegisteredKind(Class<? extends ServiceResource<?>> resource, String type, List<String> roles,
    Set<Upload> uploads) {

  /** What a CodeUpload may carry to a kind. */
  public enum Upload {
    /** Code versions (spec.code, status.code). */
    CODE,
    /** SQL dumps applied by the agents (status.mysql). */
    DUMP,
    /** Job jars run on the master and data files put into its file system (status.jobs). */
    JOB
  }

  public RegisteredKind {
    if (roles.isEmpty()) {
      throw new IllegalArgumentException(resource.getSimpleName() + " needs at least its scale role");
    }
    roles = List.copyOf(roles);
    uploads = uploads.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(uploads));
  }

  /** A kind from its resource class, type name, roles (scale role first) and accepted uploads. */
  public static RegisteredKind of(Class<? extends ServiceResource<?>> resource, String type, List<String> roles,
      Upload... uploads) {
    return new RegisteredKind(resource, type, roles, Set.of(uploads));
  }

  /** The Kubernetes kind, e.g. PhpService (the agents' service kind too). */
  public String kind() {
    return HasMetadata.getKind(resource);
  }

  /** The plural resource name, e.g. phpservices. */
  public String plural() {
    return HasMetadata.getPlural(resource);
  }

  /** The role whose nodes back the /scale subresource. */
  public String scaleRole() {
    return roles.get(0);
  }

  /** Whether CodeUploads (code or dumps) may target this kind. */
  public boolean takesUploads() {
    return !uploads.isEmpty();
  }
}
