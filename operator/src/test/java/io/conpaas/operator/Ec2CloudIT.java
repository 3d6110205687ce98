package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.ec2.MotoServer;
import io.conpaas.iaas.ec2.ThrottlingProxy;
import io.conpaas.operator.rig.HypervisorRig;
import io.conpaas.operator.rig.MotoCloud;
import io.conpaas.operator.testing.CloudFixtures;
import io.conpaas.operator.testing.CrashAfterCreateDriver;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The EC2 driver end to end: the operator creates instances in moto, the rig boots an agent
 * from each instance's user data, the agents answer over mutual TLS, and no instance is ever
 * duplicated or left behind.
 */
class Ec2CloudIT {
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
  HypervisorRig rig;

  @BeforeEach
  void cloudAndRig() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "ec2");
    cloudName = "moto-" + ns;
    settings = TestOperator.settings(ns, workDir.resolve("operator"), Duration.ofSeconds(60), 3, Duration.ofSeconds(3));
    moto = new MotoCloud(MOTO.endpoint());
    rig = new HypervisorRig(moto, workDir.resolve("rig"), TestOperator.agentLauncher());
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    client.resources(HelloWorldService.class).inNamespace(ns).delete();
    rig.close();
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
  void threeAgentsOnMotoScaleToOneAndAreAllReleasedOnDelete() {
    createCloud(MOTO.endpoint());
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      client.resource(Fixtures.helloWorld(ns, "web", "app", 3, "from moto")).create();
      awaitState("web", ServiceState.RUNNING, 3);

      List<Instance> live = live();
      assertThat(live).hasSize(3);
      List<Agent> agents = client.resources(Agent.class).inNamespace(ns).list().getItems();
      HttpsAgentClient agentClient = new HttpsAgentClient(op.agentTls(), Duration.ofSeconds(3));
      for (Agent a : agents) {
        Instance i = live.stream().filter(x -> x.instanceId().equals(a.getStatus().getInstanceId())).findFirst()
            .orElseThrow();
        assertThat(tag(i, VmTags.CLIENT_TOKEN)).isEqualTo(a.getStatus().getClientToken());
        assertThat(tag(i, VmTags.AGENT_UID)).isEqualTo(a.getMetadata().getUid());
        assertThat(tag(i, VmTags.SERVICE)).isEqualTo("web");
        assertThat(tag(i, VmTags.ROLE)).isEqualTo("agents");
        assertThat(tag(i, VmTags.CLUSTER)).isEqualTo(settings.clusterId());
        assertThat(tag(i, "Name")).isEqualTo(a.getMetadata().getName());
        assertThat(agentClient.get(a.getStatus().getAgentEndpoint(), AgentIdentity.of(a), "/helloworld"))
            .contains("from moto");
        // The agent made its key on the VM: the user data EC2 keeps (and serves at its metadata
        // address) holds a single-use token, no key, and the token was spent on the agent's key.
        String userData = new String(io.conpaas.iaas.ec2.UserDataCodec.decode(moto.ec2().describeInstanceAttribute(
            b -> b.instanceId(i.instanceId()).attribute(InstanceAttributeName.USER_DATA)).userData().value()),
            java.nio.charset.StandardCharsets.UTF_8);
        assertThat(userData).contains("bootstrapToken").doesNotContain("PRIVATE KEY");
        assertThat(a.getStatus().getTlsBootstrap().getKeySha256()).isNotBlank();
        assertThat(a.getStatus().getTlsBootstrap().getCertificateNotAfter()).isNotBlank();
        assertThat(client.resource(a).get().toString()).doesNotContain("PRIVATE KEY");
      }

      client.resources(HelloWorldService.class).inNamespace(ns).withName("web").scale(1);
      awaitState("web", ServiceState.RUNNING, 1);
      await().atMost(WAIT).untilAsserted(() -> assertThat(live()).hasSize(1));
      assertThat(terminated()).hasSize(2);

      client.resources(HelloWorldService.class).inNamespace(ns).withName("web").delete();
      await().atMost(WAIT).until(() -> client.resources(HelloWorldService.class).inNamespace(ns)
          .withName("web").get() == null);
      assertThat(live()).isEmpty();
      assertThat(terminated()).hasSize(3);
    }
  }

  @Test
  void anInstanceTerminatedBehindTheOperatorsBackIsReplacedAndAStrayTaggedOneIsSwept() {
    createCloud(MOTO.endpoint());
    try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
      client.resource(Fixtures.helloWorld(ns, "web", "app", 1, "resilient")).create();
      awaitState("web", ServiceState.RUNNING, 1);
      String first = live().get(0).instanceId();
      moto.ec2().terminateInstances(b -> b.instanceIds(first));

      await().atMost(WAIT).untilAsserted(() -> {
        Agent a = client.resources(Agent.class).inNamespace(ns).withName("web-agents-0").get();
        assertThat(a.getStatus().getInstanceId()).isNotEqualTo(first);
        assertThat(a.getStatus().getPhase()).isEqualTo(AgentPhase.Running);
      });
      awaitState("web", ServiceState.RUNNING, 1);

      String stray = moto.ec2().runInstances(b -> b.imageId(CloudFixtures.MOTO_AMI).minCount(1).maxCount(1)
          .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(
              Tag.builder().key(VmTags.CLUSTER).value(settings.clusterId()).build(),
              Tag.builder().key(VmTags.NAMESPACE).value(ns).build()).build()))
          .instances().get(0).instanceId();
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(live()).extracting(Instance::instanceId).doesNotContain(stray).hasSize(1));
      // The counter moves after the terminate call returns, so a moment after the VM left the list.
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
          assertThat(op.metrics().find("conpaas.vm.orphans.terminated").counter().count()).isEqualTo(1.0));
    }
  }

  @Test
  void aCrashRightAfterRunInstancesLeavesExactlyOneInstance() throws Exception {
    createCloud(MOTO.endpoint());
    DriverFactory real = TestOperator.localDrivers(workDir);
    CrashAfterCreateDriver[] crashing = new CrashAfterCreateDriver[1];
    DriverFactory crashingFactory = (c, creds) -> {
      // Only this test's Cloud: an earlier test's Cloud may still be Terminating (its finalizer waits
      // for Agents this operator does not watch), and its driver must not replace the one we watch.
      if (!cloudName.equals(c.getMetadata().getName())) {
        return real.create(c, creds);
      }
      crashing[0] = new CrashAfterCreateDriver(real.create(c, creds));
      return crashing[0];
    };
    ConpaasOperator first = TestOperator.start(settings, crashingFactory);
    try {
      client.resource(Fixtures.helloWorld(ns, "web", "app", 1, "once")).create();
      await().atMost(WAIT).until(() -> crashing[0] != null && crashing[0].created.getCount() == 0);
      first.close();
    } finally {
      if (crashing[0] != null) {
        crashing[0].release.countDown();
      }
    }
    assertThat(live()).hasSize(1);
    assertThat(client.resources(Agent.class).inNamespace(ns).withName("web-agents-0").get().getStatus()
        .getInstanceId()).isNull();

    try (ConpaasOperator second = TestOperator.start(settings, real)) {
      awaitState("web", ServiceState.RUNNING, 1);
      assertThat(live()).hasSize(1);
      assertThat(live().get(0).instanceId()).isEqualTo(
          client.resources(Agent.class).inNamespace(ns).withName("web-agents-0").get().getStatus().getInstanceId());
    }
  }

  @Test
  void throttledRunInstancesStillConvergeWithoutDuplicates() throws Exception {
    try (ThrottlingProxy proxy = new ThrottlingProxy(MOTO.endpoint(), "RunInstances", 4)) {
      createCloud(proxy.endpoint());
      try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
        client.resource(Fixtures.helloWorld(ns, "web", "app", 2, "patient")).create();
        awaitState("web", ServiceState.RUNNING, 2);
        assertThat(proxy.throttled()).isEqualTo(4);
        assertThat(live()).hasSize(2);
        assertThat(terminated()).isEmpty();
      }
    }
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

  private void awaitState(String name, ServiceState state, int replicas) {
    await().atMost(WAIT).pollInterval(300, TimeUnit.MILLISECONDS).ignoreExceptions().untilAsserted(() -> {
      HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName(name).get();
      assertThat(s.getStatus().getState()).as(s.getStatus().getMessage()).isEqualTo(state);
      assertThat(s.getStatus().getReplicas()).isEqualTo(replicas);
    });
  }
}
