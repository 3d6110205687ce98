package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.ec2.MotoServer;
import io.conpaas.operator.rig.MotoCloud;
import io.conpaas.operator.testing.CloudFixtures;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.SecondCluster;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The default cluster id comes from the cluster (kube-system's UID), so two installations on two
 * clusters sharing one cloud account tag their VMs differently: the second one's orphan sweep,
 * with a grace period of one second, never terminates the first one's VMs on a shared moto.
 */
class ClusterIdIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @RegisterExtension
  static final MotoServer MOTO = new MotoServer();

  @TempDir
  Path workDir;

  @Test
  void theDefaultClusterIdIsDerivedFromTheKubeSystemNamespace() {
    KubernetesClient client = DevCluster.client();
    String uid = client.namespaces().withName("kube-system").get().getMetadata().getUid();

    String derived = new OperatorConfig(new Properties(), Map.of()).settings(() -> ClusterIdentity.derive(client))
        .clusterId();

    assertThat(derived).matches("k8s-[0-9a-f]{12}").isEqualTo("k8s-" + uid.replace("-", "").substring(0, 12));
    assertThat(new OperatorConfig(new Properties(), Map.of("CONPAAS_CLUSTER_ID", "lab")).settings(() -> {
      throw new AssertionError("a configured id is not derived");
    }).clusterId()).isEqualTo("lab");
  }

  @Test
  void aSecondInstallationOnAnotherClusterNeverTerminatesTheFirstOnesVms() {
    KubernetesClient first = DevCluster.client();
    String ns = TestNamespace.create(first, "cluster-one");
    String cloudName = "moto-" + ns;
    createEc2Cloud(first, ns, cloudName);
    // Both with nothing but the defaults for the cluster id; the first's VM never boots an agent
    // (no rig), and its health timeout is long, so only an orphan sweep could take it.
    OperatorSettings one = defaults(first, ns, workDir.resolve("one"), "5m");
    try (MotoCloud moto = new MotoCloud(MOTO.endpoint());
         ConpaasOperator op1 = new ConpaasOperator(first, one, TestOperator.localDrivers(workDir.resolve("one")),
             Clock.systemUTC())) {
      op1.start();
      first.resource(Fixtures.helloWorld(ns, "web", "app", 1, "first")).create();
      String instance = await().atMost(WAIT).until(() -> {
        Agent a = first.resources(Agent.class).inNamespace(ns).withName("web-agents-0").get();
        return a == null || a.getStatus() == null ? null : a.getStatus().getInstanceId();
      }, id -> id != null);
      assertThat(tags(moto, instance)).containsEntry(VmTags.CLUSTER, one.clusterId());

      try (SecondCluster cluster = SecondCluster.start()) {
        KubernetesClient second = cluster.client();
        String ns2 = TestNamespace.create(second, "cluster-two");
        createEc2Cloud(second, ns2, cloudName);
        OperatorSettings two = defaults(second, ns2, workDir.resolve("two"), "1s");
        assertThat(two.clusterId()).startsWith("k8s-").isNotEqualTo(one.clusterId());
        try (ConpaasOperator op2 = new ConpaasOperator(second, two,
            TestOperator.localDrivers(workDir.resolve("two")), Clock.systemUTC())) {
          op2.start();
          // A VM of the second installation that no Agent owns: swept, which shows its sweep runs.
          String stray = moto.ec2().runInstances(b -> b.imageId(CloudFixtures.MOTO_AMI).minCount(1).maxCount(1)
              .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(
                  Tag.builder().key(VmTags.CLUSTER).value(two.clusterId()).build(),
                  Tag.builder().key(VmTags.NAMESPACE).value(ns2).build()).build()))
              .instances().get(0).instanceId();
          await().atMost(WAIT).until(() -> state(moto, stray) != InstanceStateName.RUNNING
              && state(moto, stray) != InstanceStateName.PENDING);
          // Several more sweeps (cloud.resync 2 s): the first installation's VM stays.
          await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12)).until(() ->
              state(moto, instance) == InstanceStateName.RUNNING);
          assertThat(op2.metrics().find("conpaas.vm.orphans.terminated").counter().count()).isEqualTo(1.0);
        } finally {
          second.resources(Cloud.class).withName(cloudName).delete();
        }
      }
      first.resources(HelloWorldService.class).inNamespace(ns).withName("web").delete();
      await().atMost(WAIT).until(() -> first.resources(HelloWorldService.class).inNamespace(ns).withName("web")
          .get() == null);
      assertThat(state(moto, instance)).isNotEqualTo(InstanceStateName.RUNNING);
    } finally {
      first.resources(Cloud.class).withName(cloudName).delete();
    }
  }

  /** The operator's settings as OperatorMain makes them, with no clusterId configured. */
  private static OperatorSettings defaults(KubernetesClient client, String ns, Path work, String orphanGrace) {
    return new OperatorConfig(new Properties(), Map.of(
        "CONPAAS_NAMESPACES", ns,
        "CONPAAS_AGENT_HEALTH_TIMEOUT", "10m",
        "CONPAAS_ORPHANS_GRACE_PERIOD", orphanGrace,
        "CONPAAS_CLOUD_RESYNC", "2s",
        "CONPAAS_INVENTORY_MAX_AGE", "200ms",
        "CONPAAS_LOCAL_WORK_DIR", work.toString())).settings(() -> ClusterIdentity.derive(client));
  }

  private static void createEc2Cloud(KubernetesClient client, String ns, String name) {
    client.resource(CloudFixtures.secret(ns, "aws", Map.of("accessKeyId", "AKIAEXAMPLE",
        "secretAccessKey", "wJalrXUtnFEMIEXAMPLEKEY"))).create();
    client.resource(CloudFixtures.ec2(name, MOTO.endpoint(), new SecretRef("aws", ns))).create();
    client.resource(Fixtures.application(ns, "app", name)).create();
  }

  private static InstanceStateName state(MotoCloud moto, String id) {
    return moto.ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).state()
        .name();
  }

  private static Map<String, String> tags(MotoCloud moto, String id) {
    return moto.ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).tags()
        .stream().collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value));
  }
}
