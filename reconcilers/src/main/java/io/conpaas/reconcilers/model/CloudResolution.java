package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.Cloud;
import java.util.Collection;
import java.util.List;

/**
 * Which Cloud a role's VMs go to: the role's, else the service's, else the Application's, else
 * the one Cloud marked default; and whether that Cloud admits the service's namespace and the
 * role's instance type (spec.allowedNamespaces, spec.allowedInstanceTypes). Pure: the caller
 * passes the Clouds it knows. Agents are made only by the operator from services, so this is the
 * one place the rules are enforced.
 */
public final class CloudResolution {
  /** The Cloud name, or an error naming what is missing. */
  public record Result(String cloud, String error) {
    public boolean ok() { return error == null; }
  }

  private CloudResolution() {}

  /** The Cloud for a role of a service in {@code namespace} asking for {@code instanceType} (null: the default). */
  public static Result resolve(String roleCloud, String serviceCloud, String applicationCloud,
      Collection<Cloud> clouds, String namespace, String instanceType) {
    Result r = resolve(roleCloud, serviceCloud, applicationCloud, clouds);
    if (!r.ok()) {
      return r;
    }
    Cloud cloud = clouds.stream().filter(c -> r.cloud().equals(c.getMetadata().getName())).findFirst().orElseThrow();
    String refusal = refusal(cloud, namespace, instanceType);
    return refusal == null ? r : new Result(null, refusal);
  }

  /** Why the Cloud refuses this namespace or instance type, or null when it admits both. */
  public static String refusal(Cloud cloud, String namespace, String instanceType) {
    String name = cloud.getMetadata().getName();
    List<String> namespaces = cloud.getSpec() == null ? null : cloud.getSpec().getAllowedNamespaces();
    if (namespaces != null && !namespaces.isEmpty() && !namespaces.contains(namespace)) {
      return "Cloud " + name + " does not allow namespace " + namespace + " (spec.allowedNamespaces: "
          + String.join(", ", namespaces) + ")";
    }
    List<String> types = cloud.getSpec() == null ? null : cloud.getSpec().getAllowedInstanceTypes();
    if (instanceType != null && !instanceType.isBlank() && types != null && !types.isEmpty()
        && !types.contains(instanceType)) {
      return "Cloud " + name + " does not allow instance type " + instanceType + " (spec.allowedInstanceTypes: "
          + String.join(", ", types) + ")";
    }
    return null;
  }

  /** The Cloud by name only, whatever its rules (see the overload above for a service's role). */
  public static Result resolve(String roleCloud, String serviceCloud, String applicationCloud,
      Collection<Cloud> clouds) {
    String named = firstNonBlank(roleCloud, serviceCloud, applicationCloud);
    if (named != null) {
      boolean exists = clouds.stream().anyMatch(c -> named.equals(c.getMetadata().getName()));
      return exists ? new Result(named, null) : new Result(null, "Cloud " + named + " not found");
    }
    List<String> defaults = clouds.stream().filter(c -> c.getSpec() != null && c.getSpec().markedDefault())
        .map(c -> c.getMetadata().getName()).sorted().toList();
    if (defaults.isEmpty()) {
      return new Result(null, "no Cloud named and no Cloud marked default");
    }
    if (defaults.size() > 1) {
      return new Result(null, "more than one Cloud is marked default: " + String.join(", ", defaults));
    }
    return new Result(defaults.get(0), null);
  }

  private static String firstNonBlank(String... names) {
    for (String n : names) {
      if (n != null && !n.isBlank()) {
        return n;
      }
    }
    return null;
  }
}
