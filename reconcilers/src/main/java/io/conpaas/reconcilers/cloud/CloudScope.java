package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Which Clouds an operator looks after (driver, VM list, orphan sweep) and of which it writes the
 * status. Clouds are cluster-scoped, operators may be namespace-scoped: two installs in one
 * cluster (or two test worlds) must neither build drivers for nor write the status of each other's
 * Clouds, and must not take turns writing a Cloud they share. A cluster-wide operator (no
 * namespaces) looks after and writes every Cloud, as it always did. Pure: callers pass what their
 * caches hold.
 */
public final class CloudScope {
  private CloudScope() {}

  /**
   * Whether an operator of these namespaces looks after the Cloud: always when cluster-wide; else
   * when an Agent of its namespaces names it (it holds or is getting VMs there, whatever the Cloud
   * allows now), when spec.allowedNamespaces lists one of its namespaces (the Cloud is set aside for
   * it), or when the Cloud is open to every namespace and either no Agent anywhere uses it or an
   * Application of its namespaces names it (or names none and the Cloud is the default). applications is only asked when the rest did not
   * decide (it costs a list call).
   */
  public static boolean tends(Cloud cloud, Set<String> namespaces, Collection<Agent> agents,
      Supplier<? extends Collection<Application>> applications) {
    if (namespaces == null || namespaces.isEmpty()) {
      return true;
    }
    String name = cloud.getMetadata().getName();
    if (agents.stream().anyMatch(a -> names(a, name) && namespaces.contains(a.getMetadata().getNamespace()))) {
      return true;
    }
    List<String> allowed = cloud.getSpec() == null ? null : cloud.getSpec().getAllowedNamespaces();
    if (allowed != null && !allowed.isEmpty()) {
      return allowed.stream().anyMatch(namespaces::contains);
    }
    // An open Cloud that no Agent anywhere uses (yet): every install looks after it, so that a new
    // Cloud shows whether it is Ready before anyone names it, and its failing checks are counted.
    if (agents.stream().noneMatch(a -> names(a, name))) {
      return true;
    }
    return applications.get().stream()
        .filter(app -> namespaces.contains(app.getMetadata().getNamespace()))
        .anyMatch(app -> uses(app, cloud));
  }

  /**
   * Whether this operator (one that {@link #tends} the Cloud) writes its status: a Cloud has one
   * writer, or two installs sharing it overwrite each other's counts and conditions every resync.
   * It is the install of the first namespace, by name, among those whose Agents use the Cloud; any
   * install that tends it while no Agent anywhere uses it (they all see the same then: no VM of an
   * Agent); and a cluster-wide operator always. Every install sees every Agent (the cache is
   * cluster-wide), so they agree without talking to each other.
   */
  public static boolean writesStatus(Cloud cloud, Set<String> namespaces, Collection<Agent> agents) {
    if (namespaces == null || namespaces.isEmpty()) {
      return true;
    }
    return firstUser(cloud, agents).map(namespaces::contains).orElse(true);
  }

  /** The first namespace, by name, with an Agent on the Cloud. */
  static Optional<String> firstUser(Cloud cloud, Collection<Agent> agents) {
    String name = cloud.getMetadata().getName();
    TreeSet<String> users = new TreeSet<>();
    agents.stream().filter(a -> names(a, name)).forEach(a -> users.add(a.getMetadata().getNamespace()));
    return users.isEmpty() ? Optional.empty() : Optional.of(users.first());
  }

  private static boolean names(Agent agent, String cloud) {
    return agent.getSpec() != null && cloud.equals(agent.getSpec().getCloud())
        && agent.getMetadata().getNamespace() != null;
  }

  /** The Application names the Cloud, or names none and the Cloud is the default (CloudResolution's rule). */
  private static boolean uses(Application app, Cloud cloud) {
    String named = app.getSpec() == null ? null : app.getSpec().getCloud();
    if (named == null || named.isBlank()) {
      return cloud.getSpec() != null && cloud.getSpec().markedDefault();
    }
    return named.equals(cloud.getMetadata().getName());
  }
}
