package io.conpaas.reconcilers.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One list call per Cloud per maxAge, however many Agents ask at once. */
class CloudInventoryTest {
  /** A driver that counts list calls and takes a while to answer, like a real cloud. */
  static class SlowListDriver implements IaasDriver {
    final AtomicInteger lists = new AtomicInteger();

    @Override
    public VmObservation create(VmRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<VmObservation> list(String clusterId) {
      lists.incrementAndGet();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of(new VmObservation("i-1", "t", "a", Map.of(), VmState.RUNNING, null, null, null, Instant.EPOCH));
    }

    @Override
    public void terminate(Collection<String> instanceIds) {}

    @Override
    public void verify() {}
  }

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static Cloud cloud() {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName("c").withGeneration(1L).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.LOCAL);
    c.setSpec(spec);
    return c;
  }

  @Test
  void manyConcurrentReadersShareOneListCall() throws Exception {
    SlowListDriver driver = new SlowListDriver();
    CloudInventory inventory = new CloudInventory(DriverRegistry.withoutCredentials((c, creds) -> driver), "x",
        Duration.ofMinutes(1), Clock.systemUTC());
    Cloud cloud = cloud();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    for (int i = 0; i < 50; i++) {
      pool.submit(() -> {
        start.await();
        return inventory.list(cloud);
      });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(driver.lists.get()).isEqualTo(1);
  }

  @Test
  void aDeletedCloudIsForgotten() {
    SlowListDriver driver = new SlowListDriver();
    ManualClock clock = new ManualClock();
    CloudInventory inventory = new CloudInventory(DriverRegistry.withoutCredentials((c, creds) -> driver), "x",
        Duration.ofSeconds(1), clock);
    Cloud cloud = cloud();
    inventory.list(cloud);
    inventory.recordCreated(cloud, new VmObservation("i-2", "t2", "b", Map.of(), VmState.PENDING, null, null, null,
        clock.now));
    inventory.invalidate(cloud);
    assertThat(inventory.cloudsKept()).isEqualTo(1);
    inventory.forget(cloud.getMetadata().getName());
    assertThat(inventory.cloudsKept()).isZero();
  }

  @Test
  void aStaleSnapshotIsRefreshedAndRecordedCreatesCountBeforeIt() {
    SlowListDriver driver = new SlowListDriver();
    ManualClock clock = new ManualClock();
    CloudInventory inventory = new CloudInventory(DriverRegistry.withoutCredentials((c, creds) -> driver), "x",
        Duration.ofSeconds(1), clock);
    Cloud cloud = cloud();
    assertThat(inventory.list(cloud)).hasSize(1);
    inventory.recordCreated(cloud, new VmObservation("i-2", "t2", "b", Map.of(), VmState.PENDING, null, null, null,
        clock.now));
    assertThat(inventory.list(cloud)).extracting(VmObservation::instanceId).containsExactly("i-1", "i-2");
    assertThat(driver.lists.get()).isEqualTo(1);
    clock.now = clock.now.plus(CloudInventory.LIST_CONSISTENCY).plusSeconds(2);
    assertThat(inventory.list(cloud)).hasSize(1);
    assertThat(driver.lists.get()).isEqualTo(2);
  }

  @Test
  void aVmCreatedWhileAListWasUnderWayIsNotLost() {
    SlowListDriver driver = new SlowListDriver();
    ManualClock clock = new ManualClock();
    CloudInventory inventory = new CloudInventory(DriverRegistry.withoutCredentials((c, creds) -> driver), "x",
        Duration.ofSeconds(1), clock);
    Cloud cloud = cloud();
    // The create is recorded before the list that cannot know it answers (same instant here).
    VmObservation fresh = new VmObservation("i-new", "t2", "b", Map.of(), VmState.PENDING, null, null, null,
        clock.now);
    inventory.recordCreated(cloud, fresh);
    assertThat(inventory.list(cloud)).extracting(VmObservation::instanceId).containsExactly("i-1", "i-new");
    // Within the consistency window a list that misses it does not make it disappear ...
    clock.now = clock.now.plusSeconds(2);
    assertThat(inventory.list(cloud)).extracting(VmObservation::instanceId).containsExactly("i-1", "i-new");
    // ... a list asked well after the create that does not show it means it is gone.
    clock.now = clock.now.plus(CloudInventory.LIST_CONSISTENCY).plusSeconds(2);
    assertThat(inventory.list(cloud)).extracting(VmObservation::instanceId).containsExactly("i-1");
  }

  /** A driver whose list calls block until released, after the first `free` calls. */
  static final class GatedDriver extends SlowListDriver {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean gated;

    @Override
    public List<VmObservation> list(String clusterId) {
      if (gated) {
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.list(clusterId);
    }
  }

  private static Cloud cloud(String name) {
    Cloud c = cloud();
    c.getMetadata().setName(name);
    return c;
  }

  @Test
  void aSlowListBlocksNeitherCachedReadersNorOtherClouds() throws Exception {
    GatedDriver slow = new GatedDriver();
    SlowListDriver other = new SlowListDriver();
    ManualClock clock = new ManualClock();
    CloudInventory inventory = new CloudInventory(DriverRegistry.withoutCredentials(
        (c, creds) -> c.getMetadata().getName().equals("slow") ? slow : other), "x", Duration.ofSeconds(1), clock);
    Cloud slowCloud = cloud("slow");
    inventory.list(slowCloud);
    inventory.list(cloud("other"));
    clock.now = clock.now.plusSeconds(5); // both snapshots are stale now
    slow.gated = true;

    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      var refresher = pool.submit(() -> inventory.list(slowCloud));
      assertThat(slow.entered.await(5, TimeUnit.SECONDS)).isTrue();
      // The slow Cloud's list is under way: an Agent of it with a snapshot gets the snapshot at once ...
      assertThat(pool.submit(() -> inventory.list(slowCloud)).get(1, TimeUnit.SECONDS)).hasSize(1);
      // ... and another Cloud's Agents refresh theirs meanwhile.
      assertThat(pool.submit(() -> inventory.list(cloud("other"))).get(1, TimeUnit.SECONDS)).hasSize(1);
      assertThat(other.lists.get()).isEqualTo(2);
      // A reader with nothing cached joins the list under way instead of making another.
      inventory.invalidate(slowCloud);
      var joiner = pool.submit(() -> inventory.list(slowCloud));
      Thread.sleep(100);
      assertThat(joiner.isDone()).isFalse();
      slow.release.countDown();
      assertThat(refresher.get(5, TimeUnit.SECONDS)).hasSize(1);
      assertThat(joiner.get(5, TimeUnit.SECONDS)).hasSize(1);
      assertThat(slow.lists.get()).isEqualTo(2); // the priming list and the one shared
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aReaderWithNothingCachedWaitsOnlyUpToTheLimit() throws Exception {
    GatedDriver slow = new GatedDriver();
    slow.gated = true;
    CloudInventory inventory = new CloudInventory(DriverRegistry.withoutCredentials((c, creds) -> slow), "x",
        Duration.ofSeconds(1), Clock.systemUTC(), Duration.ofMillis(300));
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      pool.submit(() -> inventory.list(cloud()));
      assertThat(slow.entered.await(5, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> inventory.list(cloud()))
          .isInstanceOf(io.conpaas.iaas.CloudException.class).hasMessageContaining("has not answered");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    } finally {
      slow.release.countDown();
      pool.shutdownNow();
    }
  }
}
