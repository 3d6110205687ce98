package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.ec2.MotoServer;
import io.conpaas.iaas.opennebula.OneContractServer;
import io.conpaas.iaas.qemu.Ec2MetadataMock;
import io.conpaas.iaas.qemu.ImageGuest;
import io.conpaas.iaas.qemu.OneContextCdrom;
import io.conpaas.operator.rig.HypervisorRig;
import io.conpaas.operator.rig.ImageBooter;
import io.conpaas.operator.rig.MotoCloud;
import io.conpaas.operator.rig.OpenNebulaCloud;
import io.conpaas.operator.testing.CloudFixtures;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.agentclient.HttpsAgentClient;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;

/**
 * The EC2 and OpenNebula paths boot the same agent image as the qemu Cloud (issue 10, deliverable
 * 3): the hypervisor rig boots a real VM under qemu for each moto instance / OpenNebula VM, and the
 * image's boot helper finds the document the way those clouds deliver it, through an IMDSv2
 * service (AWS's amazon-ec2-metadata-mock serving that instance's stored user data at
 * 169.254.169.254) or a context CD-ROM (ISO labelled CONTEXT, CONPAAS_CONTEXT in context.sh). The
 * agent makes its own key (TLS bootstrap) and answers the operator over mutual TLS; on the EC2 VM
 * the image's check shows that www-data cannot fetch the user data while root can.
 */
class ImageOnEc2AndOpenNebulaIT {
  private static final Duration BOOT = Duration.ofMinutes(15);
  private static final Duration SETTLE = Duration.ofMinutes(3);

  @RegisterExtension
  static final MotoServer MOTO = new MotoServer();

  @TempDir
  static Path workDir;

  static KubernetesClient client;
  static String ns;
  static Path image;
  static ConpaasOperator operator;
  static HttpsAgentClient agentClient;

  @BeforeAll
  static void imageAndOperator() throws Exception {
    image = QemuCloudIT.buildImage();
    client = DevCluster.client();
    ns = TestNamespace.create(client, "vmimg");
    operator = TestOperator.start(TestOperator.settings(ns, workDir.resolve("operator"), BOOT, 3),
        TestOperator.localDrivers(workDir));
    agentClient = new HttpsAgentClient(operator.agentTls(), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  /**
   * Both paths at once (two guests boot side by side, which halves the wall time under TCG): a moto
   * instance and an OpenNebula VM each boot the image, their agents come up from the document the
   * cloud's own channel delivers and answer over mutual TLS; on the EC2 VM www-data cannot read the
   * user data.
   */
  @Test
  void aMotoInstanceAndAnOpenNebulaVmBootTheImageFromImdsV2AndTheContextCdromAndWwwDataCannotReadTheUserData()
      throws Exception {
    Path aemm = Ec2MetadataMock.build(DevCluster.repoRoot());
    String ec2Cloud = "ec2img-" + ns;
    String oneCloud = "oneimg-" + ns;
    client.resource(CloudFixtures.secret(ns, "aws", Map.of("accessKeyId", "AKIAEXAMPLE",
        "secretAccessKey", "wJalrXUtnFEMIEXAMPLEKEY"))).create();
    client.resource(CloudFixtures.secret(ns, "one", Map.of("username", "oneadmin", "password", "opennebula-pass")))
        .create();
    ImageBooter ec2Vms = new ImageBooter(image, workDir.resolve("ec2-vms"),
        (instance, dir) -> Ec2MetadataMock.start(aemm, dir, instance.id(), instance.userDataBase64()));
    ImageBooter oneVms = new ImageBooter(image, workDir.resolve("one-vms"),
        (instance, dir) -> OneContextCdrom.write(dir, instance.oneContext()));
    try (OneContractServer one = OneContractServer.start("oneadmin", "opennebula-pass");
         MotoCloud moto = new MotoCloud(MOTO.endpoint());
         HypervisorRig ec2Rig = new HypervisorRig(moto, ec2Vms);
         HypervisorRig oneRig = new HypervisorRig(new OpenNebulaCloud(one), oneVms)) {
      client.resource(CloudFixtures.ec2(ec2Cloud, MOTO.endpoint(), new SecretRef("aws", ns))).create();
      client.resource(Fixtures.application(ns, "ec2app", ec2Cloud)).create();
      client.resource(CloudFixtures.openNebula(oneCloud, one.endpoint(), new SecretRef("one", ns))).create();
      client.resource(Fixtures.application(ns, "oneapp", oneCloud)).create();
      Instant created = Instant.now();
      client.resource(Fixtures.helloWorld(ns, "ec2hw", "ec2app", 1, "Hello from an EC2 VM")).create();
      client.resource(Fixtures.helloWorld(ns, "onehw", "oneapp", 1, "Hello from an OpenNebula VM")).create();
      await().atMost(BOOT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .until(() -> running("ec2hw") && running("onehw"));
      System.out.println("ImageOnEc2AndOpenNebulaIT: both agents RUNNING on VMs of the image after "
          + Duration.between(created, Instant.now()).toSeconds() + " s");

      // EC2: the boot helper got the document from the metadata service, with an IMDSv2 session token.
      Agent ec2Agent = agents("ec2hw").get(0);
      String instanceId = ec2Agent.getStatus().getInstanceId();
      assertThat(instanceId).startsWith("i-");
      ImageGuest ec2Vm = ec2Vms.guest(instanceId).orElseThrow();
      assertThat(ec2Vm.console()).contains("context from EC2 IMDSv2 user data");
      String imds = ((Ec2MetadataMock) ec2Vm.channel()).log();
      assertThat(imds).contains("PUT /latest/api/token").contains("Token validated")
          .contains("Received request to mock userdata: /latest/user-data");
      // ... and it was this instance's user data as EC2 stores it: no private key, a bootstrap token.
      String userData = new String(io.conpaas.iaas.ec2.UserDataCodec.decode(moto.ec2().describeInstanceAttribute(
          b -> b.instanceId(instanceId).attribute(InstanceAttributeName.USER_DATA)).userData().value()),
          StandardCharsets.UTF_8);
      assertThat(userData).contains("bootstrapToken").contains(ec2Agent.getMetadata().getName())
          .doesNotContain("PRIVATE KEY");
      assertAnswersOverMutualTls(ec2Agent, "Hello from an EC2 VM");
      // The image's firewall: root reaches the metadata service, www-data (uploaded PHP code) is refused.
      await().atMost(SETTLE).untilAsserted(() -> assertThat(ec2Vm.console()).contains("conpaas-metadata-check: OK"));
      String check = ec2Vm.console().lines().filter(l -> l.contains("conpaas-metadata-check: root:")).findFirst()
          .orElseThrow();
      System.out.println("ImageOnEc2AndOpenNebulaIT: " + check.strip());
      assertThat(check).contains("root: user-data HTTP 200").contains("www-data: user-data refused");
      assertThat(ec2Vm.console()).doesNotContain("conpaas-metadata-check: FAIL");

      // OpenNebula: the document came from the context CD-ROM, which holds no private key.
      Agent oneAgent = agents("onehw").get(0);
      String vmId = oneAgent.getStatus().getInstanceId();
      ImageGuest oneVm = oneVms.guest(vmId).orElseThrow();
      assertThat(oneVm.console()).contains("context from the OpenNebula context CD-ROM");
      String contextSh = Files.readString(workDir.resolve("one-vms/vm-" + vmId + "/context/context.sh"));
      assertThat(contextSh).contains("CONPAAS_CONTEXT='").contains("NETWORK='YES'").doesNotContain("PRIVATE KEY");
      assertAnswersOverMutualTls(oneAgent, "Hello from an OpenNebula VM");

      client.resources(HelloWorldService.class).inNamespace(ns).delete();
      await().atMost(SETTLE).until(() -> agents("ec2hw").isEmpty() && agents("onehw").isEmpty());
      await().atMost(SETTLE).untilAsserted(() -> {
        assertThat(ec2Rig.bootedInstances()).isEmpty();
        assertThat(oneRig.bootedInstances()).isEmpty();
      });
    } finally {
      client.resources(Cloud.class).withName(ec2Cloud).delete();
      client.resources(Cloud.class).withName(oneCloud).delete();
    }
  }

  private boolean running(String service) {
    HelloWorldService s = client.resources(HelloWorldService.class).inNamespace(ns).withName(service).get();
    return s.getStatus().getState() == ServiceState.RUNNING && agents(service).size() == 1;
  }

  /** The agent made its key on the VM (TLS bootstrap) and serves its role to the operator over mutual TLS. */
  private void assertAnswersOverMutualTls(Agent agent, String message) {
    assertThat(agent.getStatus().getTlsBootstrap().getKeySha256()).isNotBlank();
    assertThat(agent.getStatus().getTlsBootstrap().getCertificateNotAfter()).isNotBlank();
    assertThat(agentClient.get(agent.getStatus().getAgentEndpoint(), AgentIdentity.of(agent), "/helloworld"))
        .contains(message);
  }

  private List<Agent> agents(String service) {
    return client.resources(Agent.class).inNamespace(ns).list().getItems().stream()
        .filter(a -> a.getMetadata().getName().startsWith(service + "-")).toList();
  }
}
