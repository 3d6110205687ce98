package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * How far a new MySQL password has reached: which running agents report (in status.facts) the
 * credentials version of the Secret that holds it, and which do not yet. Agents that are not
 * Running are left out: they get the current credentials when they are configured.
 */
record CredentialsRollout(List<String> using, List<String> pending) {
  /** The agents' fact naming the Secret resourceVersion whose credentials they applied (MysqlRoleKeys). */
  static final String FACT = "credentialsVersion";

  /** The rollout among {@code agents}, {@code versions} being the Secret's resourceVersions that hold the password. */
  static CredentialsRollout of(Collection<Agent> agents, Set<String> versions) {
    List<String> using = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    for (Agent a : agents) {
      AgentStatus st = a.getStatus();
      if (st == null || st.getPhase() != AgentPhase.Running) {
        continue;
      }
      String version = st.getFacts() == null ? null : st.getFacts().get(FACT);
      if (version != null && versions.contains(version)) {
        using.add(a.getMetadata().getName());
      } else {
        pending.add(a.getMetadata().getName() + " (" + (version == null ? "no credentials version yet"
            : "credentials version " + version) + ")");
      }
    }
    return new CredentialsRollout(List.copyOf(using), List.copyOf(pending));
  }

  boolean done() {
    return pending.isEmpty();
  }

  /** "1 agent uses it", "3 agents use it". */
  String summary() {
    return using.size() + (using.size() == 1 ? " agent uses it" : " agents use it");
  }
}
