package io.conpaas.iaas.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.BatchRequest;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmTags;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;

/** Ec2Driver.createBatch against moto behind the EC2-like proxy (MaxCount, ClientToken, lost answers). */
class Ec2BatchLaunchTest {
  @RegisterExtension
  static final MotoServer MOTO = new MotoServer();

  private final List<AutoCloseable> closing = new ArrayList<>();
  private Ec2Client moto;
  private ThrottlingProxy proxy;
  private Ec2Driver driver;
  private final String cluster = "batch-" + UUID.randomUUID();

  @BeforeEach
  void setUp() throws Exception {
    moto = Ec2Clients.builder(Ec2DriverTest.config(MOTO.endpoint()), new ApiCallCounter()).build();
    proxy = new ThrottlingProxy(MOTO.endpoint(), "RunInstances", nth -> false);
    driver = Ec2Driver.create(Ec2DriverTest.config(proxy.endpoint()));
    closing.add(driver);
    closing.add(proxy);
    closing.add(moto);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private BatchRequest batch(String token, int count) {
    return new BatchRequest(token, count, "web-agents-batch", Map.of(VmTags.CLUSTER, cluster, VmTags.SERVICE, "web"),
        null, ("{\"bootstrapToken\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private List<Instance> tagged(String token) {
    return moto.describeInstancesPaginator(b -> b.filters(
            Filter.builder().name("tag:" + VmTags.LAUNCH_BATCH).values(token).build()))
        .reservations().stream().flatMap(r -> r.instances().stream()).toList();
  }

  @Test
  void oneRunInstancesStartsTheWholeBatchWithOneDocumentAndDistinctLaunchIndexes() {
    List<VmObservation> vms = driver.createBatch(batch("cpb-one", 5));

    assertThat(vms).hasSize(5);
    assertThat(proxy.seen("RunInstances")).isEqualTo(1);
    assertThat(vms).extracting(vm -> vm.tags().get(VmTags.LAUNCH_INDEX))
        .containsExactlyInAnyOrder("0", "1", "2", "3", "4");
    assertThat(vms).allSatisfy(vm -> {
      assertThat(vm.tags()).containsEntry(VmTags.LAUNCH_BATCH, "cpb-one").containsEntry(VmTags.SERVICE, "web");
      assertThat(vm.tags()).doesNotContainKey(VmTags.AGENT_UID);
    });
    Set<String> userData = tagged("cpb-one").stream().map(i -> moto.describeInstanceAttribute(
        b -> b.instanceId(i.instanceId()).attribute(InstanceAttributeName.USER_DATA)).userData().value())
        .collect(Collectors.toSet());
    assertThat(userData).hasSize(1);
    // The listing reports the launch index too (what binding after a restart reads).
    assertThat(driver.list(cluster)).extracting(vm -> vm.tags().get(VmTags.LAUNCH_INDEX))
        .containsExactlyInAnyOrder("0", "1", "2", "3", "4");
  }

  @Test
  void theSameBatchTokenAgainReturnsTheSameInstancesWithoutANewCall() {
    Set<String> first = ids(driver.createBatch(batch("cpb-again", 4)));
    Set<String> second = ids(driver.createBatch(batch("cpb-again", 4)));

    assertThat(second).isEqualTo(first);
    assertThat(proxy.runInstancesForwarded()).isEqualTo(1);
    assertThat(tagged("cpb-again")).hasSize(4);
  }

  @Test
  void answersLostAfterEc2ActedAreRetriedWithTheSameClientTokenAndDoubleNothing() {
    proxy.loseAnswers(3);

    List<VmObservation> vms = driver.createBatch(batch("cpb-lost", 6));

    assertThat(vms).hasSize(6);
    assertThat(proxy.seen("RunInstances")).isEqualTo(4);
    assertThat(tagged("cpb-lost")).hasSize(6);
  }

  @Test
  void aPartlyFulfilledBatchReturnsWhatEc2Started() {
    proxy.capacityPerCall(2);

    List<VmObservation> vms = driver.createBatch(batch("cpb-part", 5));

    assertThat(vms).hasSize(2);
    assertThat(vms).extracting(vm -> vm.tags().get(VmTags.LAUNCH_INDEX)).containsExactlyInAnyOrder("0", "1");
    // Asked again with the same token: EC2's answer stands, no more instances.
    assertThat(driver.createBatch(batch("cpb-part", 5))).hasSize(2);
    assertThat(tagged("cpb-part")).hasSize(2);
  }

  @Test
  void labelGivesABoundInstanceItsAgentsTags() {
    VmObservation vm = driver.createBatch(batch("cpb-label", 2)).get(0);

    driver.label(vm.instanceId(), Map.of(VmTags.AGENT_UID, "uid-1", "Name", "web-agents-0"));

    VmObservation listed = driver.list(cluster).stream().filter(v -> v.instanceId().equals(vm.instanceId()))
        .findFirst().orElseThrow();
    assertThat(listed.tags()).containsEntry(VmTags.AGENT_UID, "uid-1").containsEntry(VmTags.LAUNCH_BATCH, "cpb-label");
    assertThat(listed.name()).isEqualTo("web-agents-0");
  }

  private static Set<String> ids(List<VmObservation> vms) {
    return vms.stream().map(VmObservation::instanceId).collect(Collectors.toSet());
  }
}
