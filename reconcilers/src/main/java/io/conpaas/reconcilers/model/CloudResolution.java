package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.Cloud;
import java.util.Collection;
import java.util.List;

/**
 * Which Cloud a role's VMs go to: the role's, else the service's, else the Application's, else
 * the one Cloud marked default. Pure: the caller passes the Clouds it knows.
 */
public final class CloudResolution {
  /** The Cloud name, or an error naming what is missing. */
  public record Result(String cloud, String error) {
    public boolean ok() { return error == null; }
  }

  private CloudResolution() {}

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
