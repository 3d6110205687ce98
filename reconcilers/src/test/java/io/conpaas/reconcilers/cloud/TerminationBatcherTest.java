package io.conpaas.reconcilers.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Many Agents asking to release their VMs at once make one bulk terminate call per Cloud. */
class TerminationBatcherTest {
  /** Records every terminate call. */
  static final class RecordingDriver implements IaasDriver {
    final List<List<String>> calls = new CopyOnWriteArrayList<>();

    @Override
    public VmObservation create(VmRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<VmObservation> list(String clusterId) {
      return List.of();
    }

    @Override
    public void terminate(Collection<String> instanceIds) {
      calls.add(new ArrayList<>(instanceIds));
    }

    @Override
    public void verify() {}
  }

  @Test
  void requestsWithinOneIntervalBecomeOneCall() {
    RecordingDriver driver = new RecordingDriver();
    DriverRegistry registry = DriverRegistry.withoutCredentials((c, creds) -> driver);
    CloudInventory inventory = new CloudInventory(registry, "x", Duration.ofSeconds(1), Clock.systemUTC());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Cloud cloud = new Cloud();
    cloud.setMetadata(new ObjectMetaBuilder().withName("aws").withGeneration(1L).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.LOCAL);
    cloud.setSpec(spec);
    try (TerminationBatcher batcher = new TerminationBatcher(registry, inventory, new VmMetrics(meters),
        Duration.ofHours(1))) {
      IntStream.range(0, 50).parallel().forEach(i -> batcher.request(cloud, List.of("i-" + i)));
      batcher.request(cloud, List.of("i-7"));
      batcher.flush();
      batcher.flush();
    }
    assertThat(driver.calls).hasSize(1);
    assertThat(driver.calls.get(0)).hasSize(50).doesNotHaveDuplicates();
    assertThat(meters.get("conpaas.vm.terminations").counter().count()).isEqualTo(50.0);
  }
}
