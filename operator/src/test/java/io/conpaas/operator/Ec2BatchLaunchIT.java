package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.ec2.MotoServer;
import io.conpaas.iaas.ec2.ThrottlingProxy;
import io.conpaas.operator.rig.HypervisorRig;
import io.conpaas.operator.rig.MotoCloud;
import io.conpaas.operator.testing.CloudFixtures;
import io.conpaas.operator.testing.CrashAfterBatchDriver;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.agentclient.HttpsAgentClient;
import io.conpaas.reconcilers.cloud.DriverFactory;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Batched launches on moto behind the EC2-like proxy (MaxCount, ClientToken, throttles): Agents of
 * one service start with a few RunInstances calls, each Agent bound to exactly one instance, and
 * neither a crash between the call and the binding nor a partly fulfilled, failed batch leaks or
 * doubles an instance. Most tests boot no agents (the binding is what they check), so the health
 * timeout is long.
 */
class Ec2BatchLaunchIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @RegisterExtension
  static final MotoServer MOTO = new MotoServer();

  @TempDir
  Path workDir;

  KubernetesClient client;
  String ns;
  String cloudName;
  OperatorSettings settings;
  MotoCloud moto;
  ThrottlingProxy proxy;

  @BeforeEach
  void cloud() throws Exception {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "batch");
    cloudName = "moto-" + ns;
    settings = TestOperator.settings(ns, workDir.resolve("operator"), Duration.ofMinutes(10), 3, Duration.ofSeconds(3));
    moto = new MotoCloud(MOTO.endpoint());
    proxy = new ThrottlingProxy(MOTO.endpoint(), "RunInstances", nth -> false);
  }

  @AfterEach
  void tearDown() {
    client.resources(HelloWorldService.class).inNamespace(ns).delete();
    proxy.close();
    moto.close();
    client.resources(Cloud.class).withName(cloudName).delete();
  }

  private void createCloud(URI endpoint) {
    client.resource(CloudFixtures.secret(ns, "aws", Map.of("accessKeyId", "AKIAEXAMPLE",
        "secretAccessKey", "wJalrXUtnFEMIEXAMPLEKEY"))).create();
    client.resource(CloudFixtures.ec2(cloudName, endpoint, new SecretRef("aws", ns))).create();
    client.resource(Fixtures.application(ns, "app", cloudName)).create();
  }

  @Test
  void thirtyAgentsOfOneServiceStartWithAtMostThreeRunInstancesEachBoundToOneInstance() {
    createCloud(proxy.endpoint());
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      client.resource(Fixtures.helloWorld(ns, "web", "app", 30, "batched")).create();
      awaitAllBound(30);

      assertThat(proxy.seen("RunInstances")).isBetween(1, 3);
      assertOneToOne(30);
      // Once bound, each instance carries its own Agent's tags (a console shows who it serves).
      await().atMost(WAIT).untilAsserted(() -> {
        Map<String, Instance> byId = live().stream().collect(Collectors.toMap(Instance::instanceId, i -> i));
        for (Agent a : agents()) {
          Instance i = byId.get(a.getStatus().getInstanceId());
          assertThat(tag(i, VmTags.AGENT_UID)).isEqualTo(a.getMetadata().getUid());
          assertThat(tag(i, VmTags.CLIENT_TOKEN)).isEqualTo(a.getStatus().getClientToken());
          assertThat(tag(i, "Name")).isEqualTo(a.getMetadata().getName());
        }
      });
      System.out.println("30 agents: RunInstances calls " + proxy.seen("RunInstances") + ", API calls "
          + proxy.counts());
    }
  }

  @Test
  void aCrashBetweenRunInstancesAndTheBindingAdoptsTheInstancesNoneLeakedNoneDoubled() throws Exception {
    createCloud(proxy.endpoint());
    DriverFactory real = TestOperator.localDrivers(workDir);
    CrashAfterBatchDriver[] crashing = new CrashAfterBatchDriver[1];
    DriverFactory crashingFactory = (c, creds) -> {
      if (!cloudName.equals(c.getMetadata().getName())) {
        return real.create(c, creds);
      }
      crashing[0] = new CrashAfterBatchDriver(real.create(c, creds));
      return crashing[0];
    };
    ConpaasOperator first = TestOperator.start(settings, crashingFactory);
    List<VmObservation> startedBeforeCrash;
    try {
      client.resource(Fixtures.helloWorld(ns, "web", "app", 12, "adopted")).create();
      await().atMost(WAIT).until(() -> crashing[0] != null && crashing[0].launched.getCount() == 0);
      startedBeforeCrash = crashing[0].started;
      first.close();
    } finally {
      if (crashing[0] != null) {
        crashing[0].release.countDown();
      }
    }
    // The crash point: the batch's instances exist, no Agent names one, and its token is in their status
    // (in as many or more: a member that recorded it after the call's confirm wait is missed, not bound).
    assertThat(startedBeforeCrash).isNotEmpty();
    Set<String> started = startedBeforeCrash.stream().map(VmObservation::instanceId).collect(Collectors.toSet());
    assertThat(live().stream().map(Instance::instanceId).toList()).containsAll(started);
    String token = startedBeforeCrash.get(0).tags().get(VmTags.LAUNCH_BATCH);
    List<Agent> before = agents();
    assertThat(before).noneMatch(a -> started.contains(a.getStatus().getInstanceId()));
    assertThat(before.stream().filter(a -> a.getStatus().getLaunchBatch() != null
        && token.equals(a.getStatus().getLaunchBatch().getToken())).count()).isGreaterThanOrEqualTo(started.size());
    int callsBefore = proxy.runInstancesForwarded();
    try (ConpaasOperator second = TestOperator.start(settings, real)) {
      awaitAllBound(12);
      assertOneToOne(12);
      Set<String> bound = agents().stream().map(a -> a.getStatus().getInstanceId()).collect(Collectors.toSet());
      assertThat(bound).containsAll(started);
      assertThat(terminated()).isEmpty();
      System.out.println("crash after a batch of " + started.size() + ": RunInstances reaching moto before "
          + callsBefore + ", after the restart " + (proxy.runInstancesForwarded() - callsBefore));
      // Nothing was swept later either: the adopted instances stay bound (the orphan grace is 3 s here).
      Thread.sleep(4000);
      assertOneToOne(12);
      assertThat(terminated()).isEmpty();
    }
  }

  @Test
  void aPartlyFulfilledBatchWhoseAnswersGotLostIsRetriedWithoutDoublingAnyInstance() {
    // EC2 has room for 4 per call, and the answers of the first 9 RunInstances are lost after EC2
    // acted (the SDK gives up after 8 attempts: the operator retries the batch with the same token).
    proxy.capacityPerCall(4).loseAnswers(9);
    createCloud(proxy.endpoint());
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      client.resource(Fixtures.helloWorld(ns, "web", "app", 10, "partial")).create();
      awaitAllBound(10);

      assertOneToOne(10);
      assertThat(terminated()).isEmpty();
      // 10 Agents at 4 per call: at least 3 calls reached EC2 (more if the Agents came in more batches),
      // and every lost answer was made good by the ClientToken (SDK retries) or the tag (the operator's).
      assertThat(proxy.runInstancesForwarded()).isBetween(3, 5);
      assertThat(proxy.seen("RunInstances")).isGreaterThan(9);
      System.out.println("partial + lost answers: RunInstances seen " + proxy.seen("RunInstances")
          + ", reaching moto " + proxy.runInstancesForwarded());
    }
  }

  @Test
  void aBatchBootsRealAgentsEachSpendingTheOneBatchTokenOnItsOwnKey() throws Exception {
    OperatorSettings booting = TestOperator.settings(ns, workDir.resolve("operator"), Duration.ofSeconds(60), 3,
        Duration.ofSeconds(3));
    createCloud(proxy.endpoint());
    try (HypervisorRig rig = new HypervisorRig(moto, workDir.resolve("rig"), TestOperator.agentLauncher());
         ConpaasOperator op = TestOperator.start(booting, TestOperator.localDrivers(workDir))) {
      client.resource(Fixtures.helloWorld(ns, "web", "app", 3, "one document")).create();
      await().atMost(WAIT).pollInterval(300, TimeUnit.MILLISECONDS).ignoreExceptions().untilAsserted(() -> {
        HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName("web").get();
        assertThat(s.getStatus().getState()).as(s.getStatus().getMessage()).isEqualTo(ServiceState.RUNNING);
        assertThat(s.getStatus().getReplicas()).isEqualTo(3);
      });

      assertThat(proxy.seen("RunInstances")).isEqualTo(1);
      assertOneToOne(3);
      Set<String> userData = live().stream().map(i -> moto.ec2().describeInstanceAttribute(
          b -> b.instanceId(i.instanceId()).attribute(InstanceAttributeName.USER_DATA)).userData().value())
          .collect(Collectors.toSet());
      assertThat(userData).hasSize(1);
      String doc = new String(io.conpaas.iaas.ec2.UserDataCodec.decode(userData.iterator().next()),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(doc).contains("bootstrapToken").doesNotContain("PRIVATE KEY").doesNotContain("web-agents-0");
      List<Agent> agents = agents();
      // One token hash for the batch, spent once per Agent, each on a different key.
      assertThat(agents).extracting(a -> a.getStatus().getTlsBootstrap().getTokenHash()).containsOnly(
          agents.get(0).getStatus().getTlsBootstrap().getTokenHash());
      assertThat(agents.stream().map(a -> a.getStatus().getTlsBootstrap().getKeySha256()).distinct().count())
          .isEqualTo(3);
      HttpsAgentClient agentClient = new HttpsAgentClient(op.agentTls(), Duration.ofSeconds(3));
      for (Agent a : agents) {
        // The certificate the agent got names the Agent it was bound to (the client checks the peer).
        assertThat(agentClient.get(a.getStatus().getAgentEndpoint(), AgentIdentity.of(a), "/helloworld"))
            .contains("one document");
      }
      client.resources(HelloWorldService.class).inNamespace(ns).withName("web").delete();
      await().atMost(WAIT).untilAsserted(() -> assertThat(live()).isEmpty());
    }
  }

  private void awaitAllBound(int n) {
    await().atMost(WAIT).pollInterval(300, TimeUnit.MILLISECONDS).ignoreExceptions().untilAsserted(() -> {
      List<Agent> agents = agents();
      assertThat(agents).hasSize(n);
      assertThat(agents).allSatisfy(a -> assertThat(a.getStatus().getInstanceId()).isNotNull());
    });
  }

  /** n Agents, n live instances, each Agent's instance live and named by no other Agent. */
  private void assertOneToOne(int n) {
    List<Agent> agents = agents();
    Set<String> live = live().stream().map(Instance::instanceId).collect(Collectors.toSet());
    List<String> bound = agents.stream().map(a -> a.getStatus().getInstanceId()).toList();
    assertThat(agents).hasSize(n);
    assertThat(live).hasSize(n);
    assertThat(bound).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(live);
  }

  private List<Agent> agents() {
    return client.resources(Agent.class).inNamespace(ns).list().getItems();
  }

  private List<Instance> live() {
    return instances(InstanceStateName.PENDING, InstanceStateName.RUNNING);
  }

  private List<Instance> terminated() {
    return instances(InstanceStateName.TERMINATED, InstanceStateName.SHUTTING_DOWN);
  }

  private List<Instance> instances(InstanceStateName... states) {
    return moto.ec2().describeInstancesPaginator(b -> b.filters(
            Filter.builder().name("tag:" + VmTags.CLUSTER).values(settings.clusterId()).build()))
        .reservations().stream().flatMap(r -> r.instances().stream())
        .filter(i -> List.of(states).contains(i.state().name())).toList();
  }

  private static String tag(Instance i, String key) {
    return i.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
  }
}
