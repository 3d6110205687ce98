package io.conpaas.reconcilers.credits;

import io.conpaas.api.v1alpha1.Agent;
import java.util.Collection;

/**
 * The warning a credit stop adds when it releases VMs that hold data (stateful Agents, e.g. a
 * MySQL master): ConPaaS's stop released every VM, and so does this one, but never silently.
 */
public final class StatefulRelease {
  private StatefulRelease() {}

  /** "" when no stateful Agent is released, else a sentence naming them. */
  public static String warning(Collection<Agent> released) {
    var names = released.stream().filter(a -> a.getSpec() != null && Boolean.TRUE.equals(a.getSpec().getStateful()))
        .map(a -> a.getMetadata().getName()).sorted().toList();
    return names.isEmpty() ? "" : "; the data on the VM of " + String.join(", ", names)
        + " (stateful) is released with it: restore it from a backup after credits are granted";
  }
}
