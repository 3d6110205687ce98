package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.SecretRef;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.ec2.MotoServer;
import io.conpaas.operator.rig.HypervisorRig;
import io.conpaas.operator.rig.MotoCloud;
import io.conpaas.operator.testing.CloudFixtures;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * ConPaaS OTHER_CLOUDS: one service whose roles run on different Clouds. The PhpService's proxy
 * runs on the local Cloud, its backends on an EC2 Cloud (moto, agents booted by the rig from the
 * user data); the service reaches RUNNING, each role's VMs are on its Cloud, and the proxy serves
 * pages from the backends across the two.
 */
class MultiCloudIT {
  @RegisterExtension
  static final MotoServer MOTO = new MotoServer();

  @TempDir
  Path workDir;

  @Test
  void aServiceWithItsProxyOnTheLocalCloudAndItsBackendsOnEc2ServesPages() throws Exception {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient client = DevCluster.client();
    String ns = TestNamespace.create(client, "multi");
    String local = "local-" + ns;
    String ec2 = "moto-" + ns;
    MotoCloud moto = new MotoCloud(MOTO.endpoint());
    HypervisorRig rig = new HypervisorRig(moto, workDir.resolve("rig"), TestOperator.agentLauncher());
    try {
      client.resource(Fixtures.localCloud(local, workDir.resolve("local"))).create();
      client.resource(CloudFixtures.secret(ns, "aws", Map.of("accessKeyId", "AKIAEXAMPLE",
          "secretAccessKey", "wJalrXUtnFEMIEXAMPLEKEY"))).create();
      client.resource(CloudFixtures.ec2(ec2, MOTO.endpoint(), new SecretRef("aws", ns))).create();
      client.resource(Fixtures.application(ns, "app", local)).create();
      try (ConpaasOperator op = TestOperator.start(
          TestOperator.settings(ns, workDir.resolve("operator"), Duration.ofSeconds(60), 3),
          TestOperator.localDrivers(workDir.resolve("operator")))) {
        PhpService s = Fixtures.php(ns, "spread", "app", 2);
        ScaleRoleSpec backends = new ScaleRoleSpec(2);
        backends.setCloud(ec2);
        s.getSpec().setBackend(backends);
        s.getSpec().setWeb(new RoleSpec(0));
        client.resource(s).create();

        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
          PhpService now = client.resources(PhpService.class).inNamespace(ns).withName("spread").get();
          assertThat(now.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
          assertThat(now.getStatus().getEndpoints()).hasSize(1);
        });
        for (Agent a : client.resources(Agent.class).inNamespace(ns).list().getItems()) {
          assertThat(a.getSpec().getCloud()).as(a.getMetadata().getName())
              .isEqualTo(a.getSpec().getRole().equals("backend") ? ec2 : local);
        }
        var ids = moto.liveInstances().stream().map(i -> i.id()).toList();
        assertThat(ids).hasSize(2);
        assertThat(moto.ec2().describeInstances(b -> b.instanceIds(ids)).reservations().stream()
            .flatMap(r -> r.instances().stream()).toList())
            .allSatisfy(i -> assertThat(tag(i, VmTags.ROLE)).isEqualTo("backend"));

        String url = client.resources(PhpService.class).inNamespace(ns).withName("spread").get().getStatus()
            .getEndpoints().get(0).getUrl();
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("No code version has been activated yet");

        client.resources(PhpService.class).inNamespace(ns).withName("spread").delete();
        await().atMost(Duration.ofSeconds(90)).until(() ->
            client.resources(PhpService.class).inNamespace(ns).withName("spread").get() == null);
        assertThat(moto.liveInstances()).isEmpty();
      }
    } finally {
      rig.close();
      moto.close();
      client.resources(Cloud.class).withName(local).delete();
      client.resources(Cloud.class).withName(ec2).delete();
    }
  }

  private static String tag(Instance i, String key) {
    return i.tags().stream().filter(t -> t.key().equals(key)).map(t -> t.value()).findFirst().orElse(null);
  }
}
