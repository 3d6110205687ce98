package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** maxInstances: full clouds refuse new VMs but still let a VM already made be adopted. */
class CloudCapacityTest {
  private final CloudCapacity capacity = new CloudCapacity();

  private static Cloud cloud(Integer max) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName("aws").build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.EC2);
    spec.setMaxInstances(max);
    c.setSpec(spec);
    return c;
  }

  private static VmObservation vm(String token, VmState state) {
    return new VmObservation("i-" + token, token, token, Map.of(), state, null, null, null, Instant.EPOCH);
  }

  @Test
  void noCapMeansNeverFull() {
    assertThat(capacity.fullFor(cloud(null), List.of(vm("a", VmState.RUNNING)), "b")).isEmpty();
  }

  @Test
  void fullAtTheCapWithAMessageNamingCloudAndCount() {
    List<VmObservation> vms = List.of(vm("a", VmState.RUNNING), vm("b", VmState.PENDING));
    assertThat(capacity.fullFor(cloud(2), vms, "c")).contains("Cloud aws is full: 2 of 2 instances");
    assertThat(capacity.fullFor(cloud(3), vms, "c")).isEmpty();
  }

  @Test
  void terminatingVmsDoNotCount() {
    List<VmObservation> vms = List.of(vm("a", VmState.RUNNING), vm("b", VmState.TERMINATING));
    assertThat(capacity.fullFor(cloud(2), vms, "c")).isEmpty();
  }

  @Test
  void aVmAlreadyMadeWithTheTokenIsAdoptedEvenWhenFull() {
    List<VmObservation> vms = List.of(vm("a", VmState.RUNNING), vm("b", VmState.RUNNING));
    assertThat(capacity.fullFor(cloud(2), vms, "b")).isEmpty();
  }
}
