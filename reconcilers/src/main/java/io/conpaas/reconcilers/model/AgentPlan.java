package io.conpaas.reconcilers.model;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What to do to turn the existing Agents into the desired ones. Extra Agents go highest slot
 * first (deterministic); an Agent whose Cloud or instance type changed is replaced, because
 * its VM cannot move; a changed role configuration or code list is an in-place spec update.
 */
public record AgentPlan(List<Agent> toCreate, List<Agent> toUpdate, List<Agent> toDelete) {

  public static AgentPlan of(List<Agent> desired, Collection<Agent> existing) {
    Map<String, Agent> live = existing.stream()
        .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
        .collect(Collectors.toMap(a -> a.getMetadata().getName(), Function.identity()));
    Map<String, Agent> leaving = existing.stream()
        .filter(a -> a.getMetadata().getDeletionTimestamp() != null)
        .collect(Collectors.toMap(a -> a.getMetadata().getName(), Function.identity()));
    List<Agent> create = new ArrayList<>();
    List<Agent> update = new ArrayList<>();
    List<Agent> delete = new ArrayList<>();
    for (Agent want : desired) {
      String name = want.getMetadata().getName();
      Agent have = live.remove(name);
      if (have == null) {
        // A slot whose old Agent is still releasing its VM is created once that one is gone.
        if (!leaving.containsKey(name)) {
          create.add(want);
        }
      } else if (!samePlacement(have.getSpec(), want.getSpec())) {
        delete.add(have);
      } else if (!Objects.equals(have.getSpec().getConfig(), want.getSpec().getConfig())
          || !Objects.equals(have.getSpec().getCodeVersions(), want.getSpec().getCodeVersions())
          || !Objects.equals(have.getSpec().getCredentialsSecret(), want.getSpec().getCredentialsSecret())
          || want.getSpec().getVpn() != null && have.getSpec().getVpn() == null) {
        update.add(want);
      }
    }
    delete.addAll(live.values());
    delete.sort(Comparator.comparingInt(AgentNames::index).reversed()
        .thenComparing(a -> a.getMetadata().getName()));
    return new AgentPlan(create, update, delete);
  }

  private static boolean samePlacement(AgentSpec have, AgentSpec want) {
    return have != null && Objects.equals(have.getCloud(), want.getCloud())
        && Objects.equals(have.getInstanceType(), want.getInstanceType())
        && Objects.equals(have.getRole(), want.getRole());
  }

  /** This plan minus the deletions release refuses for now (e.g. a backend still in a proxy's list). */
  public AgentPlan holding(java.util.function.Predicate<Agent> release) {
    return new AgentPlan(toCreate, toUpdate, toDelete.stream().filter(release).toList());
  }

  /** This plan without its creations (e.g. no credit left for another VM): updates and releases stay. */
  public AgentPlan withoutCreates() {
    return new AgentPlan(List.of(), toUpdate, toDelete);
  }

  public boolean isEmpty() {
    return toCreate.isEmpty() && toUpdate.isEmpty() && toDelete.isEmpty();
  }
}
