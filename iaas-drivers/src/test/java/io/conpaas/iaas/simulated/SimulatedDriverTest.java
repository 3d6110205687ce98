package io.conpaas.iaas.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated cloud's manners: boot time, failures, describe lag, token buckets, idempotency, durability. */
class SimulatedDriverTest {
  @TempDir
  Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T12:00:00Z"));
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final List<String> stopped = new CopyOnWriteArrayList<>();
  private final SimulatedAgents agents = new SimulatedAgents() {
    @Override
    public String start(SimulatedVm vm, byte[] context, Path agentDir, int port, Instant bootAt) {
      started.add(vm.instanceId());
      return vm.address() + ":" + port;
    }

    @Override
    public void stop(String instanceId) {
      stopped.add(instanceId);
    }
  };

  /** This "operator process"'s clouds; restart() ends it and starts another. */
  private SimulatedClouds clouds = new SimulatedClouds(agents);

  @AfterEach
  void forget() {
    clouds.close();
  }

  /** The operator's process ends (its clouds are forgotten, the journal stays) and a new one starts. */
  private void restart() {
    clouds.close();
    clouds = new SimulatedClouds(agents);
  }

  private SimulatedDriver driver(double failureRate, double lagSeconds, Map<String, ApiRate> rates) {
    return new SimulatedDriver(SimulatedConfig.of(dir, 10.0, failureRate, lagSeconds, rates, 5555), clouds, clock);
  }

  private static VmRequest request(String token) {
    return new VmRequest(token, "vm-" + token, Map.of(VmTags.CLUSTER, "c1"), null,
        "{\"agentName\":\"a\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aVmBootsAfterBootTimeOnItsOwnLoopbackAddressAndARepeatedCreateReturnsIt() {
    SimulatedDriver driver = driver(0, 0, Map.of());
    VmObservation vm = driver.create(request("t1"));
    assertThat(vm.state()).isEqualTo(VmState.PENDING);
    assertThat(vm.agentEndpoint()).isNull();
    assertThat(vm.privateAddress()).startsWith("127.").isNotEqualTo("127.0.0.1");
    assertThat(driver.create(request("t1")).instanceId()).isEqualTo(vm.instanceId());
    assertThat(driver.create(request("t2")).privateAddress()).isNotEqualTo(vm.privateAddress());

    clock.advance(Duration.ofSeconds(10));
    VmObservation booted = driver.list("c1").stream().filter(o -> o.clientToken().equals("t1")).findFirst()
        .orElseThrow();
    assertThat(booted.state()).isEqualTo(VmState.RUNNING);
    assertThat(booted.agentEndpoint()).isEqualTo(vm.privateAddress() + ":5555");
    assertThat(started).hasSize(2);
    assertThat(driver.list("other-cluster")).isEmpty();
  }

  @Test
  void aFreshVmIsMissingFromListUntilTheDescribeLagHasPassed() {
    SimulatedDriver driver = driver(0, 3, Map.of());
    driver.create(request("t1"));
    clock.advance(Duration.ofSeconds(2));
    assertThat(driver.list("c1")).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(driver.list("c1")).hasSize(1);
  }

  @Test
  void withFailureRateOneEveryVmFailsAtTheEndOfItsBootAndNoAgentStarts() {
    SimulatedDriver driver = driver(1, 0, Map.of());
    driver.create(request("t1"));
    assertThat(driver.list("c1").get(0).state()).isEqualTo(VmState.PENDING);
    clock.advance(Duration.ofSeconds(10));
    VmObservation failed = driver.list("c1").get(0);
    assertThat(failed.state()).isEqualTo(VmState.FAILED);
    assertThat(failed.stateReason()).contains("simulated boot failure");
    assertThat(failed.permanentFailure()).isFalse();
    assertThat(started).isEmpty();
  }

  @Test
  void eachApiHasItsOwnTokenBucketThatRefillsOverTime() {
    SimulatedDriver driver = driver(0, 0, Map.of(SimulatedConfig.RUN_INSTANCES, new ApiRate(2, 1)));
    driver.create(request("t1"));
    driver.create(request("t2"));
    assertThatThrownBy(() -> driver.create(request("t3"))).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isEqualTo("RequestLimitExceeded");
      assertThat(e.retryable()).isTrue();
    });
    // Another API's bucket is untouched.
    assertThat(driver.list("c1")).hasSize(2);
    clock.advance(Duration.ofSeconds(1));
    assertThat(driver.create(request("t3")).clientToken()).isEqualTo("t3");
  }

  @Test
  void vmsSurviveARestartOfTheProcessAndTerminatedOnesDoNot() throws Exception {
    SimulatedDriver driver = driver(0, 0, Map.of());
    VmObservation kept = driver.create(request("t1"));
    VmObservation gone = driver.create(request("t2"));
    driver.terminate(List.of(gone.instanceId()));
    assertThat(stopped).containsExactly(gone.instanceId());

    restart();
    started.clear();
    SimulatedDriver again = driver(0, 0, Map.of());
    assertThat(started).containsExactly(kept.instanceId());
    assertThat(again.list("c1")).extracting(VmObservation::instanceId).containsExactly(kept.instanceId());
    assertThat(again.create(request("t1")).instanceId()).isEqualTo(kept.instanceId());
    // The journal was compacted to the live VM; the context file is owner-only.
    assertThat(Files.readAllLines(dir.resolve("vms.journal"))).hasSize(1);
    assertThat(Files.getPosixFilePermissions(dir.resolve("vms").resolve(kept.instanceId()).resolve("context.json")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(dir.resolve("vms").resolve(gone.instanceId())).doesNotExist();
  }

  @Test
  void aTornLastJournalLineIsIgnored() throws Exception {
    SimulatedDriver driver = driver(0, 0, Map.of());
    driver.create(request("t1"));
    Files.writeString(dir.resolve("vms.journal"), "C\ti-half\tab", java.nio.file.StandardOpenOption.APPEND);
    restart();
    assertThat(driver(0, 0, Map.of()).list("c1")).hasSize(1);
  }

  @Test
  void aBatchOfVmsTakesOneRunInstancesTokenAndARepeatedCallReturnsTheSameVms() {
    SimulatedDriver driver = driver(0, 0, Map.of(SimulatedConfig.RUN_INSTANCES, new ApiRate(2, 1)));
    assertThat(driver.maxBatch()).isGreaterThan(1);
    List<VmObservation> batch = driver.createBatch(batch("b1", 30));
    assertThat(batch).hasSize(30);
    assertThat(batch).extracting(VmObservation::instanceId).doesNotHaveDuplicates();
    assertThat(batch).extracting(vm -> vm.tags().get(VmTags.LAUNCH_INDEX))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30).mapToObj(Integer::toString).toList());
    assertThat(batch).allSatisfy(vm -> assertThat(vm.tags()).containsEntry(VmTags.LAUNCH_BATCH, "b1")
        .containsEntry(VmTags.CLUSTER, "c1"));
    assertThat(started).hasSize(30);
    // The same token (a lost answer, a restart) starts nothing new: the second token of the bucket.
    assertThat(driver.createBatch(batch("b1", 30))).extracting(VmObservation::instanceId)
        .containsExactlyElementsOf(batch.stream().map(VmObservation::instanceId).toList());
    assertThat(started).hasSize(30);
    assertThatThrownBy(() -> driver.createBatch(batch("b2", 5))).isInstanceOfSatisfying(CloudException.class,
        e -> assertThat(e.reason()).isEqualTo("RequestLimitExceeded"));
    assertThat(driver.list("c1")).hasSize(30);
  }

  @Test
  void aBatchVmsLabelIsKeptAcrossARestart() {
    SimulatedDriver driver = driver(0, 0, Map.of());
    VmObservation vm = driver.createBatch(batch("b1", 2)).get(1);
    driver.label(vm.instanceId(), Map.of(VmTags.AGENT, "svc-agents-1", VmTags.CLIENT_TOKEN, "uid-1"));
    restart();
    VmObservation again = driver(0, 0, Map.of()).list("c1").stream()
        .filter(o -> o.instanceId().equals(vm.instanceId())).findFirst().orElseThrow();
    assertThat(again.tags()).containsEntry(VmTags.AGENT, "svc-agents-1").containsEntry(VmTags.LAUNCH_INDEX, "1")
        .containsEntry(VmTags.LAUNCH_BATCH, "b1");
    // The batch answers its VMs again after the restart, labels and all: nothing is doubled.
    assertThat(driver(0, 0, Map.of()).createBatch(batch("b1", 2))).hasSize(2);
  }

  private static io.conpaas.iaas.BatchRequest batch(String token, int count) {
    return new io.conpaas.iaas.BatchRequest(token, count, "svc-agents-batch", Map.of(VmTags.CLUSTER, "c1"), null,
        "{\"agentName\":\"batch\"}".getBytes(StandardCharsets.UTF_8));
  }

  /** A clock tests move by hand. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
