package io.conpaas.plugin;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One ConPaaS service kind as the plugin sees it: its API coordinates, its cpsclient type name,
 * its roles (the scale role first), the string settings {@code create} may set in its spec, the
 * features beyond nodes that its spec has (code versions, a debug switch, a database), the agents
 * of the scale role {@code create} starts with, and the roles whose node count is fixed (with why).
 */
public record ServiceKind(String type, ResourceDefinitionContext context, List<String> roles,
    Set<String> settings, Set<Feature> features, int initialNodes, Map<String, String> fixedRoles) {

  /** What a kind's spec offers besides roles: the commands that need it check for it. */
  public enum Feature {
    /** spec.code and status.code: upload-code, versions, activate. */
    CODE,
    /** spec.debug: toggle-debug. */
    DEBUG,
    /** A MySQL database (spec.passwordSecretRef, status.mysql): reset-password, upload-dump, connect. */
    DATABASE,
    /** A key-value store with an HTTP API at status.endpoints[0]: kv. */
    KEY_VALUE,
    /** HDFS with the NameNode's web UI (WebHDFS) at status.endpoints[0]: hdfs. */
    HDFS,
    /** A POSIX file system with volumes mountable by FUSE (XtreemFsService): fs. */
    FILE_SYSTEM
  }

  public ServiceKind {
    if (roles.isEmpty()) {
      throw new IllegalArgumentException(context.getKind() + " needs at least its scale role");
    }
    roles = List.copyOf(roles);
    settings = Set.copyOf(settings);
    features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    if (initialNodes < 0) {
      throw new IllegalArgumentException(context.getKind() + " cannot start with " + initialNodes + " nodes");
    }
    if (fixedRoles.containsKey(roles.get(0)) || !roles.containsAll(fixedRoles.keySet())) {
      throw new IllegalArgumentException(context.getKind() + ": fixed roles must be roles other than the scale role");
    }
    fixedRoles = Map.copyOf(fixedRoles);
  }

  /** A kind without features whose scale role starts with one agent, every role scalable. */
  public ServiceKind(String type, ResourceDefinitionContext context, List<String> roles, Set<String> settings) {
    this(type, context, roles, settings, Set.of(), 1, Map.of());
  }

  /** A kind from its resource class; {@code roles} start with the scale role. */
  public static ServiceKind of(Class<? extends KubernetesResource> resource, String type, List<String> roles,
      String... settings) {
    return new ServiceKind(type, ResourceDefinitionContext.fromResourceType(resource), roles, Set.of(settings));
  }

  /** This kind with {@code more} string settings that {@code create} may set in its spec. */
  public ServiceKind withSettings(String... more) {
    Set<String> all = new java.util.LinkedHashSet<>(settings);
    all.addAll(List.of(more));
    return new ServiceKind(type, context, roles, all, features, initialNodes, fixedRoles);
  }

  /** This kind with {@code more} features. */
  public ServiceKind with(Feature... more) {
    EnumSet<Feature> all = features.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features);
    all.addAll(List.of(more));
    return new ServiceKind(type, context, roles, settings, all, initialNodes, fixedRoles);
  }

  /** This kind with {@code nodes} agents of the scale role when {@code create} is given no --nodes. */
  public ServiceKind startingWith(int nodes) {
    return new ServiceKind(type, context, roles, settings, features, nodes, fixedRoles);
  }

  /** This kind with {@code role}'s node count fixed: add-nodes and remove-nodes refuse it, saying {@code why}. */
  public ServiceKind fixing(String role, String why) {
    Map<String, String> all = new LinkedHashMap<>(fixedRoles);
    all.put(role, why);
    return new ServiceKind(type, context, roles, settings, features, initialNodes, all);
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

  /** The roles whose node count users may change (every role but the fixed ones), scale role first. */
  public List<String> scalableRoles() {
    return roles.stream().filter(r -> !fixedRoles.containsKey(r)).toList();
  }

  /**
   * Like {@link #requireRole}, and fails when the role's node count is fixed, e.g. "cannot change
   * the nodes of role master of mysqlservice/db: a MySQL service has exactly one master; add or
   * remove slaves instead".
   */
  public String requireScalableRole(String role, String serviceRef) {
    String r = requireRole(role, serviceRef);
    String why = fixedRoles.get(r);
    if (why != null) {
      throw new CliException("cannot change the nodes of role " + r + " of " + serviceRef + ": " + why
          + "; add or remove " + scaleRole() + " instead");
    }
    return r;
  }
}
