package io.conpaas.reconcilers.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A VM is asked to terminate once: after a successful call the inventory shows it TERMINATING while
 * the cloud still lists it alive, and a request made while the call is under way adds nothing; a VM
 * whose call failed still looks alive and is asked for again.
 */
class TerminationRecordTest {
  /** A cloud whose list still shows VMs after their terminate call (an eventually consistent list). */
  static final class LaggingCloud implements IaasDriver {
    final List<VmObservation> listed = new CopyOnWriteArrayList<>();
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile CountDownLatch entered;
    volatile CountDownLatch proceed;

    LaggingCloud(String... ids) {
      for (String id : ids) {
        listed.add(new VmObservation(id, "t-" + id, id, Map.of(), VmState.RUNNING, null, null, null, Instant.EPOCH));
      }
    }

    @Override
    public VmObservation create(VmRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<VmObservation> list(String clusterId) {
      return List.copyOf(listed);
    }

    @Override
    public void terminate(Collection<String> instanceIds) {
      calls.add(new ArrayList<>(instanceIds));
      if (entered != null) {
        entered.countDown();
        try {
          proceed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failuresLeft.getAndDecrement() > 0) {
        throw new CloudException("RequestLimitExceeded", "Request limit exceeded.", true);
      }
    }

    @Override
    public void verify() {}
  }

  private static VmState state(CloudInventory inventory, Cloud cloud, String id) {
    return inventory.list(cloud).stream().filter(vm -> vm.instanceId().equals(id)).findFirst().orElseThrow().state();
  }

  @Test
  void aVmWhoseTerminateCallSucceededShowsAsTerminatingUntilTheCloudCatchesUp() {
    LaggingCloud driver = new LaggingCloud("i-1", "i-2");
    CloudInventoryTest.ManualClock clock = new CloudInventoryTest.ManualClock();
    CloudInventory inventory = new CloudInventory(DriverRegistry.withoutCredentials((c, creds) -> driver), "x",
        Duration.ofSeconds(1), clock);
    Cloud cloud = CloudScopeTest.cloud("c", null, false);
    assertThat(state(inventory, cloud, "i-1")).isEqualTo(VmState.RUNNING);

    inventory.recordTerminated(cloud, List.of("i-1"));
    // A fresh list still shows it running: shown as TERMINATING (list and find), the other VM as it is.
    assertThat(state(inventory, cloud, "i-1")).isEqualTo(VmState.TERMINATING);
    assertThat(inventory.find(cloud, "i-1")).get().extracting(VmObservation::state).isEqualTo(VmState.TERMINATING);
    assertThat(state(inventory, cloud, "i-2")).isEqualTo(VmState.RUNNING);

    // A cloud that still lists it alive after LIST_CONSISTENCY ignored the call: it looks alive again.
    clock.now = clock.now.plus(CloudInventory.LIST_CONSISTENCY).plusSeconds(2);
    assertThat(state(inventory, cloud, "i-1")).isEqualTo(VmState.RUNNING);
  }

  @Test
  void aPassThatReadTheVmAliveBeforeTheCallSucceededDoesNotAskAgain() {
    // OpenNebulaCloudIT: a release pass read the list, then spent a while on the role's leave call;
    // meanwhile another pass's request was sent and the cloud dropped the VM; then it asked too.
    LaggingCloud driver = new LaggingCloud("i-1");
    CloudInventoryTest.ManualClock clock = new CloudInventoryTest.ManualClock();
    DriverRegistry registry = DriverRegistry.withoutCredentials((c, creds) -> driver);
    CloudInventory inventory = new CloudInventory(registry, "x", Duration.ofSeconds(1), clock);
    Cloud cloud = CloudScopeTest.cloud("c", null, false);
    try (TerminationBatcher batcher = new TerminationBatcher(registry, inventory,
        new VmMetrics(new SimpleMeterRegistry()), Duration.ofHours(1))) {
      List<String> readEarlier = inventory.list(cloud).stream().map(VmObservation::instanceId).toList();
      batcher.request(cloud, List.of("i-1"));
      batcher.flush();
      driver.listed.clear();
      assertThat(inventory.list(cloud)).isEmpty();
      batcher.request(cloud, readEarlier);
      batcher.flush();
      assertThat(driver.calls).containsExactly(List.of("i-1"));

      // A cloud that ignored the call (still lists the VM after LIST_CONSISTENCY) is asked again.
      clock.now = clock.now.plus(CloudInventory.LIST_CONSISTENCY).plusSeconds(1);
      batcher.request(cloud, readEarlier);
      batcher.flush();
      assertThat(driver.calls).containsExactly(List.of("i-1"), List.of("i-1"));
    }
    inventory.forget("c");
    assertThat(inventory.cloudsKept()).isZero();
  }

  @Test
  void aRequestWhileTheCallIsUnderWayIsNotSentAgain() throws Exception {
    LaggingCloud driver = new LaggingCloud("i-1");
    driver.entered = new CountDownLatch(1);
    driver.proceed = new CountDownLatch(1);
    DriverRegistry registry = DriverRegistry.withoutCredentials((c, creds) -> driver);
    CloudInventory inventory = new CloudInventory(registry, "x", Duration.ofSeconds(1), Clock.systemUTC());
    Cloud cloud = CloudScopeTest.cloud("c", null, false);
    try (TerminationBatcher batcher = new TerminationBatcher(registry, inventory,
        new VmMetrics(new SimpleMeterRegistry()), Duration.ofHours(1))) {
      batcher.request(cloud, List.of("i-1"));
      Thread flushing = new Thread(batcher::flush);
      flushing.start();
      assertThat(driver.entered.await(10, TimeUnit.SECONDS)).isTrue();
      // A second release pass read a list from before the call: the VM still looks alive to it.
      batcher.request(cloud, List.of("i-1"));
      driver.proceed.countDown();
      flushing.join(10_000);
      batcher.flush();
    }
    assertThat(driver.calls).containsExactly(List.of("i-1"));
    assertThat(state(inventory, cloud, "i-1")).isEqualTo(VmState.TERMINATING);
  }

  @Test
  void aVmWhoseCallFailedStillLooksAliveAndIsAskedForAgain() {
    LaggingCloud driver = new LaggingCloud("i-1");
    driver.failuresLeft.set(1);
    DriverRegistry registry = DriverRegistry.withoutCredentials((c, creds) -> driver);
    CloudInventory inventory = new CloudInventory(registry, "x", Duration.ofSeconds(1), Clock.systemUTC());
    Cloud cloud = CloudScopeTest.cloud("c", null, false);
    try (TerminationBatcher batcher = new TerminationBatcher(registry, inventory,
        new VmMetrics(new SimpleMeterRegistry()), Duration.ofHours(1))) {
      batcher.request(cloud, List.of("i-1"));
      batcher.flush();
      // The cause's reason is kept (VmRelease retries a throttled release sooner than a refused one).
      assertThat(batcher.failure(cloud)).hasValueSatisfying(e -> assertThat(e.throttled()).as(e.reason()).isTrue());
      assertThat(state(inventory, cloud, "i-1")).isEqualTo(VmState.RUNNING);
      batcher.request(cloud, List.of("i-1"));
      batcher.flush();
      assertThat(batcher.failure(cloud)).isEmpty();
    }
    assertThat(driver.calls).containsExactly(List.of("i-1"), List.of("i-1"));
    assertThat(state(inventory, cloud, "i-1")).isEqualTo(VmState.TERMINATING);
  }
}
