package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.cloud.DriverRegistry;
import io.conpaas.reconcilers.cloud.TerminationBatcher;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.telemetry.VmMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A deleted Agent's VM is asked to terminate once, even while the cloud still lists it running
 * (OpenNebulaCloudIT once saw two terminate-hard calls for one VM of a scale-down); a VM whose
 * terminate call failed is asked for again on the next pass.
 */
class VmReleaseTerminateOnceTest {
  /** Lists the Agent's VM as running however often it is terminated (a lagging list). */
  static final class LaggingCloud implements IaasDriver {
    final List<VmObservation> listed = new CopyOnWriteArrayList<>();
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

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
      if (failuresLeft.getAndDecrement() > 0) {
        throw new CloudException("Unreachable", "connection refused", true);
      }
    }

    @Override
    public void verify() {}
  }

  private final LaggingCloud driver = new LaggingCloud();
  private final DriverRegistry registry = DriverRegistry.withoutCredentials((c, creds) -> driver);
  // Snapshots kept for an hour: only our own changes make the inventory read the cloud again.
  private final CloudInventory inventory = new CloudInventory(registry, "x", Duration.ofHours(1), Clock.systemUTC());
  private final Cloud cloud = cloud();

  @Test
  void twoPassesWhileTheCloudStillListsTheVmAskOnce() {
    driver.listed.add(vm("i-1", "u-1"));
    try (TerminationBatcher batcher = batcher()) {
      VmRelease release = release(batcher);
      Agent agent = deletedAgent("u-1", "i-1");
      for (int pass = 0; pass < 3; pass++) {
        assertThat(release.release(agent, failingContext()).isRemoveFinalizer()).isFalse();
        batcher.flush();
      }
      assertThat(driver.calls).containsExactly(List.of("i-1"));

      driver.listed.clear();
      inventory.invalidate(cloud);
      assertThat(release.release(agent, failingContext()).isRemoveFinalizer()).isTrue();
    }
  }

  @Test
  void aFailedTerminateCallIsAskedForAgainOnTheNextPass() {
    driver.listed.add(vm("i-1", "u-1"));
    driver.failuresLeft.set(1);
    try (TerminationBatcher batcher = batcher()) {
      VmRelease release = release(batcher);
      Agent agent = deletedAgent("u-1", "i-1");
      for (int pass = 0; pass < 4; pass++) {
        release.release(agent, failingContext());
        batcher.flush();
      }
      assertThat(driver.calls).containsExactly(List.of("i-1"), List.of("i-1"));
      assertThat(agent.getStatus().getReleaseFailures()).isEqualTo(1);
    }
  }

  private TerminationBatcher batcher() {
    return new TerminationBatcher(registry, inventory, new VmMetrics(new SimpleMeterRegistry()), Duration.ofHours(1));
  }

  private VmRelease release(TerminationBatcher batcher) {
    AgentClient noCalls = (AgentClient) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {AgentClient.class}, (p, m, args) -> {
          throw new AssertionError("no agent call expected: " + m.getName());
        });
    return new VmRelease(cloudsCache(cloud), inventory, batcher, noCalls, EventRecorder.NONE,
        new AgentStatusWriter(Clock.systemUTC()));
  }

  private static Cloud cloud() {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName("one").withGeneration(1L).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.LOCAL);
    c.setSpec(spec);
    return c;
  }

  private static VmObservation vm(String id, String agentUid) {
    return new VmObservation(id, "t-" + id, "web-agents-0", Map.of(VmTags.AGENT_UID, agentUid), VmState.RUNNING,
        null, null, null, Instant.EPOCH);
  }

  /** An Agent being deleted whose VM is not Running any more (no leave call). */
  private static Agent deletedAgent(String uid, String instanceId) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("web-agents-0").withUid(uid)
        .withDeletionTimestamp(Instant.now().toString()).build());
    AgentSpec spec = new AgentSpec();
    spec.setCloud("one");
    a.setSpec(spec);
    AgentStatus st = new AgentStatus();
    st.setInstanceId(instanceId);
    st.setPhase(AgentPhase.Deleting);
    a.setStatus(st);
    return a;
  }

  /** Status writes of the retry path fail (only the report is lost, as with an unreachable API server). */
  @SuppressWarnings("unchecked")
  private static Context<Agent> failingContext() {
    return (Context<Agent>) Proxy.newProxyInstance(VmReleaseTerminateOnceTest.class.getClassLoader(),
        new Class<?>[] {Context.class}, (p, m, args) -> {
          throw new KubernetesClientException("no API server in this test");
        });
  }

  @SuppressWarnings("unchecked")
  private static CachedResources<Cloud> cloudsCache(Cloud cloud) {
    Indexer<Cloud> store = (Indexer<Cloud>) Proxy.newProxyInstance(VmReleaseTerminateOnceTest.class.getClassLoader(),
        new Class<?>[] {Indexer.class}, (p, m, args) -> switch (m.getName()) {
          case "getByKey" -> cloud.getMetadata().getName().equals(args[0]) ? cloud : null;
          case "list" -> List.of(cloud);
          default -> throw new UnsupportedOperationException(m.getName());
        });
    SharedIndexInformer<Cloud> informer = (SharedIndexInformer<Cloud>) Proxy.newProxyInstance(
        VmReleaseTerminateOnceTest.class.getClassLoader(), new Class<?>[] {SharedIndexInformer.class},
        (p, m, args) -> {
          if (m.getName().equals("getStore")) {
            return store;
          }
          throw new UnsupportedOperationException(m.getName());
        });
    return new CachedResources<>(informer);
  }
}
