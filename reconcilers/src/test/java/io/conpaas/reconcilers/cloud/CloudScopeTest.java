package io.conpaas.reconcilers.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which Clouds a namespace-scoped operator looks after, and which one install writes a shared Cloud's status. */
class CloudScopeTest {
  private static final Set<String> ALL = Set.of();
  private static final Set<String> TEAM_A = Set.of("team-a");
  private static final Set<String> TEAM_B = Set.of("team-b");
  private static final Supplier<List<Application>> NO_APPS = List::of;

  @Test
  void aClusterWideOperatorLooksAfterAndWritesEveryCloud() {
    Cloud other = cloud("sim-b", List.of("team-b"), false);
    assertThat(CloudScope.tends(other, ALL, List.of(), failingApps())).isTrue();
    assertThat(CloudScope.writesStatus(other, ALL, List.of(agent("team-b", "sim-b")))).isTrue();
  }

  @Test
  void aScopedOperatorLeavesAloneAnOpenCloudThatNothingOfItsNamespacesUses() {
    Cloud simB = cloud("sim-b", null, false);
    List<Agent> agents = List.of(agent("team-b", "sim-b"), agent("team-a", "sim-a"));
    List<Application> apps = List.of(app("team-a", "sim-a"));
    assertThat(CloudScope.tends(simB, TEAM_A, agents, () -> apps)).isFalse();
    assertThat(CloudScope.tends(simB, TEAM_B, agents, NO_APPS)).isTrue();
  }

  @Test
  void anAgentOfItsNamespacesMakesACloudItsOwnWhateverTheCloudAllowsNow() {
    // Allowed namespaces changed after the VM was started: the Agent still holds a VM there.
    Cloud narrowed = cloud("aws", List.of("team-b"), false);
    assertThat(CloudScope.tends(narrowed, TEAM_A, List.of(agent("team-a", "aws")), failingApps())).isTrue();
  }

  @Test
  void allowedNamespacesDecideForACloudThatNoAgentOfItsNamespacesUses() {
    Cloud forA = cloud("aws", List.of("team-a", "team-c"), false);
    assertThat(CloudScope.tends(forA, TEAM_A, List.of(), failingApps())).isTrue();
    // Not for team-b, even if an Application of team-b names it (its services are refused there).
    assertThat(CloudScope.tends(forA, TEAM_B, List.of(), () -> List.of(app("team-b", "aws")))).isFalse();
  }

  @Test
  void anApplicationOfItsNamespacesNamingAnOpenCloudOrNamingNoneOfTheDefaultMakesItsOwn() {
    Cloud open = cloud("aws", null, false);
    Cloud byDefault = cloud("lab", null, true);
    // Both in use by another install's Agents: the Applications decide.
    List<Agent> others = List.of(agent("team-b", "aws"), agent("team-b", "lab"));
    assertThat(CloudScope.tends(open, TEAM_A, others, () -> List.of(app("team-a", "aws")))).isTrue();
    assertThat(CloudScope.tends(open, TEAM_A, others, () -> List.of(app("team-b", "aws")))).isFalse();
    assertThat(CloudScope.tends(byDefault, TEAM_A, others, () -> List.of(app("team-a", null)))).isTrue();
    assertThat(CloudScope.tends(open, TEAM_A, others, () -> List.of(app("team-a", null)))).isFalse();
  }

  @Test
  void anOpenCloudNoAgentUsesYetIsLookedAfterByEveryInstallSoANewCloudShowsItsReadiness() {
    Cloud fresh = cloud("aws", null, false);
    assertThat(CloudScope.tends(fresh, TEAM_A, List.of(agent("team-b", "other")), failingApps())).isTrue();
    assertThat(CloudScope.tends(fresh, TEAM_B, List.of(), failingApps())).isTrue();
    // A Cloud set aside for other namespaces stays theirs even unused.
    assertThat(CloudScope.tends(cloud("lab", List.of("team-b"), false), TEAM_A, List.of(), failingApps())).isFalse();
  }

  @Test
  void ofACloudSharedByTwoInstallsOnlyTheInstallOfTheFirstUsingNamespaceWritesTheStatus() {
    Cloud shared = cloud("aws", null, false);
    List<Agent> agents = List.of(agent("team-b", "aws"), agent("team-a", "aws"), agent("team-a", "other"));
    assertThat(CloudScope.tends(shared, TEAM_A, agents, NO_APPS)).isTrue();
    assertThat(CloudScope.tends(shared, TEAM_B, agents, NO_APPS)).isTrue();
    assertThat(CloudScope.writesStatus(shared, TEAM_A, agents)).isTrue();
    assertThat(CloudScope.writesStatus(shared, TEAM_B, agents)).isFalse();
    // team-a's Agents are gone: team-b's install takes over.
    List<Agent> later = List.of(agent("team-b", "aws"));
    assertThat(CloudScope.writesStatus(shared, TEAM_A, later)).isFalse();
    assertThat(CloudScope.writesStatus(shared, TEAM_B, later)).isTrue();
    // Several namespaces per install: the first of all users decides.
    assertThat(CloudScope.writesStatus(shared, Set.of("team-b", "team-a"), agents)).isTrue();
  }

  @Test
  void aCloudNoAgentUsesIsWrittenByEveryInstallThatLooksAfterIt() {
    Cloud open = cloud("aws", null, false);
    assertThat(CloudScope.writesStatus(open, TEAM_A, List.of(agent("team-b", "elsewhere")))).isTrue();
    assertThat(CloudScope.writesStatus(open, TEAM_B, List.of())).isTrue();
  }

  private static Supplier<List<Application>> failingApps() {
    return () -> {
      throw new AssertionError("Applications must not be listed when the rest decides");
    };
  }

  static Cloud cloud(String name, List<String> allowed, boolean isDefault) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.SIMULATED);
    spec.setAllowedNamespaces(allowed);
    spec.setDefaultCloud(isDefault);
    c.setSpec(spec);
    return c;
  }

  private static Agent agent(String namespace, String cloud) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("a-" + cloud).build());
    AgentSpec spec = new AgentSpec();
    spec.setCloud(cloud);
    a.setSpec(spec);
    return a;
  }

  private static Application app(String namespace, String cloud) {
    Application a = new Application();
    a.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("app").build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.setCloud(cloud);
    a.setSpec(spec);
    return a;
  }
}
