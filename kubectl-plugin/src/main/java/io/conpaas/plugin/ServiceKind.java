package io.conpaas.plugin;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One ConPaaS service kind as the plugin sees it: its API coordinates, its cpsclient type name,
 * its roles (the scale role first), the string settings {@code create} may set in its spec and
 * the features beyond nodes that its spec has (code versions, a debug switch).
 */
public record ServiceKind(String type, ResourceDefinitionContext context, List<String> roles,
    Set<String> settings, Set<Feature> features) {

  /** What a kind's spec offers besides roles: the commands that need it check for it. */
  public enum Feature {
    /** spec.code and status.code: upload-code, versions, activate. */
    CODE,
    /** spec.debug: toggle-debug. */
    DEBUG
  }

  public ServiceKind {
    if (roles.isEmpty()) {
      throw new IllegalArgumentException(context.getKind() + " needs at least its scale role");
    }
    roles = List.copyOf(roles);
    settings = Set.copyOf(settings);
    features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
  }

  /** A kind without features. */
  public ServiceKind(String type, ResourceDefinitionContext context, List<String> roles, Set<String> settings) {
    this(type, context, roles, settings, Set.of());
  }

  /** A kind from its resource class; {@code roles} start with the scale role. */
  public static ServiceKind of(Class<? extends KubernetesResource> resource, String type, List<String> roles,
      String... settings) {
    return new ServiceKind(type, ResourceDefinitionContext.fromResourceType(resource), roles, Set.of(settings));
  }

  /** This kind with {@code more} features. */
  public ServiceKind with(Feature... more) {
    EnumSet<Feature> all = features.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features);
    all.addAll(List.of(more));
    return new ServiceKind(type, context, roles, settings, all);
  }

  public boolean has(Feature feature) {
    return features.contains(feature);
  }

  /** The Kubernetes kind, e.g. HelloWorldService. */
  public String kind() {
    return context.getKind();
  }

  /** The role whose nodes back the /scale subresource. */
  public String scaleRole() {
    return roles.get(0);
  }

  /** apiVersion of the kind's objects, e.g. conpaas.io/v1alpha1. */
  public String apiVersion() {
    return context.getGroup() + "/" + context.getVersion();
  }

  /** The resource as kubectl names it, e.g. helloworldservices.conpaas.io (see also {@link #qualifiedRef}). */
  public String resource() {
    return context.getPlural() + "." + context.getGroup();
  }

  /** How kubectl reports a write: helloworldservice.conpaas.io/NAME. */
  public String qualifiedRef(String name) {
    return kind().toLowerCase(Locale.ROOT) + "." + context.getGroup() + "/" + name;
  }

  /** How messages name one object, as kubectl does: helloworldservice/NAME. */
  public String ref(String name) {
    return kind().toLowerCase(Locale.ROOT) + "/" + name;
  }

  /** True when {@code name} is this kind's type name, kind, singular or plural (any case). */
  public boolean isCalled(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.equals(type.toLowerCase(Locale.ROOT)) || n.equals(kind().toLowerCase(Locale.ROOT))
        || n.equals(context.getPlural()) || n.equals(resource())
        || n.equals(kind().toLowerCase(Locale.ROOT) + "." + context.getGroup());
  }

  /** {@code role}, or the scale role when null; fails naming the kind's roles when it has no such role. */
  public String requireRole(String role, String serviceRef) {
    if (role == null) {
      return scaleRole();
    }
    if (!roles.contains(role)) {
      throw new CliException("unknown role '" + role + "' for " + serviceRef + "; its roles: "
          + String.join(", ", roles));
    }
    return role;
  }
}
