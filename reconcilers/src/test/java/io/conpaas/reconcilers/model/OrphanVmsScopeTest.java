package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two installations in one cluster share the derived cluster id: an operator scoped to some namespaces
 * takes only their VMs for its own, so neither sweeps the other's.
 */
class OrphanVmsScopeTest {
  private static VmObservation vm(String id, String namespace) {
    Map<String, String> tags = namespace == null ? Map.of(VmTags.CLUSTER, "k8s-1")
        : Map.of(VmTags.CLUSTER, "k8s-1", VmTags.NAMESPACE, namespace);
    return new VmObservation(id, null, "a", tags, VmState.RUNNING, null, null, null, Instant.EPOCH);
  }

  private final List<VmObservation> vms = List.of(vm("i-team-a", "team-a"), vm("i-team-b", "team-b"),
      vm("i-untagged", null));

  @Test
  void aScopedOperatorSeesOnlyItsNamespacesVms() {
    assertThat(OrphanVms.inScope(vms, Set.of("team-a"))).extracting(VmObservation::instanceId)
        .containsExactly("i-team-a");
  }

  @Test
  void anOperatorOfEveryNamespaceSeesThemAll() {
    assertThat(OrphanVms.inScope(vms, Set.of())).hasSize(3);
  }
}
