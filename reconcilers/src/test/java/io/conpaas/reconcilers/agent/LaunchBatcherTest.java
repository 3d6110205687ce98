package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentLaunchBatch;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import io.conpaas.reconcilers.model.BatchBinding;
import io.conpaas.reconcilers.model.BatchWindow;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batching decisions: who waits, who is in which batch, who calls the cloud, who gets which VM. */
class LaunchBatcherTest {
  private Instant now = Instant.parse("2026-12-05T19:00:00Z");
  private final Clock clock = new Clock() {
    @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  };
  private final LaunchBatcher batcher = new LaunchBatcher(
      new BatchWindow(Duration.ofMillis(300), Duration.ofSeconds(1)), clock);

  static Agent agent(String uid, String role) {
    Agent a = new Agent();
    a.setMetadata(new ObjectMetaBuilder().withName("web-" + role + "-" + uid).withNamespace("ns").withUid(uid)
        .withLabels(Map.of(ApiConstants.LABEL_SERVICE, "web")).build());
    AgentSpec spec = new AgentSpec();
    spec.setRole(role);
    spec.setCloud("ec2");
    spec.setServiceKind("HelloWorldService");
    spec.setConfig(new java.util.TreeMap<>());
    a.setSpec(spec);
    a.setStatus(new AgentStatus());
    return a;
  }

  static Agent recorded(Agent a, LaunchBatcher.Member m) {
    a.getStatus().setLaunchBatch(new AgentLaunchBatch(m.token(), m.slot(), m.size()));
    return a;
  }

  static VmObservation vm(String id, int index) {
    return new VmObservation(id, null, "b", Map.of(VmTags.LAUNCH_INDEX, Integer.toString(index)), VmState.PENDING,
        null, null, null, Instant.EPOCH);
  }

  private void advance(long millis) {
    now = now.plusMillis(millis);
  }

  @Test
  void agentsArrivingTogetherWaitWithoutBlockingThenShareOneBatch() {
    Agent a = agent("a", "agents");
    Agent b = agent("b", "agents");
    Agent c = agent("c", "agents");
    assertThat(batcher.join(a, 100)).isInstanceOf(LaunchBatcher.Wait.class);
    advance(100);
    assertThat(batcher.join(b, 100)).isInstanceOf(LaunchBatcher.Wait.class);
    advance(100);
    LaunchBatcher.Joined waitC = batcher.join(c, 100);
    assertThat(((LaunchBatcher.Wait) waitC).delay()).isEqualTo(Duration.ofMillis(300));
    advance(300);

    LaunchBatcher.Member ma = (LaunchBatcher.Member) batcher.join(a, 100);
    LaunchBatcher.Member mb = (LaunchBatcher.Member) batcher.join(b, 100);
    LaunchBatcher.Member mc = (LaunchBatcher.Member) batcher.join(c, 100);
    assertThat(List.of(ma.token(), mb.token(), mc.token())).containsOnly(ma.token());
    assertThat(List.of(ma.slot(), mb.slot(), mc.slot())).containsExactly(0, 1, 2);
    assertThat(ma.size()).isEqualTo(3);
    assertThat(ma.token().length()).isLessThanOrEqualTo(64);
  }

  @Test
  void anAgentRegisteredWhileRecordingItsTokenKeepsTheBatchOpenForIt() {
    Agent a = agent("a", "agents");
    Agent late = agent("late", "agents");
    batcher.join(a, 100);
    advance(200);
    batcher.register(late);
    advance(200);
    // a's idle gap would have ended at 300 ms; late's registration keeps the batch open.
    assertThat(batcher.join(a, 100)).isInstanceOf(LaunchBatcher.Wait.class);
    advance(300);
    LaunchBatcher.Member ma = (LaunchBatcher.Member) batcher.join(a, 100);
    assertThat(ma.size()).isEqualTo(2);
    assertThat(((LaunchBatcher.Member) batcher.join(late, 100)).token()).isEqualTo(ma.token());
  }

  @Test
  void anAgentAloneIsStartedTheOrdinaryWay() {
    Agent a = agent("a", "agents");
    batcher.join(a, 100);
    advance(400);
    assertThat(batcher.join(a, 100)).isInstanceOf(LaunchBatcher.Alone.class);
  }

  @Test
  void differentRolesNeverShareABatchAndAFullBatchClosesAtOnce() {
    batcher.join(agent("p", "proxy"), 2);
    assertThat(batcher.join(agent("b1", "backend"), 2)).isInstanceOf(LaunchBatcher.Wait.class);
    assertThat(batcher.join(agent("b2", "backend"), 2)).isInstanceOf(LaunchBatcher.Member.class);
    advance(400);
    assertThat(batcher.join(agent("p", "proxy"), 2)).isInstanceOf(LaunchBatcher.Alone.class);
  }

  @Test
  void aMemberWhoseRecordTheCacheShowsCountsAsConfirmedBeforeItsOwnNextPass() {
    Agent a = agent("a", "agents");
    Agent b = agent("b", "agents");
    batcher.join(a, 100);
    batcher.join(b, 100);
    advance(400);
    LaunchBatcher.Member ma = (LaunchBatcher.Member) batcher.join(a, 100);
    recorded(a, ma);
    LaunchBatcher.Member mb = (LaunchBatcher.Member) batcher.join(b, 100);
    recorded(b, mb);
    // b's own pass has not come yet, but its record is in the cache: a launches for both, at once.
    LaunchBatcher.Launch launch = (LaunchBatcher.Launch) batcher.step(a,
        () -> List.of(new BatchBinding.Member("a", ma.slot()), new BatchBinding.Member("b", mb.slot())));
    assertThat(launch.members()).extracting(BatchBinding.Member::uid).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void oneMemberCallsTheCloudOnceAllRecordedAndEachTakesItsOwnVm() {
    Agent a = agent("a", "agents");
    Agent b = agent("b", "agents");
    batcher.join(a, 100);
    batcher.join(b, 100);
    advance(400);
    recorded(a, (LaunchBatcher.Member) batcher.join(a, 100));
    recorded(b, (LaunchBatcher.Member) batcher.join(b, 100));

    // a recorded first: b has not yet, so no call.
    assertThat(batcher.step(a, List::of)).isInstanceOf(LaunchBatcher.Wait.class);
    LaunchBatcher.Launch launch = (LaunchBatcher.Launch) batcher.step(b, List::of);
    assertThat(launch.members()).extracting(BatchBinding.Member::uid).containsExactlyInAnyOrder("a", "b");
    // While the call runs nobody else calls.
    assertThat(batcher.step(a, List::of)).isInstanceOf(LaunchBatcher.Wait.class);

    batcher.launched(launch.token(), BatchBinding.bind(launch.members(), List.of(vm("i-1", 1), vm("i-0", 0)),
        java.util.Set.of()));
    assertThat(((LaunchBatcher.Bound) batcher.step(a, List::of)).vm().instanceId()).isEqualTo("i-0");
    assertThat(((LaunchBatcher.Bound) batcher.step(b, List::of)).vm().instanceId()).isEqualTo("i-1");
  }

  @Test
  void aMemberThatNeverRecordsIsLeftOutAfterTheConfirmWaitAndAPartialBatchMissesTheRest() {
    Agent a = agent("a", "agents");
    Agent gone = agent("gone", "agents");
    Agent c = agent("c", "agents");
    batcher.join(a, 100);
    batcher.join(gone, 100);
    batcher.join(c, 100);
    advance(400);
    recorded(a, (LaunchBatcher.Member) batcher.join(a, 100));
    recorded(c, (LaunchBatcher.Member) batcher.join(c, 100));
    assertThat(batcher.step(a, List::of)).isInstanceOf(LaunchBatcher.Wait.class);
    assertThat(batcher.step(c, List::of)).isInstanceOf(LaunchBatcher.Wait.class);
    advance(LaunchBatcher.CONFIRM_WAIT.toMillis());

    LaunchBatcher.Launch launch = (LaunchBatcher.Launch) batcher.step(a, List::of);
    assertThat(launch.members()).extracting(BatchBinding.Member::uid).containsExactly("a", "c");
    // The cloud started one VM of two.
    batcher.launched(launch.token(), BatchBinding.bind(launch.members(), List.of(vm("i-0", 0)), java.util.Set.of()));
    assertThat(batcher.step(a, List::of)).isInstanceOf(LaunchBatcher.Bound.class);
    assertThat(batcher.step(c, List::of)).isInstanceOf(LaunchBatcher.Missed.class);
    // c forgets the batch and forms a new one.
    c.getStatus().setLaunchBatch(null);
    assertThat(batcher.join(c, 100)).isInstanceOf(LaunchBatcher.Wait.class);
  }

  @Test
  void aFailedCallIsRetriedWithTheSameTokenAfterItsDelay() {
    Agent a = agent("a", "agents");
    Agent b = agent("b", "agents");
    batcher.join(a, 100);
    batcher.join(b, 100);
    advance(400);
    recorded(a, (LaunchBatcher.Member) batcher.join(a, 100));
    recorded(b, (LaunchBatcher.Member) batcher.join(b, 100));
    batcher.step(a, List::of);
    LaunchBatcher.Launch first = (LaunchBatcher.Launch) batcher.step(b, List::of);

    batcher.failed(first.token(), new CloudException("RequestLimitExceeded", "slow down", true), Duration.ofSeconds(5));
    assertThat(batcher.step(a, List::of)).isInstanceOf(LaunchBatcher.Failed.class);
    advance(5000);
    LaunchBatcher.Launch again = (LaunchBatcher.Launch) batcher.step(a, List::of);
    assertThat(again.token()).isEqualTo(first.token());
  }

  @Test
  void aSpentTokenSendsEveryMemberToANewBatch() {
    Agent a = agent("a", "agents");
    Agent b = agent("b", "agents");
    batcher.join(a, 100);
    batcher.join(b, 100);
    advance(400);
    recorded(a, (LaunchBatcher.Member) batcher.join(a, 100));
    recorded(b, (LaunchBatcher.Member) batcher.join(b, 100));
    batcher.step(a, List::of);
    LaunchBatcher.Launch launch = (LaunchBatcher.Launch) batcher.step(b, List::of);

    batcher.failed(launch.token(), new CloudException("TokenSpent", "spent", false), Duration.ofSeconds(30));

    assertThat(batcher.step(a, List::of)).isInstanceOf(LaunchBatcher.Missed.class);
    assertThat(batcher.step(b, List::of)).isInstanceOf(LaunchBatcher.Missed.class);
  }

  @Test
  void aBatchRecordedBeforeARestartIsLaunchedAtOnceForTheMembersStatusNames() {
    // A new process (nothing in memory): the members' status records are the batch.
    Agent a = agent("a", "agents");
    a.getStatus().setLaunchBatch(new AgentLaunchBatch("cpb-before", 0, 3));
    List<BatchBinding.Member> inCache = List.of(new BatchBinding.Member("a", 0), new BatchBinding.Member("b", 1),
        new BatchBinding.Member("c", 2));

    LaunchBatcher.Launch launch = (LaunchBatcher.Launch) batcher.step(a, () -> inCache);

    assertThat(launch.token()).isEqualTo("cpb-before");
    assertThat(launch.members()).isEqualTo(inCache);
  }
}
